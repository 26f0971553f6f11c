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
