"""Each contact's latest exchange date, kept as exchanges are written: the contact list's
"last contacted" read from a small table instead of the exchanges' index.

`rapport contacts list` shows every contact's latest exchange on or before
today.  Looked up per contact, that was 29,400 seeks into the 227,000 entries
of interaction_contact's (contact_id, date) index at 30,000 contacts, 15 ms of
the list's CPU.  contact_touch keeps each contact's latest participation date,
whatever it is; the list reads it in the row it already joins and seeks the
index only for the contact whose latest is after today (a planned exchange).

Kept by triggers on interaction_contact, never by the application, so every
way a participation is written keeps it: logging, editing (an interaction's
date reaches interaction_contact through 0006's triggers) and deleting an
interaction, merging contacts, deleting a contact (its participations go by
their foreign key, whose deletes fire triggers), undo, and an import or
restore of a JSON file.  A contact with no dated participation has no row, or
a row of NULL once its last one is gone: a participation going away only
updates (its contact may be going away too, and a row written for it would
point at nobody), and the latest is sought again only when the one going was
it.
"""

TABLE = """
CREATE TABLE contact_touch (
    contact_id INTEGER PRIMARY KEY REFERENCES contact (id) ON DELETE CASCADE,
    last_on DATE
)
"""
# The participation's date as it is stored now, if later than the kept one
# (or none is kept).  Read from the row, not from ``new``: a participation
# written with a date gets its interaction's at once from 0008's trigger, and
# where that trigger fires first (every upgrade makes the older triggers
# again after the newer ones), ``new.date`` is the copy it has just replaced.
RAISE_NEW = """
    INSERT INTO contact_touch (contact_id, last_on)
        SELECT contact_id, date FROM interaction_contact WHERE id = new.id AND date IS NOT NULL
        ON CONFLICT (contact_id) DO UPDATE SET last_on = excluded.last_on
        WHERE last_on IS NULL OR excluded.last_on > last_on;
"""
# The old participation was the latest (or as late): the latest sought again
# among those left, read after the change.
SEEK_OLD = """
    UPDATE contact_touch
        SET last_on = (SELECT MAX(date) FROM interaction_contact WHERE contact_id = old.contact_id)
        WHERE contact_id = old.contact_id AND last_on <= old.date;
"""
TRIGGERS = {
    "contact_touch_on_insert": ("AFTER INSERT ON interaction_contact", RAISE_NEW),
    "contact_touch_on_change": (
        "AFTER UPDATE OF contact_id, date ON interaction_contact"
        " WHEN old.contact_id IS NOT new.contact_id OR old.date IS NOT new.date",
        SEEK_OLD + RAISE_NEW,
    ),
    "contact_touch_on_delete": ("AFTER DELETE ON interaction_contact", SEEK_OLD),
}
# Migrations run with every trigger lifted (rapport.db._migrate): the latest
# of the rows there now are taken in one statement.
FILL = """
INSERT INTO contact_touch (contact_id, last_on)
    SELECT contact_id, MAX(date) FROM interaction_contact
    WHERE date IS NOT NULL
    GROUP BY contact_id
"""


def up(migrator, db):
    db.execute_sql(TABLE)
    db.execute_sql(FILL)
    for name, (when, body) in TRIGGERS.items():
        db.execute_sql(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


def down(migrator, db):
    for name in TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    db.execute_sql("DROP TABLE IF EXISTS contact_touch")
