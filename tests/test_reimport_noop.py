"""Issue 14, finding 2: a second import of the same real files changes nothing.

Every fixture folder `edtracker import` reads, alone and in the combinations people load
together, is imported twice through the command: the second run reports 0 inserts, 0 updates,
resolves nothing more, creates no change event and leaves every match as it was. Where two
files describe one bill, the one updated last wins whatever the order they come in.
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlmodel import Session, select
from typer.testing import CliRunner

from cli.main import app
from scrapers.importer import plan
from tests.conftest import FIXTURES, real_fixture
from tracker.db import get_engine
from tracker.models import Bill, BillAction, Legislator, LegislatorRole, Sponsorship

runner = CliRunner()


def _readable_folders() -> list[str]:
    """Every folder of the shared fixtures in which `edtracker import` finds something to read."""
    if not FIXTURES.is_dir():
        return []
    return sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and plan([p]).steps)


COMBINATIONS = {
    "federal": ("congress-legislators", "essa-votes", "billstatus", "votes-house-clerk",
                "votes-senate-lis", "congress-gov-api-json"),
    "states": ("openstates-people", "legiscan", "legiscan-ms-xml"),
    "new-york": ("openstates-people", "ny-openleg"),
    "people": ("openstates-people", "congress-legislators", "congress-gov-api-json"),
}
CASES = [pytest.param((name,), id=name) for name in _readable_folders()] + [
    pytest.param(folders, id=name) for name, folders in COMBINATIONS.items()]


def _import(*paths) -> dict:
    out = runner.invoke(app, ["import", *map(str, paths), "--json"])
    assert out.exit_code in (0, 1), out.output
    return json.loads(out.stdout)["counts"]


def _snapshot(url: str) -> dict:
    """What a second import must not touch: events, matches, bill and legislator rows."""
    with get_engine(url).connect() as conn:
        q = lambda sql: [tuple(r) for r in conn.execute(text(sql)).all()]  # noqa: E731
        return {
            "events": q("SELECT id, natural_key FROM change_event ORDER BY id"),
            "votes": q("SELECT id, legislator_id, match_method, match_confidence FROM person_vote ORDER BY id"),
            "sponsors": q("SELECT id, legislator_id, match_method, match_confidence FROM sponsorship ORDER BY id"),
            "bills": q("SELECT key, title, stage, latest_action_date, source_url FROM bill ORDER BY key"),
            "people": q("SELECT key, name, party, image, source_format FROM legislator ORDER BY key"),
            "roles": q("SELECT legislator_id, chamber, district, start_date, end_date FROM legislator_role "
                       "ORDER BY legislator_id, start_date, chamber, district"),
        }


def test_every_fixture_folder_is_found():
    """The parametrized list below is not empty by accident (it skips when fixtures are absent)."""
    real_fixture("congress-legislators")
    found = set(_readable_folders())
    assert {"billstatus", "congress-legislators", "essa-votes", "legiscan", "ny-openleg",
            "openstates-people"} <= found, found


@pytest.mark.parametrize("folders", CASES)
def test_second_import_is_all_noop(app_env, folders):
    paths = [real_fixture(name) for name in folders]
    first = _import(*paths)
    assert first["insert"] > 0, first
    before = _snapshot(app_env)
    second = _import(*paths)
    after = _snapshot(app_env)
    assert (second["insert"], second["update"], second["resolved_later"]) == (0, 0, 0), second
    assert second["noop"] == first["insert"] + first["update"] + first["noop"]
    assert second["error"] == first["error"]
    for part in before:
        assert after[part] == before[part], f"{part} changed on the second import"


BILL_FILES = {  # the same bill in a 1.0.0 file and in a later 3.0.0 file (newer updateDate)
    "us-117-hr6658": ("v1-current/BILLSTATUS-117hr6658.xml", "v3-future/BILLSTATUS-117hr6658.xml"),
    "us-114-hr5278": ("v1-amendment-votes/BILLSTATUS-114hr5278.xml", "v3-future/BILLSTATUS-114hr5278.xml"),
}


def _bill_state(db: Session, key: str) -> dict:
    bill = db.exec(select(Bill).where(Bill.key == key)).one()
    return {"title": bill.title, "summary": bill.summary, "titles": bill.titles, "stage": bill.stage,
            "update_date": bill.extras.get("update_date"), "source_url": bill.source_url,
            "actions": db.exec(select(BillAction.date, BillAction.description).where(
                BillAction.bill_id == bill.id).order_by(BillAction.position)).all(),
            "sponsors": sorted(db.exec(select(Sponsorship.natural_key, Sponsorship.legislator_id).where(
                Sponsorship.bill_id == bill.id)).all())}


@pytest.mark.parametrize("newer_first", [False, True], ids=["older-first", "newer-first"])
@pytest.mark.parametrize("key", sorted(BILL_FILES))
def test_two_files_of_one_bill_keep_the_one_updated_last(app_env, tmp_path, key, newer_first):
    older, newer = (real_fixture("billstatus", *p.split("/")) for p in BILL_FILES[key])
    order = (newer, older) if newer_first else (older, newer)
    for path in order:
        _import(path)
    events = _snapshot(app_env)["events"]
    # the reference: the newer file alone, in a database of its own
    engine = get_engine(app_env)
    with Session(engine) as db:
        kept = _bill_state(db, key)
    assert kept["source_url"] == str(newer)
    ref_url = f"sqlite:///{tmp_path / 'reference.db'}"
    from tracker.db import upgrade
    from tracker.ingest import Ingestor
    from scrapers.importer import iter_records

    upgrade(ref_url)
    Ingestor(get_engine(ref_url)).ingest(iter_records(plan([newer])))
    with Session(get_engine(ref_url)) as db:
        reference = _bill_state(db, key)
    assert {k: v for k, v in kept.items() if k != "sponsors"} == \
        {k: v for k, v in reference.items() if k != "sponsors"}
    assert [k for k, _ in kept["sponsors"]] == [k for k, _ in reference["sponsors"]]
    # and again, in both orders: nothing changes, no event
    for path in (older, newer, newer, older):
        counts = _import(path)
        assert (counts["insert"], counts["update"]) == (0, 0), (path, counts)
    assert _snapshot(app_env)["events"] == events


@pytest.mark.parametrize("api_first", [False, True], ids=["yaml-first", "api-first"])
def test_a_member_described_by_two_sources_is_merged_the_same_in_either_order(app_env, api_first):
    """congress-legislators and the Congress.gov API both describe current members: the
    merged row does not depend on which was loaded last, and re-loading either changes nothing."""
    yaml_dir, api_dir = real_fixture("congress-legislators"), real_fixture("congress-gov-api-json")
    order = (api_dir, yaml_dir) if api_first else (yaml_dir, api_dir)
    for path in order:
        _import(path)
    with Session(get_engine(app_env)) as db:
        person = db.exec(select(Legislator).where(Legislator.key == "bioguide:G000597")).one()
        roles = db.exec(select(LegislatorRole.start_date).where(
            LegislatorRole.legislator_id == person.id).order_by(LegislatorRole.start_date)).all()
    # the crosswalk file ranks first for people; the API adds what the file lacks
    assert person.source_format == "congress-legislators"
    assert person.gender == "M" and str(person.birth_date) == "1984-09-27"
    assert person.image == "https://theunitedstates.io/images/congress/original/G000597.jpg"
    assert person.extras.get("wikipedia") == "Andrew Garbarino" and "update_date" in person.extras
    assert [str(d) for d in roles] == ["2021-01-03", "2023-01-03", "2025-01-03"]
    before = _snapshot(app_env)
    for path in order:
        counts = _import(path)
        assert (counts["insert"], counts["update"], counts["resolved_later"]) == (0, 0, 0), (path, counts)
    assert _snapshot(app_env) == before


def test_late_resolution_runs_in_short_transactions(engine):
    """Votes stored before their voters: matching them later commits batch by batch."""
    from sqlalchemy import event

    from scrapers.importer import iter_records
    from tracker.ingest import Ingestor
    from tracker.people.matching import resolve_pending

    Ingestor(engine).ingest(iter_records(plan([real_fixture("votes-house-clerk")])))
    Ingestor(engine).ingest(iter_records(plan([real_fixture("congress-legislators",
                                                            "legislators-current.yaml")])),
                            keep_results=False)
    with engine.connect() as conn:
        pending = conn.execute(text("SELECT count(*) FROM person_vote WHERE legislator_id IS NULL")).scalar()
    commits = []
    listener = lambda conn: commits.append(1)  # noqa: E731
    event.listen(engine, "commit", listener)
    try:
        fixed = resolve_pending(engine, batch_size=100)
    finally:
        event.remove(engine, "commit", listener)
    assert pending > 400 and fixed > 400
    assert len(commits) >= pending // 100
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM person_vote WHERE legislator_id IS NULL")).scalar() \
            == pending - fixed
    assert resolve_pending(engine, batch_size=100) == 0
