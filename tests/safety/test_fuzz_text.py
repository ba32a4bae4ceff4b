"""Bad input, names and notes: any Unicode goes through save, search, --json and the
terminal and comes back as it was cleaned, never as a crash or a terminal escape.

What rapport keeps of a text is defined by the cleaners (rapport.services.clean):
names lose control characters and extra spaces, notes lose control characters
but tabs and newlines.  Text that is not UTF-8 (lone surrogates, what Python
makes of a terminal's undecodable bytes) is refused with a readable error.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from safety_harness import examples
from text_strategies import NASTY, long_text, pasted_text

from rapport.db import open_database
from rapport.errors import ValidationError
from rapport.models import Contact
from rapport.services import clean, contacts, serialize
from rapport.services.search import search

_markers = itertools.count()
# Characters a terminal acts on rather than shows, but tab and newline.
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=pasted_text, notes=st.one_of(pasted_text, long_text))
@example(name="".join(NASTY), notes="".join(NASTY))
def test_any_text_is_kept_found_and_printed_as_cleaned(
    db_path: Path, cli, name: str, notes: str
) -> None:
    open_database(db_path)  # the command below closes it, as a finished process would
    marker = f"zqxmark{next(_markers)}"
    typed_notes = f"{notes} {marker}"
    try:
        contact = contacts.create_contact(name, notes=typed_notes, allow_duplicate=True)
    except ValidationError as exc:
        assert exc.field == "name"
        assert not clean.one_line(name, "name") or len(clean.one_line(name, "name")) > 300
        return

    stored = Contact.get_by_id(contact.id)
    assert stored.name == clean.one_line(name, "name")
    assert stored.notes == clean.free_text(typed_notes)
    assert not TERMINAL_CONTROL.search(stored.name + stored.notes)

    assert contact.id in {hit.id for hit in search(marker) if hit.kind == "contact"}

    shown = serialize.contact_detail(contacts.contact_detail(contact.id))
    assert json.loads(json.dumps(shown, ensure_ascii=False)) == shown
    assert (shown["name"], shown["notes"]) == (stored.name, stored.notes)

    cli.db = db_path
    printed = json.loads(cli("contacts", "show", str(contact.id), "--json").output)
    assert (printed["name"], printed["notes"]) == (stored.name, stored.notes)
    plain = cli("contacts", "show", str(contact.id))
    assert plain.exit_code == 0
    assert not TERMINAL_CONTROL.search(plain.output)


@settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(notes=pasted_text)
def test_an_edit_with_any_text_keeps_it_as_cleaned(db_path: Path, notes: str) -> None:
    open_database(db_path)
    contact = contacts.create_contact("Dana", allow_duplicate=True)
    updated = contacts.update_contact(
        contact.id, notes=notes, expected_updated_at=contact.updated_at
    )
    assert Contact.get_by_id(contact.id).notes == clean.free_text(notes) == updated.notes


@pytest.mark.parametrize("field", ["name", "notes"])
def test_undecodable_bytes_are_refused_in_one_line(cli, field: str) -> None:
    # A terminal set to Latin-1 sends "é" as b"\xe9"; Python reads it as "\udce9".
    args = ["contacts", "add", "Ren\udce9"] if field == "name" else ["contacts", "add", "René"]
    if field == "notes":
        args += ["--notes", "caf\udce9"]
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"rapport: {field}: ") and result.stderr.count("\n") == 1
    assert "UTF-8" in result.stderr
    assert cli("contacts", "list", "--json").output.strip() == "[]"
