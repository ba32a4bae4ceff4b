"""Build the benchmark data set: a believable rapport database and the same people as files.

    python bench/generate.py --contacts 30000 --seed 1 --out bench/data/30000

writes, into ``--out``:

* ``rapport.db``: a migrated rapport database (opened by rapport.db.open_database,
  so the FTS index is kept by its own triggers) holding, at 30,000 contacts,
  3,000 organizations, 200,000 interactions with notes, 2,000 interviews,
  1,500 events, 50,000 follow-ups (5,000 open, some repeating), 25 goals and
  3,000 goal links, 200 skills (most rated, some twice), 5,000 contacts'
  expertise rows and 20 goals that need 10 skills each.  Every count scales
  with ``--contacts`` (but goals and skills) and can be set on its own
  (``--interactions 50000``);
* ``Connections.csv``: LinkedIn's export layout (a "Notes:" preamble, then
  First Name,Last Name,URL,Email Address,Company,Position,Connected On);
* ``contacts.vcf``: the same people as one vCard 3.0 address book;
* ``manifest.json``: the sizes, the seed, the day the data is relative to,
  and facts the benchmarks need (the contact with 200 interactions, words to
  search for).

The same seed and sizes always give the same records.  The data is relative
to ``--today`` (default 2026-11-23); benchmarks run with ``RAPPORT_NOW`` set
to that day, so "overdue" and "going cold" stay the same from run to run.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import itertools
import json
import random
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import vocabulary as words
from dateutil.relativedelta import relativedelta

DEFAULT_TODAY = dt.date(2026, 11, 23)
ZONE = "America/Los_Angeles"
HEAVY_INTERACTIONS = 200
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LINKEDIN_COLUMNS = (
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
)
LINKEDIN_NOTES = (
    "When exporting your connection data, you may notice that some of the email addresses "
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    "https://www.linkedin.com/help/linkedin/answer/261"
)


@dataclass(frozen=True)
class Sizes:
    """How many of each record; ``for_contacts`` keeps the proportions of the 30,000 set."""

    contacts: int
    organizations: int
    interactions: int
    interviews: int
    events: int
    followups: int
    open_followups: int
    goals: int
    goal_links: int
    skills: int = 200
    expertise: int = 5_000
    needy_goals: int = 20  # goals that need skills, each ``needs_per_goal`` of them
    needs_per_goal: int = 10

    @classmethod
    def for_contacts(cls, contacts: int) -> Sizes:
        def part(n: int) -> int:
            return max(1, round(n * contacts / 30_000))

        return cls(
            contacts=contacts,
            organizations=part(3_000),
            interactions=max(part(200_000), HEAVY_INTERACTIONS),
            interviews=part(2_000),
            events=part(1_500),
            followups=part(50_000),
            open_followups=part(5_000),
            # A person has about as many goals whatever the size of their network.
            goals=len(words.GOALS),
            goal_links=part(3_000),
            # Like goals, a person's skills do not grow with their network.
            skills=200,
            expertise=part(5_000),
        )


# -- small helpers -----------------------------------------------------------


def _stamp(day: dt.date, minutes: int = 9 * 60) -> str:
    """A stored timestamp (naive, as peewee writes them) at ``minutes`` past midnight."""
    return str(dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes))


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


class Picker:
    """Weighted choice from a fixed population, fast enough for 200,000 draws."""

    def __init__(self, rng: random.Random, items: Sequence[Any], weights: Sequence[float]):
        self.rng = rng
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def __call__(self) -> Any:
        at = self.rng.random() * self.total
        return self.items[bisect.bisect_right(self.cumulative, at)]


@dataclass
class Person:
    id: int
    first: str
    last: str
    org: int | None
    role: str
    email: str
    shares_email: bool
    phone: str
    linkedin: str
    city: str
    tags: list[str]
    notes: str
    connected_on: dt.date
    birthday: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


class _Slots(dict[str, Any]):
    """Values for a template's slots, drawn when the template asks for them."""

    def __init__(self, gen: Generator) -> None:
        super().__init__()
        self.gen = gen

    def __missing__(self, key: str) -> Any:
        gen, rng = self.gen, self.gen.rng
        if key in ("topic", "topic2"):
            return rng.choice(words.TOPICS)
        if key == "topic_title":
            return rng.choice(words.TOPICS).title()
        if key == "org":
            return rng.choice(gen.org_names) if gen.org_names else "Northwind"
        if key == "role":
            return rng.choice(words.FUNCTIONS)
        if key == "city":
            return rng.choice(words.CITIES)
        if key == "book":
            return rng.choice(words.BOOKS)
        if key in ("first", "name"):
            # Notes mention other people in the network by name, as real notes do.
            if not gen.people:
                return rng.choice(words.FIRST_NAMES)
            other = rng.choice(gen.people)
            return other.first if key == "first" else other.name
        if key == "n":
            return rng.randint(2, 6)
        if key == "year":
            return gen.today.year - rng.randint(0, 7)
        raise KeyError(key)


class Generator:
    """Produces the rows of every table, deterministically from one seed."""

    def __init__(self, sizes: Sizes, seed: int, today: dt.date):
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.today = today
        self.org_names: list[str] = []
        self.people: list[Person] = []
        self.event_dates: list[dt.date] = []
        self.interview_contacts: list[int] = []
        self.core: list[int] = []

    # -- text ---------------------------------------------------------------

    def _fill(self, template: str) -> str:
        """The template with its {slots} filled; only the slots it uses cost a draw."""
        if "{" not in template:
            return template
        return template.format_map(_Slots(self))

    def _note(self, sentences: int) -> str:
        return " ".join(self._fill(self.rng.choice(words.SENTENCES)) for _ in range(sentences))

    def _day_in_past(self, span_days: int, bias: float = 2.0) -> dt.date:
        """A past day within ``span_days``, recent days more likely (``bias`` > 1)."""
        return self.today - dt.timedelta(days=int(span_days * self.rng.random() ** bias))

    # -- tables -------------------------------------------------------------

    def goals(self) -> list[tuple[Any, ...]]:
        rows = []
        statuses = ["active"] * 6 + ["achieved", "paused", "dropped"]
        for n, (title, horizon, parent) in enumerate(words.GOALS[: self.sizes.goals], start=1):
            created = self._day_in_past(900, 1.0)
            years = 1 if horizon == "short" else 4
            target = self.today + dt.timedelta(days=self.rng.randint(30, 365 * years))
            rows.append(
                (
                    n,
                    _stamp(created),
                    _stamp(created),
                    title,
                    self._fill("Because {topic} is where I want to grow.")
                    if parent is None
                    else "",
                    horizon,
                    self._fill("Concrete progress on {topic}"),
                    self.rng.choice(["A signed offer", "Three done", "Talk accepted", "B2 exam"]),
                    target.isoformat(),
                    self.rng.choice(statuses),
                    self.rng.choice([1, 2, 2, 3]),
                    parent + 1 if parent is not None and parent < self.sizes.goals else None,
                )
            )
        return rows

    def organizations(self) -> list[tuple[Any, ...]]:
        combos = [(p, s) for p in words.ORG_PREFIXES for s in words.ORG_SUFFIXES]
        self.rng.shuffle(combos)
        rows = []
        for n in range(1, self.sizes.organizations + 1):
            prefix, suffix = combos[(n - 1) % len(combos)]
            round_ = (n - 1) // len(combos)
            name = f"{prefix} {suffix}" + (f" {round_ + 1}" if round_ else "")
            self.org_names.append(name)
            created = self._day_in_past(3000, 1.0)
            rows.append(
                (
                    n,
                    _stamp(created),
                    _stamp(created),
                    name,
                    words.INDUSTRIES[suffix],
                    f"https://{_slug(name)}.example",
                    "",
                )
            )
        return rows

    def events(self) -> list[tuple[Any, ...]]:
        rows = []
        for n in range(1, self.sizes.events + 1):
            pattern, kind = self.rng.choice(words.EVENT_PATTERNS)
            future = self.rng.random() < 0.12
            if future:
                start = self.today + dt.timedelta(days=self.rng.randint(1, 180))
                status = self.rng.choice(["registered", "considering", "considering"])
            else:
                start = self._day_in_past(2900, 1.3)
                status = self.rng.choice(["attended", "attended", "attended", "skipped"])
            self.event_dates.append(start)
            multi_day = kind == "conference"
            timed = not multi_day and self.rng.random() < 0.7
            city = self.rng.choice(words.CITIES)
            name = pattern.format(
                city=city,
                topic_title=self.rng.choice(words.TOPICS).title(),
                year=start.year,
            )
            created = min(start, self.today) - dt.timedelta(days=self.rng.randint(5, 60))
            rows.append(
                (
                    n,
                    _stamp(created),
                    _stamp(created),
                    name,
                    kind,
                    start.isoformat(),
                    "18:30:00" if timed else None,
                    (start + dt.timedelta(days=self.rng.randint(1, 2))).isoformat()
                    if multi_day
                    else None,
                    "21:00:00" if timed else None,
                    ZONE if timed else "",
                    city if kind != "webinar" else "Online",
                    f"https://events.example/{n}",
                    self.rng.choice(["attendee"] * 8 + ["speaker", "volunteer"]),
                    status,
                    self._note(self.rng.randint(0, 2)),
                    None,
                    0,
                    "",
                    "",
                )
            )
        return rows

    def _people(self) -> None:
        rng = self.rng
        n_orgs = self.sizes.organizations
        # A few employers hold many connections (a former company), most hold a few.
        pick_org = Picker(rng, range(1, n_orgs + 1), [1 / k**0.7 for k in range(1, n_orgs + 1)])
        emails: set[str] = set()
        urls: set[str] = set()
        for n in range(1, self.sizes.contacts + 1):
            first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
            org = pick_org() if rng.random() < 0.92 else None
            if rng.random() < 0.12:
                role = rng.choice(words.LEADERSHIP)
            else:
                role = rng.choice(words.SENIORITY) + rng.choice(words.FUNCTIONS)
            domain = f"{_slug(self.org_names[org - 1])}.example" if org else "mail.example"
            email = ""
            if rng.random() < 0.3:
                base = f"{first}.{last}".lower()
                email = f"{base}@{domain}"
                bump = 2
                while email in emails:
                    email = f"{base}{bump}@{domain}"
                    bump += 1
                emails.add(email)
            url = ""
            while not url or url in urls:
                url = (
                    f"https://www.linkedin.com/in/{first}-{last}-{rng.getrandbits(24):06x}".lower()
                )
            urls.add(url)
            self.people.append(
                Person(
                    id=n,
                    first=first,
                    last=last,
                    org=org,
                    role=role,
                    email=email,
                    shares_email=bool(email) and rng.random() < 0.6,
                    phone=f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
                    if rng.random() < 0.1
                    else "",
                    linkedin=url,
                    city=rng.choice(words.CITIES),
                    tags=sorted(set(rng.sample(words.TAGS, rng.randint(1, 3))))
                    if rng.random() < 0.3
                    else [],
                    notes="",
                    connected_on=self._day_in_past(4380, 1.5),
                    birthday=f"{rng.randint(1960, 2000)}-{rng.randint(1, 12):02d}-"
                    f"{rng.randint(1, 28):02d}"
                    if rng.random() < 0.04
                    else "",
                )
            )
        for person in self.people:
            if rng.random() < 0.35:
                person.notes = self._note(rng.randint(1, 3))

    def contacts(self) -> list[tuple[Any, ...]]:
        self._people()
        rng = self.rng
        rows = []
        for p in self.people:
            introduced = rng.randint(1, p.id - 1) if p.id > 1 and rng.random() < 0.04 else None
            met_at = None
            if self.event_dates and rng.random() < 0.03:
                met_at = rng.randint(1, len(self.event_dates))
            cadence = rng.choice([14, 30, 30, 60, 90, 90, 180]) if rng.random() < 0.12 else None
            created = _stamp(p.connected_on, rng.randint(8 * 60, 20 * 60))
            rows.append(
                (
                    p.id,
                    created,
                    created,
                    p.name,
                    p.org,
                    p.role,
                    p.email,
                    p.phone,
                    p.linkedin,
                    p.city,
                    self._fill(rng.choice(words.HOW_MET)) if rng.random() < 0.2 else "",
                    introduced,
                    met_at,
                    ",".join(p.tags),
                    p.notes,
                    cadence,
                    int(rng.random() < 0.02),
                    p.connected_on.isoformat(),
                    p.birthday,
                    "",
                    "",
                )
            )
        return rows

    def _participants(self) -> Picker:
        """Who interactions are with: a core of 10% gets most, 40% a few, half none."""
        ids = [p.id for p in self.people[1:]]  # contact 1 gets exactly HEAVY_INTERACTIONS
        order = ids[:]
        self.rng.shuffle(order)
        core_size = max(1, len(order) // 10)
        self.core = order[:core_size]
        acquaintances = order[core_size : core_size + len(order) * 4 // 10]
        population = self.core + acquaintances
        weights = [15.0] * len(self.core) + [1.0] * len(acquaintances)
        return Picker(self.rng, population, weights)

    def interactions(self) -> Iterator[tuple[tuple[Any, ...], list[int]]]:
        """Rows of ``interaction`` with the contact ids each was with."""
        rng = self.rng
        pick = self._participants()
        channels = Picker(
            rng,
            list(words.CHANNEL_SUMMARIES),
            [12, 12, 15, 25, 10, 20, 6],  # coffee call video email meeting message event
        )
        directions = Picker(rng, ["mutual", "gave", "asked"], [50, 25, 25])
        sentence_counts = Picker(rng, [0, 1, 2, 3, 4, 5, 6], [12, 18, 22, 20, 14, 9, 5])
        total = self.sizes.interactions
        # Ids in the order the interactions were logged, as in a person's
        # database (search ranks the newest by rowid); the heavy contact's
        # are spread over those years.
        when = sorted((self._day_in_past(2920), rng.randint(9 * 60, 22 * 60)) for _ in range(total))
        heavy = set(rng.sample(range(1, total + 1), HEAVY_INTERACTIONS))
        for n, (day, minute) in enumerate(when, start=1):
            if n in heavy:
                with_ids = [1]
            else:
                with_ids = [pick()]
                extra = rng.random()
                if extra < 0.12:
                    for _ in range(1 if extra > 0.02 else 2):
                        other = pick()
                        if other not in with_ids:
                            with_ids.append(other)
            person = self.people[with_ids[0] - 1]
            channel = channels()
            summary = self._fill(rng.choice(words.CHANNEL_SUMMARIES[channel]))
            notes = self._note(sentence_counts())
            if notes and rng.random() < 0.5:
                # Half the notes open with whom they are about, as people write them.
                notes = f"{person.first}: {notes}"
            logged = _stamp(day, minute)
            yield (
                (n, logged, logged, day.isoformat(), channel, summary, notes, directions()),
                with_ids,
            )

    def interviews(self) -> Iterator[tuple[tuple[Any, ...], list[int]]]:
        """Rows of ``interview`` with the contacts each referred me to."""
        rng = self.rng
        people = self.core or [p.id for p in self.people]
        for n in range(1, self.sizes.interviews + 1):
            contact = rng.choice(people)
            self.interview_contacts.append(contact)
            if rng.random() < 0.15:
                day = self.today + dt.timedelta(days=rng.randint(0, 42))
                status = "planned"
            else:
                day = self._day_in_past(2000, 1.5)
                status = "cancelled" if rng.random() < 0.1 else "done"
            timed = rng.random() < 0.8
            done = status == "done"
            questions = "\n".join(
                self._fill(q) for q in rng.sample(words.QUESTIONS, rng.randint(3, 5))
            )
            created = _stamp(day - dt.timedelta(days=rng.randint(3, 20)))
            row = (
                n,
                created,
                created,
                contact,
                day.isoformat(),
                f"{rng.randint(9, 16):02d}:{rng.choice(['00', '30'])}:00" if timed else None,
                ZONE if timed else "",
                status,
                questions,
                self._note(rng.randint(2, 6)) if done else "",
                " ".join(self._fill(a) for a in rng.sample(words.ADVICE, rng.randint(1, 3)))
                if done
                else "",
                int(done and rng.random() < 0.85),
            )
            referrals = (
                sorted({rng.randint(1, len(self.people)) for _ in range(rng.randint(1, 2))})
                if done and rng.random() < 0.3
                else []
            )
            yield row, [r for r in referrals if r != contact]

    def event_attendees(self) -> list[tuple[int, int]]:
        pairs: list[tuple[int, int]] = []
        people = [p.id for p in self.people]
        for event_id, start in enumerate(self.event_dates, start=1):
            if start > self.today:
                continue
            met = {self.rng.choice(people) for _ in range(self.rng.choice([0, 0, 1, 2, 3, 5, 8]))}
            pairs.extend((event_id, c) for c in sorted(met))
        return pairs

    def _recurring(self, due: dt.date) -> tuple[str, str, dt.date, dt.date]:
        title, rule = self.rng.choice(words.RECURRING_TITLES)
        if "BYDAY=MO" in rule:
            due += dt.timedelta(days=(7 - due.weekday()) % 7)
        steps = self.rng.randint(1, 12)
        if rule.startswith("FREQ=WEEKLY"):
            interval = 2 if "INTERVAL=2" in rule else 1
            start = due - dt.timedelta(weeks=interval * steps)
        elif rule.startswith("FREQ=YEARLY"):
            start = due - relativedelta(years=min(steps, 5))
        else:
            months = 3 if "INTERVAL=3" in rule else 1
            start = due - relativedelta(months=months * steps)
            # A monthly series keeps its day of month; start where it still exists.
            due = start + relativedelta(months=months * steps)
        return title, rule, due, start

    def followups(self) -> list[tuple[Any, ...]]:
        rng = self.rng
        sizes = self.sizes
        n_open = min(sizes.open_followups, sizes.followups)
        talked = self.core or [p.id for p in self.people]
        rows = []
        for n in range(1, sizes.followups + 1):
            is_open = n > sizes.followups - n_open
            contact = rng.choice(talked) if rng.random() < 0.97 else None
            interview = None
            if self.interview_contacts and rng.random() < 0.03:
                interview = rng.randint(1, len(self.interview_contacts))
                contact = self.interview_contacts[interview - 1]
            event = rng.randint(1, len(self.event_dates)) if rng.random() < 0.02 else None
            first = self.people[contact - 1].first if contact else "the team"
            if is_open:
                band = rng.random()
                if band < 0.06:
                    due = self.today - dt.timedelta(days=rng.randint(1, 60))
                elif band < 0.14:
                    due = self.today + dt.timedelta(days=rng.randint(0, 7))
                else:
                    due = self.today + dt.timedelta(days=rng.randint(8, 180))
            else:
                due = self._day_in_past(2900, 1.4) - dt.timedelta(days=1)
            rule, start = "", None
            if is_open and rng.random() < 0.08:
                template, rule, due, start = self._recurring(due)
                title = template.format(first=first)
            else:
                title = self._fill(rng.choice(words.FOLLOWUP_TITLES).replace("{first}", first))
            timed = rng.random() < 0.1
            created = due - dt.timedelta(days=rng.randint(1, 30))
            done_at = None if is_open else _stamp(due + dt.timedelta(days=rng.randint(0, 3)), 600)
            sequence = rng.choice([0, 0, 0, 1, 1, 2, 3])
            rows.append(
                (
                    n,
                    _stamp(min(created, self.today)),
                    _stamp(min(created, self.today) + dt.timedelta(days=sequence)),
                    title,
                    contact,
                    interview,
                    event,
                    due.isoformat(),
                    f"{rng.randint(8, 17):02d}:{rng.choice(['00', '30'])}:00" if timed else None,
                    ZONE if timed else "",
                    rule,
                    start.isoformat() if start else None,
                    self._note(1) if rng.random() < 0.2 else "",
                    int(not is_open),
                    done_at,
                    f"{uuid.UUID(int=rng.getrandbits(128), version=4)}@rapport",
                    sequence,
                )
            )
        return rows

    def goal_links(self, followup_open_ids: range) -> list[tuple[Any, ...]]:
        """Links to goals: mostly contacts, some interviews, events and open follow-ups."""
        rng = self.rng
        total = self.sizes.goal_links
        goals = range(1, self.sizes.goals + 1)
        kinds = Picker(rng, ["contact", "interview", "event", "follow_up"], [80, 7, 3, 10])
        pools = {
            "contact": self.core or [p.id for p in self.people],
            "interview": range(1, self.sizes.interviews + 1),
            "event": range(1, self.sizes.events + 1),
            "follow_up": followup_open_ids,
        }
        seen: set[tuple[str, int, int]] = set()
        rows: list[tuple[Any, ...]] = []
        attempts = 0
        while len(rows) < total and attempts < total * 20:
            attempts += 1
            kind = kinds()
            target = rng.choice(pools[kind])
            goal = rng.choice(goals)
            if (kind, target, goal) in seen:
                continue
            seen.add((kind, target, goal))
            day = self._day_in_past(700, 1.0)
            rows.append(
                (
                    len(rows) + 1,
                    goal,
                    target if kind == "contact" else None,
                    target if kind == "interview" else None,
                    target if kind == "event" else None,
                    target if kind == "follow_up" else None,
                    rng.choice(words.LINK_ROLES) if kind == "contact" else "",
                    self._fill("Knows {topic} well") if rng.random() < 0.2 else "",
                    _stamp(day),
                )
            )
        return rows


# -- writing -------------------------------------------------------------------


def _insert(conn: Any, table: str, columns: str, rows: Any) -> None:
    """Insert many rows with one INSERT ... SELECT from a staging table.

    The search index's triggers still fire for every row, but inside a single
    statement: FTS5 writes its pending terms to disk at every statement, so
    one executemany() straight into a searched table is about twice as slow.
    """
    marks = ", ".join("?" for _ in columns.split(","))
    conn.execute(f"CREATE TEMP TABLE stage AS SELECT {columns} FROM main.{table} WHERE 0")
    try:
        conn.executemany(f"INSERT INTO temp.stage ({columns}) VALUES ({marks})", rows)
        conn.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM temp.stage")
    finally:
        conn.execute("DROP TABLE temp.stage")


def _noting(
    pairs: list[tuple[int, int]], items: Iterator[tuple[tuple[Any, ...], list[int]]]
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``items``, noting (row id, contact id) pairs for the link table."""
    for row, contact_ids in items:
        pairs.extend((row[0], c) for c in contact_ids)
        yield row


def write_database(path: Path, gen: Generator) -> dict[str, float]:
    """Fill a fresh, migrated database in one transaction; returns seconds per table."""
    from rapport.db import close_database, open_database
    from rapport.models import database

    open_database(path)
    conn = database.connection()
    # The bench file is scratch data: skip the fsyncs a person's database needs.
    conn.execute("PRAGMA synchronous = OFF")
    took: dict[str, float] = {}

    def timed(name: str, table: str, columns: str, rows: Any) -> None:
        started = time.perf_counter()
        _insert(conn, table, columns, rows)
        took[name] = took.get(name, 0.0) + time.perf_counter() - started

    stamps = "id, created_at, updated_at"
    with database.atomic():
        timed(
            "goals",
            "goal",
            f"{stamps}, title, why, horizon, specific, measure, target_date, status, priority,"
            " parent_id",
            gen.goals(),
        )
        timed(
            "organizations",
            "organization",
            f"{stamps}, name, industry, website, notes",
            gen.organizations(),
        )
        timed(
            "events",
            "event",
            f"{stamps}, name, kind, start_date, start_time, end_date, end_time, tz, location,"
            " url, my_role, status, notes, ics_uid, ics_sequence, rrule, exdates",
            gen.events(),
        )
        timed(
            "contacts",
            "contact",
            f"{stamps}, name, organization_id, role, email, phone, linkedin_url, location,"
            " how_met, introduced_by_id, met_at_id, tags, notes, cadence_days, archived,"
            " connected_on, birthday, other_emails, other_phones",
            gen.contacts(),
        )
        participants: list[tuple[int, int]] = []
        timed(
            "interactions",
            "interaction",
            f"{stamps}, date, channel, summary, notes, direction",
            _noting(participants, gen.interactions()),
        )
        timed("interactions", "interaction_contact", "interaction_id, contact_id", participants)
        referrals: list[tuple[int, int]] = []
        timed(
            "interviews",
            "interview",
            f"{stamps}, contact_id, scheduled_date, scheduled_time, tz, status, questions,"
            " notes, advice, thank_you_sent",
            _noting(referrals, gen.interviews()),
        )
        timed("interviews", "interview_referral", "interview_id, contact_id", referrals)
        timed("events", "event_attendee", "event_id, contact_id", gen.event_attendees())
        timed(
            "followups",
            "follow_up",
            f"{stamps}, title, contact_id, interview_id, event_id, due_date, due_time, tz,"
            " rrule, series_start, notes, done, done_at, uid, sequence",
            gen.followups(),
        )
        sizes = gen.sizes
        first_open = sizes.followups - min(sizes.open_followups, sizes.followups) + 1
        timed(
            "goal_links",
            "goal_link",
            "id, goal_id, contact_id, interview_id, event_id, follow_up_id, role, note, created_at",
            gen.goal_links(range(first_open, sizes.followups + 1)),
        )
        skills = skill_rows(gen)
        timed("skills", "skill", "id, created_at, updated_at, name", skills["skills"])
        timed(
            "skills",
            "skill_rating",
            "id, skill_id, level, date, note, created_at",
            [(*r, _stamp(gen.today)) for r in skills["ratings"]],
        )
        timed("skills", "goal_need", "id, goal_id, skill_id, level, created_at", skills["needs"])
        timed(
            "skills",
            "expertise",
            "id, created_at, updated_at, contact_id, skill_id, level, note, confirmed",
            skills["expertise"],
        )
    started = time.perf_counter()
    # Fold the write-ahead log into the file, so the first benchmark does not pay for it.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    took["checkpoint"] = time.perf_counter() - started
    close_database()
    return took


def linkedin_date(day: dt.date) -> str:
    """LinkedIn's "Connected On" form: 03 Aug 2026 (English month names, any locale)."""
    return f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"


def write_connections_csv(path: Path, gen: Generator) -> None:
    """The people as LinkedIn exports them: newest connection first, few emails."""
    people = sorted(gen.people, key=lambda p: (p.connected_on, p.id), reverse=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("Notes:\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([LINKEDIN_NOTES])
        handle.write("\n")
        writer.writerow(LINKEDIN_COLUMNS)
        for p in people:
            writer.writerow(
                [
                    p.first,
                    p.last,
                    p.linkedin,
                    p.email if p.shares_email else "",
                    gen.org_names[p.org - 1] if p.org else "",
                    p.role,
                    linkedin_date(p.connected_on),
                ]
            )


def vcard_text(value: str) -> str:
    """Escape a vCard 3.0 TEXT value (RFC 2426 section 4)."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets, as RFC 2425 asks, without splitting a character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts, current, size, limit = [], [], 0, 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(ch)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def vcard(p: Person, org_name: str) -> str:
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//rapport//benchmark generator//EN",
        f"UID:rapport-bench-{p.id}",
        f"FN:{vcard_text(p.name)}",
        f"N:{vcard_text(p.last)};{vcard_text(p.first)};;;",
    ]
    if org_name:
        lines.append(f"ORG:{vcard_text(org_name)}")
    if p.role:
        lines.append(f"TITLE:{vcard_text(p.role)}")
    if p.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{p.email}")
    if p.phone:
        lines.append(f"TEL;TYPE=CELL:{p.phone}")
    lines.append(f"URL:{p.linkedin}")
    lines.append(f"ADR;TYPE=WORK:;;;{vcard_text(p.city)};;;")
    if p.birthday:
        lines.append(f"BDAY:{p.birthday}")
    if p.tags:
        lines.append("CATEGORIES:" + ",".join(vcard_text(t) for t in p.tags))
    if p.notes:
        lines.append(f"NOTE:{vcard_text(p.notes)}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def write_vcf(path: Path, gen: Generator) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        for p in gen.people:
            handle.write(vcard(p, gen.org_names[p.org - 1] if p.org else ""))


def skill_names(count: int) -> list[str]:
    """The topics people's notes mention (so candidates are found), then plain names."""
    names = [t[:1].upper() + t[1:] for t in words.TOPICS if not t.startswith("the ")]
    return (names + [f"Practice {n}" for n in range(1, count + 1)])[:count]


def skill_rows(gen: Generator) -> dict[str, list[tuple[Any, ...]]]:
    """Skills, ratings, goal needs and expertise (after the contacts: it draws last)."""
    rng, sizes, today = gen.rng, gen.sizes, gen.today
    names = skill_names(sizes.skills)
    skills = [(n, _stamp(today), _stamp(today), name) for n, name in enumerate(names, 1)]
    ratings = []
    for skill_id in range(1, len(names) + 1):
        if rng.random() < 0.25:
            continue  # not rated yet
        level = rng.randint(1, 4)
        for step in range(rng.randint(1, 3)):
            day = today - dt.timedelta(days=rng.randint(0, 400) // (step + 1))
            ratings.append((len(ratings) + 1, skill_id, min(5, level + step), day.isoformat(), ""))
    needs = []
    goal_ids = list(range(1, min(sizes.needy_goals, sizes.goals) + 1))
    for goal_id in goal_ids:
        for skill_id in rng.sample(range(1, len(names) + 1), min(sizes.needs_per_goal, len(names))):
            needs.append((len(needs) + 1, goal_id, skill_id, rng.randint(2, 5), _stamp(today)))
    expertise: list[tuple[Any, ...]] = []
    seen: set[tuple[int, int]] = set()
    while len(expertise) < min(sizes.expertise, sizes.contacts * len(names)):
        pair = (rng.randint(1, sizes.contacts), rng.randint(1, len(names)))
        if pair in seen:
            continue
        seen.add(pair)
        level = rng.choice([None, 2, 3, 4, 4, 5, 5])
        confirmed = int(rng.random() < 0.9)
        expertise.append(
            (len(expertise) + 1, _stamp(today), _stamp(today), *pair, level, "", confirmed)
        )
    return {"skills": skills, "ratings": ratings, "needs": needs, "expertise": expertise}


def search_words(gen: Generator) -> dict[str, str]:
    """Words a person would search for: common, rare, a surname, an organization."""
    heavy = gen.people[0]
    return {
        "common": "platform",
        "rare": "sabbatical",
        "surname": heavy.last,
        "organization": gen.org_names[0].split()[0],
    }


def generate(out: Path, sizes: Sizes, seed: int, today: dt.date = DEFAULT_TODAY) -> dict[str, Any]:
    """Write the database, Connections.csv, contacts.vcf and manifest.json into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    database_path = out / "rapport.db"
    for leftover in (database_path, out / "rapport.db-wal", out / "rapport.db-shm"):
        leftover.unlink(missing_ok=True)
    started = time.perf_counter()
    gen = Generator(sizes, seed, today)
    took = write_database(database_path, gen)
    db_seconds = time.perf_counter() - started
    write_connections_csv(out / "Connections.csv", gen)
    write_vcf(out / "contacts.vcf", gen)
    manifest = {
        "seed": seed,
        "today": today.isoformat(),
        "now": f"{today.isoformat()}T09:00:00",
        "tz": ZONE,
        "sizes": asdict(sizes),
        "heavy_contact": {"id": 1, "name": gen.people[0].name, "interactions": HEAVY_INTERACTIONS},
        "search": search_words(gen),
        # Mentioned in many notes: the heaviest `rapport skills candidates`.
        "skill": skill_names(sizes.skills)[0],
        "seconds": {
            "database": round(db_seconds, 2),
            "total": round(time.perf_counter() - started, 2),
            **{k: round(v, 2) for k, v in took.items()},
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=DEFAULT_TODAY)
    for f in fields(Sizes):
        if f.name != "contacts":
            parser.add_argument(f"--{f.name.replace('_', '-')}", type=int, help="(default: scaled)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = Sizes.for_contacts(args.contacts)
    overrides = {
        f.name: getattr(args, f.name)
        for f in fields(Sizes)
        if f.name != "contacts" and getattr(args, f.name) is not None
    }
    sizes = replace(sizes, **overrides)
    manifest = generate(args.out, sizes, args.seed, args.today)
    print(
        f"{args.out}: {sizes.contacts:,} contacts, {sizes.interactions:,} interactions, "
        f"{sizes.followups:,} follow-ups in {manifest['seconds']['total']} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
