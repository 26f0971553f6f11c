"""What the home page is made of (issue 16): the week's new bills, stage changes and floor votes
in education, upcoming hearings, the directory of coalitions, the public crawl status; and the
two fixes under them (default-taxonomy tags exist beside a coalition's; a session names its
jurisdiction). SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlmodel import Session

from tests import factories as f
from tracker.bills import activity
from tracker.coalitions.directory import listed_coalitions
from tracker.ingest import Ingestor
from tracker.models import Bill, BillTag, Coalition, IssueArea, JobRun, Position, Scorecard
from tracker.ops.public import public_job_status, redact
from tracker.search.options import issue_areas, session_options
from tracker.search.query import SearchParams, search_page
from tracker.tagging.store import retag_all

INTRO = {"date": "2025-01-05", "description": "Introduced in House", "actor": "lower",
         "classification": ["introduction"]}
REFER = {"date": "2025-01-05", "description": "Referred to the Committee on Education and Workforce.",
         "actor": "lower", "committee": "Education and Workforce", "classification": ["referral-committee"]}
PASS = {"date": "2025-03-05", "description": "Passed House by recorded vote: 220 - 210 (Roll no. 17).",
        "actor": "lower", "classification": ["passage"]}


def _at(action: dict, date: str) -> dict:
    return {**action, "date": date}


@pytest.fixture
def store(engine):
    ing = Ingestor(engine, today=dt.date(2025, 3, 10))
    # H.R. 5 was in committee; a re-crawl sees it pass (a stage_changed event, from -> to).
    ing.ingest([f.legislator(), f.legislator("R000002", "Rick Roe"), f.bill(5, actions=[INTRO, REFER])])
    ing.ingest([f.bill(5, actions=[INTRO, REFER, PASS]), f.vote()])
    ing.ingest([
        # introduced inside the week
        f.bill(7, title="School Meals for All Act", actions=[_at(INTRO, "2025-03-01"), _at(REFER, "2025-03-01")]),
        # not education: never on the home page
        f.bill(8, title="Highway Bridges Act", summary="Bridges and roads.", subjects=["Transportation"],
               policy_area="Transportation and Public Works", actions=[_at(INTRO, "2025-03-02")],
               versions=[]),
        # a committee vote the same week (not a floor vote)
        f.vote(key="us-house-2025-c1", roll_number=None, motion_text="Ordered reported",
               motion_classification=["committee-passage"], organization="Committee on Education and Workforce",
               date="2025-03-04"),
        f.vote(bill_key="us-119-hr8", key="us-house-2025-20", roll_number="20", date="2025-03-05"),
    ])
    with Session(engine) as db:
        db.add(Coalition(slug="fair", name="Fair Schools"))
        db.commit()
    retag_all(engine)
    return engine


def test_the_week_of_the_newest_data_when_it_is_old(store):
    with Session(store) as db:
        week = activity.week(db, today=dt.date(2026, 12, 3))
    assert (week.start, week.end, week.current) == (dt.date(2025, 2, 27), dt.date(2025, 3, 5), False)
    assert [m.bill_key for m in week.new_bills] == ["us-119-hr7"]
    assert [(m.bill_key, m.old_stage, m.stage) for m in week.stage_changes] == \
        [("us-119-hr5", "in_committee", "passed_origin")]
    # Only the floor vote on an education bill: not the committee's, not the highway bill's.
    assert [(m.vote_key, m.chamber, m.result) for m in week.floor_votes] == [("us-house-2025-17", "lower", "pass")]
    assert week.totals == {"new_bills": 1, "stage_changes": 1, "floor_votes": 1}


def test_counts_beyond_what_is_listed_and_the_committee_of_the_whole(store):
    Ingestor(store).ingest([f.vote(key="us-house-2025-cow", roll_number="18", date="2025-03-04",
                                   motion_text="On agreeing to the amendment", motion_classification=["amendment"],
                                   organization="Committee of the Whole House on the state of the Union")])
    with Session(store) as db:
        week = activity.week(db, today=dt.date(2026, 12, 3), shown=1)
    assert week.totals == {"new_bills": 1, "stage_changes": 1, "floor_votes": 2}
    assert [m.vote_key for m in week.floor_votes] == ["us-house-2025-17"]     # newest first, one shown


def test_the_last_seven_days_when_the_data_is_fresh(store):
    with Session(store) as db:
        week = activity.week(db, today=dt.date(2025, 3, 6))
        assert (week.start, week.end, week.current) == (dt.date(2025, 2, 28), dt.date(2025, 3, 6), True)
        later = activity.week(db, today=dt.date(2025, 3, 20))      # nothing in the last seven days
        assert (later.end, later.current) == (dt.date(2025, 3, 5), False)
        none = activity.week(db, today=dt.date(2025, 1, 1))        # before any data: nothing moved yet
        assert none.start is None and none.totals["new_bills"] == 0


def test_a_rejected_issue_area_takes_a_bill_off_the_week(store):
    with Session(store) as db:
        hr7 = db.execute(select(Bill.id).where(Bill.key == "us-119-hr7")).scalar_one()
        tags = db.execute(select(BillTag).join(IssueArea, BillTag.issue_area_id == IssueArea.id)
                          .where(IssueArea.coalition_id.is_(None), BillTag.bill_id == hr7)).scalars().all()
        assert tags
        for tag in tags:
            tag.status = "rejected"
            db.add(tag)
        db.commit()
        assert activity.week(db, today=dt.date(2026, 12, 3)).new_bills == []


def test_upcoming_hearings_of_education_bills_and_committees(store):
    now = dt.datetime(2025, 3, 10, 12, tzinfo=dt.timezone.utc)
    hearing = {"type": "hearing", "jurisdiction": "us", "source": f.SRC}
    Ingestor(store).ingest([
        {**hearing, "key": "h-past", "committee_name": "Ways and Means", "start": "2025-03-01T14:00:00Z",
         "bills": [{"bill_key": "us-119-hr5"}]},
        {**hearing, "key": "h-bill", "committee_name": "Rules", "start": "2025-03-12T15:00:00Z",
         "location": "H-313 Capitol", "links": ["https://rules.house.gov/bill/119/hr-5"],
         "bills": [{"bill_key": "us-119-hr5"}, {"bill_key": "us-119-hr8"}]},
        {**hearing, "key": "h-committee", "committee_name": "Committee on Education and Workforce",
         "start": "2025-03-11T14:00:00Z"},
        {**hearing, "key": "h-roads", "committee_name": "Transportation", "start": "2025-03-11T14:00:00Z",
         "bills": [{"bill_key": "us-119-hr8"}]},
    ])
    with Session(store) as db:
        got = activity.upcoming_hearings(db, now)
    assert [h.key for h in got] == ["h-committee", "h-bill"]
    assert got[1].bills == [("us-119-hr5", "H.R. 5"), ("us-119-hr8", "H.R. 8")]
    assert got[1].start == dt.datetime(2025, 3, 12, 15, tzinfo=dt.timezone.utc)
    assert got[1].links == ["https://rules.house.gov/bill/119/hr-5"]


def test_default_taxonomy_tags_exist_beside_a_coalitions(store):
    """Regression: with a coalition loaded, the default taxonomy was never tagged, so the public
    search's issue-area filter listed nothing and matched nothing."""
    with Session(store) as db:
        areas = issue_areas(db)
        assert "school-meals-health" in {a.slug for a in areas} and len(areas) > 20
        found = search_page(db, SearchParams(issue_area="school-meals-health"))
        assert [b.key for b in found.items] == ["us-119-hr7"]
        coalition_tags = db.execute(select(BillTag).where(BillTag.coalition_id.is_not(None))).scalars().all()
        assert coalition_tags   # the coalition's own tags are still made


def test_issue_areas_before_any_tagging_come_from_the_taxonomy(engine):
    with Session(engine) as db:
        assert {"charter-schools", "special-education"} <= {a.slug for a in issue_areas(db)}


def test_a_session_can_name_its_jurisdiction(engine):
    one = {"actions": [_at(INTRO, "2025-01-10")], "sponsorships": [], "versions": []}
    Ingestor(engine, today=dt.date(2025, 3, 1)).ingest([
        f.bill(1, jurisdiction="ky", session="2025", identifier="HB 1", **one),
        f.bill(1, jurisdiction="ny", session="2025", identifier="S 1", **one),
        f.bill(1, **one)])
    with Session(engine) as db:
        keys = lambda **kw: sorted(b.key for b in search_page(db, SearchParams(**kw)).items)  # noqa: E731
        assert keys(session="2025") == ["ky-2025-hb1", "ny-2025-s1"]
        assert keys(session="ky:2025") == ["ky-2025-hb1"]
        assert keys(session="KY:2025") == ["ky-2025-hb1"]
        assert keys(session="ky:2025", jurisdiction="ny") == []
        options = session_options(db)
        assert list(options) == ["us", "ky", "ny"]     # Congress first
        assert [o.value for o in options["ky"]] == ["ky:2025"] and options["ny"][0].name.startswith("2025")


def test_directory_lists_public_coalitions_with_published_scorecards(engine):
    with Session(engine) as db:
        shown = Coalition(slug="fair", name="Fair Schools", description="Parents and teachers")
        hidden = Coalition(slug="quiet", name="Quiet Coalition", settings={"listed": False})
        db.add_all([shown, hidden])
        db.flush()
        db.add_all([Scorecard(coalition_id=shown.id, slug="house", jurisdiction_id="us", title="House 2025",
                              published_at=dt.datetime(2025, 5, 1, tzinfo=dt.timezone.utc)),
                    Scorecard(coalition_id=shown.id, slug="draft", jurisdiction_id="us", title="Draft"),
                    Position(coalition_id=shown.id, bill_key="us-119-hr5", stance="support", public=True),
                    Position(coalition_id=shown.id, bill_key="us-119-hr6", stance="oppose", public=False)])
        db.commit()
        listed = listed_coalitions(db)
    assert [c.slug for c in listed] == ["fair"]
    assert [c.slug for c in listed[0].scorecards] == ["house"] and listed[0].public_positions == 1


def test_the_public_status_hides_hosts_statistics_and_secrets(engine):
    from tracker.settings import Settings

    settings = Settings(database_url="postgresql+psycopg://edt:db-pass-123@db/edt", legiscan_api_key="LSKEY0987654321",
                        secret_key="s" * 40, _env_file=None)
    with Session(engine) as db:
        db.add(JobRun(job_id="legiscan", started_at=dt.datetime(2025, 3, 1, tzinfo=dt.timezone.utc),
                      finished_at=dt.datetime(2025, 3, 1, 0, 5, tzinfo=dt.timezone.utc), outcome="failed",
                      inserted=3, host="crawler-7.internal", pid=4242,
                      stats={"edtracker/ingest/bill/insert": 3, "edtracker/ingest/vote_event/noop": 2,
                             "memusage/max": 123456, "downloader/request_count": 9},
                      message="HTTPError: 500 for https://api.legiscan.com/?key=LSKEY0987654321&op=getBill&id=5; "
                              "retry with LSKEY0987654321 failed; db postgresql://edt:db-pass-123@db/edt; "
                              "headers {'X-API-Key': 'abc123secret'}"))
        db.commit()
        status = public_job_status(db, settings)
    text = repr(status)
    for secret in ("LSKEY0987654321", "db-pass-123", "abc123secret", "crawler-7", "4242", "memusage", "request_count"):
        assert secret not in text, secret
    run = status[0]["last_run"]
    assert run["stored"] == {"bill": {"insert": 3}, "vote_event": {"noop": 2}}
    assert "https://api.legiscan.com/?key=***&op=getBill&id=5" in run["message"]


@pytest.mark.parametrize("raw, masked", [
    ("GET https://x.org/api?apikey=abc&y=1", "GET https://x.org/api?apikey=***&y=1"),
    ("https://x.org/?op=a&api_key=Z-9_", "https://x.org/?op=a&api_key=***"),
    ("smtp://alerts:hunter2@mail.example.org:587", "smtp://***@mail.example.org:587"),
    ("Authorization: Bearer edt_abcdef", "Authorization: ***"),
    ("nothing to hide here", "nothing to hide here"),
    (None, None),
])
def test_redact(raw, masked):
    assert redact(raw) == masked
