"""Re-tagging stored bills: tags start suggested, staff decisions survive rule changes, and the
CLI shows issue areas with status, score and explanation (SQLite and PostgreSQL)."""
from __future__ import annotations

import json

from sqlalchemy import select, update
from sqlmodel import Session
from typer.testing import CliRunner

from cli.main import app
from tests import factories as f
from tracker.ingest import Ingestor
from tracker.models import Bill, BillTag, IssueArea, TaggingRule
from tracker.tagging.store import retag, set_tag_status


def _tags(engine) -> dict[tuple[str, str], BillTag]:
    with Session(engine) as db:
        rows = db.execute(select(BillTag, Bill.key, IssueArea.slug).join(Bill, BillTag.bill_id == Bill.id)
                          .join(IssueArea, BillTag.issue_area_id == IssueArea.id)).all()
    return {(k, s): t for t, k, s in rows}


def test_retag_keeps_decisions_and_drops_unsupported_suggestions(engine):
    Ingestor(engine).ingest([f.bill(5), f.bill(6, title="Highway Act", summary="Roads.", subjects=[],
                                                  policy_area=None, actions=[])])
    run = retag(engine)
    tags = _tags(engine)
    assert ("us-119-hr5", "community-schools") in tags and all(t.status == "suggested" for t in tags.values())
    assert not any(k == "us-119-hr6" for k, _ in tags)
    assert run.inserted == len(tags)

    with Session(engine) as db:
        tag = db.get(BillTag, tags[("us-119-hr5", "community-schools")].id)
        set_tag_status(db, tag, "rejected", "staff@example.org")
        db.commit()
    assert retag(engine).inserted == 0
    assert _tags(engine)[("us-119-hr5", "community-schools")].status == "rejected"

    # A rule change that no longer matches: the rejected tag stays rejected, suggestions go.
    with Session(engine) as db:
        db.execute(update(TaggingRule).where(TaggingRule.coalition_id.is_(None)).values(spec={}))
        db.commit()
    from tracker.tagging import store
    original = store.default_taxonomy
    store.default_taxonomy = lambda: {**original(), "areas": [{**a, "rules": {}} for a in original()["areas"]]}
    try:
        run = retag(engine)
    finally:
        store.default_taxonomy = original
    after = _tags(engine)
    assert set(after) == {("us-119-hr5", "community-schools")}
    assert after[("us-119-hr5", "community-schools")].status == "rejected"
    assert run.kept_decisions == 1 and run.removed >= 1


def test_cli_tag_and_bills_show_json(app_env, engine):
    Ingestor(engine).ingest([f.bill(5)])
    runner = CliRunner()
    out = runner.invoke(app, ["tag", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)[0]["inserted"] >= 1
    shown = runner.invoke(app, ["bills", "show", "us-119-hr5", "--json"])
    areas = {a["slug"]: a for a in json.loads(shown.output)["issue_areas"]}
    assert areas["community-schools"]["status"] == "suggested"
    assert areas["community-schools"]["score"] > 0
    assert any(e["matched"] == "Community Schools" and e["field"] == "title"
               for e in areas["community-schools"]["explanation"])
    listed = json.loads(runner.invoke(app, ["bills", "list", "--json"]).output)
    assert listed["items"][0]["issue_areas"]
