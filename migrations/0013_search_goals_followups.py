"""Search over goals and follow-ups too: a document for each, kept in step by triggers.

Goals are documents of kind 7 (title: the title; body: why, the specific
outcome and the measure of success), follow-ups of kind 0 (title: what to
do; body: the notes), with rowid = id * 8 + kind as in 0001: 0 and 7 are
the two kinds the scheme had left.  A follow-up is updated often for reasons
search does not see (done, snoozed, its SEQUENCE, a sync), so its document
is rewritten only when its title or notes change.  The insert triggers have
the one-INSERT shape rapport.bulk.indexed_once looks for, so an import of
thousands of follow-ups indexes them in one statement.  The rows already
there are indexed here, once.
"""

from rapport.db import script_statements


def _words(*columns):
    # concat_ws() needs SQLite 3.44; this runs on older ones too.
    return " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)


GOAL_DOC = _words("new.why", "new.specific", "new.measure")
FOLLOW_UP_DOC = "new.notes"

SEARCH = f"""
CREATE TRIGGER search_goal_insert AFTER INSERT ON goal BEGIN
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 8 + 7, new.title, {GOAL_DOC});
END;
CREATE TRIGGER search_goal_update AFTER UPDATE OF title, why, specific, measure ON goal BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 7;
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 8 + 7, new.title, {GOAL_DOC});
END;
CREATE TRIGGER search_goal_delete AFTER DELETE ON goal BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8 + 7;
END;

CREATE TRIGGER search_follow_up_insert AFTER INSERT ON follow_up BEGIN
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 8, new.title, {FOLLOW_UP_DOC});
END;
CREATE TRIGGER search_follow_up_update AFTER UPDATE OF title, notes ON follow_up BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8;
    INSERT INTO search_index (rowid, title, body) VALUES (new.id * 8, new.title, {FOLLOW_UP_DOC});
END;
CREATE TRIGGER search_follow_up_delete AFTER DELETE ON follow_up BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 8;
END;
"""

# The rows written before this migration, each indexed as its trigger would.
FILL = f"""
INSERT INTO search_index (rowid, title, body)
    SELECT id * 8 + 7, title, {GOAL_DOC} FROM goal AS new;
INSERT INTO search_index (rowid, title, body)
    SELECT id * 8, title, {FOLLOW_UP_DOC} FROM follow_up AS new;
"""

TRIGGERS = (
    "search_goal_insert",
    "search_goal_update",
    "search_goal_delete",
    "search_follow_up_insert",
    "search_follow_up_update",
    "search_follow_up_delete",
)


def up(migrator, db):
    for sql in script_statements(SEARCH + FILL):
        db.execute_sql(sql)


def down(migrator, db):
    for name in TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    db.execute_sql("DELETE FROM search_index WHERE rowid % 8 IN (0, 7)")
