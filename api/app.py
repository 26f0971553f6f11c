"""The FastAPI application factory."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.routes import activity, bills, health, quality, status
from api.routes import alerts, alerts_admin
from api.routes import legislators as legislators_api
from api.routes import find as find_api, hearings as hearings_api
from api import docs, errors
from tracker.db import get_engine
from tracker.settings import Settings, get_settings


# The API's groups in the OpenAPI document (old paths without /api/ are hidden aliases: api/legacy.py).
API_TAGS = [
    {"name": "bills", "description": "Bills with their actions, sponsors and roll calls."},
    {"name": "search", "description": "Full-text bill search with filters (default issue areas)."},
    {"name": "activity", "description": "What moved this week; upcoming hearings."},
    {"name": "scorecards", "description": "Published scorecards as JSON and CSV, and the open export."},
    {"name": "coalitions", "description": "A coalition's issue areas, positions, search and tag review "
                                          "(API key for private data)."},
    {"name": "quality", "description": "Data quality: matched voters and sponsors, gaps."},
    {"name": "status", "description": "Crawl and job runs."},
    {"name": "alerts", "description": "Alert sign-up, unsubscribe and feeds."},
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for `settings` (default: from the environment)."""
    settings = settings or get_settings()
    app = FastAPI(title="edtracker", version="0.1.0", docs_url=None, redoc_url=None,
                  description="Education bills, votes and legislator scorecards for advocacy coalitions. "
                  "The JSON API lives under `/api/`; the other addresses are pages for people. "
                  f"Source code: {settings.source_url} (AGPL-3.0). Answers with LegiScan data carry "
                  "its credit (CC BY 4.0) in `attribution`.",
                  license_info={"name": "AGPL-3.0-or-later", "url": "https://www.gnu.org/licenses/agpl-3.0.html"},
                  openapi_tags=API_TAGS)
    app.state.settings = settings
    app.state.engine = get_engine(settings.effective_database_url)
    errors.install(app)
    docs.install(app)
    app.mount("/assets", StaticFiles(directory=str(Path(__file__).resolve().parent / "static" / "site")),
              name="assets")
    app.include_router(health.router)
    app.include_router(bills.router)
    app.include_router(__import__("api.routes.bill_text", fromlist=["router"]).router)
    app.include_router(__import__("api.routes.bill_text", fromlist=["search_router"]).search_router)
    app.include_router(activity.router)
    app.include_router(__import__("api.scorecards", fromlist=["router"]).router)
    app.include_router(quality.router)
    app.include_router(status.router)
    app.include_router(alerts.router)
    app.include_router(alerts_admin.router)
    app.include_router(legislators_api.router)
    app.include_router(hearings_api.router)
    app.include_router(find_api.router)
    app.include_router(__import__("api.routes.school_districts", fromlist=["router"]).router)
    _add_coalition_pages(app, settings)
    from api.legacy import LegacyPaths
    from api.security import SecurityHeaders
    app.add_middleware(LegacyPaths)
    app.add_middleware(SecurityHeaders, docs_paths=docs.PATHS)
    if settings.page_cache_entries:   # outermost: a cached page skips every other layer (issue 19)
        from api.page_cache import PageCache
        app.add_middleware(PageCache, engine=app.state.engine, entries=settings.page_cache_entries,
                           check_ms=settings.page_cache_check_ms, ttl_seconds=settings.page_cache_ttl_seconds)
    _warm_caches()
    return app


def serve_app() -> FastAPI:
    """The app as `edtracker serve`'s workers run it: `create_app` plus the worker's thread switch
    interval. Renders run in threads while cached pages are answered on the event loop; with
    Python's 5 ms interval each step of the loop waited up to 5 ms for a rendering thread, and
    one big page's first render stalled every request (bench/serve_during_import.py).

    Everything made at start-up (modules, the app, catalogs: a few hundred thousand objects that
    live as long as the worker) is then moved out of the cyclic garbage collector's sight
    (`gc.freeze()`). Each full collection walked all of them while holding the GIL: 0.3-0.7 s on
    2 loaded cores, every request waiting, once the first renders during an import had made
    enough new objects to start one."""
    import gc
    import sys

    settings = get_settings()
    sys.setswitchinterval(settings.api_switch_interval_ms / 1000)
    app = create_app(settings)
    gc.collect()   # the start-up's garbage first: frozen objects are never collected
    gc.freeze()
    return app


def _warm_caches() -> None:
    """Read the packaged catalogs and calendars at start-up, not in the first request that needs them:
    a request reading one held the GIL for up to a second under load and stalled every other (issue 19)."""
    from api import i18n
    from api.scorecards.render import catalog as scorecard_catalog
    from tracker.jurisdictions.calendar import calendars
    from tracker.scoring.methodology import texts

    i18n.warm()
    scorecard_catalog()
    texts()
    calendars()


def _add_coalition_pages(app: FastAPI, settings: Settings) -> None:
    """Search, coalition API and the server-rendered pages (staff login uses a signed cookie)."""
    from starlette.middleware.sessions import SessionMiddleware

    from api.pages import bill_text, home, ops, people, public, staff, staff_auth
    from api.routes import coalitions, search

    settings.check_secrets()
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie="edtracker_staff",
                       max_age=settings.session_max_age, same_site="lax",
                       https_only=settings.secure_cookies)
    app.include_router(search.router)
    app.include_router(coalitions.router)
    from api.scorecards import manage_api
    app.include_router(manage_api.router)
    app.include_router(staff_auth.router)
    app.include_router(staff.router)
    from api.pages import staff_hooks, staff_ops, staff_people  # issue 17: the admins' pages
    app.include_router(staff_people.router)
    app.include_router(staff_ops.router)
    app.include_router(staff_hooks.router)
    from api.pages import members as member_pages, positions as position_pages, watchlist as watch_pages
    app.include_router(position_pages.router)
    app.include_router(member_pages.router)
    app.include_router(watch_pages.router)
    from api.pages import staff_builder, staff_embed
    app.include_router(staff_builder.router)
    app.include_router(staff_embed.router)
    from api.pages import setup as setup_pages  # first run: the first coalition and admin in the browser
    app.include_router(setup_pages.router)
    app.include_router(bill_text.router)
    app.include_router(public.router)
    app.include_router(people.router)
    app.include_router(home.router)
    app.include_router(ops.router)
    from api.pages import hearings, find  # noqa: I001  (menu order: Hearings, then Find my legislators)
    app.include_router(hearings.router)
    app.include_router(find.router)
    app.include_router(__import__("api.pages.school_districts", fromlist=["router"]).router)
