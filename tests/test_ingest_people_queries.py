"""Issue 19: storing a new legislator reads who holds its ids once (not once per id scheme and
again before adding them) and reads no roles of a person it has just inserted."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import event

from tracker.contract import build
from tracker.ingest import Ingestor
from tracker.models import LegislatorIdentifier, LegislatorRole


def _person(pid: str, votesmart: str) -> dict:
    return {"type": "legislator", "name": "Ann Smith", "given_name": "Ann", "family_name": "Smith",
            "party": "Democratic", "ids": {"legiscan": pid, "votesmart": votesmart, "ballotpedia": f"Ann_Smith_{pid}"},
            "roles": [{"jurisdiction": "ar", "chamber": "upper", "district": "1",
                       "start_date": "2011-01-01", "end_date": "2012-12-31"}],
            "source": {"url": "file:people.json", "format": "legiscan-json"}}


def _selects(engine, record) -> list[str]:
    seen: list[str] = []

    def note(_conn, _cursor, statement, _params, _ctx, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)
    event.listen(engine, "before_cursor_execute", note)
    try:
        result = Ingestor(engine, today=dt.date(2025, 6, 1)).ingest([record])
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert result.summary()["insert"] == 1, result.errors
    return seen


def test_a_new_legislator_reads_its_ids_once_and_no_roles(engine):
    rec = build("legislator", _person("77001", "5501"))
    selects = _selects(engine, rec)
    ids = [s for s in selects if f"FROM {LegislatorIdentifier.__tablename__}" in s]
    roles = [s for s in selects if s.split(" FROM ", 1)[-1].startswith(LegislatorRole.__tablename__)]
    assert len(ids) == 1, ids
    assert roles == [], roles


def test_ids_held_by_two_others_are_still_refused(engine):
    ingest = Ingestor(engine, today=dt.date(2025, 6, 1)).ingest
    ingest([build("legislator", _person("77002", "5502")), build("legislator", _person("77004", "5504"))])
    mixed = _person("77005", "5502")  # votesmart of the first person, ballotpedia of the second
    mixed["ids"]["ballotpedia"] = "Ann_Smith_77004"
    mixed["name"], mixed["family_name"], mixed["roles"][0]["district"] = "Bob Jones", "Jones", "9"
    report = ingest([build("legislator", mixed)])
    (err,) = report.errors
    assert err.field in ("ids.votesmart", "ids.ballotpedia") and "another legislator" in err.problem, err
