"""LegiScan Pull API: getSessionList -> getMasterListRaw -> getBill for bills whose change_hash
moved since the last successful crawl -> getRollCall and getPerson for what those bills reference.

Free keys allow 30,000 queries a month: every query is counted (`edtracker/legiscan/queries`) and
the crawl stops asking at EDTRACKER_LEGISCAN_QUERY_BUDGET. The key never reaches logs or stored
source URLs (it is stripped from every URL kept). Data is CC BY 4.0 (attribute LegiScan).
"""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlencode, urlparse

import scrapy

from scrapers.formats.guard import convert, record_name
from scrapers.formats.legiscan_records import (Context, bill_and_session, bill_info, legiscan_int,
                                               person_record, roll_call_record, session_info,
                                               session_record)
from scrapers.spiders.apikeys import redact_logs, strip_params
from scrapers.spiders.base import EdSpider
from tracker.contract import RecordError
from tracker.settings import get_settings

FMT = "legiscan-api"


def strip_key(url: str) -> str:
    """The URL without its `key` parameter (what logs and stored records may show)."""
    return strip_params(url, "key")


class LegiscanBillsSpider(EdSpider):
    name = "legiscan_bills"
    metered_api = "legiscan"
    source_format = FMT

    def __init__(self, *args, states: str | None = None, **kwargs):
        app = get_settings()
        kwargs.setdefault("base_url", app.legiscan_base_url)
        super().__init__(*args, **kwargs)
        self.key = app.legiscan_api_key
        self.budget = app.legiscan_query_budget
        self.states = [s.strip().upper() for s in (states.split(",") if states else app.legiscan_states)]
        self.ctx = Context()
        self.people_seen: set[str] = set()
        self.sessions: dict = {}  # bill key -> SessionInfo
        self.queries = 0

    def api(self, op: str, callback, **params) -> scrapy.Request | None:
        """A request for `op`, or None once the query budget is spent."""
        if self.queries >= self.budget:
            self.crawler.stats.set_value("edtracker/legiscan/budget_exhausted", True)
            return None
        self.queries += 1
        self.crawler.stats.inc_value("edtracker/legiscan/queries")
        url = f"{self.base_url}/?{urlencode({'key': self.key, 'op': op, **params})}"
        return scrapy.Request(url, callback=callback, errback=self.failed, dont_filter=True)

    async def start(self):
        if not self.key:
            self.logger.warning("legiscan_bills is disabled: set EDTRACKER_LEGISCAN_API_KEY to crawl LegiScan")
            return
        redact_logs(self.key, "<LEGISCAN_API_KEY>")  # Scrapy and the retry middleware print URLs
        self.budget = self.ledger_plan(self.budget)
        for state in self.states:
            req = self.api("getSessionList", self.parse_sessions, state=state)
            if req:
                yield req

    def failed(self, failure):
        self.logger.warning("LegiScan request failed: %s", strip_key(failure.request.url))
        self.crawler.stats.inc_value("edtracker/malformed")

    def payload(self, response, field: str) -> dict | list | None:
        try:
            doc = json.loads(response.text)
        except ValueError:
            doc = None
        if not isinstance(doc, dict) or doc.get("status") != "OK" or field not in doc:
            self.logger.warning("%s: not a LegiScan %s response", strip_key(response.url), field)
            self.crawler.stats.inc_value("edtracker/malformed")
            return None
        return doc[field]

    def parse_sessions(self, response):
        sessions = self.payload(response, "sessions")
        if not sessions:
            return
        latest = max(sessions, key=lambda s: (s.get("year_end", 0), s.get("session_id", 0)))
        # The session list says whether the session has adjourned sine die (tracker calendars).
        info = session_info({"session": latest, "state_id": latest.get("state_id"),
                             "state": parse_qs(urlparse(response.url).query).get("state", [""])[0]})
        if info.jurisdiction and info.sine_die is not None:
            yield session_record(info, strip_key(response.url), FMT)
        req = self.api("getMasterListRaw", self.parse_masterlist, id=latest["session_id"])
        if req:
            yield req

    def parse_masterlist(self, response):
        listing = self.payload(response, "masterlist")
        if not listing:
            return
        rows = [r for k, r in listing.items() if k != "session" and isinstance(r, dict)]
        moved = [r for r in rows if self.state.get(f"hash:{r['bill_id']}") != r.get("change_hash")]
        self.crawler.stats.set_value("edtracker/legiscan/bills_listed", len(rows))
        self.crawler.stats.set_value("edtracker/legiscan/bills_changed", len(moved))
        for row in moved:
            req = self.api("getBill", self.parse_bill, id=row["bill_id"])
            if req is None:
                break
            req.meta["change_hash"] = row.get("change_hash")
            yield req

    def parse_bill(self, response):
        bill = self.payload(response, "bill")
        if not bill:
            return
        src = strip_key(response.url)
        got = convert(bill_and_session, bill, src, FMT, source=src, prefix="bill",
                      record=record_name(bill, "bill_number", "bill_id"))
        if isinstance(got, RecordError):
            yield got
            return
        rec, info = got
        yield convert(session_record, info, src, FMT, source=src, record=f"session {info.identifier}")
        self.ctx.bills[legiscan_int(bill.get("bill_id"))] = bill_info(rec)
        self.sessions[rec.key] = info
        yield from self.people([s.get("people_id") for s in bill.get("sponsors") or []
                                if isinstance(s, dict)], info)
        yield rec
        for v in bill.get("votes") or []:
            if not isinstance(v, dict) or not str(v.get("roll_call_id", "")).isdigit():
                yield RecordError(src, rec.key, "bill.votes", f"not a roll call reference: {v!r}")
                continue
            req = self.api("getRollCall", self.parse_roll_call, id=v["roll_call_id"])
            if req:
                yield req
        # Remembered only if the whole crawl finishes (CrawlStateExtension).
        self.state_updates[f"hash:{bill['bill_id']}"] = str(response.meta.get("change_hash") or bill.get("change_hash"))

    def people(self, ids, info):
        """getPerson for each people_id neither stored by an earlier crawl nor asked for already."""
        for raw in ids:
            pid = str(raw)
            if pid in self.people_seen or self.state.get(f"person:{pid}"):
                continue
            self.people_seen.add(pid)
            req = self.api("getPerson", self.parse_person, id=pid)
            if req is None:
                return
            req.meta["session"] = info
            yield req

    def parse_person(self, response):
        person = self.payload(response, "person")
        if not person:
            return
        src = strip_key(response.url)
        rec = convert(person_record, person, [response.meta["session"]], src, FMT, source=src,
                      prefix="person", record=f"legiscan person {record_name(person, 'people_id')}")
        yield rec
        if not isinstance(rec, RecordError):
            self.state_updates[f"person:{person['people_id']}"] = "1"

    def closed(self, reason):
        """Votes may be stored before their voters' getPerson answers: match them now."""
        from tracker.db import get_engine
        from tracker.people.matching import resolve_pending

        if not self.key:
            return
        fixed = resolve_pending(get_engine(self.settings.get("EDTRACKER_DATABASE_URL") or None))
        self.crawler.stats.set_value("edtracker/legiscan/resolved_after_people", fixed)

    def parse_roll_call(self, response):
        rc = self.payload(response, "roll_call")
        if not rc:
            return
        src = strip_key(response.url)
        rec = convert(roll_call_record, rc, self.ctx, src, FMT, source=src, prefix="roll_call",
                      record=f"legiscan roll call {record_name(rc, 'roll_call_id')}")
        if isinstance(rec, RecordError):
            yield rec
            return
        info = self.sessions.get(rec.bill_key or "")
        if info:
            yield from self.people([v.get("people_id") for v in rc.get("votes") or []], info)
        yield rec
