"""iCalendar for rapport: follow-ups out to any calendar, events in from any calendar.

``export`` writes follow-ups as VEVENTs or VTODOs (one file, or a vdir of one
file per follow-up), as text made by ``writer`` from what ``entries`` says of
each; ``import_`` reads VEVENTs into plain ``items``; ``vdir`` reads and edits
the files sync shares with other clients.  A format knows no database:
rapport.services.calendar_files hands it what to write and stores what it
read.  icalendar parses every file read and makes each VTIMEZONE
(``components``); it is imported only where that is needed, and services
import the formats inside the functions that use them.
"""
