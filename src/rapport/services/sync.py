"""Two-way sync of follow-ups through a vdir: what changed elsewhere comes in, rapport's goes out.

Per item the sync record (rapport.models.SyncState) keeps the hash of the
file and both sides' fields as they were at the last sync.  A file whose
hash did not change is not even parsed; one that did is compared field by
field with what it said then, and rapport's follow-up with what it said then:

* changed elsewhere only: it comes in (completed -> done, and a repeating
  follow-up moves on as ``followups done`` does; DUE moved; SUMMARY or
  DESCRIPTION edited -> title or notes; RRULE changed -> the repeat);
* changed in rapport only: it goes out, written on the parsed component, with
  SEQUENCE one above the higher of the two sides;
* changed on both: completion wins; otherwise the side changed last
  (LAST-MODIFIED against rapport's own time of change) wins, field by field,
  and the losing value is kept in the follow-up's notes and in the report.

A file deleted elsewhere never deletes a follow-up: it is marked and listed
until the person confirms (``resolve_deleted``).  A follow-up deleted in
rapport removes its file only if nobody changed the file meanwhile.  Files
rapport cannot read, whose UID does not match their name, or that share a
UID with another file are reported and left alone.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapport import clock
from rapport.calendar import export
from rapport.calendar.items import CalendarFollowUp, ExportOptions, parse_due_text
from rapport.calendar.vdir import (
    ALARM,
    FLOATING,
    OLD_RULE,
    RULE,
    SYNC_FIELDS,
    BadItem,
    VdirItem,
    comparable,
    content_hash,
    edited_item,
    floating_due,
    followup_fields,
    kept,
    new_item,
    rapports_alarm,
    read_item,
    same,
    vdir_files,
    written_rule,
)
from rapport.errors import NotFound, RapportError, ValidationError
from rapport.files import expanded, private_folder, write_private_files
from rapport.models import FollowUp, FollowUpTombstone, SyncState, database
from rapport.services import calendar as followup_source
from rapport.services import clean
from rapport.services import followups as followup_service
from rapport.services.resolve import resolve_followup

# The report's names stay importable from here, where the faces look for them.
from rapport.services.sync_records import CHANGE_WORDS as CHANGE_WORDS
from rapport.services.sync_records import (
    Progress,
    SavedState,
    StateRows,
    SyncReport,
    checked_folder,
    folder_states,
    mark_folder,
    merge_fields,
    name_fits_uid,
    one_line,
    silent,
    told,
)
from rapport.words import plural, rule_words


@dataclass
class _File:
    name: str
    data: bytes
    hash: str
    parsed: VdirItem | None = None  # None: unchanged since the last sync, not parsed


def title_from_summary(summary: str, contact_name: str = "") -> str:
    """The follow-up title a SUMMARY says, without the "Follow up with Dana: " rapport adds.

    Behind that, rapport wrote the title's first word in lower case ("Follow
    up: send ..." for "Send ..."): a first word all in lower case gets its
    capital back.
    """
    text = " ".join(summary.split())
    for prefix in (f"Follow up with {contact_name}: " if contact_name else "", "Follow up: "):
        if prefix and text.startswith(prefix):
            text = text[len(prefix) :].strip()
            first = text.split(" ", 1)[0]
            if first.isalpha() and first.islower():
                text = text[0].upper() + text[1:]
            break
    text = text.strip() or "(untitled task)"
    return text if len(text) <= 500 else text[:499] + "…"


def notes_from_description(description: str, item: CalendarFollowUp | None) -> str:
    """The notes a DESCRIPTION says: what follows rapport's "Notes:" line, or all of it."""
    if item is not None:
        full = export.description_text(item)
        notes = item.followup.notes
        suffix = f"\n\nNotes:\n{notes}" if notes else ""
        head = full[: -len(suffix)] if suffix and full.endswith(suffix) else full
        if description.strip() == head.strip():
            return ""
        if description.startswith(head + "\n\nNotes:\n"):
            return description[len(head) + len("\n\nNotes:\n") :]
    marker = description.find("\nNotes:\n")
    if marker >= 0:
        return description[marker + len("\nNotes:\n") :]
    return description


def _state_kind(todo: bool) -> str:
    return "todo" if todo else "event"


def _read_folder(
    folder: Path, states: dict[str, SavedState], kind: str, report: SyncReport
) -> tuple[dict[str, _File], set[str]]:
    """The vdir's items by UID (unchanged ones unparsed), and the UIDs left alone."""
    by_href = {s.href: s for s in states.values()}
    found: dict[str, _File] = {}
    blocked: set[str] = set()
    for path, data, digest in vdir_files(folder, ".ics"):
        known = by_href.get(path.name)
        if known is not None and known.hash == digest:
            found[known.uid] = _File(path.name, data, digest)
            continue
        try:
            parsed = read_item(path.name, data, kind=kind)
        except BadItem as exc:
            report.add("unreadable", "", path.name, str(exc))
            if known is not None:
                blocked.add(known.uid)
            continue
        if parsed is None:
            continue
        uid = parsed.uid
        if not name_fits_uid(path.name, uid, ".ics"):
            report.add("mismatch", uid, path.name, f"holds UID {uid}")
            blocked.add(uid)
            continue
        if uid in found:
            report.add("duplicate", uid, path.name, f"also in {found[uid].name}")
            blocked.add(uid)
            continue
        found[uid] = _File(path.name, data, digest, parsed)
    return found, blocked


def sync_followups(
    folder: Path,
    options: ExportOptions | None = None,
    *,
    dry_run: bool = False,
    take_new: bool = True,
    push: bool = True,
    create: bool = False,
    progress: Progress = silent,
) -> SyncReport:
    """Sync the follow-ups with the vdir ``folder`` both ways; return what happened.

    ``progress`` is told how many items are decided, then how many files
    are written.  ``options.todo`` chooses VTODO (the full two-way mode) or VEVENT files;
    goal/contact/dates choose which open follow-ups go out (those already in
    the vdir always stay in sync).  ``take_new`` False leaves tasks created
    elsewhere out.  ``push`` False only takes in (no file is written or
    removed): what would go out waits for the next sync, so a ``vdirsyncer
    sync`` run right after finds nothing changed on both sides.  A dry run
    changes nothing anywhere.  Raises NotFound for a missing folder
    (``create`` makes it, mode 0700), RapportError for one rapport cannot
    read or write, ValidationError for bad options; then nothing is written.
    """
    options = options or ExportOptions(todo=True)
    folder = expanded(folder, "vdir")
    if create and not dry_run:
        private_folder(folder)
    folder = checked_folder(folder, dry_run=dry_run)
    alarm = export.parse_alarm(options.alarm)
    kind = "VTODO" if options.todo else "VEVENT"
    report = SyncReport(str(folder), dry_run=dry_run)
    writes: list[tuple[Path, bytes]] = []
    removes: list[Path] = []
    with database.atomic() as transaction:
        chosen = followup_source.followups_for_calendar(
            goal=options.goal, contact=options.contact, since=options.since, until=options.until
        )
        items = {c.followup.uid: c for c in chosen}
        key, states = folder_states(folder, _state_kind(options.todo), ".ics", report, items)
        files, blocked = _read_folder(folder, states, kind, report)
        more = (set(states) | set(files)) - set(items)
        items.update((c.followup.uid, c) for c in followup_source.followups_by_uid(more))
        step = _Step(folder, key, options.todo, alarm, report, writes, removes, take_new, push)
        noun = "tasks" if options.todo else "events"
        for uid in told(sorted(set(items) | set(states) | set(files)), noun, progress):
            if uid not in blocked:
                step.one(uid, items.get(uid), states.get(uid), files.get(uid))
        step.states.flush()
        report.rows_written = step.rows
        if dry_run:
            transaction.rollback()
            return report
        # Files first, then the record: a crash in between leaves files the
        # next sync reads as changed elsewhere, with the values they already
        # hold, so it converges instead of taking old values back.
        if writes:
            progress(
                f"writing {plural(len(writes), 'task file' if options.todo else 'event file')}",
                0,
                0,
            )
        report.files_written = write_private_files(writes)
        if push:
            report.rows_written += mark_folder(folder, key)
        for path in removes:
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise RapportError(f"cannot remove {path}: {exc.strerror or exc}") from None
        report.files_removed = len(removes)
    return report


def _repeat_words(description: str) -> str:
    """The "Repeats:" line of a DESCRIPTION rapport wrote (entries.description_text), in words."""
    for line in description.split("\n")[1:]:
        if line == "Notes:":
            break
        if line.startswith("Repeats: "):
            return line[len("Repeats: ") :]
    return ""


def _repeat_base(
    state: SavedState | None,
    item: CalendarFollowUp,
    ours: dict[str, Any],
    theirs: dict[str, Any],
    base_ours: dict[str, Any],
    base_theirs: dict[str, Any],
    *,
    file_changed: bool,
) -> None:
    """The repeat at the last sync, for a record from before rapport kept the person's
    repeat in it (none, or rapport's rule anchored to that day's due); left out where
    it cannot be told, so that side counts as changed.

    rapport's side is told by the words its DESCRIPTION said then ("Repeats: every
    week"): the same words now, the same repeat.  Then the file's: an older rapport
    never took a repeat in, so with rapport's unchanged, a file repeating otherwise
    than rapport writes was changed elsewhere and comes in (an end the phone set is
    not overwritten by a snooze after the upgrade).  With rapport's changed, the
    file's is what that record says it was, or, the file untouched since, what it is.
    """
    if state is None:
        return
    f = item.followup
    if RULE not in base_ours and rule_words(f.rrule or "") == _repeat_words(
        str(base_ours.get("description", ""))
    ):
        base_ours[RULE] = ours[RULE]
    if RULE in base_theirs:
        return
    if f.done:
        base_theirs[RULE] = theirs[RULE]  # a done follow-up's series is over on both sides
    elif RULE in base_ours and base_ours[RULE] == ours[RULE]:
        base_theirs[RULE] = written_rule(item, theirs["due"])
    elif OLD_RULE in base_theirs:
        base_theirs[RULE] = base_theirs[OLD_RULE]
    elif not file_changed:
        base_theirs[RULE] = theirs[RULE]


def _repeat_shown(rule: str | None) -> str:
    """A repeat as the person reads it: "every 2 months", "none"; a rule with no plain
    wording as written, on one line and without control characters."""
    return one_line(rule_words(rule or "")) or "none"


def _goes_out(
    name: str,
    ours: dict[str, Any],
    after: dict[str, Any],
    theirs: dict[str, Any],
    take: dict[str, Any],
    send: set[str],
) -> bool:
    """Whether a field goes out to the file after what was taken in: changed in rapport,
    or moved on by what it took (a repeat ticked off elsewhere goes on to its next date).
    A field nobody changed is not rewritten, though rapport would word it otherwise (a
    phone's own SUMMARY, a zone-less due read in the machine's zone of the day)."""
    if same(name, after[name], theirs[name]):
        return False  # a due the phone wrote in another zone, at the same moment, stays
    if name in send:
        return True
    if name in take:
        return name in ("done", "due")
    return not same(name, after[name], ours[name])


def _kept_repeat(theirs: dict[str, Any], undated: dt.date) -> str | None:
    """The file's repeat as a follow-up keeps it ("" for none), counted from the file's
    due (``undated`` for a file with none); None if rapport cannot repeat by it (two
    RRULEs, BYSETPOS, hourly...)."""
    text = theirs[RULE]
    if text is None:
        return ""
    day = parse_due_text(theirs["due"])[0] if theirs["due"] else undated
    try:
        return followup_service.parse_repeat(text, start=day)
    except ValidationError:
        pass
    from rapport.recurrence import series_rule

    # A series whose UNTIL passed before this occurrence: this one is its last.
    try:
        after = series_rule(text, day).after(dt.datetime.combine(day, dt.time()), inc=True)
    except (ValueError, TypeError, OverflowError):
        return None
    return "" if after is None else None


class _Step:
    """The decision for one UID, and the writes it takes (collected, not yet done)."""

    def __init__(
        self,
        folder: Path,
        key: str,
        todo: bool,
        alarm: dt.timedelta | None,
        report: SyncReport,
        writes: list[tuple[Path, bytes]],
        removes: list[Path],
        take_new: bool,
        push: bool,
    ) -> None:
        self.folder, self.key, self.todo, self.alarm = folder, key, todo, alarm
        self.kind = "VTODO" if todo else "VEVENT"
        self.report, self.writes, self.removes, self.take_new = report, writes, removes, take_new
        self.rows = 0
        self.push = push
        self.states = StateRows()

    def one(
        self,
        uid: str,
        item: CalendarFollowUp | None,
        state: SavedState | None,
        file: _File | None,
    ) -> None:
        if item is None:
            self._not_a_followup(uid, state, file)
        elif file is None:
            self._no_file(item, state)
        else:
            self._both(item, state, file)

    # -- the cases ------------------------------------------------------------

    def _not_a_followup(self, uid: str, state: SavedState | None, file: _File | None) -> None:
        if state is None:
            if file is None or file.parsed is None:
                return
            if FollowUpTombstone.select().where(FollowUpTombstone.uid == uid).exists():
                return  # deleted in rapport before this vdir was synced: not new
            if not self.take_new:
                self.report.add("skipped-new", uid, file.parsed.fields["summary"])
                return
            self._create(file)
            return
        if file is None:
            self._forget(state)
        elif not self.push:
            return
        elif file.parsed is None:  # unchanged since rapport wrote it: rapport's delete goes out
            self.removes.append(self.folder / file.name)
            self._forget(state)
            self.report.add("removed", uid, file.name)
        else:
            self.report.add(
                "conflict",
                uid,
                file.parsed.fields["summary"],
                "deleted in rapport, changed elsewhere since: the file is kept",
            )

    def _no_file(self, item: CalendarFollowUp, state: SavedState | None) -> None:
        f = item.followup
        if state is None:
            if f.done or not self.push:
                return
            data = new_item(item, todo=self.todo, alarm=self.alarm)
            self._write(item, export.vdir_filename(f.uid), data, f.sequence)
            self.report.add("sent", f.uid, f.title, "new")
            return
        if f.done:  # done here and gone there: nothing left to agree on
            self._forget(state)
            return
        if state.gone_at is None:  # told once; then `rapport sync deleted` lists it
            state.mark_gone()
            self.rows += 1
            self.report.add("deleted-elsewhere", f.uid, f.title, f"follow-up {f.id}")

    def _both(self, item: CalendarFollowUp, state: SavedState | None, file: _File) -> None:
        f = item.followup
        ours = followup_fields(item)
        base_ours = comparable(json.loads(state.ours)) if state else {}
        base_theirs = comparable(json.loads(state.theirs)) if state else {}
        if file.parsed is None:
            send = {n for n in SYNC_FIELDS if not same(n, ours[n], base_ours.get(n))}
            if RULE in base_ours and ours[RULE] != base_ours[RULE]:
                send.add(RULE)
            if not self.push or (not send and state is not None and state.gone_at is None):
                return  # nothing changed on either side: not a byte read or written
            file.parsed = read_item(file.name, file.data, kind=self.kind)
            assert file.parsed is not None
            theirs = file.parsed.fields
            send.discard(RULE)
            _repeat_base(state, item, ours, theirs, base_ours, base_theirs, file_changed=False)
            take, send, losers = self._merge_repeat(
                item, ours, theirs, base_ours, base_theirs, file.parsed, {}, send, []
            )
        else:
            theirs = file.parsed.fields
            if state is None:
                # A file from before sync kept a record: the higher SEQUENCE says who moved.
                if file.parsed.sequence > f.sequence:
                    base_ours, base_theirs = dict(ours), {}
                else:
                    base_ours, base_theirs = {}, dict(theirs)
            _repeat_base(state, item, ours, theirs, base_ours, base_theirs, file_changed=True)
            take, send, losers = self._merge(
                item, ours, theirs, base_ours, base_theirs, file.parsed
            )
        reminder = rapports_alarm(
            file.parsed.component,
            base_ours.get(ALARM),
            (str(base_ours.get("summary", "")), str(theirs["summary"])),
        )
        if take:
            item = self._take(item, take, file.parsed)
        if losers:
            # After taking in: notes taken from the phone would replace the losing
            # value (rapport's own notes, often) instead of keeping it beside them.
            self._keep_losers(item, losers)
        after = followup_fields(item)
        after[ALARM] = reminder
        outgoing = {
            n: after[n] for n in SYNC_FIELDS if _goes_out(n, ours, after, theirs, take, send)
        }
        if RULE in send:
            outgoing[RULE] = after[RULE]
        f = item.followup
        if outgoing and not self.push:
            # Taken in, but what goes back waits for the push: recorded as not yet sent
            # (a repeat as "", which no follow-up's repeat is).
            waiting = {**after, **{n: theirs[n] if n != RULE else "" for n in outgoing}}
            self._record(item, file.name, file.hash, file.parsed.sequence, waiting, theirs)
            return
        if outgoing:
            # One above what the phone last saw: an edit in rapport already raised
            # the follow-up's own, and that one change must not count twice.
            seen = max(file.parsed.sequence, state.sequence if state else 0)
            sequence = max(f.sequence, seen + 1)
            data, after[ALARM] = edited_item(
                file.parsed,
                item,
                outgoing,
                sequence=sequence,
                modified=f.updated_at,
                reminder=reminder,
                alarm=self.alarm,
            )
            self._write(item, file.name, data, sequence, after=after)
            if not take:
                self.report.add("sent", f.uid, f.title, ", ".join(sorted(outgoing)))
            return
        # Nothing to send: the file stands; rapport's SEQUENCE never stays below it.
        self._record(item, file.name, file.hash, file.parsed.sequence, after, theirs)

    # -- merging ----------------------------------------------------------------

    def _merge(
        self,
        item: CalendarFollowUp,
        ours: dict[str, Any],
        theirs: dict[str, Any],
        base_ours: dict[str, Any],
        base_theirs: dict[str, Any],
        parsed: VdirItem,
    ) -> tuple[dict[str, Any], set[str], list[str]]:
        """What to take in, what to send, and the losers of conflicts (to keep in notes)."""
        theirs_newer = (parsed.last_modified or dt.datetime.min) > item.followup.updated_at
        take, send, losers = merge_fields(
            SYNC_FIELDS, ours, theirs, base_ours, base_theirs, theirs_newer=theirs_newer, same=same
        )
        return self._merge_repeat(
            item, ours, theirs, base_ours, base_theirs, parsed, take, send, losers
        )

    def _merge_repeat(
        self,
        item: CalendarFollowUp,
        ours: dict[str, Any],
        theirs: dict[str, Any],
        base_ours: dict[str, Any],
        base_theirs: dict[str, Any],
        parsed: VdirItem,
        take: dict[str, Any],
        send: set[str],
        losers: list[str],
    ) -> tuple[dict[str, Any], set[str], list[str]]:
        """The repeat merged three-way like the other fields: what to take in, what to
        send, and the losers of conflicts (kept in notes once the rest is taken in).

        Changed in rapport only: rapport's goes out.  Changed elsewhere only (an end
        set on the phone, the repeat stopped there): rapport takes it, counted from
        the file's due, so both sides go through the same dates and end together.
        Changed on both: the side changed last wins and the loser is kept in words.
        A side missing from the base counts as changed.  A repeat rapport cannot keep
        stays in the file alone, and the person is told.
        """
        if written_rule(item, theirs["due"]) != theirs[RULE]:
            here = RULE not in base_ours or ours[RULE] != base_ours[RULE]
            there = RULE not in base_theirs or theirs[RULE] != base_theirs[RULE]
            kept = _kept_repeat(theirs, item.followup.due_date) if there else None
            theirs_newer = (parsed.last_modified or dt.datetime.min) > item.followup.updated_at
            if here and (not there or not theirs_newer or kept is None):
                send.add(RULE)
                if there:
                    losers.append(f"repeat elsewhere was: {_repeat_shown(theirs[RULE])}")
            elif there and kept is not None:
                take[RULE] = kept
                if here:
                    losers.append(f"repeat in rapport was: {_repeat_shown(ours[RULE])}")
            elif there:
                losers.append(
                    f"repeat elsewhere {_repeat_shown(theirs[RULE])} is not one rapport can"
                    f" keep: the file keeps it, rapport repeats {_repeat_shown(ours[RULE])}"
                )
        if losers:
            send.add("description")
        return take, send, losers

    def _keep_losers(self, item: CalendarFollowUp, losers: list[str]) -> None:
        f = item.followup
        stamp = clock.today().isoformat()
        lines = "\n".join(f"Sync conflict {stamp}: {loser}" for loser in losers)
        f.notes = f"{f.notes}\n\n{lines}" if f.notes else lines
        f.save()
        self.rows += 1
        self.report.add("conflict", f.uid, f.title, "; ".join(losers))

    def _take(
        self, item: CalendarFollowUp, take: dict[str, Any], parsed: VdirItem
    ) -> CalendarFollowUp:
        f = item.followup
        contact_name = item.contact.name if item.contact else ""
        changed = False
        if "summary" in take:
            f.title = title_from_summary(take["summary"], contact_name)
            self.report.add("renamed", f.uid, f.title)
            changed = True
        if "description" in take:
            f.notes = clean.free_text(notes_from_description(take["description"], item))
            self.report.add("notes", f.uid, f.title)
            changed = True
        if take.get("due"):
            f.due_date, f.due_time, f.tz = floating_due({**parsed.fields, "due": take["due"]})
            self.report.add("moved", f.uid, f.title, take["due"])
            changed = True
        if RULE in take:
            # Counted from the file's due, where the file's RRULE counts from.
            f.rrule = take[RULE]
            due = parsed.fields["due"]
            f.series_start = (parse_due_text(due)[0] if due else f.due_date) if f.rrule else None
            self.report.add("repeat", f.uid, f.title, rule_words(f.rrule) or "no longer repeats")
            changed = True
        if changed:
            f.sequence = max(f.sequence, parsed.sequence)
            f.bump()
            self.rows += 1
        if "done" in take:
            if take["done"]:
                before = f.due_date
                followup_service.complete_followup(f)
                moved = f" (next: {f.due_date.isoformat()})" if not f.done else ""
                self.report.add("done", f.uid, f.title, f"was due {before.isoformat()}{moved}")
            else:
                followup_service.reopen_followup(f)
                self.report.add("reopened", f.uid, f.title)
            self.rows += 1
        # Read again: the goals and contact around it are unchanged, the row is not.
        return followup_source.followups_by_uid([f.uid])[0]

    # -- writing ------------------------------------------------------------------

    def _create(self, file: _File) -> None:
        parsed = file.parsed
        assert parsed is not None
        fields = parsed.fields
        due = floating_due(fields) if fields["due"] else (clock.today(), None, "")
        # A task repeating on the phone repeats in rapport too (else its first tick
        # there would end the phone's series); one rapport cannot keep stays in the file.
        rule = _kept_repeat(fields, due[0]) or ""
        record = FollowUp(
            title=title_from_summary(fields["summary"]),
            notes=clean.free_text(notes_from_description(fields["description"], None)),
            due_date=due[0],
            due_time=due[1],
            tz=due[2],
            uid=parsed.uid,
            sequence=parsed.sequence,
            done=bool(fields["done"]),
            done_at=clock.utcnow() if fields["done"] else None,
            rrule=rule,
            series_start=due[0] if rule else None,
        )
        record.save(force_insert=True)
        self.rows += 1
        item = followup_source.followups_by_uid([parsed.uid])[0]
        ours = {**followup_fields(item), ALARM: ""}  # the reminders in it are the phone's
        self._record(item, file.name, file.hash, parsed.sequence, ours, fields)
        self.report.add("new", parsed.uid, record.title, f"follow-up {record.id}")

    def _write(
        self,
        item: CalendarFollowUp,
        name: str,
        data: bytes,
        sequence: int,
        *,
        after: dict[str, Any] | None = None,
    ) -> None:
        f = item.followup
        if f.sequence != sequence:
            # SEQUENCE is not a change a person made: updated_at stays.
            FollowUp.update(sequence=sequence).where(FollowUp.id == f.id).execute()
            f.sequence = sequence
            self.rows += 1
        self.writes.append((self.folder / name, data))
        ours = after if after is not None else followup_fields(item)
        if after is None:
            # A new file says what rapport says (a test holds the two equal): not parsed back.
            theirs = {**ours, RULE: written_rule(item)}
            ours[ALARM] = ours["summary"] if self.alarm is not None and not f.done else ""
        else:
            written = read_item(name, data, kind=self.kind)
            assert written is not None
            theirs = written.fields
        self._record(item, name, content_hash(data), sequence, ours, theirs)

    def _record(
        self,
        item: CalendarFollowUp,
        name: str,
        digest: str,
        sequence: int,
        ours: dict[str, Any],
        theirs: dict[str, Any],
    ) -> None:
        f = item.followup
        if f.sequence < sequence:
            FollowUp.update(sequence=sequence).where(FollowUp.id == f.id).execute()
            f.sequence = sequence
        values = {
            "href": name,
            "hash": digest,
            "sequence": max(sequence, f.sequence),
            "rapport_sequence": f.sequence,
            "ours": json.dumps(kept(ours, floating=not f.tz), sort_keys=True),
            "theirs": json.dumps(kept(theirs, floating=bool(theirs.get(FLOATING))), sort_keys=True),
            "gone_at": None,
            "synced_at": clock.utcnow(),
        }
        self.states.add(vdir=self.key, uid=f.uid, kind=_state_kind(self.todo), **values)
        self.rows += 1

    def _forget(self, state: SavedState) -> None:
        state.forget()
        self.rows += 1


@dataclass(frozen=True)
class DeletedElsewhere:
    """A follow-up whose file another client deleted, waiting for the person's word."""

    followup_id: int
    uid: str
    title: str
    vdir: str
    gone_at: dt.datetime


def deleted_elsewhere() -> list[DeletedElsewhere]:
    """Follow-ups whose vdir file was deleted by another client, oldest first.

    Each once, in the folder where it was first seen gone: a whole copy of a
    folder carries the record along, and one word (``resolve_deleted``) settles
    it for every folder."""
    rows = (
        SyncState.select(
            FollowUp.id, SyncState.uid, FollowUp.title, SyncState.vdir, SyncState.gone_at
        )
        .join(FollowUp, on=(FollowUp.uid == SyncState.uid))
        .where(SyncState.gone_at.is_null(False) & SyncState.kind.in_(("todo", "event")))
        .order_by(SyncState.gone_at, SyncState.id)
        .tuples()
    )
    waiting: dict[int, DeletedElsewhere] = {}
    for row in rows:
        waiting.setdefault(row[0], DeletedElsewhere(*row))
    return list(waiting.values())


def resolve_deleted(*, delete: Sequence[object] = (), restore: Sequence[object] = ()) -> None:
    """Confirm deletions made elsewhere (``delete``: the follow-ups go too), or put the
    files back at the next sync (``restore``), in one transaction.

    Raises NotFound, before any change, for a follow-up not waiting for confirmation.
    """
    chosen = [(resolve_followup(ref), True) for ref in delete]
    chosen += [(resolve_followup(ref), False) for ref in restore]
    waiting = {d.uid for d in deleted_elsewhere()}
    for followup, _ in chosen:
        if followup.uid not in waiting:
            raise NotFound(f"follow-up {followup.id} was not deleted elsewhere")
    with database.atomic():
        for followup, gone in chosen:
            SyncState.delete().where(SyncState.uid == followup.uid).execute()
            if gone:
                followup_service.delete_followup(followup)
