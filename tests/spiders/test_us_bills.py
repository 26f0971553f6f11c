"""The us_bills spider: whole crawls (subprocess) of a local GovInfo mirror built from the real fixtures."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from scrapers.spiders.us_bills import UsBillsSpider
from tests.conftest import ROOT, real_fixture
from tracker.jurisdictions.congress import current_congress
from tracker.db import get_engine

GOVINFO = "https://www.govinfo.gov"
_NAME = re.compile(r"BILLSTATUS-(\d+)([a-z]+)(\d+)\.xml$")
# One file per bill: the 3.0.0 copy where a bill exists in two generations; the DEV- sample under
# the name GovInfo would give it.
FILES = ["legacy-noversion/BILLSTATUS-114hconres70.xml", "legacy-noversion/BILLSTATUS-114hr22.xml",
         "legacy-noversion/BILLSTATUS-114hr2566.xml", "legacy-noversion/BILLSTATUS-114hres348.xml",
         "legacy-noversion/BILLSTATUS-114s1300.xml", "legacy-noversion/BILLSTATUS-114s469.xml",
         "v3-future/BILLSTATUS-114hr5278.xml", "v1-actions-committees/BILLSTATUS-115s2979.xml",
         "v1-textVersions-dev/DEV-BILLSTATUS-115s3509.xml", "v1-actions-committees/BILLSTATUS-116hr5177.xml",
         "v1-actions-committees/BILLSTATUS-116s2902.xml", "v1-current/BILLSTATUS-117hr1.xml",
         "v3-future/BILLSTATUS-117hr6658.xml"]
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


class Mirror:
    """A folder with GovInfo's layout: sitemap index, one sitemap per congress+type, the files."""

    def __init__(self, root: Path):
        self.root = root
        self.files: dict[str, dict[str, str]] = {}   # sitemap id (114hr) -> {file path: lastmod}
        self.sitemap_lastmod: dict[str, str] = {}

    def add(self, name: str, data: bytes, lastmod: str = "2024-01-10T12:00:00.000Z") -> None:
        congress, kind, _ = _NAME.search(name).groups()
        path = f"bulkdata/BILLSTATUS/{congress}/{kind}/{name}"
        (self.root / path).parent.mkdir(parents=True, exist_ok=True)
        (self.root / path).write_bytes(data)
        self.files.setdefault(f"{congress}{kind}", {})[path] = lastmod
        self.sitemap_lastmod[f"{congress}{kind}"] = max(self.sitemap_lastmod.get(f"{congress}{kind}", ""), lastmod)

    def touch(self, name: str, lastmod: str) -> None:
        """GovInfo updated a file: its lastmod and its sitemap's lastmod move."""
        for sid, files in self.files.items():
            for path in files:
                if path.endswith("/" + name):
                    files[path] = lastmod
                    self.sitemap_lastmod[sid] = lastmod
        self.write()

    def write(self) -> None:
        index = [f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="{SITEMAP_NS}">']
        # a congress nobody asked for: listed, never fetched
        index.append(f"<sitemap><loc>{GOVINFO}/sitemap/bulkdata/BILLSTATUS/113hr/sitemap.xml</loc>"
                     "<lastmod>2020-01-01T00:00:00.000Z</lastmod></sitemap>")
        for sid, files in sorted(self.files.items()):
            index.append(f"<sitemap><loc>{GOVINFO}/sitemap/bulkdata/BILLSTATUS/{sid}/sitemap.xml</loc>"
                         f"<lastmod>{self.sitemap_lastmod[sid]}</lastmod></sitemap>")
            urls = "".join(f"<url><loc>{GOVINFO}/{path}</loc><lastmod>{lm}</lastmod></url>"
                           for path, lm in sorted(files.items()))
            sitemap = self.root / "sitemap/bulkdata/BILLSTATUS" / sid / "sitemap.xml"
            sitemap.parent.mkdir(parents=True, exist_ok=True)
            sitemap.write_text(f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="{SITEMAP_NS}">{urls}</urlset>')
        index.append("</sitemapindex>")
        out = self.root / "sitemap/bulkdata/BILLSTATUS/sitemapindex.xml"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("".join(index))


def crawl(mirror: Mirror, db_url: str, tmp_path: Path, congress: str = "114,115,116,117",
          texts: bool = False) -> dict[str, int]:
    """Run `scrapy crawl us_bills` on the mirror in a subprocess; return its integer stats. Text
    versions only when `texts` (the real BILLSTATUS files list texts the mirror does not hold)."""
    env = {**os.environ, "EDTRACKER_DATABASE_URL": db_url, "EDTRACKER_DATA_DIR": str(tmp_path / "data")}
    cmd = [sys.executable, "-m", "scrapy", "crawl", "us_bills", "-a", f"base_url={mirror.root.as_uri()}",
           "-a", f"congress={congress}", "-a", f"texts={int(texts)}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
           "-s", "ROBOTSTXT_OBEY=False", "-s", "EDTRACKER_BACKOFF_BASE=0.05", "-s", "LOG_LEVEL=INFO",
           "-s", "TELNETCONSOLE_ENABLED=False"]
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    dump = out.stderr.split("Dumping Scrapy stats:", 1)
    assert len(dump) == 2, out.stderr[-3000:]
    stats = {k: int(v) for k, v in re.findall(r"'([^']+)': (\d+)[,}]", dump[1].split("\n20", 1)[0])}
    stats["_log"] = out.stderr  # type: ignore[assignment]
    return stats


@pytest.fixture
def mirror(tmp_path) -> Mirror:
    m = Mirror(tmp_path / "govinfo")
    for rel in FILES:
        path = real_fixture("billstatus", *rel.split("/"))
        m.add(path.name.removeprefix("DEV-"), path.read_bytes())
    m.write()
    return m


def _bills(db_url: str) -> list[str]:
    engine = get_engine(db_url)
    with engine.connect() as conn:
        return [k for (k,) in conn.execute(text("SELECT key FROM bill ORDER BY key"))]


def _state(db_url: str) -> dict[str, str]:
    with get_engine(db_url).connect() as conn:
        return dict(conn.execute(text("SELECT key, value FROM crawl_state WHERE spider = 'us_bills'")).all())


def test_listing_then_files_then_store_then_nothing_new(mirror, sqlite_url, tmp_path):
    first = crawl(mirror, sqlite_url, tmp_path)
    # index + 8 sitemaps (114 hconres/hr/hres/s, 115 s, 116 hr/s, 117 hr) + 13 files; 113hr skipped
    assert first["downloader/request_count"] == 1 + 8 + 13
    assert first["edtracker/us_bills/files_fetched"] == 13
    assert first["edtracker/ingest/insert"] == 13 and "edtracker/ingest/error" not in first
    assert len(_bills(sqlite_url)) == 13 and "us-114-hr22" in _bills(sqlite_url)

    second = crawl(mirror, sqlite_url, tmp_path)
    # nothing moved: the index only; no sitemap, no bill file
    assert second["downloader/request_count"] == 1
    assert "edtracker/us_bills/files_fetched" not in second
    assert second["edtracker/us_bills/sitemaps_unchanged"] == 8

    mirror.touch("BILLSTATUS-114hr22.xml", "2024-02-01T08:00:00.000Z")
    third = crawl(mirror, sqlite_url, tmp_path)
    # index + the 114hr sitemap + the one file whose lastmod moved (hr2566, hr5278 unchanged)
    assert third["downloader/request_count"] == 3
    assert third["edtracker/us_bills/files_fetched"] == 1
    assert third["edtracker/us_bills/files_unchanged"] == 2
    assert third["edtracker/ingest/noop"] == 1  # same content under a new lastmod
    assert _state(sqlite_url)["bulkdata/BILLSTATUS/114/hr/BILLSTATUS-114hr22.xml"] == "2024-02-01T08:00:00.000Z"
    assert _state(sqlite_url)["sitemap:114hr"] == "2024-02-01T08:00:00.000Z"


def test_malformed_file_is_counted_skipped_and_retried(tmp_path, sqlite_url):
    m = Mirror(tmp_path / "govinfo")
    good = real_fixture("billstatus", "v1-actions-committees", "BILLSTATUS-116s2902.xml")
    m.add(good.name, good.read_bytes())
    m.add("BILLSTATUS-116s9999.xml", b"<!DOCTYPE html><html><body>503 Service Unavailable</body></html>")
    m.add("BILLSTATUS-116s9998.xml", good.read_bytes()[:3000])  # truncated download
    m.write()
    first = crawl(m, sqlite_url, tmp_path, congress="116")
    assert first["edtracker/malformed"] == 2
    assert first["edtracker/ingest/insert"] == 1 and first["edtracker/ingest/error"] == 2
    assert "BILLSTATUS-116s9999.xml: record us-116-s9999: an HTML page" in first["_log"]
    assert "BILLSTATUS-116s9998.xml: record us-116-s9998: malformed XML" in first["_log"]
    assert _bills(sqlite_url) == ["us-116-s2902"]
    again = crawl(m, sqlite_url, tmp_path, congress="116")
    # the good file is remembered; the two bad ones are tried again
    assert again["edtracker/us_bills/files_fetched"] == 2 and again["edtracker/us_bills/files_unchanged"] == 1


def test_defaults_and_url_rewriting():
    spider = UsBillsSpider(base_url="file:///srv/mirror/")
    assert spider.congresses == [current_congress()] and len(spider.types) == 8
    assert spider.local(f"{GOVINFO}/bulkdata/BILLSTATUS/119/hr/BILLSTATUS-119hr1.xml") == \
        "file:///srv/mirror/bulkdata/BILLSTATUS/119/hr/BILLSTATUS-119hr1.xml"
    assert UsBillsSpider().base_url == GOVINFO
    with pytest.raises(ValueError, match="unknown bill type"):
        UsBillsSpider(types="hr,xx")
