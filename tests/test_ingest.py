"""The ingest contract on both databases: idempotence, changes reported, bad input isolated."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect, text

from tests import factories as f
from tracker.ingest import Ingestor
from tracker.models import metadata


def dump(engine) -> dict[str, list]:
    """Every row of every table, in primary-key order: the database's content."""
    out = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            pk = ", ".join(c.name for c in table.primary_key.columns)
            out[table.name] = [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table.name} ORDER BY {pk}"))]
    return out


def run(engine, records):
    return Ingestor(engine, today=dt.date(2025, 6, 1)).ingest(records)


def test_second_ingest_is_noop_and_leaves_content_identical(engine):
    first = run(engine, f.batch())
    assert first.summary() == {"insert": 5, "update": 0, "noop": 0, "error": 0}
    before = dump(engine)
    second = run(engine, f.batch())
    assert second.summary() == {"insert": 0, "update": 0, "noop": 5, "error": 0}
    assert all(r.changes == {} for r in second.results)
    assert dump(engine) == before


def test_refetch_with_new_timestamp_is_still_noop(engine):
    run(engine, f.batch())
    later = f.clone(f.batch())
    for rec in later:
        rec["source"] = dict(rec["source"], fetched_at="2025-04-01T00:00:00Z")
    assert run(engine, later).summary()["noop"] == 5


def test_bill_with_bad_field_is_rejected_by_name_and_the_rest_stored(engine):
    bad = f.bill(7)
    bad["actions"][1]["date"] = "2025-13-45"
    report = run(engine, [f.bill(5), bad, f.bill(6)])
    assert report.summary() == {"insert": 2, "update": 0, "noop": 0, "error": 1}
    err = report.errors[0]
    assert err.source == "file:///tests/factories.py"
    assert err.record == "us-119-hr7"
    assert err.field == "actions.1.date"
    assert "us-119-hr7" in str(err) and "actions.1.date" in str(err)
    with engine.connect() as conn:
        keys = {k for (k,) in conn.execute(text("SELECT key FROM bill"))}
    assert keys == {"us-119-hr5", "us-119-hr6"}


def test_unknown_jurisdiction_and_vote_option_are_named(engine):
    report = run(engine, [f.bill(jurisdiction="zz"), f.vote(votes=[{"voter_name": "X", "option": "maybe"}])])
    fields = sorted(e.field for e in report.errors)
    assert fields == ["jurisdiction", "votes.0.option"]


def test_update_reports_changed_fields_and_new_action(engine):
    run(engine, f.batch())
    moved = f.bill()
    moved["actions"].append({"date": "2025-04-10", "description": "Passed Senate without amendment.",
                             "actor": "upper", "classification": ["passage"]})
    moved["title"] = "Community Schools Act of 2025"
    result = run(engine, [moved]).results[0]
    assert result.outcome == "update"
    assert result.changes["stage"] == {"old": "passed_origin", "new": "passed_second"}
    assert result.changes["title"]["new"] == "Community Schools Act of 2025"
    assert result.changes["actions"]["added"] == ["Passed Senate without amendment."]
    assert result.changes["actions"]["removed"] == []


def test_withdrawn_cosponsor_is_an_update_of_that_sponsorship(engine):
    run(engine, f.batch())
    changed = f.bill()
    changed["sponsorships"][1]["withdrawn_date"] = "2025-02-01"
    result = run(engine, [changed]).results[0]
    assert result.outcome == "update"
    assert result.changes["sponsorships"]["changed"] == ["Rep. Roe, Rick [R-TX-3]"]


def test_sponsors_and_voters_resolve_through_ids(engine):
    run(engine, f.batch())
    with engine.connect() as conn:
        unresolved = conn.execute(text(
            "SELECT count(*) FROM person_vote WHERE legislator_id IS NULL")).scalar()
        methods = {m for (m,) in conn.execute(text("SELECT DISTINCT match_method FROM person_vote"))}
        sponsor_ids = conn.execute(text(
            "SELECT count(*) FROM sponsorship WHERE legislator_id IS NOT NULL")).scalar()
    assert unresolved == 0 and methods == {"id:bioguide"} and sponsor_ids == 4


def test_votes_loaded_before_people_resolve_later(engine):
    from tracker.people.matching import resolve_pending

    run(engine, [f.bill(), f.vote()])
    run(engine, [f.legislator(), f.legislator("R000002", "Rick Roe")])
    assert resolve_pending(engine) == 4
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM person_vote WHERE legislator_id IS NULL")).scalar() == 0


def test_an_id_belongs_to_one_legislator(engine):
    run(engine, [f.legislator()])
    clash = f.legislator("X000009", "Someone Else")
    clash["ids"]["fec"] = ["H0D000001"]
    report = run(engine, [clash])
    assert report.errors[0].field == "ids.fec"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM legislator")).scalar() == 1


def test_legislator_found_by_other_id_gains_ids_and_roles(engine):
    run(engine, [f.legislator()])
    state_view = {"type": "legislator", "name": "Jane Doe",
                  "ids": {"ocd-person": "ocd-person/0000-1111", "bioguide": "D000001"},
                  "roles": [{"jurisdiction": "ca", "chamber": "upper", "district": "3",
                             "start_date": "2015-01-01", "end_date": "2018-12-31"}],
                  "source": f.SRC}
    result = run(engine, [state_view]).results[0]
    assert result.outcome == "update"
    assert result.changes["ids"] == {"added": ["ocd-person:ocd-person/0000-1111"]}
    with engine.connect() as conn:
        roles = conn.execute(text("SELECT jurisdiction_id FROM legislator_role ORDER BY jurisdiction_id")).all()
    assert [r[0] for r in roles] == ["ca", "us"]


def test_schema_matches_models_after_ingest(engine):
    run(engine, f.batch())
    names = set(inspect(engine).get_table_names())
    assert {t.name for t in metadata.sorted_tables} <= names
