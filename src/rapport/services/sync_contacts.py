"""Two-way sync of contacts through a vCard vdir (one UID.vcf per contact), by follow-ups' rules.

The sync record (SyncState, kind "contact") keeps, per card, the file's hash
and both sides' fields at the last sync: an unchanged file is not parsed, a
changed one is compared field by field (name, email, phone, organization,
role, notes, birthday, location).  Changed on one side, the field goes to
the other; changed on both, the side changed last wins and the loser is kept
in the contact's notes and the report.  A card deleted elsewhere is listed
(archive or restore it), never deleted; a card made on the phone becomes a
contact; a contact deleted in rapport removes its card if nobody changed it.

A contact's card UID is the one rapport's vCard export gives it (an imported
card's own, else one derived from its id); a card made on the phone keeps its
UID, which becomes the contact's, and the record remembers the contact too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rapport import clock
from rapport.calendar.vdir import content_hash, vdir_files
from rapport.errors import NotFound, ValidationError
from rapport.files import expanded, private_folder, write_private_files
from rapport.importers.vdir_cards import (
    CARD_FIELDS,
    BadCard,
    CardItem,
    card_filename,
    card_uid,
    edited_card,
    new_card,
    read_card,
)
from rapport.models import Contact, SyncState, database
from rapport.services import contacts as contact_service
from rapport.services.exchange import contact_records
from rapport.services.resolve import resolve_contact
from rapport.services.sync_records import (
    Progress,
    SavedState,
    StateRows,
    SyncReport,
    checked_folder,
    folder_states,
    merge_fields,
    name_fits_uid,
    silent,
    told,
)
from rapport.words import plural

KIND = "contact"
# The one version rapport writes new cards of a vdir in (``rapport sync`` and
# ``export vcard --vdir`` alike): khard writes and reads 3.0 best, and it is
# what CardDAV address books on phones have always taken.  A card already in
# the vdir keeps its own version when rapport edits it.
CARD_VERSION = "3.0"


def _ours(record: dict[str, Any]) -> dict[str, str]:
    values = {name: record.get(name) or "" for name in CARD_FIELDS}
    values["birthday"] = str(values["birthday"] or "")
    return {name: str(value) for name, value in values.items()}


class _Cards:
    """One sync of a contacts vdir: decisions per card, writes collected until the end."""

    def __init__(
        self, folder: Path, report: SyncReport, take_new: bool, progress: Progress
    ) -> None:
        self.folder, self.report, self.take_new = folder, report, take_new
        self.progress = progress
        self.key = ""  # run() reads it with the folder's records
        self.writes: list[tuple[Path, bytes]] = []
        self.removes: list[Path] = []
        self.rows = 0
        self.states = StateRows()

    def run(self) -> None:
        self.key, states = folder_states(self.folder, KIND, ".vcf", self.report)
        files, blocked = self._read(states)
        records = {r["id"]: r for r in contact_records()}
        by_uid: dict[str, dict[str, Any]] = {}
        claimed = {s.record_id for s in states.values() if s.record_id is not None}
        for state in states.values():
            if state.record_id in records:
                by_uid[state.uid] = records[state.record_id]
        # An archived contact is hidden: no new card for it (one already synced stays).
        archived = {i for (i,) in Contact.select(Contact.id).where(Contact.archived).tuples()}
        for record in records.values():
            if record["id"] not in claimed and record["id"] not in archived:
                by_uid.setdefault(card_uid(record), record)
        for uid in told(sorted(set(by_uid) | set(states) | set(files)), "contacts", self.progress):
            if uid not in blocked:
                self._one(uid, by_uid.get(uid), states.get(uid), files.get(uid))

    def _read(
        self, states: dict[str, SavedState]
    ) -> tuple[dict[str, tuple[str, bytes, str, CardItem | None]], set[str]]:
        by_href = {s.href: s for s in states.values()}
        found: dict[str, tuple[str, bytes, str, CardItem | None]] = {}
        blocked: set[str] = set()
        for path, data, digest in vdir_files(self.folder, ".vcf"):
            known = by_href.get(path.name)
            if known is not None and known.hash == digest:
                found[known.uid] = (path.name, data, digest, None)
                continue
            try:
                item = read_card(path.name, data)
            except BadCard as exc:
                self.report.add("unreadable", "", path.name, str(exc))
                if known is not None:
                    blocked.add(known.uid)
                continue
            if not name_fits_uid(path.name, item.uid, ".vcf"):
                self.report.add("mismatch", item.uid, path.name, f"holds UID {item.uid}")
                blocked.add(item.uid)
                continue
            if item.uid in found:
                self.report.add("duplicate", item.uid, path.name, f"also in {found[item.uid][0]}")
                blocked.add(item.uid)
                continue
            found[item.uid] = (path.name, data, digest, item)
        return found, blocked

    def _one(
        self,
        uid: str,
        record: dict[str, Any] | None,
        state: SavedState | None,
        file: tuple[str, bytes, str, CardItem | None] | None,
    ) -> None:
        if record is None:
            if state is None:
                if file is not None and file[3] is not None:
                    self._create(file[3], file[2])
                return
            if file is None:
                state.forget()
                self.rows += 1
            elif file[3] is None:
                self.removes.append(self.folder / file[0])
                state.forget()
                self.rows += 1
                self.report.add("removed", uid, file[0])
            else:
                self.report.add(
                    "conflict",
                    uid,
                    file[3].fields["name"],
                    "deleted in rapport, changed elsewhere since: the card is kept",
                )
            return
        ours = _ours(record)
        if file is None:
            if state is None:
                data = new_card(record, CARD_VERSION)
                name = card_filename(uid)
                self.writes.append((self.folder / name, data))
                # A new card says what rapport says (a test holds the two equal): not parsed back.
                self._record(uid, record["id"], name, data, ours, ours)
                self.report.add("sent", uid, record["name"], "new")
            else:
                if state.gone_at is None:  # told once; then `rapport sync deleted` lists it
                    state.mark_gone()
                    self.rows += 1
                    self.report.add(
                        "deleted-elsewhere", uid, record["name"], f"contact {record['id']}"
                    )
            return
        name, data, digest, item = file
        base_ours = json.loads(state.ours) if state else {}
        base_theirs = json.loads(state.theirs) if state else {}
        if item is None:
            if state is not None and state.gone_at is None and ours == base_ours:
                return  # nothing changed on either side
            item = read_card(name, data)
            take: dict[str, str] = {}
            send = {n for n in CARD_FIELDS if ours[n] != base_ours.get(n)}
        else:
            if state is None:
                base_ours, base_theirs = {}, dict(item.fields)  # rapport's export first
            theirs_newer = True  # a card carries no reliable time of change: the phone's wins
            take, send, losers = merge_fields(
                CARD_FIELDS, ours, item.fields, base_ours, base_theirs, theirs_newer=theirs_newer
            )
            if losers:
                self.report.add("conflict", uid, record["name"], "; ".join(losers))
                take["notes"] = self._with_losers(take.get("notes", ours["notes"]), losers)
        if take:
            record = self._take(record, take, uid)
            ours = _ours(record)
        outgoing = {n: ours[n] for n in CARD_FIELDS if ours[n] != item.fields[n] and n not in take}
        outgoing.update({n: ours[n] for n in send if ours[n] != item.fields[n]})
        if "notes" in take and ours["notes"] != item.fields["notes"]:
            outgoing["notes"] = ours["notes"]  # the conflict's loser, kept on both sides
        if outgoing:
            data = edited_card(item, outgoing)
            self.writes.append((self.folder / name, data))
            self._record(uid, record["id"], name, data, ours, read_card(name, data).fields)
            if not take:
                self.report.add("sent", uid, record["name"], ", ".join(sorted(outgoing)))
            return
        self._record(uid, record["id"], name, data, ours, item.fields, digest=digest)

    def _with_losers(self, notes: str, losers: list[str]) -> str:
        stamp = clock.today().isoformat()
        lines = "\n".join(f"Sync conflict {stamp}: {loser}" for loser in losers)
        return f"{notes}\n\n{lines}" if notes else lines

    def _take(self, record: dict[str, Any], take: dict[str, str], uid: str) -> dict[str, Any]:
        changes: dict[str, Any] = dict(take)
        try:
            contact_service.update_contact(record["id"], **changes)
        except ValidationError as exc:
            # One field the phone holds that rapport cannot store: the rest comes in.
            bad = {"linkedin": "linkedin_url"}.get(exc.field, exc.field)
            changes.pop(bad, None)
            self.report.add("unreadable", uid, record["name"], f"{exc}; left out")
            if changes:
                contact_service.update_contact(record["id"], **changes)
        self.rows += 1
        words = ", ".join(sorted(changes))
        self.report.add("changed", uid, record["name"], words)
        return next(contact_records(ids=[record["id"]]))

    def _create(self, item: CardItem, digest: str) -> None:
        if not self.take_new:
            self.report.add("skipped-new", item.uid, item.fields["name"])
            return
        values = {k: v for k, v in item.fields.items() if v and k != "name"}
        try:
            contact = contact_service.create_contact(
                item.fields["name"] or "(no name)", allow_duplicate=True, **values
            )
        except ValidationError as exc:
            self.report.add("unreadable", item.uid, item.name, str(exc))
            return
        # The card's UID is the contact's from now on, as for an imported card.
        Contact.update(vcard_uid=item.uid).where(Contact.id == contact.id).execute()
        self.rows += 1
        record = next(contact_records(ids=[contact.id]))
        self._record(
            item.uid, contact.id, item.name, b"", _ours(record), item.fields, digest=digest
        )
        self.report.add("new", item.uid, contact.name, f"contact {contact.id}")

    def _record(
        self,
        uid: str,
        record_id: int,
        name: str,
        data: bytes,
        ours: dict[str, str],
        theirs: dict[str, str],
        *,
        digest: str | None = None,
    ) -> None:
        values = {
            "href": name,
            "hash": digest or content_hash(data),
            "record_id": record_id,
            "ours": json.dumps(ours, sort_keys=True),
            "theirs": json.dumps(theirs, sort_keys=True),
            "gone_at": None,
            "synced_at": clock.utcnow(),
        }
        self.states.add(vdir=self.key, uid=uid, kind=KIND, **values)
        self.rows += 1


def sync_contacts(
    folder: Path,
    *,
    dry_run: bool = False,
    take_new: bool = True,
    create: bool = False,
    progress: Progress = silent,
) -> SyncReport:
    """Sync contacts with the vCard vdir ``folder`` both ways; return what happened.

    New cards are vCard CARD_VERSION (3.0).  ``progress`` is told how many
    contacts are decided, then how many cards are written.

    Raises NotFound for a missing folder (``create`` makes it), RapportError
    for one rapport cannot write; then nothing is written.  A dry run
    changes nothing anywhere.
    """
    folder = expanded(folder, "vdir")
    if create and not dry_run:
        private_folder(folder)
    folder = checked_folder(folder, dry_run=dry_run)
    report = SyncReport(str(folder), dry_run=dry_run)
    with database.atomic() as transaction:
        cards = _Cards(folder, report, take_new, progress)
        cards.run()
        cards.states.flush()
        report.rows_written = cards.rows
        if dry_run:
            transaction.rollback()
            return report
        # Files first, then the record (see sync_followups).
        if cards.writes:
            progress(f"writing {plural(len(cards.writes), 'card')}", 0, 0)
        report.files_written = write_private_files(cards.writes)
        for path in cards.removes:
            path.unlink(missing_ok=True)
        report.files_removed = len(cards.removes)
    return report


def cards_deleted_elsewhere() -> list[tuple[int, str, str]]:
    """(contact id, name, vdir) of contacts whose card another client deleted, each once
    (in the folder where it was first seen gone: a whole copy carries the record along)."""
    rows = (
        SyncState.select(SyncState.record_id, SyncState.vdir, Contact.name)
        .join(Contact, on=(Contact.id == SyncState.record_id))
        .where((SyncState.kind == KIND) & SyncState.gone_at.is_null(False))
        .order_by(SyncState.gone_at, SyncState.id)
        .tuples()
    )
    waiting: dict[int, tuple[int, str, str]] = {}
    for record_id, vdir, name in rows:
        waiting.setdefault(record_id, (record_id, name, vdir))
    return list(waiting.values())


def resolve_deleted_cards(
    *, archive: Sequence[object] = (), restore: Sequence[object] = ()
) -> None:
    """Archive contacts whose card was deleted elsewhere, or send their cards again."""
    waiting = {r[0] for r in cards_deleted_elsewhere()}
    chosen = [(resolve_contact(r), True) for r in archive]
    chosen += [(resolve_contact(r), False) for r in restore]
    for contact, _ in chosen:
        if contact.id not in waiting:
            raise NotFound(f"contact {contact.id}'s card was not deleted elsewhere")
    with database.atomic():
        for contact, gone in chosen:
            SyncState.delete().where(
                (SyncState.kind == KIND) & (SyncState.record_id == contact.id)
            ).execute()
            if gone:
                contact_service.set_archived(contact, True)


def resolve_everything_deleted(
    *,
    delete: Sequence[object] = (),
    restore: Sequence[object] = (),
    archive: Sequence[object] = (),
    restore_cards: Sequence[object] = (),
) -> None:
    """Follow-ups and contacts deleted elsewhere, resolved in one transaction (all or none)."""
    from rapport.services.sync import resolve_deleted

    with database.atomic():
        resolve_deleted(delete=delete, restore=restore)
        resolve_deleted_cards(archive=archive, restore=restore_cards)
