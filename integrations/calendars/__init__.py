"""Two-way calendars over CalDAV: each person's own calendar, kept in step.

`sync.calendar_sync` writes the person's meetings in and reads their busy times back;
`connections` holds the connection's writes; `client` is the only module that talks
to a server.
"""
