"""Issue 18: Follow in one click (the sign-up page names what is followed), sign-up by search
with pages for answers, validation next to the field, Follow links on list pages, and the
preferences and unsubscribe pages in English and Spanish. Real BILLSTATUS bills and Open
States' California committees; a hand-made coalition."""
from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from tests.alerts.helpers import subscribe
from tests.people import real_data
from tracker.alerts.tokens import make_token
from tracker.db import get_engine
from tracker.models import Coalition, Subscriber, Subscription
from tracker.tagging.store import retag

HTML = {"accept": "text/html"}
CA_ASSEMBLY_EDUCATION = "ocd-organization/1849e837-f14f-473b-977a-311b2c5923ce"


@pytest.fixture
def client(alerts_env, monkeypatch):
    from api.app import create_app

    engine = get_engine(alerts_env)
    real_data.federal_bills(engine)
    real_data.load(engine, "openstates-people", "ca", "committees")
    retag(engine)
    with Session(engine) as s:
        s.add(Coalition(slug="edfund", name="Education Fund"))
        s.commit()
    with TestClient(create_app(), headers=HTML) as c:
        c.engine = engine
        yield c


def main(r) -> str:
    return re.sub(r"\s+", " ", re.search(r"(?s)<main[^>]*>(.*)</main>", r.text).group(1))


def test_follow_link_names_the_bill_with_one_email_field(client):
    r = client.get("/alerts/signup?target_type=bill&target=us-116-hr5177")
    assert r.status_code == 200
    page = main(r)
    assert "H.R. 5177: " in page and "us-116-hr5177" not in re.sub(r'value="[^"]*"', "", page)
    # One field to fill in; how often and which news wait under "More options".
    visible = re.sub(r"(?s)<details.*</details>", "", page)
    assert re.findall(r'<input (?![^>]*type="hidden")[^>]*>', visible) == [
        re.search(r'<input type="email"[^>]*>', visible).group(0)]
    assert "<summary>More options" in page and 'name="frequency"' in page


@pytest.mark.parametrize("target_type,target,name", [
    ("committee", CA_ASSEMBLY_EDUCATION, "Education"),
    ("committee", "Assembly Education Committee", "Education"),
    ("coalition", "edfund", "Education Fund"),
    ("issue_area", "charter-schools", None),
])
def test_follow_page_shows_names_not_keys(client, target_type, target, name):
    r = client.get("/alerts/signup", params={"target_type": target_type, "target": target})
    found = re.search(r'id="followed-name">([^<]+)<', r.text)
    assert found, main(r)[:500]
    assert found.group(1) != target
    if name:
        assert found.group(1) == name


def test_sign_up_by_search_lists_choices_by_name(client):
    r = client.get("/alerts/signup?target_type=bill&q=H.R.+5177")
    assert 'id="followed-name"' not in r.text  # a search never picks for the visitor
    links = re.findall(r'<li><a href="(/alerts/signup\?[^"]+)">([^<]+)</a>', r.text)
    assert links and links[0][1].startswith("H.R. 5177")
    chosen = client.get(links[0][0].replace("&amp;", "&"))
    assert 'id="followed-name">H.R. 5177' in chosen.text
    r = client.get("/alerts/signup?target_type=committee&q=Education")
    names = re.findall(r'<li><a href="[^"]+">([^<]+)</a> <span class="muted">([^<]+)</span>', r.text)
    assert ("Education", "California · Assembly") in names and ("Education", "California · Senate") in names


def test_nothing_that_does_not_exist_is_accepted(client):
    form = {"email": "ada@example.org", "target_type": "bill", "target": "not-a-bill"}
    r = client.post("/alerts/signup", data=form)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    error = re.search(r'<p class="error" id="target-error" role="alert">([^<]+)</p>', r.text)
    assert error and "nothing by that name" in error.group(1)
    assert 'aria-describedby="q-hint target-error"' in r.text  # tied to the field
    api = client.post("/alerts/signup", data=form, headers={"accept": "application/json"})
    assert api.status_code == 422 and api.json()["detail"]["field"] == "target"
    with Session(client.engine) as s:
        assert s.exec(select(Subscription)).all() == [] and s.exec(select(Subscriber)).all() == []


def test_a_committee_typed_by_name_is_stored_by_key(client, monkeypatch):
    from tests.alerts.conftest import use_smtp

    use_smtp(monkeypatch, "smtp://127.0.0.1:9")  # nobody listens: the answer is the same page
    r = client.post("/alerts/signup", data={"email": "ada@example.org", "target_type": "committee",
                                            "target": "Assembly Education Committee"})
    assert r.status_code == 202 and "Check your email" in r.text
    with Session(client.engine) as s:
        assert s.exec(select(Subscription.target)).all() == [CA_ASSEMBLY_EDUCATION]
        assert s.exec(select(Subscriber.lang)).all() == ["en"]


def test_follow_links_on_issue_area_coalition_and_search_pages(client):
    def follow(url):
        m = re.search(r'<p class="follow"><a class="button secondary" href="([^"]+)">([^<]+)</a>', client.get(url).text)
        return (html.unescape(m.group(1)), html.unescape(m.group(2))) if m else None

    assert follow("/search") is None  # nothing filtered, nothing to follow
    assert follow("/search?issue_area=charter-schools&sort=latest") == (
        "/alerts/signup?target_type=issue_area&target=charter-schools", "Follow Charter schools")
    assert follow("/c/edfund/") == ("/alerts/signup?target_type=coalition&target=edfund",
                                    "Follow Education Fund's positions")
    url, text = follow("/search?q=pensions&jurisdiction=us")
    assert text == "Follow this search" and url == "/alerts/signup?target_type=search&target=jurisdiction%3Dus%26q%3Dpensions"
    assert re.search(r'id="followed-name">“pensions”, [^<]+<', client.get(url).text)
    assert follow("/search?issue_area=charter-schools&lang=es")[1] == "Seguir Escuelas chárter"


@pytest.mark.parametrize("lang,words", [("en", ("Alert preferences for", "Unsubscribe")),
                                        ("es", ("Preferencias de alertas de", "Darme de baja"))])
def test_preferences_and_unsubscribe_pages_in_both_languages(client, alerts_env, lang, words):
    from tests.alerts.conftest import SECRET

    sid = subscribe(client.engine, "ada@example.org", "committee", "us-HSED")
    with Session(client.engine) as s:
        person = s.exec(select(Subscriber)).one()
    prefs = make_token(SECRET, "preferences", person.id, person.token_version)
    unsub = make_token(SECRET, "unsubscribe", person.id, person.token_version, sid)
    r = client.get(f"/alerts/preferences/{prefs}?lang={lang}")
    assert r.status_code == 200 and words[0] in r.text
    r = client.post(f"/alerts/preferences/{prefs}/lang", data={"email_lang": "es"})
    assert r.status_code == 200
    with Session(client.engine) as s:
        assert s.exec(select(Subscriber.lang)).one() == "es"
    page = client.get(f"/alerts/unsubscribe/{unsub}?lang={lang}")
    assert page.status_code == 200 and words[1] in page.text
    with Session(client.engine) as s:
        assert s.get(Subscription, sid).active  # a GET shows the question, nothing more
    assert client.get(f"/alerts/unsubscribe/x{unsub}?lang={lang}").status_code == 400
