"""Undo of done and snooze: how a follow-up was before, newest last (rapport.services.undo)."""


def up(migrator, db):
    db.execute_sql(
        """
        CREATE TABLE follow_up_undo (
            id INTEGER NOT NULL PRIMARY KEY,
            follow_up_id INTEGER NOT NULL REFERENCES follow_up (id) ON DELETE CASCADE,
            action TEXT NOT NULL,
            due_date DATE NOT NULL,
            due_time TIME,
            done INTEGER NOT NULL,
            done_at DATETIME,
            thanked INTEGER NOT NULL DEFAULT 0,
            stamp DATETIME NOT NULL
        )
        """
    )
    db.execute_sql("CREATE INDEX follow_up_undo_follow_up_id ON follow_up_undo (follow_up_id)")


def down(migrator, db):
    db.execute_sql("DROP TABLE IF EXISTS follow_up_undo")
