"""The contact field declaration agrees with the model, services, JSON, form and files.

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
    CONTACT_FORM,
    FROM_FILES_ONLY,
    JSON_KINDS,
    NOT_IN_FILES,
)

DECLARED = [spec.name for spec in CONTACT_FIELDS]
# What add and edit set (archived has commands of its own).
TYPED = [spec.name for spec in CONTACT_FIELDS if spec.name != "archived"]
OPTIONS = [spec.option for spec in CONTACT_FIELDS if spec.option is not None]


def test_every_declared_field_is_a_column_of_the_model_and_cleaned_by_the_service() -> None:
    assert [name for name in DECLARED if not hasattr(Contact, name)] == []
    assert [name for name in TYPED if name not in CLEANERS] == []
    assert len(set(DECLARED)) == len(DECLARED)
    assert len(set(OPTIONS)) == len(OPTIONS)
    assert [spec.json for spec in CONTACT_FIELDS if spec.json not in JSON_KINDS] == []


def test_files_carry_every_declared_field_but_links_and_the_cadence() -> None:
    assert set(CONTACT_COLUMNS) - FROM_FILES_ONLY == set(DECLARED) - NOT_IN_FILES
    assert set(CONTACT_COLUMNS) >= FROM_FILES_ONLY
    assert set(DECLARED) >= NOT_IN_FILES


def test_every_declared_field_is_an_option_of_add_and_edit_and_a_key_of_show(cli) -> None:
    for command in ("add", "edit"):
        help_text = cli("contacts", command, "--help").output
        assert [option for option in OPTIONS if option not in help_text] == []
    assert cli("contacts", "add", "Dana Whitfield", "--role", "EM").exit_code == 0
    shown = json.loads(cli("contacts", "show", "Dana", "--json").output)
    # The declaration gives the keys and their order, after the id and the name.
    assert list(shown)[: len(DECLARED) + 2] == ["id", "name", *DECLARED]


def test_the_app_form_asks_every_declared_field_a_person_types_once() -> None:
    assert sorted(CONTACT_FORM) == sorted(TYPED)
    assert all(spec.label for spec in CONTACT_FIELDS if spec.name in CONTACT_FORM)


def test_a_declared_field_is_a_key_of_show_json_in_its_place(cli, monkeypatch) -> None:
    # The short path of docs/ARCHITECTURE.md: declared once, written by --json.
    from rapport.services import fields, serialize

    declared = (*fields.CONTACT_FIELDS, fields.FieldSpec("given_name", None, json="null"))
    monkeypatch.setattr(serialize, "CONTACT_FIELDS", declared)
    assert cli("contacts", "add", "Dana Whitfield", "--role", "EM").exit_code == 0
    shown = json.loads(cli("contacts", "show", "Dana", "--json").output)
    assert list(shown)[: len(declared) + 2] == ["id", "name", *(s.name for s in declared)]
    assert shown["given_name"] is None
