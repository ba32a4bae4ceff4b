"""An import cleans its rows column by column and matches only the rows that share a key
with another: what it plans, reports and writes is what planning row by row gave."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from peewee import JOIN

from rapport.models import Contact, Organization, database
from rapport.services import importing
from rapport.services.contacts import create_contact
from rapport.services.exchange import import_linkedin

HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]

# Few values, so that rows share names, profiles and emails, with odd ones among them.
_ROW = st.tuples(
    st.sampled_from(["Ann", "ann", " Ann ", "Zoë", "Bob", "", "Ｆｕｌｌ"]),
    st.sampled_from(["Lee", "Lee  Jr.", "", "Ray"]),
    st.sampled_from(
        [
            "",
            "https://www.linkedin.com/in/ann",
            "linkedin.com/in/ANN/",
            "https://www.linkedin.com/in/bob",
            "https://www.linkedin.com/in/x y",
            "https://example.com/ann",
        ]
    ),
    st.sampled_from(["", "ann@x.org", "ANN@x.org", "bob@x.org", "not-an-address"]),
    st.sampled_from(["", "Acme", "acme", "Initech"]),
    st.sampled_from(["", "Engineer", "Chief\tof Staff"]),
    st.sampled_from(["", "01 Mar 2020", "31 Feb 2020", "01 Mar 2030", "someday"]),
)


def _file(tmp_path: Path, rows: list[tuple[str, ...]]) -> Path:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path = tmp_path / "Connections.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    return path


def _row_by_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plan as before the columns: each row cleaned by itself, every row matched."""

    def one_by_one(drafts: list[Any], cleaned: Any) -> list[Any]:
        prepared = []
        for draft in drafts:
            warnings: list[Any] = []
            try:
                prepared.append(
                    (importing._clean_contact(draft, warnings, cleaned), warnings, None)
                )
            except importing.ValidationError as exc:
                prepared.append((None, warnings, exc))
        return prepared

    monkeypatch.setattr(importing, "_clean_contacts", one_by_one)
    monkeypatch.setattr(importing._Plan, "alone", lambda self, prepared: [False] * len(prepared))


def _imported(path: Path) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """The import's summary and the contacts it leaves, then rolled back."""
    with database.atomic() as transaction:
        summary = import_linkedin(path).as_dict()
        fields = [
            f for f in Contact._meta.sorted_fields if f.name not in ("created_at", "updated_at")
        ]
        contacts = list(
            Contact.select(*fields, Organization.name)
            .join(
                Organization, on=Contact.organization == Organization.id, join_type=JOIN.LEFT_OUTER
            )
            .order_by(Contact.id)
            .tuples()
        )
        transaction.rollback()
    return summary, contacts


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(_ROW, max_size=12),
    unique=st.integers(min_value=0, max_value=40),
    known=st.booleans(),
)
# Found by this test: a merge gave Ann Lee Acme (by the profile of "Ann Lee Jr." at
# Acme), and the last row, Ann Lee at Acme, shared no key with any row by itself.
@example(
    rows=[
        ("Ann", "Lee", "", "", "", "", ""),
        ("Ann", "Lee", "https://www.linkedin.com/in/ann", "", "", "", ""),
        ("Ann", "Lee  Jr.", "https://www.linkedin.com/in/ann", "", "Acme", "", ""),
        ("Ann", "Lee", "", "", "Acme", "", ""),
    ],
    unique=0,
    known=False,
)
def test_an_import_plans_what_row_by_row_planning_did(
    db_path: Path, tmp_path: Path, rows: list[tuple[str, ...]], unique: int, known: bool
) -> None:
    # Rows that share nothing with any other, among rows that repeat people.
    alone = [(f"P{i}", "Lee", f"linkedin.com/in/p{i}", "", "Acme", "", "") for i in range(unique)]
    path = _file(tmp_path, alone[: unique // 2] + rows + alone[unique // 2 :])
    with database.atomic() as transaction:
        if known:  # someone already there, whom rows can match by profile, email or name
            create_contact("Ann Lee", email="ann@x.org", organization="Acme")
        now = _imported(path)
        with pytest.MonkeyPatch.context() as patch:
            _row_by_row(patch)
            before = _imported(path)
        transaction.rollback()
    assert now == before


def _connections(count: int) -> list[tuple[str, ...]]:
    """Rows as LinkedIn writes them, no two sharing a name, profile or email."""
    return [
        (
            f"Ann{i}",
            "Lee",
            f"https://www.linkedin.com/in/ann-{i}",
            f"ann{i}@x.org",
            f"Org {i}",
            "",
            "",
        )
        for i in range(count)
    ]


def _calls(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[tuple[Any, ...]]:
    """The arguments of every call of ``owner.name`` from now on (it still does its work)."""
    calls: list[tuple[Any, ...]] = []
    method = getattr(owner, name)

    def counted(self: Any, *args: Any) -> Any:
        calls.append(args)
        return method(self, *args)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_rows_that_share_no_key_are_not_matched_one_by_one(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 30,000 connections into an empty database: nobody to match, and no row repeats another.
    path = _file(tmp_path, [*_connections(200), ("Ann7", "Lee", "", "", "org 7", "", "")])
    searched = _calls(monkeypatch, importing._Network, "find")

    summary = import_linkedin(path)

    assert (summary.created, summary.merged) == (200, 1)
    # Only the two rows that share a key: the eighth, and the last (the same person).
    assert [values["name"] for (values,) in searched] == ["Ann7 Lee", "Ann7 Lee"]


def test_plain_values_are_not_cleaned_one_by_one(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    odd = ("Zoë", "Lee", "linkedin.com/in/ZOE/", "Zoe@X.org", "Org 1", "", "")
    path = _file(tmp_path, [*_connections(200), odd])
    asked = _calls(monkeypatch, importing._Cleaned, "ask")

    summary = import_linkedin(path)

    assert summary.created == 201
    assert Contact.get(Contact.name == "Zoë Lee").linkedin_url == "https://www.linkedin.com/in/zoe"
    # Only values a cleaner changes, and the few checked beside them, one by one.
    one_by_one = {
        name: [v for n, v in asked if n == name] for name in ("name", "linkedin_url", "email")
    }
    assert one_by_one["name"][-1:] == ["Zoë Lee"] and len(one_by_one["name"]) <= 16
    assert one_by_one["linkedin_url"][-1:] == ["linkedin.com/in/ZOE/"]
    assert len(one_by_one["linkedin_url"]) <= 16
    assert one_by_one["email"][-1:] == ["Zoe@X.org"] and len(one_by_one["email"]) <= 16
