"""The demo's state data, as keyed APIs answer it.

Kentucky through the LegiScan Pull API (`{base}/legiscan/?key=...&op=getSessionList&state=KY`,
`getMasterListRaw`, `getBill`, `getRollCall`, `getPerson`; JSON with `"status": "OK"`, codes as
documented at https://legiscan.com/legiscan: vote_id 1 Yea / 2 Nay / 3 NV / 4 Absent, progress
events 1 Introduced / 2 Engrossed / 9 Refer ...). People ids start at 990000, above LegiScan's.

Not here yet: Open States API v3 answers (CA) and NY OpenLegislation (NY).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

LEGISCAN_DIR = "legiscan"
KY_STATE_ID = 17  # LegiScan's state_id for Kentucky (alphabetical, counting DC)
KY_SESSION = {"session_id": 9925, "state_id": KY_STATE_ID, "year_start": 2025, "year_end": 2025,
              "prefile": 0, "sine_die": 1, "prior": 0, "special": 0, "session_tag": "Regular Session",
              "session_title": "2025 Regular Session", "session_name": "2025 Regular Session"}

# people_id, first, last, party_id (1 D, 2 R), role_id (1 Rep, 2 Sen), district
KY_PEOPLE = (
    (990101, "Lorna", "Whitaker", 2, 1, "HD-014"),
    (990102, "Dwayne", "Castellow", 1, 1, "HD-041"),
    (990103, "Marisol", "Brandt", 2, 1, "HD-060"),
    (990104, "Eugene", "Tackett", 1, 1, "HD-077"),
    (990105, "Patrice", "Ogilvie", 2, 1, "HD-089"),
    (990106, "Hollis", "Redmon", 2, 2, "SD-007"),
)

# bill_id, number, title, description, subjects, sponsors, history [(date, chamber, action)],
# progress [(date, event)], status, roll calls [(roll_call_id, date, desc, no people_ids)]
KY_BILLS = (
    (1990001, "HB120", "AN ACT relating to school meals.",
     "Create a program to reimburse school districts that serve breakfast and lunch at no cost to every student.",
     ("Education", "School Meals"), (990102, 990104),
     (("2025-01-08", "H", "introduced in House"), ("2025-01-08", "H", "to Committee on Committees (H)"),
      ("2025-01-14", "H", "to Education (H)"), ("2025-02-11", "H", "reported favorably, 1st reading, to Calendar"),
      ("2025-02-13", "H", "3rd reading, passed 4-1"), ("2025-02-14", "S", "received in Senate")),
     (("2025-01-08", 1), ("2025-01-14", 9), ("2025-02-11", 10), ("2025-02-13", 2)), 2,
     ((2990001, "2025-02-13", "House Floor Vote - Third Reading", (990105,)),)),
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
)


@dataclass
class StateSample:
    files: dict[str, bytes] = field(default_factory=dict)
    routes: list = field(default_factory=list)


def _json(data) -> bytes:
    return json.dumps(data, indent=1, sort_keys=False).encode()


def _hash(*parts) -> str:
    return hashlib.md5(json.dumps(parts, sort_keys=True).encode()).hexdigest()  # noqa: S324 - a change tag


def _person(pid: int, first: str, last: str, party: int, role: int, district: str) -> dict:
    return {"people_id": pid, "person_hash": _hash(pid, first, last)[:8], "state_id": KY_STATE_ID,
            "party_id": party, "party": {1: "D", 2: "R"}[party], "role_id": role,
            "role": {1: "Rep", 2: "Sen"}[role], "name": f"{first} {last}", "first_name": first,
            "middle_name": "", "last_name": last, "suffix": "", "nickname": "", "district": district,
            "ftm_eid": 0, "votesmart_id": 0, "opensecrets_id": "", "ballotpedia": "",
            "committee_sponsor": 0, "committee_id": 0}


_PEOPLE = {p[0]: _person(*p) for p in KY_PEOPLE}


def _roll_call(bill_id: int, rc_id: int, date: str, desc: str, no: tuple[int, ...]) -> dict:
    house = [p for p in KY_PEOPLE if p[4] == 1]
    votes = [{"people_id": p[0], "vote_id": 2 if p[0] in no else 1, "vote_text": "Nay" if p[0] in no else "Yea"}
             for p in house]
    yea = sum(1 for v in votes if v["vote_id"] == 1)
    return {"roll_call_id": rc_id, "bill_id": bill_id, "date": date, "desc": desc, "yea": yea,
            "nay": len(votes) - yea, "nv": 0, "absent": 0, "total": len(votes), "passed": int(yea > len(votes) - yea),
            "chamber": "H", "chamber_id": 1, "votes": votes}


def _bill(row) -> tuple[dict, list[dict]]:
    bill_id, number, title, desc, subjects, sponsors, history, progress, status, rolls = row
    body = number[0]
    calls = [_roll_call(bill_id, rc, date, d, no) for rc, date, d, no in rolls]
    bill = {
        "bill_id": bill_id, "change_hash": _hash(row), "session_id": KY_SESSION["session_id"],
        "session": {k: KY_SESSION[k] for k in ("session_id", "state_id", "year_start", "year_end", "prefile",
                                               "sine_die", "prior", "special", "session_tag", "session_title",
                                               "session_name")},
        "url": f"https://legiscan.com/KY/bill/{number}/2025",
        "state_link": f"https://apps.legislature.ky.gov/record/25rs/{number.lower()}.html",
        "completed": 0, "status": status, "status_date": progress[-1][0],
        "progress": [{"date": d, "event": e} for d, e in progress],
        "state": "KY", "state_id": KY_STATE_ID, "bill_number": number, "bill_type": "B", "bill_type_id": "1",
        "body": body, "body_id": 1 if body == "H" else 2, "current_body": history[-1][1],
        "current_body_id": 1 if history[-1][1] == "H" else 2, "title": title, "description": desc,
        "pending_committee_id": 0, "committee": [], "referrals": [],
        "history": [{"date": d, "action": a, "chamber": c, "chamber_id": 1 if c == "H" else 2, "importance": 1}
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
    """Query-routed LegiScan answers for Kentucky (`op` plus `state` or `id`)."""
    from scrapers.demo.sample import QueryRoute

    def route(answer: dict, **params) -> QueryRoute:
        return QueryRoute(LEGISCAN_DIR, tuple(sorted(params.items())), _json({"status": "OK", **answer}),
                          key_param="key")

    routes = [route({"sessions": [KY_SESSION]}, op="getSessionList", state="KY")]
    master = {"session": {k: KY_SESSION[k] for k in ("session_id", "session_name")}}
    for i, row in enumerate(KY_BILLS):
        bill, calls = _bill(row)
        master[str(i)] = {"bill_id": bill["bill_id"], "number": bill["bill_number"],
                          "change_hash": bill["change_hash"]}
        routes.append(route({"bill": bill}, op="getBill", id=str(bill["bill_id"])))
        routes += [route({"roll_call": c}, op="getRollCall", id=str(c["roll_call_id"])) for c in calls]
    routes.append(route({"masterlist": master}, op="getMasterListRaw", id=str(KY_SESSION["session_id"])))
    routes += [route({"person": p}, op="getPerson", id=str(pid)) for pid, p in _PEOPLE.items()]
    return routes


def state_sample(key: str) -> StateSample:
    return StateSample(routes=legiscan_routes(key))
