"""`/hearings`, `/hearings.ics` and `/api/hearings` over HTTP: on the demo's data (two NY Senate
committee agendas of 2025, one not on education) and on real and documented-format data (NY
Senate agendas, Open States events and committees). One list behind the page, the feed and the
JSON; bounded parameters answer 400 pages and 422s, never a 500."""
from __future__ import annotations

import re

import icalendar
import pytest
from sqlmodel import Session, select

from api.i18n.format import stage_label
from tests.hearings import data
from tests.pages.test_people_http import HTML, make_client
from tracker.db import get_engine, upgrade
from tracker.models import Bill

EDUCATION = "ny-2025-agenda9-education"
FINANCE = "ny-2025-agenda16-finance"
HEALTH = "ny-2025-agenda16-health"


@pytest.fixture
def client(demo_url, tmp_path):
    with make_client(demo_url, tmp_path) as c:
        yield c


@pytest.fixture
def agenda(demo_url) -> dict[str, str]:
    """The stages of the education agenda's bills as the demo stored them: S3150 passed the Senate
    in 2025, S4471 is in committee (the demo imports as of a day of its sample, EDTRACKER_AS_OF,
    so they stay so after NY's 2025-2026 session has ended)."""
    with Session(get_engine(demo_url)) as db:
        stages = dict(db.exec(select(Bill.identifier, Bill.stage).where(Bill.key.in_(["ny-2025-s3150",
                                                                                      "ny-2025-s4471"]))).all())
    assert stages == {"S3150": "passed_origin", "S4471": "in_committee"}
    return stages


def test_demo_upcoming_is_empty_and_points_to_past_hearings(client):
    page = client.get("/hearings", headers=HTML)
    assert page.status_code == 200 and "No upcoming hearings match." in page.text
    assert 'href="/hearings?when=past"' in page.text and 'aria-current="page"' in page.text
    assert 'href="/hearings"' in client.get("/legislators", headers=HTML).text          # in the menu


def test_demo_past_education_hearings_with_agenda_bills(client, agenda):
    page = client.get("/hearings?when=past", headers=HTML).text
    assert "2 hearings" in page
    # newest first, under their day, at Albany's time
    assert page.index("Tuesday, April 29, 2025") < page.index("Tuesday, March 11, 2025")
    assert "11:00 EDT" in page and "10:00 EDT" in page and "Room 124 CAP" in page
    assert page.count('<a href="/bill/ny-2025-s3150">S3150</a>') == 2 and '<a href="/bill/ny-2025-s4471">' in page
    assert stage_label(agenda["S3150"], "en") in page and stage_label(agenda["S4471"], "en") in page
    assert "1 more on the agenda, not in edtracker: S5120" in page
    assert "Health" not in page                                     # not an education hearing
    everything = client.get("/hearings?when=past&scope=all", headers=HTML).text
    assert "3 hearings" in everything and "Health" in everything and "S1001" in everything


def test_demo_spanish(client, agenda):
    page = client.get("/hearings?when=past&lang=es", headers=HTML).text
    assert "Audiencias" in page and "martes, 11 de marzo de 2025" in page and stage_label(agenda["S3150"], "es") in page
    assert "Nueva York · Senado" in page


def test_page_feed_and_json_share_the_list(client, agenda):
    page = client.get("/hearings?when=past&scope=all", headers=HTML).text
    api = client.get("/api/hearings?when=past&scope=all").json()
    assert [h["key"] for h in api["items"]] == [HEALTH, FINANCE, EDUCATION] and api["total"] == 3
    assert len(re.findall(r"<h3><time", page)) == 3
    edu = api["items"][-1]
    assert edu["local_start"] == "2025-03-11T10:00:00-04:00" and edu["start"].startswith("2025-03-11T14:00:00")
    assert edu["timezone"] == "America/New_York" and edu["chamber"] == "upper" and edu["education"]
    assert [(b["identifier"], b["stored"], b["stage"]) for b in edu["bills"]] == [
        ("S3150", True, agenda["S3150"]), ("S4471", True, agenda["S4471"])]
    feed = client.get("/hearings.ics?when=past&scope=all")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(feed.text)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"{k}@edtracker" for k in (HEALTH, FINANCE, EDUCATION)}
    ev = events[f"{EDUCATION}@edtracker"]
    assert ev.decoded("DTSTART").isoformat() == "2025-03-11T14:00:00+00:00"
    assert str(ev["SUMMARY"]) == "Education (New York): S3150, S4471" and str(ev["LOCATION"]) == "Room 124 CAP"
    assert "/bill/ny-2025-s3150" in str(ev["DESCRIPTION"]) and stage_label(agenda["S3150"], "en") in str(ev["DESCRIPTION"])
    assert 'href="/hearings.ics?when=past&amp;scope=all"' in page     # the page links its own feed


def test_default_feed_is_a_valid_calendar(client):
    feed = client.get("/hearings.ics")
    cal = icalendar.Calendar.from_ical(feed.text)
    assert str(cal["VERSION"]) == "2.0" and cal.walk("VEVENT") == []   # nothing upcoming or in the last month


@pytest.mark.parametrize("path, status, says", [
    ("/hearings?from=2025-02-30", 400, "from"), ("/hearings?to=soon", 400, "to"),
    ("/hearings?from=2025-05-01&to=2025-04-01", 400, "before"), ("/hearings?jurisdiction=zz", 400, "jurisdiction"),
    ("/hearings?when=someday", 400, "when"), ("/hearings?page=0", 400, "page"),
    ("/hearings?committee=" + "x" * 300, 400, "committee"),
])
def test_bad_page_parameters_are_400_pages(client, path, status, says):
    r = client.get(path, headers=HTML)
    assert r.status_code == status and r.headers["content-type"].startswith("text/html") and says in r.text


@pytest.mark.parametrize("query", ["limit=0", "limit=100000", "offset=-1", "from=2025-13-01", "when=bogus",
                                   "scope=some", "jurisdiction=zzzzzzzzzz", "chamber=both",
                                   "from=2025-05-01&to=2025-04-01", "from=0001-01-01"])
def test_bad_api_parameters_are_422(client, query):
    r = client.get(f"/api/hearings?{query}")
    assert r.status_code == 422, (query, r.text)
    if not query.startswith(("limit", "offset")):               # the feed has no pages
        assert client.get(f"/hearings.ics?{query}").status_code == 422


def test_openapi_documents_the_json_not_the_pages(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/hearings" in paths and "/api/find" in paths
    assert "/hearings" not in paths and "/hearings.ics" not in paths and "/find" not in paths
    params = {p["name"] for p in paths["/api/hearings"]["get"]["parameters"]}
    assert {"jurisdiction", "chamber", "committee", "from", "to", "when", "scope", "limit", "offset"} <= params


@pytest.fixture(scope="module")
def real_client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hearings-real")
    url = f"sqlite:///{folder / 'edtracker.db'}"
    upgrade(url)
    engine = get_engine(url)
    data.load(engine)
    engine.dispose()
    with make_client(url, folder) as c:
        yield c


def test_real_committees_linked_and_days_in_local_time(real_client):
    page = real_client.get("/hearings?from=2025-04-09&to=2025-04-09&scope=all", headers=HTML).text
    # 23:30 in Sacramento is the next day in UTC, and still April 9 on the page
    assert "Wednesday, April 9, 2025" in page and "Thursday, April 10, 2025" not in page
    assert "23:30 PDT" in page and "13:30 PDT" in page and "08:00 PDT" in page
    assert f'<a href="/committees/{data.CA_ASSEMBLY_EDUCATION}">Education</a>' in page
    assert "Held" in page                                             # the documented sample's status
    labor = real_client.get("/hearings?jurisdiction=ny&when=past&scope=all&committee=ny-upper-labor", headers=HTML).text
    assert "1 hearing" in labor and '<a href="/committees/ny-upper-labor">Labor</a>' in labor
    assert "12:00 EST" in labor and "Mario Cilento" in labor
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', labor)
    assert ("ny-upper-labor", "Labor (New York, Senate)") in options


def test_real_filters_by_chamber_and_jurisdiction(real_client):
    upper = real_client.get("/api/hearings?chamber=upper&when=all&scope=all&jurisdiction=ca").json()
    assert [h["key"] for h in upper["items"]] == ["ocd-event/a3"]
    ky = real_client.get("/api/hearings?jurisdiction=ky&when=all").json()
    assert [h["key"] for h in ky["items"]] == ["ocd-event/k1"] and ky["items"][0]["local_start"].endswith("-04:00")
