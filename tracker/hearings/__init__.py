"""Hearings across legislatures: the filtered list behind `/hearings` and `/api/hearings`, and
the iCalendar writer its feed and the alerts' feed share."""
