"""API keys in URLs: keep them out of stored source URLs and out of every log line.

Keyed APIs (LegiScan `key=`, Congress.gov `api_key=`) take the key as a query parameter, so the
request URL holds it; Scrapy, the retry middleware and our own messages print request URLs.
"""
from __future__ import annotations

import logging
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def strip_params(url: str, *names: str) -> str:
    """The URL without the named query parameters (what logs and stored records may show)."""
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in names])
    return urlunsplit(parts._replace(query=query))


def set_params(url: str, **params: str) -> str:
    """The URL with these query parameters set (replacing any of the same name)."""
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return urlunsplit(parts._replace(query=urlencode(kept + list(params.items()))))


class RedactSecret(logging.Filter):
    """Replaces a secret in every log line it passes through with a placeholder."""

    def __init__(self, secret: str, placeholder: str):
        super().__init__()
        self.secret, self.placeholder = secret, placeholder

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        if self.secret in msg:
            record.msg, record.args = msg.replace(self.secret, self.placeholder), ()
        return True


def redact_logs(secret: str, placeholder: str) -> RedactSecret:
    """Install the filter on every root handler (they exist once the crawl runs)."""
    redact = RedactSecret(secret, placeholder)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    return redact
