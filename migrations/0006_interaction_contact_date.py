"""Last contacted, fast: each interaction's date beside its participants, kept by triggers.

"Last contacted" is the latest interaction date per contact.  Computed by
joining interaction_contact to interaction, it costs one lookup into the wide
interaction table (notes and all) per participation: about 0.5 s at 200,000
interactions, paid by every contact list, `rapport today` and the app's
start.  With the date copied into interaction_contact and an index on
(contact_id, date), the same answer is one scan of a narrow index (about 40 ms).

The copy is never written by the application: triggers fill it when a
participant is added or moved to another interaction and follow the
interaction when its date changes, so every writer (importers included)
keeps it right without knowing it exists.
"""

FILL_FROM_INTERACTION = """
    UPDATE interaction_contact
        SET date = (SELECT date FROM interaction WHERE id = new.interaction_id)
        WHERE id = new.id;
"""
TRIGGERS = {
    "interaction_contact_date_on_insert": (
        "AFTER INSERT ON interaction_contact",
        FILL_FROM_INTERACTION,
    ),
    "interaction_contact_date_on_move": (
        "AFTER UPDATE OF interaction_id ON interaction_contact",
        FILL_FROM_INTERACTION,
    ),
    "interaction_date_to_contacts": (
        "AFTER UPDATE OF date ON interaction",
        "UPDATE interaction_contact SET date = new.date WHERE interaction_id = new.id;",
    ),
}


def up(migrator, db):
    db.execute_sql("ALTER TABLE interaction_contact ADD COLUMN date DATE")
    db.execute_sql(
        "UPDATE interaction_contact"
        " SET date = (SELECT date FROM interaction WHERE id = interaction_id)"
    )
    db.execute_sql(
        "CREATE INDEX interaction_contact_contact_id_date ON interaction_contact (contact_id, date)"
    )
    for name, (when, body) in TRIGGERS.items():
        db.execute_sql(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


def down(migrator, db):
    for name in TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    db.execute_sql("DROP INDEX IF EXISTS interaction_contact_contact_id_date")
    migrator.migrate(migrator.drop_column("interaction_contact", "date"))
