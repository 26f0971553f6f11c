"""Issue 19: a LegiScan dataset is read without holding its payloads (memory does not grow with
the number of files), with the same records and errors as before."""
from __future__ import annotations

import json
import weakref
from pathlib import Path

from sqlalchemy.dialects import sqlite

from scrapers.formats import legiscan_json
from scrapers.formats.legiscan_dataset import LegiscanDataset
from scrapers.formats.trees import DirTree
from tests.conftest import real_fixture
from tracker.contract import BillIn, LegislatorIn, RecordError, SessionIn, VoteEventIn


class Payload(dict):
    """A payload dict that can be watched with a weak reference."""


def copies(tmp_path: Path, n: int) -> Path:
    """`n` renumbered copies of the real Arkansas bill HB1044, its two roll calls' shape and a
    legislator voting in them, in one dataset folder."""
    root = real_fixture("legiscan")
    bill = json.loads((root / "bill" / "HB1044.json").read_bytes())
    vote = json.loads((root / "vote" / "154366.json").read_bytes())
    folder = tmp_path / "AR" / "2012_Fiscal"
    for sub in ("bill", "vote", "people"):
        (folder / sub).mkdir(parents=True)
    person = {"person": {"people_id": 1, "state_id": 4, "party_id": 1, "role_id": 2, "name": "Ann Smith",
                         "first_name": "Ann", "last_name": "Smith", "district": "SD-001",
                         "committee_sponsor": 0, "committee_id": 0}}
    (folder / "people" / "1.json").write_text(json.dumps(person))
    for i in range(n):
        b = dict(bill["bill"], bill_id=900000 + i, bill_number=f"HB{5000 + i}")
        (folder / "bill" / f"HB{5000 + i}.json").write_text(json.dumps({"status": "OK", "bill": b}))
        v = dict(vote["roll_call"], roll_call_id=800000 + i, bill_id=900000 + i,
                 votes=[{"people_id": 1, "vote_id": 1, "vote_text": "Yea"}])
        (folder / "vote" / f"{800000 + i}.json").write_text(json.dumps({"status": "OK", "roll_call": v}))
    return tmp_path


def test_payloads_are_not_held_while_records_are_made(tmp_path):
    alive: list[weakref.ref] = []

    def load(data: bytes):
        kind, payload = legiscan_json.load(data)
        watched = Payload(payload)
        alive.append(weakref.ref(watched))
        return kind, watched

    fmt = LegiscanDataset("legiscan-json", legiscan_json.is_legiscan, load)
    tree = DirTree(copies(tmp_path, 40))
    most = 0
    kinds = []
    for item in fmt.parse_tree(tree, tree.names()):
        kinds.append(type(item))
        most = max(most, sum(ref() is not None for ref in alive))
    assert kinds.count(BillIn) == 40 and kinds.count(VoteEventIn) == 40
    assert kinds.count(SessionIn) == 1 and kinds.count(LegislatorIn) == 1
    assert kinds.index(SessionIn) < kinds.index(LegislatorIn) < kinds.index(BillIn) < kinds.index(VoteEventIn)
    # 81 files: holding them all (as the reader did) would keep 81 payloads alive
    assert most <= 4, most


def test_a_bill_of_a_known_session_that_fails_is_still_one_error(tmp_path):
    folder = copies(tmp_path, 3)
    bad = folder / "AR" / "2012_Fiscal" / "bill" / "HB5001.json"
    doc = json.loads(bad.read_bytes())
    doc["bill"]["title"] = {"text": "not text"}
    bad.write_text(json.dumps(doc))
    tree = DirTree(folder)
    items = list(legiscan_json.FORMAT.parse_tree(tree, tree.names()))
    errors = [i for i in items if isinstance(i, RecordError)]
    # the bill once, then its roll call, which finds no bill
    assert [(e.source, e.field) for e in errors] == [
        (str(bad), "bill.title"), (str(bad.parent.parent / "vote" / "800001.json"), "bill_id")]
    assert sorted(i.identifier for i in items if isinstance(i, BillIn)) == ["HB5000", "HB5002"]
    assert len([i for i in items if isinstance(i, VoteEventIn)]) == 2


def test_a_failing_bill_that_alone_names_a_session_is_reported_once(tmp_path):
    folder = copies(tmp_path, 2)
    for path in sorted((folder / "AR" / "2012_Fiscal" / "bill").glob("*.json")):
        doc = json.loads(path.read_bytes())
        doc["bill"]["history"] = "not a list"
        path.write_text(json.dumps(doc))
    tree = DirTree(folder)
    items = list(legiscan_json.FORMAT.parse_tree(tree, tree.names()))
    bill_errors = [i for i in items if isinstance(i, RecordError) and i.field == "bill.history"]
    assert len(bill_errors) == 2
    assert not [i for i in items if isinstance(i, (SessionIn, BillIn))]


def test_deferred_matching_reads_no_json_column_of_bills_or_roll_calls():
    from tracker.people.pending import _sponsor_query, _vote_query

    for query, absent in ((_sponsor_query(None), ("titles", "versions", "extras")),
                          (_vote_query(None), ("counts", "motion_text"))):
        sql = str(query.compile(dialect=sqlite.dialect()))
        selected = sql.split(" FROM ", 1)[0]
        for column in absent:
            assert f"bill.{column}" not in selected and f"vote_event.{column}" not in selected, column


def test_the_plan_keeps_no_per_file_shapes(tmp_path):
    from scrapers.importer import plan

    import_plan = plan([copies(tmp_path, 5)])
    (step,) = import_plan.steps
    tree = step[3][0]
    assert len(step[3][1]) == 11
    assert "_json_shapes" not in tree.__dict__
