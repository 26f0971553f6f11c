"""The open scorecard format (`edtracker-scorecard`, documented in docs/scorecard-format.md) and
the CSV tables, built from the stored cells and summaries."""
from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import Legislator, ScoreCell, Scorecard, ScoredItem, ScoreSummary
from tracker.bills.attribution import scorecard_credits
from tracker.scoring import views

FORMAT = "edtracker-scorecard"
FORMAT_VERSION = 1
CSV_FIELDS = ("legislator_key", "name", "party", "chamber", "district", "session", "score", "grade",
              "earned", "possible", "counted", "eligible", "bioguide", "ocd_person", "manual_earned",
              "manual_possible")


def _iso(v):
    return v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v


def _clean(d: dict) -> dict:
    return {k: _iso(v) for k, v in d.items()}


def document(db: Session, card: Scorecard) -> dict:
    """The whole scorecard: methodology, items, every legislator with ids, scores and cells, and
    the votes whose printed name matched nobody."""
    items = views.items(db, card)
    slug_of = {it["id"]: it["slug"] for it in items}
    sums: dict[int, list] = {}
    for s in db.execute(select(ScoreSummary).where(ScoreSummary.scorecard_id == card.id)
                        .order_by(ScoreSummary.legislator_id, ScoreSummary.session)).scalars():
        sums.setdefault(s.legislator_id, []).append(s)
    cells: dict[int | None, list] = {}
    for c in views.cells(db, card):
        c = _clean(c) | {"item": slug_of.get(c["item_id"])}
        cells.setdefault(c.pop("legislator_id"), []).append({k: v for k, v in c.items() if k != "item_id"})
    ids = views.identifiers(db, list(sums))
    people = []
    for leg in db.execute(select(Legislator).where(Legislator.id.in_(list(sums) or [-1]))
                          .order_by(Legislator.name)).scalars():
        first = sums[leg.id][0]
        people.append({"key": leg.key, "name": leg.name, "party": first.party or leg.party,
                       "chamber": first.chamber, "district": first.district,
                       "ids": {k: (v[0] if len(v) == 1 else v) for k, v in ids.get(leg.id, {}).items()},
                       "scores": [{"session": s.session, "score": s.score, "grade": s.grade,
                                   "earned": s.earned, "possible": s.possible, "counted": s.counted,
                                   "eligible": s.eligible, "manual_earned": s.manual_earned,
                                   "manual_possible": s.manual_possible} for s in sums[leg.id]],
                       "cells": cells.get(leg.id, [])})
    return {"format": FORMAT, "format_version": FORMAT_VERSION,
            "scorecard": _clean(views.header(db, card) | {}),
            "items": [_clean({k: v for k, v in it.items() if k != "id"}) for it in items],
            "legislators": people, "unmatched": cells.get(None, []),
            "attribution": scorecard_credits(db, card.id)}


def table_csv(rows: list[views.TableRow], ids: dict[int, dict[str, list[str]]], session: str) -> str:
    """The scorecard table as CSV (one row per legislator)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_FIELDS)
    for r in rows:
        i = ids.get(r.legislator_id, {})
        w.writerow([r.key, r.name, r.party, r.chamber, r.district, session, r.score, r.grade,
                    r.earned, r.possible, r.counted, r.eligible, ";".join(i.get("bioguide", [])),
                    ";".join(i.get("ocd-person", [])), r.manual_earned, r.manual_possible])
    return buf.getvalue()


def legislator_csv(detail: dict) -> str:
    """A legislator's scored items as CSV, with the audit trail of each cell."""
    buf = io.StringIO()
    w = csv.writer(buf)
    fields = ("item", "kind", "bill_key", "label", "date", "preferred", "weight", "option", "raw_option",
              "rule", "agreement", "points", "eligible", "raw_name", "match_method", "match_confidence",
              "source_url", "earned", "possible")
    w.writerow(fields)
    for x in detail["votes"] + detail["manual"]:
        it, c = x["item"], x["cell"]
        # What the cell adds to the legislator's sums: nothing unless it counts.
        counted = bool(c["eligible"]) and c["agreement"] is not None
        w.writerow([it["slug"], it["kind"], it["bill_key"], it["label"], _iso(it["date"]), it["preferred"],
                    c["weight"], c["option"], c["raw_option"], c["rule"], c["agreement"], c["points"],
                    c["eligible"], c["raw_name"], c["match_method"], c["match_confidence"], c["source_url"],
                    c["points"] if counted else 0.0, c["weight"] if counted else 0.0])
    return buf.getvalue()


def cell_count(db: Session, card: Scorecard) -> int:
    from sqlalchemy import func
    return db.execute(select(func.count()).select_from(ScoreCell).join(ScoredItem, ScoredItem.id == ScoreCell.item_id)
                      .where(ScoredItem.scorecard_id == card.id)).scalar_one()
