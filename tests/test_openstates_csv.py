"""Open States bulk CSV zips (built here from the documented layout) with the real KY people."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from sqlmodel import Session, select

from scrapers.formats.openstates_csv import BadCell, py_list
from scrapers.importer import iter_records, plan
from tests.conftest import real_fixture
from tracker.ingest import Ingestor
from tracker.models import Bill, BillAction, Legislator, PersonVote, Sponsorship, VoteEvent

DATA = Path(__file__).parent / "data" / "openstates" / "csv"
TODAY = dt.date(2025, 6, 1)


def make_zip(tmp_path) -> Path:
    """The zip Open States publishes per state session: KY/2024RS/KY_2024RS_{table}.csv."""
    path = tmp_path / "KY_2024RS.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for f in sorted(DATA.rglob("*.csv")):
            zf.write(f, f.relative_to(DATA).as_posix())
    return path


def run(engine, *paths):
    return Ingestor(engine, today=TODAY).ingest(iter_records(plan(paths)))


@pytest.fixture
def people(engine):
    report = run(engine, real_fixture("openstates-people", "ky"))
    assert report.counts["error"] == 0
    return engine


def test_zip_import_twice_is_noop(people, tmp_path):
    z = make_zip(tmp_path)
    first = run(people, z)
    assert first.summary() == {"insert": 4, "update": 0, "noop": 0, "error": 1}
    (err,) = first.errors
    assert err.source.endswith("KY_2024RS_bills.csv:4") and err.record == "HR 7"
    assert err.field == "bills.classification" and "list literal" in err.problem
    second = run(people, z)
    assert second.summary() == {"insert": 0, "update": 0, "noop": 4, "error": 1}


def test_bills_actions_votes_and_matching(people, tmp_path):
    run(people, make_zip(tmp_path))
    with Session(people) as s:
        bill = s.exec(select(Bill).where(Bill.key == "ky-2024-hb15")).one()
        assert (bill.stage, bill.subjects, bill.origin_chamber) == ("enacted", ["Education", "Teachers"], "lower")
        assert bill.versions[0]["url"].endswith("orig_bill.pdf")
        actions = s.exec(select(BillAction).where(BillAction.bill_id == bill.id).order_by(BillAction.position)).all()
        # Open States left two actions unclassified: Kentucky's rule table fills them in.
        assert actions[2].classification == ["committee-passage-favorable"]
        assert actions[4].classification == ["reading-3", "passage"] and actions[4].actor == "upper"
        votes = {v.key: v for v in s.exec(select(VoteEvent)).all()}
        assert set(votes) == {"ocd-vote/v1", "ky-2024-hb15-a4"}
        # The Senate tally exists only in the action text: counts, no member rows.
        text_vote = votes["ky-2024-hb15-a4"]
        assert text_vote.counts == {"yes": 36, "no": 0, "present": 1, "not voting": 0, "excused": 1}
        assert s.exec(select(PersonVote).where(PersonVote.vote_event_id == text_vote.id)).all() == []
        rows = {r.voter_name: r for r in s.exec(select(PersonVote)).all()}
        name = lambda r: s.get(Legislator, r.legislator_id).name if r.legislator_id else None  # noqa: E731
        # Two Smiths in Kentucky (Brandon in the Senate, Tom in the House): a House vote is Tom's.
        assert name(rows["Smith"]) == "Tom Smith"
        assert name(rows["Tipton"]) == "James Tipton"
        assert rows["Bowling"].match_method == "id:ocd-person"
        # Aaron Thompson took his seat in 2025: a 2024 vote is not his.
        assert rows["Thompson, A."].legislator_id is None
        sponsors = {r.name: r for r in s.exec(select(Sponsorship)).all()}
        # A sponsor "Smith" may sit in either chamber: ambiguous, left unmatched.
        assert (sponsors["Smith"].legislator_id, sponsors["Smith"].match_method) == (None, "ambiguous")
        assert sponsors["James Tipton"].match_method == "id:ocd-person"


def test_folder_layout_imports_too(people):
    report = run(people, DATA)
    assert report.counts["insert"] == 4


@pytest.mark.parametrize("cell,expected", [
    ("['bill']", ["bill"]), ("", []), ("['a', \"b\"]", ["a", "b"]), ("[]", []),
])
def test_py_list(cell, expected):
    assert py_list(cell, "c") == expected


@pytest.mark.parametrize("cell", ["__import__('os').system('true')", "['a'", "{'a': 1}", "1"])
def test_py_list_rejects_code_and_non_lists(cell):
    with pytest.raises(BadCell):
        py_list(cell, "c")
