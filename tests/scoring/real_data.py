"""Contract records built from the real roll calls in ../shared/fixtures for the scorecard tests.

ESSA goes through the registered unitedstates/congress vote parser; the Mississippi LegiScan XML
and the California vote matrix are read here directly (only the few rolls the tests score)."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from scrapers.formats.uscongress_votes import parse_json
from scrapers.xmlsafe import parse_xml
from tests.conftest import real_fixture
from tracker.contract import VoteEventIn

SRC = {"format": "test-real", "fetched_at": "2025-03-01T12:00:00Z"}


def essa(rolls: list[str]) -> list:
    """Senators (lis ids, one role in the 114th Senate) and the parsed roll calls."""
    folder = real_fixture("essa-votes", "votes-114-2015")
    people, events = {}, []
    for roll in rolls:
        path = folder / roll / "data.json"
        data = json.loads(path.read_bytes())
        for group in data["votes"].values():
            for p in group:
                people[p["id"]] = {
                    "type": "legislator", "name": f'{p["first_name"]} {p["last_name"]}',
                    "family_name": p["last_name"], "party": p["party"], "ids": {"lis": p["id"]},
                    "roles": [{"jurisdiction": "us", "chamber": "upper", "district": p["state"],
                               "party": p["party"], "start_date": "2015-01-06", "end_date": "2017-01-03"}],
                    "source": {**SRC, "url": str(path)}}
        events.extend(r for r in parse_json(path.read_bytes(), str(path)) if isinstance(r, VoteEventIn))
    return list(people.values()) + events


_LS_OPTION = {"Yea": "yes", "Nay": "no", "NV": "not voting", "Absent": "absent"}


def mississippi(session: str, rolls: list[str], bill_key: str) -> list:
    """House members of the session (LegiScan people, role_id 1) and the given House roll calls."""
    folder = real_fixture("legiscan-ms-xml", f"ms-{session}")
    records = []
    for path in sorted((folder / "people").glob("*.xml")):
        p = parse_xml(path.read_bytes()).find("person")
        if p.findtext("role_id") != "1":
            continue
        party = {"1": "Democratic", "2": "Republican"}.get(p.findtext("party_id"), "Independent")
        records.append({"type": "legislator", "name": p.findtext("name"), "family_name": p.findtext("last_name"),
                        "party": party, "ids": {"legiscan": p.findtext("people_id")},
                        "roles": [{"jurisdiction": "ms", "chamber": "lower", "party": party,
                                   "start_date": "2012-01-03", "end_date": "2016-01-05"}],
                        "source": {**SRC, "url": str(path)}})
    for roll in rolls:
        path = folder / "vote" / f"{roll}.xml"
        rc = parse_xml(path.read_bytes()).find("roll_call")
        votes = [{"voter_name": f"legiscan people_id {v.findtext('people_id')}",
                  "ids": {"legiscan": v.findtext("people_id")},
                  "option": _LS_OPTION[v.findtext("vote_text")], "raw_option": v.findtext("vote_text")}
                 for v in rc.iter("vote")]
        records.append({"type": "vote_event", "key": f"ms-legiscan-{roll}", "jurisdiction": "ms",
                        "session": session, "bill_key": bill_key, "chamber": "lower",
                        "date": rc.findtext("date"), "motion_text": rc.findtext("desc"),
                        "motion_classification": ["passage"] if "Passed" in rc.findtext("desc") else [],
                        "result": "pass" if rc.findtext("passed") == "1" else "fail", "votes": votes,
                        "source": {**SRC, "url": f"https://legiscan.com/MS/rollcall/HB369/id/{roll}"}})
    return records


_CA_OPTION = {"1": "yes", "6": "no", "9": "not voting"}  # 0 = not in chamber / not on committee


def california(columns: dict[int, str], senate_floor: int = 9913, assembly_floor: int = 5175) -> list:
    """Members of the 2019-20 Legislature (chamber read from who voted on a floor roll of each
    house) and the given matrix columns as roll calls; `columns` maps column -> organization."""
    path = real_fixture("ca-rollcall-lewis", "caleg19-20.zip")
    with zipfile.ZipFile(path) as zf:
        matrix = zf.read("ca19-20votes.dat").decode("utf-8").splitlines()
        desc = {int(r.split("\t")[1]): r.split("\t")
                for r in zf.read("ca19-20desc.dat").decode("utf-8", "replace").splitlines()}
    members = [(line[:20].strip(), line[20:]) for line in matrix]
    records = []
    for name, votes in members:
        chamber = "upper" if votes[senate_floor - 1] != "0" else "lower" if votes[assembly_floor - 1] != "0" else None
        if chamber is None:
            continue
        records.append({"type": "legislator", "key": f"ca-name:{name}|{chamber}|20192020",
                        "name": name, "family_name": name,
                        "ids": {"ca-name": f"{name}|{chamber}|20192020"},
                        "roles": [{"jurisdiction": "ca", "chamber": chamber, "start_date": "2018-12-03",
                                   "end_date": "2020-11-30"}], "source": {**SRC, "url": str(path)}})
    for col, organization in columns.items():
        date, _, author, topic, location, motion, yeas, noes, outcome, bill = desc[col][:10]
        chamber = "upper" if location.startswith(("Sen", "Senate")) else "lower"
        records.append({
            "type": "vote_event", "key": f"ca-lewis-20192020-{col}", "jurisdiction": "ca", "session": "20192020",
            "bill_key": f"ca-20192020-{bill.lower()}", "chamber": chamber, "organization": organization,
            "date": date, "motion_text": f"{location}: {motion}", "result": "pass" if "PASS" in outcome else "fail",
            "motion_classification": ["passage"] if "Floor" in location else ["committee-passage"],
            "votes": [{"voter_name": name, "ids": {"ca-name": f"{name}|{chamber}|20192020"},
                       "option": _CA_OPTION[v[col - 1]], "raw_option": v[col - 1]}
                      for name, v in members if v[col - 1] in _CA_OPTION],
            "source": {**SRC, "url": f"{path}#column={col}"}})
    return records


