"""The two search paths (words only, ranked inside the full-text engine; words plus filters,
with a capped count) give the same pages as ranking everything, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlmodel import Session

from tests import factories as f
from tracker.ingest import Ingestor
from tracker.search import query as search
from tracker.search.query import SearchParams, search_page
from tracker.tagging.store import retag


@pytest.fixture
def bills(engine):
    # Relevance differs by how often "charter" occurs in the summary; 4 and 5 are ties.
    recs = [f.bill(n, title=f"Act number {n}", summary=" ".join(["charter school"] * (n % 4 + 1)) + ".",
                   subjects=["Education"], actions=[]) for n in range(1, 8)]
    recs.append(f.bill(20, title="Highway Act", summary="Roads and bridges.", subjects=[], policy_area=None,
                       actions=[]))
    Ingestor(engine).ingest(recs)
    retag(engine)
    return engine


def page(engine, **kw):
    with Session(engine) as db:
        return search_page(db, SearchParams(**kw))


def test_pages_of_a_ranked_search_follow_each_other(bills):
    everything = page(bills, q="charter", limit=50)
    keys = [b.key for b in everything.items]
    assert len(keys) == 7 and everything.total == 7 and not everything.total_is_estimate
    assert "us-119-hr20" not in keys
    # More occurrences rank first (n % 4 == 3: bills 3 and 7), ties by id (bill 3 stored first).
    assert keys[:2] == ["us-119-hr3", "us-119-hr7"]
    pages = [b.key for off in range(0, 7, 3) for b in page(bills, q="charter", limit=3, offset=off).items]
    assert pages == keys
    assert all(b.issue_areas for b in everything.items)     # tags come with each result


def test_words_with_filters_rank_the_same_and_cap_the_count(bills, monkeypatch):
    ranked = [b.key for b in page(bills, q="charter", limit=50).items]
    filtered = page(bills, q="charter", jurisdiction="us", limit=50)
    assert [b.key for b in filtered.items] == ranked and filtered.total == 7
    assert not filtered.total_is_estimate

    monkeypatch.setattr(search, "COUNT_CAP", 2)
    capped = page(bills, q="charter", jurisdiction="us", limit=2)
    assert capped.total_is_estimate and capped.total == 3     # "more than 2"
    assert [b.key for b in capped.items] == ranked[:2]
    # Past the cap the count still reaches beyond the page, so there is always a next page link.
    deep = page(bills, q="charter", jurisdiction="us", limit=2, offset=4)
    assert [b.key for b in deep.items] == ranked[4:6] and deep.total == 7 and deep.total_is_estimate
    last = page(bills, q="charter", jurisdiction="us", limit=2, offset=6)
    assert [b.key for b in last.items] == ranked[6:] and last.total == 7 and not last.total_is_estimate


def test_issue_area_filter_with_words(bills):
    res = page(bills, q="charter", issue_area="charter-schools", limit=50)
    assert res.total == 7 and {b.key for b in res.items} == {f"us-119-hr{n}" for n in range(1, 8)}
    assert page(bills, q="roads", issue_area="charter-schools").total == 0
    assert [b.key for b in page(bills, q="roads").items] == ["us-119-hr20"]
