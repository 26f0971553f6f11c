"""The us_bills spider fetching the text versions BILLSTATUS lists, from a local GovInfo mirror:
the real USLM files of H.R. 2157 (copied into tmp_path at test time), a hand-made bill DTD file
(tests/text/billxml_sample.py) under the URL the real BILLSTATUS of H.R. 5177 lists, and a
malformed text under the URL the real BILLSTATUS of S. 2902 lists."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from tests.conftest import real_fixture
from tests.spiders.test_us_bills import Mirror, crawl
from tests.text.billxml_sample import bill_xml
from tracker.db import get_engine

PKG = "https://www.govinfo.gov/content/pkg"
BAD_URL = f"{PKG}/BILLS-116s2902is/xml/BILLS-116s2902is.xml"


def _versions(*urls: tuple[str, str]) -> str:
    items = "".join(f"<item><type>{kind}</type><date>2019-04-09T04:00:00Z</date><formats><item><url>{url}</url>"
                    "</item></formats></item>" for kind, url in urls)
    return f"<textVersions>{items}</textVersions>"


def _put(mirror: Mirror, url: str, data: bytes) -> None:
    out = mirror.root / url.removeprefix("https://www.govinfo.gov/")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)


@pytest.fixture
def text_mirror(tmp_path) -> Mirror:
    m = Mirror(tmp_path / "govinfo")
    # H.R. 2157 has no BILLSTATUS fixture: H.R. 5177's, renumbered, listing 2157's two USLM versions
    status = real_fixture("billstatus", "v1-actions-committees", "BILLSTATUS-116hr5177.xml").read_bytes().decode()
    hr2157 = re.sub(r"<textVersions>.*?</textVersions>", _versions(
        ("Enrolled Bill", f"{PKG}/BILLS-116hr2157enr/uslm/BILLS-116hr2157enr.xml"),
        ("Introduced in House", f"{PKG}/BILLS-116hr2157ih/uslm/BILLS-116hr2157ih.xml"),
        ("Introduced in House", f"{PKG}/BILLS-116hr2157ih/pdf/BILLS-116hr2157ih.pdf")),
        status.replace("<billNumber>5177</billNumber>", "<billNumber>2157</billNumber>"), flags=re.S)
    m.add("BILLSTATUS-116hr2157.xml", hr2157.encode())
    _put(m, f"{PKG}/BILLS-116hr2157ih/uslm/BILLS-116hr2157ih.xml", real_fixture("bill-text", "uslm", "H2157_IH.XML").read_bytes())
    _put(m, f"{PKG}/BILLS-116hr2157enr/uslm/BILLS-116hr2157enr.xml", real_fixture("bill-text", "uslm", "h2157_enr.XML").read_bytes())
    # H.R. 5177 as GovInfo lists it: its introduced text at .../xml/BILLS-116hr5177ih.xml (bill DTD)
    m.add("BILLSTATUS-116hr5177.xml", status.encode())
    _put(m, f"{PKG}/BILLS-116hr5177ih/xml/BILLS-116hr5177ih.xml", bill_xml(congress="116", number="5177"))
    # S. 2902's listed text is an error page
    s2902 = real_fixture("billstatus", "v1-actions-committees", "BILLSTATUS-116s2902.xml")
    assert BAD_URL.encode() in s2902.read_bytes()
    m.add(s2902.name, s2902.read_bytes())
    _put(m, BAD_URL, b"<html><body>503 Service Unavailable</body></html>")
    m.write()
    return m


def _texts(db_url: str) -> list[tuple]:
    with get_engine(db_url).connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT b.key, t.version_code, t.format, t.source_url FROM bill_text t JOIN bill b ON b.id = t.bill_id "
            "ORDER BY b.key, t.version_code"))]


def test_text_versions_stored_once_and_a_bad_one_skipped(text_mirror, db_url, tmp_path):
    first = crawl(text_mirror, db_url, tmp_path, congress="116", texts=True)
    assert first["edtracker/us_bills/files_fetched"] == 3
    # 2157 ih + enr (the PDF is not fetched), 5177 ih, 2902 is
    assert first["edtracker/us_bills/texts_fetched"] == 4
    assert first["edtracker/malformed"] == 1
    assert f"skipped text version {BAD_URL}" in first["_log"]
    assert _texts(db_url) == [
        ("us-116-hr2157", "enr", "uslm", f"{PKG}/BILLS-116hr2157enr/uslm/BILLS-116hr2157enr.xml"),
        ("us-116-hr2157", "ih", "uslm", f"{PKG}/BILLS-116hr2157ih/uslm/BILLS-116hr2157ih.xml"),
        ("us-116-hr5177", "ih", "bill-xml", f"{PKG}/BILLS-116hr5177ih/xml/BILLS-116hr5177ih.xml")]
    assert "edtracker/ingest/error" not in first, first["_log"][-3000:]

    second = crawl(text_mirror, db_url, tmp_path, congress="116", texts=True)
    # the House sitemap's bills are complete (not even listed again); S. 2902's file and its bad
    # text are tried again
    assert second["edtracker/us_bills/sitemaps_unchanged"] == 1
    assert second["edtracker/us_bills/files_fetched"] == 1
    assert second["edtracker/us_bills/texts_fetched"] == 1 and second["edtracker/malformed"] == 1

    text_mirror.touch("BILLSTATUS-116hr2157.xml", "2024-03-01T08:00:00.000Z")
    third = crawl(text_mirror, db_url, tmp_path, congress="116", texts=True)
    # the moved BILLSTATUS is fetched again, but its two texts are stored from the same URLs
    assert third["edtracker/us_bills/files_fetched"] == 2 and third["edtracker/us_bills/files_unchanged"] == 1
    assert third["edtracker/us_bills/texts_unchanged"] == 2 and third["edtracker/us_bills/texts_fetched"] == 1
    assert len(_texts(db_url)) == 3


def test_texts_off(text_mirror, sqlite_url, tmp_path):
    stats = crawl(text_mirror, sqlite_url, tmp_path, congress="116", texts=False)
    assert stats["edtracker/us_bills/files_fetched"] == 3 and "edtracker/us_bills/texts_fetched" not in stats
    assert _texts(sqlite_url) == []


def test_missing_text_is_retried_next_crawl(tmp_path, sqlite_url):
    m = Mirror(tmp_path / "govinfo")
    m.add("BILLSTATUS-116hr5177.xml",
          real_fixture("billstatus", "v1-actions-committees", "BILLSTATUS-116hr5177.xml").read_bytes())
    m.write()
    first = crawl(m, sqlite_url, tmp_path, congress="116", texts=True)
    assert first["edtracker/fetch_failed"] == 1 and "edtracker/ingest/insert" in first
    assert "cannot fetch text version" in first["_log"] and "BILLS-116hr5177ih.xml" in first["_log"]
    assert _texts(sqlite_url) == []
    _put(m, f"{PKG}/BILLS-116hr5177ih/xml/BILLS-116hr5177ih.xml", bill_xml(congress="116", number="5177"))
    second = crawl(m, sqlite_url, tmp_path, congress="116", texts=True)
    assert second["edtracker/us_bills/files_fetched"] == 1 and second["edtracker/us_bills/texts_fetched"] == 1
    assert [r[:3] for r in _texts(sqlite_url)] == [("us-116-hr5177", "ih", "bill-xml")]
    third = crawl(m, sqlite_url, tmp_path, congress="116", texts=True)
    assert third["downloader/request_count"] == 1  # the index only: everything is stored


def test_a_text_of_another_bill_is_refused(tmp_path, sqlite_url):
    m = Mirror(tmp_path / "govinfo")
    m.add("BILLSTATUS-116hr5177.xml",
          real_fixture("billstatus", "v1-actions-committees", "BILLSTATUS-116hr5177.xml").read_bytes())
    m.write()
    _put(m, f"{PKG}/BILLS-116hr5177ih/xml/BILLS-116hr5177ih.xml", bill_xml(congress="116", number="9999"))
    stats = crawl(m, sqlite_url, tmp_path, congress="116", texts=True)
    assert stats["edtracker/malformed"] == 1
    assert "the text names us-116-hr9999, BILLSTATUS lists it for us-116-hr5177" in stats["_log"]
    assert _texts(sqlite_url) == []
