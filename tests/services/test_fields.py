"""The contact field declaration agrees with the model, the services, the JSON and the files.

When one of these fails after adding a field, it names the next place to touch
(docs/ARCHITECTURE.md, "Adding a field or a record kind").
"""

from __future__ import annotations

import json

from rapport.models import Contact
from rapport.services.contacts import CLEANERS
from rapport.services.fields import (
    CONTACT_COLUMNS,
    CONTACT_FIELDS,
    FROM_FILES_ONLY,
    NOT_IN_FILES,
)

DECLARED = [spec.name for spec in CONTACT_FIELDS]


def test_every_declared_field_is_a_column_of_the_model_and_cleaned_by_the_service() -> None:
    assert [name for name in DECLARED if not hasattr(Contact, name)] == []
    assert [name for name in DECLARED if name not in CLEANERS] == []
    assert len(set(DECLARED)) == len(DECLARED)
    assert len({spec.option for spec in CONTACT_FIELDS}) == len(CONTACT_FIELDS)


def test_files_carry_every_declared_field_but_links_and_the_cadence() -> None:
    assert set(CONTACT_COLUMNS) - {"tags"} - FROM_FILES_ONLY == set(DECLARED) - NOT_IN_FILES
    assert set(CONTACT_COLUMNS) >= FROM_FILES_ONLY
    assert set(DECLARED) >= NOT_IN_FILES


def test_every_declared_field_is_an_option_of_add_and_edit_and_a_key_of_show(cli) -> None:
    for command in ("add", "edit"):
        help_text = cli("contacts", command, "--help").output
        assert [s.option for s in CONTACT_FIELDS if s.option not in help_text] == []
    assert cli("contacts", "add", "Dana Whitfield", "--role", "EM").exit_code == 0
    shown = json.loads(cli("contacts", "show", "Dana", "--json").output)
    assert [name for name in DECLARED if name not in shown] == []
