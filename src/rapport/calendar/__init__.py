"""iCalendar for rapport: follow-ups out to any calendar, events in from any calendar.

``export`` writes follow-ups as VEVENTs or VTODOs (one file, or a vdir of one
file per follow-up); ``import_`` reads VEVENTs into events; ``recurrence``
re-anchors and expands RRULEs in bounded time.  ``export`` and ``import_``
import icalendar, so the CLI imports them inside the commands that need them.
"""
