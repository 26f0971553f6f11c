"""Embed setup and API keys, staff pages (issue 17). Embed: the sites allowed to frame the
coalition's scorecards (editors change them here; `edtracker coalition load` only adds), the
snippet to copy, and a live preview of the embed, the badge and the oEmbed answer. API keys:
created with a role up to the creator's own, shown once, stored hashed, revocable."""
from __future__ import annotations

import json
import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from api.deps import SessionDep, SettingsDep
from api.i18n import request_lang
from api.pages.common import check_csrf, csrf_token, render
from api.pages.staff import _need
from api.security import PAGE_CSP
from tracker.coalitions.auth import new_api_key, role_allows
from tracker.coalitions.schema import CoalitionSettings
from tracker.models import ApiKey, Scorecard, ScoreSummary, Legislator
from tracker.models.base import utcnow
from tracker.vocab import ROLES

router = APIRouter(prefix="/c/{slug}/staff", include_in_schema=False)
Csrf = Annotated[str, Form(max_length=128)]
# The preview frames our own embed: this page alone may frame pages of this server.
ORIGIN = re.compile(r"^https?://[^/\s]+$")
EMBED_PREVIEW_CSP = PAGE_CSP.replace("default-src 'none';", "default-src 'none'; frame-src 'self';")


def _origins(coal) -> list[str]:
    return list((coal.settings or {}).get("embed_origins") or [])


def _embed_context(request, db, settings, coal, user, **extra) -> dict:
    base = (settings.public_url or str(request.base_url)).rstrip("/")
    cards = []
    for card in db.execute(select(Scorecard).where(Scorecard.coalition_id == coal.id,
                                                   Scorecard.published_at.is_not(None)).order_by(Scorecard.slug)).scalars():
        leg = db.execute(select(Legislator.key).join(ScoreSummary, ScoreSummary.legislator_id == Legislator.id)
                         .where(ScoreSummary.scorecard_id == card.id).order_by(Legislator.name).limit(1)).scalar()
        page = f"{base}/c/{coal.slug}/scorecards/{card.slug}"
        lang_attr = ' data-lang="es"' if request_lang(request) == "es" else ""
        cards.append({"card": card, "legislator": leg, "page": page,
                      "snippet": f'<script src="{base}/embed.js" data-scorecard="{coal.slug}/{card.slug}"'
                                 f'{lang_attr} async></script>',
                      "iframe": f"/embed/c/{coal.slug}/scorecards/{card.slug}",
                      "badge": f"/c/{coal.slug}/scorecards/{card.slug}/badge.svg?legislator={quote(leg)}" if leg else None,
                      "badge_snippet": f'<img src="{page}/badge.svg?legislator={quote(leg)}" alt="{card.title}">' if leg else None,
                      "oembed_url": f"{base}/oembed?url={quote(page, safe='')}",
                      "oembed": _oembed(request, db, page)})
    return {"coalition": coal, "user": user, "csrf": csrf_token(request), "cards": cards,
            "can_edit": role_allows(user.role, "editor"), "origins": "\n".join(_origins(coal)),
            "errors": {}, "saved": request.query_params.get("saved"), **extra}


def _oembed(request, db, page: str) -> str:
    """The oEmbed answer for the page, as the /oembed route gives it (pretty JSON)."""
    from api.scorecards.pages import oembed
    try:
        here = str(request.base_url).rstrip("/")
        path = page.split("/c/", 1)[1]
        resp = oembed(request, db, url=f"{here}/c/{path}")
        return json.dumps(json.loads(resp.body), indent=2, ensure_ascii=False)
    except HTTPException as exc:
        return str(exc.detail)


def _embed_page(request, db, settings, coal, user, status: int = 200, **extra):
    resp = render(request, "staff_embed.html", _embed_context(request, db, settings, coal, user, **extra),
                  status_code=status)
    resp.headers["Content-Security-Policy"] = EMBED_PREVIEW_CSP
    return resp


@router.get("/embed", response_class=HTMLResponse)
def embed_setup(slug: str, request: Request, db: SessionDep, settings: SettingsDep) -> HTMLResponse:
    coal, user = _need(request, db, slug)
    return _embed_page(request, db, settings, coal, user)


@router.post("/embed", response_class=HTMLResponse)
def save_origins(slug: str, request: Request, db: SessionDep, settings: SettingsDep,
                 embed_origins: Annotated[str, Form(max_length=10_000)] = "", csrf: Csrf = ""):
    check_csrf(request, csrf)
    coal, user = _need(request, db, slug, "editor")
    origins = list(dict.fromkeys(o.strip().rstrip("/") for o in embed_origins.splitlines() if o.strip()))
    try:
        CoalitionSettings(embed_origins=origins)
    except ValueError:
        bad = [o for o in origins if not ORIGIN.match(o)]
        return _embed_page(request, db, settings, coal, user, 422, origins=embed_origins,
                           errors={"embed_origins": ", ".join(bad)})
    before = _origins(coal)
    coal.settings = {**(coal.settings or {}), "embed_origins": origins}
    db.add(coal)
    # Every embed answer carries the allowlist in its CSP and is cached by version: bump them.
    for card in db.execute(select(Scorecard).where(Scorecard.coalition_id == coal.id)).scalars():
        card.version = (card.version or 0) + 1
        db.add(card)
        if before != origins:
            from tracker.scoring.builder import log
            log(db, card, "updated", user.email, embed_origins=origins)
    db.commit()
    return RedirectResponse(f"/c/{slug}/staff/embed?saved=1", status_code=303)


# --- API keys ------------------------------------------------------------------------------------


def _keys_page(request, db, coal, user, status: int = 200, **extra):
    keys = db.execute(select(ApiKey).where(ApiKey.coalition_id == coal.id).order_by(ApiKey.id.desc())).scalars().all()
    roles = [r for r in ROLES if role_allows(user.role, r)]
    return render(request, "staff_keys.html", {"coalition": coal, "user": user, "csrf": csrf_token(request),
                                               "keys": keys, "roles": roles, "errors": {}, "new_key": None,
                                               "can_edit": role_allows(user.role, "editor"), **extra},
                  status_code=status)


@router.get("/keys", response_class=HTMLResponse)
def keys_page(slug: str, request: Request, db: SessionDep) -> HTMLResponse:
    coal, user = _need(request, db, slug, "editor")
    return _keys_page(request, db, coal, user)


@router.post("/keys", response_class=HTMLResponse)
def create_key(slug: str, request: Request, db: SessionDep, csrf: Csrf = "",
               name: Annotated[str, Form(max_length=200)] = "", role: Annotated[str, Form(max_length=16)] = "viewer"):
    """A new key, shown once on the answer page (never again: only its hash is kept)."""
    check_csrf(request, csrf)
    coal, user = _need(request, db, slug, "editor")
    errors = {}
    if not name.strip():
        errors["name"] = "name"
    if role not in ROLES or not role_allows(user.role, role):
        errors["role"] = "role"
    if errors:
        return _keys_page(request, db, coal, user, 422, errors=errors)
    key, prefix, hashed = new_api_key()
    db.add(ApiKey(coalition_id=coal.id, name=f"{name.strip()} (by {user.email})", prefix=prefix, key_hash=hashed,
                  role=role))
    db.commit()
    resp = _keys_page(request, db, coal, user, new_key=key)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@router.post("/keys/{key_id}/revoke")
def revoke_key(slug: str, key_id: int, request: Request, db: SessionDep, csrf: Csrf = ""):
    check_csrf(request, csrf)
    coal, user = _need(request, db, slug, "editor")
    key = db.get(ApiKey, key_id)
    if key is None or key.coalition_id != coal.id:
        raise HTTPException(404, f"no API key {key_id} in this coalition")
    if not role_allows(user.role, key.role):
        raise HTTPException(403, f"revoking a {key.role} key needs the {key.role} role")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        db.add(key)
        db.commit()
    return RedirectResponse(f"/c/{slug}/staff/keys", status_code=303)
