"""Retries with exponential backoff that honor a server's Retry-After; metered APIs' requests
counted in the budget ledger."""
from __future__ import annotations

import email.utils
import logging
import time

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet import reactor
from twisted.internet.task import deferLater

log = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Parse Retry-After: delay seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now or time.time()))


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, waiting Retry-After (or base * 2**attempt) before each new try."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("EDTRACKER_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("EDTRACKER_RETRY_AFTER_MAX", 900.0)

    async def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        attempt = request.meta.get("retry_times", 0)
        delay = retry_after_seconds(response.headers.get(b"Retry-After"))
        stats = self.crawler.stats
        if delay is not None:
            stats.inc_value("edtracker/retry_after")
            if delay > self.cap:
                log.warning("%s asks to wait %.0fs (more than %.0fs): giving up on %s",
                            response.url, delay, self.cap, request.url)
                stats.inc_value("edtracker/retry_after_too_long")
                return response
        else:
            delay = self.base * (2 ** attempt)
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        if delay > 0:
            log.info("HTTP %s on %s: retrying in %.1fs", response.status, request.url, delay)
            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
        return retry


class ApiBudgetMiddleware:
    """Counts each HTTP request a metered spider sends (`spider.metered_api`), retries included,
    in the database's budget ledger, and drops the request when the API's current window is spent
    (another crawl may have used it): published limits hold across runs and processes."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        from scrapy.exceptions import IgnoreRequest

        from tracker.ops import budget
        from tracker.settings import get_settings

        spider = spider or getattr(self.crawler, "spider", None)
        source = getattr(spider, "metered_api", None)
        if not source or not request.url.startswith(("http://", "https://")):
            return None
        stats = self.crawler.stats
        if budget.take(spider.engine(), get_settings(), source):
            stats.inc_value(f"edtracker/budget/{source}/used")
            return None
        if not stats.get_value(f"edtracker/budget/{source}/exhausted"):
            log.warning("%s: the API's limit for this window is spent (ledger): no more requests", source)
        stats.set_value(f"edtracker/budget/{source}/exhausted", True)
        raise IgnoreRequest(f"{source}: request budget spent for this window")
