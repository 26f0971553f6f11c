"""Issue 15.3: one wrong-typed LegiScan file is one error naming the file, the record and the
field; the rest of its dataset is stored, and a rejected bill leaves no session row behind."""
from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from sqlmodel import Session, select

from scrapers.importer import iter_records, plan
from tests.conftest import real_fixture
from tracker.contract import RecordError
from tracker.ingest import Ingestor
from tracker.models import Bill, Committee, LegislativeSession


def dataset(tmp_path, mutate: dict[str, callable]):
    """A copy of the real AK/AR LegiScan files (bills HB1, HB2, HB1044 and two "people" that
    are committees, 8630 and 8631), each file in `mutate` changed by its function."""
    root = real_fixture("legiscan")
    folder = tmp_path / "legiscan"
    for rel in ("bill/HB1.json", "bill/HB2.json", "bill/HB1044.json", "people/8630.json",
                "people/8631.json"):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        if rel in mutate:
            doc = json.loads((root / rel).read_bytes())
            mutate[rel](doc)
            (folder / rel).write_text(json.dumps(doc))
        else:
            shutil.copyfile(root / rel, folder / rel)
    return folder


def run(engine, folder):
    return Ingestor(engine, today=dt.date(2025, 6, 1)).ingest(iter_records(plan([folder])))


@pytest.mark.parametrize("field, value, named", [
    ("history", "not a list", "bill.history"),
    ("sponsors", [{"people_id": 6033, "name": ["Carl", "Gatto"]}], "bill.sponsors.0.name"),
    ("title", {"text": "a title"}, "bill.title"),
    ("progress", 7, "bill.progress"),
    ("bill_id", [396373], "bill.bill_id"),
])
def test_one_wrong_typed_bill_is_one_named_error_and_the_dataset_goes_on(engine, tmp_path, field, value, named):
    def wrong(doc):
        doc["bill"][field] = value
    folder = dataset(tmp_path, {"bill/HB1044.json": wrong})
    report = run(engine, folder)
    (err,) = report.errors
    assert err.source == str(folder / "bill" / "HB1044.json")
    assert err.record == "HB1044" and err.field == named, err
    with Session(engine) as s:
        assert sorted(b.key for b in s.exec(select(Bill)).all()) == ["ak-20112012-hb1", "ak-20112012-hb2"]
        assert len(s.exec(select(Committee)).all()) == 2
        # HB1044 was the dataset's only Arkansas bill: its session is not stored either
        assert s.exec(select(LegislativeSession).where(LegislativeSession.jurisdiction_id == "ar")).all() == []
        assert s.exec(select(LegislativeSession).where(LegislativeSession.jurisdiction_id == "ak")).all()


def test_a_wrong_typed_person_is_one_named_error(engine, tmp_path):
    def wrong(doc):
        doc["person"]["role_id"] = {"id": 1}
    folder = dataset(tmp_path, {"people/8630.json": wrong})
    report = run(engine, folder)
    (err,) = report.errors
    assert (err.source, err.record, err.field) == (str(folder / "people" / "8630.json"),
                                                   "legiscan person 8630", "person.role_id")
    assert report.counts["insert"] >= 4  # two sessions, three bills, the other person
    with Session(engine) as s:
        assert len(s.exec(select(Bill)).all()) == 3 and len(s.exec(select(Committee)).all()) == 1


def test_a_file_whose_payload_is_no_object_is_left_to_the_report(engine, tmp_path):
    folder = dataset(tmp_path, {})
    (folder / "bill" / "HB9.json").write_text('{"bill": "HB9", "status": "OK"}')
    report = run(engine, folder)
    assert report.errors == [] and report.counts["insert"] >= 5  # not a LegiScan file: not claimed
    assert str(folder / "bill" / "HB9.json") in plan([folder]).unknown


def test_errors_name_the_file_in_the_report(engine, tmp_path):
    """The report a person reads: every error says which file."""
    def wrong(doc):
        doc["bill"]["history"] = 12
    folder = dataset(tmp_path, {"bill/HB2.json": wrong})
    report = run(engine, folder)
    assert [str(e) for e in report.errors] == [
        f"{folder / 'bill' / 'HB2.json'}: record HB2: field 'bill.history': unexpected value: "
        "TypeError: 'int' object is not iterable"]
    assert all(isinstance(e, RecordError) for e in report.errors)
