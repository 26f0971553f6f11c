"""The AGPL's LICENSE and source link, and LegiScan's credit (CC BY 4.0) wherever its data shows.

Real data: Mississippi's 2013 LegiScan dataset (bills, roll calls, people) is credited; federal
BILLSTATUS bills and the ESSA Senate roll calls are not. Every surface is checked both ways:
pages, embeds, badges, scorecard JSON / CSV / open format, bill API answers, Atom feeds, alert
emails (through a real SMTP server) and webhook payloads.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.alerts.conftest import SECRET, use_smtp
from tests.alerts.helpers import subscribe
from tests.alerts.mailserver import MailServer
from tests.conftest import ROOT, real_fixture
from tests.scoring import helpers as h
from tests.scoring import real_data
from tracker.db import get_engine
from tracker.models.base import utcnow
from tracker.settings import get_settings

SOURCE = "https://code.example.org/coalition/edtracker-fork"
LEGISCAN_BILL, FEDERAL_BILL = "ms-2013-hb369", "us-117-hr1"
MS_CARD, US_CARD = "/c/edfund/scorecards/ms-charter", "/c/edfund/scorecards/essa"
# sha256 of gnu.org's agpl-3.0.txt (the current text, with https links).
AGPL_SHA256 = "0d96a4ff68ad6d4b6f1f30f713b18d5184912ba8dd389f86aa7710db079abcb0"


@pytest.fixture
def mail():
    server = MailServer().start()
    yield server
    server.stop()


def _import(engine, *paths) -> None:
    """What `edtracker import` does with files and folders."""
    from scrapers.importer import iter_records, plan
    from tracker.ingest import Ingestor
    from tracker.people.matching import resolve_pending
    from tracker.db import session_scope

    report = Ingestor(engine).ingest(iter_records(plan(list(paths))), keep_results=False)
    assert report.counts.get("insert"), report.summary()
    with session_scope(engine) as session:
        resolve_pending(session)


@pytest.fixture
def site(app_env, monkeypatch):
    """LegiScan and non-LegiScan bills, a scorecard on each kind of roll call, and the app."""
    from api.app import create_app
    from tracker.scoring import service

    for k, v in {"EDTRACKER_SOURCE_URL": SOURCE, "EDTRACKER_SECRET_KEY": SECRET,
                 "EDTRACKER_PUBLIC_URL": "http://testserver", "EDTRACKER_ALERTS_SETTLE_SECONDS": "0"}.items():
        monkeypatch.setenv(k, v)
    get_settings.cache_clear()
    engine = get_engine(app_env)
    _import(engine, real_fixture("legiscan-ms-xml", "ms-2013"), real_fixture("billstatus", "v1-current"))
    h.ingest(engine, real_data.essa(["s243"]))
    h.coalition(engine, stances={LEGISCAN_BILL: "oppose", FEDERAL_BILL: "support"})
    with Session(engine) as db:
        ms = service.create_scorecard(db, coalition="edfund", slug="ms-charter", jurisdiction="ms",
                                      title="Charter schools 2013", chambers=["lower"], sessions=["2013"],
                                      publish=True)
        service.add_item(db, ms, kind="floor_vote", vote_event_key="ms-legiscan-221575")
        us = service.create_scorecard(db, coalition="edfund", slug="essa", jurisdiction="us",
                                      title="ESSA 2015", publish=True)
        service.add_item(db, us, kind="floor_vote", vote_event_key="us-senate-114-1-243", preferred="yes")
        db.commit()
    client = TestClient(create_app())
    yield client, engine
    get_settings.cache_clear()


def _legislator(client, card: str) -> str:
    coalition, slug = card.split("/")[2], card.split("/")[4]
    return client.get(f"/api/scorecards/{coalition}/{slug}").json()["rows"][0]["key"]


def _html_pages(client, card: str, bill: str) -> list[str]:
    leg = _legislator(client, card)
    return [f"/bill/{bill}", f"/c/edfund/bills/{bill}", f"/search?jurisdiction={bill[:2]}",
            card, f"{card}?lang=es", f"{card}/methodology", f"{card}/legislators/{leg}",
            f"/embed{card}", f"/embed{card}/legislators/{leg}"]


HTML = {"accept": "text/html"}  # a browser: /search answers API clients with JSON


def _credited_html(body: str) -> bool:
    return ('href="https://legiscan.com/"' in body and ">LegiScan</a>" in body
            and 'href="https://creativecommons.org/licenses/by/4.0/"' in body)


def _csv_credits(text: str) -> set[str]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and "data_credit" in rows[0]
    return {r["data_credit"] for r in rows}


# --- the source code -------------------------------------------------------------------------------

def test_license_is_the_gnu_agpl_v3_text():
    data = (ROOT / "LICENSE").read_bytes()
    assert data.startswith(b"                    GNU AFFERO GENERAL PUBLIC LICENSE\n"
                           b"                       Version 3, 19 November 2007\n")
    assert b"13. Remote Network Interaction; Use with the GNU General Public License." in data
    assert hashlib.sha256(data).hexdigest() == AGPL_SHA256, "LICENSE differs from the official AGPL v3 text"


def test_every_page_and_embed_links_to_the_configured_source(site):
    client, _ = site
    pages = ["/", "/alerts/signup", "/c/edfund/", "/c/edfund/staff/login",
             *_html_pages(client, MS_CARD, LEGISCAN_BILL), *_html_pages(client, US_CARD, FEDERAL_BILL)]
    for path in pages:
        r = client.get(path, headers=HTML)
        assert r.status_code == 200, path
        assert f'href="{SOURCE}"' in r.text, f"{path} has no link to the source code"
        assert "agpl-3.0" in r.text, f"{path} does not name the license"
    assert SOURCE in client.get("/openapi.json").json()["info"]["description"]


def test_the_source_link_defaults_to_the_project_repository(monkeypatch):
    from tracker.settings import Settings

    monkeypatch.delenv("EDTRACKER_SOURCE_URL", raising=False)
    assert Settings(_env_file=None).source_url == "https://github.com/edtracker/edtracker"


# --- LegiScan's credit ------------------------------------------------------------------------------

def test_legiscan_data_is_credited_on_every_surface(site):
    client, _ = site
    for path in _html_pages(client, MS_CARD, LEGISCAN_BILL) + ["/search?q=charter"]:
        r = client.get(path, headers=HTML)
        assert r.status_code == 200 and _credited_html(r.text), f"{path} shows LegiScan data without its credit"
    leg = _legislator(client, MS_CARD)
    badge = client.get(f"{MS_CARD}/badge.svg", params={"legislator": leg}).text
    assert "<desc>Contains data from LegiScan" in badge and "creativecommons.org/licenses/by/4.0" in badge

    def legiscan(answer) -> bool:
        return [c["source"] for c in answer["attribution"]] == ["LegiScan"] and \
            answer["attribution"][0]["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert legiscan(client.get(f"/bills/{LEGISCAN_BILL}").json())
    assert all(legiscan(i) for i in client.get("/bills", params={"jurisdiction": "ms"}).json()["items"])
    assert all(legiscan(i) for i in client.get("/search", params={"q": "charter"}).json()["items"])
    api = "/api/scorecards/edfund/ms-charter"
    assert legiscan(client.get(api).json())
    assert legiscan(client.get(f"{api}/export").json())
    assert legiscan(client.get(f"{api}/legislators/{leg}").json())
    for path in (f"{api}?format=csv", f"{api}/legislators/{leg}?format=csv"):
        [credit] = _csv_credits(client.get(path).text)
        assert credit.startswith("Contains data from LegiScan (https://legiscan.com/)") and "CC BY 4.0" in credit


def test_no_legiscan_credit_where_no_legiscan_data_shows(site):
    client, _ = site
    for path in ["/alerts/signup", *_html_pages(client, US_CARD, FEDERAL_BILL)]:
        r = client.get(path, headers=HTML)
        assert r.status_code == 200 and "legiscan" not in r.text.lower(), f"{path} credits LegiScan needlessly"
    leg = _legislator(client, US_CARD)
    assert "<desc>" not in client.get(f"{US_CARD}/badge.svg", params={"legislator": leg}).text
    assert client.get(f"/bills/{FEDERAL_BILL}").json()["attribution"] == []
    assert all(i["attribution"] == [] for i in client.get("/bills", params={"jurisdiction": "us"}).json()["items"])
    api = "/api/scorecards/edfund/essa"
    for path in (api, f"{api}/export", f"{api}/legislators/{leg}"):
        assert client.get(path).json()["attribution"] == [], path
    assert _csv_credits(client.get(f"{api}?format=csv").text) == {""}


def test_atom_feed_credits_the_entries_about_legiscan_bills(site):
    client, _ = site
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(client.get("/alerts/feeds/coalition/edfund.atom").content)
    entries = {e.find("a:link[@href]", ns).get("href").rsplit("/", 1)[-1]: e for e in feed.findall("a:entry", ns)
               if e.find("a:link[@href]", ns) is not None}
    assert LEGISCAN_BILL in entries and FEDERAL_BILL in entries, sorted(entries)
    assert "LegiScan" in feed.find("a:rights", ns).text
    ms_entry = entries[LEGISCAN_BILL]
    assert "LegiScan" in ms_entry.find("a:rights", ns).text
    assert ms_entry.find("a:link[@rel='license']", ns).get("href") == "https://creativecommons.org/licenses/by/4.0/"
    assert entries[FEDERAL_BILL].find("a:rights", ns) is None


def test_atom_feed_without_legiscan_data_has_no_credit(site):
    client, engine = site
    from tracker.models import IssueArea

    with Session(engine) as db:  # an issue area none of the bills is tagged with: an empty feed
        db.add(IssueArea(slug="no-bills-here", name="Nothing", position=999))
        db.commit()
    body = client.get("/alerts/feeds/issue-area/no-bills-here.atom").text
    assert "<feed" in body and "LegiScan" not in body


def test_alert_emails_and_webhook_payloads_credit_legiscan_bills_only(site, mail, monkeypatch):
    from tracker.alerts import dispatch, jobs

    _, engine = site
    use_smtp(monkeypatch, mail.url)
    subscribe(engine, "ms@example.org", "bill", LEGISCAN_BILL, cursor=0)
    subscribe(engine, "us@example.org", "bill", FEDERAL_BILL, cursor=0)
    out = jobs.dispatch(now=utcnow() + dt.timedelta(minutes=1))
    assert out["sent"] >= 2, out
    ms_mails, us_mails = mail.inbox.to("ms@example.org"), mail.inbox.to("us@example.org")
    assert ms_mails and us_mails
    for msg in ms_mails:
        text, html = (msg.get_body((k,)).get_content() for k in ("plain", "html"))
        assert "Contains data from LegiScan (https://legiscan.com/), licensed under CC BY 4.0" in text
        assert 'href="https://legiscan.com/"' in html and 'href="https://creativecommons.org/licenses/by/4.0/"' in html
    assert not [m for m in us_mails if "legiscan" in m.as_string().lower()]

    from tracker.models import Delivery
    from sqlmodel import select

    with Session(engine) as db:
        ids = list(db.exec(select(Delivery.id)))
    payloads = {job.subscription.target: dispatch.webhook_payload(get_settings(), job)
                for job in dispatch._load(engine, ids)}
    assert [c["source"] for c in payloads[LEGISCAN_BILL]["attribution"]] == ["LegiScan"]
    assert payloads[FEDERAL_BILL]["attribution"] == []
