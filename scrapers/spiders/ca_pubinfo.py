"""California Legislature pubinfo: the session archive once, then each new daily zip.

`downloads.leginfo.legislature.ca.gov` lists `pubinfo_YYYY.zip` (the whole session, rebuilt
weekly) and `pubinfo_daily_<Day>.zip` (every table of the current session but the law codes,
rebuilt each night under the weekday's name). The first crawl of a session reads the archive;
later crawls read only a daily zip published after the last one applied (by file name and its
date in the listing, or its Last-Modified when the listing shows no dates). A daily zip is a
complete snapshot, so when several are new only the newest is read, and within it only the bills
with a row changed since the newest change already stored (the tables' TRANS_UPDATE stamps).

Each zip's records are stored in order and followed by a checkpoint (`scrapers.pipelines.Checkpoint`):
a crawl that dies half-way resumes after the last zip it finished. `-a full=1` reads the newest
daily zip whole (catches rows deleted upstream, which no stamp reveals). Parsing lives in
`scrapers.formats.ca_pubinfo`; this module only fetches. See docs/sources/ca-pubinfo.md.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import re
from html import unescape
from urllib.parse import urljoin

import scrapy

from scrapers.formats.base import ZipTree
from scrapers.formats.ca_pubinfo import FMT, read_dumps
from scrapers.pipelines import Checkpoint
from scrapers.spiders.base import EdSpider
from tracker.contract import RecordError
from tracker.settings import get_settings

_LINK = re.compile(r"""<a\s[^>]*href\s*=\s*["']?([^"'\s>]+)["']?[^>]*>""", re.I)
_DAILY = re.compile(r"^pubinfo_daily_(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\.zip$", re.I)
# Listing dates as IIS ("3/4/2025  3:12 AM"), nginx/Apache ("04-Mar-2025 03:12", "2025-03-04 03:12") write them.
_DATES = (
    (re.compile(r"(\d{1,2}/\d{1,2}/\d{4})\s+(\d{1,2}:\d{2})\s*([AP]M)", re.I), "%m/%d/%Y %I:%M %p"),
    (re.compile(r"(\d{1,2}-[A-Za-z]{3}-\d{4})\s+(\d{1,2}:\d{2})()"), "%d-%b-%Y %H:%M"),
    (re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})()"), "%Y-%m-%d %H:%M"),
)


def listing_entries(html: str, base_url: str) -> list[tuple[str, str, str | None]]:
    """(file name, absolute URL, listing date as ISO or None) of every zip the listing links."""
    out = []
    previous = 0
    for m in _LINK.finditer(html):
        href = unescape(m.group(1))
        name = href.rstrip("/").rsplit("/", 1)[-1]
        before = html[previous:m.start()]
        previous = m.end()
        if not name.lower().endswith(".zip"):
            continue
        stamp = None
        for regex, fmt in _DATES:
            found = list(regex.finditer(before))
            if found:
                d, t, ampm = found[-1].groups()
                stamp = dt.datetime.strptime(f"{d} {t} {ampm}".strip(), fmt).isoformat()
                break
        out.append((name, urljoin(base_url + "/", href), stamp))
    return out


def session_year(year: int) -> int:
    """Sessions start in odd years: 2026 -> 2025 (the archive is named by its first year)."""
    return year if year % 2 else year - 1


class CAPubinfoSpider(EdSpider):
    name = "ca_pubinfo"
    source_format = FMT
    # Items of one zip are stored in order, and its checkpoint after them; zips are big.
    custom_settings = {"CONCURRENT_ITEMS": 1, "DOWNLOAD_MAXSIZE": 0, "DOWNLOAD_WARNSIZE": 0,
                       "DOWNLOAD_TIMEOUT": 3600}

    def __init__(self, *args, session: str | None = None, full: str = "0", **kwargs):
        kwargs.setdefault("base_url", get_settings().ca_pubinfo_base_url)
        super().__init__(*args, **kwargs)
        self.year = session_year(int(session) if session else dt.date.today().year)
        self.full = full not in ("0", "", "false", "no")
        self.archive_name = f"pubinfo_{self.year}.zip"

    def key(self, what: str) -> str:
        return f"{what}:{self.year}"

    async def start(self):
        yield scrapy.Request(self.url("/"), callback=self.parse_listing, errback=self.failed, dont_filter=True)

    def failed(self, failure):
        self.logger.warning("pubinfo request failed: %s (%s)", failure.request.url, failure.value)
        self.crawler.stats.inc_value("edtracker/malformed")

    def parse_listing(self, response):
        entries = listing_entries(response.text, self.base_url)
        archive = next((e for e in entries if e[0].lower() == self.archive_name.lower()), None)
        dailies = [e for e in entries if _DAILY.match(e[0])]
        self.crawler.stats.set_value("edtracker/ca/dailies_listed", len(dailies))
        undated = [e for e in dailies + ([archive] if archive else []) if e[2] is None]
        if undated:  # the listing shows no dates: ask each file's Last-Modified (HEAD, no body)
            self.pending = {e[0]: list(e) for e in dailies + ([archive] if archive else [])}
            for name, url, _ in undated:
                yield scrapy.Request(url, method="HEAD", callback=self.parse_head, errback=self.failed,
                                     dont_filter=True, meta={"name": name, "undated": len(undated)})
            return
        yield from self.plan(archive, dailies)

    def parse_head(self, response):
        stamp = response.headers.get("Last-Modified")
        entry = self.pending[response.meta["name"]]
        if stamp:
            entry[2] = email.utils.parsedate_to_datetime(stamp.decode()).replace(tzinfo=None).isoformat()
        self.heads_done = getattr(self, "heads_done", 0) + 1
        if self.heads_done == response.meta["undated"]:
            archive = self.pending.get(self.archive_name)
            dailies = [tuple(e) for n, e in self.pending.items() if _DAILY.match(n)]
            yield from self.plan(tuple(archive) if archive else None, dailies)

    def plan(self, archive, dailies):
        """The archive when this session was never read, then the newest daily zip newer than
        everything applied."""
        state = self.state
        applied = [v for k, v in state.items() if k.startswith(f"daily:{self.year}:")]
        done = max([state.get(self.key("archive")) or ""] + applied)
        fresh = sorted((e for e in dailies if e[2] and e[2] > done), key=lambda e: e[2])
        todo = []
        if not state.get(self.key("archive")):
            if archive is None:
                self.logger.warning("%s is not listed: reading the daily zips only", self.archive_name)
            else:
                todo.append(("archive", archive))
                fresh = [e for e in fresh if e[2] > (archive[2] or "")]
        if fresh:
            todo.append(("daily", fresh[-1]))
            self.skipped = [e for e in fresh[:-1]]  # superseded by the newest snapshot
        self.crawler.stats.set_value("edtracker/ca/zips_to_read", len(todo))
        if not todo:
            self.logger.info("no pubinfo zip newer than %s", done or "nothing")
        self.todo = todo
        yield from self.next_zip()

    def next_zip(self):
        if self.todo:
            kind, (name, url, stamp) = self.todo.pop(0)
            yield scrapy.Request(url, callback=self.parse_zip, errback=self.zip_failed, dont_filter=True,
                                 meta={"kind": kind, "name": name, "stamp": stamp})

    def zip_failed(self, failure):
        self.failed(failure)
        yield from self.next_zip()

    def parse_zip(self, response):
        kind, name, stamp = response.meta["kind"], response.meta["name"], response.meta["stamp"]
        try:
            tree = ZipTree(response.url, data=response.body)
        except Exception as exc:  # noqa: BLE001 - a broken download is logged; the next crawl retries it
            self.logger.warning("%s is not a zip archive: %s", response.url, exc)
            self.crawler.stats.inc_value("edtracker/malformed")
            yield from self.next_zip()
            return
        watermark = self.state.get(self.key("newest_change"))
        since = None if kind == "archive" or self.full or not watermark else dt.datetime.fromisoformat(watermark)
        stats: dict = {}
        count = 0
        for item in read_dumps(tree, tree.names(), since=since, stats=stats):
            if isinstance(item, RecordError):
                self.logger.warning("%s", item)
            count += 1
            yield item
        self.crawler.stats.inc_value(f"edtracker/ca/{kind}_items", count)
        values = {f"{kind}:{self.year}" + ("" if kind == "archive" else f":{name}"): stamp or ""}
        if kind == "daily":
            values.update({f"daily:{self.year}:{e[0]}": e[2] for e in getattr(self, "skipped", [])})
        newest = stats.get("newest_change")
        if newest and (not watermark or newest.isoformat() > watermark):
            values[self.key("newest_change")] = newest.isoformat()
        self.state.update(values)
        yield Checkpoint(self.name, values)
        yield from self.next_zip()
