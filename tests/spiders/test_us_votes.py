"""us_votes crawls a local mirror of the House Clerk and Senate LIS layouts built from the real files."""
from __future__ import annotations

import shutil

import pytest
from sqlmodel import Session, select

from tests.conftest import real_fixture
from tests.spiders.crawl import MirrorServer, crawl
from tracker.ops.crawlstate import load_state
from tracker.db import get_engine
from tracker.models import PersonVote, VoteEvent

SPEAKER = "/evs/2025/roll002.xml"
SENATE = "/legislative/LIS/roll_call_votes/vote1082/vote_108_2_00213.xml"


def build_mirror(root):
    (root / "evs/2025").mkdir(parents=True)
    (root / "evs/2023").mkdir(parents=True)
    shutil.copy(real_fixture("votes-house-clerk", "roll002-2025-speaker-election.xml"), root / SPEAKER[1:])
    shutil.copy(real_fixture("votes-house-clerk", "clerk-2023-roll037-committee.excerpt.xml"),
                root / "evs/2023/roll037.xml")
    # The year index links pages of a hundred rolls and each roll's vote.asp page.
    (root / "evs/2025/index.asp").write_text(
        '<a href="ROLL_000.asp">Roll Calls 1-99</a>'
        '<a href="https://clerk.house.gov/cgi-bin/vote.asp?year=2025&rollnumber=2">2</a>')
    (root / "evs/2025/ROLL_000.asp").write_text(
        '<a href="https://clerk.house.gov/cgi-bin/vote.asp?year=2025&rollnumber=2">2</a>')
    (root / "evs/2023/index.asp").write_text(
        '<a href="https://clerk.house.gov/cgi-bin/vote.asp?year=2023&rollnumber=37">37</a>'
        '<a href="https://clerk.house.gov/cgi-bin/vote.asp?year=2023&rollnumber=38">38</a>')
    # Roll 38 is an HTML error page served with 200: logged, counted, skipped.
    (root / "evs/2023/roll038.xml").write_text("<html><body>Temporarily unavailable</body></html>")
    menu = root / "legislative/LIS/roll_call_lists"
    menu.mkdir(parents=True)
    (menu / "vote_menu_108_2.xml").write_text(
        "<vote_summary><congress>108</congress><session>2</session><votes>"
        "<vote><vote_number>00213</vote_number></vote></votes></vote_summary>")
    (root / SENATE[1:]).parent.mkdir(parents=True)
    shutil.copy(real_fixture("votes-senate-lis", "vote_108_2_00213.xml"), root / SENATE[1:])


@pytest.mark.parametrize("db", ["sqlite"])
def test_crawl_listing_files_store_then_incremental_and_429_retry(sqlite_url, tmp_path, db):
    mirror = tmp_path / "mirror"
    build_mirror(mirror)
    args = ["-a", "years=2025,2023", "-a", "congress=108", "-a", "sessions=2"]
    with MirrorServer(mirror, throttle_once={SPEAKER}) as server:
        log = crawl("us_votes", sqlite_url, "-a", f"base_url={server.url}", *args, data_dir=tmp_path)
        first = list(server.requests)
        assert first.count(SPEAKER) == 2  # 429 with Retry-After, then the retry succeeded
        assert "'edtracker/retry_after': 1" in log
        assert "'edtracker/malformed': 1" in log and "roll038.xml" in log
        engine = get_engine(sqlite_url)
        with Session(engine) as db_:
            keys = set(db_.exec(select(VoteEvent.key)).all())
            n_votes = len(db_.exec(select(PersonVote)).all())
        assert keys == {"us-house-2025-2", "us-house-2023-37", "us-senate-108-2-213"}
        assert n_votes == 434 + 8 + 100
        assert load_state(engine, "us_votes") == {"house:2025": "2", "house:2023": "38",
                                                  "senate:108-2": "213"}
        server.requests.clear()
        crawl("us_votes", sqlite_url, "-a", f"base_url={server.url}", *args, data_dir=tmp_path)
        second = list(server.requests)
    assert not [p for p in second if p.endswith(".xml") and "vote_menu" not in p], second
    assert {p for p in second} >= {"/evs/2025/index.asp", "/evs/2023/index.asp"}
