"""Importing contacts: clean each draft, match the person already known, plan, then write at once.

A format reader (rapport.importers) turns its file into drafts.  This
cleans each draft with the contact service's own cleaners, finds the person
it already knows (LinkedIn profile, else email, else name at the
organization), and plans what to create and what to fill in; only then, if
this is not a dry run, does it write everything in one transaction with the
store's batched inserts (rapport.bulk).  Everything it needs to match is read
into dictionaries first, so 30,000 rows cost a handful of queries, not 30,000.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import repeat
from operator import attrgetter, eq, itemgetter
from typing import Any

from peewee import DataError, IntegrityError

from rapport import clock
from rapport.bulk import insert_rows
from rapport.errors import ImportFailed, ValidationError
from rapport.importers._identity import derived_uid, guessed_parts
from rapport.importers.drafts import (
    Change,
    ContactDraft,
    ImportSummary,
    OrganizationDraft,
    Parsed,
    ProgressCallback,
    ProgressTracker,
    Skipped,
)
from rapport.models import Contact, Organization, database
from rapport.services import clean
from rapport.services.contacts import CLEANERS
from rapport.services.expertise import mark_imported_expertise, parse_expertise_item
from rapport.services.merge import CONTACT_FIELDS as FIELDS
from rapport.services.merge import GATHERED, SECONDARY, enrich

# -- what the import knows: organizations and contacts, by every matching key --


@dataclass
class _Org:
    id: int | None
    name: str
    website: str = ""
    notes: str = ""
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Person:
    id: int | None  # None: created by this import
    line: int  # for a new one: where it was first read
    values: dict[str, Any]
    changes: dict[str, Any] = field(default_factory=dict)
    touched: bool = False
    expertise: list[tuple[str, int | None]] = field(default_factory=list)


def _org_key(name: str) -> str:
    return name.casefold()


@lru_cache(maxsize=1 << 16)  # each row asks twice: to find, then to index
def _name_key(name: str, organization: str) -> tuple[str, str]:
    return " ".join(clean.normalized(name).split()), _org_key(organization)


class _Network:
    """Organizations and contacts read once, indexed for matching in memory."""

    def __init__(self) -> None:
        self.orgs: dict[str, _Org] = {}
        names: dict[int, str] = {}
        for oid, name, website, notes in Organization.select(
            Organization.id, Organization.name, Organization.website, Organization.notes
        ).tuples():
            self.orgs.setdefault(_org_key(name), _Org(oid, name, website, notes))
            names[oid] = name
        self.people: list[_Person] = []
        self.by_uid: dict[str, _Person] = {}
        self.by_linkedin: dict[str, _Person] = {}
        self.by_email: dict[str, _Person] = {}
        self.by_name: dict[tuple[str, str], _Person] = {}
        columns = [getattr(Contact, f) for f in FIELDS]
        # The UID each contact's vCard export gives it, so reading that export back changes nothing.
        self.derived_uids: dict[int, str] = {}
        query = Contact.select(Contact.id, Contact.created_at, Contact.name, *columns)
        for cid, created, name, *values in query.tuples():
            record = dict(zip(FIELDS, values, strict=True))
            record["name"] = name
            record["organization"] = names.get(record["organization"], "")
            self.derived_uids[cid] = derived_uid("contact", cid, created)
            self.add(_Person(cid, 0, record))

    def add(self, person: _Person, *, index: bool = True) -> None:
        """Keep ``person``; ``index=False`` for one that no row can match (see _Plan.alone)."""
        if person.id is None:
            self.people.append(person)
        if index:
            self.index(person)

    def index(self, person: _Person) -> None:
        values = person.values
        for uid in (values["vcard_uid"], self.derived_uids.get(person.id or 0)):
            if uid:
                self.by_uid.setdefault(uid, person)
        if values["linkedin_url"]:
            self.by_linkedin.setdefault(values["linkedin_url"], person)
        for address in _emails(values):
            self.by_email.setdefault(address, person)
        self.by_name.setdefault(_name_key(values["name"], values["organization"]), person)

    def find(self, values: Mapping[str, Any]) -> _Person | None:
        """The same person: same vCard UID (an address book's, or the one rapport's export
        gave), else same LinkedIn profile, else same email, else same name and org.

        A UID the file gives to two people is dropped before this (add_contact)."""
        uid = values["vcard_uid"]
        if uid and uid in self.by_uid:
            return self.by_uid[uid]
        url = values["linkedin_url"]
        if url and url in self.by_linkedin:
            return self.by_linkedin[url]
        candidates = [self.by_email.get(a) for a in _emails(values)]
        candidates.append(self.by_name.get(_name_key(values["name"], values["organization"])))
        for person in candidates:
            # Two different LinkedIn profiles are two people, whatever else they share.
            if person is not None and not (url and person.values["linkedin_url"]):
                return person
        return None


def _name_keys(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Each row's _name_key (its name cleaned by one_line), all at once and uncached."""
    names = [values["name"] for values in rows]
    organizations = map(_org_key, map(itemgetter("organization"), rows))
    if "".join(names).isascii():
        # clean.normalized lowers ASCII text, and one_line left single spaces alone.
        return list(zip(map(str.lower, names), organizations, strict=True))
    return list(map(_name_key.__wrapped__, names, organizations))


def _emails(values: Mapping[str, Any]) -> list[str]:
    email, others = values["email"], values["other_emails"]
    if not others:  # most people: one address or none (a split per row, twice, otherwise)
        return [email] if email else []
    return [a for a in [email, *others.split("\n")] if a]


def _agree(known: Mapping[str, Any], offered: Mapping[str, Any]) -> bool:
    """Whether two records share a name or an email address."""
    same_name = _name_key(known["name"], "")[0] == _name_key(offered["name"], "")[0]
    return same_name or bool(set(_emails(known)) & set(_emails(offered)))


# -- cleaning a draft ------------------------------------------------------------


# The contact cleaners, by the draft's field names (an organization is only
# named here: it is created, not looked up).
_CLEANERS: dict[str, clean.Cleaner] = {
    **CLEANERS,
    "organization": partial(clean.one_line, field="organization"),
}


# A draft's one-value fields (emails and phones are lists), cleaned by the
# contact cleaners of the same name.
_DRAFT_FIELDS = tuple(f for f in FIELDS if f not in SECONDARY and f not in SECONDARY.values())


# A check that a cleaner returns each of a batch of values as it is, and the kinds
# of value it looks at (a batch holding any other is cleaned value by value).
_Keeps = tuple[Callable[[Collection[Any]], bool], set[type]]


def _keeps(cleaner: clean.Cleaner) -> _Keeps | None:
    """The batch check of ``cleaner``, if it has one."""
    if not isinstance(cleaner, partial):
        return None
    if cleaner.func is clean.one_line:
        options = {k: v for k, v in cleaner.keywords.items() if k in ("required", "max_length")}
        return partial(clean.one_line_keeps, **options), {str}
    if cleaner.func is clean.past_date:
        return clean.past_date_keeps, {dt.date, type(None)}
    checks = {clean.email: clean.email_keeps, clean.linkedin_url: clean.linkedin_url_keeps}
    return (checks[cleaner.func], {str}) if cleaner.func in checks else None


def _kept_as_they_are(values: list[Any], keeps: Callable[[Collection[Any]], bool]) -> list[Any]:
    """The values ``keeps`` says their cleaner returns as they are: all at once, else
    each half (a few accented names among thousands leave the rest to one check)."""
    if keeps(values):
        return values
    if len(values) <= 16:
        return []
    middle = len(values) // 2
    return _kept_as_they_are(values[:middle], keeps) + _kept_as_they_are(values[middle:], keeps)


_KEEPS = {name: check for name, cleaner in _CLEANERS.items() if (check := _keeps(cleaner))}

# A cleaned value, or the ValidationError its cleaner raised.
_Outcome = tuple[Any, ValidationError | None]


class _Cleaned:
    """The contact cleaners, each asked once per value in an import: a file's
    columns repeat (blank fields, the same organizations, roles, places and
    days), and a cleaner's answer depends on the value alone (today's date
    for a connection date, which holds for the length of an import)."""

    def __init__(self) -> None:
        # By field, then by value (a list as a tuple): one dict lookup per value.
        self.known: dict[str, dict[Any, _Outcome]] = {name: {} for name in _CLEANERS}
        self.by_field = [(name, self.known[name]) for name in _DRAFT_FIELDS]

    def ask(self, name: str, value: Any) -> _Outcome:
        """``value`` cleaned for field ``name``, or the ValidationError that refuses it."""
        key = tuple(value) if value.__class__ is list else value
        found = self.known[name].get(key)
        if found is None:
            try:
                found = (_CLEANERS[name](value), None)
            except ValidationError as exc:
                found = (None, exc)
            self.known[name][key] = found
        return found

    def column(self, name: str, values: list[Any]) -> tuple[list[Any], set[int]]:
        """Each of ``values`` cleaned for field ``name`` as :meth:`ask` cleans it, and
        the positions of those refused.  New text values that the cleaner would
        return as they are (one check of them all, see _KEEPS) are not cleaned
        one by one: an import's names and profile addresses are nearly all new."""
        kinds = set(map(type, values))
        if len(kinds) == 1 and values.count(values[0]) == len(values):
            # One value all along (a field the format never fills): cleaned once.
            found, error = self.ask(name, values[0])
            return [found] * len(values), set() if error is None else set(range(len(values)))
        keeps, looked_at = _KEEPS.get(name, (None, set()))
        if keeps is not None and kinds <= looked_at and keeps(values):
            return values, set()  # the usual column: nothing to clean, nothing to remember
        known = self.known[name]
        keys = values
        if list in kinds:
            keys = [tuple(v) if v.__class__ is list else v for v in values]
        distinct = set(keys)
        new = distinct.difference(known)
        if new and keeps is not None and set(map(type, new)) <= looked_at:
            kept = _kept_as_they_are(list(new), keeps)
            known.update((value, (value, None)) for value in kept)
            new.difference_update(kept)
        if new:
            for key, value in zip(keys, values, strict=True):
                if key in new:
                    self.ask(name, value)
                    new.discard(key)
        cleaned = [found[0] for found in map(known.__getitem__, keys)]
        refused = {key for key in distinct if known[key][1] is not None}
        if not refused:
            return cleaned, set()
        return cleaned, {i for i, key in enumerate(keys) if key in refused}


def _left_out(line: int, error: ValidationError) -> Skipped:
    return Skipped(line, f"{error}; left out")


def _clean_list(
    items: Iterable[str], name: str, cleaned: _Cleaned, line: int, warnings: list[Skipped]
) -> list[str]:
    kept: dict[str, None] = {}
    for item in items:
        value, error = cleaned.ask(name, item)
        if error is not None:
            warnings.append(_left_out(line, error))
        elif value:
            kept.setdefault(value, None)
    return list(kept)


def _clean_contact(
    draft: ContactDraft, warnings: list[Skipped], cleaned: _Cleaned
) -> dict[str, Any]:
    """Column values for a draft; a bad optional value is left out with a warning.

    Raises ValidationError when the row cannot be imported at all (no name).
    """
    values: dict[str, Any] = {"name": CLEANERS["name"](draft.name)}
    for name, known in cleaned.by_field:
        value = getattr(draft, name)
        # The lookup of cleaned.ask, inline: twelve fields of 30,000 rows.
        found = known.get(value) if value.__class__ is not list else None
        if found is None:
            found = cleaned.ask(name, value)
        if found[1] is None:
            values[name] = found[0]
        else:
            warnings.append(_left_out(draft.line, found[1]))
            values[name] = None if name == "connected_on" else ""
    emails = _clean_list(draft.emails, "email", cleaned, draft.line, warnings)
    phones = _clean_list(draft.phones, "phone", cleaned, draft.line, warnings)
    values["email"] = emails[0] if emails else ""
    values["other_emails"] = "\n".join(emails[1:])
    values["phone"] = phones[0] if phones else ""
    values["other_phones"] = "\n".join(phones[1:])
    if (values["given_name"], values["family_name"]) == guessed_parts(values["name"]):
        # What any export guesses anyway: kept only where the source knows better ("Jr.").
        values["given_name"] = values["family_name"] = ""
    return values


# What each draft's cleaning gave: its values, the warnings for values left out, or the
# error that leaves the whole row out.
_Prepared = tuple[dict[str, Any] | None, Sequence[Skipped], ValidationError | None]

# The keys of a draft's values, in the order _clean_contact makes them.
_VALUE_KEYS = ("name", *_DRAFT_FIELDS, "email", "other_emails", "phone", "other_phones")


def _clean_contacts(drafts: list[ContactDraft], cleaned: _Cleaned) -> list[_Prepared]:
    """Each draft cleaned as :func:`_clean_contact` cleans it, column by column: a
    row with a value its cleaner refuses, or with more than one email or phone, is
    cleaned by _clean_contact itself (which words its warnings)."""
    columns: dict[str, list[Any]] = {}
    by_hand: set[int] = set()
    for name in ("name", *_DRAFT_FIELDS):
        columns[name], refused = cleaned.column(name, list(map(attrgetter(name), drafts)))
        by_hand |= refused
    for name in ("email", "phone"):
        lists = list(map(attrgetter(name + "s"), drafts))
        by_hand.update(i for i, items in enumerate(lists) if len(items) > 1)
        values, refused = cleaned.column(name, [items[0] if items else "" for items in lists])
        columns[name], columns[f"other_{name}s"] = values, [""] * len(drafts)
        by_hand |= refused
    # What any export guesses anyway: kept only where the source knows better ("Jr.").
    parts = zip(columns["given_name"], columns["family_name"], strict=True)
    guessed = list(map(eq, parts, map(guessed_parts, columns["name"])))
    if any(guessed):
        for name in ("given_name", "family_name"):
            columns[name] = ["" if g else v for g, v in zip(guessed, columns[name], strict=True)]
    rows = zip(*(columns[name] for name in _VALUE_KEYS), strict=True)
    prepared: list[_Prepared] = [
        (values, (), None) for values in map(dict, map(zip, repeat(_VALUE_KEYS), rows))
    ]
    for position in sorted(by_hand):
        warnings: list[Skipped] = []
        try:
            prepared[position] = (
                _clean_contact(drafts[position], warnings, cleaned),
                warnings,
                None,
            )
        except ValidationError as exc:
            prepared[position] = (None, warnings, exc)
    return prepared


def _clean_expertise(draft: ContactDraft, warnings: list[Skipped]) -> list[tuple[str, int | None]]:
    """The skills a row gives, checked; one off the scale is left out with a warning."""
    found = []
    for name, level in draft.expertise:
        try:
            found.append(parse_expertise_item(name, level))
        except ValidationError as exc:
            warnings.append(_left_out(draft.line, exc))
    return found


def _conflicts(person: _Person, values: Mapping[str, Any], line: int) -> list[Skipped]:
    """What row ``line`` says differently from the earlier row of the same person."""
    found = []
    for key in ("name", *FIELDS):
        if key in GATHERED:
            continue
        kept, offered = person.values.get(key), values.get(key)
        if not kept or not offered or clean.normalized(str(kept)) == clean.normalized(str(offered)):
            continue
        found.append(
            Skipped(
                line,
                f"same person as line {person.line}, whose {key.replace('_', ' ')} "
                f"{str(kept)!r} is kept; {str(offered)!r} left out",
            )
        )
    return found


def _described(values: Mapping[str, Any]) -> str:
    org = values.get("organization")
    return values["name"] + (f" ({org})" if org else "")


# -- planning and writing -------------------------------------------------------


class _Plan:
    def __init__(self, summary: ImportSummary, progress: ProgressTracker) -> None:
        self.summary = summary
        self.progress = progress
        self.network = _Network()
        self.touched: list[_Person] = []
        self.uids_read: Counter[str] = Counter()  # how many cards of the file carry each UID
        self.cleaned = _Cleaned()

    def organization(self, name: str, line: int) -> _Org:
        key = _org_key(name)
        org = self.network.orgs.get(key)
        if org is None:
            org = self.network.orgs[key] = _Org(None, name)
            self.summary.count("create-organization")
            self.summary.changes.append(Change(line, "create-organization", name))
        return org

    def add_organization(self, draft: OrganizationDraft) -> None:
        warnings = self.summary.warnings
        name = clean.one_line(draft.name, "organization", required=True, max_length=200)
        known = self.network.orgs.get(_org_key(name))
        org = self.organization(name, draft.line)
        offered = {}
        for key, cleaner in (("website", clean.url), ("notes", clean.free_text)):
            try:
                offered[key] = cleaner(getattr(draft, key), key)
            except ValidationError as exc:
                warnings.append(_left_out(draft.line, exc))
        filled = {k: v for k, v in offered.items() if v and not getattr(org, k)}
        for key, value in filled.items():
            setattr(org, key, value)
        if known is not None and filled:
            org.changes.update(filled)
            self.summary.count("update-organization")
            self.summary.changes.append(
                Change(draft.line, "update-organization", name, "filled " + ", ".join(filled))
            )

    def add_contact(
        self, draft: ContactDraft, prepared: _Prepared | None = None, *, alone: bool = False
    ) -> None:
        """Plan a row: ``prepared`` is its cleaning, done beforehand (else done here);
        ``alone`` says no other row and no known contact shares a key with it."""
        if prepared is None:
            values = _clean_contact(draft, self.summary.warnings, self.cleaned)
        else:
            found, warnings, error = prepared
            self.summary.warnings.extend(warnings)
            if error is not None:
                raise error
            assert found is not None
            values = found
        if values["organization"]:
            values["organization"] = self.organization(values["organization"], draft.line).name
        uid = values["vcard_uid"]
        if uid and self.uids_read[uid] > 1:
            known = self.network.by_uid.get(uid)
            if known is not None and not _agree(known.values, values):
                # Another card of the file gave this UID to someone else (an
                # exporter that reuses them): it says nothing of who this is,
                # and two contacts would then share it.
                values["vcard_uid"] = ""
        person = None if alone else self.network.find(values)
        if person is None:
            skills = _clean_expertise(draft, self.summary.warnings) if draft.expertise else []
            self.network.add(_Person(None, draft.line, values, expertise=skills), index=not alone)
            self.summary.count("create")
            self.summary.changes.append(Change(draft.line, "create", _described(values)))
            return
        # A second row for someone this file already brought is the same
        # person written twice: both rows' notes are kept, and a value the
        # first row already gave differently is reported, not silently dropped.
        if person.id is not None and values["vcard_uid"] == self.network.derived_uids[person.id]:
            values["vcard_uid"] = ""  # the UID rapport gives it anyway
        twice = person.id is None or person.touched
        if twice:
            self.summary.warnings.extend(_conflicts(person, values, draft.line))
        person.expertise.extend(_clean_expertise(draft, self.summary.warnings))
        changes = enrich(person.values, values, keep_both_notes=twice)
        person.values.update(changes)
        self.network.index(person)
        if person.id is not None:
            person.changes.update(changes)
        if twice:
            action = "merge"
            detail = f"same person as line {person.line}"
        else:
            action = "update" if changes else "unchanged"
            filled = ", ".join(field.replace("_", " ") for field in changes)
            detail = f"#{person.id}" + (f", filled {filled}" if changes else "")
            person.touched = True
            person.line = draft.line
            self.touched.append(person)
        self.summary.count(action)
        self.summary.changes.append(Change(draft.line, action, _described(person.values), detail))

    def read(self, drafts: list[ContactDraft | OrganizationDraft]) -> None:
        for draft in drafts:
            if isinstance(draft, ContactDraft) and draft.vcard_uid:
                with contextlib.suppress(ValidationError):  # reported when the card is read
                    self.uids_read[CLEANERS["vcard_uid"](draft.vcard_uid)] += 1
        contacts = [d for d in drafts if isinstance(d, ContactDraft)]
        prepared = _clean_contacts(contacts, self.cleaned)
        planned = zip(prepared, self.alone(prepared), strict=True)
        for draft in drafts:
            try:
                if isinstance(draft, OrganizationDraft):
                    self.add_organization(draft)
                else:
                    cleaning, alone = next(planned)
                    self.add_contact(draft, cleaning, alone=alone)
            except ValidationError as exc:
                self.summary.skipped.append(Skipped(draft.line, str(exc)))
            self.progress.step()

    def alone(self, prepared: Sequence[_Prepared]) -> list[bool]:
        """For each cleaned draft, whether it shares no key (vCard UID, LinkedIn profile,
        email, name at any organization) with any other draft or with a contact already known.

        find finds nobody for such a row, and no row finds it later: what a merge
        adds to someone comes from a row that shares a key with them.  A LinkedIn
        export into an empty database is all such rows, and skips find and index.
        """
        network = self.network
        cleaned = [(i, values) for i, (values, _, _) in enumerate(prepared) if values is not None]
        positions = [i for i, _ in cleaned]
        rows = [values for _, values in cleaned]
        found = set(positions)
        # A name is compared without its organization: a merge gives someone the
        # organization of another row (Ann Lee, then Ann Lee Jr. at Acme by the
        # same profile), and a later "Ann Lee" at Acme then finds them by both.
        columns: tuple[tuple[list[Any], set[Any]], ...] = (
            ([name for name, _ in _name_keys(rows)], {name for name, _ in network.by_name}),
            ([v["linkedin_url"] for v in rows], set(network.by_linkedin)),
            ([v["vcard_uid"] for v in rows], set(network.by_uid)),
        )
        for keys, known in columns:
            counts = Counter(keys)
            counts.pop("", None)
            shared = {k for k, n in counts.items() if n > 1} | (counts.keys() & known)
            if shared:
                found.difference_update(
                    i for i, k in zip(positions, keys, strict=True) if k in shared
                )
        with_email = [(i, a) for i, v in cleaned if (a := _emails(v))]
        counts = Counter(a for _, addresses in with_email for a in addresses)
        shared = {k for k, n in counts.items() if n > 1} | (counts.keys() & network.by_email.keys())
        if shared:
            found.difference_update(i for i, a in with_email if shared.intersection(a))
        return [i in found for i in range(len(prepared))]

    def write(self) -> None:
        network = self.network
        now = clock.utcnow()
        new_orgs = [o for o in network.orgs.values() if o.id is None]
        changed_orgs = [o for o in network.orgs.values() if o.id is not None and o.changes]
        updated = [p for p in self.touched if p.changes]
        self.progress.grow(self.progress.done + len(new_orgs) + len(network.people) + len(updated))
        insert_rows(
            Organization,
            [
                {"name": o.name, "website": o.website, "notes": o.notes}
                | {"created_at": now, "updated_at": now}
                for o in new_orgs
            ],
            on_chunk=self.progress.step,
        )
        if new_orgs:
            query = Organization.select(Organization.id, Organization.name)
            ids = {_org_key(name): oid for oid, name in query.tuples()}
            for org in new_orgs:
                org.id = ids[_org_key(org.name)]
        for org in changed_orgs:
            Organization.update(**org.changes, updated_at=now).where(
                Organization.id == org.id
            ).execute()
        before = database.execute_sql("SELECT max(id) FROM contact").fetchone()[0] or 0
        ids = {org.name: org.id for org in network.orgs.values()}
        insert_rows(
            Contact,
            [self._row(p.values, now, ids) for p in network.people],
            on_chunk=self.progress.step,
        )
        # SQLite gives rows inserted in one transaction growing ids after the
        # largest there, or after the largest there ever was (AUTOINCREMENT: a
        # deleted contact's number is not given again), in the order inserted
        # (checked: a skill is never marked on someone else).
        given = [
            row[0]
            for row in database.execute_sql(
                "SELECT id FROM contact WHERE id > ? ORDER BY id", (before,)
            )
        ]
        if len(given) != len(network.people):
            raise ImportFailed(
                "the new contacts did not get the ids expected; nothing was imported"
            )
        for person, new_id in zip(network.people, given, strict=True):
            person.id = new_id
        self.summary.expertise = mark_imported_expertise(
            [(p.id, name, level) for p in network.people for name, level in p.expertise]
            + [(p.id, name, level) for p in self.touched for name, level in p.expertise]
        )
        for person in updated:
            changes = dict(person.changes)
            if "organization" in changes:
                changes["organization"] = self._org_id(changes["organization"])
            Contact.update(**changes, updated_at=now).where(Contact.id == person.id).execute()
            self.progress.step()

    def _org_id(self, name: str) -> int | None:
        return self.network.orgs[_org_key(name)].id if name else None

    def _row(
        self, values: Mapping[str, Any], now: dt.datetime, ids: Mapping[str, int | None]
    ) -> dict[str, Any]:
        """A new contact's row; ``ids`` are the organizations' by name as written."""
        name = values["organization"]
        org = ids[name] if name in ids else self._org_id(name)
        return {**values, "organization": org, "created_at": now, "updated_at": now}


def run_import(
    parsed: Parsed,
    *,
    source: str,
    format_name: str,
    dry_run: bool = False,
    strict: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportSummary:
    """Import a reader's drafts into the open database, in one transaction.

    Returns the summary (with ``changes`` row by row).  With ``dry_run``
    nothing is written.  With ``strict`` a skipped row or a left-out value
    raises ImportFailed and nothing is written.  Raises ImportFailed if the
    write fails (nothing is written then either).
    """
    summary = ImportSummary(
        source,
        format_name,
        dry_run=dry_run,
        skipped=list(parsed.skipped),
        warnings=list(parsed.warnings),
        noted=list(parsed.noted),
    )
    summary.rows = len(parsed.drafts) + len(parsed.skipped)
    tracker = ProgressTracker(progress, 2 * len(parsed.drafts))
    with database.atomic():
        # Reading inside the transaction keeps what was matched and what is written in step.
        plan = _Plan(summary, tracker)
        plan.read(parsed.drafts)
        summary.skipped.sort(key=lambda s: s.line)
        summary.warnings.sort(key=lambda s: s.line)
        problems = sorted(summary.skipped + summary.warnings + summary.noted, key=lambda s: s.line)
        if strict and problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise ImportFailed(f"{source}: {problems[0]}{more}; nothing was imported (--strict)")
        if not dry_run:
            try:
                plan.write()
            except (IntegrityError, DataError) as exc:
                raise ImportFailed(
                    f"{source}: writing failed ({exc}); nothing was imported"
                ) from exc
    tracker.grow(tracker.done)
    tracker.step(0)
    return summary
