"""Congress.gov API v3 (https://api.congress.gov/v3): bills of one congress and House roll calls.

Runs only with EDTRACKER_CONGRESS_API_KEY (otherwise one log line and a clean exit: the keyless
sources, us_bills and us_votes, carry the same data). The key goes in the `api_key` query
parameter and never reaches a stored source URL or a log line.

Bills: `/bill/{congress}?fromDateTime=<start of the last successful crawl>&sort=updateDate+asc`
(paginated through `pagination.next`, `limit=250`), then for each bill whose `updateDate` moved
its detail and sub-resources (`actions`, `cosponsors`, `committees`, `subjects`, `summaries`,
`text`, `titles`, `relatedbills`, each paginated), merged into one record with the BILLSTATUS
key (`us-117-hr21`). House votes: `/house-vote/{congress}` (no date filter there: the list is
read and only rolls whose `updateDate` moved are fetched), then `/house-vote/{c}/{s}/{roll}` and
its `/members`, stored under the Clerk's key (`us-house-2025-17`).

The key allows 5,000 requests an hour: every request is counted, and at
EDTRACKER_CONGRESS_API_HOURLY_BUDGET the crawl stops asking and finishes cleanly (stats
`edtracker/congress_api/requests`, `.../budget_left`, `.../budget_exhausted`); the date
watermark then stays where it was, so the next crawl picks up what this one left.

`scrapy crawl congress_api [-a congress=119] [-a kinds=bills,votes] [-a base_url=...]`
"""
from __future__ import annotations

import datetime as dt

import scrapy

from scrapers.formats import congress_api as api
from scrapers.formats.congress_api_records import bill_record, house_vote_record
from scrapers.spiders.apikeys import redact_logs, set_params, strip_params
from scrapers.spiders.base import EdSpider
from tracker.jurisdictions.congress import current_congress
from tracker.contract import RecordError
from tracker.settings import get_settings

PAGE = 250
# Sub-resources fetched when the bill's detail says it has any (count > 0).
BILL_PARTS = ("actions", "cosponsors", "committees", "subjects", "summaries", "text", "titles", "relatedbills")
_DETAIL_COUNT = {"text": "textVersions", "relatedbills": "relatedBills"}


class CongressApiSpider(EdSpider):
    name = "congress_api"
    metered_api = "congress-gov"
    source_format = api.FORMAT_NAME
    # 5,000 requests an hour is 1.4 a second: one at a time, 0.75 s apart, stays below it.
    custom_settings = {"DOWNLOAD_DELAY": 0.75, "CONCURRENT_REQUESTS_PER_DOMAIN": 1}

    def __init__(self, *args, congress: str | None = None, kinds: str = "bills,votes", **kwargs):
        app = get_settings()
        kwargs.setdefault("base_url", app.congress_api_base_url)
        super().__init__(*args, **kwargs)
        self.key = app.congress_api_key
        self.budget = app.congress_api_hourly_budget
        self.congress = int(congress) if congress else current_congress()
        self.kinds = {k.strip() for k in kinds.split(",") if k.strip()}
        self.started = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        self.requests = 0
        self.complete = True  # False once anything was left out: the watermark then stays

    # --- requests, counted and keyed ----------------------------------------------------------
    def api_request(self, url: str, callback, **cb_kwargs) -> scrapy.Request | None:
        """A GET with the key (and format=json) added, or None once the hourly budget is spent."""
        stats = self.crawler.stats
        if self.requests >= self.budget:
            if not stats.get_value("edtracker/congress_api/budget_exhausted"):
                self.logger.warning("Congress.gov request budget (%d) spent: stopping; the next crawl continues",
                                    self.budget)
            stats.set_value("edtracker/congress_api/budget_exhausted", True)
            self._incomplete()
            return None
        self.requests += 1
        stats.inc_value("edtracker/congress_api/requests")
        stats.set_value("edtracker/congress_api/budget_left", self.budget - self.requests)
        return scrapy.Request(set_params(url, format="json", api_key=self.key), callback=callback,
                              errback=self.failed, cb_kwargs=cb_kwargs, dont_filter=True)

    def _incomplete(self) -> None:
        self.complete = False
        self.state_updates.pop(f"from:bills:{self.congress}", None)

    def public(self, url: str) -> str:
        """The URL as stored and logged: without the key."""
        return strip_params(url, "api_key")

    async def start(self):
        if not self.key:
            self.logger.warning("congress_api is disabled: set EDTRACKER_CONGRESS_API_KEY "
                                "(free from https://api.data.gov/signup/) to crawl Congress.gov")
            return
        redact_logs(self.key, "<CONGRESS_API_KEY>")
        self.budget = self.ledger_plan(self.budget)
        self.crawler.stats.set_value("edtracker/congress_api/budget_left", self.budget)
        if "bills" in self.kinds:
            params = {"limit": str(PAGE), "sort": "updateDate asc"}
            since = self.state.get(f"from:bills:{self.congress}")
            if since:
                params["fromDateTime"] = since
            # Saved only if the crawl finishes with nothing left out (see _incomplete).
            self.state_updates[f"from:bills:{self.congress}"] = self.started.strftime("%Y-%m-%dT%H:%M:%SZ")
            req = self.api_request(set_params(self.url(f"bill/{self.congress}"), **params), self.parse_bill_list)
            if req:
                yield req
        if "votes" in self.kinds:
            req = self.api_request(set_params(self.url(f"house-vote/{self.congress}"), limit=str(PAGE)),
                                   self.parse_vote_list)
            if req:
                yield req

    def failed(self, failure):
        """A request that failed for good: logged without the key, remembered as not done."""
        self.logger.error("cannot fetch %s: %s", self.public(failure.request.url), failure.value)
        self.crawler.stats.inc_value("edtracker/fetch_failed")
        self._incomplete()

    def load(self, response) -> dict | None:
        try:
            return api.load(response.body)
        except api.NotApiResponse as exc:
            self.logger.error("skipped %s: %s", self.public(response.url), exc)
            self.crawler.stats.inc_value("edtracker/malformed")
            self._incomplete()
            return None

    def follow_next(self, doc: dict, callback, **cb_kwargs):
        nxt = api.next_page(doc)
        return self.api_request(nxt, callback, **cb_kwargs) if nxt else None

    # --- bills --------------------------------------------------------------------------------
    def _listing(self, response, kind: str, rows_of, mark_and_path, callback, again):
        """One page of a listing: request each record whose updateDate moved, then the next page."""
        doc = self.load(response)
        if doc is None:
            return
        rows = rows_of(doc)
        self.crawler.stats.inc_value(f"edtracker/congress_api/{kind}s_listed", len(rows))
        for row in rows:
            mark, path = mark_and_path(row)
            if row["update_date"] and self.state.get(mark) == row["update_date"]:
                self.crawler.stats.inc_value(f"edtracker/congress_api/{kind}s_unchanged")
                continue
            req = self.api_request(self.url(path), callback, mark=mark, listed=row["update_date"])
            if req is None:
                return
            yield req
        req = self.follow_next(doc, again)
        if req:
            yield req

    def parse_bill_list(self, response):
        yield from self._listing(
            response, "bill", api.bill_listing,
            lambda r: (f"bill:{r['congress']}-{r['type']}{r['number']}", f"bill/{r['congress']}/{r['type']}/{r['number']}"),
            self.parse_bill, self.parse_bill_list)

    def parse_bill(self, response, mark: str, listed: str | None):
        doc = self.load(response)
        if doc is None or "bill" not in doc:
            return
        detail = doc["bill"]
        todo = [p for p in BILL_PARTS
                if ((detail.get(_DETAIL_COUNT.get(p, p)) or {}).get("count") or 0) > 0]
        state = {"detail": detail, "source": self.public(response.url), "parts": {}, "totals": {},
                 "todo": todo, "mark": mark, "listed": listed or detail.get("updateDate")}
        yield from self._next_part(state)

    def _next_part(self, state: dict):
        if not state["todo"]:
            yield from self._bill_done(state)
            return
        part = state["todo"][0]
        base = state["source"].split("?", 1)[0]
        req = self.api_request(set_params(f"{base}/{part}", limit=str(PAGE)), self.parse_bill_part, state=state)
        if req:
            yield req

    def parse_bill_part(self, response, state: dict):
        doc = self.load(response)
        if doc is None:
            return  # the bill is not stored half-made; its mark is not saved, so the next crawl retries
        part = state["todo"][0]
        state["parts"].setdefault(part, []).extend(api.items(doc, part))
        if api.total(doc) is not None:
            state["totals"].setdefault(part, api.total(doc))  # the first page's count
        if part == "subjects" and api.policy_area(doc) and not state["detail"].get("policyArea"):
            state["detail"]["policyArea"] = {"name": api.policy_area(doc)}
        nxt = self.follow_next(doc, self.parse_bill_part, state=state)
        if nxt is not None:
            yield nxt
            return
        if api.next_page(doc):
            return  # budget spent mid-list
        state["todo"].pop(0)
        yield from self._next_part(state)

    def _bill_done(self, state: dict):
        rec = bill_record(state["detail"], state["parts"], state["source"], totals=state["totals"],
                          fetched_at=dt.datetime.now(dt.timezone.utc))
        yield from self._finished(rec, state, "edtracker/congress_api/bills_fetched")

    def _finished(self, rec, state: dict, fetched_stat: str):
        """Yield a record read in full (an error is logged and counted) and note its updateDate."""
        if isinstance(rec, RecordError):
            self.logger.error("skipped: %s", rec)
            self.crawler.stats.inc_value("edtracker/malformed")
        else:
            self.crawler.stats.inc_value(fetched_stat)
        yield rec
        if state["listed"]:
            self.state_updates[state["mark"]] = state["listed"]

    # --- House votes --------------------------------------------------------------------------
    def parse_vote_list(self, response):
        yield from self._listing(
            response, "vote", api.vote_listing,
            lambda r: (f"vote:{r['congress']}-{r['session']}-{r['roll']}",
                       f"house-vote/{r['congress']}/{r['session']}/{r['roll']}"),
            self.parse_vote, self.parse_vote_list)

    def parse_vote(self, response, mark: str, listed: str | None):
        doc = self.load(response)
        if doc is None or "houseRollCallVote" not in doc:
            return
        state = {"detail": doc["houseRollCallVote"], "source": self.public(response.url), "members": [],
                 "mark": mark, "listed": listed or doc["houseRollCallVote"].get("updateDate")}
        base = state["source"].split("?", 1)[0]
        req = self.api_request(set_params(f"{base}/members", limit=str(PAGE)), self.parse_vote_members,
                               state=state)
        if req:
            yield req

    def parse_vote_members(self, response, state: dict):
        doc = self.load(response)
        if doc is None:
            return
        state["members"].extend((doc.get("houseRollCallVoteMemberVotes") or {}).get("results") or [])
        nxt = self.follow_next(doc, self.parse_vote_members, state=state)
        if nxt is not None:
            yield nxt
            return
        if api.next_page(doc):
            return
        rec = house_vote_record(state["detail"], state["members"], state["source"],
                                fetched_at=dt.datetime.now(dt.timezone.utc))
        yield from self._finished(rec, state, "edtracker/votes/fetched")
