"""The page cache of anonymous public pages (api/page_cache.py, issue 19): validators and 304,
no database round trip while the data version holds, a change shown within the documented delay,
nothing shared with a signed-in visitor. Runs on SQLite and PostgreSQL."""
from __future__ import annotations

import email.utils
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text
from sqlmodel import Session, select

from api.app import create_app
from tests.scoring import helpers as h
from tracker.db import get_engine
from tracker.models import Bill, Legislator
from tracker.settings import get_settings

BILL = "/bill/us-119-hr5"
EMBED = "/embed/c/edfund/scorecards/house-2025"


@pytest.fixture
def site(app_env, monkeypatch):
    """A published scorecard of a small House; `make(check_ms)` builds the app."""
    engine = get_engine(app_env)
    h.published_house(engine, evil=False)
    with Session(engine) as db:
        adams = db.exec(select(Legislator).where(Legislator.family_name == "Adams")).one().key

    def make(check_ms: int = 60_000) -> TestClient:
        monkeypatch.setenv("EDTRACKER_PAGE_CACHE_CHECK_MS", str(check_ms))
        get_settings.cache_clear()
        return TestClient(create_app(get_settings()))
    make.engine, make.pages = engine, [BILL, f"/legislators/{adams}", EMBED, "/c/edfund/scorecards/house-2025"]
    return make


class Statements:
    """Counts the SQL statements an engine runs."""

    def __init__(self, engine):
        self.engine, self.n = engine, 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_):  # noqa: ANN002
        self.n += 1

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._count)


def _retitle(engine, title: str) -> None:
    """A write by another process's means: plain SQL, no ORM session of this process."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE bill SET title = :t WHERE key = 'us-119-hr5'"), {"t": title})


def test_pages_carry_validators_and_answer_304(site):
    client = site()
    for path in site.pages:
        first = client.get(path)
        assert first.status_code == 200, path
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert first.headers["cache-control"].startswith("public"), path
        again = client.get(path)
        assert (again.status_code, again.content, again.headers["etag"]) == (200, first.content, etag), path
        for headers in ({"If-None-Match": etag}, {"If-None-Match": f'"other", {etag}'},
                        {"If-Modified-Since": modified}):
            r = client.get(path, headers=headers)
            assert (r.status_code, r.content, r.headers["etag"]) == (304, b"", etag), (path, headers)
        earlier = email.utils.formatdate(email.utils.parsedate_to_datetime(modified).timestamp() - 86400, usegmt=True)
        for headers in ({"If-None-Match": '"other"'}, {"If-Modified-Since": earlier}):
            assert client.get(path, headers=headers).status_code == 200, (path, headers)


def test_a_cached_page_costs_no_database_round_trip(site):
    client = site()
    for path in site.pages:
        client.get(path)
    count = Statements(site.engine)
    try:
        for path in site.pages:
            assert client.get(path).status_code == 200
            assert client.get(path, headers={"If-None-Match": client.get(path).headers["etag"]}).status_code == 304
        assert count.n == 0
        assert client.get("/bill/us-119-hr5?lang=es").status_code == 200   # another language: rendered
        assert count.n > 0
    finally:
        count.close()


def test_languages_are_kept_apart_and_the_switch_still_sets_the_cookie(site):
    client = site()
    en, es = client.get(f"{BILL}?lang=en"), client.get(f"{BILL}?lang=es")
    assert en.headers["content-language"] == "en" and es.headers["content-language"] == "es"
    client.cookies.clear()
    again = client.get(f"{BILL}?lang=es")
    assert again.content == es.content and again.headers["content-language"] == "es"
    assert "edtracker_lang=es" in again.headers["set-cookie"]
    assert again.headers["cache-control"] == "private, no-cache"
    # the cookie alone picks the cached Spanish page, which then sets no cookie
    plain = client.get(BILL)
    assert plain.content == es.content and "set-cookie" not in plain.headers
    client.cookies.clear()
    assert client.get(BILL, headers={"Accept-Language": "es"}).content == es.content
    assert client.get(BILL).content != es.content


def test_a_change_shows_within_two_check_intervals(site):
    client = site(check_ms=500)
    started = time.monotonic()                  # the kept page's rendering begins after this
    assert "Renamed" not in client.get(BILL).text
    _retitle(site.engine, "Renamed by another process")
    stale = client.get(BILL).text
    if time.monotonic() - started < 0.45:       # still inside the interval: the kept page
        assert "Renamed" not in stale
    time.sleep(1.1)                             # past two intervals: rendered while the request waits
    assert "Renamed by another process" in client.get(BILL).text


def test_a_stale_page_is_served_while_a_background_task_renders_the_new_one(site):
    """Another process's commit: the next request gets the kept page at once and one background
    render replaces it (an import committing every moment never makes a request wait for a render)."""
    check = 3.0   # (a first render took over 2 s on a loaded machine)
    with site(check_ms=int(check * 1000)) as client:    # one event loop for every request: the task runs
        rendered = time.monotonic()
        assert "Renamed" not in client.get(BILL).text
        _retitle(site.engine, "Renamed during an import")
        time.sleep(max(0.0, check + 0.05 - (time.monotonic() - rendered)))   # no longer young
        first = client.get(BILL)
        assert first.status_code == 200 and "Renamed" not in first.text   # the kept page, not a render
        shown = None
        while time.monotonic() - rendered < 2 * check - 0.1:
            if "Renamed during an import" in (shown := client.get(BILL).text):
                break
            time.sleep(0.05)
        # before the kept page aged out of the stale window: only the background render can have stored it
        assert shown is not None and "Renamed during an import" in shown


def test_requests_for_a_page_being_rendered_wait_for_that_render(site):
    """No dog-pile: five visitors opening a page nobody has opened yet cost one render, not five
    (a new bill's first visitors during an import stalled every request, bench/serve_during_import.py)."""
    import anyio
    import httpx

    app = site(check_ms=60_000).app
    renders: list[str] = []

    def count(_conn, _cursor, statement, *_):  # noqa: ANN001
        if "FROM bill_action" in statement:          # bill_detail reads the actions once per render
            renders.append(statement)
    event.listen(site.engine, "before_cursor_execute", count)

    async def five() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            out: list[httpx.Response] = []

            async def one() -> None:
                out.append(await client.get(BILL))
            async with anyio.create_task_group() as tg:
                for _ in range(5):
                    tg.start_soon(one)
            return out
    try:
        answers = anyio.run(five)
    finally:
        event.remove(site.engine, "before_cursor_execute", count)
    assert [r.status_code for r in answers] == [200] * 5
    assert len({r.content for r in answers}) == 1 and len({r.headers["etag"] for r in answers}) == 1
    assert len(renders) == 1


def test_no_stale_page_after_this_process_commits(site):
    with site(check_ms=2000) as client:
        assert "Renamed" not in client.get(BILL).text
        time.sleep(2.05)
        with Session(site.engine) as db:
            bill = db.exec(select(Bill).where(Bill.key == "us-119-hr5")).one()
            bill.title = "Renamed by staff here"
            db.add(bill)
            db.commit()
        assert "Renamed by staff here" in client.get(BILL).text


def test_a_commit_of_this_process_shows_at_once(site):
    client = site(check_ms=60_000)
    assert "Renamed" not in client.get(BILL).text
    with Session(site.engine) as db:
        bill = db.exec(select(Bill).where(Bill.key == "us-119-hr5")).one()
        bill.title = "Renamed here"
        db.add(bill)
        db.commit()
    assert "Renamed here" in client.get(BILL).text


def test_credentials_bypass_the_cache(site):
    """A request with a session cookie, an API key or a bearer token is neither served a kept page
    nor kept: it always gets its own rendering."""
    client = site(check_ms=60_000)
    kept = client.get(BILL).text
    _retitle(site.engine, "Renamed for the signed-in")
    for cookie, headers in (("x", {}), (None, {"X-API-Key": "k"}), (None, {"Authorization": "Bearer k"})):
        client.cookies.clear()
        if cookie:
            client.cookies.set("edtracker_staff", cookie)
        r = client.get(BILL, headers=headers)
        assert "Renamed for the signed-in" in r.text, (cookie, headers)
    client.cookies.clear()
    assert client.get(BILL).text == kept      # the anonymous page is still the kept one


def test_off_when_no_entries(site, monkeypatch):
    monkeypatch.setenv("EDTRACKER_PAGE_CACHE_ENTRIES", "0")
    client = site(check_ms=60_000)
    client.get(BILL)
    _retitle(site.engine, "Renamed with no cache")
    assert "Renamed with no cache" in client.get(BILL).text


def test_the_bill_json_is_kept_too_and_follows_changes(site):
    client = site(check_ms=60_000)
    first = client.get("/api/bills/us-119-hr5")
    assert first.headers["content-type"].startswith("application/json") and first.headers["etag"]
    assert client.get("/api/bills/us-119-hr5", headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    assert "set-cookie" not in client.get("/api/bills/us-119-hr5?lang=es").headers
    with Session(site.engine) as db:
        bill = db.exec(select(Bill).where(Bill.key == "us-119-hr5")).one()
        bill.title = "Renamed for the API"
        db.add(bill)
        db.commit()
    assert client.get("/api/bills/us-119-hr5").json()["title"] == "Renamed for the API"


@pytest.mark.parametrize("address", ["/api/search?q=community", "/api/bills?limit=5", "/search?q=community"])
def test_the_search_and_list_json_are_kept_and_follow_changes(site, address):
    """Public lists as JSON (/search too, for an API client: api/legacy.py): kept with an ETag,
    answered without the database, a change by another process shown within the interval."""
    kept = site(check_ms=60_000)  # within the interval: no reading of the data version either
    first = kept.get(address, headers={"Accept": "application/json"})
    assert first.headers["content-type"].startswith("application/json") and first.headers["etag"]
    assert "us-119-hr5" in first.text and "Renamed for the list" not in first.text
    statements = Statements(site.engine)
    try:
        again = kept.get(address, headers={"Accept": "application/json", "If-None-Match": first.headers["etag"]})
    finally:
        statements.close()
    assert again.status_code == 304 and statements.n == 0
    client = site(check_ms=150)
    assert "Renamed for the list" not in client.get(address, headers={"Accept": "application/json"}).text
    _retitle(site.engine, "Renamed for the list")
    time.sleep(0.35)  # two check intervals
    client.get(address, headers={"Accept": "application/json"})  # may be the kept one, renders anew
    deadline = time.monotonic() + 5
    while "Renamed for the list" not in client.get(address, headers={"Accept": "application/json"}).text:
        assert time.monotonic() < deadline, "the change never showed"
        time.sleep(0.05)


def test_a_page_and_the_json_at_one_address_are_kept_apart(site):
    """/search is a page for browsers and, for API clients, the JSON of /api/search (api/legacy.py)."""
    client = site()
    for _ in range(2):
        page = client.get("/search?q=school", headers={"Accept": "text/html"})
        assert page.headers["content-type"].startswith("text/html")
        api = client.get("/search?q=school", headers={"Accept": "application/json"})
        assert api.headers["content-type"].startswith("application/json"), api.text[:200]


class _Clock:
    """The page cache's clock, moved by the test (wall time stays real: Last-Modified)."""

    def __init__(self):
        self.now = time.monotonic() + 1000.0   # after every commit this process made before

    def monotonic(self) -> float:
        return self.now

    time = staticmethod(time.time)

    @classmethod
    def installed(cls, monkeypatch) -> "_Clock":  # noqa: ANN001
        """A clock the page cache and its data version read instead of the real one."""
        import api.data_version
        import api.page_cache

        clock = cls()
        monkeypatch.setattr(api.page_cache, "time", clock)
        monkeypatch.setattr(api.data_version, "time", clock)
        return clock


def _middleware(client: TestClient):
    """The app's page cache (the outermost of its middleware)."""
    from api.page_cache import PageCache

    layer = client.app.middleware_stack
    while not isinstance(layer, PageCache):
        layer = layer.app
    return layer


def _touch(engine) -> None:
    """A commit by another process's means that no page shows (the data version moves)."""
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS unrelated_write (n INTEGER)"))
        conn.execute(text("INSERT INTO unrelated_write (n) VALUES (1)"))


def test_a_page_unchanged_by_an_import_settles_and_a_change_shows_within_five_intervals(site, monkeypatch):
    """While another process keeps committing, a page whose re-render came back the same is
    re-rendered after 2, then 4 intervals instead of every interval (with its Last-Modified kept);
    a re-render that differs starts it at one interval again."""
    clock = _Clock.installed(monkeypatch)
    renders: list[str] = []

    def count(_conn, _cursor, statement, *_):  # noqa: ANN001
        if "FROM bill_action" in statement:          # bill_detail reads the actions once per render
            renders.append(statement)
    event.listen(site.engine, "before_cursor_execute", count)

    def after(seconds: float, *, title: str | None = None) -> str:
        """Another process commits, `seconds` of the cache's clock pass, a visitor asks."""
        _retitle(site.engine, title) if title else _touch(site.engine)
        clock.now += seconds
        return client.get(BILL).text

    def rendered(n: int) -> None:
        """`n` renders so far, the last one stored (the background task runs on the client's loop)."""
        deadline = time.monotonic() + 10
        while len(renders) < n or _middleware(client).revalidating:
            assert time.monotonic() < deadline, f"{len(renders)} renders, expected {n}"
            time.sleep(0.01)
        assert len(renders) == n

    try:
        with site(check_ms=1000) as client:   # one event loop for every request: the tasks run
            first = client.get(BILL)
            rendered(1)
            after(1.0)                     # stale after one interval: kept page, re-rendered behind
            rendered(2)
            again = client.get(BILL)
            assert again.headers["etag"] == first.headers["etag"]
            assert again.headers["last-modified"] == first.headers["last-modified"]
            assert client.get(BILL, headers={"If-Modified-Since": first.headers["last-modified"]}).status_code == 304
            after(1.0)                     # unchanged once: served for two intervals
            rendered(2)
            after(1.0)
            rendered(3)
            after(3.0)                     # unchanged twice: four intervals
            rendered(3)
            after(1.0)
            rendered(4)
            assert "Renamed" not in after(4.0, title="Renamed during an import")   # kept page, re-rendered behind
            rendered(5)
            assert "Renamed during an import" in client.get(BILL).text
            after(1.0)                     # it changed: one interval again
            rendered(6)
    finally:
        event.remove(site.engine, "before_cursor_execute", count)


def test_a_page_kept_through_a_quiet_spell_is_served_while_the_first_commit_renders_it_anew(site, monkeypatch):
    """Rendered long ago but found current by the last reading of the data version: the first
    commit of an import gets the kept page and a background render, not every kept page rendered
    in the open at once (bench/serve_during_import.py, the burst at the import's first commit)."""
    clock = _Clock.installed(monkeypatch)
    with site(check_ms=1000) as client:   # one event loop for every request: the task runs
        assert "Renamed" not in client.get(BILL).text
        clock.now += 30.0                     # a quiet spell: the reading finds the page current
        assert "Renamed" not in client.get(BILL).text
        _retitle(site.engine, "Renamed by the first commit of an import")
        clock.now += 1.0
        assert "Renamed" not in client.get(BILL).text   # the kept page at once, rendered behind
        deadline = time.monotonic() + 10
        while "Renamed by the first commit of an import" not in client.get(BILL).text:
            assert time.monotonic() < deadline, "the background render never stored the change"
            time.sleep(0.02)
        clock.now += 2.5                      # two intervals and more after the last reading
        _retitle(site.engine, "Renamed again")
        assert "Renamed again" in client.get(BILL).text   # too old to serve: rendered while it waits
