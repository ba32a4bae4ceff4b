"""Know where you stand: skills and their dated ratings, strengths, interests and values,
what each goal needs, what each contact knows, and search over all of it.

A skill is one per name whatever its case (``COLLATE NOCASE``); a rating is a
row, not a field, so the current level is the latest one and its history is
kept.  Levels are checked by the schema too (1 aware .. 5 expert), so no
writer can store a level the scale does not name.

The weekly promise: ``promise`` holds what the person commits to at a
check-in (and, when they say so, that it was missed and why); ``checkin``
keeps the check-in written that day, to be read again.

Search: skills are documents of kind 5 (title: the name; body: aliases, notes
and the notes of its ratings), traits of kind 6 (rowid = id * 8 + kind, as in
0001).  A rating written, changed or deleted touches its skill, whose trigger
rewrites the document.  The skill's insert trigger is not named
``search_skill_insert``: a bulk restore (rapport.bulk.indexed_once) suspends
triggers of that name and indexes the new rows once at the end, but a skill's
document is made of its ratings too, which arrive after it and rewrite it.
"""

from rapport.db import script_statements

TABLES = """
CREATE TABLE skill (
    id INTEGER NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    aliases TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX skill_name ON skill (name);

CREATE TABLE skill_rating (
    id INTEGER NOT NULL PRIMARY KEY,
    skill_id INTEGER NOT NULL REFERENCES skill (id) ON DELETE CASCADE,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    date DATE NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX skill_rating_skill_id_date ON skill_rating (skill_id, date);

CREATE TABLE trait (
    id INTEGER NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('strength', 'interest', 'value')),
    phrase TEXT NOT NULL COLLATE NOCASE,
    note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX trait_kind_phrase ON trait (kind, phrase);

CREATE TABLE goal_need (
    id INTEGER NOT NULL PRIMARY KEY,
    goal_id INTEGER NOT NULL REFERENCES goal (id) ON DELETE CASCADE,
    skill_id INTEGER NOT NULL REFERENCES skill (id) ON DELETE CASCADE,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX goal_need_goal_id_skill_id ON goal_need (goal_id, skill_id);
CREATE INDEX goal_need_skill_id ON goal_need (skill_id);

CREATE TABLE expertise (
    id INTEGER NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    skill_id INTEGER NOT NULL REFERENCES skill (id) ON DELETE CASCADE,
    level INTEGER CHECK (level BETWEEN 1 AND 5),
    note TEXT NOT NULL DEFAULT '',
    confirmed INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX expertise_contact_id_skill_id ON expertise (contact_id, skill_id);
CREATE INDEX expertise_skill_id ON expertise (skill_id);

CREATE TABLE promise (
    id INTEGER NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL,
    made_on DATE NOT NULL,
    text TEXT NOT NULL,
    missed INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX promise_made_on ON promise (made_on);

CREATE TABLE checkin (
    id INTEGER NOT NULL PRIMARY KEY,
    created_at DATETIME NOT NULL,
    day DATE NOT NULL,
    text TEXT NOT NULL
);
CREATE UNIQUE INDEX checkin_day ON checkin (day);

ALTER TABLE follow_up ADD COLUMN skill_id INTEGER REFERENCES skill (id) ON DELETE SET NULL;
CREATE INDEX follow_up_skill_id ON follow_up (skill_id);
ALTER TABLE interview ADD COLUMN skill_id INTEGER REFERENCES skill (id) ON DELETE SET NULL;
CREATE INDEX interview_skill_id ON interview (skill_id);
"""

SKILL_DOC = (
    "trim(replace(new.aliases, ',', ' ') || ' ' || new.notes || ' ' || coalesce("
    "(SELECT group_concat(note, ' ') FROM skill_rating WHERE skill_id = new.id), ''))"
)
TOUCH_SKILL = "UPDATE skill SET name = name WHERE id = {row}.skill_id;"

SEARCH = f"""
CREATE TRIGGER search_skill_added AFTER INSERT ON skill BEGIN
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 8 + 5, new.name, {SKILL_DOC});
END;
CREATE TRIGGER search_skill_update AFTER UPDATE ON skill BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 5;
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 8 + 5, new.name, {SKILL_DOC});
END;
CREATE TRIGGER search_skill_delete AFTER DELETE ON skill BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 5;
END;
CREATE TRIGGER search_skill_rating_insert AFTER INSERT ON skill_rating BEGIN
    {TOUCH_SKILL.format(row="new")}
END;
CREATE TRIGGER search_skill_rating_update AFTER UPDATE ON skill_rating BEGIN
    {TOUCH_SKILL.format(row="old")}
    {TOUCH_SKILL.format(row="new")}
END;
CREATE TRIGGER search_skill_rating_delete AFTER DELETE ON skill_rating BEGIN
    {TOUCH_SKILL.format(row="old")}
END;

CREATE TRIGGER search_trait_insert AFTER INSERT ON trait BEGIN
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 8 + 6, new.phrase, new.note);
END;
CREATE TRIGGER search_trait_update AFTER UPDATE ON trait BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 6;
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 8 + 6, new.phrase, new.note);
END;
CREATE TRIGGER search_trait_delete AFTER DELETE ON trait BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 6;
END;
"""

NEW_TABLES = ("checkin", "promise", "expertise", "goal_need", "trait", "skill_rating", "skill")
TRIGGERS = (
    "search_skill_added",
    "search_skill_update",
    "search_skill_delete",
    "search_skill_rating_insert",
    "search_skill_rating_update",
    "search_skill_rating_delete",
    "search_trait_insert",
    "search_trait_update",
    "search_trait_delete",
)


def up(migrator, db):
    for sql in script_statements(TABLES + SEARCH):
        db.execute_sql(sql)


def down(migrator, db):
    for name in TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    db.execute_sql("DELETE FROM search_index WHERE rowid % 8 IN (5, 6)")
    for table in ("follow_up", "interview"):
        # peewee drops a column by rebuilding the table, which takes its
        # triggers with it (the tombstone, the search): put them back after.
        triggers = db.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
        ).fetchall()
        db.execute_sql(f"DROP INDEX IF EXISTS {table}_skill_id")
        migrator.migrate(migrator.drop_column(table, "skill_id"))
        present = {
            row[0] for row in db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'trigger'")
        }
        for (sql,) in triggers:
            if sql not in present:
                db.execute_sql(sql)
    for name in NEW_TABLES:
        db.execute_sql(f'DROP TABLE IF EXISTS "{name}"')
