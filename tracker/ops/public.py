"""What anyone may read about the crawls: each job's runs, what they stored, flagged sources.

Leaves out what only operators need or must not be public: the host and process id, the raw
crawler statistics, and secrets in messages (API keys in URLs, passwords in connection strings,
any configured key) are masked.
"""
from __future__ import annotations

import re
from typing import Iterable

from sqlmodel import Session

from tracker.ops.runs import job_status

_SECRET_PARAM = re.compile(r"(?i)([?&;](?:api[_-]?key|key|token|access_token|password|passwd|secret|sig)=)[^&\s'\"<>]+")
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@")
_HEADER_SECRET = re.compile(r"(?i)\b(x-api-key|authorization)(['\"]?\s*[:=]\s*['\"]?)(?:bearer\s+)?[^\s'\",}]+")
MASK = "***"
# What a run stored, from the ingest counters of its statistics: edtracker/ingest/<kind>/<outcome>.
_STORED = re.compile(r"^edtracker/ingest/([a-z_]+)/(insert|update|noop|error)$")
PUBLIC_FIELDS = ("id", "job_id", "started_at", "finished_at", "outcome", "inserted", "updated",
                 "unchanged", "errors")


def redact(text: str | None, secrets: Iterable[str | None] = ()) -> str | None:
    """`text` with secrets masked: key-like URL parameters, URL credentials, auth headers and
    every value in `secrets` (the configured API keys) wherever it appears."""
    if not text:
        return text
    for value in secrets:
        if value and len(value) >= 4:
            text = text.replace(value, MASK)
    text = _SECRET_PARAM.sub(lambda m: m.group(1) + MASK, text)
    text = _URL_CREDENTIALS.sub(lambda m: m.group(1) + MASK + "@", text)
    return _HEADER_SECRET.sub(lambda m: m.group(1) + m.group(2) + MASK, text)


def stored(stats: dict | None) -> dict[str, dict[str, int]]:
    """{"bill": {"insert": 8}, "vote_event": {"insert": 4}}: records a crawl stored, by kind."""
    out: dict[str, dict[str, int]] = {}
    for name, value in (stats or {}).items():
        m = _STORED.match(name)
        if m and isinstance(value, int) and value:
            out.setdefault(m.group(1), {})[m.group(2)] = value
    return out


def _public_run(run: dict | None, secrets: list[str]) -> dict | None:
    if run is None:
        return None
    out = {k: run.get(k) for k in PUBLIC_FIELDS}
    out["message"] = redact(run.get("message"), secrets)
    out["stored"] = stored(run.get("stats"))
    return out


def configured_secrets(settings) -> list[str]:
    """Every secret value of the settings, to mask wherever it shows up."""
    from urllib.parse import urlsplit

    values = [settings.secret_key, settings.congress_api_key, settings.openstates_api_key,
              settings.legiscan_api_key, settings.ny_openleg_api_key]
    for url in (settings.smtp_url, settings.database_url):
        if url:
            try:
                values.append(urlsplit(url).password)
            except ValueError:
                pass
    return [v for v in values if v and v != "change-me"]


def public_job_status(session: Session, settings=None, recent: int = 10) -> list[dict]:
    """`job_status` without host, process or raw statistics, and with secrets masked."""
    secrets = configured_secrets(settings) if settings is not None else []
    out = []
    for job in job_status(session, recent=recent):
        out.append({"job_id": job["job_id"], "last_run": _public_run(job["last_run"], secrets),
                    "last_success_at": job["last_success_at"],
                    "consecutive_failures": job["consecutive_failures"], "flagged": job["flagged"],
                    "state": job["state"], "stale": job["stale"], "failing_since": job["failing_since"],
                    "reason": redact(job["reason"], secrets),
                    "recent": [_public_run(r, secrets) for r in job["recent"]]})
    return out
