"""Every link a person sees opens a page (issue 16): walk the demo site from `/`, in English and in
Spanish, following every same-site link, and check each answers a page (HTML) to a browser, never
JSON; the demo's printed list of addresses puts the pages first and each opens as it says."""
from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from api.legacy import LEGACY, SAME_ADDRESS

ORIGIN = "http://testserver"
# Downloads a page may offer besides pages (never JSON).
DOWNLOADS = ("text/csv", "text/calendar", "application/atom+xml", "image/svg+xml")
# Pages other branches add (issue 16): linked from the menu; here, until they are merged, they
# answer the HTML 404 page, and only while no route serves them.
BUILT_ELSEWHERE = {"/legislators"}
LIMIT = 1500


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.lang: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        # The language switch (hreflang) leaves this language on purpose: each crawl keeps to one.
        if tag == "a" and a.get("href") and not a.get("hreflang"):
            self.links.append(a["href"])
        if tag == "html":
            self.lang = a.get("lang")


def _routed(app, path: str) -> bool:
    from starlette.routing import Match

    scope = {"type": "http", "path": path, "method": "GET", "root_path": ""}
    return any(route.matches(scope)[0] is Match.FULL for route in app.routes)


def _not_a_json_path(path: str) -> bool:
    """A link names a page: never the API, never an old JSON address (except those that are pages)."""
    return not path.startswith(("/api/", "/openapi.json")) and (not LEGACY.match(path) or path in SAME_ADDRESS)


def crawl(client, start: str) -> dict[str, dict]:
    """Breadth-first over same-site links from `start`; per URL: status, type, lang, links, referrer."""
    seen: dict[str, dict] = {}
    queue = deque([(start, None)])
    while queue and len(seen) < LIMIT:
        url, referrer = queue.popleft()
        if url in seen:
            continue
        r = client.get(url)
        info = {"status": r.status_code, "type": r.headers.get("content-type", ""), "from": referrer,
                "final": str(r.url).removeprefix(ORIGIN), "lang": None}
        seen[url] = info
        if not info["type"].startswith("text/html") or urlsplit(url).path.startswith("/docs"):
            continue
        parser = _Links()
        parser.feed(r.text)
        info["lang"] = parser.lang
        for href in parser.links:
            target = urldefrag(urljoin(ORIGIN + info["final"], href))[0]
            if urlsplit(target).netloc != "testserver" or not target.startswith(ORIGIN):
                continue   # other sites (sources, coalition websites) and mailto: links
            path = target.removeprefix(ORIGIN)
            if path not in seen:
                queue.append((path, url))
    assert len(seen) < LIMIT, "the crawl did not end: some links multiply without bound"
    return seen


def _check(site, pages: dict[str, dict], lang: str) -> None:
    problems = []
    for url, info in pages.items():
        path = urlsplit(url).path
        if not _not_a_json_path(path):
            problems.append(f"{url} (linked from {info['from']}) is a JSON address")
        if info["type"].startswith("application/json"):
            problems.append(f"{url} (linked from {info['from']}) answers JSON to a browser")
        elif not info["type"].startswith(("text/html", *DOWNLOADS)):
            problems.append(f"{url} answers {info['type']}")
        if info["status"] != 200 and not (info["status"] == 404 and path in BUILT_ELSEWHERE
                                          and not _routed(site.app, path)):
            problems.append(f"{url} (linked from {info['from']}) answers {info['status']}")
        if info["lang"] and not path.startswith("/docs") and info["lang"] != lang:
            problems.append(f"{url} is in {info['lang']}, not {lang}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang, start", [("en", "/"), ("es", "/?lang=es")])
def test_every_page_reachable_from_home_is_a_page(site, lang, start):
    site.headers["accept-language"] = "en-US" if lang == "en" else "es-MX"
    pages = crawl(site, start)
    # Everything the home page promises is reachable: search, bills, coalitions, scorecards,
    # alerts, the status and quality pages, and the API documentation (a page too).
    paths = {urlsplit(u).path for u in pages}
    assert {"/", "/search", "/coalitions", "/alerts/signup", "/status", "/quality", "/docs",
            "/bill/us-119-s410", "/c/demo-public-schools/",
            "/c/demo-public-schools/scorecards/congress-2025"} <= paths, sorted(paths)
    assert sum(p.startswith("/bill/") for p in paths) >= 18       # every demo bill
    assert any(p.startswith("/c/demo-public-schools/scorecards/congress-2025/legislators/") for p in paths)
    _check(site, pages, lang)


def test_the_crawl_catches_a_json_link(site):
    """The check itself: a page linking the API is reported."""
    pages = {"/api/bills": {"status": 200, "type": "application/json", "from": "/", "lang": None},
             "/bills/us-119-s410": {"status": 200, "type": "text/html", "from": "/", "lang": "en"},
             "/nope": {"status": 404, "type": "text/html", "from": "/", "lang": "en"}}
    with pytest.raises(AssertionError) as failed:
        _check(site, pages, "en")
    assert "/api/bills (linked from /) is a JSON address" in str(failed.value)
    assert "answers JSON to a browser" in str(failed.value)
    assert "/bills/us-119-s410 (linked from /) is a JSON address" in str(failed.value)
    assert "/nope (linked from /) answers 404" in str(failed.value)


def test_demo_output_lists_pages_first_and_each_opens(site):
    from cli.demo import _where_to_look

    sections = _where_to_look("http://127.0.0.1:8000")
    assert list(sections) == ["Pages", "API (JSON)"]
    pages = [line.split()[0].removeprefix("http://127.0.0.1:8000") for line in sections["Pages"]]
    assert pages[:6] == ["/", "/bill/us-119-s410", "/c/demo-public-schools/scorecards/congress-2025",
                         "/legislators", "/search?q=school+meals", "/alerts/signup"]
    for path in pages:
        assert _not_a_json_path(urlsplit(path).path), path
        r = site.get(path)
        assert r.headers["content-type"].startswith("text/html"), path
        assert r.status_code == 200 or (path in BUILT_ELSEWHERE and not _routed(site.app, path)), path
    api = [line.split()[0].removeprefix("http://127.0.0.1:8000") for line in sections["API (JSON)"]]
    assert api[0] == "/docs"
    for path in api[1:]:
        assert path.startswith("/api/"), path
        r = site.get(path, headers={"accept": "application/json"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json"), path
