"""us_legislators crawls a file:// mirror of the congress-legislators files (real fixtures)."""
from __future__ import annotations

import shutil

from sqlmodel import Session, func, select

from tests.conftest import real_fixture
from tests.spiders.crawl import crawl
from tracker.db import get_engine
from tracker.models import Committee, CommitteeMembership, Legislator


def test_crawl_people_then_committees_with_members(sqlite_url, tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for name in ("legislators-current.yaml", "committees-current.yaml", "committee-membership-current.yaml"):
        shutil.copy(real_fixture("congress-legislators", name), mirror / name)
    # legislators-historical.yaml is not in the fixtures: logged, counted, the rest still loads.
    log = crawl("us_legislators", sqlite_url, "-a", f"base_url={mirror.as_uri()}", data_dir=tmp_path)
    assert "'edtracker/missing': 1" in log and "legislators-historical.yaml" in log
    with Session(get_engine(sqlite_url)) as db:
        assert db.exec(select(func.count()).select_from(Legislator)).one() == 537
        assert db.exec(select(func.count()).select_from(Committee)).one() == 230
        help_ = db.exec(select(Committee).where(Committee.key == "us-SSHR")).one()
        members = db.exec(select(func.count()).select_from(CommitteeMembership)
                          .where(CommitteeMembership.committee_id == help_.id)).one()
    assert members == 23
    log = crawl("us_legislators", sqlite_url, "-a", f"base_url={mirror.as_uri()}", data_dir=tmp_path)
    assert "'edtracker/ingest/noop': 767" in log and "edtracker/ingest/update" not in log


def test_the_historical_job_resolves_former_members_votes_by_id(sqlite_url, tmp_path):
    """The weekly job crawls legislators-historical.yaml too (here a small hand-made file in the
    documented format): votes stored before, carrying a former member's id, then resolve to her."""
    from pathlib import Path

    from tests.us_federal import essa_dirs, parse_essa
    from tracker.ingest import Ingestor
    from tracker.models import PersonVote

    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for name in ("legislators-current.yaml", "committees-current.yaml", "committee-membership-current.yaml"):
        shutil.copy(real_fixture("congress-legislators", name), mirror / name)
    shutil.copy(Path(__file__).parent.parent / "data" / "congress-legislators" / "legislators-historical.yaml",
                mirror / "legislators-historical.yaml")
    engine = get_engine(sqlite_url)
    vote = parse_essa(next(d for d in essa_dirs() if d.name == "h410") / "data.json")
    assert Ingestor(engine).ingest([vote]).summary()["insert"] == 1
    log = crawl("us_legislators", sqlite_url, "-a", f"base_url={mirror.as_uri()}", data_dir=tmp_path)
    assert "edtracker/missing" not in log
    with Session(engine) as db:
        assert db.exec(select(func.count()).select_from(Legislator)).one() == 537 + 4
        walters = db.exec(select(PersonVote, Legislator.key).join(
            Legislator, Legislator.id == PersonVote.legislator_id).where(
            PersonVote.voter_name == "Walters, Mimi")).one()
    assert walters[1] == "bioguide:W000820" and walters[0].match_method == "id:bioguide"
