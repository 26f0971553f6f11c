"""What every edtracker spider shares: a base URL that may point at a local mirror, and state."""
from __future__ import annotations

import datetime as dt

import scrapy

from tracker.contract import SourceRef
from tracker.ops.crawlstate import load_state
from tracker.db import get_engine


class EdSpider(scrapy.Spider):
    """Base for edtracker spiders.

    `base_url` defaults to the class's `default_base_url`, may be set with `-a base_url=...`
    (a `file://` folder or a local HTTP server with the source's URL layout, used by tests
    and the demo). `state` holds what the last successful crawl remembered;
    `state_updates` is saved when this crawl finishes.
    """

    default_base_url: str = ""
    source_format: str = ""
    # A metered API's name in the budget ledger (tracker/ops/budget.py): every request this
    # spider sends over HTTP, retries included, is counted there by ApiBudgetMiddleware.
    metered_api: str | None = None

    def __init__(self, *args, base_url: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.state_updates: dict[str, str] = {}
        self._state: dict[str, str] | None = None

    @property
    def state(self) -> dict[str, str]:
        if self._state is None:
            self._state = load_state(self.engine(), self.name)
        return self._state

    def engine(self):
        return get_engine(self.settings.get("EDTRACKER_DATABASE_URL") or None)

    def ledger_plan(self, wanted: int) -> int:
        """The requests this crawl may plan: `wanted`, or less when the ledger has less left in the
        current window of the API's limit (shared by every crawl and process)."""
        from tracker.ops import budget
        from tracker.settings import get_settings

        allowed = budget.plan(self.engine(), get_settings(), self.metered_api or "", wanted)
        self.crawler.stats.set_value(f"edtracker/budget/{self.metered_api}/planned", allowed)
        if allowed < wanted:
            self.logger.info("%s: %d request(s) left in the API's current window (ledger): planning %d of %d",
                             self.metered_api, allowed, allowed, wanted)
        return allowed

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def source_ref(self, response, fmt: str | None = None) -> SourceRef:
        return SourceRef(url=response.url, format=fmt or self.source_format,
                         fetched_at=dt.datetime.now(dt.timezone.utc))
