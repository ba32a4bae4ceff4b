"""The review's reciprocity, counted as exchanges are written: each contact's by direction.

`rapport review` shows, for every person behind a goal, how many exchanges
they gave, asked and shared.  Counted on each run, that read every past
exchange of every linked person (101,000 index entries at 30,000 contacts,
22 ms of the review's 240).  exchange_count keeps the number of each
contact's exchanges in each direction, whatever their date; the review reads
a row per linked person and takes away the few dated after today, which are
not exchanges yet.

Kept by triggers on interaction_contact, never by the application, so every
way a participation is written counts: logging, editing and deleting an
interaction (its direction reaches interaction_contact through 0008's
triggers), merging contacts, deleting a contact (its participations go by
their foreign key, whose deletes fire triggers), undo, and an import or
restore of a JSON file.  A participation has no direction for a moment while
0008's trigger copies it in: only a direction is counted, so that moment
moves nothing.  A count that reaches zero stays as a row of zero.
"""

TABLE = """
CREATE TABLE exchange_count (
    contact_id INTEGER NOT NULL REFERENCES contact (id) ON DELETE CASCADE,
    direction TEXT NOT NULL,
    exchanges INTEGER NOT NULL,
    PRIMARY KEY (contact_id, direction)
) WITHOUT ROWID
"""
COUNT_NEW = """
    INSERT INTO exchange_count (contact_id, direction, exchanges)
        SELECT new.contact_id, new.direction, 1 WHERE new.direction IS NOT NULL
        ON CONFLICT (contact_id, direction) DO UPDATE SET exchanges = exchanges + 1;
"""
UNCOUNT_OLD = """
    UPDATE exchange_count SET exchanges = exchanges - 1
        WHERE contact_id = old.contact_id AND direction = old.direction;
"""
TRIGGERS = {
    "exchange_count_on_insert": ("AFTER INSERT ON interaction_contact", COUNT_NEW),
    "exchange_count_on_change": (
        "AFTER UPDATE OF contact_id, direction ON interaction_contact"
        " WHEN old.contact_id IS NOT new.contact_id OR old.direction IS NOT new.direction",
        UNCOUNT_OLD + COUNT_NEW,
    ),
    "exchange_count_on_delete": ("AFTER DELETE ON interaction_contact", UNCOUNT_OLD),
}
# Migrations run with every trigger lifted (rapport.db._migrate): the counts
# of the rows there now are taken in one statement.
FILL = """
INSERT INTO exchange_count (contact_id, direction, exchanges)
    SELECT contact_id, direction, COUNT(*) FROM interaction_contact
    WHERE direction IS NOT NULL
    GROUP BY contact_id, direction
"""


def up(migrator, db):
    db.execute_sql(TABLE)
    db.execute_sql(FILL)
    for name, (when, body) in TRIGGERS.items():
        db.execute_sql(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


def down(migrator, db):
    for name in TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    db.execute_sql("DROP TABLE IF EXISTS exchange_count")
