"""iCalendar for rapport: follow-ups out to any calendar, events in from any calendar.

``export`` writes follow-ups as VEVENTs or VTODOs (one file, or a vdir of one
file per follow-up); ``import_`` reads VEVENTs into plain ``items``.  A format
knows no database: rapport.services.calendar_files hands it what to write and
stores what it read.  ``export`` and ``import_`` import icalendar, so services
import them inside the functions that need them.
"""
