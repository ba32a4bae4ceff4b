"""The whole database as JSON text and back: the envelope, its checks, the bytes.

``snapshot_chunks()`` writes every table it is given, with the schema version;
``read_snapshot()`` reads such a file back into tables of rows, refusing
anything that is not a rapport export this rapport can restore.  The rows
themselves are read from and written to the database by rapport.bulk, called
by rapport.services.exchange.  Export, restore into a new file, export again:
the two files are identical.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from rapport.errors import ImportFailed
from rapport.jsontext import json_text

FORMAT = "rapport"


# Rows sit at depth 3 of ``json.dumps(..., indent=2)``: a batch of rows is
# written as depth 1 (rapport.jsontext, orjson for what a table holds), so
# every line of it moves two levels (four spaces) in.
_DEEPER = "\n    "


def snapshot_chunks(
    schema_version: int,
    tables: Iterable[tuple[str, list[str], Iterable[Sequence[Sequence[Any]]]]],
    sequences: Mapping[str, int] | None = None,
) -> Iterator[str]:
    """The tables as JSON text, piece by piece: ``json.dumps(snapshot, indent=2,
    ensure_ascii=False)`` of the whole snapshot, the same bytes, never all in memory.

    ``tables`` gives each table's name, its columns and its rows in batches
    (lists of plain values: text, numbers, booleans, None); ``sequences`` the
    largest id each table ever gave (written after the tables, as "sequences").
    """
    yield f'{{\n  "format": "{FORMAT}",\n  "schema_version": {int(schema_version)},\n  "tables": {{'
    first_table = True
    for name, columns, batches in tables:
        yield (
            ("\n    " if first_table else ",\n    ") + json.dumps(name, ensure_ascii=False) + ": ["
        )
        first_table = False
        first_row = True
        for batch in batches:
            if not batch:
                continue
            rows = [dict(zip(columns, row, strict=True)) for row in batch]
            text = json_text(rows)  # a REAL or a BLOB of a hand-edited database included
            # "[\n  {...},\n  {...}\n]": the rows, one level in, without the brackets.
            yield ("," if not first_row else "") + (text[1:-2]).replace("\n", _DEEPER)
            first_row = False
        yield "]" if first_row else "\n    ]"
    yield "}" if first_table else "\n  }"
    if sequences is not None:
        numbers = json.dumps({"sequences": {k: int(v) for k, v in sequences.items()}}, indent=2)
        yield ",\n" + numbers[2:-2]  # '  "sequences": {...}', one level in as the tables
    yield "\n}\n"


def read_snapshot(
    text: str, source: str, *, newest: int, known_tables: Collection[str]
) -> tuple[dict[str, Any], dict[str, int]]:
    """The tables of a ``rapport export json`` text ({table: rows}, rows not yet
    checked) and its sequences ({table: the largest id it ever gave}; {} from an
    export older than them).

    ``newest`` is the schema version this rapport writes; ``known_tables`` the
    tables it has.  Raises ImportFailed for text that is not such an export.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"{source} is not JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise ImportFailed(f"{source} is nested too deeply to be a rapport export") from None
    except ValueError:  # Python refuses to read a number thousands of digits long
        raise ImportFailed(
            f"{source} is not a rapport export (it holds a number thousands of digits long)"
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or not isinstance(data.get("tables"), dict)
    ):
        raise ImportFailed(f"{source} is JSON but not a rapport export (rapport export json)")
    version = data.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ImportFailed(f"{source} has no valid schema_version; is it a rapport export?")
    if version > newest:
        raise ImportFailed(
            f"{source} was exported by a newer rapport (schema {version}, this one knows "
            f"{newest}); upgrade rapport to import it"
        )
    unknown = set(data["tables"]) - set(known_tables)
    if unknown:
        name = sorted(unknown)[0]
        raise ImportFailed(f"{source} has a table this rapport does not know: {name!r:.60}")
    return data["tables"], _sequences(data.get("sequences", {}), source, known_tables)


def _sequences(given: Any, source: str, known_tables: Collection[str]) -> dict[str, int]:
    if not isinstance(given, dict):
        raise ImportFailed(f"{source}: sequences is not an object of table: number")
    for name, number in given.items():
        if name not in known_tables:
            raise ImportFailed(
                f"{source} has a sequence for a table this rapport does not know: {name!r:.60}"
            )
        if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number < 2**63:
            raise ImportFailed(f"{source}: the sequence of {name} is not a record number")
    return given


# rapport's own export of the heaviest network (30,000 contacts, 200,000
# interactions with notes) runs to a few hundred MB: a restore must take it,
# as it is the way to leave and come back.
MAX_RESTORE_BYTES = 1_000_000_000


def read_json_file(path: str | Path) -> str:
    from rapport.reading import decode, read_bytes

    return decode(read_bytes(path, MAX_RESTORE_BYTES), path, "a rapport JSON export")
