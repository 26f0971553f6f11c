"""Operations pages for a coalition's admins (issue 17): unmatched voters with a one-click
"this is the same person" alias (the real Mississippi 2013 files, plus a hand-made roll call
naming a member by a printed name only), crawl runs and flagged sources, alert deliveries."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from api.app import create_app
from tests import factories as f
from tests.conftest import real_fixture
from tracker.coalitions import audit
from tracker.coalitions.auth import hash_password
from tracker.ingest import Ingestor
from tracker.models import Coalition, JobRun, Legislator, PersonVote, StaffUser, VoterAlias
from tracker.models.base import utcnow
from tracker.people.unmatched import unmatched_voters

ADMIN = ("ada@fair.example", "admin-pass-123")
SECRET_IN_URL = "sk-live-7f1c"


def name_only_vote() -> dict:
    """A roll call whose clerk printed a nickname and no id: nobody is matched by name."""
    return f.vote(key="us-house-2025-18", roll_number="18", date="2025-03-06",
                  votes=[{"voter_name": "Jaybird Doe-Smith", "option": "yes", "raw_option": "Yea"},
                         {"voter_name": "Roe", "ids": {"bioguide": "R000002"}, "option": "no", "raw_option": "Nay"}])


@pytest.fixture
def site(app_env, engine, monkeypatch):
    from tracker.settings import get_settings

    monkeypatch.setenv("EDTRACKER_SECRET_KEY", "ops-test-secret-key-0123456789abcdef")
    monkeypatch.setenv("EDTRACKER_LEGISCAN_API_KEY", SECRET_IN_URL)
    get_settings.cache_clear()
    from scrapers.importer import iter_records, plan
    Ingestor(engine, today=dt.date(2013, 6, 1)).ingest(iter_records(plan([real_fixture("legiscan-ms-xml", "ms-2013")])))
    Ingestor(engine).ingest([*f.batch(), name_only_vote()])
    with Session(engine) as db:
        coal = Coalition(slug="fair", name="Fair Schools")
        db.add(coal)
        db.flush()
        db.add(StaffUser(coalition_id=coal.id, email=ADMIN[0], password_hash=hash_password(ADMIN[1]), role="admin"))
        now = utcnow()
        for i in range(3):   # three failed runs in a row flag the source
            db.add(JobRun(job_id="legiscan-ms", started_at=now - dt.timedelta(hours=3 - i),
                          finished_at=now - dt.timedelta(hours=3 - i, minutes=-1), outcome="failed", errors=1,
                          message=f"HTTP 500 from https://api.legiscan.com/?key={SECRET_IN_URL}&op=getMasterList"))
        db.add(JobRun(job_id="congress-votes", started_at=now, finished_at=now, outcome="success", inserted=4))
        db.commit()
    yield engine
    get_settings.cache_clear()


def admin_client() -> TestClient:
    c = TestClient(create_app(), follow_redirects=False)
    tok = re.search(r'name="csrf" value="([^"]+)"', c.get("/c/fair/staff/login").text).group(1)
    assert c.post("/c/fair/staff/login", data={"email": ADMIN[0], "password": ADMIN[1], "csrf": tok}).status_code == 303
    return c


def test_unmatched_voters_with_candidates(site):
    with Session(site) as db:
        rows = unmatched_voters(db)
    by_name = {r["name"]: r for r in rows}
    # The real file's voter is named by a LegiScan id nobody loaded: an alias cannot fix it.
    ms = by_name["LegiScan person 6492"]
    assert (ms["jurisdiction"], ms["votes"], ms["reason"], ms["fixable"], ms["candidates"]) == ("ms", 2, "unknown-id", False, [])
    us = by_name["Jaybird Doe-Smith"]
    assert (us["jurisdiction"], us["chamber"], us["votes"], us["fixable"]) == ("us", "lower", 1, True)
    # Only members serving in that chamber then, the closest name first.
    assert [c["key"] for c in us["candidates"]][0] == "bioguide:D000001"
    assert {c["key"] for c in us["candidates"]} == {"bioguide:D000001", "bioguide:R000002"}
    with Session(site) as db:
        assert [r["name"] for r in unmatched_voters(db, jurisdiction="ms")] == ["LegiScan person 6492"]


def test_same_person_in_one_click(site):
    c = admin_client()
    page = c.get("/c/fair/staff/quality")
    assert page.status_code == 200 and "Jaybird Doe-Smith" in page.text and "LegiScan person 6492" in page.text
    assert "an alias cannot fix this" in page.text
    # The form of the fixable row, as the page gives it.
    form = re.search(r'<form class="inline" method="post" action="/c/fair/staff/quality/alias">(.*?)</form>',
                     page.text, re.S).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form))
    assert fields["raw_name"] == "Jaybird Doe-Smith"
    first_option = re.search(r'<option value="([^"]+)">', form).group(1)
    assert first_option == "bioguide:D000001"
    r = c.post("/c/fair/staff/quality/alias", data={**fields, "legislator_key": first_option})
    assert r.status_code == 303 and r.headers["location"] == "/c/fair/staff/quality?done=aliased&n=1"
    assert "1 vote(s) matched" in c.get(r.headers["location"]).text
    with Session(site) as db:
        jane = db.execute(select(Legislator.id).where(Legislator.key == "bioguide:D000001")).scalar_one()
        pv = db.execute(select(PersonVote).where(PersonVote.voter_name == "Jaybird Doe-Smith")).scalar_one()
        assert pv.legislator_id == jane and pv.match_method == "alias"
        assert db.execute(select(VoterAlias.raw_name)).scalars().all() == ["Jaybird Doe-Smith"]
        (entry,) = audit.entries(db, db.execute(select(Coalition)).scalar_one()).entries
        assert (entry.action, entry.target, entry.detail["matched"]) == ("data.alias_added", "us: Jaybird Doe-Smith", 1)
    assert "Jaybird Doe-Smith" not in c.get("/c/fair/staff/quality").text
    # A refused alias (unknown legislator) is said next to the row; nothing stored.
    r = c.post("/c/fair/staff/quality/alias", data={**fields, "legislator_key": "bioguide:Z999999", "row": "u1"})
    assert r.status_code == 422 and 'id="u1-error"' in r.text and "no legislator with key" in r.text
    r = c.post("/c/fair/staff/quality/alias", data={**fields, "legislator_key": "", "row": "u1"})
    assert r.status_code == 422 and "Choose a legislator." in r.text
    assert c.post("/c/fair/staff/quality/alias", data={k: v for k, v in fields.items() if k != "csrf"}
                  | {"legislator_key": first_option}).status_code == 403


def test_crawl_runs_flagged_first_and_secrets_masked(site):
    c = admin_client()
    page = c.get("/c/fair/staff/crawls").text
    flagged = page.split('<h2>Flagged sources</h2>')[1].split("</table>")[0]
    assert "legiscan-ms" in flagged and "congress-votes" not in flagged
    assert SECRET_IN_URL not in page and "key=***" in page
    assert page.index('id="job-legiscan-ms"') < page.index('id="job-congress-votes"')
    ops = c.get("/c/fair/staff/operations").text
    for path in ("/c/fair/staff/quality", "/c/fair/staff/crawls", "/c/fair/staff/alerts"):
        assert f'href="{path}"' in ops
    assert c.get("/c/fair/staff/alerts").status_code == 200
    es = c.get("/c/fair/staff/crawls?lang=es").text
    assert "Fuentes señaladas" in es and "Votantes sin identificar" in c.get("/c/fair/staff/quality").text
