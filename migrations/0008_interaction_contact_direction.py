"""The review, fast: each interaction's direction beside its participants too, kept by triggers.

The review counts, per contact, the exchanges they gave, asked and shared
(reciprocity) and reads their latest date.  Joined to the interaction table
for the direction, that is one lookup into a wide row (notes and all, the
direction stored after them) per participation: 0.2 s at 200,000
interactions.  With the direction copied into interaction_contact (as 0006
copied the date), the counts come from one narrow index.

Indexes: (contact_id, date, direction, interaction_id) replaces 0006's
(contact_id, date), which it extends: last contacted, the review's counts and
each contact's latest interaction read it alone.  (date, contact_id,
interaction_id) serves "who was talked to in these weeks" (the review's
recent activity and its gaps) without touching the interactions.

As in 0006, the copy is never written by the application: the triggers of
0006 are replaced by ones that copy both columns.
"""

COPY_FROM_INTERACTION = """
    UPDATE interaction_contact
        SET date = (SELECT date FROM interaction WHERE id = new.interaction_id),
            direction = (SELECT direction FROM interaction WHERE id = new.interaction_id)
        WHERE id = new.id;
"""
TRIGGERS = {
    "interaction_contact_copy_on_insert": (
        "AFTER INSERT ON interaction_contact",
        COPY_FROM_INTERACTION,
    ),
    "interaction_contact_copy_on_move": (
        "AFTER UPDATE OF interaction_id ON interaction_contact",
        COPY_FROM_INTERACTION,
    ),
    "interaction_copy_to_contacts": (
        "AFTER UPDATE OF date, direction ON interaction",
        "UPDATE interaction_contact SET date = new.date, direction = new.direction"
        " WHERE interaction_id = new.id;",
    ),
}
# 0006's triggers, which copied the date alone (put back by down()).
RETIRED_TRIGGERS = (
    "interaction_contact_date_on_insert",
    "interaction_contact_date_on_move",
    "interaction_date_to_contacts",
)
OLD_DATE_COPY = """
    UPDATE interaction_contact
        SET date = (SELECT date FROM interaction WHERE id = new.interaction_id)
        WHERE id = new.id;
"""
OLD_TRIGGERS = {
    "interaction_contact_date_on_insert": ("AFTER INSERT ON interaction_contact", OLD_DATE_COPY),
    "interaction_contact_date_on_move": (
        "AFTER UPDATE OF interaction_id ON interaction_contact",
        OLD_DATE_COPY,
    ),
    "interaction_date_to_contacts": (
        "AFTER UPDATE OF date ON interaction",
        "UPDATE interaction_contact SET date = new.date WHERE interaction_id = new.id;",
    ),
}


INDEXES = {
    "interaction_contact_contact_id_date_direction_interaction_id": (
        "contact_id, date, direction, interaction_id"
    ),
    "interaction_contact_date_contact_id_interaction_id": "date, contact_id, interaction_id",
}
OLD_INDEX = "interaction_contact_contact_id_date"


def _create_triggers(db, triggers):
    for name, (when, body) in triggers.items():
        db.execute_sql(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


def up(migrator, db):
    for name in RETIRED_TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    db.execute_sql("ALTER TABLE interaction_contact ADD COLUMN direction TEXT")
    db.execute_sql(
        "UPDATE interaction_contact"
        " SET direction = (SELECT direction FROM interaction WHERE id = interaction_id)"
    )
    db.execute_sql(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    for name, columns in INDEXES.items():
        db.execute_sql(f"CREATE INDEX {name} ON interaction_contact ({columns})")
    _create_triggers(db, TRIGGERS)


def down(migrator, db):
    for name in TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    for name in INDEXES:
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")
    migrator.migrate(migrator.drop_column("interaction_contact", "direction"))
    db.execute_sql(f"CREATE INDEX {OLD_INDEX} ON interaction_contact (contact_id, date)")
    _create_triggers(db, OLD_TRIGGERS)
