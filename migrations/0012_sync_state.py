"""Two-way sync: per vdir and UID, what rapport and the file said when they last agreed.

``rapport sync`` decides per item, as vdirsyncer does: the hash of the file
as rapport last wrote or read it says whether another client changed it (no
file is re-serialized to compare), ``rapport_sequence`` whether rapport did,
and the fields of both sides at that moment (JSON) which fields each side
changed.  ``sequence`` is the highest SEQUENCE seen, so it never goes down.
``record_id`` is the contact a card from another client became (its UID
is the card's, not one rapport made).  ``gone_at`` marks an item whose file
another client deleted, kept until the person confirms.  Not part of
``export json``: it describes folders of this machine, not the network.
"""

TABLE = """
CREATE TABLE sync_state (
    id INTEGER NOT NULL PRIMARY KEY,
    vdir TEXT NOT NULL,
    uid TEXT NOT NULL,
    kind TEXT NOT NULL,
    record_id INTEGER,
    href TEXT NOT NULL,
    hash TEXT NOT NULL,
    sequence INTEGER NOT NULL DEFAULT 0,
    rapport_sequence INTEGER NOT NULL DEFAULT 0,
    ours TEXT NOT NULL DEFAULT '{}',
    theirs TEXT NOT NULL DEFAULT '{}',
    gone_at DATETIME,
    synced_at DATETIME NOT NULL
)
"""
INDEX = "CREATE UNIQUE INDEX sync_state_vdir_uid ON sync_state (vdir, uid)"


def up(migrator, db):
    db.execute_sql(TABLE)
    db.execute_sql(INDEX)


def down(migrator, db):
    db.execute_sql("DROP TABLE sync_state")
