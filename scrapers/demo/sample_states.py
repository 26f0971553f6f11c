"""The demo's state data, as keyed APIs answer it.

California and Kentucky through the LegiScan Pull API (`{base}/legiscan/?key=...&op=getSessionList&state=KY`,
`getMasterListRaw`, `getBill`, `getRollCall`, `getPerson`; JSON with `"status": "OK"`, codes as
documented at https://legiscan.com/legiscan: vote_id 1 Yea / 2 Nay / 3 NV / 4 Absent, progress
events 1 Introduced / 2 Engrossed / 9 Refer ...). People ids start at 990000, above LegiScan's.

New York comes through OpenLegislation (`sample_ny.py`). Not here yet: Open States API v3 answers.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

LEGISCAN_DIR = "legiscan"


def _session(session_id: int, state_id: int, ys: int, ye: int, sine_die: int) -> dict:
    name = f"{ys}-{ye} Regular Session" if ye > ys else f"{ys} Regular Session"
    return {"session_id": session_id, "state_id": state_id, "year_start": ys, "year_end": ye, "prefile": 0,
            "sine_die": sine_die, "prior": 0, "special": 0, "session_tag": "Regular Session",
            "session_title": name, "session_name": name}


# LegiScan state_id (alphabetical, counting DC) -> the state's current regular session.
SESSIONS = {
    "KY": _session(9925, 17, 2025, 2025, 1),
    "CA": _session(9920, 5, 2025, 2026, 0),
}

# state -> people: people_id, first, last, party_id (1 D, 2 R), role_id (1 Rep/Asm, 2 Sen), district
PEOPLE = {
    "KY": ((990101, "Lorna", "Whitaker", 2, 1, "HD-014"), (990102, "Dwayne", "Castellow", 1, 1, "HD-041"),
           (990103, "Marisol", "Brandt", 2, 1, "HD-060"), (990104, "Eugene", "Tackett", 1, 1, "HD-077"),
           (990105, "Patrice", "Ogilvie", 2, 1, "HD-089"), (990106, "Hollis", "Redmon", 2, 2, "SD-007")),
    "CA": ((990201, "Adriana", "Solis-Kerr", 1, 1, "AD-018"), (990202, "Benjamin", "Achterberg", 2, 1, "AD-034"),
           (990203, "Kiyoko", "Watanabe", 1, 1, "AD-052"), (990204, "Marcus", "Delacroix", 1, 1, "AD-066"),
           (990205, "Renata", "Voss", 2, 1, "AD-075"), (990206, "Isidro", "Paredes", 1, 2, "SD-022")),
}

# state -> bills: bill_id, number, title, description, subjects, sponsors, history
# [(date, chamber, action)], progress [(date, event)], status, roll calls
# [(roll_call_id, date, description, chamber, people voting no)]
BILLS = {
    "KY": (
        (1990001, "HB120", "AN ACT relating to school meals.",
         "Create a program to reimburse school districts that serve breakfast and lunch at no cost to every student.",
         ("Education", "School Meals"), (990102, 990104),
         (("2025-01-08", "H", "introduced in House"), ("2025-01-08", "H", "to Committee on Committees (H)"),
          ("2025-01-14", "H", "to Education (H)"), ("2025-02-11", "H", "reported favorably, 1st reading, to Calendar"),
          ("2025-02-13", "H", "3rd reading, passed 4-1"), ("2025-02-14", "S", "received in Senate")),
         (("2025-01-08", 1), ("2025-01-14", 9), ("2025-02-11", 10), ("2025-02-13", 2)), 2,
         ((2990001, "2025-02-13", "House Floor Vote - Third Reading", "H", (990105,)),)),
        (1990002, "HB215", "AN ACT relating to public charter schools.",
         "Require annual performance audits of public charter school authorizers and cap new charter contracts.",
         ("Education", "Charter Schools"), (990101, 990103),
         (("2025-01-22", "H", "introduced in House"), ("2025-01-27", "H", "to Education (H)")),
         (("2025-01-22", 1), ("2025-01-27", 9)), 1, ()),
        (1990003, "SB41", "AN ACT relating to teacher compensation.",
         "Set a statewide minimum salary schedule for certified public school teachers.",
         ("Education", "Teachers"), (990106,),
         (("2025-01-10", "S", "introduced in Senate"), ("2025-01-15", "S", "to Education (S)")),
         (("2025-01-10", 1), ("2025-01-15", 9)), 1, ()),
        (1990004, "HB302", "AN ACT relating to county road maintenance.",
         "Allow counties to pool road maintenance funds across county lines.",
         ("Transportation",), (990105,),
         (("2025-02-03", "H", "introduced in House"), ("2025-02-05", "H", "to Transportation (H)")),
         (("2025-02-03", 1), ("2025-02-05", 9)), 1, ()),
    ),
    "CA": (
        (1990101, "AB412", "Pupil instruction: community schools: coordinated services.",
         "Expands the California Community Schools Partnership Program to fund coordinators for health, "
         "nutrition and family services at high-poverty schools.",
         ("Education", "Community Schools"), (990201, 990203),
         (("2025-02-10", "A", "Introduced. Read first time. To print."),
          ("2025-03-03", "A", "Referred to Com. on ED."),
          ("2025-04-09", "A", "From committee: Do pass and re-refer to Com. on APPR. (Ayes 5. Noes 1.)"),
          ("2025-05-22", "A", "Read third time. Passed. Ordered to the Senate."),
          ("2025-05-23", "S", "In Senate. Read first time. To Com. on RLS. for assignment.")),
         (("2025-02-10", 1), ("2025-03-03", 9), ("2025-04-09", 10), ("2025-05-22", 2)), 2,
         ((2990101, "2025-05-22", "Assembly Floor: Third Reading", "A", (990202, 990205)),)),
        (1990102, "SB220", "Special education: funding: base rate.",
         "Raises the statewide special education base rate per unit of average daily attendance.",
         ("Education", "Special Education"), (990206,),
         (("2025-02-03", "S", "Introduced. Read first time. To Com. on RLS. for assignment. To print."),
          ("2025-02-19", "S", "Referred to Com. on ED.")),
         (("2025-02-03", 1), ("2025-02-19", 9)), 1, ()),
        (1990103, "AB980", "Vehicles: electric bicycles: helmets.",
         "Requires riders of class 1 and 2 electric bicycles under 21 to wear helmets.",
         ("Transportation",), (990202,),
         (("2025-02-20", "A", "Introduced. Read first time. To print."),
          ("2025-03-10", "A", "Referred to Com. on TRANS.")),
         (("2025-02-20", 1), ("2025-03-10", 9)), 1, ()),
    ),
}


@dataclass
class StateSample:
    files: dict[str, bytes] = field(default_factory=dict)
    routes: list = field(default_factory=list)


def _json(data) -> bytes:
    return json.dumps(data, indent=1, sort_keys=False).encode()


def _hash(*parts) -> str:
    return hashlib.md5(json.dumps(parts, sort_keys=True).encode()).hexdigest()  # noqa: S324 - a change tag


def _person(state: str, pid: int, first: str, last: str, party: int, role: int, district: str) -> dict:
    return {"people_id": pid, "person_hash": _hash(pid, first, last)[:8], "state_id": SESSIONS[state]["state_id"],
            "party_id": party, "party": {1: "D", 2: "R"}[party], "role_id": role,
            "role": {1: "Rep", 2: "Sen"}[role], "name": f"{first} {last}", "first_name": first,
            "middle_name": "", "last_name": last, "suffix": "", "nickname": "", "district": district,
            "ftm_eid": 0, "votesmart_id": 0, "opensecrets_id": "", "ballotpedia": "",
            "committee_sponsor": 0, "committee_id": 0}


_PEOPLE = {p[0]: _person(state, *p) for state, rows in PEOPLE.items() for p in rows}
_LOWER = {"H", "A"}  # LegiScan body codes: House / Assembly, Senate


def _roll_call(state: str, bill_id: int, rc_id: int, date: str, desc: str, chamber: str,
               no: tuple[int, ...]) -> dict:
    role = 1 if chamber in _LOWER else 2
    voters = [p for p in PEOPLE[state] if p[4] == role]
    votes = [{"people_id": p[0], "vote_id": 2 if p[0] in no else 1, "vote_text": "Nay" if p[0] in no else "Yea"}
             for p in voters]
    yea = sum(1 for v in votes if v["vote_id"] == 1)
    return {"roll_call_id": rc_id, "bill_id": bill_id, "date": date, "desc": desc, "yea": yea,
            "nay": len(votes) - yea, "nv": 0, "absent": 0, "total": len(votes), "passed": int(yea > len(votes) - yea),
            "chamber": chamber, "chamber_id": role, "votes": votes}


_LINKS = {"KY": "https://apps.legislature.ky.gov/record/25rs/{n}.html",
          "CA": "https://leginfo.legislature.ca.gov/faces/billNavClient.xhtml?bill_id=202520260{N}"}


def _bill(state: str, row) -> tuple[dict, list[dict]]:
    bill_id, number, title, desc, subjects, sponsors, history, progress, status, rolls = row
    body = number[0]
    sess = SESSIONS[state]
    calls = [_roll_call(state, bill_id, *r) for r in rolls]
    bill = {
        "bill_id": bill_id, "change_hash": _hash(row), "session_id": sess["session_id"], "session": dict(sess),
        "url": f"https://legiscan.com/{state}/bill/{number}/{sess['year_start']}",
        "state_link": _LINKS[state].format(n=number.lower(), N=number),
        "completed": 0, "status": status, "status_date": progress[-1][0],
        "progress": [{"date": d, "event": e} for d, e in progress],
        "state": state, "state_id": sess["state_id"], "bill_number": number, "bill_type": "B", "bill_type_id": "1",
        "body": body, "body_id": 1 if body in _LOWER else 2, "current_body": history[-1][1],
        "current_body_id": 1 if history[-1][1] in _LOWER else 2, "title": title, "description": desc,
        "pending_committee_id": 0, "committee": [], "referrals": [],
        "history": [{"date": d, "action": a, "chamber": c, "chamber_id": 1 if c in _LOWER else 2, "importance": 1}
                    for d, c, a in history],
        "sponsors": [{**_PEOPLE[pid], "sponsor_type_id": 1 if i == 0 else 2, "sponsor_order": i + 1}
                     for i, pid in enumerate(sponsors)],
        "sasts": [], "subjects": [{"subject_id": 9000 + i, "subject_name": s} for i, s in enumerate(subjects)],
        "texts": [], "amendments": [], "supplements": [], "calendar": [],
        "votes": [{k: c[k] for k in ("roll_call_id", "date", "desc", "yea", "nay", "nv", "absent", "total",
                                     "passed", "chamber", "chamber_id")} for c in calls],
    }
    return bill, calls


def legiscan_routes(key: str) -> list:
    """Query-routed LegiScan answers (`op` plus `state` or `id`) for California and Kentucky."""
    from scrapers.demo.sample import QueryRoute

    def route(answer: dict, **params) -> QueryRoute:
        return QueryRoute(LEGISCAN_DIR, tuple(sorted(params.items())), _json({"status": "OK", **answer}),
                          key_param="key")

    routes = []
    for state, sess in SESSIONS.items():
        routes.append(route({"sessions": [sess]}, op="getSessionList", state=state))
        master = {"session": {k: sess[k] for k in ("session_id", "session_name")}}
        for i, row in enumerate(BILLS[state]):
            bill, calls = _bill(state, row)
            master[str(i)] = {"bill_id": bill["bill_id"], "number": bill["bill_number"],
                              "change_hash": bill["change_hash"]}
            routes.append(route({"bill": bill}, op="getBill", id=str(bill["bill_id"])))
            routes += [route({"roll_call": c}, op="getRollCall", id=str(c["roll_call_id"])) for c in calls]
        routes.append(route({"masterlist": master}, op="getMasterListRaw", id=str(sess["session_id"])))
    routes += [route({"person": p}, op="getPerson", id=str(pid)) for pid, p in _PEOPLE.items()]
    return routes


def state_sample(key: str) -> StateSample:
    return StateSample(routes=legiscan_routes(key))
