"""Helpers shared by the federal vote and member tests: real fixtures parsed and loaded."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import lru_cache

import yaml

from scrapers.formats import congress_legislators, house_clerk, senate_lis, uscongress_votes
from tests.conftest import real_fixture
from tracker.contract import VoteEventIn
from tracker.ingest import Ingestor

COUNTED_AS = {"paired": "present"}  # the Senate counts a live pair as present


def row_totals(event: VoteEventIn) -> dict[str, int]:
    """Totals computed from the member rows, bucketed the way the chambers count them."""
    c = Counter(COUNTED_AS.get(v.option, v.option) if v.option != "other" else v.raw_option
                for v in event.votes)
    return dict(c)


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {k: n for k, n in counts.items() if n}


def house_files() -> list:
    return sorted(real_fixture("votes-house-clerk").glob("*.xml"))


def senate_files() -> list:
    return sorted(real_fixture("votes-senate-lis").glob("*.xml"))


def essa_dirs() -> list:
    return sorted(p for p in real_fixture("essa-votes", "votes-114-2015").iterdir() if p.is_dir())


def parse_one(module, path) -> VoteEventIn:
    items = list(module.parse(path.read_bytes(), str(path)))
    assert len(items) == 1 and isinstance(items[0], VoteEventIn), items
    return items[0]


def parse_essa(path) -> VoteEventIn:
    parse = uscongress_votes.parse_json if path.suffix == ".json" else uscongress_votes.parse_xml_vote
    (item,) = list(parse(path.read_bytes(), str(path)))
    assert isinstance(item, VoteEventIn), item
    return item


@lru_cache
def current_ids() -> tuple[frozenset, frozenset]:
    """(bioguide ids, LIS ids) of everybody in legislators-current.yaml, read independently."""
    people = yaml.load(real_fixture("congress-legislators", "legislators-current.yaml").read_bytes(),
                       Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return (frozenset(p["id"]["bioguide"] for p in people),
            frozenset(p["id"]["lis"] for p in people if p["id"].get("lis")))


@lru_cache
def legislator_records() -> tuple:
    path = real_fixture("congress-legislators", "legislators-current.yaml")
    return tuple(congress_legislators.parse_legislators(path.read_bytes(), str(path)))


def load_legislators(engine) -> None:
    report = Ingestor(engine, today=dt.date(2025, 6, 1)).ingest(legislator_records(), keep_results=False)
    assert report.summary()["error"] == 0, report.errors[:3]


__all__ = ["house_clerk", "senate_lis", "uscongress_votes"]
