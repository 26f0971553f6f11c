"""The one item pipeline: every record a spider yields goes through the ingest service."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from tracker.contract import Record, RecordError
from tracker.db import get_engine
from tracker.ingest import IngestResult, Ingestor

log = logging.getLogger(__name__)


@dataclass
class Checkpoint:
    """Incremental state to save once every item yielded before it is stored: a spider that
    processes items in order (CONCURRENT_ITEMS = 1) resumes after the last checkpoint when a
    crawl dies half-way, instead of at the last clean finish."""

    spider: str
    values: dict[str, str] = field(default_factory=dict)


class IngestPipeline:
    """Stores contract records; counts insert / update / noop / error in the crawl stats."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.ingestor: Ingestor | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        url = self.crawler.settings.get("EDTRACKER_DATABASE_URL") or None
        self.ingestor = Ingestor(get_engine(url), on_result=self._count)

    def close_spider(self, spider=None):
        if self.ingestor is not None:  # scorecards touched by this crawl update incrementally
            self.ingestor.finish()

    def _count(self, result: IngestResult) -> None:
        self.crawler.stats.inc_value(f"edtracker/ingest/{result.outcome}")
        self.crawler.stats.inc_value(f"edtracker/ingest/{result.kind}/{result.outcome}")

    def process_item(self, item):
        if isinstance(item, (Record, RecordError)):
            self.ingestor.ingest_one(item)
        elif isinstance(item, Checkpoint):
            from tracker.ops.crawlstate import save_state

            self.ingestor.finish()
            written = save_state(self.ingestor.engine, item.spider, item.values)
            self.crawler.stats.inc_value("edtracker/checkpoints")
            log.info("checkpoint saved for %s: %s (%d written)", item.spider, item.values, written)
        else:
            log.warning("not a contract record, dropped: %r", type(item))
            self.crawler.stats.inc_value("edtracker/ingest/not_a_record")
        return item
