"""The one database proxy the models are bound to and the plain readers run through.

Apart from rapport.models so that opening a database (rapport.db) and reading
plain columns (rapport.followup_reads) do not build the 25 model classes.
"""

from __future__ import annotations

from peewee import DatabaseProxy

database = DatabaseProxy()
