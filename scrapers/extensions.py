"""Saves a spider's incremental state, only when its crawl finished."""
from __future__ import annotations

import logging
import os

from scrapy import signals

from tracker.ops.crawlstate import save_state
from tracker.db import get_engine

log = logging.getLogger(__name__)


class CrawlStateExtension:
    """Spiders put what they want remembered in `spider.state_updates`; it is saved at a clean finish."""

    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider, reason):
        updates = getattr(spider, "state_updates", None)
        if not updates:
            return
        if reason != "finished":
            log.warning("crawl ended with %r: incremental state not saved, next run starts over", reason)
            return
        url = self.crawler.settings.get("EDTRACKER_DATABASE_URL") or None
        written = save_state(get_engine(url), spider.name, updates)
        self.crawler.stats.set_value("edtracker/state_saved", written)


class StatsFileExtension:
    """Writes the crawl's stats as JSON to `EDTRACKER_STATS_FILE` when the spider closes,
    so the scheduler can record what a crawl did."""

    def __init__(self, crawler, path: str):
        self.crawler, self.path = crawler, path
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy.exceptions import NotConfigured

        path = crawler.settings.get("EDTRACKER_STATS_FILE")
        if not path:
            raise NotConfigured
        return cls(crawler, path)

    def spider_closed(self, spider, reason):
        import json

        stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
                 for k, v in self.crawler.stats.get_stats().items()}
        stats["finish_reason"] = reason
        stats["edtracker/niceness"] = os.nice(0)  # the CPU priority it ran at (EDTRACKER_CRAWL_NICENESS)
        with open(self.path, "w", encoding="utf-8") as fh:
            json.dump(stats, fh, default=str)


class ResponseCountExtension:
    """Counts the answers a crawl got, good (`edtracker/responses/ok`) and bad (4xx/5xx after any
    retries, `edtracker/responses/failed`), so a crawl whose every request failed is recorded as
    failed (tracker.ops.health) rather than as a quiet success."""

    def __init__(self, crawler):
        self.stats = crawler.stats
        crawler.signals.connect(self.response_received, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def response_received(self, response, request, spider):
        self.stats.inc_value("edtracker/responses/ok" if response.status < 400 else "edtracker/responses/failed")
