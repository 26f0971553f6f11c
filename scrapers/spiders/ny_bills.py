"""NY Senate OpenLegislation API v3: members, then bills (amendments as versions, floor and
committee votes), then committee agendas as hearings.

First crawl of a session: `/api/3/members/{session}` (so sponsors and voters resolve), the bill
listing `/api/3/bills/{session}` and every bill (`view=no_fulltext`), and `/api/3/agendas/{year}`
for both years of the session. Later crawls: members, then `/api/3/updates/{since}` (processed
time, BILL and AGENDA tokens) and only the bills and agendas it names. `since` is the start of
the last crawl that finished cleanly (saved by CrawlStateExtension), in Albany local time as the
API expects. Listings are paged with offset/limit up to `total`.

The key travels as the `key=` query parameter and never reaches logs or stored source URLs.
Parsing lives in scrapers.formats.ny_openleg / ny_openleg_api; this module only fetches.
"""
from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlencode

import scrapy

from scrapers.formats import ny_openleg_api as api
from scrapers.formats.ny_openleg import NY_TZ, parse_api_bill, session_of
from scrapers.spiders.base import EdSpider
from scrapers.spiders.legiscan_bills import strip_key
from tracker.contract import RecordError
from tracker.settings import get_settings

FMT = "ny-openleg"


class RedactNYKey(logging.Filter):
    """Replaces the API key in every log line (Scrapy and the retry middleware print URLs)."""

    def __init__(self, key: str):
        super().__init__()
        self.key = key

    def filter(self, record: logging.LogRecord) -> bool:
        msg = record.getMessage()
        if self.key in msg:
            record.msg, record.args = msg.replace(self.key, "<NY_OPENLEG_API_KEY>"), ()
        return True


class NYBillsSpider(EdSpider):
    name = "ny_bills"
    source_format = FMT

    def __init__(self, *args, session: str | None = None, page_size: str = "1000", **kwargs):
        app = get_settings()
        kwargs.setdefault("base_url", app.ny_openleg_base_url)
        super().__init__(*args, **kwargs)
        self.key = app.ny_openleg_api_key
        today = dt.datetime.now(NY_TZ)
        self.session = session_of(session or today.year)  # sessions start in odd years
        self.page_size = max(1, min(int(page_size), 1000))  # the API caps limit at 1000
        # Albany local time, as /updates/{from} expects it (no offset).
        self.started = today.replace(tzinfo=None, microsecond=0).isoformat()
        self.bills_asked: set[tuple[str, str]] = set()

    @property
    def since_key(self) -> str:
        return f"updates_since:{self.session}"

    def api(self, path: str, callback, offset: int | None = None, **params) -> scrapy.Request:
        query = {**params, **({"limit": self.page_size, "offset": offset} if offset else {}), "key": self.key}
        url = f"{self.base_url}/api/3/{path.lstrip('/')}?{urlencode(query, doseq=True)}"
        meta = {"path": path, "params": params, "offset": offset}
        return scrapy.Request(url, callback=callback, errback=self.failed, dont_filter=True, meta=meta)

    def next_page(self, response, doc: dict) -> scrapy.Request | None:
        nxt = api.next_offset(doc, response.meta["offset"] or 1)
        if nxt is None:
            return None
        return self.api(response.meta["path"], response.request.callback, nxt, **response.meta["params"])

    async def start(self):
        if not self.key:
            self.logger.warning("ny_bills is disabled: set EDTRACKER_NY_OPENLEG_API_KEY to crawl OpenLegislation")
            return
        redact = RedactNYKey(self.key)  # handlers exist once the crawl runs
        for handler in logging.getLogger().handlers:
            handler.addFilter(redact)
        # Members first: bills and votes are only asked for once the last member page is in.
        yield self.api(f"members/{self.session}", self.parse_members, 1, full="true")

    def failed(self, failure):
        self.logger.warning("OpenLegislation request failed: %s", strip_key(failure.request.url))
        self.crawler.stats.inc_value("edtracker/malformed")

    def document(self, response):
        """The decoded response, or None (logged and counted) when it is not a successful answer."""
        doc = api.load(response.body, strip_key(response.url))
        if isinstance(doc, RecordError):
            self.logger.warning("%s", doc)
            self.crawler.stats.inc_value("edtracker/malformed")
            return None
        return doc

    def parse_members(self, response):
        doc = self.document(response)
        if doc is None:
            return
        yield from api.parse_members(doc, strip_key(response.url))
        nxt = self.next_page(response, doc)
        if nxt:
            yield nxt
            return
        since = self.state.get(self.since_key)
        if since:
            yield self.api(f"updates/{since}", self.parse_updates, 1, type="processed",
                           **{"content-type": ["BILL", "AGENDA"]})
        else:
            yield self.api(f"bills/{self.session}", self.parse_bill_list, 1)
            for year in (int(self.session), int(self.session) + 1):
                if year <= dt.datetime.now(NY_TZ).year:
                    yield self.api(f"agendas/{year}", self.parse_agenda_list)
        self.state_updates[self.since_key] = self.started  # saved only at a clean finish

    def bill_requests(self, ids):
        for session, base in ids:
            if session_of(session) != self.session or (session, base) in self.bills_asked:
                continue
            self.bills_asked.add((session, base))
            self.crawler.stats.inc_value("edtracker/ny/bills_requested")
            yield self.api(f"bills/{session}/{base}", self.parse_bill, view="no_fulltext")

    def parse_bill_list(self, response):
        doc = self.document(response)
        if doc is None:
            return
        ids = api.bill_ids(doc)
        self.crawler.stats.inc_value("edtracker/ny/bills_listed", len(ids))
        yield from self.bill_requests(ids)
        nxt = self.next_page(response, doc)
        if nxt:
            yield nxt

    def parse_updates(self, response):
        doc = self.document(response)
        if doc is None:
            return
        bills, agendas = api.update_tokens(doc)
        self.crawler.stats.inc_value("edtracker/ny/update_tokens", len(api.items(doc)))
        yield from self.bill_requests(bills)
        for year, number in agendas:
            if session_of(year) == self.session:
                yield self.api(f"agendas/{year}/{number}", self.parse_agenda)
        nxt = self.next_page(response, doc)
        if nxt:
            yield nxt

    def parse_bill(self, response):
        yield from parse_api_bill(response.body, strip_key(response.url))

    def parse_agenda_list(self, response):
        doc = self.document(response)
        if doc is None:
            return
        for year, number in api.agenda_ids(doc):
            yield self.api(f"agendas/{year}/{number}", self.parse_agenda)

    def parse_agenda(self, response):
        doc = self.document(response)
        if doc is None:
            return
        self.crawler.stats.inc_value("edtracker/ny/agendas")
        yield from api.parse_agenda(doc, strip_key(response.url))

    def closed(self, reason):
        """Votes may be stored before a voter's member row (another session's member): match them now."""
        from tracker.db import get_engine
        from tracker.people.matching import resolve_pending

        if not self.key:
            return
        fixed = resolve_pending(get_engine(self.settings.get("EDTRACKER_DATABASE_URL") or None))
        self.crawler.stats.set_value("edtracker/ny/resolved_after_members", fixed)
