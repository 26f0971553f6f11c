"""Jurisdictions and their sessions: the registry, session identifiers, Congress facts, seed rows,
and the day "current" is judged on (`clock`)."""
