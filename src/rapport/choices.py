"""The fixed choices some fields take (goal priorities, link roles, directions), without the models.

The models check them; the plain review (on SQLite's own connection, without
peewee) prints and ranks by them too.
"""

from __future__ import annotations

GOAL_PRIORITIES = {1: "high", 2: "normal", 3: "low"}
DIRECTIONS = ("gave", "asked", "mutual")
LINK_ROLES = ("mentor", "sponsor", "referrer", "hiring-manager", "peer", "other")
