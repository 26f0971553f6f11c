"""Spanish everywhere public (issue 16): every public page type, asked for in Spanish, shows no
English words of the interface. Pages reachable from `/` (the crawl of test_crawl.py), the
scorecard pages and embeds, the alert pages reached from an email (confirm, preferences,
unsubscribe, bad links), `/find` with an answer, and the error pages (400, 404, 500).

What a source wrote (bill titles, names, actions, a coalition's words) is data, shown as
written: every text value in the demo's database is taken out of a page's text before the
check, so only words that come from templates and code are left to judge."""
from __future__ import annotations

import re
import sqlite3
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests.pages.test_crawl import crawl

# Common English words of an interface, none of them a Spanish word (no "no", "a", "sin"...).
ENGLISH = set("""
the and of with for to from your you this that not is are was were by on at all any none yes
bill bills voted search home skip content filter filters apply clear show sort next
previous page back save saved unsubscribe unsubscribed preferences alert alerts link valid expired
confirmed legislator legislators committee committees hearing hearings score grade party district
chamber senate house assembly democrat democratic republican independent sponsor sponsors
cosponsor introduced passed signed failed vetoed enacted status quality updated methodology source
sources weight session lifetime find address state upcoming today week member members roll call
position support oppose watching scorecard scorecards coalition coalitions found
license free how often daily weekly digest time zone kinds off feeds calendar only stop
what where when why who name more than new changed action actions text version versions summary
open about contact office phone went wrong try again later issue area areas immediately right away
""".split())
# Columns whose text the code writes (English), which pages must show in the reader's language.
CODE_WORDS = {"rule"}
WORD = re.compile(r"[A-Za-zÁÉÍÓÚÜÑáéíóúüñ]+")
SKIP_TAGS = {"script", "style", "code", "pre"}
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


class _Text(HTMLParser):
    """Text nodes and labelling attributes a person sees or hears, outside code and outside
    anything marked as another language (`lang="en"`: the switch to English)."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "area", "col", "embed", "track"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def _hidden(self) -> bool:
        return any(hidden for _, hidden in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        hidden = tag in SKIP_TAGS or (a.get("lang") or "es").split("-")[0] != "es" or tag == "title" and False
        if not self._hidden() and not hidden:
            self.parts += [a[k] for k in ATTRIBUTES if a.get(k)]
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.parts.append(a["value"])
        if tag not in self.VOID:
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if data.strip() and not self._hidden():
            self.parts.append(data)


def data_values(db_path: str) -> list[str]:
    """Every text value stored in the database (longest first), from every table."""
    values: set[str] = set()
    con = sqlite3.connect(db_path)
    try:
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            cursor = con.execute(f'SELECT * FROM "{table}"')
            columns = [d[0] for d in cursor.description]
            for row in cursor:
                for column, v in zip(columns, row):
                    # A scored cell's `rule` is written by the scoring code, not by a source.
                    if isinstance(v, str) and column not in CODE_WORDS:
                        values.add(v.strip())
                        # JSON lists and objects hold names too (subjects, sessions, aliases)
                        values.update(s.strip() for s in re.findall(r'"([^"\\]{2,})"', v))
    finally:
        con.close()
    # Only values of several words are masked: a single stored word that is an interface word
    # ("Democrat", "passed") must be shown translated, so it is judged like the rest.
    return sorted((v for v in values if len(v.split()) > 1), key=len, reverse=True)


def leaks(html: str, data: list[str]) -> list[str]:
    """English interface words on a page, each with the text it was found in."""
    parser = _Text()
    parser.feed(html)
    found = []
    for part in parser.parts:
        text = " ".join(part.split())
        rest = text
        for value in data:
            if len(value) <= len(rest) and value in rest:
                rest = re.sub(r"(?<!\w)" + re.escape(value) + r"(?!\w)", " ", rest)
        # addresses, URLs, paths and identifiers (demo-us_bills, congress-legislators, us-119-s410)
        rest = re.sub(r"\S+@\S+|https?://\S+|/\S*|\b\w+(?:[-_]\w+)+\b", " ", rest)
        words = {w.lower() for w in WORD.findall(rest)} & ENGLISH
        if words:
            found.append(f"{sorted(words)} in {text[:140]!r}")
    return found


@pytest.fixture
def data(demo_url) -> list[str]:
    return data_values(demo_url.removeprefix("sqlite:///"))


def test_the_check_finds_english(data):
    """The check itself: an untranslated label is found; data and the English switch are not."""
    html = ('<html lang="es"><body><a href="/?lang=en" lang="en">English</a>'
            '<h1>Public Schools Forward (demo)</h1><p>Skip to content</p><button aria-label="Apply filters">x</button>'
            '<p>Distrito 12 · Cámara de Representantes</p><code>the code</code></body></html>')
    found = leaks(html, data)
    assert len(found) == 2 and "['content', 'skip', 'to']" in found[0] and "'apply'" in found[1], found


def _alert_links(site) -> dict[str, str]:
    """Links of an alert's emails for one demo subscription (confirm, preferences, unsubscribe)."""
    from sqlmodel import Session

    from tracker.alerts import subscribe as svc
    from tracker.alerts.tokens import make_token

    settings, engine = site.app.state.settings, site.app.state.engine
    with Session(engine) as db:
        req = svc.SubscriptionRequest(email="lector@example.org", target_type="issue_area",
                                      target="school-meals-health", kinds=[], frequency="daily",
                                      send_time="08:00", timezone="America/Los_Angeles", weekday=0,
                                      channel="email", coalition_id=None)
        svc.request_subscription(db, settings, req)
        db.commit()
        from sqlalchemy import select

        from tracker.models import Subscriber, Subscription
        person = db.execute(select(Subscriber).where(Subscriber.email == "lector@example.org")).scalar_one()
        sub = db.execute(select(Subscription).where(Subscription.subscriber_id == person.id)).scalar_one()
        token = lambda purpose: make_token(settings.secret_key, purpose, person.id, person.token_version, sub.id)  # noqa: E731
        return {"confirm": f"/alerts/confirm/{token('confirm')}",
                "preferences": f"/alerts/preferences/{token('preferences')}",
                "unsubscribe": f"/alerts/unsubscribe/{token('unsubscribe')}", "sub": str(sub.id)}


CARD = "/c/demo-public-schools/scorecards/congress-2025"
EXTRA = [
    f"{CARD}/methodology", f"{CARD}/legislators/bioguide:Z900001", "/c/demo-public-schools/scorecards",
    f"/embed{CARD}", f"/embed{CARD}/legislators/bioguide:Z900001",
    "/find?state=ca&district=12", "/find?state=zz", "/hearings?when=past",
    "/alerts/signup?target_type=legislator", "/alerts/confirm/not-a-token", "/alerts/preferences/not-a-token",
    "/alerts/unsubscribe/not-a-token",
    "/no/such/page", f"{CARD}/legislators/bioguide:X999999", "/c/nobody/scorecards/nothing",
    f"/embed{CARD}x", "/legislators/bioguide:X999999",
]


def test_every_public_page_in_spanish_has_no_english_interface_words(site, data):
    site.headers["accept-language"] = "es-MX"
    pages = crawl(site, "/?lang=es")
    urls = [u for u, info in pages.items() if info["type"].startswith("text/html")
            and not urlsplit(u).path.startswith("/docs")]
    assert len(urls) > 40, urls                   # the crawl did reach the site
    problems: list[tuple[str, str]] = []

    def check(url: str, html: str) -> None:
        problems.extend((url, leak) for leak in leaks(html, data))

    for url in urls:
        check(url, site.get(url).text)
    for url in EXTRA:
        r = site.get(url)
        assert "text/html" in r.headers["content-type"], url
        check(url, r.text)
    links = _alert_links(site)
    for name in ("unsubscribe", "preferences", "confirm"):
        check(links[name], site.get(links[name]).text)
    saved = site.post(f"{links['preferences']}/{links['sub']}", data={"frequency": "weekly", "send_time": "09:00",
                                                                     "timezone": "America/Los_Angeles", "weekday": "2"})
    check("preferences saved", saved.text)
    bad = site.post(f"{links['preferences']}/{links['sub']}", data={"frequency": "hourly"})
    check("preferences not saved", bad.text)
    check("unsubscribed", site.post(links["unsubscribe"]).text)
    check("signup sent", site.post("/alerts/signup", data={"email": "otra@example.org", "target_type": "bill",
                                                           "target": "us-119-s410"}).text)
    check("signup refused", site.post("/alerts/signup", data={"email": "nope", "target_type": "bill",
                                                              "target": "us-119-s410"}).text)
    check("find by address (geocoder down)", site.post("/find", data={"address": "1 Main St, Sacramento, CA"}).text)
    from fastapi.testclient import TestClient

    @site.app.get("/test-crash-es", include_in_schema=False)
    def crash():  # a page that fails, to see the 500 page
        raise RuntimeError("boom")
    crashing = TestClient(site.app, raise_server_exceptions=False, headers=dict(site.headers))
    r = crashing.get("/test-crash-es?lang=es")
    assert r.status_code == 500
    check("500", r.text)
    by_leak: dict[str, list[str]] = {}
    for url, leak in problems:
        by_leak.setdefault(leak, []).append(url)
    assert by_leak == {}, f"{len(by_leak)} English leaks:\n" + "\n".join(
        f"{leak}  (on {urls[0]}{f' and {len(urls) - 1} more' if len(urls) > 1 else ''})" for leak, urls in by_leak.items())
