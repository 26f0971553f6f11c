"""`/find` and `/api/find` over HTTP on real data (congress-legislators, Open States California),
with the local Census Geocoder mirror: the address form posts, results link to legislators'
pages, and every way the geocoder can fail gets a clear answer (a page that says what to do,
503 / 429 in the API), never a 500. Access logs never show an address."""
from __future__ import annotations

import logging
import shutil

import pytest
import yaml

from api.routes.find import install_log_redaction, redact
from tests.districts import mirror
from tests.districts.mirror import GeocoderMirror, Silent
from tests.conftest import real_fixture
from tests.pages.test_people_http import HTML, make_client
from tests.people import real_data
from sqlmodel import Session, select

from tracker.db import get_engine, upgrade
from tracker.models import Coalition, Legislator
from tracker.scoring import service

ASHBY_FILE = "Angelique-V-Ashby"


def person_key(state: str, name_prefix: str) -> str:
    (path,) = list(real_fixture("openstates-people", state, "legislature").glob(f"{name_prefix}-*.yml"))
    return "ocd-person:" + yaml.safe_load(path.read_text())["id"]


@pytest.fixture(scope="module")
def census():
    with GeocoderMirror() as m:
        yield m


@pytest.fixture(scope="module")
def real_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("find-real")
    url = f"sqlite:///{folder / 'edtracker.db'}"
    upgrade(url)
    engine = get_engine(url)
    real_data.congress(engine)
    real_data.states(engine, "ca")
    with Session(engine) as db:     # Ashby's grades: one on a published scorecard, one on a draft
        ashby = db.exec(select(Legislator).where(Legislator.key == person_key("ca", ASHBY_FILE))).one()
        db.add(Coalition(slug="find-test", name="Find Test Coalition"))
        db.flush()
        for slug, publish in (("public-card", True), ("draft-card", False)):
            card = service.create_scorecard(db, coalition="find-test", slug=slug, jurisdiction="ca",
                                            title=f"Senate 2025 ({slug})", publish=publish)
            item = service.add_item(db, card, kind="manual", label="School meals", rationale="testimony on record")
            service.add_manual_entry(db, item, ashby.id, 1.0, "testified in committee")
        db.commit()
    engine.dispose()
    return url


@pytest.fixture
def client(real_url, census, tmp_path):
    with make_client(real_url, tmp_path, real_data.TODAY, geocoder_base_url=census.base_url, find_per_hour=0) as c:
        yield c


def test_empty_page_has_both_forms_and_the_privacy_note(client):
    page = client.get("/find", headers=HTML).text
    assert '<form class="find" method="post" action="/find">' in page and 'name="address"' in page
    assert "does not store it or write it to its logs" in page
    assert '<option value="ca" >California</option>' in page and ">Puerto Rico</option>" in page and ">Guam</option>" in page
    assert 'href="/find"' in page and 'aria-current="page"' in page                  # in the menu


def test_address_form_posts_and_lists_the_legislators(client):
    r = client.post("/find", data={"address": mirror.CA}, headers=HTML)
    assert r.status_code == 200
    page = r.text
    assert "Address found: 1315 10TH ST, SACRAMENTO, CA, 95814" in page
    assert "U.S. Senate" in page and "U.S. House of Representatives" in page and "California, district 7" in page
    assert "California Senate" in page and "California Assembly" in page and "Census name: Assembly District 7" in page
    ashby = person_key("ca", ASHBY_FILE)
    assert f'<a href="/legislators/{ashby}">Angelique Ashby</a>' in page and "Democratic" in page
    assert f'<a href="/c/find-test/scorecards/public-card/legislators/{ashby}">Find Test Coalition: ' \
           'Senate 2025 (public-card)</a> — Grade' in page
    assert "draft-card" not in page                                                   # not published
    assert 'value="1315 10th Street, Sacramento, CA 95814"' in page                   # to correct it
    assert '<option value="8" selected>8</option>' in page                           # the state form follows
    assert mirror.CA not in r.headers.get("location", "") and r.url.path == "/find"   # not in the URL


def test_spanish(client):
    page = client.post("/find?lang=es", data={"address": mirror.CA}, headers=HTML).text
    assert "Encuentre a sus legisladores" in page and "Senado de California" in page and "Asamblea de California" in page
    assert "Senado de EE. UU." in page and "Demócrata" in page


def test_state_and_district_without_address(client):
    page = client.get("/find?state=ca&district=7&upper=8&lower=7", headers=HTML).text
    assert "Angelique Ashby" in page and "Address found" not in page
    assert client.get("/find?state=ca", headers=HTML).text.count("<option value=") > 170    # districts to choose
    bad = client.get("/find?state=zz", headers=HTML)
    assert bad.status_code == 400 and "State: unknown state" in bad.text and 'name="address"' in bad.text


@pytest.mark.parametrize("address, says", [
    (mirror.NO_MATCH, "found no address matching what you typed"),
    (mirror.REJECTED, "could not read this address"),
    (mirror.SERVER_ERROR, "is not answering right now"),
    (mirror.NOT_JSON, "is not answering right now"),
    (mirror.CA_PARTIAL, "did not send all of its districts"),
])
def test_every_geocoder_answer_gets_a_clear_page(client, address, says):
    r = client.post("/find", data={"address": address}, headers=HTML)
    assert r.status_code == 200 and says in r.text and 'href="#by-district"' in r.text


def test_the_services_own_message_is_shown(client):
    r = client.post("/find", data={"address": mirror.REJECTED}, headers=HTML)
    assert "It said: Address cannot be empty and cannot exceed 100 characters" in r.text


def test_white_house_recording_shows_the_delegate(client):
    page = client.post("/find", data={"address": mirror.WHITE_HOUSE}, headers=HTML).text
    assert "did not send all of its districts" in page and "District of Columbia (at large)" in page
    assert "Delegate (non-voting)" in page and "U.S. Senate" not in page


def test_geocoder_down_or_silent(real_url, tmp_path):
    with Silent() as silent:
        with make_client(real_url, tmp_path, geocoder_base_url=silent.base_url, geocoder_timeout_seconds=0.5) as c:
            page = c.post("/find", data={"address": mirror.CA}, headers=HTML)
            api = c.get("/api/find", params={"address": mirror.CA})
        assert page.status_code == 200 and "is not answering right now" in page.text
        assert api.status_code == 503 and api.json()["status"] == "unavailable" and api.headers["retry-after"]
    with make_client(real_url, tmp_path, geocoder_base_url="http://127.0.0.1:9/geocoder") as c:
        assert "is not answering right now" in c.post("/find", data={"address": mirror.CA}, headers=HTML).text


def test_form_errors(client):
    empty = client.post("/find", data={"address": "  "}, headers=HTML)
    assert empty.status_code == 400 and "type a street address" in empty.text
    long = client.post("/find", data={"address": "1 " + "a" * 300}, headers=HTML)
    assert long.status_code == 400 and "at most 200 characters" in long.text


def test_api(client):
    ok = client.get("/api/find", params={"address": mirror.CA})
    body = ok.json()
    assert ok.status_code == 200 and body["status"] == "ok" and body["state"] == "ca"
    assert [s["level"] for s in body["seats"]] == ["us_senate", "us_house", "state_upper", "state_lower"]
    upper = body["seats"][2]
    assert upper["district"] == "8" and upper["members"][0]["key"] == person_key("ca", ASHBY_FILE)
    by_district = client.get("/api/find?state=ca&upper=8").json()
    assert by_district["source"] == "district" and by_district["seats"][-1]["members"] == upper["members"]
    assert client.get("/api/find", params={"address": mirror.REJECTED}).json()["status"] == "rejected"
    assert client.get("/api/find", params={"address": mirror.NO_MATCH}).json()["status"] == "no_match"
    for query in ("", "?state=zz", "?state=ca&district=abc", "?address=" + "a" * 201, "?state=ca&upper=%3Cb%3E"):
        assert client.get("/api/find" + query).status_code == 422, query


def test_api_throttled(real_url, census, tmp_path):
    fresh = tmp_path / "fresh.db"                 # no look-ups counted yet by the other tests
    shutil.copyfile(real_url.removeprefix("sqlite:///"), fresh)
    with make_client(f"sqlite:///{fresh}", tmp_path, geocoder_base_url=census.base_url, find_per_hour=1) as c:
        assert c.get("/api/find", params={"address": mirror.CA}).status_code == 200
        r = c.get("/api/find", params={"address": mirror.CA})
        assert r.status_code == 429 and r.json()["status"] == "throttled" and int(r.headers["retry-after"]) > 0
        page = c.post("/find", data={"address": mirror.CA}, headers=HTML)
        assert page.status_code == 200 and "too many address look-ups" in page.text
        assert c.get("/api/find?state=ca&upper=8").status_code == 200          # districts are not throttled


def test_access_log_never_shows_an_address(caplog):
    install_log_redaction()
    access = logging.getLogger("uvicorn.access")
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET",
                    "/api/find?state=ca&address=1315%2010th%20Street%2C%20Sacramento", "1.1", 200)
        access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/find?ADDRESS=42+Elm+St", "1.1", 200)
    assert "1315" not in caplog.text and "Elm" not in caplog.text and "address=[redacted]" in caplog.text
    assert "state=ca" in caplog.text
    assert redact("/api/find?address=1+Main&state=ca") == "/api/find?address=[redacted]&state=ca"


def test_access_log_never_shows_the_token_of_a_secret_link(caplog):
    """Confirmation, preferences, unsubscribe, feed, password reset and invitation links are
    credentials: the access log keeps the route, not the token."""
    install_log_redaction()
    access = logging.getLogger("uvicorn.access")
    secrets_ = {"/alerts/confirm/eyJzIjo1fQ.Zx1.sig-A_b": "/alerts/confirm/[redacted]",
                "/alerts/preferences/eyJzIjo2fQ.Zx2.sigB/lang": "/alerts/preferences/[redacted]/lang",
                "/alerts/unsubscribe/eyJzIjo3fQ.Zx3.sigC": "/alerts/unsubscribe/[redacted]",
                "/alerts/feeds/FeedTok_9x.atom": "/alerts/feeds/[redacted].atom",
                "/c/fair/staff/reset/ResetTok-123": "/c/fair/staff/reset/[redacted]",
                "/c/fair/staff/invite/InviteTok-456?lang=es": "/c/fair/staff/invite/[redacted]?lang=es"}
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        for path in secrets_:
            access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", path, "1.1", 200)
    for path, shown in secrets_.items():
        assert shown in caplog.text
    for token in ("Zx1", "sigB", "Zx3", "FeedTok", "ResetTok", "InviteTok"):
        assert token not in caplog.text, token
    assert redact("/c/fair/staff/people?lang=es") == "/c/fair/staff/people?lang=es"
