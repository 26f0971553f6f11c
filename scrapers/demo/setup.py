"""The demo's coalition, scorecard and job table: loaded idempotently (a second run changes nothing)."""
from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy.engine import Engine

HERE = Path(__file__).parent
COALITION_FILE = HERE / "coalition.yaml"
SCORECARD_FILE = HERE / "scorecard.yaml"
COALITION_SLUG = "demo-public-schools"  # as in coalition.yaml
# The day the demo judges "current" on (`EDTRACKER_AS_OF`): inside the sample's sessions (the
# 119th Congress ends 2027-01-03, NY's 2025-2026 session 2026-12-31), after its newest record.
DEMO_AS_OF = "2026-12-01"

# Spider -> arguments for a crawl of the demo mirror ({base} is the mirror's root URL). Spiders
# reading their base URL and key from settings need no argument: `mirror_settings` sets them.
# Order matters: people first (votes and sponsorships resolve to them), bills before votes.
DEMO_CRAWLS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("us_legislators", ("base_url={base}/congress-legislators",)),
    ("us_bills", ("base_url={base}", "congress=119")),
    ("us_votes", ("base_url={base}", "years=2025", "congress=119", "sessions=1")),
    ("legiscan_bills", ("states=CA,KY",)),
    ("ny_bills", ("session=2025",)),
)
# Not yet in the sample: Open States API v3 answers; its spiders would only meet 404s (and wait
# 6 s between requests), so the demo does not run them.
SPIDERS_DIR = Path(__file__).resolve().parent.parent / "spiders"


def available_crawls() -> list[tuple[str, tuple[str, ...]]]:
    """The demo crawls whose spider exists in this checkout (state spiders land one by one)."""
    return [(name, args) for name, args in DEMO_CRAWLS if (SPIDERS_DIR / f"{name}.py").exists()]


def demo_jobs(base_url: str, interval: str = "interval: 30m") -> list[dict]:
    """`EDTRACKER_EXTRA_JOBS` for the demo: every crawl against the mirror, then re-tag and re-score."""
    jobs = [{"id": f"demo-{name}", "kind": "crawl", "target": name, "trigger": interval,
             "args": [a.format(base=base_url.rstrip("/")) for a in args], "timeout": 600,
             "after": ["demo-tag", "demo-score"]}
            for name, args in available_crawls()]
    jobs.append({"id": "demo-tag", "kind": "call", "target": "tracker.ops.jobs:retag", "trigger": "cron: 30 3 * * *"})
    jobs.append({"id": "demo-score", "kind": "call", "target": "tracker.ops.jobs:rescore",
                 "trigger": "cron: 45 3 * * *"})
    return jobs


def load_demo_coalition(engine: Engine) -> tuple[str, dict[str, int]]:
    from tracker.coalitions.loader import load_coalition

    return load_coalition(engine, COALITION_FILE)


def load_demo_scorecard(engine: Engine) -> dict:
    """Create the demo scorecard and its items unless they exist; recompute it. Returns counts.

    Raises ImportError while the scoring module is not available in this checkout."""
    from sqlmodel import Session

    from tracker.scoring import engine as scoring
    from tracker.scoring.service import add_item, create_scorecard, get_scorecard

    spec = yaml.safe_load(SCORECARD_FILE.read_text(encoding="utf-8"))
    created = added = 0
    with Session(engine) as db:
        card = get_scorecard(db, spec["coalition"], spec["slug"])
        if card is None:
            card = create_scorecard(db, coalition=spec["coalition"], slug=spec["slug"],
                                    jurisdiction=spec["jurisdiction"], title=spec["title"],
                                    chambers=spec.get("chambers"), sessions=spec.get("sessions"),
                                    methodology=spec.get("methodology"), publish=True)
            created = 1
        from tracker.models import ScoredItem
        from sqlalchemy import select

        have = set(db.execute(select(ScoredItem.slug).where(ScoredItem.scorecard_id == card.id)).scalars())
        for item in spec["items"]:
            if item["vote"] in have:
                continue
            add_item(db, card, kind=item["kind"], vote_event_key=item["vote"], label=item.get("label"),
                     preferred=item.get("preferred"), recompute=False)
            added += 1
        stats = scoring.recompute(db, card.id)
        db.commit()
        return {"scorecard": spec["slug"], "created": created, "items_added": added, "cells": stats.cells,
                "missing": stats.missing, "coalition": spec["coalition"]}
