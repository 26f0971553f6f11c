"""The public scorecard pages inside the site (issue 16), on both databases: the site's header,
menu, language switch and footer on the table, legislator and methodology pages; embeds stay
bare; ETag / Vary / 304 hold per language; the switch's cookie; the coalition's scorecards page
and menu link; HTML error pages with a way back on scorecard and embed addresses, in English
and Spanish."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.scoring import helpers as h
from tracker.db import get_engine
from tracker.settings import get_settings

BASE = "/c/edfund/scorecards/house-2025"
HTML = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PAGES = [BASE, f"{BASE}/methodology", f"{BASE}/legislators/bioguide:A000001"]


@pytest.fixture
def client(app_env):
    h.published_house(get_engine(app_env), embed_origins=["https://partner.example"])
    with TestClient(create_app(get_settings()), headers=HTML) as c:
        yield c


@pytest.mark.parametrize("path", PAGES)
def test_scorecard_pages_show_the_sites_layout(client, path):
    page = client.get(path).text
    assert '<header class="site">' in page and '<nav class="main"' in page
    for link in ('href="/"', 'href="/search"', 'href="/legislators"', 'href="/find"', 'href="/coalitions"'):
        assert link in page, link                                           # the site's menu
    assert '<footer class="site">' in page and 'href="/status"' in page      # the site's footer
    assert f'href="{path}?lang=es" lang="es" hreflang="es">Español</a>' in page
    assert '<nav class="on-page scorecard-nav"' in page and 'href="/c/edfund/scorecards"' in page
    assert "/static/scorecards/frame.js" not in page and "/assets/site.css" in page
    es = client.get(path, params={"lang": "es"}).text
    assert '<html lang="es">' in es and ">Inicio</a>" in es and ">Calificación legislativa</a>" in es


def test_party_and_chamber_names_follow_the_language(client):
    page = client.get(BASE, params={"lang": "es"}).text
    assert "<td>Demócrata</td><td>Cámara de Representantes</td>" in page
    assert ">Democratic</option>" not in page and ">Demócrata</option>" in page
    embed = client.get(f"/embed{BASE}", params={"lang": "es"}).text
    assert "<td>Demócrata</td>" in embed


@pytest.mark.parametrize("path", [f"/embed{BASE}", f"/embed{BASE}/legislators/bioguide:A000001"])
def test_embeds_stay_bare(client, path):
    r = client.get(path)
    assert r.status_code == 200
    assert '<nav class="main"' not in r.text and '<header class="site">' not in r.text
    assert "/static/scorecards/frame.js" in r.text and "/assets/site.css" not in r.text
    assert "frame-ancestors 'self' https://partner.example" in r.headers["content-security-policy"]
    assert "x-frame-options" not in r.headers
    assert "set-cookie" not in client.get(path, params={"lang": "es"}).headers    # embeds set no cookie


def test_etag_vary_and_the_language_cookie(client):
    en = client.get(BASE)
    assert en.headers["content-language"] == "en" and "Accept-Language" in en.headers["vary"]
    assert "Cookie" in en.headers["vary"] and en.headers["cache-control"].startswith("public")
    again = client.get(BASE, headers={"if-none-match": en.headers["etag"]})
    assert again.status_code == 304
    by_header = client.get(BASE, headers={"accept-language": "es-MX,es;q=0.9"})
    assert by_header.headers["etag"] != en.headers["etag"] and '<html lang="es">' in by_header.text
    # The switch: ?lang=es sets the cookie (that answer is private); the next page keeps Spanish.
    switched = client.get(BASE, params={"lang": "es"})
    assert "edtracker_lang=es" in switched.headers["set-cookie"]
    assert switched.headers["cache-control"].startswith("private")
    nxt = client.get(f"{BASE}/methodology")
    assert '<html lang="es">' in nxt.text and nxt.headers["content-language"] == "es"
    assert "set-cookie" not in nxt.headers
    client.cookies.clear()
    assert '<html lang="en">' in client.get(f"{BASE}/methodology").text


def test_the_coalitions_scorecards_page_and_menu_link(client):
    index = client.get("/c/edfund/scorecards")
    assert index.status_code == 200 and "text/html" in index.headers["content-type"]
    assert f'href="{BASE}"' in index.text and f'href="{BASE}/methodology"' in index.text
    assert 'aria-current="page"' in index.text
    home = client.get("/c/edfund/").text
    assert 'href="/c/edfund/scorecards"' in home                      # in the coalition's menu
    es = client.get("/c/edfund/scorecards", params={"lang": "es"}).text
    assert "Calificaciones de" in es
    assert client.get("/c/nobody/scorecards").status_code == 404


@pytest.mark.parametrize("lang, title, back", [
    ("en", "Page not found", "This coalition&#39;s scorecards"),
    ("es", "No encontramos esta página", "Calificaciones de esta coalición"),
])
@pytest.mark.parametrize("path", [f"{BASE}x", f"{BASE}/legislators/bioguide:Z999999", f"{BASE}x/methodology"])
def test_scorecard_404_pages_have_a_way_back(client, lang, title, back, path):
    r = client.get(path, params={"lang": lang})
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert f'<html lang="{lang}">' in r.text and title in r.text and back in r.text
    for href in ('href="/"', 'href="/c/edfund/scorecards"', 'href="/c/edfund/"', 'href="/coalitions"'):
        assert href in r.text, href
    assert '<nav class="main"' in r.text and "x-frame-options" in r.headers
    # API clients keep JSON
    assert client.get(path, headers={"accept": "application/json"}).json()["detail"]


@pytest.mark.parametrize("lang, title", [("en", "Page not found"), ("es", "No encontramos esta página")])
@pytest.mark.parametrize("path", [f"/embed{BASE}x", f"/embed{BASE}/legislators/bioguide:Z999999"])
def test_embed_404_is_bare_framable_and_leads_out(client, lang, title, path):
    r = client.get(path, params={"lang": lang})
    assert r.status_code == 404 and f'<html lang="{lang}">' in r.text and title in r.text
    assert '<nav class="main"' not in r.text and "/static/scorecards/scorecard.css" in r.text
    assert 'href="/c/edfund/scorecards" target="_top"' in r.text and 'href="/" target="_top"' in r.text
    assert "frame-ancestors *" in r.headers["content-security-policy"] and "x-frame-options" not in r.headers
    assert "script-src" not in r.headers["content-security-policy"]          # default-src 'none': no scripts
    assert "Z999999" not in r.text                                           # no echo of the address


def test_a_500_on_a_scorecard_page_is_a_page_with_a_way_back(app_env):
    h.published_house(get_engine(app_env))
    app = create_app(get_settings())

    @app.get("/c/{coalition}/scorecards/{slug}/crash", include_in_schema=False)
    def crash(coalition: str, slug: str):
        raise RuntimeError("boom")

    with TestClient(app, headers=HTML, raise_server_exceptions=False) as c:
        for lang, title in (("en", "Something went wrong on our side"), ("es", "Algo falló de nuestro lado")):
            r = c.get(f"{BASE}/crash", params={"lang": lang})
            assert r.status_code == 500 and title in r.text and 'href="/c/edfund/scorecards"' in r.text
            assert "boom" not in r.text
