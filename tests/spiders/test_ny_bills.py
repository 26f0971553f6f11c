"""ny_bills against a local OpenLegislation API v3 mirror built from the real files in
../shared/fixtures/ny-openleg: the real `/api/3/bills/2017/S609` response (api-v3/), the docs'
sample member response (api-v3-docs/members.rst) and a member made from the bill's real sponsor
block. The docs give no sample agenda, and their /updates sample is JavaScript with comments:
those two answers are built here in the documented shape (agendas.rst, agg_updates.rst).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from scrapers.formats import ny_openleg_api as api
from tests.conftest import ROOT, real_fixture
from tests.spiders.crawl import TEST_SETTINGS
from tests.spiders.jsonapi import RETRY_AFTER_1, JsonApiServer
from tracker.db import get_engine

KEY = "ny-sekret-key"


def docs_member() -> dict:
    """The sample member response of api-v3-docs/members.rst (James L. Seward, 2013)."""
    rst = real_fixture("ny-openleg", "api-v3-docs", "members.rst").read_text()
    block = rst.split("**Sample Response**", 1)[1].split("Get a list of members", 1)[0]
    return json.loads(block[block.index("{"):block.rindex("}") + 1])["result"]


def sponsor_member(bill: dict) -> dict:
    """Member 433 in the member-sessions shape, from the real bill's sponsor block."""
    m = bill["result"]["sponsor"]["member"]
    return {"memberId": m["memberId"], "chamber": m["chamber"], "incumbent": True,
            "fullName": m["fullName"], "shortName": m["shortName"],
            "sessionShortNameMap": {str(m["sessionYear"]): [{
                "sessionMemberId": m["sessionMemberId"], "shortName": m["shortName"],
                "sessionYear": m["sessionYear"], "districtCode": m["districtCode"],
                "alternate": False, "memberId": m["memberId"]}]},
            "person": {"personId": None, "fullName": m["fullName"], "imgName": m["imgName"]}}


def listing(rows: list, offset: int, limit: int, kind: str) -> dict:
    page = rows[offset - 1:offset - 1 + limit]
    return {"success": True, "message": "", "responseType": kind, "total": len(rows),
            "offsetStart": offset, "offsetEnd": offset + len(page) - 1, "limit": limit,
            "result": {"items": page, "size": len(page)}}


def agenda(member: dict) -> dict:
    """Agenda 3 of 2017: Judiciary meets on S609 (referred there 2017-01-18) and votes on it."""
    voter = {"memberId": member["memberId"], "shortName": member["shortName"], "sessionYear": 2017,
             "fullName": member["fullName"]}
    bill_id = {"basePrintNo": "S609", "session": 2017, "printNo": "S609", "version": ""}
    return {"success": True, "message": "", "responseType": "agenda", "result": {
        "id": {"number": 3, "year": 2017}, "weekOf": "2017-01-23",
        "committeeAgendas": {"items": [{"committeeId": {"chamber": "SENATE", "name": "Judiciary"}, "addenda": {
            "items": [{"addendumId": "", "hasVotes": True,
                       "meeting": {"chair": "BONACIC", "location": "Room 124 CAP",
                                   "meetingDateTime": "2017-01-24T10:30", "notes": ""},
                       "bills": {"items": [{"billId": bill_id, "message": ""}], "size": 1},
                       "voteInfo": {"votesList": {"items": [{
                           "action": "FIRST_READING", "bill": bill_id,
                           "vote": {"version": "", "voteType": "COMMITTEE", "voteDate": "2017-01-24",
                                    "committee": {"chamber": "SENATE", "name": "Judiciary"},
                                    "memberVotes": {"items": {"AYE": {"items": [voter], "size": 1}}}}}]}}}],
            "size": 1}}], "size": 1}}}


class Mirror(JsonApiServer):
    """Answers /api/3/... like OpenLegislation; the first S609 request gets 429 + Retry-After."""

    def __init__(self):
        super().__init__(self.answer)
        self.bill = json.loads(real_fixture("ny-openleg", "api-v3", "bill_S609-2017.json").read_bytes())
        self.members = [docs_member(), sponsor_member(self.bill)]
        self.tokens: list[dict] = []
        self.throttled = False
        self.start()

    def answer(self, path: str, q: dict, headers):
        if q.get("key") != KEY:
            return 403, {"success": False, "message": "bad key"}
        offset, limit = int(q.get("offset", 1)), int(q.get("limit", 50))
        if path == "/api/3/members/2017":
            return 200, listing(self.members, offset, limit, "member-sessions list")
        if path == "/api/3/bills/2017":
            return 200, listing([{"basePrintNo": "S609", "session": 2017, "printNo": "S609A"}],
                                offset, limit, "bill-info list")
        if path == "/api/3/bills/2017/S609":
            if not self.throttled:
                self.throttled = True
                return RETRY_AFTER_1
            return 200, self.bill
        if path == "/api/3/agendas/2017":
            return 200, listing([{"number": 3, "year": 2017}], offset, limit, "agenda-id list")
        if path == "/api/3/agendas/2018":
            return 200, listing([], offset, limit, "agenda-id list")
        if path == "/api/3/agendas/2017/3":
            return 200, agenda(self.members[1])
        if path.startswith("/api/3/updates/"):
            return 200, {**listing(self.tokens, offset, limit, "update-token list"),
                         "fromDateTime": path.rsplit("/", 1)[1], "toDateTime": "2030-01-01T00:00"}
        return 404, {"success": False, "message": f"no such path {path}"}

    def paths(self) -> list[str]:
        return [r.path for r in self.log]


def crawl(db_url: str, base_url: str, tmp_path: Path, *args: str, key: str | None = KEY) -> str:
    env = {**os.environ, "EDTRACKER_DATABASE_URL": db_url, "EDTRACKER_NY_OPENLEG_BASE_URL": base_url,
           "EDTRACKER_DATA_DIR": str(tmp_path / "data"), "EDTRACKER_NY_OPENLEG_API_KEY": key or ""}
    out = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "ny_bills", "-a", "session=2017", *args,
                          *TEST_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    log = out.stdout + out.stderr
    assert out.returncode == 0 and "'finish_reason': 'finished'" in log, log[-4000:]
    return log


def test_listing_pages_and_update_tokens():
    doc = listing(list(range(5)), 3, 2, "x")
    assert api.next_offset(doc, 3) == 5 and api.next_offset(listing(list(range(5)), 5, 2, "x"), 5) is None
    tokens = {"result": {"items": [
        {"id": {"basePrintNo": "S1826", "session": 2019}, "contentType": "BILL"},
        {"id": {"basePrintNo": "S1826", "session": 2019}, "contentType": "BILL"},
        {"id": {"number": 4, "year": 2019}, "contentType": "AGENDA"}]}}
    assert api.update_tokens(tokens) == ([("2019", "S1826")], [("2019", "4")])
    err = api.load(b'{"success": false, "message": "Bill S9-2017 not found", "result": null}', "u")
    assert "Bill S9-2017 not found" in str(err)


def test_docs_member_sample_is_a_legislator():
    [leg] = list(api.parse_members({"result": docs_member()}, "members.rst"))
    assert leg.key == "ny-member:371" and leg.name == "James L. Seward"
    assert leg.ids == {"ny-member": ["371"], "ny-session-member": ["127"]}
    assert [(r.chamber, r.district) for r in leg.roles] == [("upper", "51")]


def test_disabled_without_key(sqlite_url, tmp_path):
    log = crawl(sqlite_url, "http://127.0.0.1:9", tmp_path, key=None)
    assert "ny_bills is disabled: set EDTRACKER_NY_OPENLEG_API_KEY" in log


def test_crawl_members_bills_agendas_then_updates(db_url, tmp_path):
    mirror = Mirror()
    log = crawl(db_url, mirror.url, tmp_path, "-a", "page_size=1")
    assert KEY not in log
    assert "HTTP 429" in log and "'edtracker/retry_after': 1" in log
    paths = mirror.paths()
    assert paths.count("/api/3/members/2017") == 2  # two members, one per page
    assert paths.count("/api/3/bills/2017/S609") == 2  # retried once after the 429
    assert max(i for i, p in enumerate(paths) if p == "/api/3/members/2017") < paths.index("/api/3/bills/2017")
    assert mirror.log[paths.index("/api/3/bills/2017/S609")].query["view"] == "no_fulltext"

    engine = get_engine(db_url)
    with engine.connect() as conn:
        bill = conn.execute(text("SELECT id, versions, stage, source_url FROM bill WHERE key = 'ny-2017-s609'")).one()
        sponsor = conn.execute(text(
            "SELECT l.name FROM sponsorship s JOIN legislator l ON l.id = s.legislator_id "
            "WHERE s.bill_id = :b"), {"b": bill.id}).scalar()
        hearing = conn.execute(text("SELECT id, committee_name, location FROM hearing "
                                    "WHERE key = 'ny-2017-agenda3-judiciary'")).one()
        on_agenda = conn.execute(text("SELECT count(*) FROM hearing_bill WHERE hearing_id = :h"),
                                 {"h": hearing.id}).scalar()
        voters = conn.execute(text(
            "SELECT l.name, pv.option FROM person_vote pv JOIN vote_event ve ON ve.id = pv.vote_event_id "
            "JOIN legislator l ON l.id = pv.legislator_id WHERE ve.bill_key = 'ny-2017-s609'")).all()
        urls = [u for t in ("bill", "hearing", "vote_event", "legislator", "bill_source")
                for (u,) in conn.execute(text(f"SELECT source_url FROM {t}"))]
    versions = bill.versions if isinstance(bill.versions, list) else json.loads(bill.versions)
    assert [v["note"] for v in versions] == ["S609 (original)", "S609A (amendment A)"]
    # Still in committee when the 2017-2018 session ended: dead (the parser's hint was in_committee).
    assert bill.stage == "dead" and sponsor == "Phil Boyle"
    assert (hearing.committee_name, hearing.location, on_agenda) == ("Judiciary", "Room 124 CAP", 1)
    assert [tuple(v) for v in voters] == [("Phil Boyle", "yes")]
    assert len(urls) >= 5 and all(u and "key=" not in u and KEY not in u for u in urls)

    # Second crawl: /updates since the first crawl's start says nothing changed -> no bill.
    mirror.log.clear()
    crawl(db_url, mirror.url, tmp_path)
    paths = mirror.paths()
    assert not [p for p in paths if p.startswith("/api/3/bills") or p.startswith("/api/3/agendas")]
    [since] = [p for p in paths if p.startswith("/api/3/updates/")]
    assert re.fullmatch(r"/api/3/updates/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", since)
    assert mirror.log[paths.index(since)].query["content-type"] == ["BILL", "AGENDA"]

    # Third crawl: S609 (twice, from two source files) and agenda 3 changed -> fetched once each.
    mirror.tokens = [{"id": {"basePrintNo": "S609", "session": 2017, "basePrintNoStr": "S609-2017"},
                      "contentType": "BILL", "sourceId": f"x-{i}", "sourceDateTime": "2017-02-01T10:00:00",
                      "processedDateTime": "2017-02-01T10:05:00"} for i in range(2)]
    mirror.tokens.append({"id": {"number": 3, "year": 2017}, "contentType": "AGENDA"})
    mirror.log.clear()
    log = crawl(db_url, mirror.url, tmp_path)
    assert mirror.paths().count("/api/3/bills/2017/S609") == 1
    assert mirror.paths().count("/api/3/agendas/2017/3") == 1
    assert "'edtracker/ingest/bill/noop': 1" in log
    engine.dispose()
