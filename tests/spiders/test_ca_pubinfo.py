"""ca_pubinfo against a local copy of the Legislature's download server (zips written from the real
2025-26 rows, see ca_pubinfo_mirror.py): the session archive once, then only a new daily zip and,
in it, only the bills changed since; resumable after a crawl that stops half-way."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

from sqlalchemy import text

from scrapers.spiders.ca_pubinfo import listing_entries, session_year
from tests.conftest import ROOT
from tests.spiders.ca_pubinfo_mirror import NEW_LINE, SAMPLE, iis_listing, sample_files, write_zip
from tests.spiders.crawl import TEST_SETTINGS, MirrorServer, crawl
from tracker.db import get_engine


def run(db_url, mirror, tmp_path, *extra):
    return crawl("ca_pubinfo", db_url, "-a", "session=2025", "-a", f"base_url={mirror.url}", *extra,
                 data_dir=tmp_path / "data")


def bill(engine, key):
    with engine.connect() as conn:
        return conn.execute(text("SELECT stage, latest_action_text, extras FROM bill WHERE key = :k"),
                            {"k": key}).one()


def test_listing_dates_and_session_years():
    html = iis_listing([("pubinfo_2025.zip", "3/2/2025  3:10 AM"), ("pubinfo_daily_Mon.zip", "3/10/2025 11:05 PM")])
    assert listing_entries(html, "https://x.example") == [
        ("pubinfo_2025.zip", "https://x.example/pubinfo_2025.zip", "2025-03-02T03:10:00"),
        ("pubinfo_daily_Mon.zip", "https://x.example/pubinfo_daily_Mon.zip", "2025-03-10T23:05:00")]
    apache = '<a href="pubinfo_daily_Tue.zip">pubinfo_daily_Tue.zip</a>   11-Mar-2025 02:05   1.2M'
    assert listing_entries('04-Mar-2025 01:00 <a href="a.txt">a</a>' + apache, "u")[0][2] is None
    assert session_year(2026) == 2025 and session_year(2027) == 2027


def test_archive_once_then_only_new_daily_zips(db_url, tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    write_zip(root / "pubinfo_2025.zip", sample_files())
    write_zip(root / "pubinfo_daily_Sat.zip", sample_files())
    listed = [("pubinfo_2025.zip", "3/2/2025  3:10 AM"), ("pubinfo_daily_Sat.zip", "3/8/2025  2:05 AM")]
    (root / "index.html").write_text(iis_listing(listed))
    engine = get_engine(db_url)
    with MirrorServer(root, throttle_once={"/pubinfo_2025.zip"}) as mirror:
        log = run(db_url, mirror, tmp_path)
        # the listing, the archive (429 with Retry-After, then again), the daily zip
        assert mirror.requests == ["/", "/pubinfo_2025.zip", "/pubinfo_2025.zip", "/pubinfo_daily_Sat.zip"]
        assert "'edtracker/ingest/bill/insert': 8" in log and "'edtracker/checkpoints': 2" in log
        assert "bill/update" not in log and "bill/noop" not in log  # the daily zip: no bill changed since
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM bill")).scalar() == len(SAMPLE)
            assert conn.execute(text("SELECT count(*) FROM vote_event")).scalar() > 0

        mirror.requests.clear()
        run(db_url, mirror, tmp_path)
        assert mirror.requests == ["/"]  # nothing new listed: nothing downloaded

        # Monday's zip: the same rows and one new history line of AB 13 (stamped 2025-03-10 17:00)
        write_zip(root / "pubinfo_daily_Mon.zip", sample_files(NEW_LINE))
        (root / "index.html").write_text(iis_listing(listed + [("pubinfo_daily_Mon.zip", "3/10/2025 11:05 PM")]))
        mirror.requests.clear()
        log = run(db_url, mirror, tmp_path)
        assert mirror.requests == ["/", "/pubinfo_daily_Mon.zip"]
        assert "'edtracker/ingest/bill/update': 1" in log and "bill/insert" not in log
        assert bill(engine, "ca-20252026-ab13").latest_action_text.startswith("From committee: Do pass")
    with engine.connect() as conn:
        state = dict(conn.execute(text("SELECT key, value FROM crawl_state WHERE spider = 'ca_pubinfo'")).all())
    assert state == {"archive:2025": "2025-03-02T03:10:00", "daily:2025:pubinfo_daily_Sat.zip": "2025-03-08T02:05:00",
                     "daily:2025:pubinfo_daily_Mon.zip": "2025-03-10T23:05:00",
                     "newest_change:2025": "2025-03-10T17:00:00"}
    engine.dispose()


def test_a_listing_without_dates_uses_last_modified_and_reads_the_newest(db_url, tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    write_zip(root / "pubinfo_2025.zip", sample_files())
    write_zip(root / "pubinfo_daily_Sun.zip", sample_files())
    write_zip(root / "pubinfo_daily_Mon.zip", sample_files(NEW_LINE))
    for name, stamp in (("pubinfo_2025.zip", 1740900000), ("pubinfo_daily_Sun.zip", 1741500000),
                        ("pubinfo_daily_Mon.zip", 1741600000)):
        os.utime(root / name, (stamp, stamp))
    with MirrorServer(root) as mirror:  # Python's own directory page: links, no dates
        run(db_url, mirror, tmp_path)
    gets = [p for p in mirror.requests if p.endswith(".zip")]
    # HEAD requests are not logged by the mirror's GET hook: only the archive and the newest daily
    assert gets == ["/pubinfo_2025.zip", "/pubinfo_daily_Mon.zip"]
    engine = get_engine(db_url)
    assert bill(engine, "ca-20252026-ab13").latest_action_text.startswith("From committee: Do pass")
    engine.dispose()


class SlowMirror(MirrorServer):
    """Serves one path only after `release` is set (a download still running when the crawl dies)."""

    def __init__(self, root, slow: str):
        super().__init__(root)
        self.release = threading.Event()
        handler = self.httpd.RequestHandlerClass
        mirror = self

        class Slow(handler):
            def do_GET(self):  # noqa: N802
                if self.path == slow:
                    mirror.release.wait(120)
                super().do_GET()

        self.httpd.RequestHandlerClass = Slow


def test_a_crawl_killed_half_way_resumes_after_the_last_zip_it_finished(db_url, tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    write_zip(root / "pubinfo_2025.zip", sample_files())
    write_zip(root / "pubinfo_daily_Mon.zip", sample_files(NEW_LINE))
    (root / "index.html").write_text(iis_listing([("pubinfo_2025.zip", "3/2/2025  3:10 AM"),
                                                  ("pubinfo_daily_Mon.zip", "3/10/2025 11:05 PM")]))
    env = dict(os.environ, EDTRACKER_DATABASE_URL=db_url, EDTRACKER_DATA_DIR=str(tmp_path / "data"))
    engine = get_engine(db_url)

    def saved() -> dict:
        with engine.connect() as conn:
            return dict(conn.execute(text("SELECT key, value FROM crawl_state")).all())

    with SlowMirror(root, "/pubinfo_daily_Mon.zip") as mirror:
        proc = subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "ca_pubinfo", "-a", "session=2025",
                                 "-a", f"base_url={mirror.url}", *TEST_SETTINGS], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while "archive:2025" not in saved() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        proc.kill()  # dies while Monday's zip is still downloading: no clean finish
        proc.wait()
        mirror.release.set()
        time.sleep(1)  # the killed crawl's request ends (broken pipe) before we count requests
        assert saved().get("archive:2025") == "2025-03-02T03:10:00"
        assert "daily:2025:pubinfo_daily_Mon.zip" not in saved()
        mirror.requests.clear()
        run(db_url, mirror, tmp_path)
        assert mirror.requests == ["/", "/pubinfo_daily_Mon.zip"]  # the archive is not read again
    assert bill(engine, "ca-20252026-ab13").latest_action_text.startswith("From committee: Do pass")
    engine.dispose()
