"""The Follow link of list pages: a coalition's page follows the coalition, a search filtered only
by an issue area follows the issue area, any other filtered search follows the search itself."""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request

from tracker.alerts.targets import SEARCH_FIELDS, search_query

# Query parameters that only page, sort or translate a list: they change nothing followed.
_NOT_FILTERS = ("page", "sort", "lang")


def follow_link(request: Request, coalition=None) -> dict | None:
    """{"url", "kind", "target"} of the sign-up page for what this list shows, or None."""
    if coalition is not None:
        return _link("coalition", coalition.slug)
    params = {k: v.strip() for k, v in request.query_params.items() if v.strip() and k not in _NOT_FILTERS}
    if set(params) == {"issue_area"}:
        return _link("issue_area", params["issue_area"])
    if not params or set(params) - set(SEARCH_FIELDS):
        return None  # no filter, or one a followed search cannot check (session, sponsor, ...)
    return _link("search", search_query(urlencode(params)))


def _link(kind: str, target: str) -> dict:
    return {"kind": kind, "target": target,
            "url": "/alerts/signup?" + urlencode({"target_type": kind, "target": target})}
