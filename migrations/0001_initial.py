"""The first schema: goals, the network, what happened with whom, and search.

Written as plain SQL rather than frozen models, so the exact constraints
(case-insensitive organization names, one target per goal link, partial
unique indexes, the full-text index and its triggers) are visible here.
"""

from rapport.db import script_statements

TABLES = """
CREATE TABLE goal (
    id INTEGER NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    title TEXT NOT NULL,
    why TEXT NOT NULL DEFAULT '',
    horizon TEXT NOT NULL DEFAULT 'short',
    specific TEXT NOT NULL DEFAULT '',
    measure TEXT NOT NULL DEFAULT '',
    target_date DATE,
    status TEXT NOT NULL DEFAULT 'active',
    priority INTEGER NOT NULL DEFAULT 2,
    parent_id INTEGER REFERENCES goal (id) ON DELETE SET NULL
);
CREATE INDEX goal_parent_id ON goal (parent_id);

CREATE TABLE organization (
    id INTEGER NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    industry TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX organization_name ON organization (name);

CREATE TABLE event (
    id INTEGER NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'meetup',
    start_date DATE NOT NULL,
    start_time TIME,
    end_date DATE,
    end_time TIME,
    tz TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    my_role TEXT NOT NULL DEFAULT 'attendee',
    status TEXT NOT NULL DEFAULT 'considering',
    notes TEXT NOT NULL DEFAULT '',
    ics_uid TEXT,
    ics_sequence INTEGER NOT NULL DEFAULT 0,
    rrule TEXT NOT NULL DEFAULT '',
    exdates TEXT NOT NULL DEFAULT ''
);
CREATE INDEX event_start_date ON event (start_date);
CREATE UNIQUE INDEX event_ics_uid ON event (ics_uid);

CREATE TABLE contact (
    id INTEGER NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    name TEXT NOT NULL,
    organization_id INTEGER REFERENCES organization (id) ON DELETE SET NULL,
    role TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    linkedin_url TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    how_met TEXT NOT NULL DEFAULT '',
    introduced_by_id INTEGER REFERENCES contact (id) ON DELETE SET NULL,
    met_at_id INTEGER REFERENCES event (id) ON DELETE SET NULL,
    tags TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    cadence_days INTEGER,
    archived INTEGER NOT NULL DEFAULT 0,
    connected_on DATE,
    birthday TEXT NOT NULL DEFAULT '',
    other_emails TEXT NOT NULL DEFAULT '',
    other_phones TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contact_name ON contact (name);
CREATE INDEX contact_organization_id ON contact (organization_id);
CREATE INDEX contact_email ON contact (email);
CREATE INDEX contact_linkedin_url ON contact (linkedin_url);
CREATE INDEX contact_introduced_by_id ON contact (introduced_by_id);
CREATE INDEX contact_met_at_id ON contact (met_at_id);

CREATE TABLE interaction (
    id INTEGER NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    date DATE NOT NULL,
    channel TEXT NOT NULL DEFAULT 'meeting',
    summary TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    direction TEXT NOT NULL DEFAULT 'mutual'
);
CREATE INDEX interaction_date ON interaction (date);

CREATE TABLE interaction_contact (
    id INTEGER NOT NULL PRIMARY KEY,
    interaction_id INTEGER NOT NULL REFERENCES interaction (id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX interaction_contact_contact_id_interaction_id
    ON interaction_contact (contact_id, interaction_id);
CREATE INDEX interaction_contact_interaction_id ON interaction_contact (interaction_id);

CREATE TABLE interview (
    id INTEGER NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    scheduled_date DATE,
    scheduled_time TIME,
    tz TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'planned',
    questions TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    advice TEXT NOT NULL DEFAULT '',
    thank_you_sent INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX interview_contact_id ON interview (contact_id);
CREATE INDEX interview_scheduled_date ON interview (scheduled_date);

CREATE TABLE interview_referral (
    id INTEGER NOT NULL PRIMARY KEY,
    interview_id INTEGER NOT NULL REFERENCES interview (id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX interview_referral_interview_id_contact_id
    ON interview_referral (interview_id, contact_id);
CREATE INDEX interview_referral_contact_id ON interview_referral (contact_id);

CREATE TABLE event_attendee (
    id INTEGER NOT NULL PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES event (id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX event_attendee_event_id_contact_id ON event_attendee (event_id, contact_id);
CREATE INDEX event_attendee_contact_id ON event_attendee (contact_id);

CREATE TABLE follow_up (
    id INTEGER NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    title TEXT NOT NULL,
    contact_id INTEGER REFERENCES contact (id) ON DELETE CASCADE,
    interview_id INTEGER REFERENCES interview (id) ON DELETE SET NULL,
    event_id INTEGER REFERENCES event (id) ON DELETE SET NULL,
    due_date DATE NOT NULL,
    due_time TIME,
    tz TEXT NOT NULL DEFAULT '',
    rrule TEXT NOT NULL DEFAULT '',
    series_start DATE,
    notes TEXT NOT NULL DEFAULT '',
    done INTEGER NOT NULL DEFAULT 0,
    done_at DATETIME,
    uid TEXT NOT NULL,
    sequence INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX follow_up_uid ON follow_up (uid);
CREATE INDEX follow_up_done_due_date ON follow_up (done, due_date);
CREATE INDEX follow_up_contact_id ON follow_up (contact_id);
CREATE INDEX follow_up_interview_id ON follow_up (interview_id);
CREATE INDEX follow_up_event_id ON follow_up (event_id);

CREATE TABLE follow_up_tombstone (
    id INTEGER NOT NULL PRIMARY KEY,
    uid TEXT NOT NULL,
    title TEXT NOT NULL,
    due_date DATE NOT NULL,
    due_time TIME,
    tz TEXT NOT NULL DEFAULT '',
    sequence INTEGER NOT NULL,
    deleted_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX follow_up_tombstone_uid ON follow_up_tombstone (uid);

CREATE TABLE goal_link (
    id INTEGER NOT NULL PRIMARY KEY,
    goal_id INTEGER NOT NULL REFERENCES goal (id) ON DELETE CASCADE,
    contact_id INTEGER REFERENCES contact (id) ON DELETE CASCADE,
    interview_id INTEGER REFERENCES interview (id) ON DELETE CASCADE,
    event_id INTEGER REFERENCES event (id) ON DELETE CASCADE,
    follow_up_id INTEGER REFERENCES follow_up (id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    CHECK ((contact_id IS NOT NULL) + (interview_id IS NOT NULL)
           + (event_id IS NOT NULL) + (follow_up_id IS NOT NULL) = 1)
);
CREATE INDEX goal_link_goal_id ON goal_link (goal_id);
CREATE UNIQUE INDEX goal_link_contact ON goal_link (contact_id, goal_id)
    WHERE contact_id IS NOT NULL;
CREATE UNIQUE INDEX goal_link_interview ON goal_link (interview_id, goal_id)
    WHERE interview_id IS NOT NULL;
CREATE UNIQUE INDEX goal_link_event ON goal_link (event_id, goal_id)
    WHERE event_id IS NOT NULL;
CREATE UNIQUE INDEX goal_link_follow_up ON goal_link (follow_up_id, goal_id)
    WHERE follow_up_id IS NOT NULL;

-- A deleted follow-up leaves a tombstone, however it was deleted (a cascade
-- from its contact included), so the next calendar export can cancel it.
CREATE TRIGGER follow_up_tombstone_on_delete AFTER DELETE ON follow_up BEGIN
    INSERT OR REPLACE INTO follow_up_tombstone
        (uid, title, due_date, due_time, tz, sequence, deleted_at)
    VALUES (old.uid, old.title, old.due_date, old.due_time, old.tz, old.sequence + 1,
            strftime('%Y-%m-%d %H:%M:%f', 'now'));
END;
"""

# Full-text search over the network.  One FTS5 table holds a document per
# contact, interaction, interview and event; its rowid encodes the kind
# (rowid = id * 8 + kind) so a trigger can replace one document by rowid,
# without scanning.  Kinds: 1 contact, 2 interaction, 3 interview, 4 event.


def _words(*columns):
    # concat_ws() needs SQLite 3.44; this runs on older ones too.
    return " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)


CONTACT_DOC = _words(
    "(SELECT name FROM organization WHERE id = new.organization_id)",
    "new.role",
    "new.email",
    "new.location",
    "new.how_met",
    "replace(new.tags, ',', ' ')",
    "new.notes",
)
INTERVIEW_DOC = _words("new.questions", "new.notes", "new.advice")
EVENT_DOC = _words("new.kind", "new.location", "new.notes")

SEARCH = f"""
CREATE VIRTUAL TABLE search_index USING fts5(
    title, body,
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3'
);

CREATE TRIGGER search_contact_insert AFTER INSERT ON contact BEGIN
    INSERT INTO search_index (rowid, title, body)
        VALUES (new.id * 8 + 1, new.name, {CONTACT_DOC});
END;
CREATE TRIGGER search_contact_update AFTER UPDATE ON contact BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 1;
    INSERT INTO search_index (rowid, title, body)
        VALUES (new.id * 8 + 1, new.name, {CONTACT_DOC});
END;
CREATE TRIGGER search_contact_delete AFTER DELETE ON contact BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 1;
END;
-- Documents that quote another record's name follow it when it changes.
CREATE TRIGGER search_organization_rename AFTER UPDATE OF name ON organization BEGIN
    UPDATE contact SET organization_id = organization_id WHERE organization_id = new.id;
END;
CREATE TRIGGER search_contact_rename AFTER UPDATE OF name ON contact BEGIN
    UPDATE interview SET contact_id = contact_id WHERE contact_id = new.id;
END;

CREATE TRIGGER search_interaction_insert AFTER INSERT ON interaction BEGIN
    INSERT INTO search_index (rowid, title, body)
        VALUES (new.id * 8 + 2, new.summary, new.notes);
END;
CREATE TRIGGER search_interaction_update AFTER UPDATE ON interaction BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 2;
    INSERT INTO search_index (rowid, title, body)
        VALUES (new.id * 8 + 2, new.summary, new.notes);
END;
CREATE TRIGGER search_interaction_delete AFTER DELETE ON interaction BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 2;
END;

CREATE TRIGGER search_interview_insert AFTER INSERT ON interview BEGIN
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 8 + 3,
        (SELECT name FROM contact WHERE id = new.contact_id), {INTERVIEW_DOC});
END;
CREATE TRIGGER search_interview_update AFTER UPDATE ON interview BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 3;
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 8 + 3,
        (SELECT name FROM contact WHERE id = new.contact_id), {INTERVIEW_DOC});
END;
CREATE TRIGGER search_interview_delete AFTER DELETE ON interview BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 3;
END;

CREATE TRIGGER search_event_insert AFTER INSERT ON event BEGIN
    INSERT INTO search_index (rowid, title, body)
        VALUES (new.id * 8 + 4, new.name, {EVENT_DOC});
END;
CREATE TRIGGER search_event_update AFTER UPDATE ON event BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 4;
    INSERT INTO search_index (rowid, title, body)
        VALUES (new.id * 8 + 4, new.name, {EVENT_DOC});
END;
CREATE TRIGGER search_event_delete AFTER DELETE ON event BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 4;
END;
"""


def up(migrator, db):
    for sql in script_statements(TABLES + SEARCH):
        db.execute_sql(sql)


def down(migrator, db):
    for name in (
        "search_index",
        "goal_link",
        "follow_up_tombstone",
        "follow_up",
        "event_attendee",
        "interview_referral",
        "interview",
        "interaction_contact",
        "interaction",
        "contact",
        "event",
        "organization",
        "goal",
    ):
        db.execute_sql(f'DROP TABLE IF EXISTS "{name}"')
