"""Members of Congress, their ids, terms, committees and committee membership, from the
unitedstates/congress-legislators YAML files (https://unitedstates.github.io/congress-legislators/).

`scrapy crawl us_legislators [-a base_url=file:///mirror] [-a historical=0]`
Order matters: people first (current, then historical), then committees with their members,
so memberships resolve to the people just stored.
"""
from __future__ import annotations

import scrapy

from scrapers.formats import congress_legislators as fmt
from scrapers.spiders.base import EdSpider
from tracker.contract import RecordError
from tracker.db import get_engine
from tracker.people.matching import resolve_pending
from tracker.settings import get_settings


class UsLegislatorsSpider(EdSpider):
    name = "us_legislators"
    source_format = fmt.LEGISLATORS

    @property
    def default_base_url(self) -> str:
        return get_settings().congress_legislators_base_url

    def __init__(self, *args, historical: str = "1", **kwargs):
        super().__init__(*args, **kwargs)
        self.files = ["legislators-current.yaml"]
        if historical not in ("0", "false", "no"):
            self.files.append("legislators-historical.yaml")

    async def start(self):
        yield self._people_request(0)

    def _people_request(self, index: int) -> scrapy.Request:
        return scrapy.Request(self.url(self.files[index]), callback=self.parse_people,
                              errback=self.missing, cb_kwargs={"index": index},
                              meta={"index": index}, dont_filter=True)

    def _next_after_people(self, index: int) -> scrapy.Request:
        if index + 1 < len(self.files):
            return self._people_request(index + 1)
        return scrapy.Request(self.url(fmt.COMMITTEE_FILE), callback=self.parse_committees,
                              errback=self.missing, meta={"index": len(self.files)})

    def parse_people(self, response, index: int):
        yield from self._count(fmt.parse_legislators(response.body, response.url))
        yield self._next_after_people(index)

    def parse_committees(self, response):
        yield scrapy.Request(self.url(fmt.MEMBERSHIP_FILE), callback=self.parse_membership,
                             errback=self.missing, cb_kwargs={"committees": response.body,
                                                              "committees_url": response.url})

    def parse_membership(self, response, committees: bytes, committees_url: str):
        yield from self._count(fmt.parse_committees(committees, response.body, committees_url,
                                                    response.url))

    def missing(self, failure):
        """A file that cannot be fetched is logged and counted; the other files still load."""
        request = failure.request
        self.logger.error("cannot fetch %s: %s", request.url, failure.value)
        self.crawler.stats.inc_value("edtracker/missing")
        index = request.meta.get("index")
        if index is not None and index < len(self.files):
            yield self._next_after_people(index)
        elif index == len(self.files):
            # committees missing: nothing to attach the membership to
            return

    def _count(self, items):
        for item in items:
            if isinstance(item, RecordError):
                self.crawler.stats.inc_value("edtracker/malformed")
            yield item

    def closed(self, reason):
        """Votes and sponsorships stored before these people now resolve to them."""
        if reason != "finished":
            return
        url = self.settings.get("EDTRACKER_DATABASE_URL") or None
        fixed = resolve_pending(get_engine(url))
        self.crawler.stats.set_value("edtracker/resolved_later", fixed)
