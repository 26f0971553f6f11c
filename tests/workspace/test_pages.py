"""The workspace pages over HTTP: positions (set, change, history, CSV), member organizations
(their invitations: test_member_invites.py), a member's own stances, the matrix, the watchlist, the CSV of bill lists; CSRF,
validation messages next to their field in English and Spanish, and who may do what."""
from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.app import create_app
from tests.workspace import world as w
from tracker.coalitions.positions import set_member_stance, set_position
from tracker.models import MemberStance, PositionHistory, StaffUser, WatchItem

SECRET = "workspace-test-secret-key-0123456789abcdef"
STAFF_PAGES = ("/positions", "/positions.csv", "/positions/history.csv", f"/positions/{w.HB}", "/members",
               "/matrix", "/matrix.csv", "/watchlist", "/watchlist.csv")


@pytest.fixture
def ids(app_env, engine, monkeypatch):
    from tracker.settings import get_settings

    monkeypatch.setenv("EDTRACKER_SECRET_KEY", SECRET)
    get_settings.cache_clear()
    return w.build(engine)


def client(email: str | None = None, slug: str = "edfund") -> TestClient:
    c = TestClient(create_app(), follow_redirects=False)
    if email:
        r = w.login(c, email, slug)
        assert r.status_code == 303, r.text
    return c


def csrf(c: TestClient, path: str = "/c/edfund/staff/password") -> str:
    return w.csrf_of(c.get(path).text)


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def post_position(c, **data):
    return c.post("/c/edfund/staff/positions", data={"csrf": csrf(c), **data})


def test_anonymous_and_other_coalitions_never_get_in(ids, engine):
    anon, outsider = client(), client(w.OTHER_ADMIN, "other")
    for path in STAFF_PAGES + ("/stances",):
        r = anon.get("/c/edfund/staff" + path)
        assert (r.status_code, r.headers.get("location")) == (303, "/c/edfund/staff/login"), path
        # Logged in to another coalition is not logged in here.
        r = outsider.get("/c/edfund/staff" + path)
        assert (r.status_code, r.headers.get("location")) == (303, "/c/edfund/staff/login"), path
    r = outsider.post("/c/edfund/staff/positions", data={"csrf": csrf(outsider, "/c/other/staff/password"),
                                                          "bill_key": w.HB, "stance": "oppose"})
    assert r.status_code == 303 and r.headers["location"].endswith("/login")
    with Session(engine) as db:
        assert db.exec(select(PositionHistory)).all() == []


def test_editor_sets_and_changes_a_position_and_sees_its_history(ids):
    c = client(w.EDITOR)
    r = post_position(c, bill_key=w.HB, stance="support", priority="2", rationale="Helps charters close gaps")
    assert (r.status_code, r.headers["location"]) == (303, f"/c/edfund/staff/positions/{w.HB}?saved=1")
    r = post_position(c, bill_key=w.HB, stance="oppose", priority="2", public="on", rationale="Board vote")
    page = c.get("/c/edfund/staff/positions").text
    assert "Board vote" in page and w.EDITOR in page and "2 changes" in page
    one = c.get(f"/c/edfund/staff/positions/{w.HB}").text
    assert "Support → Oppose; made public" in one and "set to Support; private" in one
    hist = rows(c.get("/c/edfund/staff/positions/history.csv").text)
    assert [(h["from_stance"], h["to_stance"], h["changed_by"]) for h in hist] == [
        ("support", "oppose", w.EDITOR), ("", "support", w.EDITOR)]
    r = c.get(f"/c/edfund/staff/positions/history.csv?bill={w.SB}")
    assert r.headers["content-type"].startswith("text/csv") and rows(r.text) == []
    pos = rows(c.get("/c/edfund/staff/positions.csv").text)
    assert [(p["bill_key"], p["stance"], p["public"], p["set_by"]) for p in pos] == [(w.HB, "oppose", "yes", w.EDITOR)]


@pytest.mark.parametrize("lang,message", [("en", "Choose one of the stances in the list."),
                                          ("es", "Elija una de las posturas de la lista.")])
def test_bad_input_comes_back_with_the_message_next_to_the_field(ids, lang, message):
    c = client(w.EDITOR)
    c.get(f"/c/edfund/staff/positions?lang={lang}")
    r = post_position(c, bill_key=w.HB, stance="maybe", priority="1", rationale="kept")
    assert r.status_code == 422
    assert f'<span class="error field-error" id="err-stance">{message}</span>' in r.text
    assert 'aria-invalid="true" aria-describedby="err-stance"' in r.text
    assert ">kept</textarea>" in r.text   # what was typed is not lost
    r = post_position(c, bill_key="ms-2013-hb9999", stance="support")
    assert r.status_code == 422 and 'id="err-bill_key"' in r.text
    r = post_position(c, bill_key=w.HB, stance="support", priority="ten")
    assert r.status_code == 422 and 'id="err-priority"' in r.text
    assert c.get("/c/edfund/staff/positions.csv").text.count("\n") == 1   # nothing saved


def test_the_bill_page_form_uses_the_same_service(ids):
    c = client(w.EDITOR)
    token = w.csrf_of(c.get(f"/c/edfund/bills/{w.HB}").text)
    r = c.post(f"/c/edfund/staff/bills/{w.HB}/position", data={"csrf": token, "stance": "neutral", "priority": "0"})
    assert (r.status_code, r.headers["location"]) == (303, f"/c/edfund/bills/{w.HB}")
    r = c.post(f"/c/edfund/staff/bills/{w.HB}/position", data={"csrf": token, "stance": "nope", "priority": "0"})
    assert r.status_code == 422 and 'id="err-stance"' in r.text
    assert "set to Neutral" in c.get(f"/c/edfund/staff/positions/{w.HB}").text
    # The bill page links staff to the position's history; visitors get no such link.
    assert f'href="/c/edfund/staff/positions/{w.HB}"' in c.get(f"/c/edfund/bills/{w.HB}").text
    assert "/staff/positions/" not in client().get(f"/c/edfund/bills/{w.HB}").text


def test_every_form_refuses_a_missing_csrf_token(ids):
    admin = client(w.ADMIN)
    for path, data in (("/positions", {"bill_key": w.HB, "stance": "support"}),
                       ("/members", {"name": "X", "member_slug": "x"}),
                       (f"/members/{ids['parents']}/invite", {"email": "a@b.example"}),
                       ("/watchlist", {"bill_key": w.HB})):
        r = admin.post("/c/edfund/staff" + path, data=data)
        assert r.status_code == 403, path
    member = client(w.PARENTS)
    assert member.post("/c/edfund/staff/stances", data={"bill_key": w.HB, "stance": "oppose"}).status_code == 403


def test_viewers_read_and_editors_write(ids):
    viewer = client(w.VIEWER)
    for path in STAFF_PAGES:
        assert viewer.get("/c/edfund/staff" + path).status_code == 200, path
    token = csrf(viewer)
    for path, data in (("/positions", {"bill_key": w.HB, "stance": "support"}),
                       ("/members", {"name": "X", "member_slug": "x"}),
                       ("/watchlist", {"bill_key": w.HB})):
        assert viewer.post("/c/edfund/staff" + path, data={"csrf": token, **data}).status_code == 403, path
    assert 'action="/c/edfund/staff/positions"' not in viewer.get("/c/edfund/staff/positions").text
    # Editors create member organizations; only admins invite their people.
    editor = client(w.EDITOR)
    r = editor.post("/c/edfund/staff/members", data={"csrf": csrf(editor), "name": "Bus Drivers",
                                                     "member_slug": "drivers", "website": "https://drivers.example"})
    assert r.status_code == 303
    r = editor.post(f"/c/edfund/staff/members/{ids['parents']}/invite",
                    data={"csrf": csrf(editor), "email": "two@parents.example"})
    assert r.status_code == 403
    assert f"/members/{ids['parents']}/invite" not in editor.get("/c/edfund/staff/members").text
    r = editor.post("/c/edfund/staff/members", data={"csrf": csrf(editor), "name": "Again", "member_slug": "drivers"})
    assert r.status_code == 422 and 'id="err-member_slug"' in r.text and "already used" in r.text


def test_a_member_never_sees_private_positions_or_other_members_notes(ids, engine):
    with Session(engine) as db:
        set_position(db, ids["coalition"], w.HB, "support", False, "PRIVATE-RATIONALE-ws1", 0, w.EDITOR)
        set_position(db, ids["coalition"], w.SB, "oppose", True, "Public rationale", 0, w.EDITOR)
        set_member_stance(db, ids["coalition"], ids["teachers"], w.HB, stance="oppose", note="TEACHERS-NOTE-ws2")
        db.commit()
    member = client(w.PARENTS)
    pages = [member.get(p).text for p in ("/c/edfund/staff/stances", f"/c/edfund/bills/{w.HB}",
                                           f"/c/edfund/bills/{w.SB}", "/c/edfund/", "/c/edfund/bills.csv",
                                           "/c/edfund/bills.csv?stance=support")]
    for text in pages:
        assert "PRIVATE-RATIONALE-ws1" not in text and "TEACHERS-NOTE-ws2" not in text
    assert "Public rationale" in pages[2]
    stances = pages[0]
    listed = stances.split("<tbody>")[1].split("</tbody>")[0]
    assert w.SB in listed and w.HB not in listed   # only the public position is listed
    assert {r["key"]: r["position"] for r in rows(pages[4])} == {w.HB: "", w.SB: "oppose"}
    # Staff see both on the bill page (the member stances list) and in the matrix.
    staff = client(w.VIEWER)
    assert "TEACHERS-NOTE-ws2" in staff.get("/c/edfund/staff/matrix").text
    assert {r["key"]: r["position"] for r in rows(staff.get("/c/edfund/bills.csv").text)} == {w.HB: "support",
                                                                                               w.SB: "oppose"}


def test_a_member_sets_a_stance_that_differs_and_the_matrix_shows_it(ids, engine):
    with Session(engine) as db:
        set_position(db, ids["coalition"], w.HB, "support", True, None, 0, w.EDITOR)
        db.commit()
    member = client(w.PARENTS)
    r = member.post("/c/edfund/staff/stances", data={"csrf": csrf(member), "bill_key": w.HB, "stance": "oppose",
                                                     "note": "Our board disagrees"})
    assert (r.status_code, r.headers["location"]) == (303, f"/c/edfund/staff/stances?saved={w.HB}")
    r = member.post("/c/edfund/staff/stances", data={"csrf": csrf(member), "bill_key": "nope", "stance": "oppose"})
    assert r.status_code == 422 and 'id="err-bill_key"' in r.text
    with Session(engine) as db:
        row = db.exec(select(MemberStance)).one()
        assert (row.member_id, row.stance, row.set_by) == (ids["parents"], "oppose", w.PARENTS)
    staff = client(w.VIEWER)
    page = staff.get("/c/edfund/staff/matrix").text
    assert "1 bill with a disagreement." in page and "opposite to the coalition" in page
    assert 'class="against"' in page
    only = staff.get("/c/edfund/staff/matrix?only=disagreements").text
    assert w.HB in only
    out = rows(staff.get("/c/edfund/staff/matrix.csv").text)
    assert (out[0]["coalition"], out[0]["parents"], out[0]["parents_differs"]) == ("support", "oppose", "against")
    es = staff.get("/c/edfund/staff/matrix?lang=es").text
    assert "contraria a la coalición" in es


def test_watchlist_page_adds_changes_filters_exports_and_removes(ids, engine):
    editor = client(w.EDITOR)
    with Session(engine) as db:
        owner = db.exec(select(StaffUser).where(StaffUser.email == w.VIEWER)).one().id
        member = db.exec(select(StaffUser).where(StaffUser.email == w.PARENTS)).one().id
    r = editor.post("/c/edfund/staff/watchlist", data={"csrf": csrf(editor), "bill_key": w.HB, "status": "working",
                                                       "owner": str(owner), "note": "Call the chair"})
    assert r.status_code == 303
    r = editor.post("/c/edfund/staff/watchlist", data={"csrf": csrf(editor), "bill_key": w.SB, "owner": str(member)})
    assert r.status_code == 422 and 'id="err-owner"' in r.text
    r = editor.post("/c/edfund/staff/watchlist", data={"csrf": csrf(editor), "bill_key": "ms-2013-x"})
    assert r.status_code == 422 and 'id="err-bill_key"' in r.text
    editor.post("/c/edfund/staff/watchlist", data={"csrf": csrf(editor), "bill_key": w.SB, "status": "done"})
    page = editor.get("/c/edfund/staff/watchlist").text
    assert "Call the chair" in page and "working on it" in page
    assert w.SB not in editor.get("/c/edfund/staff/watchlist?status=working").text.split("<tbody>")[1]
    out = rows(editor.get("/c/edfund/staff/watchlist.csv").text)
    assert [(r["bill_key"], r["status"], r["owner"]) for r in out] == [(w.HB, "working", w.VIEWER), (w.SB, "done", "")]
    assert [r["bill_key"] for r in rows(editor.get("/c/edfund/staff/watchlist.csv?status=done").text)] == [w.SB]
    editor.post("/c/edfund/staff/watchlist", data={"csrf": csrf(editor), "bill_key": w.SB, "remove": "1"})
    with Session(engine) as db:
        assert [i.bill_key for i in db.exec(select(WatchItem))] == [w.HB]


def test_bill_lists_link_to_a_csv_with_the_same_filters(ids, engine):
    with Session(engine) as db:
        set_position(db, ids["coalition"], w.HB, "oppose", False, None, 0, w.EDITOR)
        db.commit()
    anon = client()
    html = {"Accept": "text/html"}
    page = anon.get("/search?jurisdiction=ms&q=charter&page=1", headers=html).text
    assert 'href="/search.csv?jurisdiction=ms&amp;q=charter"' in page
    r = anon.get("/search.csv?jurisdiction=ms&q=charter")
    assert r.headers["content-disposition"] == 'attachment; filename="bills-filtered.csv"'
    listed = {i["key"] for i in anon.get("/api/search?jurisdiction=ms&q=charter").json()["items"]}
    assert {x["key"] for x in rows(r.text)} == listed and listed
    # A coalition's list: the link keeps the filters; a private stance filters nothing in public.
    page = anon.get("/c/edfund/?jurisdiction=ms", headers=html).text
    assert 'href="/c/edfund/bills.csv?jurisdiction=ms"' in page
    assert rows(anon.get("/c/edfund/bills.csv?stance=oppose").text) == []
    assert "oppose" not in anon.get("/c/edfund/bills.csv").text
    assert {x["key"] for x in rows(anon.get("/c/edfund/bills.csv?jurisdiction=ms").text)} == {w.HB, w.SB}
    staff = client(w.VIEWER)
    assert [x["key"] for x in rows(staff.get("/c/edfund/bills.csv?stance=oppose").text)] == [w.HB]


def test_a_refused_stance_is_not_shown_as_a_chosen_one(ids, engine):
    """An invalid stance for a bill that has a position comes back with no stance chosen (not the
    list's first one, which a second click would save by mistake)."""
    with Session(engine) as db:
        set_position(db, ids["coalition"], w.SB, "oppose", False, None, 0, w.EDITOR)
        db.commit()
    c = client(w.EDITOR)
    r = post_position(c, bill_key=w.SB, stance="", priority="0")
    assert r.status_code == 422
    select_html = r.text.split('<select name="stance" id="stance"')[1].split("</select>")[0]
    assert '<option value="">' in select_html and " selected" not in select_html


def test_no_staff_page_opens_for_a_visitor_another_coalition_or_a_member(ids):
    """Every GET route under /c/{slug}/staff (the app's own list, so a page added later is
    covered): a visitor and another coalition's admin go to the login, a member organization's
    login is refused (its own stances page and password aside)."""
    from tests.privacy.world import app_routes

    app = create_app()
    open_to_all = {"/login", "/forgot", "/reset/{token}", "/invite/{token}"}   # links sent by email
    fill = {"{key}": w.HB, "{tag_id}": "1", "{item_id}": "1", "{member_id}": str(ids["parents"]),
            "{sc}": "no-such-scorecard"}   # the login and role are checked before the scorecard
    paths = []
    for method, path in app_routes(app):
        rest = path.removeprefix("/c/{slug}/staff")
        if method != "GET" or rest == path or rest in open_to_all:
            continue
        for k, v in fill.items():
            rest = rest.replace(k, v)
        assert "{" not in rest, f"give {path} a sample value"
        paths.append("/c/edfund/staff" + rest)
    assert {"/c/edfund/staff/positions", "/c/edfund/staff/matrix", "/c/edfund/staff/watchlist"} <= set(paths)
    anon, outsider, member = client(), client(w.OTHER_ADMIN, "other"), client(w.PARENTS)
    for url in paths:
        for who in (anon, outsider):
            r = who.get(url)
            assert (r.status_code, r.headers.get("location")) == (303, "/c/edfund/staff/login"), url
        if url not in ("/c/edfund/staff/stances", "/c/edfund/staff/password"):
            r = member.get(url)   # refused, or sent to the login (pages that know only staff)
            assert r.status_code == 403 or (r.status_code, r.headers.get("location")) == (
                303, "/c/edfund/staff/login"), url
