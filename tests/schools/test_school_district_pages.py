"""`/districts/{leaid}`, `/districts` and `/api/school-districts` over HTTP on real data."""
from __future__ import annotations

import pytest

from tests.pages.test_people_http import HTML, make_client
from tests.people import real_data
from tests.schools import data
from tracker.db import get_engine, upgrade


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("schools-http")
    url = f"sqlite:///{folder / 'edtracker.db'}"
    upgrade(url)
    engine = get_engine(url)
    data.load(engine, folder)
    engine.dispose()
    return url


@pytest.fixture
def client(url, tmp_path):
    with make_client(url, tmp_path, real_data.TODAY) as c:
        yield c


def test_district_page_shows_representatives_shares_public_grades_bills_and_the_caveat(client):
    page = client.get("/districts/2102990", headers=HTML)
    assert page.status_code == 200
    text = page.text
    assert "Jefferson County School District" in text and "2102990" in text
    assert "116th Congress" in text and "redrawn" in text
    assert "83.8 %" in text and "16.2 %" in text
    assert "/legislators/" + data.ky3_member() in text
    assert "Congress 2026 (public-card)" in text and "draft-card" not in text
    assert "HB 77" in text and "HB 78" not in text          # names Jefferson County; the other does not
    assert "Kentucky Senate" in text and "35" in text
    es = client.get("/districts/2102990?lang=es", headers=HTML)
    assert es.status_code == 200 and "116.º Congreso" in es.text and "83,8 %" in es.text
    assert 'lang="es"' in es.text


@pytest.mark.parametrize("leaid,lang,words", [("9999999", "en", "No school district with NCES id"),
                                               ("9999999", "es", "No hay ningún distrito escolar"),
                                               ("not-an-id", "en", "School district not found")])
def test_unknown_leaid_gets_a_clear_404_page(client, leaid, lang, words):
    page = client.get(f"/districts/{leaid}?lang={lang}", headers=HTML)
    assert page.status_code == 404 and words in page.text and 'href="/districts"' in page.text


def test_json_api(client):
    d = client.get("/api/school-districts/0622710").json()
    house = [r for r in d["representation"] if r["level"] == "us_house"]
    assert len(house) == 13 and all(len(r["members"]) == 1 for r in house)
    assert d["boundaries"] == ["cd116"]
    assert client.get("/api/school-districts/9999999").status_code == 404
    assert client.get("/api/school-districts/12").status_code == 422
    found = client.get("/api/school-districts", params={"q": "los angeles unified"}).json()
    assert "0622710" in [m["leaid"] for m in found["matches"]]
    assert client.get("/api/school-districts", params={"q": "0622710"}).json()["total"] == 1


def test_find_links_to_a_school_district_search(client):
    find = client.get("/find", headers=HTML).text
    assert 'action="/districts"' in find
    page = client.get("/districts", params={"q": "jefferson county", "state": "ky"}, headers=HTML)
    assert page.status_code == 200 and 'href="/districts/2102990"' in page.text
    assert client.get("/districts", params={"q": "x" * 150}, headers=HTML).status_code == 400
