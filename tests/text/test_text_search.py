"""Full-text search inside bill text (FTS5 on SQLite, tsvector on PostgreSQL): hits name the
bill, version and section, and a changed version is re-indexed."""
from __future__ import annotations

from sqlmodel import Session, select

from tracker.models import BillTextSection
from tracker.search.textindex import search_text


def test_search_finds_the_section_of_each_version(text_store):
    with Session(text_store) as db:
        hits = search_text(db, "hurricane education recovery", limit=20)
        assert {(h.bill_key, h.version_code) for h in hits} == {("us-116-hr2157", "ih"), ("us-116-hr2157", "enr")}
        enr = next(h for h in hits if h.version_code == "enr" and "Hurricane Education Recovery" in h.label)
        assert enr.label.startswith("TITLE VIII — DEPARTMENT OF LABOR / DEPARTMENT OF EDUCATION / Hurricane")
        assert enr.url == f"/bill/us-116-hr2157/text?version=enr#{enr.anchor}"
        assert "educational needs" in " ".join(h.snippet for h in hits) or "Hurricane" in enr.snippet
        ny = search_text(db, "unpaid field-based training")
        assert ny and {h.bill_key for h in ny} == {"ny-2017-s609"}
        assert search_text(db, "zzqx nonexistentword") == [] and search_text(db, '"; DROP TABLE bill --') == []
        rows = db.exec(select(BillTextSection)).all()
    # one row per section of every version (76 + 78 + 221 + 221 + 2 * 3 + 2 * 2 + 4 + 3)
    assert len(rows) == 76 + 78 + 221 + 221 + 6 + 4 + 4 + 3
