"""Legislator and committee pages and their JSON over HTTP, on the demo's data: filters, pages,
bounds (4xx, never 5xx), 404 pages, redirects from other ids, the same answers as the API, and a
coalition's private position never shown."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api import deps
from api.app import create_app
from tracker.db import get_engine
from tracker.models import Legislator, Position
from tracker.settings import Settings

HTML = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
OKAFOR = "bioguide:Z900001"   # demo: House, CA-12, voted No on H.R. 1822 (the coalition opposes it)


def make_client(url, tmp_path, today=None, **settings):
    """A client of the app on `url`; `today` (a date inside dated test data) is the day the pages
    take as today, so that "current" members do not change with the calendar."""
    app = create_app(Settings(database_url=url, data_dir=tmp_path, secret_key="test-secret-key-test-secret-key-123",
                              **settings))
    if today is not None:
        app.dependency_overrides[deps.today] = lambda: today
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(demo_url, tmp_path):
    with make_client(demo_url, tmp_path) as c:
        yield c


def names(page: str) -> list[str]:
    return re.findall(r'<td><a href="/legislators/[^"]+">([^<]+)</a>', page)


def test_filters_by_jurisdiction_chamber_party_district_name(client):
    # The demo's seats end on fixed dates (2025 to 2027): former members are included so that
    # the answers do not change with today's date.
    everyone = client.get("/legislators?include_former=true", headers=HTML)
    assert everyone.status_code == 200 and "Maria Okafor" in names(everyone.text)
    ca = client.get("/legislators?jurisdiction=ca&include_former=true", headers=HTML).text
    assert set(names(ca)) == {"Adriana Solis-Kerr", "Benjamin Achterberg", "Kiyoko Watanabe", "Marcus Delacroix",
                              "Isidro Paredes", "Renata Voss"}
    assert "Assembly" in ca and ">California</option>" in ca           # chambers and jurisdictions named
    senate = client.get("/legislators?jurisdiction=us&chamber=upper&party=republican&include_former=true",
                        headers=HTML).text
    assert set(names(senate)) == {"James Oduya", "Samuel Greer", "Colin Hartwell"}
    assert names(client.get("/legislators?jurisdiction=us&district=CA-12&include_former=true",
                            headers=HTML).text) == ["Maria Okafor"]
    assert names(client.get("/legislators?name=okafor&include_former=true", headers=HTML).text) == ["Maria Okafor"]
    es = client.get("/legislators?jurisdiction=ca&include_former=true&lang=es", headers=HTML).text
    assert "Asamblea" in es and "Demócrata" in es and "Legisladores" in es


def test_current_members_by_default_former_on_request(client):
    # Kentucky's demo members served in the 2025 session only
    now = names(client.get("/legislators?jurisdiction=ky", headers=HTML).text)
    both = client.get("/legislators?jurisdiction=ky&include_former=true", headers=HTML).text
    assert now == [] and "Lorna Whitaker" in names(both) and "Former member" in both


def test_page_and_api_agree(client):
    for query in ("jurisdiction=ca&include_former=true", "jurisdiction=us&chamber=lower&include_former=true",
                  "party=democratic&include_former=true", "include_former=true", "jurisdiction=ky"):
        api = client.get(f"/api/legislators?{query}&limit=200").json()
        page = client.get(f"/legislators?{query}", headers=HTML).text
        assert names(page) == [i["name"] for i in api["items"]]
        assert f"{api['total']} legislators" in page


def test_pagination_keeps_the_filters(client):
    api = client.get("/api/legislators?include_former=true&limit=10&offset=10").json()
    assert api["total"] == 36 and len(api["items"]) == 10 and api["offset"] == 10
    first = client.get("/api/legislators?include_former=true&limit=10").json()["items"]
    assert not {i["key"] for i in first} & {i["key"] for i in api["items"]}


@pytest.mark.parametrize("path", [
    "/legislators?jurisdiction=zz", "/legislators?chamber=both", "/legislators?page=0", "/legislators?page=abc",
    "/legislators?page=100001", "/legislators?name=" + "x" * 101, "/legislators?district=" + "1" * 41,
    "/legislators/bioguide:Z900001?votes_page=0", "/committees?chamber=x", "/committees/us-HSED?bills_page=-1",
])
def test_bad_page_parameters_are_400_pages(client, path):
    r = client.get(path, headers=HTML)
    assert r.status_code == 400 and "text/html" in r.headers["content-type"]
    assert "Something in the address is wrong" in r.text


@pytest.mark.parametrize("path", [
    "/api/legislators?jurisdiction=zz", "/api/legislators?limit=0", "/api/legislators?limit=1001",
    "/api/legislators?offset=-1", "/api/legislators?offset=10000000", "/api/legislators?chamber=both",
    "/api/legislators?name=" + "x" * 101, "/api/legislators/bioguide:Z900001?votes_offset=-5",
    "/api/committees?jurisdiction=californ", "/api/committees?limit=0",
])
def test_bad_api_parameters_are_422_naming_the_parameter(client, path):
    r = client.get(path)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/json")
    detail = r.json()["detail"]
    wanted = path.split("?")[1].split("=")[0]
    assert wanted in str(detail)


def test_unknown_legislator_or_committee_is_the_site_404(client):
    for path in ("/legislators/bioguide:X999999?lang=en", "/legislators/nobody?lang=es", "/committees/us-NOPE?lang=en"):
        r = client.get(path, headers=HTML)
        assert r.status_code == 404 and "text/html" in r.headers["content-type"]
        assert ("No encontramos esta página" if "lang=es" in path else "Page not found") in r.text
        assert 'href="/"' in r.text
    api = client.get("/api/legislators/bioguide:X999999")
    assert api.status_code == 404 and api.json()["detail"]
    assert client.get("/api/committees/us-NOPE").status_code == 404


def test_other_ids_redirect_to_the_stable_key(client):
    r = client.get("/legislators/Z900001?lang=es", headers=HTML, follow_redirects=False)
    assert r.status_code == 301 and r.headers["location"] == f"/legislators/{OKAFOR}?lang=es"
    assert client.get("/legislators/govtrack:990001", headers=HTML, follow_redirects=False).headers["location"] \
        == f"/legislators/{OKAFOR}"
    c = client.get("/committees/HSED", headers=HTML, follow_redirects=False)
    assert c.status_code == 301 and c.headers["location"] == "/committees/us-HSED"
    assert client.get("/api/legislators/Z900001").json()["key"] == OKAFOR   # the API answers under any id


def test_legislator_page_shows_the_record(client):
    page = client.get(f"/legislators/{OKAFOR}", headers=HTML).text
    assert "Maria Okafor" in page and "California, district 12" in page
    assert 'href="/committees/us-HSED"' in page and "House Committee on Education and Workforce" in page
    assert 'href="/bill/us-119-hr1201"' in page and "Sponsor" in page           # sponsored
    assert 'href="/bill/us-119-s410"' in page                                    # voted
    assert 'href="/c/demo-public-schools/scorecards/congress-2025/legislators/bioguide:Z900001"' in page
    data = client.get(f"/api/legislators/{OKAFOR}").json()
    assert {v["bill"]["key"] for v in data["votes"]["items"]} == {"us-119-s410", "us-119-hr1822", "us-119-hr1201"}
    assert data["grades"][0]["grade"] and data["committees"][0]["key"] == "us-HSED"


def _set_public(url: str, bill_key: str, public: bool) -> None:
    engine = get_engine(url)
    with Session(engine) as db:
        pos = db.exec(select(Position).where(Position.bill_key == bill_key)).one()
        pos.public = public
        db.add(pos)
        db.commit()
    engine.dispose()


def test_a_private_position_never_shows_on_a_legislator_page(client, demo_url):
    def hr1822_positions():
        data = client.get(f"/api/legislators/{OKAFOR}").json()
        return next(v["positions"] for v in data["votes"]["items"] if v["bill"]["key"] == "us-119-hr1822")

    def row(page: str) -> str:
        return next(r for r in page.split("<tr>") if 'href="/bill/us-119-hr1822"' in r)

    assert [p["stance"] for p in hr1822_positions()] == ["oppose"]           # public: shown
    assert "Oppose" in row(client.get(f"/legislators/{OKAFOR}", headers=HTML).text)
    _set_public(demo_url, "us-119-hr1822", False)
    assert hr1822_positions() == []
    for lang, word in (("en", "Oppose"), ("es", "En contra")):
        page = client.get(f"/legislators/{OKAFOR}?lang={lang}", headers=HTML).text
        assert word not in row(page) and "/c/demo-public-schools/bills/us-119-hr1822" not in page


def test_photos_are_links_unless_remote_photos_is_on(demo_url, tmp_path):
    with make_client(demo_url, tmp_path) as c:
        page = c.get(f"/legislators/{OKAFOR}", headers=HTML).text
    assert "<img" not in page and 'href="https://theunitedstates.io/images/congress/original/Z900001.jpg"' in page
    with make_client(demo_url, tmp_path, remote_photos=True) as c:
        page = c.get(f"/legislators/{OKAFOR}", headers=HTML).text
    assert re.search(r'<img src="https://theunitedstates.io/[^"]+" alt="Photo of Maria Okafor"', page)


def test_unsafe_values_from_a_source_are_not_links(client, demo_url):
    engine = get_engine(demo_url)
    with Session(engine) as db:
        leg = db.exec(select(Legislator).where(Legislator.key == OKAFOR)).one()
        leg.name = "Maria <script>alert(1)</script> Okafor"
        leg.image = "javascript:alert(2)"
        leg.extras = {"contact": {"links": [{"url": "javascript:alert(3)", "note": "website"},
                                            {"url": "https://okafor.house.gov", "note": "website"}],
                                  "offices": [{"kind": "capitol", "voice": "202-225-0000"}]},
                      "email": "not an email"}
        db.add(leg)
        db.commit()
    engine.dispose()
    page = client.get(f"/legislators/{OKAFOR}", headers=HTML).text
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "javascript:" not in page and 'href="https://okafor.house.gov"' in page
    assert 'href="tel:2022250000"' in page and "mailto:" not in page


def test_committee_pages(client):
    listing = client.get("/committees?lang=es", headers=HTML).text
    assert "Comisiones" in listing and "Educación" in listing
    assert listing.index("Senate Committee on Health, Education") < listing.index("Senate Committee on Agriculture")
    page = client.get("/committees/us-HSED", headers=HTML).text
    assert 'href="/legislators/bioguide:Z900001"' in page and 'href="/bill/us-119-hr1822"' in page
    assert 'href="/committees/us-HSED14"' in page
    data = client.get("/api/committees/us-HSED").json()
    assert data["referred"]["total"] == 4 and len(data["member_list"]) == 6
    assert client.get("/api/committees?education=true").json()["total"] == 3


def test_menu_and_openapi(client):
    for lang, word in (("en", "Legislators"), ("es", "Legisladores")):
        assert f'<a href="/legislators">{word}</a>' in client.get(f"/?lang={lang}", headers=HTML).text
    spec = client.get("/openapi.json").json()
    for path in ("/api/legislators", "/api/legislators/{key}", "/api/committees", "/api/committees/{key}"):
        assert path in spec["paths"], path
    assert "LegislatorProfile" in spec["components"]["schemas"]
    assert not any(p.startswith(("/legislators", "/committees")) for p in spec["paths"])
