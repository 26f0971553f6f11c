"""Legislators: read queries, matching printed names to people, aliases, and the data-quality report."""
