"""The search page's result count and pages (25 a page), with the filters kept from page to page."""
from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.app import create_app
from tests import factories as f
from tracker.ingest import Ingestor
from tracker.tagging.store import retag_all

BROWSER = {"accept": "text/html"}


def test_results_come_in_pages_that_keep_the_filters(app_env, engine):
    Ingestor(engine).ingest([f.bill(n, sponsorships=[], versions=[]) for n in range(1, 31)])
    retag_all(engine)
    c = TestClient(create_app(), headers=BROWSER)
    first = c.get("/search?q=community&jurisdiction=us&sort=key&lang=en").text
    assert '<p class="count" id="count">30 bills</p>' in first and "Page 1 of 2" in first
    keys = re.findall(r'<h3><a href="/bill/([^"]+)">', first)
    assert len(keys) == 25 and keys == sorted(keys)
    nxt = re.search(r'<a href="([^"]+)" rel="next">', first).group(1)
    assert nxt.replace("&amp;", "&") == "?q=community&jurisdiction=us&sort=key&page=2"   # no lang: the cookie keeps it
    second = c.get("/search" + nxt.replace("&amp;", "&")).text
    more = re.findall(r'<h3><a href="/bill/([^"]+)">', second)
    assert len(more) == 5 and not set(more) & set(keys) and "Page 2 of 2" in second
    assert 'rel="prev"' in second and 'rel="next"' not in second
