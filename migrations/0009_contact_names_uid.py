"""Each contact's given and family names as its source gave them, and the UID of its vCard.

A vCard's N, LinkedIn's First Name and Last Name columns and a spreadsheet's
name columns say which part of a name is the family name; guessed from the
last word instead, "Ana García López" and "Sam Okafor Jr." come out wrong in
every address book the export reaches.  The UID of an imported vCard is what
an address book and a vdir know the person by: kept, it is written again on
export, so a sync updates the card instead of duplicating it.

Empty for the contacts already there (their export keeps guessing, as
before, and their UID stays the one rapport derives).  Plain ALTER TABLE:
the contact table's search triggers stay untouched.
"""

COLUMNS = ("given_name", "family_name", "vcard_uid")


def up(migrator, db):
    for column in COLUMNS:
        db.execute_sql(f"ALTER TABLE contact ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")


def down(migrator, db):
    for column in COLUMNS:
        migrator.migrate(migrator.drop_column("contact", column))
