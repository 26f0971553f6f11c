"""congress_api crawls a 127.0.0.1 mirror of the Congress.gov API built from the real responses.

The mirror answers by path and query (`offset`, `fromDateTime`) and refuses requests without the
test key. Bills: 117 H.R. 21 (every sub-resource, loc-sample-output/) and 117 H.R. 3076
(httptest2/: the parts that were recorded; pages and parts that were not are answered with an
empty page, so the record says which lists are incomplete). The House vote (119-1 roll 17) has
its 434 members split over two pages of 250, joined by a `next` URL as the API does.
"""
from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from tests.conftest import real_fixture
from tests.spiders.crawl import crawl
from tests.spiders.jsonapi import RETRY_AFTER_1, JsonApiServer
from tracker.ops.crawlstate import load_state
from tracker.db import get_engine
from tracker.models import Bill, BillSource, PersonVote, VoteEvent

KEY = "TEST-congress-key-9f2c"
PARTS = {"actions": "actions", "cosponsors": "cosponsors", "committees": "committees",
         "subjects": "subjects", "summaries": "summaries", "text": "textVersions", "titles": "titles",
         "relatedbills": "relatedBills"}


def _load(folder: str, name: str, base: str) -> dict:
    raw = real_fixture("congress-gov-api-json", folder, name).read_text()
    # Embedded URLs (and `pagination.next`) point at the mirror: api.congress.gov or httptest2's `v3` host.
    raw = raw.replace("https://api.congress.gov/v3", f"{base}/v3").replace("https://v3/", f"{base}/v3/")
    return json.loads(raw)


def build_routes(base: str) -> dict:
    """Path -> a function of the query returning the JSON body."""
    routes: dict = {}
    bills = [("loc-sample-output", "bill_117_hr_21", "21"), ("httptest2", "bill_117_hr_3076", "3076")]
    rows = []
    for folder, stem, number in bills:
        detail = _load(folder, f"{stem}.json", base)
        routes[f"/v3/bill/117/hr/{number}"] = lambda q, d=detail: d
        rows.append({"congress": 117, "number": number, "type": "HR", "title": detail["bill"]["title"],
                     "updateDate": detail["bill"]["updateDate"],
                     "url": f"{base}/v3/bill/117/hr/{number}?format=json"})
        for part, key in PARTS.items():
            path = real_fixture("congress-gov-api-json", folder).joinpath(f"{stem}_{part}.json")
            recorded = _load(folder, path.name, base) if path.exists() else None

            def answer(q, recorded=recorded, key=key, number=number):
                if recorded is not None and "offset" not in q:
                    return recorded
                # a page the fixtures do not hold: an empty last page
                return {key: {} if key == "subjects" else [], "pagination": {"count": 0},
                        "request": {"congress": "117", "billType": "hr", "billNumber": number}}
            routes[f"/v3/bill/117/hr/{number}/{part}"] = answer
    envelope = _load("httptest2", "bill_list.json", base)

    def bill_list(q):
        since = q.get("fromDateTime")
        page = [r for r in rows if not since or r["updateDate"] >= since]
        offset = int(q.get("offset", 0))
        out = {"bills": page[offset:offset + 1], "pagination": {"count": len(page)}, "request": envelope["request"]}
        if offset + 1 < len(page):  # one bill a page, to follow `next`
            out["pagination"]["next"] = f"{base}/v3/bill/117?offset={offset + 1}&limit=1&format=json" + (
                f"&fromDateTime={since}" if since else "")
        return out
    routes["/v3/bill/117"] = bill_list

    vote = _load("httptest2", "house_vote_119_1_17.json", base)
    members = _load("httptest2", "house_vote_119_1_17_members.json", base)
    routes["/v3/house-vote/119/1/17"] = lambda q: vote
    row = {k: vote["houseRollCallVote"][k] for k in ("congress", "identifier", "rollCallNumber", "sessionNumber",
                                                       "startDate", "updateDate", "result", "voteType")}
    listing = _load("httptest2", "house_vote_list.json", base)
    routes["/v3/house-vote/119"] = lambda q: {"houseRollCallVotes": [row], "pagination": {"count": 1},
                                              "request": listing["request"]}

    def member_pages(q):
        body = dict(members["houseRollCallVoteMemberVotes"])
        offset, results = int(q.get("offset", 0)), body["results"]
        body["results"] = results[offset:offset + 250]
        out = {"houseRollCallVoteMemberVotes": body, "request": members["request"],
               "pagination": {"count": len(results)}}
        if offset + 250 < len(results):
            out["pagination"]["next"] = f"{base}/v3/house-vote/119/1/17/members?offset={offset + 250}&limit=250&format=json"
        return out
    routes["/v3/house-vote/119/1/17/members"] = member_pages
    return routes


class ApiMirror(JsonApiServer):
    """Routes by path, answers 403 without the key, 429 (Retry-After: 1) once for listed paths."""

    def __init__(self, throttle_once=()):
        super().__init__(self.answer)
        self.pending_429 = set(throttle_once)
        self.routes = build_routes(self.url)

    def answer(self, path: str, query: dict, headers):
        if query.get("api_key") != KEY:
            return 403, {"error": {"code": "API_KEY_INVALID"}}
        if path in self.pending_429:
            self.pending_429.discard(path)
            return RETRY_AFTER_1
        route = self.routes.get(path)
        if route is None:
            return 404, {"error": "not found"}
        return 200, route(query)


ARGS = ["-a", "congress=117"]


def test_crawl_stores_bills_and_vote_then_nothing_new_429_honored_key_never_stored(sqlite_url, tmp_path,
                                                                                      monkeypatch):
    monkeypatch.setenv("EDTRACKER_CONGRESS_API_KEY", KEY)
    with ApiMirror(throttle_once={"/v3/bill/117/hr/21"}) as mirror:
        base = ["-a", f"base_url={mirror.url}/v3"]
        # votes of the 119th and bills of the 117th: two crawls of one congress each
        log = crawl("congress_api", sqlite_url, *base, *ARGS, "-a", "kinds=bills", data_dir=tmp_path)
        log += crawl("congress_api", sqlite_url, *base, "-a", "congress=119", "-a", "kinds=votes", data_dir=tmp_path)
        first = list(mirror.log)
        assert sum(1 for r in first if r.path == "/v3/bill/117/hr/21") == 2  # 429, then retried
        assert "'edtracker/retry_after': 1" in log
        assert all(r.query.get("api_key") == KEY for r in first)
        assert KEY not in log and "<CONGRESS_API_KEY>" in log
        assert "'edtracker/congress_api/bills_fetched': 2" in log
        # members fetched in two pages through `pagination.next`
        assert [r.path for r in first].count("/v3/house-vote/119/1/17/members") == 2

        engine = get_engine(sqlite_url)
        with Session(engine) as s:
            bills = {b.key: b for b in s.exec(select(Bill)).all()}
            sources = s.exec(select(BillSource)).all()
            event = s.exec(select(VoteEvent).where(VoteEvent.key == "us-house-2025-17")).one()
            n_votes = len(s.exec(select(PersonVote).where(PersonVote.vote_event_id == event.id)).all())
        assert set(bills) == {"us-117-hr21", "us-117-hr3076"}
        assert bills["us-117-hr21"].title == "FedRAMP Authorization Act"
        assert n_votes == 434 and event.counts["yes"] == 274 and event.bill_key == "us-119-hr30"
        stored = [src.source_url for src in sources] + [event.source_url]
        assert stored and all(KEY not in u and "api_key" not in u for u in stored), stored
        hr3076 = next(src.payload for src in sources if "3076" in src.source_url)
        assert hr3076["extras"]["incomplete"]["actions"] == "20 of 74"

        state = load_state(engine, "congress_api")
        assert state["bill:117-hr21"] == "2022-03-25T01:16:59Z" and "from:bills:117" in state
        assert state["vote:119-1-17"] == "2025-02-14T21:47:34-05:00"
        assert not any(KEY in v for v in state.values())

        mirror.log.clear()
        crawl("congress_api", sqlite_url, *base, *ARGS, "-a", "kinds=bills", data_dir=tmp_path)
        crawl("congress_api", sqlite_url, *base, "-a", "congress=119", "-a", "kinds=votes", data_dir=tmp_path)
        second = list(mirror.log)
    # only the two lists were asked for; the bill list with the first crawl's start as fromDateTime
    assert sorted(r.path for r in second) == ["/v3/bill/117", "/v3/house-vote/119"]
    bill_list = next(r for r in second if r.path == "/v3/bill/117")
    assert bill_list.query["fromDateTime"] == state["from:bills:117"]
    assert bill_list.query["limit"] == "250"


def test_budget_spent_stops_cleanly_and_keeps_the_watermark(sqlite_url, tmp_path, monkeypatch):
    monkeypatch.setenv("EDTRACKER_CONGRESS_API_KEY", KEY)
    monkeypatch.setenv("EDTRACKER_CONGRESS_API_HOURLY_BUDGET", "4")
    with ApiMirror() as mirror:
        log = crawl("congress_api", sqlite_url, "-a", f"base_url={mirror.url}/v3", *ARGS, "-a", "kinds=bills",
                    data_dir=tmp_path)
        assert len(mirror.log) == 4
    assert "'edtracker/congress_api/budget_exhausted': True" in log
    assert "'edtracker/congress_api/budget_left': 0" in log
    assert "from:bills:117" not in load_state(get_engine(sqlite_url), "congress_api")


def test_without_a_key_the_spider_does_nothing(sqlite_url, tmp_path, monkeypatch):
    monkeypatch.setenv("EDTRACKER_CONGRESS_API_KEY", "")
    with ApiMirror() as mirror:
        log = crawl("congress_api", sqlite_url, "-a", f"base_url={mirror.url}/v3", *ARGS, data_dir=tmp_path)
        assert mirror.log == []
    assert "congress_api is disabled: set EDTRACKER_CONGRESS_API_KEY" in log
    assert load_state(get_engine(sqlite_url), "congress_api") == {}


@pytest.mark.parametrize("url,expected", [
    (f"https://api.congress.gov/v3/bill/117?api_key={KEY}&limit=250", "https://api.congress.gov/v3/bill/117?limit=250"),
])
def test_public_url_has_no_key(url, expected):
    from scrapers.spiders.apikeys import strip_params
    assert strip_params(url, "api_key") == expected
