"""Public scorecard pages and embeds: the table, a legislator's page, the methodology, the
iframe-able table and card, the SVG badge, oEmbed and the /embed.js snippet. Sorting and
filtering are query parameters, so everything works without JavaScript."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from api.deps import SessionDep
from api.scorecards import load
from api.scorecards.render import STATIC, cached_response, lang_of, render, render_page, site
from tracker.scoring import methodology, views
from tracker.scoring.settings import ScoringSettings

router = APIRouter(tags=["scorecard pages"])
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


def _table_context(request: Request, db, coalition, card, embed: bool) -> dict:
    params = load.table_params(request)
    session = params.get("session") or views.default_session(card)
    rows = views.table(db, card, session=session, chamber=params.get("chamber"), party=params.get("party"),
                       district=params.get("district"), grade=params.get("grade"), q=params.get("q"),
                       sort=params.get("sort", "name"), desc=params.get("dir") == "desc")
    everyone = views.table(db, card, session=session)
    items = [] if embed else views.items(db, card)
    return {"org": coalition, "card": card, "rows": rows, "params": params, "session": session,
            "embed": embed, "with_params": load.with_params, "sort": params.get("sort", "name"),
            "desc": params.get("dir") == "desc",
            "parties": sorted({r.party for r in everyone if r.party}),
            "chambers": sorted({r.chamber for r in everyone if r.chamber}),
            "grades": sorted({r.grade for r in everyone if r.grade}),
            "sessions": sorted({*card.sessions}),
            "base": f"/c/{coalition.slug}/scorecards/{card.slug}",
            "embed_base": f"/embed/c/{coalition.slug}/scorecards/{card.slug}",
            "unmatched": [] if embed else views.cells(db, card, unmatched=True),
            "items": items,
            "rules": {} if embed else {r.key: r.text for r in methodology.rules(card.settings, items,
                                                                                 lang_of(request))}}


def _html(request: Request, db, coalition: str, slug: str, template: str, context, embed: bool) -> Response:
    """A cached page of a published scorecard; `context(co, card)` builds the template's values."""
    co, card = load.published_card(db, coalition, slug)
    lang = lang_of(request)
    if embed:
        body = lambda: render(template, lang, **context(co, card), **site(request, db, card))  # noqa: E731
    else:
        body = lambda: render_page(request, template, lang, **context(co, card), **site(request, db, card))  # noqa: E731
    return cached_response(request, card, co, "text/html; charset=utf-8", body, embed=embed)


@router.get("/c/{coalition}/scorecards", response_class=HTMLResponse)
def coalition_scorecards(coalition: str, request: Request, db: SessionDep) -> HTMLResponse:
    """The coalition's published scorecards (linked from its menu)."""
    from api.pages.common import coalition_or_404, render as render_site

    co = coalition_or_404(db, coalition)
    cards = load.published_cards(db, co)
    return render_site(request, "scorecards/index.html", {"coalition": co, "cards": cards})


@router.get("/c/{coalition}/scorecards/{slug}")
def scorecard_page(coalition: str, slug: str, request: Request, db: SessionDep) -> Response:
    """The scorecard table with filters, name search and "find my legislators" by district."""
    return _html(request, db, coalition, slug, "table.html",
                 lambda co, card: _table_context(request, db, co, card, False), embed=False)


@router.get("/embed/c/{coalition}/scorecards/{slug}")
def scorecard_embed(coalition: str, slug: str, request: Request, db: SessionDep) -> Response:
    """The iframe-able scorecard table (framed only by the coalition's embed origins)."""
    return _html(request, db, coalition, slug, "table.html",
                 lambda co, card: _table_context(request, db, co, card, True), embed=True)


def _legislator_context(db, co, card, key: str, embed: bool) -> dict:
    leg = load.legislator_by_key(db, key)
    detail = views.legislator(db, card, leg.id)
    if detail is None:
        raise HTTPException(404, f"{key} is not scored on {co.slug}/{card.slug}")
    current = next((s for s in detail["summaries"] if s["session"] == views.default_session(card)),
                   detail["summaries"][-1])
    return {"org": co, "card": card, "leg": detail, "current": current, "embed": embed,
            "base": f"/c/{co.slug}/scorecards/{card.slug}", "params": {}, "with_params": load.with_params}


@router.get("/c/{coalition}/scorecards/{slug}/legislators/{key:path}")
def legislator_page(coalition: str, slug: str, key: str, request: Request, db: SessionDep) -> Response:
    """Every scored item of one legislator: position, vote, and the rule that applied."""
    return _html(request, db, coalition, slug, "legislator.html",
                 lambda co, card: _legislator_context(db, co, card, key, False), embed=False)


@router.get("/embed/c/{coalition}/scorecards/{slug}/legislators/{key:path}")
def legislator_card(coalition: str, slug: str, key: str, request: Request, db: SessionDep) -> Response:
    """The iframe-able legislator card."""
    return _html(request, db, coalition, slug, "card.html",
                 lambda co, card: _legislator_context(db, co, card, key, True), embed=True)


@router.get("/c/{coalition}/scorecards/{slug}/methodology")
def methodology_page(coalition: str, slug: str, request: Request, db: SessionDep) -> Response:
    """The methodology in plain words, its settings, the items, and the date of the last update."""
    co, card = load.published_card(db, coalition, slug)
    lang = lang_of(request)
    items = views.items(db, card)
    # The rules are written from the settings that compute the scores; the coalition's own text
    # is shown apart, as its note.
    ctx = {"org": co, "card": card, "rules": methodology.rules(card.settings, items, lang),
           "words": methodology.chrome(lang),
           "items": items, "base": f"/c/{co.slug}/scorecards/{card.slug}",
           "embed": False, "params": {}, "with_params": load.with_params,
           "origin": str(request.base_url).rstrip("/")}
    return cached_response(request, card, co, "text/html; charset=utf-8",
                           lambda: render_page(request, "methodology.html", lang, **ctx, **site(request, db, card)),
                           embed=False)


@router.get("/c/{coalition}/scorecards/{slug}/badge.svg")
def badge(coalition: str, slug: str, request: Request, db: SessionDep,
          legislator: Annotated[str, Query(max_length=200, description="legislator key")]) -> Response:
    """An SVG badge with the legislator's score and grade."""
    co, card = load.published_card(db, coalition, slug)
    lang = lang_of(request)

    def _render() -> str:
        ctx = _legislator_context(db, co, card, legislator, True)
        score = ctx["current"]["score"]
        value = (f"{score:g}" if score is not None else render_na(lang)) + \
            (f" {ctx['current']['grade']}" if ctx["current"]["grade"] else "")
        left = ctx["leg"]["name"]
        return render("badge.svg", lang, name=left, value=value, title=card.title, score=score,
                      grade=ctx["current"]["grade"], left_w=12 + 7 * len(left), right_w=14 + 8 * len(value),
                      **site(request, db, card))
    return cached_response(request, card, co, "image/svg+xml", _render, embed=True)


def render_na(lang: str) -> str:
    from api.scorecards.render import translator
    return translator(lang)("na")


@router.get("/oembed")
def oembed(request: Request, db: SessionDep, url: Annotated[str, Query(max_length=2000)],
           format: Annotated[str, Query(pattern="^(json|xml)$", description="json (xml answers 501, as oEmbed says)")] = "json",
           maxwidth: Annotated[int | None, Query(ge=1, le=10_000)] = None,
           maxheight: Annotated[int | None, Query(ge=1, le=10_000)] = None) -> Response:
    """oEmbed (https://oembed.com) for scorecard and legislator pages of this server."""
    if format != "json":
        return JSONResponse({"detail": "only format=json is supported"}, status_code=501)
    parts = urlsplit(url)
    here = urlsplit(str(request.base_url))
    bits = parts.path.strip("/").split("/")
    if parts.netloc != here.netloc or len(bits) < 4 or bits[0] != "c" or bits[2] != "scorecards":
        raise HTTPException(404, f"{url} is not a scorecard page of this server")
    co, card = load.published_card(db, bits[1], bits[3])
    legislator = "/".join(bits[5:]) if len(bits) > 5 and bits[4] == "legislators" else None
    width = min(maxwidth or 800, 1200)
    height = min(maxheight or (260 if legislator else 600), 2000)
    origin = f"{here.scheme}://{here.netloc}"
    src = f"{origin}/embed/c/{co.slug}/scorecards/{card.slug}" + (f"/legislators/{legislator}" if legislator else "")
    if parts.query:
        src += "?" + parts.query
    from markupsafe import escape
    html = (f'<iframe src="{escape(src)}" width="{width}" height="{height}" title="{escape(card.title)}" '
            f'loading="lazy" style="border:0;max-width:100%"></iframe>')
    return JSONResponse({"version": "1.0", "type": "rich", "provider_name": "edtracker",
                         "provider_url": origin, "title": card.title, "author_name": co.name,
                         "html": html, "width": width, "height": height, "cache_age": 60})


@router.get("/embed.js")
def embed_js() -> Response:
    """The one-line snippet's script: inserts the iframe and resizes it (postMessage)."""
    return _static("embed.js", cors=True)


@router.get("/static/scorecards/{name}")
def static(name: str) -> Response:
    return _static(name)


def _static(name: str, cors: bool = False) -> Response:
    path = (STATIC / name).resolve()
    if path.parent != STATIC or not path.is_file() or path.suffix not in STATIC_TYPES:
        raise HTTPException(404, "no such file")
    headers = {"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"}
    if cors:
        headers["Access-Control-Allow-Origin"] = "*"
    return Response(path.read_bytes(), media_type=STATIC_TYPES[path.suffix], headers=headers)
