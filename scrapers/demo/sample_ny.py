"""The demo's New York data as NY Senate OpenLegislation API v3 answers it
(https://legislation.nysenate.gov/static/docs/html/): `/api/3/members/{session}`, the bill listing
`/api/3/bills/{session}`, each bill `/api/3/bills/{session}/{printNo}`, agenda listings per year, two weekly committee agendas
and `/api/3/updates/{since}` (empty: nothing changes in the demo). Every answer is the API's
envelope `{success, message, responseType, result}`; listings are paged with offsets from 1.
Member ids start at 99001, far from the real ones.
"""
from __future__ import annotations

import json

PREFIX = "nyopenleg/api/3"
SESSION = 2025

# memberId, sessionMemberId, first, last, chamber, district
MEMBERS = (
    (99001, 99101, "Colette", "Amadi", "SENATE", 23),
    (99002, 99102, "Franklin", "Osei-Bonsu", "SENATE", 41),
    (99003, 99103, "Gretchen", "Lundqvist", "SENATE", 52),
    (99004, 99104, "Ivan", "Petrakis", "SENATE", 60),
    (99005, 99105, "Delphine", "Marchand", "SENATE", 61),
    (99006, 99106, "Orlando", "Reyes-Hart", "ASSEMBLY", 72),
)
_BY_ID = {m[0]: m for m in MEMBERS}

# printNo, title, summary, sponsor, cosponsors, law section, status, committee,
# actions [(date, chamber, text)], floor vote (date, members voting nay) or None
BILLS = (
    ("S3150", "Provides free school breakfast and lunch to all students",
     "Requires every school food authority to serve breakfast and lunch at no charge to all students and "
     "reimburses the difference from the state.", 99001, (99002, 99004), "Education Law", "PASSED_SENATE",
     "EDUCATION",
     (("2025-01-29", "SENATE", "REFERRED TO EDUCATION"), ("2025-03-11", "SENATE", "REPORTED AND COMMITTED TO FINANCE"),
      ("2025-05-06", "SENATE", "ORDERED TO THIRD READING CAL.512"), ("2025-05-13", "SENATE", "PASSED SENATE"),
      ("2025-05-13", "SENATE", "DELIVERED TO ASSEMBLY"), ("2025-05-13", "ASSEMBLY", "referred to education")),
     ("2025-05-13", (99003,))),
    ("S4471", "Relates to charter school enrollment caps in cities of one million or more",
     "Raises the number of charter schools that may be issued in a city of one million or more.", 99005, (),
     "Education Law", "IN_SENATE_COMM", "EDUCATION",
     (("2025-02-26", "SENATE", "REFERRED TO EDUCATION"),), None),
    ("A2280", "Establishes a minimum salary for public school teachers",
     "Sets a minimum annual salary for certified public school teachers and phases it in over four years.",
     99006, (), "Education Law", "IN_ASSEMBLY_COMM", "EDUCATION",
     (("2025-01-21", "ASSEMBLY", "referred to education"),), None),
)

# Weekly Senate committee agendas (`/api/3/agendas/{year}/{no}`): agenda no, week of,
# [(committee, meeting time in Albany, place, notes, [printNo])]. S5120 and S1001 are bills the
# demo does not hold; Health hears no education bill.
AGENDAS = (
    (9, "2025-03-10", (("Education", "2025-03-11T10:00", "Room 124 CAP", "", ("S3150", "S4471")),)),
    (16, "2025-04-28", (("Finance", "2025-04-29T11:00", "Room 124 CAP", "Meeting off the floor.", ("S3150", "S5120")),
                        ("Health", "2025-04-29T13:30", "Room 811 LOB", "", ("S1001",)))),
)


def _ok(response_type: str, result, **extra) -> bytes:
    return json.dumps({"success": True, "message": "", "responseType": response_type, **extra,
                       "result": result}, indent=1).encode()


def _listing(response_type: str, rows: list) -> bytes:
    return _ok(response_type, {"items": rows, "size": len(rows)}, total=len(rows),
               offsetStart=1 if rows else 0, offsetEnd=len(rows), limit=1000)


def _member_ref(member_id: int) -> dict:
    mid, smid, first, last, chamber, district = _BY_ID[member_id]
    return {"memberId": mid, "shortName": last.upper(), "sessionYear": SESSION, "fullName": f"{first} {last}",
            "districtCode": district, "sessionMemberId": smid}


def _member(m) -> dict:
    mid, smid, first, last, chamber, district = m
    return {"memberId": mid, "chamber": chamber, "incumbent": True, "fullName": f"{first} {last}",
            "shortName": last.upper(), "imgName": None,
            "person": {"personId": mid + 1000, "fullName": f"{first} {last}", "firstName": first,
                       "middleName": None, "lastName": last, "suffix": None, "email": None, "prefix": None,
                       "imgName": None},
            "sessionShortNameMap": {str(SESSION): [{"memberId": mid, "shortName": last.upper(),
                                                    "sessionYear": SESSION, "fullName": f"{first} {last}",
                                                    "districtCode": district, "alternate": False,
                                                    "sessionMemberId": smid}]}}


def _bill(row) -> dict:
    print_no, title, summary, sponsor, cosponsors, law, status, committee, actions, vote = row
    chamber = "SENATE" if print_no.startswith("S") else "ASSEMBLY"
    bill_id = {"basePrintNo": print_no, "session": SESSION, "printNo": print_no, "version": ""}
    votes = []
    if vote:
        date, nays = vote
        senators = [m[0] for m in MEMBERS if m[4] == "SENATE"]
        groups = {"AYE": [m for m in senators if m not in nays], "NAY": list(nays)}
        votes.append({"version": "", "voteType": "FLOOR", "voteDate": date, "committee": None,
                      "memberVotes": {"items": {code: {"items": [_member_ref(m) for m in ids], "size": len(ids)}
                                                for code, ids in groups.items() if ids},
                                      "size": len(senators)}})
    return {
        "basePrintNo": print_no, "session": SESSION, "printNo": print_no,
        "billType": {"chamber": chamber, "desc": chamber.title(), "resolution": False},
        "title": title, "activeVersion": "", "year": SESSION, "publishedDateTime": f"{actions[0][0]}T10:00:00",
        "substitutedBy": None, "sponsor": {"member": _member_ref(sponsor), "budget": False, "rules": False},
        "summary": summary, "signed": False,
        "status": {"statusType": status, "statusDesc": status.replace("_", " ").title(), "actionDate": actions[-1][0],
                   "committeeName": committee if status.endswith("_COMM") else None, "billCalNo": None},
        "milestones": {"items": [], "size": 0},
        "actions": {"items": [{"billId": bill_id, "date": d, "chamber": c, "sequenceNo": i + 1, "text": t}
                              for i, (d, c, t) in enumerate(actions)], "size": len(actions)},
        "amendments": {"items": {"": {"basePrintNo": print_no, "session": SESSION, "printNo": print_no, "version": "",
                                      "publishDate": actions[0][0], "sameAs": {"items": [], "size": 0},
                                      "lawSection": law, "lawCode": None, "actClause": f"AN ACT {title.lower()}",
                                      "coSponsors": {"items": [_member_ref(m) for m in cosponsors],
                                                     "size": len(cosponsors)},
                                      "multiSponsors": {"items": [], "size": 0}}}, "size": 1},
        "votes": {"items": votes, "size": len(votes)},
        "pastCommittees": {"items": [{"chamber": chamber, "name": committee, "sessionYear": SESSION}], "size": 1},
        "previousVersions": {"items": [], "size": 0},
    }


def _agenda(row) -> dict:
    number, week, meetings = row
    committees = [{"committeeId": {"chamber": "SENATE", "name": name}, "addenda": {"items": [{
        "addendumId": "", "hasVotes": False,
        "meeting": {"chair": None, "location": place, "meetingDateTime": when, "notes": notes},
        "bills": {"items": [{"billId": {"basePrintNo": b, "session": SESSION, "printNo": b, "version": ""},
                             "message": ""} for b in bills], "size": len(bills)}}], "size": 1}}
        for name, when, place, notes, bills in meetings]
    return {"id": {"number": number, "year": SESSION}, "weekOf": week,
            "committeeAgendas": {"items": committees, "size": len(committees)}}


def ny_routes() -> list:
    """Routes of the OpenLegislation mirror (the key travels as `key=`)."""
    from scrapers.demo.sample import QueryRoute

    def route(path: str, body: bytes) -> QueryRoute:
        return QueryRoute(f"{PREFIX}/{path}", (), body, key_param="key")

    routes = [route(f"members/{SESSION}", _listing("member-sessions list", [_member(m) for m in MEMBERS])),
              route(f"bills/{SESSION}", _listing("bill-info list", [
                  {"basePrintNo": b[0], "session": SESSION, "printNo": b[0], "title": b[1]} for b in BILLS]))]
    routes += [route(f"bills/{SESSION}/{b[0]}", _ok("bill", _bill(b))) for b in BILLS]
    routes += [route(f"agendas/{SESSION}", _listing("agenda-summary list", [
        {"id": {"number": no, "year": SESSION}, "weekOf": week} for no, week, _ in AGENDAS]))]
    routes += [route(f"agendas/{SESSION + 1}", _listing("agenda-summary list", []))]
    routes += [route(f"agendas/{SESSION}/{a[0]}", _ok("agenda", _agenda(a))) for a in AGENDAS]
    routes.append(route("updates/*", _listing("update-token list", [])))  # any `since`
    return routes
