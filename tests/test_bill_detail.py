"""What the bill page shows beyond the bill's own record, in the store (SQLite and PostgreSQL), on
real data: voters and sponsors resolved to their people (LegiScan's "LegiScan person N"
placeholders, the House Clerk's and California's bare surnames), the party of each voter on the
day checked against the source's own party, totals by party, the committee that voted, hearings
of the bill, text versions, and only public coalition positions; a few queries per bill."""
from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from sqlalchemy import event
from sqlmodel import Session, select

from scrapers.formats.uscongress_votes import parse_json
from scrapers.importer import iter_records, plan
from scrapers.xmlsafe import parse_xml
from tests.conftest import real_fixture
from tests.people import real_data
from tracker.bills.queries import bill_detail
from tracker.contract import VoteEventIn
from tracker.ingest import Ingestor
from tracker.models import Legislator
from tracker.people.matching import resolve_pending
from tracker.people.parties import party_key

SRC = {"format": "test-hand-made", "url": "tests/test_bill_detail.py", "fetched_at": "2026-01-15T12:00:00Z"}


def ingest(engine, records) -> None:
    report = Ingestor(engine, today=real_data.TODAY).ingest(records, keep_results=False)
    assert report.summary()["error"] == 0, report.errors[:3]


def names_by_key(db) -> dict[str, str]:
    return dict(db.exec(select(Legislator.key, Legislator.name)).all())


class Statements:
    """Counts the SQL statements an engine runs inside the block."""

    def __init__(self, engine):
        self.engine, self.n = engine, 0

    def _count(self, *args):
        self.n += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


def totals_of(votes, party_of) -> dict:
    """Expected party totals, counted from the votes with `party_of(vote)`."""
    out: dict = {}
    for v in votes:
        row = out.setdefault(party_of(v), Counter())
        row["yes" if v.option == "yes" else "no" if v.option == "no" else "other"] += 1
    return {p: (c["yes"], c["no"], c["other"]) for p, c in out.items()}


def shown_totals(roll_call) -> dict:
    return {t.party: (t.yes, t.no, t.other) for t in roll_call.party_totals}


def test_legiscan_placeholders_give_way_to_the_resolved_people(engine, tmp_path):
    """Mississippi 2013 roll calls loaded before their people print "LegiScan person 6614"; once
    the people are loaded (the 2014 dataset) the page shows "Chris McDaniel", party from his file."""
    src = real_fixture("legiscan-ms-xml", "ms-2013")
    only = tmp_path / "ms-2013"
    for part in ("bill", "vote"):                  # the 2013 dataset without its people
        shutil.copytree(src / part, only / part)
    ingest(engine, iter_records(plan([str(tmp_path)])))
    ingest(engine, iter_records(plan([str(real_fixture("legiscan-ms-xml", "ms-2014"))])))
    assert resolve_pending(engine) > 300
    party_files = {p.stem: parse_xml(p.read_bytes()).findtext("person/party_id")
                   for p in real_fixture("legiscan-ms-xml", "ms-2014", "people").glob("*.xml")}
    with Session(engine) as db:
        names = names_by_key(db)
        d = bill_detail(db, "ms-2013-hb369")
    voters = [pv for v in d.votes for pv in v.votes]
    resolved = [pv for pv in voters if pv.legislator_key]
    assert len(d.votes) == 4 and len(resolved) >= 300
    assert all(pv.voter_name.startswith("LegiScan person") for pv in resolved)   # what the store holds
    assert all(pv.legislator_name == names[pv.legislator_key] for pv in resolved)
    assert not any(pv.legislator_name.startswith("LegiScan person") for pv in resolved)
    mcdaniel = {(pv.voter_name, pv.legislator_name, pv.legislator_key) for pv in voters if pv.legislator_key == "legiscan:6614"}
    assert mcdaniel == {("LegiScan person 6614", "Chris McDaniel", "legiscan:6614")}
    # Party on the day, against each person's own file (party_id 1 Democratic, 2 Republican).
    file_party = {"1": "democratic", "2": "republican"}
    for pv in resolved:
        assert pv.party == file_party.get(party_files[pv.legislator_key.split(":")[1]]), pv
    for v in d.votes:
        assert shown_totals(v) == totals_of(v.votes, lambda pv: pv.party)
        assert sum(t.yes + t.no + t.other for t in v.party_totals) == len(v.votes)
        unresolved = [pv for pv in v.votes if not pv.legislator_key]
        assert all(pv.legislator_name is None and pv.party is None for pv in unresolved)
    # Sponsors: the resolved person's name and key.
    assert [(s.name, s.legislator_name, s.legislator_key) for s in d.sponsors][:1] == [
        ("John Moore", "John Moore", "legiscan:6532")]


def _essa_rolls(engine, rolls: list[str]) -> dict:
    folder = real_fixture("essa-votes", "votes-114-2015")
    ingest(engine, [r for roll in rolls for r in parse_json((folder / roll / "data.json").read_bytes(),
                                                           str(folder / roll / "data.json"))
                    if isinstance(r, VoteEventIn)])
    return {roll: json.loads((folder / roll / "data.json").read_bytes()) for roll in rolls}


def test_house_surnames_give_way_to_full_names_and_parties_match_the_roll_call(engine):
    """congress-legislators (current members), a hand-made H.R. 5 (114th) and its real roll calls."""
    real_data.congress(engine)
    ingest(engine, [{"type": "bill", "jurisdiction": "us", "session": "114", "identifier": "H.R. 5",
                     "title": "Student Success Act", "source": SRC}])
    files = _essa_rolls(engine, ["h421", "h422"])
    current = yaml.safe_load(real_fixture("congress-legislators", "legislators-current.yaml").read_text())
    full_name = {m["id"]["bioguide"]: m["name"].get("official_full") for m in current}
    with Session(engine) as db:
        with Statements(engine) as two:
            d = bill_detail(db, "us-114-hr5")
    assert sorted(v.roll_number for v in d.votes) == ["421", "422"]
    for v in d.votes:
        data = files[f"h{v.roll_number}"]
        printed = {p["id"]: (p["display_name"], p["party"]) for group in data["votes"].values() for p in group}
        assert len(v.votes) == len(printed)
        for pv in v.votes:
            if pv.legislator_key:
                bioguide = pv.legislator_key.split(":")[1]
                assert pv.legislator_name == full_name[bioguide]      # "Alma S. Adams", not "Adams"
                assert pv.voter_name == printed[bioguide][0]
                assert pv.party == party_key(printed[bioguide][1])    # the term on the day = the roll call's
            else:
                assert pv.legislator_name is None and pv.party is None
                assert pv.voter_name in {name for name, _ in printed.values()}
        ids = {pv.legislator_key: pv for pv in v.votes}
        assert ids["bioguide:A000370"].legislator_name == "Alma S. Adams" and ids["bioguide:A000370"].voter_name == "Adams"
        assert "Ashford" in {pv.voter_name for pv in v.votes if not pv.legislator_key}   # no longer serving
        party_printed = {pv.legislator_key: printed[pv.legislator_key.split(":")[1]][1] for pv in v.votes if pv.legislator_key}
        assert shown_totals(v) == totals_of(v.votes, lambda pv: party_key(party_printed[pv.legislator_key])
                                            if pv.legislator_key else None)
        assert v.party_totals[-1].party is None                     # the voters of unknown party last
    # ~430 voters a roll call: a fixed handful of queries, none per voter nor per roll call.
    assert two.n <= 16, two.n
    _essa_rolls(engine, ["h410", "h411", "h412", "h413"])
    with Session(engine) as db:
        with Statements(engine) as six:
            assert len(bill_detail(db, "us-114-hr5").votes) == 6
    assert six.n == two.n


def _rows(name: str, bill_ids: set[str]) -> bytes:
    """The rows of a real pubinfo table that belong to these bills (whole table when no BILL_ID)."""
    data = real_fixture("ca-pubinfo", "2025-daily", f"{name}.dat").read_bytes()
    if not bill_ids:
        return data
    return b"".join(line for line in data.splitlines(keepends=True)
                    if any(f"`{b}`".encode() in line for b in bill_ids))


def test_california_committee_votes_name_their_committee_and_voters_their_full_names(engine, tmp_path):
    bills = {"202520260SCR10", "202520260SB26"}
    dump = tmp_path / "dump"
    dump.mkdir()
    for table in ("BILL_TBL", "BILL_HISTORY_TBL", "BILL_SUMMARY_VOTE_TBL", "BILL_DETAIL_VOTE_TBL"):
        (dump / f"{table}.dat").write_bytes(_rows(table, bills))
    for table in ("LOCATION_CODE_TBL", "LEGISLATOR_TBL"):
        (dump / f"{table}.dat").write_bytes(_rows(table, set()))
    ingest(engine, iter_records(plan([str(dump)])))
    with Session(engine) as db:
        names = names_by_key(db)
        scr10 = bill_detail(db, "ca-20252026-scr10")
        sb26 = bill_detail(db, "ca-20252026-sb26")
    where = {(v.organization, v.committee.name if v.committee else None) for v in scr10.votes}
    assert where == {("Assembly Rules", "Assembly Rules"), ("Assembly Floor", None), ("Senate Floor", None)}
    assert {v.committee.name for v in sb26.votes} == {"Senate Business, Professions and Economic Development",
                                                      "Senate Judiciary"}
    assert all(v.committee.key.startswith("ca-20252026-c") for v in sb26.votes)
    for v in scr10.votes + sb26.votes:
        for pv in v.votes:
            assert pv.legislator_key, pv                      # LEGISLATOR_TBL names every member
            assert pv.legislator_name == names[pv.legislator_key]
            assert pv.voter_name in pv.legislator_name        # "Hadwick" -> "Heather Hadwick"
            assert pv.party in ("democratic", "republican")
        assert shown_totals(v) == totals_of(v.votes, lambda pv: pv.party)


def test_hearings_of_a_bill_with_their_committee_place_and_agenda(engine):
    from tests.hearings import data

    data.load(engine)
    with Session(engine) as db:
        ab100 = bill_detail(db, "ca-20252026-ab100").hearings
        sb12 = bill_detail(db, "ca-20252026-sb12").hearings
        vehicles = bill_detail(db, "ca-20252026-ab900").hearings
    # Two the same day, in time order: Appropriations (no stored committee of that name) at 08:00,
    # then Assembly Education (its Open States committee) at 13:30, Sacramento time.
    assert [(h.committee_name, h.committee.key if h.committee else None, h.start.isoformat()) for h in ab100] == [
        ("Appropriations", None, "2025-04-09T15:00:00+00:00"),
        ("Education", data.CA_ASSEMBLY_EDUCATION, "2025-04-09T20:30:00+00:00")]
    assert ab100[1].status == "held" and ab100[1].chamber == "lower"
    assert ab100[0].location == "1021 O Street, Room 1100" and ab100[0].links == ["https://aedn.assembly.ca.gov/hearings"]
    assert [(h.committee.key, h.chamber) for h in sb12] == [(data.CA_SENATE_EDUCATION, "upper")]
    assert [h.key for h in vehicles] == ["ocd-event/a2"]


def test_text_versions_stored_and_listed_once_each(engine):
    ingest(engine, iter_records(plan([str(real_fixture("ca-pubinfo", "1989"))])))
    ingest(engine, [{"type": "bill", "jurisdiction": "ca", "session": "20252026", "identifier": "AB 5",
                     "title": "Versions listed by a source", "source": SRC,
                     "versions": [{"note": "Introduced", "date": "2025-01-06", "url": "https://example.org/ab5-int"},
                                  {"note": "Amended Assembly", "date": "2025-03-01", "url": "javascript:alert(1)"},
                                  {"note": "Introduced", "date": "2025-01-06", "url": "https://example.org/ab5-int"}]}])
    with Session(engine) as db:
        sb729 = bill_detail(db, "ca-19891990-sb729").text_versions
        ab5 = bill_detail(db, "ca-20252026-ab5").text_versions
    # The stored chaptered text and the same version in the bill's list: one entry, with its link.
    assert [(v.name, v.date.isoformat(), v.code, v.stored) for v in sb729] == [
        ("Chaptered", "1989-09-21", "19890SB72994CHP", True)]
    assert sb729[0].url == "https://leginfo.legislature.ca.gov/faces/billTextClient.xhtml?bill_id=198919900SB729"
    assert [(v.name, v.url, v.stored) for v in ab5] == [("Introduced", "https://example.org/ab5-int", False),
                                                        ("Amended Assembly", None, False)]   # no script links


def test_only_public_positions_of_every_coalition(engine):
    real_data.mississippi(engine)
    real_data.coalitions(engine)
    with Session(engine) as db:
        hb369 = bill_detail(db, "ms-2013-hb369").positions
        hb504 = bill_detail(db, "ms-2014-hb504").positions
    assert [(p.coalition, p.coalition_name, p.stance) for p in hb369] == [("edfund", "Education Fund", "support")]
    assert hb504 == []          # Education Fund's position on it is private; Quiet Coalition's too


@pytest.mark.parametrize("rows,expected", [
    ([], []),
    # the larger party first, equal ones by name, the unknown party last whatever its size
    ([("yes", "republican"), ("no", "democratic"), ("yes", None), ("absent", "republican"), ("paired", "democratic"),
      ("no", "republican"), ("yes", None), ("no", None), ("yes", None)],
     [("republican", 1, 1, 1), ("democratic", 0, 1, 1), (None, 3, 1, 0)]),
    ([("yes", "republican"), ("yes", "democratic")], [("democratic", 1, 0, 0), ("republican", 1, 0, 0)]),
])
def test_party_totals_order_and_columns(rows, expected):
    from tracker.bills.detail import party_totals

    got = party_totals([{"option": o, "party": p} for o, p in rows])
    assert [(t.party, t.yes, t.no, t.other) for t in got] == expected
