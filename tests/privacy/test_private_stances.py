"""Private stays private (issue 14, finding 4): a private position set on the staff page, and a
member organization's stance, change nothing anything public shows: every public route of the app
(pages, JSON, CSV, the open export, embeds, badge, oEmbed, feeds, search), the alert emails and
the webhooks. Flipping a public position to private recomputes the scores and leaves the public
exactly as if there had never been a position. On real Mississippi roll calls (HB 369, 2013)."""
from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlmodel import Session, select

from api.app import create_app
from tests.alerts.conftest import SECRET as SECRET_KEY
from tests.alerts.conftest import use_smtp
from tests.privacy import world as w
from tracker.alerts import jobs
from tracker.coalitions.positions import set_member_stance
from tracker.db import get_engine
from tracker.models import MemberOrganization, Position
from tracker.models.base import utcnow
from tracker.settings import get_settings

EXPORT = "/api/scorecards/edfund/ms-2013/export"


class Receiver:
    """A webhook endpoint on loopback that keeps every body."""

    def __init__(self):
        self.bodies: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                outer.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *a):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def env(alerts_env, monkeypatch, mail):
    monkeypatch.setenv("EDTRACKER_ALERTS_WEBHOOK_ALLOW_LOOPBACK", "true")
    use_smtp(monkeypatch, mail.url)
    rx = Receiver()
    yield alerts_env, mail, rx
    rx.close()


def _world(env, tmp_path, webhooks=False):
    url, _, rx = env
    app = create_app(get_settings())
    return w.build(get_engine(url), app, tmp_path, SECRET_KEY, rx.url if webhooks else None), app


def _private_member_stance(world) -> None:
    with Session(world.engine) as db:
        member = db.exec(select(MemberOrganization).where(MemberOrganization.slug == "parents")).one()
        set_member_stance(db, world.coalition_id, member.id, w.BILL, stance="oppose", note=w.SECRET_NOTE)
        db.commit()


def _item(doc: dict, slug: str) -> dict:
    return next(i for i in doc["items"] if i["slug"] == slug)


def _scores(client, session="*") -> dict[str, float | None]:
    rows = client.get("/api/scorecards/edfund/ms-2013", params={"session": session}).json()["rows"]
    return {r["key"]: r["score"] for r in rows}


def test_private_stance_from_the_staff_page_is_not_in_the_export(env, tmp_path):
    """The issue's report: a private "support" set on the staff page showed in the public export as
    preferred=yes (stance)."""
    world, _ = _world(env, tmp_path)
    w.set_position_on_staff_page(world, "support", public=False)
    doc = world.client.get(EXPORT).json()
    passage = _item(doc, "ms-legiscan-221575")
    assert (passage["preferred"], passage["stance"]) == (None, None)
    assert _item(doc, f"sponsorship-{w.BILL}")["preferred"] is None
    rules = {c["rule"] for p in doc["legislators"] for c in p["cells"] if c["item"] == "ms-legiscan-221575"}
    assert rules and all(r.startswith("not scored") for r in rules), rules
    # Staff still see their own position on the bill page.
    assert w.SECRET_RATIONALE in world.staff.get(f"/c/edfund/bills/{w.BILL}").text


def test_no_public_route_changes_with_a_private_stance(env, tmp_path):
    world, app = _world(env, tmp_path)
    before = w.walk(world, app)
    assert len(before) > 60
    # The walk reads real answers, not error pages (the few refusals are the expected ones).
    refused = {url: status for url, (status, _) in before.items() if status != 200}
    assert refused == {"/alerts/confirm/not-a-token": 400, "/api/coalitions/edfund/alerts/status": 401,
                       "/api/coalitions/edfund/tags": 401,
                       # the builder API's reads (issue 17) need a key of the coalition
                       "/api/coalitions/edfund/scorecards": 401,
                       "/api/coalitions/edfund/scorecards/ms-2013": 401,
                       f"/api/coalitions/edfund/positions/{w.BILL}/history": 401,
                       # first run is closed: this instance has staff accounts
                       "/setup": 404, "/setup?lang=es": 404,
                       # the world's bill has no stored text: its text, redline and money answer 404
                       f"/bill/{w.BILL}/text": 404, f"/bill/{w.BILL}/text?lang=es": 404,
                       f"/bill/{w.BILL}/diff": 404, f"/bill/{w.BILL}/money": 404,
                       f"/api/bills/{w.BILL}/text": 404, f"/api/bills/{w.BILL}/diff?from=ih&to=enr": 404,
                       f"/api/bills/{w.BILL}/money": 404}, refused
    w.set_position_on_staff_page(world, "oppose", public=False)
    _private_member_stance(world)
    after = w.walk(world, app)
    w.assert_no_secret(after)
    assert not (diff := w.differences(before, after)), "\n".join(diff)


def test_flipping_a_public_position_to_private_rescores_and_hides_it(env, tmp_path):
    world, app = _world(env, tmp_path)
    before = w.walk(world, app)
    unscored = _scores(world.client)
    w.set_position_on_staff_page(world, "oppose", public=True)
    public = w.walk(world, app)
    # While public, the stance is the scorecard's preferred option and the rationale is shown.
    assert w.SECRET_RATIONALE in public[f"/c/edfund/bills/{w.BILL}"][1]
    passage = _item(world.client.get(EXPORT).json(), "ms-legiscan-221575")
    assert (passage["preferred"], passage["preferred_source"], passage["stance"]) == ("no", "stance", "oppose")
    scored = _scores(world.client)
    # Bell (6499): Yea on passage (0 of 1, against "oppose") + Nay on the conference report (1) = 50;
    # with no public stance only the conference report counts: 1/1 = 100.
    assert (scored[w.HOUSE_MEMBER], unscored[w.HOUSE_MEMBER]) == (50.0, 100.0)

    w.set_position_on_staff_page(world, "oppose", public=False)
    after = w.walk(world, app)
    w.assert_no_secret(after)
    assert not (diff := w.differences(before, after)), "\n".join(diff)
    assert _scores(world.client) == unscored


def test_a_position_made_private_outside_the_services_is_hidden_at_once(env, tmp_path):
    """A direct edit (no service, no staff page) queues the rescoring in its transaction; the next
    public read of the scorecard does not serve the stale scores."""
    world, app = _world(env, tmp_path)
    before = w.walk(world, app)
    w.set_position_on_staff_page(world, "support", public=True)
    assert _item(world.client.get(EXPORT).json(), "ms-legiscan-221575")["preferred"] == "yes"
    with Session(world.engine) as db:
        pos = db.exec(select(Position).where(Position.bill_key == w.BILL)).one()
        pos.public = False
        db.add(pos)
        db.commit()
    after = w.walk(world, app)
    assert not (diff := w.differences(before, after)), "\n".join(diff)


def test_a_read_waits_for_a_stance_change_another_process_is_rescoring(env, tmp_path, monkeypatch):
    """While another process holds the scoring queue, a scorecard with only a roll-call change queued
    is served as it is; one with a stance change queued is not served until it is rescored."""
    from api.scorecards import load
    from tracker.ops.locks import DbLock
    from tracker.scoring import dirty

    world, _ = _world(env, tmp_path)
    w.set_position_on_staff_page(world, "support", public=True)
    monkeypatch.setattr(load, "READ_WAIT", 0.3)
    other = DbLock(world.engine, dirty.LOCK_NAME, ttl=60, holder="another-process")
    assert other.acquire()
    try:
        with Session(world.engine) as db:
            dirty.mark_vote(db, "ms-legiscan-257240")
            db.commit()
        assert world.client.get(EXPORT).status_code == 200
        with Session(world.engine) as db:
            pos = db.exec(select(Position).where(Position.bill_key == w.BILL)).one()
            pos.public = False
            db.add(pos)
            db.commit()
        for url in (EXPORT, "/c/edfund/scorecards/ms-2013", f"/embed/c/edfund/scorecards/ms-2013/legislators/{w.HOUSE_MEMBER}",
                    f"/c/edfund/scorecards/ms-2013/badge.svg?legislator={w.HOUSE_MEMBER}"):
            r = world.client.get(url)
            assert (r.status_code, r.headers.get("retry-after")) == (503, "60"), url
    finally:
        other.release()
    assert _item(world.client.get(EXPORT).json(), "ms-legiscan-221575")["preferred"] is None


def _later(minutes: float = 5) -> dt.datetime:
    return utcnow() + dt.timedelta(minutes=minutes)


def test_private_stances_reach_no_alert_webhook_or_feed(env, tmp_path):
    _, mail, rx = env
    world, app = _world(env, tmp_path, webhooks=True)
    w.set_position_on_staff_page(world, "oppose", public=False)
    _private_member_stance(world)
    # A roll call on the bill comes in: the followed senator's vote must not be compared with the
    # private stance, and the coalition's followers must not learn the coalition cares about it.
    w.import_folder(world.engine, w.ms_folder(tmp_path, late=True))
    out = jobs.dispatch(now=_later())
    assert out["failed"] == 0, out
    messages = mail.inbox.messages
    assert {str(m["To"]) for m in messages} == {"bill@example.org", "senator@example.org"}
    for m in messages:
        text = m.get_body(("plain",)).get_content() + m.get_body(("html",)).get_content()
        for word in w.SECRET_WORDS:
            assert word not in text
        assert "position" not in text.lower() and "oppos" not in text.lower(), text
    assert "voted yes" in mail.inbox.to("senator@example.org")[0].get_body(("plain",)).get_content()
    events = [e for body in rx.bodies for e in body["events"]]
    assert events and {e["kind"] for e in events} == {"roll_call"}
    assert all(line["stance"] is None and line["matched"] is None for e in events for line in e["votes_followed"])
    assert [b["subscription_id"] for b in rx.bodies if any(e["kind"] != "roll_call" for e in b["events"])] == []
    assert "PRIVATE" not in json.dumps(rx.bodies)
    after = w.walk(world, app)
    w.assert_no_secret(after)
    for name in ("feed-coalition",):
        assert "<entry" not in after[f"/alerts/feeds/{world.tokens[name]}.atom"][1]
    assert "<entry" not in after["/alerts/feeds/coalition/edfund.atom"][1]


def test_a_position_made_public_does_not_reveal_the_private_one_before_it(env, tmp_path):
    _, _, rx = env
    world, app = _world(env, tmp_path, webhooks=True)
    w.set_position_on_staff_page(world, "support", public=False)
    w.set_position_on_staff_page(world, "oppose", public=True, rationale="Public: accountability first")
    jobs.dispatch(now=_later())
    changes = [e for body in rx.bodies for e in body["events"] if e["kind"] == "position_changed"]
    assert [(e["payload"]["stance"], e["payload"]["previous_stance"]) for e in changes] == [("oppose", None)]
    feed = world.client.get("/alerts/feeds/coalition/edfund.atom").text
    assert feed.count("<summary>Coalition position:") == 1 and "<summary>Coalition position: Oppose" in feed
    assert "Support" not in feed
