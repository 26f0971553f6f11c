"""Roll-call votes of Congress from the official XML: House Clerk and Senate LIS.

House: `{clerk}/evs/{year}/index.asp` (the highest roll number of the year), then
`{clerk}/evs/{year}/rollNNN.xml`. Senate: `{senate}/legislative/LIS/roll_call_lists/vote_menu_{congress}_{session}.xml`,
then each vote. Incremental by roll number: the highest roll stored (with every roll before it
stored too) per chamber and year/session is remembered when a crawl finishes, and the next crawl
asks only for newer rolls.

`scrapy crawl us_votes [-a chambers=house,senate] [-a years=2025] [-a congress=119 -a sessions=1]
[-a base_url=file:///mirror | -a house_base_url=... -a senate_base_url=...]`
"""
from __future__ import annotations

import datetime as dt
import re

import scrapy

from scrapers.formats import house_clerk, senate_lis
from scrapers.formats.us_vote_rules import congress_of_year
from scrapers.spiders.base import EdSpider
from tracker.contract import RecordError
from tracker.settings import get_settings

# Roll links in the Clerk's year index: the XML itself or the vote.asp page that shows it
# (https://clerk.house.gov/evs/2025/index.asp).
_HOUSE_ROLL = re.compile(rb"(?:roll(\d{3,})\.xml|rollnumber=(\d+))", re.I)
_HOUSE_PAGE = re.compile(rb"ROLL_(\d{3,})\.asp", re.I)


def _csv(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


class UsVotesSpider(EdSpider):
    name = "us_votes"

    def __init__(self, *args, chambers: str = "house,senate", years: str | None = None,
                 congress: str | None = None, sessions: str | None = None,
                 house_base_url: str | None = None, senate_base_url: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        settings = get_settings()
        mirror = kwargs.get("base_url")
        self.house_base = (house_base_url or mirror or settings.house_clerk_base_url).rstrip("/")
        self.senate_base = (senate_base_url or mirror or settings.senate_base_url).rstrip("/")
        self.chambers = set(_csv(chambers))
        this_year = dt.date.today().year
        self.years = [int(y) for y in _csv(years)] or [this_year]
        self.congress = int(congress) if congress else congress_of_year(this_year)
        self.sessions = [int(s) for s in _csv(sessions)] or [1 if (this_year - 1789) % 2 == 0 else 2]
        # Per state key ("house:2025", "senate:119-1"): rolls stored and the lowest failed roll.
        self._done: dict[str, set[int]] = {}
        self._failed: dict[str, int] = {}

    async def start(self):
        if "house" in self.chambers:
            for year in self.years:
                yield scrapy.Request(f"{self.house_base}/evs/{year}/index.asp",
                                     callback=self.parse_house_index, cb_kwargs={"year": year},
                                     dont_filter=True)
        if "senate" in self.chambers:
            for session in self.sessions:
                yield scrapy.Request(f"{self.senate_base}/{senate_lis.menu_path(self.congress, session)}",
                                     callback=self.parse_senate_menu,
                                     cb_kwargs={"congress": self.congress, "session": session},
                                     dont_filter=True)

    # --- incremental state -------------------------------------------------------------------
    def _last(self, key: str) -> int:
        value = self.state.get(key, "0")
        return int(value) if value.isdigit() else 0

    def _remember(self, key: str) -> None:
        """Save the highest roll stored, but never past a roll whose fetch failed this time."""
        best = max(self._done.get(key, {0}))
        if key in self._failed:
            best = min(best, self._failed[key] - 1)
        if best > self._last(key):
            self.state_updates[key] = str(best)
        else:
            self.state_updates.pop(key, None)

    def _mark(self, key: str, roll: int) -> None:
        self._done.setdefault(key, set()).add(roll)
        self._remember(key)

    def _wanted(self, key: str, available: list[int]) -> list[int]:
        last = self._last(key)
        todo = [n for n in available if n > last]
        self.crawler.stats.inc_value("edtracker/votes/listed", len(available))
        self.crawler.stats.inc_value("edtracker/votes/already_stored", len(available) - len(todo))
        return todo

    # --- House --------------------------------------------------------------------------------
    def parse_house_index(self, response, year: int, page: bool = False):
        key = f"house:{year}"
        last = self._last(key)
        rolls = sorted({int(a or b) for a, b in _HOUSE_ROLL.findall(response.body)})
        if not page:
            # The year index shows the latest rolls and links one page per hundred
            # (ROLL_000.asp = rolls 1-99, ROLL_100.asp ...): follow pages that may hold new rolls.
            for start in sorted({int(n) for n in _HOUSE_PAGE.findall(response.body)}):
                if start + 99 > last:
                    yield response.follow(f"ROLL_{start:03d}.asp", callback=self.parse_house_index,
                                          cb_kwargs={"year": year, "page": True})
        if not rolls and not page:
            self.logger.warning("%s: no roll call listed", response.url)
        for roll in self._wanted(key, rolls):
            yield scrapy.Request(f"{self.house_base}/evs/{year}/roll{roll:03d}.xml",
                                 callback=self.parse_house_vote, errback=self.failed,
                                 cb_kwargs={"key": key, "roll": roll})

    def parse_house_vote(self, response, key: str, roll: int):
        yield from self._records(house_clerk.parse(response.body, response.url, _now()), key, roll)

    # --- Senate -------------------------------------------------------------------------------
    def parse_senate_menu(self, response, congress: int, session: int):
        try:
            numbers = senate_lis.parse_menu(response.body)
        except Exception as exc:  # noqa: BLE001 - an HTML error page instead of the menu
            self.logger.error("%s: not a vote menu: %s", response.url, exc)
            self.crawler.stats.inc_value("edtracker/malformed")
            return
        key = f"senate:{congress}-{session}"
        for roll in self._wanted(key, numbers):
            yield scrapy.Request(f"{self.senate_base}/{senate_lis.vote_path(congress, session, roll)}",
                                 callback=self.parse_senate_vote, errback=self.failed,
                                 cb_kwargs={"key": key, "roll": roll})

    def parse_senate_vote(self, response, key: str, roll: int):
        yield from self._records(senate_lis.parse(response.body, response.url, _now()), key, roll)

    # --- shared -------------------------------------------------------------------------------
    def _records(self, items, key: str, roll: int):
        for item in items:
            if isinstance(item, RecordError):
                # A malformed file (HTML error page, truncated XML) is logged with its URL and
                # skipped for good: refetching it every crawl would not fix the source.
                self.logger.error("skipped: %s", item)
                self.crawler.stats.inc_value("edtracker/malformed")
            else:
                self.crawler.stats.inc_value("edtracker/votes/fetched")
            yield item
        self._mark(key, roll)

    def failed(self, failure):
        """A vote file that could not be fetched stays unremembered, so the next crawl retries it."""
        request = failure.request
        self.logger.error("cannot fetch %s: %s", request.url, failure.value)
        self.crawler.stats.inc_value("edtracker/fetch_failed")
        key, roll = request.cb_kwargs["key"], request.cb_kwargs["roll"]
        self._failed[key] = min(self._failed.get(key, roll), roll)
        self._remember(key)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
