"""The `edtracker` command: the one place (with scheduler.py) that wires tracker, scrapers and api."""
