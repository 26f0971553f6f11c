"""Issue 18: emails people can use. Received by a real SMTP server (aiosmtpd): the RFC 8058
headers exactly as written on the wire, HTML and plain text with bill titles and stages, links to
pages under the public URL, hearings as an iCalendar attachment, the subscriber's language; the
HTML part rendered in Chromium and checked by axe."""
from __future__ import annotations

import datetime as dt
import email
import re
from email.policy import default as default_policy

import pytest
from sqlmodel import Session, select

from tests import factories as f
from tests.alerts.conftest import use_smtp
from tests.alerts.helpers import ingest, moved_bill, subscribe
from tests.web import ARTIFACTS, WIDTHS, axe_violations, chromium_page, sideways_overflow
from tracker.alerts import jobs
from tracker.alerts.render import MESSAGES
from tracker.db import get_engine
from tracker.models import Subscriber
from tracker.models.base import utcnow

PUBLIC = "https://alerts.example.org"


def later(minutes: float = 1) -> dt.datetime:
    return utcnow() + dt.timedelta(minutes=minutes)


def hearing(**kw) -> dict:
    rec = {"type": "hearing", "key": "us-house-hsed-2025-04-01", "jurisdiction": "us",
           "committee_key": "HSED", "committee_name": "Education and Workforce",
           "start": "2025-04-01T14:00:00Z", "location": "2175 Rayburn", "status": "scheduled",
           "bills": [{"bill_key": "us-119-hr5"}], "source": f.SRC}
    return dict(rec, **kw)


@pytest.fixture
def sent(alerts_env, mail, monkeypatch):
    """Deliver one alert about H.R. 5 (a new text version, and its stage) and return a function
    that sends the next one to a subscriber in `lang`."""
    monkeypatch.setenv("EDTRACKER_PUBLIC_URL", PUBLIC)
    use_smtp(monkeypatch, mail.url)
    engine = get_engine(alerts_env)
    ingest(engine, f.batch())

    def send(lang: str, records, address: str | None = None) -> tuple[email.message.EmailMessage, bytes]:
        address = address or f"{lang}@example.org"
        subscribe(engine, address)
        with Session(engine) as s:
            person = s.exec(select(Subscriber).where(Subscriber.email == address)).one()
            person.lang = lang
            s.add(person)
            s.commit()
        ingest(engine, records)
        before = len(mail.inbox.raw)
        out = jobs.dispatch(now=later())
        assert out["sent"] >= 1, out
        raw = mail.inbox.raw[before]
        return email.message_from_bytes(raw, policy=default_policy), raw
    return send


def test_one_click_headers_are_written_verbatim_on_the_wire(sent):
    msg, raw = sent("en", [moved_bill()])
    head = raw.split(b"\r\n\r\n", 1)[0] + b"\r\n"
    assert re.search(rb"\r\nList-Unsubscribe: <https://alerts\.example\.org/alerts/unsubscribe/[A-Za-z0-9_.\-]+>\r\n",
                     head), head.decode()
    assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in head
    assert b"=?" not in b"".join(line for line in head.split(b"\r\n") if line.lower().startswith(b"list-"))


def test_the_email_has_titles_stages_and_page_links_under_the_public_url(sent):
    msg, _ = sent("en", [moved_bill()])
    assert msg.is_multipart() and msg["Content-Language"] == "en"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    for body in (text, html):
        assert "H.R. 5: Community Schools Act of 2025 (5)" in body
        assert "Stage now: Passed second chamber" in body
        assert "passed_second" not in body and "us-119-hr5:" not in body
    hrefs = re.findall(r'href="([^"]+)"', html)
    ours = [h for h in hrefs if not h.startswith("https://www.congress.gov/")]
    assert ours and all(h.startswith(PUBLIC + "/") for h in ours), ours
    assert f'{PUBLIC}/bill/us-119-hr5' in hrefs
    assert not [h for h in ours if "/api/" in h or ":8000" in h or h.endswith(".json")]
    assert all(u.startswith(PUBLIC) for u in re.findall(r"https?://[^\s]+", text) if "congress.gov" not in u)


def test_a_spanish_subscriber_reads_spanish(sent):
    msg, _ = sent("es", [moved_bill()])
    assert msg["Content-Language"] == "es"
    text = msg.get_body(("plain",)).get_content()
    assert "Etapa actual: Aprobado en la segunda cámara" in text
    assert "Darse de baja de esta alerta" in text and "Unsubscribe" not in text
    assert "Cambio de etapa" in msg["Subject"] or "Texto nuevo" in msg["Subject"] or "Cambio de etapa" in text


def test_a_hearing_alert_carries_an_icalendar_file(sent):
    msg, _ = sent("en", [hearing()])
    cals = [p for p in msg.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(cals) == 1 and cals[0].get_filename() == "hearing.ics"
    ics = cals[0].get_content()
    assert "BEGIN:VEVENT" in ics and "DTSTART:20250401T140000Z" in ics and "LOCATION:2175 Rayburn" in ics
    assert "UID:hearing-us-house-hsed-2025-04-01@edtracker" in ics
    assert "calendar file" in msg.get_body(("plain",)).get_content()


def test_email_catalogs_have_the_same_words_in_both_languages():
    def keys(d, prefix=""):
        return {prefix + k if not isinstance(v, dict) else None for k, v in d.items()} - {None} | {
            x for k, v in d.items() if isinstance(v, dict) for x in keys(v, f"{prefix}{k}.")}
    assert keys(MESSAGES["en"]) == keys(MESSAGES["es"])
    same = [k for k in keys(MESSAGES["en"]) if MESSAGES["en"].get(k) == MESSAGES["es"].get(k) and "." not in k]
    assert same == [], same


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_html_part_passes_axe_in_chromium(sent, lang):
    msg, _ = sent(lang, [moved_bill(), hearing()])
    html = msg.get_body(("html",)).get_content()
    out = ARTIFACTS / "emails"
    out.mkdir(parents=True, exist_ok=True)
    with chromium_page() as page:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.set_content(html)
            page.screenshot(path=str(out / f"alert-{lang}-{width}.png"), full_page=True)
            assert page.evaluate("() => document.documentElement.lang") == lang
            assert sideways_overflow(page) <= 0
            assert axe_violations(page) == [], width
        assert page.outside_requests == []
