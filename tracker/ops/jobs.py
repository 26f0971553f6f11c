"""No-argument job functions for the scheduler's "call" jobs (`module:function` in the job table).

Each returns a dict of counts that `scheduler.run_job` records (inserted / updated / unchanged /
errors plus details). The heavy modules are imported inside the functions so the job table can
name them without importing every area at scheduler start.
"""
from __future__ import annotations

from sqlmodel import Session, select

from tracker.db import get_engine


def retag() -> dict:
    """Re-run the default taxonomy's and every coalition's tagging rules over every bill."""
    from tracker.tagging.store import retag_all

    runs = retag_all(get_engine())
    return {"inserted": sum(r.inserted for r in runs), "updated": sum(r.updated + r.removed for r in runs),
            "unchanged": sum(r.bills for r in runs), "runs": [r.as_dict() for r in runs]}


def rescore() -> dict:
    """Recompute every scorecard (roll calls or sponsorships may have changed): one transaction per
    scorecard, several at once on PostgreSQL (`tracker.scoring.batch`); a scorecard that fails is
    counted in `errors` and the others are kept."""
    from tracker.scoring.batch import recompute_all

    out, errors = {}, {}
    for r in recompute_all(get_engine()):
        if r.error is not None:
            errors[str(r.scorecard_id)] = r.error
        else:
            out[str(r.scorecard_id)] = {"items": r.stats.items, "cells": r.stats.cells, "missing": r.stats.missing}
    return {"updated": len(out), "errors": len(errors), "scorecards": out, "failed": errors}


def quality() -> dict:
    """The data-quality report (match shares, unmatched names, disagreements) per session."""
    from tracker.people.quality import quality_report

    with Session(get_engine()) as db:
        report = quality_report(db, names_limit=20)
    return {"unchanged": len(report), "sessions": report}


def adjournment_sweep() -> dict:
    """Bills still pending when their session ended (session calendars) die, once, with the date."""
    from tracker.bills.adjournment import sweep

    return sweep(get_engine()).as_dict()
