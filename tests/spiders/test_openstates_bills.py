"""openstates_bills against a local mirror: budget stop, resume, 429 + Retry-After, incremental."""
from __future__ import annotations

from sqlalchemy import text

from tests.spiders.openstates_mirror import KEY, Mirror, bill_pages, crawl, sample
from scrapers.formats.openstates_api import bill_records
from tracker.contract import BillIn, VoteEventIn
from tracker.db import get_engine


def test_disabled_without_key(sqlite_url, tmp_path):
    mirror = Mirror()
    log, stats = crawl("openstates_bills", sqlite_url, mirror.url, tmp_path, key=None)
    assert "openstates_bills is disabled: set EDTRACKER_OPENSTATES_API_KEY" in log
    assert mirror.log == [] and stats["edtracker/openstates/disabled"] == "True"


def test_parse_bill_with_votes_and_text_classification():
    items = list(bill_records(sample("bill_ca_ab100.json"), "https://v3.openstates.org/bills?page=1"))
    bill, vote, committee_tally = items
    assert isinstance(bill, BillIn) and isinstance(vote, VoteEventIn)
    assert (bill.key, bill.summary, bill.subjects) == ("ca-20252026-ab100",
                                                      "Requires high schools to offer a computer science course.",
                                                      ["Education"])
    # Open States left "From committee: Do pass" unclassified; California's table classifies it.
    assert bill.actions[2].classification == ["committee-passage-favorable"]
    assert bill.actions[3].date.isoformat() == "2025-04-30"
    assert bill.sponsorships[0].ids == {"ocd-person": "ocd-person/86218623-ea63-4b2a-ab5c-7694e3f4a18a"}
    assert bill.related_bills[0].key == "ca-20252026-sb30"
    assert vote.counts == {"yes": 60, "no": 12, "not voting": 8} and vote.bill_key == bill.key
    assert (committee_tally.counts, committee_tally.votes) == ({"yes": 7, "no": 0}, [])
    # The committee tally "(Ayes 7. Noes 0.)" has no roll call in the record: counts only.
    items = list(bill_records(dict(sample("bill_ca_ab100.json"), votes=[]), "u"))
    text_votes = [i for i in items if isinstance(i, VoteEventIn)]
    assert [(v.date.isoformat(), v.counts, v.votes) for v in text_votes] == [
        ("2025-04-10", {"yes": 7, "no": 0}, []), ("2025-04-30", {"yes": 60, "no": 12}, [])]


def test_budget_stop_resume_429_and_incremental(db_url, tmp_path):
    mirror = Mirror(bills=bill_pages(3), throttle_page=2)
    # Budget 3: session discovery, page 1, page 2 (429, then retried: the retry counts too).
    log, stats = crawl("openstates_bills", db_url, mirror.url, tmp_path, "budget=3")
    assert KEY not in log
    assert "HTTP 429" in log and stats["edtracker/retry_after"] == "1"
    assert mirror.pages("/bills") == [1, 2, 2]
    assert stats["edtracker/openstates/budget_exhausted"] == "True"
    assert stats["edtracker/openstates/resume_at"].endswith("page 3")
    assert stats["edtracker/openstates/pages_left_in_task"] == "1"
    first = mirror.log[1][1]
    assert first["jurisdiction"] == "ocd-jurisdiction/country:us/state:ca/government"
    assert first["session"] == "20252026" and first["subject"] == "Education"
    assert {"votes", "sponsorships", "actions", "versions"} <= set(first["include"])
    engine = get_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM bill")).scalar() == 2
        urls = [u for (u,) in conn.execute(text("SELECT source_url FROM bill"))]
        # The discovered sessions are stored with their dates (the session calendars use them).
        sessions = dict(conn.execute(text("SELECT identifier, end_date FROM legislative_session "
                                          "WHERE jurisdiction_id = 'ca'")).all())
    assert set(sessions) == {"20232024", "20252026"} and str(sessions["20232024"]) == "2024-11-30"
    assert all(u.startswith(mirror.url) and KEY not in u for u in urls)

    # The next crawl resumes at page 3, finishes the listing and remembers when the pass began.
    mirror.log.clear()
    log, stats = crawl("openstates_bills", db_url, mirror.url, tmp_path, "budget=10")
    assert mirror.pages("/bills") == [3]
    assert stats["edtracker/openstates/tasks_left"] == "0"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM bill")).scalar() == 3
        since = conn.execute(text("SELECT value FROM crawl_state WHERE key LIKE :k"),
                             {"k": "%:since"}).scalar()
    assert since

    # Then only what changed since: updated_since is sent, page 1 again.
    mirror.log.clear()
    crawl("openstates_bills", db_url, mirror.url, tmp_path, "budget=10")
    (bills_query,) = [q for p, q, _k in mirror.log if p == "/bills"]
    assert bills_query["updated_since"] == since and bills_query["page"] == "1"
    engine.dispose()


def test_session_end_dates_feed_the_calendars(engine):
    """Wyoming is not in tracker/data/calendars.yaml: Open States' end date is the session's end."""
    from sqlmodel import Session, select

    from scrapers.formats.openstates_api import session_records
    from tracker.ingest import Ingestor
    from tracker.models import LegislativeSession

    records = list(session_records("wy", [
        {"identifier": "2025", "name": "2025 General Session", "classification": "primary",
         "start_date": "2025-01-14", "end_date": "2025-03-06"}, {"name": "no identifier"}], "u"))
    assert type(records[1]).__name__ == "RecordError"
    Ingestor(engine).ingest(records[:1])
    with Session(engine) as s:
        row = s.exec(select(LegislativeSession).where(LegislativeSession.jurisdiction_id == "wy")).one()
    assert (str(row.start_date), str(row.end_date), row.dates_source) == ("2025-01-14", "2025-03-06", "openstates")
