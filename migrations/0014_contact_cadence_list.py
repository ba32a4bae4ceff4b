"""Going cold, read from a small index: the contacts with a cadence, in the list's order.

`rapport today` lists the contacts whose stay-in-touch date has passed; only
a contact with a cadence can be one (3,600 of 30,000 in the bench's network).
Read from the table, that was a scan of every contact's wide row (notes and
all, 1,800 pages at 30,000 contacts) and a sort.  This partial index holds
only the contacts with a cadence, in the list's order (name without ASCII
case, then id), with every column the list reads: `contact_columns(due_only=
True)` reads it alone, sorted (about 10 ms of `today`'s 150 ms CPU at 30,000,
most of it the pages a new process reads).  It costs a write only when a
contact with a cadence changes.
"""

INDEX = (
    "CREATE INDEX contact_cadence_list ON contact ("
    "name COLLATE NOCASE, id, organization_id, role, email, tags, cadence_days, archived,"
    " connected_on, created_at) WHERE cadence_days IS NOT NULL"
)


def up(migrator, db):
    db.execute_sql(INDEX)


def down(migrator, db):
    db.execute_sql("DROP INDEX IF EXISTS contact_cadence_list")
