"""Jurisdictions and their sessions: the registry, session identifiers, Congress facts, seed rows."""
