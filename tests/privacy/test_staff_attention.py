"""What staff see when a scored item's stance is private (issue 14, finding 4): the item is not
scored, the staff pages and `edtracker scorecard show` say so and why, and an editor gives it an
explicit preferred option, which is then public like any other. Real Mississippi roll calls."""
from __future__ import annotations

import json
import re

from sqlmodel import Session, select
from typer.testing import CliRunner

from api.app import create_app
from cli.main import app as cli
from tests.alerts.conftest import SECRET as SECRET_KEY
from tests.privacy import world as w
from tracker.db import get_engine
from tracker.models import ScoredItem
from tracker.settings import get_settings

runner = CliRunner()
EXPORT = "/api/scorecards/edfund/ms-2013/export"
SPONSORSHIP = f"sponsorship-{w.BILL}"


def _item(client, slug):
    return next(i for i in client.get(EXPORT).json()["items"] if i["slug"] == slug)


def test_items_following_a_private_stance_are_shown_to_staff_and_fixed_explicitly(alerts_env, tmp_path):
    world = w.build(get_engine(alerts_env), create_app(get_settings()), tmp_path, SECRET_KEY)
    w.set_position_on_staff_page(world, "oppose", public=True)
    bill_page = world.staff.get(f"/c/edfund/bills/{w.BILL}").text
    assert bill_page.count("scored (its preferred option follows the public position)") == 2
    w.set_position_on_staff_page(world, "oppose", public=False)

    # The staff bill page says at once which items stopped counting, and why.
    bill_page = world.staff.get(f"/c/edfund/bills/{w.BILL}").text
    assert bill_page.count("<strong>not scored</strong>: the position is private") == 2
    page = world.staff.get("/c/edfund/staff/scorecards")
    assert page.status_code == 200
    rows = re.findall(r'<tr id="item-(\d+)">', page.text)
    assert len(rows) == 2 and "House Passed As Amended" in page.text
    assert '<td data-label="Items">3</td><td data-label="Not scored">2</td>' in page.text  # 2 of 3 unscored
    # Nobody else sees that page.
    assert world.client.get("/c/edfund/staff/scorecards", follow_redirects=False).status_code == 303

    out = runner.invoke(cli, ["scorecard", "show", "edfund/ms-2013", "--json"])
    assert out.exit_code == 0, out.output
    needs = json.loads(out.stdout)["needs_preferred"]
    assert {(n["slug"], n["reason"]) for n in needs} == {("ms-legiscan-221575", "private"), (SPONSORSHIP, "private")}

    # An editor gives the passage vote its own option: now public, as staff's choice.
    with Session(world.engine) as db:
        passage_id = db.exec(select(ScoredItem.id).where(ScoredItem.slug == "ms-legiscan-221575")).one()
    assert str(passage_id) in rows
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = world.staff.post(f"/c/edfund/staff/scorecards/items/{passage_id}/preferred",
                         data={"preferred": "no", "csrf": csrf}, follow_redirects=False)
    assert r.status_code == 303
    passage = _item(world.client, "ms-legiscan-221575")
    assert (passage["preferred"], passage["preferred_source"], passage["stance"]) == ("no", "staff", None)
    scores = {r["key"]: r["score"] for r in world.client.get("/api/scorecards/edfund/ms-2013").json()["rows"]}
    assert scores[w.HOUSE_MEMBER] == 50.0  # Bell: Yea on passage (0) + Nay on the conference report (1)
    assert re.findall(r'<tr id="item-(\d+)">', world.staff.get("/c/edfund/staff/scorecards").text) != rows

    # The CLI does the same for the sponsorship item; then nothing is left to fix.
    out = runner.invoke(cli, ["scorecard", "set-preferred", "edfund/ms-2013", SPONSORSHIP, "--preferred", "no"])
    assert out.exit_code == 0, out.output
    assert _item(world.client, SPONSORSHIP)["preferred"] == "no"
    assert "Every item has a preferred option." in world.staff.get("/c/edfund/staff/scorecards").text
    bad = runner.invoke(cli, ["scorecard", "set-preferred", "edfund/ms-2013", SPONSORSHIP, "--preferred", "maybe"])
    assert bad.exit_code == 2 and "must be yes or no" in bad.output


def test_only_editors_set_a_preferred_option(alerts_env, tmp_path):
    world = w.build(get_engine(alerts_env), create_app(get_settings()), tmp_path, SECRET_KEY)
    # Without the session's CSRF token the form is refused.
    r = world.staff.post("/c/edfund/staff/scorecards/items/1/preferred", data={"preferred": "no", "csrf": "x"})
    assert r.status_code == 403
    # Anonymous: no session, no CSRF token, refused too.
    r = world.client.post("/c/edfund/staff/scorecards/items/1/preferred", data={"preferred": "no"})
    assert r.status_code == 403
    assert _item(world.client, "ms-legiscan-221575")["preferred_source"] == "stance"
