"""A vdir export remembers what it wrote: an unchanged follow-up whose file nobody
touched is neither built, serialized nor read again; any change still reaches its file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rapport.calendar import vdir_cache, writer
from rapport.services.calendar_files import ExportOptions, export_vdir

OPTIONS = ExportOptions(todo=True)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _nothing_may_be_built(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged follow-up was built again")

    monkeypatch.setattr(writer, "followup_entry", refuse)


def test_nothing_changed_builds_nothing_and_writes_nothing(
    calendar_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "vdir"
    export_vdir(folder, OPTIONS)
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    remembered = vdir_cache.signature(vdir_cache.cache_path(folder))
    _nothing_may_be_built(monkeypatch)

    again = export_vdir(folder, OPTIONS)

    assert (again.written, again.unchanged, again.removed) == (0, 5, 0)
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    assert remembered is not None  # and not even that is written again:
    assert vdir_cache.signature(vdir_cache.cache_path(folder)) == remembered
    assert all(p.suffix == ".ics" for p in folder.iterdir())  # what it remembers lives elsewhere


def test_a_change_to_the_contact_alone_reaches_the_file(calendar_db: Path, tmp_path: Path) -> None:
    from rapport.services import contacts

    folder = tmp_path / "vdir"
    export_vdir(folder, OPTIONS)

    contacts.update_contact("Dana Whitfield", email="dana@elsewhere.example")
    again = export_vdir(folder, OPTIONS)

    assert again.written == 2  # Dana's two follow-ups, their own rows untouched
    assert sum(b"dana@elsewhere.example" in data for data in _files(folder).values()) == 2


def test_a_file_another_client_changed_is_written_again(calendar_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "vdir"
    export_vdir(folder, OPTIONS)
    written = _files(folder)
    edited = folder / "followup-4@rapport.ics"
    edited.write_bytes(written[edited.name].replace(b"SUMMARY:", b"SUMMARY:edited "))
    lost = folder / "followup-5@rapport.ics"
    lost.unlink()

    again = export_vdir(folder, OPTIONS)

    assert (again.written, again.unchanged) == (2, 3)
    assert _files(folder) == written


def test_a_file_touched_with_its_own_bytes_is_compared_and_left(
    calendar_db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "vdir"
    export_vdir(folder, OPTIONS)
    touched = folder / "followup-2@rapport.ics"
    os.utime(touched, ns=(1, 1))

    again = export_vdir(folder, OPTIONS)

    assert (again.written, again.unchanged) == (0, 5)
    assert touched.stat().st_mtime_ns == 1


def test_other_options_write_other_files(calendar_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "vdir"
    export_vdir(folder, OPTIONS)

    again = export_vdir(folder, ExportOptions(todo=True, alarm="15m"))

    assert again.written == 5
    fresh = tmp_path / "fresh"
    export_vdir(fresh, ExportOptions(todo=True, alarm="15m"))
    assert _files(folder) == _files(fresh)


def test_only_the_changed_follow_ups_are_read_in_full(
    calendar_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rapport.services import calendar, contacts

    folder = tmp_path / "vdir"
    export_vdir(folder, OPTIONS)
    contacts.update_contact("Dana Whitfield", email="dana@elsewhere.example")
    read_in_full: list[str] = []
    by_uid = calendar.followups_by_uid

    def refuse(**kwargs: object) -> None:
        raise AssertionError("every follow-up was read in full")

    def recorded(uids: list[str], **kwargs: object) -> object:
        read_in_full.extend(uids)
        return by_uid(uids, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(calendar, "followups_for_calendar", refuse)
    monkeypatch.setattr(calendar, "followups_by_uid", recorded)
    again = export_vdir(folder, OPTIONS)

    assert (again.written, again.unchanged) == (2, 3)
    assert sorted(read_in_full) == ["followup-1@rapport", "followup-2@rapport"]


def test_an_empty_folder_looks_up_each_contacts_last_touch_once(
    calendar_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The lean read (for the digests) and the full read (for the files) see one
    # snapshot: at 30,000 contacts the second lookup of 4,800 contacts cost 50 ms.
    from rapport.services import calendar

    asked: list[int] = []
    last_touches = calendar.last_touches

    def counted(contact_ids: object, **kwargs: object) -> object:
        ids = list(contact_ids)  # type: ignore[call-overload]
        asked.extend(ids)
        return last_touches(ids, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(calendar, "last_touches", counted)
    export_vdir(tmp_path / "vdir", OPTIONS)
    assert asked and sorted(asked) == sorted(set(asked))
    monkeypatch.undo()
    fresh = tmp_path / "fresh"
    export_vdir(fresh, OPTIONS)  # and the files are what they were
    assert _files(tmp_path / "vdir") == _files(fresh)


def test_goals_organization_and_last_touch_reach_the_file(
    calendar_db: Path, tmp_path: Path
) -> None:
    from rapport.models import Goal, Organization
    from rapport.services import interactions

    folder = tmp_path / "vdir"
    export_vdir(folder, OPTIONS)

    Goal.update(title="Speak at two conferences").where(Goal.title.startswith("Speak")).execute()
    assert export_vdir(folder, OPTIONS).written == 2  # the call to Yosef and the CFP
    Organization.update(name="Southwind Cloud").execute()
    assert export_vdir(folder, OPTIONS).written == 2  # Dana's two
    interactions.log_interaction(["Yosef"], date="2026-11-20", channel="email", summary="slides")
    assert export_vdir(folder, OPTIONS).written == 1

    files = _files(folder)
    fresh = tmp_path / "fresh"
    export_vdir(fresh, OPTIONS)
    assert files == _files(fresh)
    assert sum(b"Southwind Cloud" in data for data in files.values()) == 2


def test_nothing_changed_does_not_even_load_icalendar(calendar_db: Path, tmp_path: Path) -> None:
    # Timed follow-ups in two zones and a series: their first files need icalendar
    # (each VTIMEZONE); checking them again, in a fresh interpreter, needs none of it.
    import subprocess
    import sys

    folder = tmp_path / "vdir"
    export_vdir(folder, OPTIONS)
    argv = ["-m", "rapport", "--db", str(calendar_db), "export", "ics", "--todo", "--vdir"]
    again = subprocess.run(
        [sys.executable, "-X", "importtime", *argv, str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )

    assert "0 files written, 5 unchanged" in again.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in again.stderr.splitlines()}
    assert "rapport.calendar.export" in imported
    assert not {name for name in imported if name.split(".")[0] == "icalendar"}


def test_new_rules_for_a_zone_reach_its_files(
    calendar_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A new tz database (or icalendar) can change a VTIMEZONE: the timed follow-ups'
    # files are made again, the all-day ones are still vouched for.
    from rapport.calendar import export

    folder = tmp_path / "vdir"
    export_vdir(folder, OPTIONS)
    built: list[str] = []
    real = writer.followup_entry

    def counting(item: object, **kwargs: object) -> writer.Entry:
        built.append(item.followup.uid)  # type: ignore[attr-defined]
        return real(item, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(writer, "followup_entry", counting)
    monkeypatch.setattr(export, "_zone_rules", lambda name: b"TZif, as a new tzdata has it")
    export._zone_digest.cache_clear()
    try:
        again = export_vdir(folder, OPTIONS)
    finally:
        export._zone_digest.cache_clear()

    assert sorted(built) == ["followup-2@rapport", "followup-3@rapport", "followup-5@rapport"]
    assert (again.written, again.unchanged) == (0, 5)  # the same rules here: the same bytes


def test_last_touches_on_sqlites_own_connection_are_the_ones_on_the_models(
    calendar_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each contact's last touch is asked by statement (rapport.connection), the
    # text peewee wrote: the same touches, dates parsed as the models parse
    # them, interviews after interactions, and no statement left to the models.
    from rapport.db import close_database, open_database
    from rapport.models import Contact, database
    from rapport.services import calendar, interactions, interviews

    ids = [c.id for c in Contact.select(Contact.id).order_by(Contact.id)]
    interactions.log_interaction(["Yosef"], date="2026-11-20", channel="email", summary="slides")
    interviews.create_interview("Dana", when="2026-11-12", status="done")
    through_models = calendar.last_touches([*ids, 10_000])
    assert [(t.date.isoformat(), t.what) for t in through_models.values()] == [
        ("2026-11-12", "informational interview"),
        ("2026-11-20", "email: slides"),
    ]
    close_database()
    open_database(calendar_db, plain=True)

    def nowhere(*args: object, **kwargs: object) -> None:
        raise AssertionError("a statement of the last touches went through the models")

    monkeypatch.setattr(database.obj, "execute_sql", nowhere)
    assert calendar.last_touches([*ids, 10_000]) == through_models
