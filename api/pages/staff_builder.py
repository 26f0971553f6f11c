"""The scorecard builder's staff pages (issue 17): the list and the create form, and one page per
scorecard with its items, the bill search to add roll calls and sponsorships, manual items,
"will be scored" notices, the methodology settings with a preview, publishing and the change log.
Forms post with a CSRF token and work without scripts; a bad field is shown next to it."""
from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import func, select

from api.deps import SessionDep
from api.i18n import request_lang
from api.pages.common import check_csrf, csrf_token, render
from api.pages.staff import _need
from tracker.coalitions.auth import role_allows
from tracker.models import Bill, Jurisdiction, Scorecard, ScoredItem
from tracker.scoring import builder, notices
from tracker.scoring.attention import needing_preferred
from tracker.scoring.preview import preview as preview_settings
from tracker.scoring.settings import MISSING_POLICIES, POLICIES, SPONSORSHIP_MODES, ScoringSettings
from tracker.scoring.views import items as card_items

router = APIRouter(prefix="/c/{slug}/staff/scorecards", include_in_schema=False)
Csrf = Annotated[str, Form(max_length=128)]
Short = Annotated[str, Form(max_length=300)]
Long = Annotated[str, Form(max_length=10_000)]
LANGS_FIELD = Annotated[list[str], Form()]

# The service's field messages in Spanish (pattern of the English message, Spanish template);
# a message without a match is shown as the service wrote it.
ES_MESSAGES = [
    (r"this field is required", "este campo es obligatorio"),
    (r"at most (\d+) characters", "como máximo {0} caracteres"),
    (r"use 1 to 64 lowercase letters, digits and dashes", "use de 1 a 64 minúsculas, cifras y guiones"),
    (r"the coalition already has a scorecard (.+)", "la coalición ya tiene una calificación {0}"),
    (r"no jurisdiction (.+)", "no existe la jurisdicción {0}"),
    (r"choose at least one language", "elija al menos un idioma"),
    (r"(.+) is not a number", "{0} no es un número"),
    (r"the weight must be more than 0 and at most 100", "el peso debe ser mayor que 0 y como máximo 100"),
    (r"choose yes, no, or follow the coalition's public position",
     "elija sí, no, o seguir la postura pública de la coalición"),
    (r"no roll call (.+?) \(.*", "no existe la votación {0} (anuncie una votación futura con un aviso)"),
    (r"no bill (.+)", "no existe el proyecto {0}"),
    (r"a manual item needs a written rationale", "un elemento manual necesita una justificación escrita"),
    (r"a manual item needs a label", "un elemento manual necesita una etiqueta"),
    (r"this is already on the scorecard", "ya está en la calificación"),
    (r"only passage votes and sponsorships .*",
     "solo las votaciones de aprobación y las autorías siguen la postura de la coalición; elija sí o no"),
    (r"(\w+) must be between 0 and 1", "{0} debe estar entre 0 y 1"),
    (r"(\w+) must be 0 or more", "{0} debe ser 0 o más"),
    (r"rounding must be 0 to 3 decimals", "el redondeo debe ser de 0 a 3 decimales"),
    (r"choose one of (.+)", "elija uno de: {0}"),
    (r"type the scorecard's short name", "escriba el nombre corto de la calificación"),
]


def field_errors(request: Request, errors: dict[str, str]) -> dict[str, str]:
    """The errors in the page's language."""
    if request_lang(request) != "es":
        return errors
    out = {}
    for field, msg in errors.items():
        for pattern, es in ES_MESSAGES:
            m = re.fullmatch(pattern, msg)
            if m:
                msg = es.format(*m.groups())
                break
        out[field] = msg
    return out


def _list_context(request, db, coal, user, **extra) -> dict:
    attention = needing_preferred(db, coal.id)
    cards = []
    for card in db.execute(select(Scorecard).where(Scorecard.coalition_id == coal.id).order_by(Scorecard.slug)).scalars():
        n = db.execute(select(func.count()).select_from(ScoredItem).where(ScoredItem.scorecard_id == card.id)).scalar()
        cards.append({"slug": card.slug, "title": card.title, "published": card.published_at is not None,
                      "n_items": n, "unscored": sum(1 for a in attention if a["scorecard"] == card.slug)})
    # Jurisdictions with bills first (the usual choice), then the others.
    with_bills = set(db.execute(select(Bill.jurisdiction_id).distinct()).scalars())
    jurisdictions = sorted(db.execute(select(Jurisdiction.id, Jurisdiction.name)).all(),
                           key=lambda j: (j[0] not in with_bills, j[0] != "us", j[1]))
    return {"coalition": coal, "user": user, "cards": cards, "attention": attention, "csrf": csrf_token(request),
            "can_edit": role_allows(user.role, "editor"), "jurisdictions": jurisdictions,
            "form": {"languages": ["en", "es"]}, **extra,
            "errors": field_errors(request, extra.get("errors") or {})}


@router.get("", response_class=HTMLResponse)
def scorecards(slug: str, request: Request, db: SessionDep) -> HTMLResponse:
    """The coalition's scorecards, the create form, and items nobody is scored on yet."""
    coal, user = _need(request, db, slug)
    return render(request, "staff_scorecards.html", _list_context(request, db, coal, user))


@router.post("", response_class=HTMLResponse)
def create(slug: str, request: Request, db: SessionDep, csrf: Csrf = "", sc_slug: Short = "", title: Short = "",
           jurisdiction: Short = "", chambers: LANGS_FIELD = [], sessions: Short = "",  # noqa: B006
           languages: LANGS_FIELD = []):  # noqa: B006
    check_csrf(request, csrf)
    coal, user = _need(request, db, slug, "editor")
    form = {"sc_slug": sc_slug, "title": title, "jurisdiction": jurisdiction, "chambers": chambers,
            "sessions": sessions, "languages": languages}
    try:
        card = builder.create(db, coal, slug=sc_slug, title=title, jurisdiction=jurisdiction, chambers=chambers,
                              sessions=sessions.replace(",", " ").split(), languages=languages, by=user.email)
    except builder.FieldError as exc:
        db.rollback()
        field = "sc_slug" if exc.field == "slug" else exc.field
        return render(request, "staff_scorecards.html",
                      _list_context(request, db, coal, user, errors={field: exc.message}, form=form), status_code=422)
    db.commit()
    return RedirectResponse(f"/c/{slug}/staff/scorecards/{card.slug}", status_code=303)


# --- one scorecard -------------------------------------------------------------------------------


def _card(db, coal, sc: str) -> Scorecard:
    card = db.execute(select(Scorecard).where(Scorecard.coalition_id == coal.id, Scorecard.slug == sc)).scalar_one_or_none()
    if card is None:
        raise HTTPException(404, f"no scorecard {sc!r} in this coalition")
    return card


def _card_context(request, db, coal, user, card, **extra) -> dict:
    q = (request.query_params.get("q") or "").strip()[:200]
    bills = builder.find_bills(db, card, q) if q else []
    found = [{"bill": b, "votes": builder.roll_calls(db, b.key), "default": builder.default_preferred(db, card, b.key)}
             for b in bills]
    taken = set(db.execute(select(ScoredItem.slug).where(ScoredItem.scorecard_id == card.id)).scalars())
    return {"coalition": coal, "user": user, "card": card, "csrf": csrf_token(request),
            "can_edit": role_allows(user.role, "editor"), "items": card_items(db, card),
            "raw_items": {i.id: i for i in db.execute(select(ScoredItem).where(ScoredItem.scorecard_id == card.id)).scalars()},
            "waiting": notices.waiting(db, card), "q": q, "found": found, "taken": taken,
            "changes": builder.changes(db, card), "settings": ScoringSettings.from_dict(card.settings),
            "POLICIES": list(POLICIES), "MISSING": list(MISSING_POLICIES), "SPONSOR_MODES": list(SPONSORSHIP_MODES),
            "form": {}, "preview": None, "saved": request.query_params.get("saved"), **extra,
            "errors": field_errors(request, extra.get("errors") or {})}


def _page(request, db, coal, user, card, status: int = 200, **extra):
    return render(request, "staff_scorecard.html", _card_context(request, db, coal, user, card, **extra),
                  status_code=status)


@router.get("/{sc}", response_class=HTMLResponse)
def card_page(slug: str, sc: str, request: Request, db: SessionDep) -> HTMLResponse:
    coal, user = _need(request, db, slug)
    return _page(request, db, coal, user, _card(db, coal, sc))


def _done(slug: str, sc: str, what: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/c/{slug}/staff/scorecards/{sc}?saved={what}{anchor}", status_code=303)


def _editor(request, db, slug: str, sc: str, csrf: str):
    check_csrf(request, csrf)
    coal, user = _need(request, db, slug, "editor")
    return coal, user, _card(db, coal, sc)


@router.post("/{sc}/details", response_class=HTMLResponse)
def details(slug: str, sc: str, request: Request, db: SessionDep, csrf: Csrf = "", title: Short = "",
            chambers: LANGS_FIELD = [], sessions: Short = "", languages: LANGS_FIELD = [],  # noqa: B006
            methodology: Long = ""):
    coal, user, card = _editor(request, db, slug, sc, csrf)
    try:
        builder.update(db, card, {"title": title, "chambers": chambers, "sessions": sessions.replace(",", " ").split(),
                                  "languages": languages, "methodology": methodology}, by=user.email)
    except builder.FieldError as exc:
        db.rollback()
        return _page(request, db, coal, user, _card(db, coal, sc), 422, errors={exc.field: exc.message})
    db.commit()
    return _done(slug, sc, "details")


@router.post("/{sc}/items", response_class=HTMLResponse)
def add_item(slug: str, sc: str, request: Request, db: SessionDep, csrf: Csrf = "", kind: Short = "",
             vote_event_key: Short = "", bill_key: Short = "", preferred: Short = "", weight: Short = "1",
             label: Short = "", rationale: Long = ""):
    coal, user, card = _editor(request, db, slug, sc, csrf)
    try:
        builder.add(db, card, kind=kind, vote_event_key=vote_event_key, bill_key=bill_key, preferred=preferred,
                    weight=weight, label=label, rationale=rationale, by=user.email)
    except builder.FieldError as exc:
        db.rollback()
        form = {"kind": kind, "label": label, "rationale": rationale, "weight": weight}
        return _page(request, db, coal, user, _card(db, coal, sc), 422,
                     errors={("manual_" if kind == "manual" else "add_") + exc.field: exc.message}, form=form)
    db.commit()
    return _done(slug, sc, "item", "#items-h")


@router.post("/{sc}/items/{item_id}", response_class=HTMLResponse)
def edit_item(slug: str, sc: str, item_id: int, request: Request, db: SessionDep, csrf: Csrf = "",
              preferred: Short = "", weight: Short = "1", rationale: Long = ""):
    coal, user, card = _editor(request, db, slug, sc, csrf)
    item = builder.get_item(db, card, item_id)
    if item is None:
        raise HTTPException(404, f"no item {item_id} on {sc}")
    changes = {"weight": weight, "rationale": rationale}
    if item.kind != "manual":
        changes["preferred"] = "" if preferred == "follow" else preferred
    try:
        builder.update_item(db, item, changes, by=user.email)
    except builder.FieldError as exc:
        db.rollback()
        return _page(request, db, coal, user, _card(db, coal, sc), 422,
                     errors={f"item{item_id}_{exc.field}": exc.message})
    db.commit()
    return _done(slug, sc, "item", f"#item-{item_id}")


@router.post("/{sc}/items/{item_id}/remove")
def remove_item(slug: str, sc: str, item_id: int, request: Request, db: SessionDep, csrf: Csrf = ""):
    coal, user, card = _editor(request, db, slug, sc, csrf)
    item = builder.get_item(db, card, item_id)
    if item is None:
        raise HTTPException(404, f"no item {item_id} on {sc}")
    builder.remove_item(db, item, by=user.email)
    db.commit()
    return _done(slug, sc, "removed", "#items-h")


@router.post("/{sc}/notices", response_class=HTMLResponse)
def post_notice(slug: str, sc: str, request: Request, db: SessionDep, csrf: Csrf = "", bill_key: Short = "",
                chamber: Short = "", kind: Short = "floor_vote", preferred: Short = "", text: Long = "",
                weight: Short = "1"):
    coal, user, card = _editor(request, db, slug, sc, csrf)
    try:
        notices.post(db, card, bill_key=bill_key, chamber=chamber, kind=kind, preferred=preferred, text=text,
                     weight=weight, by=user.email)
    except builder.FieldError as exc:
        db.rollback()
        return _page(request, db, coal, user, _card(db, coal, sc), 422, errors={"notice_" + exc.field: exc.message},
                     form={"notice_bill_key": bill_key, "notice_text": text})
    db.commit()
    return _done(slug, sc, "notice", "#notice-h")


_SETTING_FIELDS = ("absence_policy", "excused_policy", "paired_policy", "present_policy", "partial_credit",
                   "min_participation", "missing_from_roll", "sponsorship_mode", "rounding")


@router.post("/{sc}/settings", response_class=HTMLResponse)
async def settings(slug: str, sc: str, request: Request, db: SessionDep):
    """Preview (nothing saved: whose score changes and by how much) or save the methodology."""
    form = await request.form()
    coal, user, card = _editor(request, db, slug, sc, str(form.get("csrf", "")))
    changes = {k: str(form.get(k, ""))[:32] for k in _SETTING_FIELDS if form.get(k) not in (None, "")}
    changes["lifetime"] = form.get("lifetime") == "on"
    try:
        if form.get("action") == "save":
            builder.update(db, card, {"settings": changes}, by=user.email)
            db.commit()
            return _done(slug, sc, "settings", "#settings-h")
        new, rows, scored = preview_settings(db, card, changes)
    except builder.FieldError as exc:
        db.rollback()
        return _page(request, db, coal, user, _card(db, coal, sc), 422, errors={"setting_" + exc.field: exc.message})
    card = _card(db, coal, sc)
    return _page(request, db, coal, user, card, preview={"rows": rows, "scored": scored, "new": new},
                 settings=ScoringSettings.from_dict(new))


@router.post("/{sc}/publish")
def publish(slug: str, sc: str, request: Request, db: SessionDep, csrf: Csrf = "", publish: Short = "1"):
    coal, user, card = _editor(request, db, slug, sc, csrf)
    builder.set_published(db, card, publish == "1", by=user.email)
    db.commit()
    return _done(slug, sc, "published" if publish == "1" else "unpublished")


@router.post("/{sc}/delete")
def delete(slug: str, sc: str, request: Request, db: SessionDep, csrf: Csrf = "", confirm: Short = ""):
    coal, user, card = _editor(request, db, slug, sc, csrf)
    if confirm.strip() != card.slug:
        return _page(request, db, coal, user, card, 422, errors={"confirm": "type the scorecard's short name"})
    builder.delete_card(db, card, by=user.email)
    db.commit()
    return RedirectResponse(f"/c/{slug}/staff/scorecards", status_code=303)
