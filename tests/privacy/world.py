"""A coalition with a published scorecard of real Mississippi roll calls (the Charter Schools Act
of 2013, HB 369, from ../shared/fixtures/legiscan-ms-xml), subscribers by email, webhook and feed,
a staff editor, and a walk over every public route of the app.

The walk enumerates the app's routes, so a public route added later fails `public_urls` until it
is given sample URLs here: nothing public escapes the privacy tests."""
from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from scrapers.importer import iter_records, plan
from tests.conftest import real_fixture
from tracker.alerts.tokens import make_token
from tracker.coalitions.auth import hash_password
from tracker.ingest import Ingestor
from tracker.models import ChangeEvent, Coalition, MemberOrganization, StaffUser, Subscriber, Subscription
from tracker.scoring import service
from tracker.tagging.store import retag

BILL = "ms-2013-hb369"
LATE_VOTE = "258529.xml"       # the Senate's conference-report roll call, imported after subscribing
HOUSE_MEMBER = "legiscan:6499"
COMMITTEE = "ms-lower-education"  # Bell: on both House roll calls
STAFF = ("editor@edfund.example", "s3cret-pass-123")
# Unique words no public page may ever show: the private rationale and the member's private note.
SECRET_RATIONALE = "PRIVATE-RATIONALE-b7e1 we quietly oppose charter expansion"
SECRET_NOTE = "PRIVATE-MEMBER-NOTE-41c9 our board has not agreed to say this"
SECRET_WORDS = ("PRIVATE-RATIONALE-b7e1", "PRIVATE-MEMBER-NOTE-41c9")

# Routes left out of the walk: staff pages (behind a login) and the writes a visitor can make.
STAFF_PREFIX = "/c/{slug}/staff"
# Mounted apps that serve files shipped with the code (no stored data); a new mount fails the walk.
STATIC_MOUNTS = {"/assets": ["/assets/site.css"], "/assets/docs": []}
WRITES = {("POST", "/alerts/signup"), ("POST", "/alerts/preferences/{token}/{sub_id}"),
          ("POST", "/alerts/preferences/{token}/lang"),  # the language of the emails: answers with a page of words only
          ("POST", "/alerts/unsubscribe/{token}"), ("PUT", "/api/coalitions/{slug}/positions/{bill_key}"),
          ("POST", "/api/coalitions/{slug}/tags/{tag_id}"),
          # the address form: answers from the geocoder and the legislators' public pages only
          ("POST", "/find"),
          # first run: closed (404) once any staff account exists, as in every walk
          ("POST", "/setup"),
          # the scorecard builder's API (issue 17): editor keys of the coalition only
          ("POST", "/api/coalitions/{slug}/scorecards"), ("PATCH", "/api/coalitions/{slug}/scorecards/{sc}"),
          ("DELETE", "/api/coalitions/{slug}/scorecards/{sc}"), ("POST", "/api/coalitions/{slug}/scorecards/{sc}/items"),
          ("PATCH", "/api/coalitions/{slug}/scorecards/{sc}/items/{item_id}"),
          ("DELETE", "/api/coalitions/{slug}/scorecards/{sc}/items/{item_id}"),
          ("POST", "/api/coalitions/{slug}/scorecards/{sc}/notices"),
          ("POST", "/api/coalitions/{slug}/scorecards/{sc}/publish"),
          ("POST", "/api/coalitions/{slug}/scorecards/{sc}/unpublish")}


# Every staff route and who may use it: "open" (no login: the link or the form is the
# credential), else the least role. The staff walk (test_staff_routes.py) enumerates the app's
# routes, so a staff route added later fails `staff_routes` until it is listed here.
STAFF_ROUTES = {
    ("GET", "/c/{slug}/staff/login"): "open", ("POST", "/c/{slug}/staff/login"): "open",
    ("GET", "/c/{slug}/staff/forgot"): "open", ("POST", "/c/{slug}/staff/forgot"): "open",
    ("GET", "/c/{slug}/staff/reset/{token}"): "open", ("POST", "/c/{slug}/staff/reset/{token}"): "open",
    ("GET", "/c/{slug}/staff/invite/{token}"): "open", ("POST", "/c/{slug}/staff/invite/{token}"): "open",
    ("POST", "/c/{slug}/staff/logout"): "open",
    ("GET", "/c/{slug}/staff/"): "viewer", ("GET", "/c/{slug}/staff/password"): "viewer",
    ("POST", "/c/{slug}/staff/password"): "viewer", ("GET", "/c/{slug}/staff/scorecards"): "viewer",
    ("POST", "/c/{slug}/staff/tags/{tag_id}"): "editor", ("POST", "/c/{slug}/staff/bills/{key}/position"): "editor",
    ("POST", "/c/{slug}/staff/scorecards/items/{item_id}/preferred"): "editor",
    ("GET", "/c/{slug}/staff/settings"): "admin", ("POST", "/c/{slug}/staff/settings"): "admin",
    ("GET", "/c/{slug}/staff/alerts"): "admin",
    # issue 17: people, audit, operations, webhooks
    ("GET", "/c/{slug}/staff/people"): "admin", ("POST", "/c/{slug}/staff/people/invite"): "admin",
    ("POST", "/c/{slug}/staff/people/{user_id}/role"): "admin",
    ("POST", "/c/{slug}/staff/people/{user_id}/active"): "admin",
    ("POST", "/c/{slug}/staff/people/{user_id}/reset"): "admin",
    ("POST", "/c/{slug}/staff/people/invitations/{invitation_id}/revoke"): "admin",
    ("GET", "/c/{slug}/staff/audit"): "admin", ("GET", "/c/{slug}/staff/operations"): "admin",
    ("GET", "/c/{slug}/staff/quality"): "admin", ("POST", "/c/{slug}/staff/quality/alias"): "admin",
    ("GET", "/c/{slug}/staff/crawls"): "admin",
    ("GET", "/c/{slug}/staff/webhooks"): "admin", ("POST", "/c/{slug}/staff/webhooks"): "admin",
    ("POST", "/c/{slug}/staff/webhooks/{hook_id}/test"): "admin",
    ("POST", "/c/{slug}/staff/webhooks/{hook_id}/revoke"): "admin",
    # issue 17: positions, member organizations, the matrix, the watchlist
    ("GET", "/c/{slug}/staff/positions"): "viewer", ("GET", "/c/{slug}/staff/positions.csv"): "viewer",
    ("GET", "/c/{slug}/staff/positions/history.csv"): "viewer",
    ("GET", "/c/{slug}/staff/positions/{key}"): "viewer", ("POST", "/c/{slug}/staff/positions"): "editor",
    ("GET", "/c/{slug}/staff/members"): "viewer", ("POST", "/c/{slug}/staff/members"): "editor",
    ("POST", "/c/{slug}/staff/members/{member_id}/invite"): "admin",
    ("GET", "/c/{slug}/staff/stances"): "member", ("POST", "/c/{slug}/staff/stances"): "member",
    ("GET", "/c/{slug}/staff/matrix"): "viewer", ("GET", "/c/{slug}/staff/matrix.csv"): "viewer",
    ("GET", "/c/{slug}/staff/watchlist"): "viewer", ("GET", "/c/{slug}/staff/watchlist.csv"): "viewer",
    ("POST", "/c/{slug}/staff/watchlist"): "editor",
    # issue 17: the scorecard builder, embed setup and API keys
    ("POST", "/c/{slug}/staff/scorecards"): "editor", ("GET", "/c/{slug}/staff/scorecards/{sc}"): "viewer",
    ("POST", "/c/{slug}/staff/scorecards/{sc}/details"): "editor",
    ("POST", "/c/{slug}/staff/scorecards/{sc}/items"): "editor",
    ("POST", "/c/{slug}/staff/scorecards/{sc}/items/{item_id}"): "editor",
    ("POST", "/c/{slug}/staff/scorecards/{sc}/items/{item_id}/remove"): "editor",
    ("POST", "/c/{slug}/staff/scorecards/{sc}/notices"): "editor",
    ("POST", "/c/{slug}/staff/scorecards/{sc}/settings"): "editor",
    ("POST", "/c/{slug}/staff/scorecards/{sc}/publish"): "editor",
    ("POST", "/c/{slug}/staff/scorecards/{sc}/delete"): "editor",
    ("GET", "/c/{slug}/staff/embed"): "viewer", ("POST", "/c/{slug}/staff/embed"): "editor",
    ("GET", "/c/{slug}/staff/keys"): "editor", ("POST", "/c/{slug}/staff/keys"): "editor",
    ("POST", "/c/{slug}/staff/keys/{key_id}/revoke"): "editor",
}
# Form fields a staff POST needs to pass validation (so the walk reaches the login and role checks).
STAFF_FORMS = {
    "/c/{slug}/staff/bills/{key}/position": {"stance": "oppose", "rationale": "walk"},
    "/c/{slug}/staff/password": {"current_password": "wrong-password", "new_password": "walk-pass-123",
                                 "new_password_again": "walk-pass-123"},
    "/c/{slug}/staff/scorecards/items/{item_id}/preferred": {"preferred": "no"},
    "/c/{slug}/staff/settings": {"name": "Taken Over"},
    "/c/{slug}/staff/tags/{tag_id}": {"decision": "rejected"},
    "/c/{slug}/staff/people/invite": {"email": "walker@example.org", "role": "admin"},
    "/c/{slug}/staff/members/{member_id}/invite": {"email": "walker@example.org"},
    "/c/{slug}/staff/people/{user_id}/role": {"role": "viewer"},
    "/c/{slug}/staff/people/{user_id}/active": {"active": "0"},
    "/c/{slug}/staff/webhooks": {"url": "https://example.org/hook"},
    "/c/{slug}/staff/quality/alias": {"jurisdiction": "ms", "raw_name": "Walker", "legislator_key": HOUSE_MEMBER},
}
# Values for the staff routes' path parameters (an id that exists or not: the role is checked first).
STAFF_PARAMS = {"slug": "edfund", "tag_id": "1", "key": BILL, "item_id": "1", "user_id": "1",
                "invitation_id": "1", "token": "not-a-token", "hook_id": "1", "member_id": "1", "sc": "charter-2013",
                "key_id": "1"}


def staff_routes(app) -> dict[tuple[str, str], tuple[str, dict]]:
    """(method, sample URL) -> (role, form) for every staff route; raises naming routes not listed."""
    out, missing = {}, []
    for method, path in app_routes(app):
        if not path.startswith(STAFF_PREFIX):
            continue
        role = STAFF_ROUTES.get((method, path))
        if role is None:
            missing.append(f"{method} {path}")
            continue
        url = re.sub(r"\{(\w+)(:path)?\}", lambda m: STAFF_PARAMS[m.group(1)], path)
        out[(method, url)] = (role, STAFF_FORMS.get(path, {}) if method == "POST" else {})
    if missing:
        raise AssertionError("staff routes without a role in tests/privacy/world.py STAFF_ROUTES: "
                             + ", ".join(missing))
    return out


def ms_folder(tmp_path: Path, *, late: bool) -> Path:
    """The ms-2013 folder (links to the real files), without the late roll call unless `late`."""
    src = real_fixture("legiscan-ms-xml", "ms-2013")
    dst = tmp_path / ("ms-late" if late else "ms-early") / "ms-2013"
    for f in src.rglob("*"):
        if f.is_file() and (late or f.name != LATE_VOTE):
            (dst / f.relative_to(src).parent).mkdir(parents=True, exist_ok=True)
            (dst / f.relative_to(src)).symlink_to(f)
    return dst


def import_folder(engine, folder: Path) -> None:
    report = Ingestor(engine, today=dt.date(2013, 6, 1)).ingest(iter_records(plan([folder])))
    assert report.counts.get("error", 0) == 0, [str(e) for e in report.errors[:3]]


@dataclass
class World:
    engine: object
    client: TestClient
    staff: TestClient
    coalition_id: int
    tokens: dict[str, str] = field(default_factory=dict)        # name -> feed token
    prefs: dict[str, str] = field(default_factory=dict)         # name -> preferences token
    senator: str = ""


def build(engine, app, tmp_path: Path, secret_key: str, webhook_url: str | None = None) -> World:
    """Everything but the late roll call; a published scorecard whose passage vote and sponsorship
    items follow the coalition's stance (there is none yet); subscribers who claim the coalition."""
    import_folder(engine, ms_folder(tmp_path, late=False))
    # A committee of the House member, so the committee pages show real answers (hand-made: the
    # LegiScan files name no committee members).
    Ingestor(engine).ingest([{"type": "committee", "key": COMMITTEE, "jurisdiction": "ms",
                              "name": "Education", "chamber": "lower",
                              "members": [{"person": {"name": "Bell", "ids": {"legiscan": "6499"}}, "role": "chair"}],
                              "source": {"format": "test", "url": "file:///tests/privacy/world.py",
                                         "fetched_at": "2013-03-01T00:00:00Z"}}])
    with Session(engine) as db:
        co = Coalition(slug="edfund", name="Education Fund", settings={"embed_origins": ["https://partner.example"]})
        db.add(co)
        db.flush()
        db.add(MemberOrganization(coalition_id=co.id, slug="parents", name="Parents United"))
        db.add(StaffUser(coalition_id=co.id, email=STAFF[0], password_hash=hash_password(STAFF[1]), role="editor"))
        db.commit()
        coalition_id = co.id
    retag(engine)
    retag(engine, coalition="edfund")
    with Session(engine) as db:
        card = service.create_scorecard(db, coalition="edfund", slug="ms-2013", jurisdiction="ms",
                                        title="Mississippi House 2013", sessions=["2013"], publish=True,
                                        methodology="We track charter-school bills.")
        service.add_item(db, card, kind="floor_vote", vote_event_key="ms-legiscan-221575")  # follows the stance
        service.add_item(db, card, kind="floor_vote", vote_event_key="ms-legiscan-257240", preferred="no")
        service.add_item(db, card, kind="sponsorship", bill_key=BILL)                       # follows the stance
        db.commit()
    _school_district(engine, tmp_path)
    senator = _senator()
    world = World(engine, TestClient(app), TestClient(app), coalition_id, senator=senator)
    subs = {"coalition": ("email", "coalition", "edfund"), "bill": ("email", "bill", BILL),
            "senator": ("email", "legislator", senator), "house": ("feed", "legislator", HOUSE_MEMBER),
            "feed-coalition": ("feed", "coalition", "edfund")}
    if webhook_url:
        subs["hook-coalition"] = ("webhook", "coalition", "edfund")
        subs["hook-senator"] = ("webhook", "legislator", senator)
    with Session(engine) as db:
        cursor = db.exec(select(func.max(ChangeEvent.id))).one() or 0
        for name, (channel, target_type, target) in subs.items():
            person = Subscriber(email=f"{name}@example.org", status="active", coalition_id=coalition_id)
            db.add(person)
            db.flush()
            sub = Subscription(subscriber_id=person.id, target_type=target_type, target=target, channel=channel,
                               coalition_id=coalition_id, cursor=cursor, feed_token=secrets.token_urlsafe(16),
                               webhook_url=webhook_url if channel == "webhook" else None,
                               webhook_secret="whsec-test" if channel == "webhook" else None)
            db.add(sub)
            db.flush()
            world.tokens[name] = sub.feed_token
            world.prefs[name] = make_token(secret_key, "preferences", person.id, person.token_version)
            world.prefs["unsubscribe-" + name] = make_token(secret_key, "unsubscribe", person.id,
                                                            person.token_version, sub.id)
        db.commit()
    login(world.staff)
    return world


def _school_district(engine, tmp_path: Path) -> None:
    """A hand-made school district (LEAID 2800001) inside the House member's district, so its page
    shows the member with their grades (public ones only)."""
    from scrapers.importer import load_tables, plan
    from tracker.models import Legislator, LegislatorRole

    with Session(engine) as db:
        role = db.exec(select(LegislatorRole).join(Legislator, Legislator.id == LegislatorRole.legislator_id)
                       .where(Legislator.key == HOUSE_MEMBER)).first()
    path = tmp_path / "ms_school_crosswalk.csv"
    path.write_text(f"leaid,chamber,district,land_area,name\n2800001,lower,{role.district},10,Privacy Test School District\n")
    counts, errors = load_tables(plan([path]), engine)
    assert errors == [] and counts["insert"] == 2, (counts, errors)
    from tracker.models import MemberOrganization, MemberSchoolDistrict, SchoolDistrict
    with Session(engine) as db:   # the member organization's schools are in it: /c/edfund/schools
        member = db.exec(select(MemberOrganization).where(MemberOrganization.slug == "parents")).one()
        district = db.exec(select(SchoolDistrict).where(SchoolDistrict.leaid == "2800001")).one()
        db.add(MemberSchoolDistrict(member_id=member.id, school_district_id=district.id))
        db.commit()


def _senator() -> str:
    """The legislator key of a senator who voted Yea on the late roll call (read from the file)."""
    from scrapers.xmlsafe import parse_xml

    path = real_fixture("legiscan-ms-xml", "ms-2013", "vote", LATE_VOTE)
    rc = parse_xml(path.read_bytes()).find("roll_call")
    ids = [v.findtext("people_id") for v in rc.iter("vote") if v.findtext("vote_text") == "Yea"]
    return f"legiscan:{sorted(ids)[0]}"


def login(staff: TestClient) -> None:
    page = staff.get("/c/edfund/staff/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = staff.post("/c/edfund/staff/login", data={"email": STAFF[0], "password": STAFF[1], "csrf": csrf},
                   follow_redirects=False)
    assert r.status_code == 303, r.text


def staff_csrf(staff: TestClient) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', staff.get("/c/edfund/staff/").text).group(1)


def set_position_on_staff_page(world: World, stance: str, *, public: bool, rationale: str = SECRET_RATIONALE):
    data = {"stance": stance, "rationale": rationale, "priority": "1", "csrf": staff_csrf(world.staff)}
    if public:
        data["public"] = "on"
    r = world.staff.post(f"/c/edfund/staff/bills/{BILL}/position", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text


# --- the walk -----------------------------------------------------------------------------------


def app_routes(app) -> list[tuple[str, str]]:
    """(method, path template) of every route of the app, however routers were included."""
    try:
        from fastapi.routing import iter_route_contexts
        contexts = list(iter_route_contexts(app.routes))
    except ImportError:  # older FastAPI: included routes are flattened into app.routes
        contexts = app.routes
    out = []
    for r in contexts:
        methods = getattr(r, "methods", None)
        if not methods:  # a mounted app (static files): the walk must know it too
            out.append(("MOUNT", r.path))
        for m in sorted(methods or []):
            if m != "HEAD":
                out.append((m, r.path))
    return out


def public_urls(world: World, app) -> dict[str, list[str]]:
    """Sample URLs for every public GET route; raises naming any route without samples."""
    card = "/c/edfund/scorecards/ms-2013"
    api = "/api/scorecards/edfund/ms-2013"
    leg = HOUSE_MEMBER
    page_url = f"http://testserver{card}"
    t = world.tokens
    samples = {
        "/openapi.json": ["/openapi.json"], "/docs": ["/docs"], "/docs/oauth2-redirect": ["/docs/oauth2-redirect"],
        "/redoc": ["/redoc"], "/healthz": ["/healthz"],
        "/bills": ["/bills", "/bills?jurisdiction=ms"], "/bills/{key}": [f"/bills/{BILL}"],
        "/api/scorecards/{coalition}/{slug}": [api, f"{api}?format=csv", f"{api}?session=2013",
                                               f"{api}?session=2013&format=csv"],
        "/api/scorecards/{coalition}/{slug}/export": [f"{api}/export"],
        "/api/scorecards/{coalition}/{slug}/legislators/{key:path}": [f"{api}/legislators/{leg}",
                                                                      f"{api}/legislators/{leg}?format=csv"],
        "/c/{coalition}/scorecards": ["/c/edfund/scorecards", "/c/edfund/scorecards?lang=es"],
        "/c/{coalition}/scorecards/{slug}": [card, f"{card}?lang=es", f"{card}?sort=score&dir=desc"],
        "/embed/c/{coalition}/scorecards/{slug}": [f"/embed{card}", f"/embed{card}?lang=es"],
        "/c/{coalition}/scorecards/{slug}/legislators/{key:path}": [f"{card}/legislators/{leg}",
                                                                    f"{card}/legislators/{leg}?lang=es"],
        "/embed/c/{coalition}/scorecards/{slug}/legislators/{key:path}": [f"/embed{card}/legislators/{leg}"],
        "/c/{coalition}/scorecards/{slug}/methodology": [f"{card}/methodology", f"{card}/methodology?lang=es"],
        "/c/{coalition}/scorecards/{slug}/badge.svg": [f"{card}/badge.svg?legislator={leg}"],
        "/oembed": [f"/oembed?url={quote(page_url)}", f"/oembed?url={quote(page_url + '/legislators/' + leg)}"],
        "/embed.js": ["/embed.js"], "/static/scorecards/{name}": ["/static/scorecards/scorecard.css"],
        "/quality": ["/quality"], "/status/jobs": ["/status/jobs"],
        "/alerts/signup": ["/alerts/signup", "/alerts/signup?target_type=coalition&target=edfund"],
        "/alerts/confirm/{token}": ["/alerts/confirm/not-a-token"],
        "/alerts/preferences/{token}": [f"/alerts/preferences/{world.prefs[n]}" for n in ("coalition", "senator")],
        "/alerts/unsubscribe/{token}": [f"/alerts/unsubscribe/{world.prefs['unsubscribe-coalition']}"],
        "/alerts/feeds/{feed_token}.atom": [f"/alerts/feeds/{t[n]}.atom" for n in sorted(t)],
        "/alerts/feeds/{feed_token}.ics": [f"/alerts/feeds/{t[n]}.ics" for n in sorted(t)],
        "/alerts/feeds/issue-area/{slug}.atom": ["/alerts/feeds/issue-area/charter-schools.atom"],
        "/alerts/feeds/coalition/{slug}.atom": ["/alerts/feeds/coalition/edfund.atom"],
        "/coalitions/{slug}/alerts/status": ["/coalitions/edfund/alerts/status"],
        "/search": ["/search?q=charter", "/search?jurisdiction=ms"],
        "/coalitions/{slug}/issue-areas": ["/coalitions/edfund/issue-areas"],
        "/coalitions/{slug}/search": ["/coalitions/edfund/search?q=charter"] + [
            f"/coalitions/edfund/search?stance={s}" for s in ("support", "oppose", "neutral", "watching")],
        "/coalitions/{slug}/positions": ["/coalitions/edfund/positions"],
        "/coalitions/{slug}/tags": ["/coalitions/edfund/tags"],
        "/": ["/", "/?q=charter", "/?jurisdiction=ms"],
        "/bill/{key}": [f"/bill/{BILL}"],
        "/c/{slug}/bills": ["/c/edfund/bills"],
        "/c/{slug}/": ["/c/edfund/", "/c/edfund/?q=charter"] + [f"/c/edfund/?stance={s}"
                                                                 for s in ("support", "oppose", "neutral")],
        "/c/{slug}/bills/{key}": [f"/c/edfund/bills/{BILL}"],
        # Bill lists as CSV, with the filters of their pages (public positions only).
        "/search.csv": ["/search.csv", "/search.csv?q=charter", "/search.csv?jurisdiction=ms"],
        "/c/{slug}/bills.csv": ["/c/edfund/bills.csv", "/c/edfund/bills.csv?q=charter"] + [
            f"/c/edfund/bills.csv?stance={s}" for s in ("support", "oppose", "neutral")],
        # The JSON API under /api/ (the old addresses above still answer API clients).
        "/api/bills": ["/api/bills", "/api/bills?jurisdiction=ms"], "/api/bills/{key}": [f"/api/bills/{BILL}"],
        "/api/search": ["/api/search?q=charter", "/api/search?jurisdiction=ms"],
        "/api/activity": ["/api/activity"], "/api/quality": ["/api/quality"],
        "/api/status/jobs": ["/api/status/jobs"], "/api/status/budgets": ["/api/status/budgets"],
        "/api/coalitions/{slug}/alerts/status": ["/api/coalitions/edfund/alerts/status"],
        "/api/coalitions/{slug}/issue-areas": ["/api/coalitions/edfund/issue-areas"],
        "/api/coalitions/{slug}/search": ["/api/coalitions/edfund/search?q=charter"] + [
            f"/api/coalitions/edfund/search?stance={s}" for s in ("support", "oppose", "neutral", "watching")],
        "/api/coalitions/{slug}/positions": ["/api/coalitions/edfund/positions"],
        "/api/coalitions/{slug}/tags": ["/api/coalitions/edfund/tags"],
        # Builder API reads need a key of the coalition: anonymous visitors get 401, nothing else.
        "/api/coalitions/{slug}/scorecards": ["/api/coalitions/edfund/scorecards"],
        "/api/coalitions/{slug}/scorecards/{sc}": ["/api/coalitions/edfund/scorecards/ms-2013"],
        "/api/coalitions/{slug}/positions/{bill_key}/history": [f"/api/coalitions/edfund/positions/{BILL}/history"],
        "/api/legislators": ["/api/legislators?jurisdiction=ms", "/api/legislators?jurisdiction=ms&chamber=lower"],
        "/api/legislators/{key:path}": [f"/api/legislators/{leg}"],
        "/api/committees": ["/api/committees?jurisdiction=ms"],
        "/api/committees/{key:path}": [f"/api/committees/{COMMITTEE}"],
        "/api/hearings": ["/api/hearings?scope=all&when=past"],
        "/api/find": ["/api/find?state=MS&district=1"],
        "/legislators": ["/legislators?jurisdiction=ms", "/legislators?jurisdiction=ms&lang=es"],
        "/legislators/{key:path}": [f"/legislators/{leg}", f"/legislators/{leg}?lang=es"],
        "/committees": ["/committees?jurisdiction=ms"],
        "/committees/{key:path}": [f"/committees/{COMMITTEE}", f"/committees/{COMMITTEE}?lang=es"],
        "/coalitions": ["/coalitions"], "/status": ["/status"], "/setup": ["/setup", "/setup?lang=es"],
        "/hearings": ["/hearings?scope=all&when=past"], "/hearings.ics": ["/hearings.ics?scope=all"],
        "/find": ["/find", "/find?state=MS&district=1"],
        "/districts": ["/districts", "/districts?q=jackson"],
        "/districts/{leaid}": ["/districts/2800001", "/districts/2800001?lang=es"],
        "/c/{slug}/schools": ["/c/edfund/schools", "/c/edfund/schools?lang=es"],
        "/api/school-districts": ["/api/school-districts?q=jackson"],
        "/api/school-districts/{leaid}": ["/api/school-districts/2800001"],
        # Bill text, redline and money (issue 21): the world's bill has no stored text, so these
        # answer their "no text" pages; their content is covered by tests/text/ and the pages' tests.
        "/bill/{key}/text": [f"/bill/{BILL}/text", f"/bill/{BILL}/text?lang=es"],
        "/bill/{key}/diff": [f"/bill/{BILL}/diff"], "/bill/{key}/money": [f"/bill/{BILL}/money"],
        "/api/bills/{key}/text": [f"/api/bills/{BILL}/text"], "/api/bills/{key}/diff": [f"/api/bills/{BILL}/diff?from=ih&to=enr"],
        "/api/bills/{key}/money": [f"/api/bills/{BILL}/money"], "/api/search/text": ["/api/search/text?q=charter"],
    }
    missing, urls = [], {}
    for method, path in app_routes(app):
        if path.startswith(STAFF_PREFIX):
            continue
        if method == "MOUNT":
            if path not in STATIC_MOUNTS:
                missing.append(f"mount {path} (list it in STATIC_MOUNTS if it serves only shipped files)")
            elif STATIC_MOUNTS[path]:
                urls[path] = STATIC_MOUNTS[path]
            continue
        if method != "GET":
            if (method, path) not in WRITES:
                missing.append(f"{method} {path} (a write: add it to WRITES once it is known to reveal nothing)")
            continue
        if path not in samples:
            missing.append(f"GET {path}")
            continue
        urls[path] = samples[path]
    if missing:
        raise AssertionError("public routes the privacy walk does not cover; give them sample URLs in "
                             "tests/privacy/world.py: " + ", ".join(missing))
    return urls


_VOLATILE = [
    # Signed links minted on each render (itsdangerous: payload.timestamp.signature): the payload
    # stays, the time and signature change.
    (re.compile(r"(/alerts/(?:unsubscribe|preferences|confirm)/[\w-]+)\.[\w-]+\.[\w-]+"), r"\1.<signed>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}| UTC)?"), "<time>"),
    (re.compile(r"\d{8}T\d{6}Z"), "<time>"),
    (re.compile(r'"version":\s*\d+'), '"version": 0'),
]


def normalize(text: str) -> str:
    for pattern, repl in _VOLATILE:
        text = pattern.sub(repl, text)
    return text


def walk(world: World, app) -> dict[str, tuple[int, str]]:
    """Every sample URL anonymously: status and normalized body."""
    out = {}
    for urls in public_urls(world, app).values():
        for url in urls:
            world.client.cookies.clear()  # each URL as a new visitor (?lang=es sets a cookie)
            r = world.client.get(url)
            out[url] = (r.status_code, normalize(r.text))
    return out


def assert_no_secret(outputs: dict[str, tuple[int, str]]) -> None:
    for url, (_, body) in outputs.items():
        for word in SECRET_WORDS:
            assert word not in body, f"{url} shows the private {word}"


def differences(before: dict, after: dict) -> list[str]:
    """URLs whose public output changed, with the first differing line."""
    out = []
    for url in before:
        if before[url] != after[url]:
            a, b = before[url][1], after[url][1]
            i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            out.append(f"{url} [{before[url][0]} -> {after[url][0]}] at {i}: "
                       f"{a[max(0, i - 60):i + 60]!r} -> {b[max(0, i - 60):i + 60]!r}")
    return out
