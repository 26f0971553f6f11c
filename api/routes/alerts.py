"""Alerts: public sign-up (double opt-in), confirm, preferences, one-click unsubscribe, feeds."""
from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import select

from api.deps import SessionDep, SettingsDep
from api.errors import wants_html
from api.i18n import request_lang, translator
from api.pages.common import render
from api.routes.find import client_of
from tracker.alerts import subscribe as svc
from tracker.alerts.feeds import atom, followed_hearings, icalendar, matching_events
from tracker.alerts.kinds import EVENT_KINDS, FREQUENCIES, TARGET_TYPES
from tracker.alerts.dispatch import send_now
from tracker.alerts.outbox import enqueue
from tracker.alerts.render import LANGS as EMAIL_LANGS
from tracker.alerts.targets import describe, find, listed
from tracker.alerts.tokens import BadToken, make_token
from tracker.bills.attribution import legiscan_events
from tracker.coalitions import throttle
from tracker.models import Coalition, IssueArea, Subscription
from tracker.models.base import utcnow

log = logging.getLogger("edtracker.alerts")
router = APIRouter(prefix="/alerts", tags=["alerts"])

# What the sign-up search offers (no keys to type), and which lists are short enough to show whole.
SEARCHABLE = ("bill", "legislator", "committee", "issue_area", "coalition", "jurisdiction", "school_district")
LISTED = ("issue_area", "coalition", "jurisdiction")
SIGNUP_ANSWER = ("If this address can receive mail, a confirmation link is on its way. "
                 "Nothing is sent before you follow it.")


# Sign-up limits live in the database (tracker.coalitions.throttle), so every API worker and
# every restart shares them: one hour, per client address and per email address.
SIGNUP_WINDOW = 3600


def _page(request: Request, title: str, message: str, status: int = 200, **extra) -> HTMLResponse:
    return render(request, "alerts/page.html", {"title": title, "message": message, "coalition": None,
                                                "user": None, **extra}, status_code=status)


def _bad_link(request: Request, exc: BadToken) -> HTMLResponse:
    t = translator(request_lang(request))
    return _page(request, t("alerts.bad_link_title"), t("alerts.bad_link"), 400)


def _signup_page(request: Request, db, target_type: str = "bill", target: str = "", values: dict | None = None,
                 error: svc.InvalidRequest | None = None, status: int = 200, q: str = "") -> HTMLResponse:
    """The sign-up page: what is followed, by name, and an email field; or a search to pick it."""
    chosen, choices = None, []
    if target:
        chosen, choices = find(db, target_type, target)
    elif q:
        one, many = find(db, target_type, q)
        choices = [one] if one else many  # a search never picks for the visitor: they choose
    elif target_type in LISTED:
        choices = listed(db, target_type)
    if error is not None and error.choices:
        choices = error.choices
    return render(request, "alerts/signup.html", {
        "coalition": None, "user": None, "target_type": target_type, "target": target, "chosen": chosen,
        "choices": choices, "q": q or (target if chosen is None else ""), "searchable": SEARCHABLE,
        "kinds": list(EVENT_KINDS), "frequencies": FREQUENCIES, "values": values or {}, "error": error},
        status_code=status)


@router.get("/signup", response_class=HTMLResponse, include_in_schema=False)
def signup_form(request: Request, db: SessionDep, target_type: Annotated[str, Query(max_length=32)] = "bill",
                target: Annotated[str, Query(max_length=500)] = "",
                q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    return _signup_page(request, db, target_type if target_type in TARGET_TYPES else "bill", target, q=q.strip())


@router.post("/signup", status_code=202)
def signup(request: Request, db: SessionDep, settings: SettingsDep, background: BackgroundTasks,
           email: Annotated[str, Form()], target_type: Annotated[str, Form()], target: Annotated[str, Form()],
           frequency: Annotated[str, Form()] = "immediate", kinds: Annotated[list[str] | None, Form()] = None,
           send_time: Annotated[str, Form()] = "08:00", timezone: Annotated[str, Form()] = "America/New_York",
           weekday: Annotated[int, Form()] = 0, coalition: Annotated[str | None, Form()] = None) -> Response:
    """Ask for alerts; the answer is the same whether or not the address is known (a page for a
    browser's form, JSON otherwise)."""
    client = client_of(request)
    wait = throttle.take(db, throttle.key("signup-client", client), settings.alerts_signup_per_hour, SIGNUP_WINDOW)
    db.commit()
    if wait:
        raise HTTPException(429, "too many sign-ups from this address; try again in an hour",
                            headers={"Retry-After": str(wait)})
    coalition_id = db.scalar(select(Coalition.id).where(Coalition.slug == coalition)) if coalition else None
    req = svc.SubscriptionRequest(email=email, target_type=target_type, target=target, kinds=kinds or [],
                                  frequency=frequency, send_time=send_time, timezone=timezone,
                                  weekday=weekday, channel="email", coalition_id=coalition_id,
                                  lang=request_lang(request))
    try:
        req.validate()
        svc.resolve_target(db, req)
    except svc.InvalidRequest as exc:
        if wants_html(request):     # the form again, with what was typed and what is wrong
            return _signup_page(request, db, target_type if target_type in TARGET_TYPES else "bill",
                                target if exc.field != "target" else "", error=exc, status=422, values={
                                    "email": email, "frequency": frequency, "send_time": send_time,
                                    "timezone": timezone, "kinds": kinds or []},
                                q=target if exc.field == "target" else "")
        raise HTTPException(422, {"field": exc.field, "problem": exc.problem}) from None
    # One address receives a bounded number of confirmations, whoever asks (no mail-bombing);
    # past the bound the answer stays the same, so it reveals nothing either.
    over = throttle.take(db, throttle.key("signup-address", req.email), settings.alerts_signup_per_hour,
                         SIGNUP_WINDOW)
    db.commit()
    if not over:
        msg = svc.request_subscription(db, settings, req)
        queued = enqueue(db, msg, req.email, purpose="confirmation", mail_from=settings.mail_from)  # the outbox
        db.commit()
        background.add_task(send_now, request.app.state.engine, settings, [queued.id])
    if wants_html(request):         # a person submitted the form: a page, not JSON
        t = translator(request_lang(request))
        return render(request, "alerts/page.html", {"title": t("alerts.sent_title"), "message": t("alerts.sent"),
                                                    "coalition": None, "user": None, "link": "/",
                                                    "link_text": t("error.go_home")}, status_code=202)
    return JSONResponse({"status": "accepted", "message": SIGNUP_ANSWER}, status_code=202)


@router.get("/confirm/{token}", response_class=HTMLResponse, include_in_schema=False)
def confirm(token: str, request: Request, db: SessionDep, settings: SettingsDep) -> HTMLResponse:
    try:
        person, sub = svc.confirm(db, settings, token)
    except BadToken as exc:
        return _bad_link(request, exc)
    lang = request_lang(request)
    person.lang = lang              # the owner of the address chose it: their emails' language
    db.add(person)
    db.commit()
    t = translator(lang)
    prefs = make_token(settings.secret_key, "preferences", person.id, person.token_version)
    return _page(request, t("alerts.confirmed_title"),
                 t("alerts.confirmed", what=describe(db, sub.target_type, sub.target)),
                 link=f"/alerts/preferences/{prefs}", link_text=t("alerts.your_preferences"))


@router.get("/preferences/{token}", response_class=HTMLResponse, include_in_schema=False)
def preferences(token: str, request: Request, db: SessionDep, settings: SettingsDep) -> HTMLResponse:
    try:
        person, _ = svc.subscriber_from(db, settings, "preferences", token)
    except BadToken as exc:
        return _bad_link(request, exc)
    subs = db.scalars(select(Subscription).where(Subscription.subscriber_id == person.id)
                      .order_by(Subscription.id)).all()
    return render(request, "alerts/preferences.html", {
        "coalition": None, "user": None, "person": person, "token": token, "kinds": list(EVENT_KINDS),
        "frequencies": FREQUENCIES, "subs": [(s, describe(db, s.target_type, s.target)) for s in subs],
        "unsubscribe_all": make_token(settings.secret_key, "unsubscribe", person.id, person.token_version)})


@router.post("/preferences/{token}/lang", response_class=HTMLResponse, include_in_schema=False)
def save_language(token: str, request: Request, db: SessionDep, settings: SettingsDep,
                  email_lang: Annotated[str, Form(max_length=8)]) -> HTMLResponse:
    try:
        person, _ = svc.subscriber_from(db, settings, "preferences", token)
    except BadToken as exc:
        return _bad_link(request, exc)
    t = translator(request_lang(request))
    if email_lang not in EMAIL_LANGS:
        return _page(request, t("alerts.not_saved"), t("alerts.bad_language"), 422)
    person.lang = email_lang
    db.add(person)
    db.commit()
    return _page(request, t("alerts.saved_title"), t("alerts.saved"), link=f"/alerts/preferences/{token}",
                 link_text=t("alerts.back_to_preferences"))


@router.post("/preferences/{token}/{sub_id}", response_class=HTMLResponse, include_in_schema=False)
def save_preferences(token: str, sub_id: int, request: Request, db: SessionDep, settings: SettingsDep,
                     frequency: Annotated[str, Form()], kinds: Annotated[list[str] | None, Form()] = None,
                     send_time: Annotated[str, Form()] = "08:00",
                     timezone: Annotated[str, Form()] = "America/New_York",
                     weekday: Annotated[int, Form()] = 0, active: Annotated[str | None, Form()] = None):
    try:
        person, _ = svc.subscriber_from(db, settings, "preferences", token)
    except BadToken as exc:
        return _bad_link(request, exc)
    sub = db.get(Subscription, sub_id)
    if sub is None or sub.subscriber_id != person.id:
        raise HTTPException(404, "no such alert for this address")
    t = translator(request_lang(request))
    try:
        svc.update_preferences(db, sub, frequency=frequency, kinds=kinds or [], send_time=send_time,
                               timezone=timezone, weekday=weekday, active=active is not None)
    except svc.InvalidRequest as exc:
        return _page(request, t("alerts.not_saved"), t(f"invalid.{exc.field}"), 422)
    db.commit()
    return _page(request, t("alerts.saved_title"), t("alerts.saved"), link=f"/alerts/preferences/{token}",
                 link_text=t("alerts.back_to_preferences"))


@router.get("/unsubscribe/{token}", response_class=HTMLResponse, include_in_schema=False)
def unsubscribe_form(token: str, request: Request, db: SessionDep, settings: SettingsDep) -> HTMLResponse:
    # A GET never unsubscribes: mail scanners open links. The page posts back to the same URL.
    try:
        person, sub = svc.subscriber_from(db, settings, "unsubscribe", token)
    except BadToken as exc:
        return _bad_link(request, exc)
    return render(request, "alerts/unsubscribe.html", {
        "coalition": None, "user": None, "what": describe(db, sub.target_type, sub.target) if sub else None,
        "email": person.email, "token": token})


@router.post("/unsubscribe/{token}")
def unsubscribe(token: str, request: Request, db: SessionDep, settings: SettingsDep) -> Response:
    """One-click unsubscribe (RFC 8058: POST with List-Unsubscribe=One-Click, no cookie, no CSRF
    token: the signed link is the proof) and the confirm page's button."""
    t = translator(request_lang(request))
    try:
        svc.unsubscribe(db, settings, token)
    except BadToken as exc:
        return _bad_link(request, exc)
    db.commit()
    return _page(request, t("alerts.unsubscribed_title"), t("alerts.unsubscribed"))


# --- feeds ---------------------------------------------------------------------------------


def _atom(settings, request: Request, db, title: str, feed_id: str, events) -> Response:
    body = atom(title=title, feed_id=feed_id, self_url=str(request.url),
                base=settings.public_url.rstrip("/"), events=events, credited=legiscan_events(db, events))
    return Response(body, media_type="application/atom+xml")


def _feed_sub(db, feed_token: str) -> Subscription:
    sub = db.scalar(select(Subscription).where(Subscription.feed_token == feed_token))
    if sub is None or (not sub.active and sub.disabled_reason in ("awaiting confirmation", "unsubscribed")):
        raise HTTPException(404, "no such feed")
    return sub


@router.get("/feeds/{feed_token}.atom")
def subscription_feed(feed_token: str, request: Request, db: SessionDep, settings: SettingsDep) -> Response:
    """Atom feed of one subscription (its secret feed token is the address)."""
    sub = _feed_sub(db, feed_token)
    return _atom(settings, request, db, f"edtracker: {describe(db, sub.target_type, sub.target)}",
                 f"tag:edtracker,2025:subscription:{sub.id}", matching_events(db, sub))


@router.get("/feeds/{feed_token}.ics")
def hearings_calendar(feed_token: str, db: SessionDep, settings: SettingsDep) -> Response:
    """iCalendar of hearings on the bills this subscriber follows."""
    sub = _feed_sub(db, feed_token)
    body = icalendar(followed_hearings(db, sub.subscriber_id), name="edtracker hearings",
                     base=settings.public_url.rstrip("/"), now=utcnow())
    return Response(body, media_type="text/calendar; charset=utf-8")


@router.get("/feeds/issue-area/{slug}.atom")
def issue_area_feed(slug: str, request: Request, db: SessionDep, settings: SettingsDep) -> Response:
    """Atom feed of an issue area (all its bills' events)."""
    area = db.scalar(select(IssueArea).where(IssueArea.slug == slug))
    if area is None:
        raise HTTPException(404, f"no issue area {slug!r}")
    probe = Subscription(subscriber_id=0, target_type="issue_area", target=slug, kinds=[], feed_token="")
    return _atom(settings, request, db, f"edtracker: {area.name}", f"tag:edtracker,2025:issue-area:{slug}",
                 matching_events(db, probe))


@router.get("/feeds/coalition/{slug}.atom")
def coalition_feed(slug: str, request: Request, db: SessionDep, settings: SettingsDep) -> Response:
    """Atom feed of a coalition: its public position changes and news on bills it takes a position on."""
    coal = db.scalar(select(Coalition).where(Coalition.slug == slug))
    if coal is None:
        raise HTTPException(404, f"no coalition {slug!r}")
    probe = Subscription(subscriber_id=0, target_type="coalition", target=slug, kinds=[], feed_token="")
    return _atom(settings, request, db, f"edtracker: {coal.name}", f"tag:edtracker,2025:coalition:{slug}",
                 matching_events(db, probe))
