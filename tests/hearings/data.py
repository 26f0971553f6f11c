"""Hearings for the tests: the NY Senate's real committee agendas (2017, and one of 2008), the
real Open States committees of California, New York and Kentucky, and Open States events built
from the API's documented format (docs/sources.md; `tests/data/openstates/api/event_ca.json`)
read by the real parser, with a few hand-made California bills for their agendas."""
from __future__ import annotations

import copy
import datetime as dt
import json

from scrapers.formats.openstates_api import parse_page
from tests.conftest import ROOT
from tests.people import real_data
from tracker.contract import RecordError
from tracker.tagging.store import retag

SRC = {"format": "test-hand-made", "url": "tests/hearings/data.py", "fetched_at": "2025-04-01T12:00:00Z"}
EVENT = json.loads((ROOT / "tests/data/openstates/api/event_ca.json").read_text())
# "Now" of these tests: noon in Sacramento on the day of the Assembly Education hearing.
NOW = dt.datetime(2025, 4, 9, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
CA_ASSEMBLY_EDUCATION = "ocd-organization/1849e837-f14f-473b-977a-311b2c5923ce"
CA_SENATE_EDUCATION = "ocd-organization/97bac2d6-cbad-4ed7-859e-583b6280bdb5"
NY_SENATE_EDUCATION = "ocd-organization/10fa0cbf-77bc-4960-a89f-331a0768506c"


def event(uid: str, start: str, committee: str, bills: list[str], **changes) -> dict:
    """An Open States v3 event like the documented sample, with another id, time, host and agenda."""
    e = copy.deepcopy(EVENT)
    e.update({"id": f"ocd-event/{uid}", "start_date": start, "status": "confirmed",
              "participants": [{"name": committee, "entity_type": "organization", "note": "host"}],
              "agenda": [{"description": b, "order": i + 1,
                          "related_entities": [{"name": b, "entity_type": "bill", "bill": {"identifier": b}}]}
                         for i, b in enumerate(bills)]})
    e.update(changes)
    return e


EVENTS = [
    EVENT,                                                     # Assembly Education, 13:30 on 2025-04-09 (held)
    event("a1", "2025-04-09T08:00:00-07:00", "Appropriations", ["AB 100"], name="Assembly Appropriations",
          description="Assembly Standing Committee on Appropriations"),   # earlier today, an education bill
    event("a2", "2025-04-09T23:30:00-07:00", "Transportation", ["AB 900"], name="Assembly Transportation",
          description="Assembly Standing Committee on Transportation"),   # late: 06:30 UTC the next day
    event("a3", "2025-04-15T09:00:00-07:00", "Education", ["SB 12"], name="Senate Education Committee",
          description="Senate Standing Committee on Education"),
    event("a4", "2025-04-16T09:00:00-07:00", "Education", [], name="Education hearing", description="",
          status="cancelled"),                                             # which chamber? none says
    event("a5", "2025-04-08T09:00:00-07:00", "Education", ["AB 7"], name="Assembly Education Committee",
          description="Assembly Standing Committee on Education"),          # yesterday
    event("k1", "2025-04-10T10:00:00-04:00", "Education", [], name="Interim Joint Committee on Education",
          description="Kentucky General Assembly", jurisdiction={"id": "ocd-jurisdiction/country:us/state:ky/government"}),
]


def bill(identifier: str, title: str) -> dict:
    return {"type": "bill", "jurisdiction": "ca", "session": "20252026", "identifier": identifier, "title": title,
            "actions": [{"date": "2025-01-10", "description": "Introduced. Read first time.", "actor": "lower",
                         "classification": ["introduction"]}], "source": SRC}


BILLS = [bill("AB 100", "Pupil instruction: charter schools: teacher credentialing"),
         bill("AB 900", "Vehicles: electric bicycles: helmets"),
         bill("SB 12", "School finance: local control funding formula: supplemental grants")]


def hearing_records() -> list:
    # The spider passes the session it found current (California's 2025-2026 session).
    items, _ = parse_page(json.dumps({"results": EVENTS, "pagination": {}}).encode(), "https://v3.openstates.org/events",
                          "events", "20252026")
    assert not [i for i in items if isinstance(i, RecordError)], items
    return items


def load(engine) -> None:
    real_data.ny_senate_hearings(engine)
    for state in ("ca", "ny", "ky"):
        real_data.load(engine, "openstates-people", state, "committees")
    real_data.hand(engine, BILLS)
    retag(engine)
    real_data.hand(engine, hearing_records())
