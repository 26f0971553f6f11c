"""Hand-made contract records for tests of the core (real-data tests live beside each parser)."""
from __future__ import annotations

import copy
import datetime as dt

# The day these records are current on: the 119th Congress (2025-01-03 to 2027-01-03) sits and the
# legislators' terms run. Tests that derive a bill's stage or who is current from "today" pass it.
TODAY = dt.date(2025, 12, 1)
SRC = {"format": "test", "url": "file:///tests/factories.py", "fetched_at": "2025-03-01T12:00:00Z"}


def legislator(bioguide="D000001", name="Jane Doe", **kw) -> dict:
    rec = {"type": "legislator", "name": name, "family_name": name.split()[-1],
           "ids": {"bioguide": bioguide, "fec": [f"H0{bioguide}", f"H2{bioguide}"]},
           "party": "Democrat",
           "roles": [{"jurisdiction": "us", "chamber": "lower", "district": "12", "party": "Democrat",
                      "start_date": "2025-01-03", "end_date": "2027-01-03"}],
           "source": SRC}
    rec.update(kw)
    return rec


def bill(number=5, session="119", **kw) -> dict:
    rec = {
        "type": "bill", "jurisdiction": "us", "session": session, "identifier": f"H.R. {number}",
        "title": f"Community Schools Act of 2025 ({number})",
        "summary": "Establishes grants for full-service community schools.",
        "subjects": ["Education", "Elementary and secondary education"],
        "policy_area": "Education",
        "actions": [
            {"date": "2025-01-05", "description": "Introduced in House", "actor": "lower",
             "classification": ["introduction"], "code": "Intro-H"},
            {"date": "2025-01-05", "description": "Referred to the Committee on Education and Workforce.",
             "actor": "lower", "committee": "Education and Workforce",
             "classification": ["referral-committee"], "code": "H11100"},
            {"date": "2025-03-05", "description": "Passed House by recorded vote: 220 - 210 (Roll no. 17).",
             "actor": "lower", "classification": ["passage"], "code": "H37300"},
        ],
        "sponsorships": [
            {"name": "Rep. Doe, Jane [D-CA-12]", "ids": {"bioguide": "D000001"}, "primary": True,
             "classification": "primary"},
            {"name": "Rep. Roe, Rick [R-TX-3]", "ids": {"bioguide": "R000002"},
             "classification": "cosponsor", "original": True, "date": "2025-01-05"},
        ],
        "versions": [{"note": "Introduced in House", "date": "2025-01-05",
                      "url": "https://www.congress.gov/119/bills/hr5/BILLS-119hr5ih.xml"}],
        "source": SRC,
    }
    rec.update(kw)
    return rec


def vote(bill_key="us-119-hr5", **kw) -> dict:
    rec = {"type": "vote_event", "key": "us-house-2025-17", "jurisdiction": "us", "session": "119",
           "bill_key": bill_key, "chamber": "lower", "date": "2025-03-05", "roll_number": "17",
           "motion_text": "On Passage", "motion_classification": ["passage"], "result": "pass",
           "counts": {"yes": 1, "no": 1},
           "votes": [{"voter_name": "Doe", "ids": {"bioguide": "D000001"}, "option": "yes", "raw_option": "Yea"},
                     {"voter_name": "Roe", "ids": {"bioguide": "R000002"}, "option": "no", "raw_option": "Nay"}],
           "source": SRC}
    rec.update(kw)
    return rec


def batch() -> list[dict]:
    return [legislator(), legislator("R000002", "Rick Roe", party="Republican"), bill(), bill(6), vote()]


def clone(obj):
    return copy.deepcopy(obj)
