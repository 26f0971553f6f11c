"""The home, search, coalitions, status and data-quality pages on the demo's data, without a
browser: what each shows in English and Spanish, and that the search filters work (issue 16)."""
from __future__ import annotations

import re
import socket
from html import unescape

import pytest

from tracker.ingest import Ingestor


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _options(html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}">(.*?)</select>', html, re.S).group(1)
    return [(v, unescape(re.sub(r"\s+", " ", label)).strip())
            for v, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)]


def _result_keys(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/bill/([^"]+)">', html)


def test_home_in_english(site):
    r = site.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    main = _main(r.text)
    assert "Education bills in Congress and the states" in main
    assert "U.S. Congress, California, Kentucky and New York" in main
    # The demo's newest action is May 30, 2025: the page says which week it shows and why.
    assert "May 24, 2025 to May 30, 2025: the newest week in the data" in main
    assert '<a href="/bill/us-119-s410">S. 410</a>' in main and "now Enacted" in main
    assert "Upcoming hearings" in main and "None scheduled." in main
    assert 'action="/search"' in main and 'name="q"' in main
    assert 'href="/c/demo-public-schools/"' in main
    assert 'href="/c/demo-public-schools/scorecards/congress-2025"' in main
    assert 'href="/coalitions"' in main and 'href="/alerts/signup"' in main
    assert 'href="/search?updated_since=2025-05-24&amp;sort=latest"' in main
    menu = re.search(r'<nav class="main"[^>]*>(.*?)</nav>', r.text, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', menu) == ["/", "/search", "/legislators", "/hearings", "/find", "/coalitions", "/alerts/signup"]


def test_home_in_spanish(site):
    main = _main(site.get("/", headers={"accept-language": "es"}).text)
    assert "Qué avanzó esta semana" in main
    assert "Del 24 de mayo de 2025 al 30 de mayo de 2025" in main
    assert "ahora: Promulgado" in main and "No hay ninguna programada" in main
    assert "Congreso de EE. UU., California, Kentucky y Nueva York" in main
    # The scorecard pages take their language from the address: the link carries it.
    assert 'href="/c/demo-public-schools/scorecards/congress-2025?lang=es"' in main


def test_home_lists_upcoming_hearings(site):
    from tracker.db import get_engine

    engine = get_engine(site.app.state.settings.effective_database_url)
    Ingestor(engine).ingest([{"type": "hearing", "key": "ca-asm-ed-2030-01-15", "jurisdiction": "ca",
                              "committee_name": "Assembly Education Committee", "start": "2030-01-15T18:00:00Z",
                              "location": "1021 O Street, Room 1100", "links": ["https://aedn.assembly.ca.gov/"],
                              "bills": [{"bill_key": "ca-20252026-ab412"}],
                              "source": {"format": "test", "url": "file:///test", "fetched_at": "2025-06-01T00:00:00Z"}}])
    main = _main(site.get("/").text)
    hearings = main.split("Upcoming hearings", 1)[1].split("<h2", 1)[0]
    assert "Jan 15, 2030, 10:00 (PST)" in hearings       # Sacramento time
    assert "Assembly Education Committee" in hearings and "1021 O Street" in hearings
    assert '<a href="/bill/ca-20252026-ab412">AB412</a>' in hearings
    assert 'href="https://aedn.assembly.ca.gov/"' in hearings and "None scheduled" not in hearings


def test_old_home_search_links_open_the_search_page(site):
    r = site.get("/?q=school&stage=in_committee", follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == "/search?q=school&stage=in_committee"


def test_search_filters_are_listed_and_named(site):
    html = site.get("/search").text
    areas = dict(_options(html, "issue_area"))
    assert len(areas) > 20 and areas["school-meals-health"] == "School meals and health"
    assert areas["charter-authorizing"] == "– Charter authorizing"          # a sub-area
    assert _options(html, "jurisdiction") == [("", "Any"), ("us", "U.S. Congress"), ("ca", "California"),
                                              ("ky", "Kentucky"), ("ny", "New York")]
    sessions = dict(_options(html, "session"))
    assert sessions["us:119"] == "119th Congress" and sessions["ky:2025"] == "2025 Regular Session"
    assert {v for v, _ in _options(html, "stage")} >= {"", "introduced", "enacted", "failed", "dead"}
    assert [v for v, _ in _options(html, "sort")] == ["relevance", "latest", "introduced", "key"]
    es = site.get("/search?lang=es").text
    assert dict(_options(es, "issue_area"))["school-meals-health"] == "Comidas escolares y salud"
    assert dict(_options(es, "jurisdiction"))["us"] == "Congreso de EE. UU."


@pytest.mark.parametrize("query, expected", [
    ("issue_area=school-meals-health", {"us-119-hr1340", "ny-2025-s3150", "ky-2025-hb120"}),
    ("jurisdiction=ca", {"ca-20252026-ab412", "ca-20252026-ab980", "ca-20252026-sb220"}),
    ("session=ky:2025&stage=dead", {"ky-2025-hb120", "ky-2025-hb215", "ky-2025-hb302", "ky-2025-sb41"}),
    ("session=ny:2025&q=charter", {"ny-2025-s4471"}),
    ("stage=failed", {"us-119-hr1822"}),
    ("sponsor=Lindqvist", {"us-119-hr1340", "us-119-hr1201"}),     # sponsor of one, cosponsor of the other
    ("committee=Agriculture", {"us-119-s702"}),
    ("q=school&jurisdiction=us&issue_area=charter-schools", {"us-119-hr1822"}),
])
def test_search_filters_work(site, query, expected):
    html = site.get(f"/search?{query}").text
    assert set(_result_keys(html)) == expected, query
    n = len(expected)
    assert (f"<p class=\"count\" id=\"count\">{n} bills</p>" if n > 1 else "1 bill</p>") in html


def test_search_keeps_the_choices_and_sorts(site):
    html = site.get("/search?jurisdiction=ky&session=ky:2025&issue_area=charter-schools&sort=key&sponsor=Whit").text
    for name, value in (("jurisdiction", "ky"), ("session", "ky:2025"), ("issue_area", "charter-schools"),
                        ("sort", "key")):
        assert re.search(rf'<select name="{name}">.*?<option value="{re.escape(value)}" selected', html, re.S), name
    assert "<details class=\"more\" open>" in html and 'name="sponsor" value="Whit"' in html
    keys = _result_keys(site.get("/search?jurisdiction=us&sort=key").text)
    assert keys == sorted(keys) and len(keys) == 8
    # An old link naming a bare session still filters, and says so in the select.
    old = site.get("/search?session=2025").text
    assert 'value="2025" selected>2025 (every jurisdiction)' in old
    assert {k.split("-")[0] for k in _result_keys(old)} == {"ky", "ny"}


def test_coalitions_directory(site):
    main = _main(site.get("/coalitions").text)
    assert "Public Schools Forward (demo)" in main and "A fictional coalition" in main
    assert 'href="/c/demo-public-schools/scorecards/congress-2025"' in main and "(U.S. Congress, 119)" in main
    assert "5 public positions" in main       # the sixth position is private
    assert "Coaliciones y sus calificaciones" in site.get("/coalitions?lang=es").text


def test_status_page_is_public_and_says_what_was_stored(site):
    html = site.get("/status").text
    main = _main(html)
    assert "demo-us_bills" in main and "8 new bills" in main and "No source is failing." in main
    assert "4 new roll calls" in main and "18 new legislators, 5 new committees" in main
    for private in (socket.gethostname(), "memusage", "downloader/", "pid"):
        assert private not in main, private
    es = _main(site.get("/status?lang=es").text)
    assert "nuevos: 8 proyectos de ley" in es and "correcto" in es


def test_quality_page(site):
    main = _main(site.get("/quality").text)
    assert main.index("U.S. Congress, 119") < main.index("California, 20252026")
    assert "Votes matched to a legislator" in main and "100.0 % (42 of 42)" in main
    only_ky = _main(site.get("/quality?session=ky:2025").text)
    assert "Kentucky, 2025" in only_ky and "U.S. Congress" not in only_ky.split("</form>", 1)[1]
    assert 'value="ky:2025" selected' in only_ky
    assert "Calidad de los datos" in site.get("/quality?lang=es").text


def test_alert_signup_is_a_page_in_both_languages(site):
    en = site.get("/alerts/signup?target_type=bill&target=us-119-hr1340").text
    assert "<h1>Get alerts</h1>" in en and 'value="us-119-hr1340"' in en and "weekly digest" in en
    es = site.get("/alerts/signup?target_type=bill&target=us-119-hr1340&lang=es").text
    assert "<h1>Recibir alertas</h1>" in es and "resumen semanal" in es and "Votación nominal" in es
    assert "Get alerts" not in es


def test_alert_signup_form_answers_a_page_to_a_browser(site):
    form = {"email": "reader@example.org", "target_type": "bill", "target": "us-119-hr1340",
            "frequency": "daily"}
    r = site.post("/alerts/signup", data=form)
    assert r.status_code == 202 and r.headers["content-type"].startswith("text/html")
    assert "Check your email" in r.text
    es = site.post("/alerts/signup?lang=es", data=dict(form, email="lector@example.org"))
    assert "Revise su correo" in es.text
    bad = site.post("/alerts/signup?lang=en", data=dict(form, email="not-an-address", timezone="Mars/Olympus"))
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("text/html")
    assert "the email address does not look right" in bad.text and 'value="not-an-address"' in bad.text
    # Programs still get JSON.
    api = site.post("/alerts/signup", data=dict(form, email="bot@example.org"), headers={"accept": "application/json"})
    assert api.status_code == 202 and api.json()["status"] == "accepted"
    wrong = site.post("/alerts/signup", data=dict(form, email="nope"), headers={"accept": "application/json"})
    assert wrong.status_code == 422 and wrong.json()["detail"]["field"] == "email"
