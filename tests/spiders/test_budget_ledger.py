"""The budget ledger across crawls (issue 19): every HTTP request of a metered spider, retries
included, is counted in the database, and the next crawl plans within what the window has left."""
from __future__ import annotations

from tests.spiders.openstates_mirror import Mirror, bill_pages, crawl
from tracker.db import get_engine
from tracker.ops import budget
from tracker.settings import Settings


def test_two_crawls_share_one_daily_budget(db_url, tmp_path):
    mirror = Mirror(bills=bill_pages(3), throttle_page=2)
    limit = {"EDTRACKER_OPENSTATES_DAILY_LIMIT": "4"}
    # Each crawl alone may make 10; the day allows 4: discovery, page 1, page 2 (429), page 2 again.
    log, stats = crawl("openstates_bills", db_url, mirror.url, tmp_path, "budget=10", env_extra=limit)
    assert stats["edtracker/budget/openstates/planned"] == "4"
    assert len(mirror.log) == 4 and stats["edtracker/budget/openstates/used"] == "4"
    settings = Settings(_env_file=None, openstates_daily_limit=4)
    engine = get_engine(db_url)
    assert budget.remaining(engine, settings, "openstates") == 0

    # The next crawl, another process, finds the day spent: it asks nothing and says so.
    mirror.log.clear()
    log, stats = crawl("openstates_bills", db_url, mirror.url, tmp_path, "budget=10", env_extra=limit)
    assert mirror.log == []
    assert stats["edtracker/budget/openstates/planned"] == "0"
    assert "left in the API's current window" in log
    # A larger limit (a paid key) opens room again in the same window: 4 used, 6 left.
    assert budget.plan(engine, Settings(_env_file=None, openstates_daily_limit=10), "openstates", 200) == 6
    engine.dispose()
