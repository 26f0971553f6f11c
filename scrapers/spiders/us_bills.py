"""Federal bills from GovInfo's BILLSTATUS bulk data, discovered through its sitemaps.

`{govinfo}/sitemap/bulkdata/BILLSTATUS/sitemapindex.xml` lists one sitemap per congress and bill
type (`.../BILLSTATUS/{congress}{type}/sitemap.xml`), each listing every file
(`{govinfo}/bulkdata/BILLSTATUS/{congress}/{type}/BILLSTATUS-{congress}{type}{number}.xml`) with
its `<lastmod>`. Incremental: a file is fetched only when its lastmod differs from the one
remembered at the last finished crawl, and a sitemap whose own lastmod did not move (and whose
files were all stored last time) is not even fetched.

Text versions: each version a fetched BILLSTATUS file lists (GovInfo BILLS, USLM or the older bill
DTD XML) is fetched unless the same (bill, version code) is stored from the same URL (one query
per bill); a BILLSTATUS file is remembered only once its new texts are stored too.

`scrapy crawl us_bills [-a congress=118,119] [-a types=hr,s] [-a texts=0] [-a base_url=file:///mirror]`
"""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import scrapy
from lxml import etree

from scrapers.formats import billstatus
from scrapers.spiders.us_bill_texts import BillTextsMixin
from scrapers.spiders.base import EdSpider
from scrapers.xmlsafe import parse_xml
from tracker.jurisdictions.congress import BILL_TYPES, current_congress
from tracker.contract import RecordError
from tracker.settings import get_settings

_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# .../BILLSTATUS/117hr/sitemap.xml (and, to be lenient, .../BILLSTATUS/117/hr/sitemap.xml)
_SITEMAP = re.compile(r"/BILLSTATUS/(\d+)/?([a-z]+)/sitemap\.xml$", re.I)
_FILE = re.compile(r"/bulkdata/BILLSTATUS/(\d+)/([a-z]+)/[^/]+\.xml$", re.I)
INDEX_PATH = "sitemap/bulkdata/BILLSTATUS/sitemapindex.xml"


def _csv(value: str | None) -> list[str]:
    return [v.strip().lower() for v in (value or "").split(",") if v.strip()]


def sitemap_entries(body: bytes, tag: str) -> list[tuple[str, str]]:
    """(loc, lastmod) of each `<sitemap>` or `<url>` entry of a sitemap XML document."""
    root = parse_xml(body)
    out = []
    for entry in root.iter(f"{_NS}{tag}", tag):
        loc = (entry.findtext(f"{_NS}loc") or entry.findtext("loc") or "").strip()
        lastmod = (entry.findtext(f"{_NS}lastmod") or entry.findtext("lastmod") or "").strip()
        if loc:
            out.append((loc, lastmod))
    return out


class UsBillsSpider(BillTextsMixin, EdSpider):
    name = "us_bills"
    source_format = billstatus.FORMAT_NAME

    def __init__(self, *args, congress: str | None = None, types: str | None = None,
                 base_url: str | None = None, texts: str | None = None, **kwargs):
        super().__init__(*args, base_url=base_url or get_settings().govinfo_base_url, **kwargs)
        self.fetch_texts = (texts or "1").strip().lower() not in ("0", "no", "false", "off")
        self.congresses = [int(c) for c in _csv(congress)] or [current_congress()]
        self.types = _csv(types) or list(BILL_TYPES)
        unknown = [t for t in self.types if t not in BILL_TYPES]
        if unknown:
            raise ValueError(f"unknown bill type(s) {unknown}; known: {sorted(BILL_TYPES)}")
        # Per sitemap: files still to store this crawl, and whether any of them failed.
        self._pending: dict[str, int] = {}
        self._incomplete: set[str] = set()
        self._sitemap_lastmod: dict[str, str] = {}
        # Per BILLSTATUS file whose texts are being fetched: [texts left, its lastmod, any failed].
        self._texts_left: dict[str, list] = {}

    def local(self, url: str) -> str:
        """GovInfo's absolute URLs rewritten onto `base_url` (a mirror keeps the same paths)."""
        return self.url(urlsplit(url).path)

    async def start(self):
        yield scrapy.Request(self.url(INDEX_PATH), callback=self.parse_index, dont_filter=True)

    def parse_index(self, response):
        try:
            entries = sitemap_entries(response.body, "sitemap")
        except etree.XMLSyntaxError as exc:
            self.logger.error("%s: not a sitemap index: %s", response.url, exc)
            self.crawler.stats.inc_value("edtracker/malformed")
            return
        wanted = {(c, t) for c in self.congresses for t in self.types}
        for loc, lastmod in entries:
            m = _SITEMAP.search(urlsplit(loc).path)
            if not m or (int(m.group(1)), m.group(2).lower()) not in wanted:
                continue
            key = f"sitemap:{m.group(1)}{m.group(2).lower()}"
            self.crawler.stats.inc_value("edtracker/us_bills/sitemaps_listed")
            if lastmod and self.state.get(key) == lastmod:
                self.crawler.stats.inc_value("edtracker/us_bills/sitemaps_unchanged")
                continue
            yield scrapy.Request(self.local(loc), callback=self.parse_sitemap, errback=self.sitemap_failed,
                                 cb_kwargs={"key": key, "lastmod": lastmod}, dont_filter=True)

    def parse_sitemap(self, response, key: str, lastmod: str):
        try:
            entries = sitemap_entries(response.body, "url")
        except etree.XMLSyntaxError as exc:
            self.logger.error("%s: not a sitemap: %s", response.url, exc)
            self.crawler.stats.inc_value("edtracker/malformed")
            return
        todo = []
        for loc, file_lastmod in entries:
            m = _FILE.search(urlsplit(loc).path)
            if not m:
                continue
            self.crawler.stats.inc_value("edtracker/us_bills/files_listed")
            path = urlsplit(loc).path.lstrip("/")
            if file_lastmod and self.state.get(path) == file_lastmod:
                self.crawler.stats.inc_value("edtracker/us_bills/files_unchanged")
                continue
            todo.append((loc, path, file_lastmod))
        self._pending[key] = len(todo)
        self._sitemap_lastmod[key] = lastmod
        self._maybe_done(key)
        for loc, path, file_lastmod in todo:
            yield scrapy.Request(self.local(loc), callback=self.parse_bill, errback=self.file_failed,
                                 cb_kwargs={"key": key, "path": path, "lastmod": file_lastmod})

    def parse_bill(self, response, key: str, path: str, lastmod: str):
        self.crawler.stats.inc_value("edtracker/us_bills/files_fetched")
        item = billstatus.parse_bill(response.body, response.url, dt.datetime.now(dt.timezone.utc))
        if isinstance(item, RecordError):
            # Logged with its URL and counted; not remembered, so the next crawl tries it again
            # (an error page or a truncated download is usually gone by then).
            self.logger.error("skipped: %s", item)
            self.crawler.stats.inc_value("edtracker/malformed")
            self._incomplete.add(key)
            texts = []
        else:
            texts = self.text_requests(item, key, path, lastmod)
            if not texts and lastmod:
                self.state_updates[path] = lastmod
        self._file_done(key)
        yield item  # before its texts: the bill must be stored first
        yield from texts

    def file_failed(self, failure):
        request = failure.request
        self.logger.error("cannot fetch %s: %s", request.url, failure.value)
        self.crawler.stats.inc_value("edtracker/fetch_failed")
        key = request.cb_kwargs["key"]
        self._incomplete.add(key)
        self._file_done(key)

    def sitemap_failed(self, failure):
        self.logger.error("cannot fetch %s: %s", failure.request.url, failure.value)
        self.crawler.stats.inc_value("edtracker/fetch_failed")

    def _file_done(self, key: str) -> None:
        """One file (or one text version) of the sitemap `key` handled."""
        self._pending[key] -= 1
        self._maybe_done(key)

    def _maybe_done(self, key: str) -> None:
        """Remember a sitemap's lastmod once every file it listed is stored (or was already)."""
        if self._pending.get(key) == 0 and key not in self._incomplete and self._sitemap_lastmod.get(key):
            self.state_updates[key] = self._sitemap_lastmod[key]
