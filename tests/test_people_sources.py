"""A legislator described by several sources is the merge of their kept records: the same row
whatever the order of loading, and loading any of them again is a noop (issue 14)."""
from __future__ import annotations

import itertools

import pytest
from sqlmodel import Session, select

from tests import factories as f
from tracker.ingest import Ingestor
from tracker.models import Legislator, LegislatorRole, LegislatorSource
from tracker.settings import get_settings


def _yaml(**kw) -> dict:
    rec = f.legislator(name="Jane Q. Doe", gender="F", image="https://example.test/yaml.jpg",
                       other_names=["Jane Doe"], extras={"wikipedia": "Jane Doe"},
                       source={"format": "congress-legislators", "url": "file:///legislators-current.yaml"})
    rec["roles"] = [dict(rec["roles"][0], start_date="2023-01-03", end_date="2025-01-03"),
                    dict(rec["roles"][0], start_date="2025-01-03", end_date="2027-01-03")]
    rec.update(kw)
    return rec


def _api(**kw) -> dict:
    rec = f.legislator(name="Jane Doe", image="https://example.test/api.jpg",
                       extras={"update_date": "2025-04-28T13:04:28Z"},
                       source={"format": "congress-gov-api", "url": "https://api.congress.gov/v3/member/D000001"})
    rec["roles"] = [dict(rec["roles"][0], start_date="2025-01-03", end_date=None)]
    rec.update(kw)
    return rec


def _state(engine) -> tuple:
    with Session(engine) as db:
        p = db.exec(select(Legislator)).one()
        roles = db.exec(select(LegislatorRole.start_date, LegislatorRole.end_date).order_by(
            LegislatorRole.start_date)).all()
        return (p.name, p.gender, p.image, p.other_names, p.extras, p.source_format, p.source_url,
                [tuple(map(str, r)) for r in roles])


@pytest.mark.parametrize("order", list(itertools.permutations(["yaml", "api"])), ids="-".join)
def test_merge_is_the_same_in_either_order(engine, order):
    records = {"yaml": _yaml(), "api": _api()}
    ingestor = Ingestor(engine)
    for name in order:
        assert ingestor.ingest([records[name]]).summary()["error"] == 0
    assert _state(engine) == (
        "Jane Q. Doe", "F", "https://example.test/yaml.jpg", ["Jane Doe"],
        {"update_date": "2025-04-28T13:04:28Z", "wikipedia": "Jane Doe"},
        "congress-legislators", "file:///legislators-current.yaml",
        [("2023-01-03", "2025-01-03"), ("2025-01-03", "2027-01-03")])
    for name in (*order, *order):
        assert ingestor.ingest([records[name]]).summary() == {"insert": 0, "update": 0, "noop": 1, "error": 0}
    with Session(engine) as db:
        assert sorted(db.exec(select(LegislatorSource.source_format)).all()) == ["congress-gov-api",
                                                                                "congress-legislators"]


@pytest.mark.parametrize("newer_first", [False, True])
def test_two_records_of_one_source_keep_the_later(engine, newer_first):
    old = _api(name="Jane Old", extras={"update_date": "2024-01-01T00:00:00Z"})
    new = _api(name="Jane New", extras={"update_date": "2025-01-01T00:00:00Z"})
    ingestor = Ingestor(engine)
    for rec in ((new, old) if newer_first else (old, new)):
        ingestor.ingest([rec])
    assert _state(engine)[0] == "Jane New"
    for rec in (old, new):
        assert ingestor.ingest([rec]).summary()["noop"] == 1


def test_a_new_precedence_applies_on_the_next_load(engine, monkeypatch):
    ingestor = Ingestor(engine)
    ingestor.ingest([_yaml(), _api()])
    assert _state(engine)[0] == "Jane Q. Doe"
    monkeypatch.setenv("EDTRACKER_PEOPLE_SOURCE_PRECEDENCE", '["congress-gov-api", "congress-legislators"]')
    get_settings.cache_clear()
    try:
        assert ingestor.ingest([_yaml()]).summary()["update"] == 1
        assert _state(engine)[:3] == ("Jane Doe", "F", "https://example.test/api.jpg")
        assert ingestor.ingest([_api(), _yaml()]).summary()["noop"] == 2
    finally:
        monkeypatch.delenv("EDTRACKER_PEOPLE_SOURCE_PRECEDENCE")
        get_settings.cache_clear()
