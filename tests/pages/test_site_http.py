"""The site's HTTP behaviour without a browser: languages, error pages, offline docs assets."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.i18n import COOKIE
from tracker.settings import Settings

HTML = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def client(demo_url, tmp_path):
    settings = Settings(database_url=demo_url, data_dir=tmp_path,
                        secret_key="test-secret-key-test-secret-key-123")
    app = create_app(settings)

    @app.get("/test-crash", include_in_schema=False)
    def crash():  # a page that fails, to see the 500 page
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_language_from_header_switch_and_cookie(client):
    en = client.get("/search", headers=HTML)
    assert '<html lang="en">' in en.text and "Search bills" in en.text
    assert "Accept-Language" in en.headers["vary"]
    es = client.get("/search", headers={**HTML, "accept-language": "es-MX,es;q=0.9"})
    assert '<html lang="es">' in es.text and "Buscar proyectos de ley" in es.text
    assert es.headers["content-language"] == "es"
    # The switch link sets a cookie; the next page keeps Spanish without the parameter.
    switched = client.get("/?lang=es", headers=HTML)
    assert switched.cookies.get(COOKIE) == "es"
    again = client.get("/bill/us-119-s410", headers=HTML)
    assert '<html lang="es">' in again.text and "Promulgado" in again.text
    back = client.get("/bill/us-119-s410?lang=en", headers=HTML)
    assert '<html lang="en">' in back.text and "Enacted" in back.text


def test_switch_link_keeps_the_query(client):
    page = client.get("/search?q=school&stage=in_committee", headers=HTML)
    assert 'href="/search?q=school&amp;stage=in_committee&amp;lang=es"' in page.text


def test_spanish_names_of_stages_chambers_and_jurisdictions(client):
    page = client.get("/bill/ca-20252026-ab412?lang=es", headers=HTML).text
    assert "California, sesión 20252026" in page
    assert "Asamblea" in page and "Aprobado en la primera cámara" in page


@pytest.mark.parametrize("lang, title", [("en", "Page not found"), ("es", "No encontramos esta página")])
def test_404_is_a_page_for_people(client, lang, title):
    r = client.get(f"/bill/us-119-hr99999?lang={lang}", headers=HTML)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert title in r.text and 'href="/"' in r.text and 'role="search"' in r.text
    unknown = client.get("/no/such/page", headers=HTML)
    assert unknown.status_code == 404 and "text/html" in unknown.headers["content-type"]


def test_404_stays_json_for_api_clients(client):
    r = client.get("/api/bills/us-119-hr99999", headers={"accept": "application/json"})
    assert r.status_code == 404 and r.json()["detail"]
    assert client.get("/no/such/thing").headers["content-type"].startswith("application/json")


def test_400_and_500_pages(client):
    bad = client.get("/c/demo-public-schools/scorecards/nope?lang=es", headers=HTML)
    assert bad.status_code in (400, 404) and "text/html" in bad.headers["content-type"]
    crash = client.get("/test-crash?lang=en", headers=HTML)
    assert crash.status_code == 500 and "Something went wrong on our side" in crash.text
    assert "boom" not in crash.text  # internals are logged, not shown
    assert client.get("/test-crash").status_code == 500


def test_docs_assets_come_from_this_server(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "/assets/docs/swagger-ui-bundle.js" in page.text
    js = client.get("/assets/docs/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    assert client.get("/assets/docs/swagger-ui.css").status_code == 200
    redoc = client.get("/redoc")
    assert "/assets/docs/redoc.standalone.js" in redoc.text and "fonts.googleapis" not in redoc.text
    assert client.get("/assets/site.css").status_code == 200
