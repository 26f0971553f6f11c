"""Alerts (issue 7): change events derived from ingest, subscriptions, the outbox and its senders.

`tracker.alerts.events.record_event` is the entry point for other writers (scorecards, positions).
"""
