"""JSON text as ``json.dumps(data, indent=2, ensure_ascii=False)`` writes it, fast:
orjson where its bytes are the same, the C string encoder elsewhere. Both the
command line's ``--json`` and ``export json`` write through it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, compress, repeat
from json.encoder import encode_basestring
from operator import is_
from typing import Any

# Scalars the fast path writes itself; everything else goes through json.dumps.
_SCALARS: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    bool: lambda value: "true" if value else "false",
    type(None): lambda _: "null",
}


@dataclass(frozen=True)
class Records:
    """A list of JSON objects with the same keys, held column by column:
    ``columns[j][i]`` is the value of ``keys[j]`` in the ``i``-th object.  For a
    list of thousands, written without a dict for each (:func:`json_text`)."""

    keys: tuple[str, ...]
    columns: tuple[Sequence[Any], ...]

    def dicts(self) -> list[dict[str, Any]]:
        rows = zip(*self.columns, strict=True)
        return list(map(dict, map(zip, repeat(self.keys), rows)))


def json_text(data: Any) -> str:
    """Exactly ``json.dumps(data, indent=2, ensure_ascii=False)``, ten times as fast
    (``Records``: as written for their ``dicts()``).

    orjson (in C) writes the same text for text, whole numbers, booleans and
    null in lists and dicts with text keys; a float (which it writes its own
    way: 1e16 against 1e+16) or any other value takes the slower way below.
    """
    if isinstance(data, Records):
        return "".join(json_chunks(data))
    import orjson  # loaded for --json alone

    if _orjson_writes_as_json([data]):
        try:
            return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()
        except TypeError:  # a number past 64 bits, a key not text, a lone surrogate
            pass
    return _json_text(data)


def json_chunks(data: Any, rows: int = 2000) -> Iterator[str]:
    """:func:`json_text` in pieces: ``Records`` a few thousand objects at a time
    (what a piece needs is made, written and freed before the next: 30,000
    contacts' 9 MB never stand in memory whole, twice), anything else at once."""
    chunks = _records_chunks(data, rows) if isinstance(data, Records) else None
    if chunks is None:
        yield json_text(data.dicts() if isinstance(data, Records) else data)
    else:
        yield from chunks


def json_parts_chunks(parts: Iterable[Records]) -> Iterator[str]:
    """:func:`json_chunks` of the objects of ``parts`` (Records with the same
    keys) as one list: each part made, written and freed before the next is
    read (its values' memory then serves the next part's)."""
    opening = "[\n"
    for part in parts:
        # A list's objects are indented alike wherever they stand in it: a
        # part's are written where they go, after the list's opening or a
        # comma (9 MB of them at 30,000 contacts, never copied again).
        count = len(part.columns[0]) if part.columns else 0
        chunks = _records_chunks(part, count, opening, "")
        if chunks is None:  # written as dicts: the objects are between "[\n" and "\n]"
            text = "".join(json_chunks(part))
            chunks = iter([opening + text[2:-2]] if text != "[]" else [])
        elif not count:
            continue
        for chunk in chunks:
            yield chunk
            opening = ",\n"
    yield "[]" if opening == "[\n" else "\n]"


_ORJSON_SAME = frozenset({str, int, bool, type(None), list, tuple, dict})
_SEQUENCES = frozenset({list, tuple}).__contains__


def _orjson_writes_as_json(values: list[Any]) -> bool:
    """Whether every value in ``values``, however deep, is of a type orjson and
    json.dumps write alike (checked a level at a time, in C: 30,000 contacts'
    330,000 values in a few ms)."""
    while values:
        kinds = set(map(type, values))
        if not kinds <= _ORJSON_SAME:
            return False
        deeper: list[Any] = []
        if list in kinds or tuple in kinds:
            deeper.extend(chain.from_iterable(compress(values, map(_SEQUENCES, map(type, values)))))
        if dict in kinds:
            dicts = compress(values, map(is_, map(type, values), repeat(dict)))
            deeper.extend(chain.from_iterable(map(dict.values, dicts)))
        values = deeper
    return True


def _json_text(data: Any, indent: str = "") -> str:
    """Exactly ``json.dumps(data, indent=2, ensure_ascii=False)``, about twice as fast.

    With ``indent`` set, json.dumps runs its pure-Python encoder, which takes
    ~0.2 s for 30,000 contacts; this writes the same text from the C string
    encoder.  Lists, dicts with text keys and the scalars above take the fast
    path; any other value is handed to json.dumps and indented to its place.
    """
    kind = type(data)
    scalar = _SCALARS.get(kind)
    if scalar is not None:
        return scalar(data)
    if kind is list or kind is dict:
        if not data:
            return "[]" if kind is list else "{}"
        inner = indent + "  "
        try:
            if kind is list:
                items = [
                    _SCALARS[type(v)](v) if type(v) in _SCALARS else _json_text(v, inner)
                    for v in data
                ]
            else:
                items = [
                    # encode_basestring refuses a key that is not text: json.dumps
                    # (below) knows how to write those.
                    encode_basestring(k)
                    + ": "
                    + (_SCALARS[type(v)](v) if type(v) in _SCALARS else _json_text(v, inner))
                    for k, v in data.items()
                ]
        except TypeError:
            pass
        else:
            opening, closing = ("[", "]") if kind is list else ("{", "}")
            return f"{opening}\n{inner}" + f",\n{inner}".join(items) + f"\n{indent}{closing}"
    # JSON text never holds a raw newline inside a string, so this only indents.
    return json.dumps(data, indent=2, ensure_ascii=False).replace("\n", "\n" + indent)


def _records_chunks(
    records: Records, rows: int, opening: str = "[\n", closing: str = "\n]"
) -> Iterator[str] | None:
    """What json.dumps writes for ``records.dicts()``, in pieces of ``rows``
    objects, put together a column at a time: each column's values written by
    one call over the column, then the objects' lines joined in one pass.  None
    for a column of any other kind than below (or keys that are not distinct
    text): the caller writes the dicts.  The objects follow ``opening`` and
    ``closing`` follows them (a list's whole text, or a part of one's), "[]" for none."""
    keys, columns = records.keys, records.columns
    if not keys or len(set(keys)) != len(keys) or {type(k) for k in keys} != {str}:
        return None
    count = len(columns[0]) if columns else 0
    if len(columns) != len(keys) or any(len(c) != count for c in columns):
        raise ValueError("every column of Records holds one value for each object")
    writers = [_column_writer(column) for column in columns]
    if not count:
        return iter(["[]"])
    if any(writer is None for writer in writers):
        return None
    return _chunks(keys, columns, writers, count, max(rows, 1), opening, closing)


def _chunks(
    keys: tuple[str, ...],
    columns: tuple[Sequence[Any], ...],
    writers: list[Any],
    count: int,
    rows: int,
    opening: str,
    closing: str,
) -> Iterator[str]:
    # Every object: "  {", a line for each key, "  }"; the values are at depth 2.
    # The first object follows ``opening``, each later one a comma.
    first = encode_basestring(keys[0]) + ": "
    later = [repeat(",\n    " + encode_basestring(key) + ": ") for key in keys[1:]]
    for start in range(0, count, rows):
        texts = [
            write(column if rows >= count else column[start : start + rows])
            for write, column in zip(writers, columns, strict=True)
        ]
        starts: Iterator[str] = repeat(",\n  {\n    " + first)
        if not start:
            starts = chain([opening + "  {\n    " + first], starts)
        pieces = [starts, texts[0]]
        for key, text in zip(later, texts[1:], strict=True):
            pieces += [key, text]
        pieces.append(repeat("\n  }"))
        # The repeats are endless: the columns' pieces (all as long) end the zip.
        lines = chain.from_iterable(zip(*pieces))  # noqa: B905
        yield "".join(chain(lines, [closing] if start + rows >= count else []))


_BOOLEANS = {True: "true", False: "false"}.__getitem__
_NONE = type(None)


def _column_writer(column: Sequence[Any]) -> Callable[[Sequence[Any]], list[str]] | None:
    """How to write a part of ``column``: each value as json.dumps writes it
    inside an object in a list (a list's items indented six spaces); None for
    kinds not written here.  The kinds are those of the whole column."""
    kinds = set(map(type, column))
    if kinds <= {str}:
        return lambda part: list(map(encode_basestring, part))
    if kinds <= {int}:
        return lambda part: list(map(int.__repr__, part))
    if kinds <= {bool}:
        return lambda part: list(map(_BOOLEANS, part))
    if kinds <= {str, _NONE}:
        return lambda part: ["null" if v is None else encode_basestring(v) for v in part]
    if kinds <= {int, _NONE}:
        return lambda part: ["null" if v is None else int.__repr__(v) for v in part]
    if kinds <= {list, tuple} and set(map(type, chain.from_iterable(column))) <= {str}:
        return lambda part: [
            "[\n      " + ",\n      ".join(map(encode_basestring, v)) + "\n    ]" if v else "[]"
            for v in part
        ]
    return None
