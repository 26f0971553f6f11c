"""Read side of scorecards: the table (filter, search, sort), a legislator's scored items with
the audit trail, the unmatched names, all as plain dicts for the API, pages and exports."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import (Bill, Coalition, Jurisdiction, Legislator, LegislatorIdentifier, Position,
                            ScoreCell, Scorecard, ScoredItem, ScoreRuleText, ScoreSummary, VoteEvent)
from tracker.scoring.engine import POOLED, SPONSOR_KINDS, VOTE_KINDS
from tracker.scoring.rules import preferred_from_stance
from tracker.scoring.settings import ScoringSettings

SORT_KEYS = ("name", "score", "grade", "party", "chamber", "district")


@dataclass
class TableRow:
    legislator_id: int
    key: str
    name: str
    party: str | None
    chamber: str | None
    district: str | None
    score: float | None
    grade: str | None
    counted: int
    eligible: int
    earned: float = 0.0
    possible: float = 0.0
    manual_earned: float = 0.0
    manual_possible: float = 0.0


def default_session(card: Scorecard) -> str:
    """The pooled lifetime score when the scorecard keeps one, else its latest session."""
    if ScoringSettings.from_dict(card.settings).lifetime or not card.sessions:
        return POOLED
    return sorted(card.sessions)[-1]


def _district_key(d: str | None):
    return (0, int(d), "") if d and d.isdigit() else (1, 0, d or "")


def table(db: Session, card: Scorecard, *, session: str | None = None, chamber: str | None = None,
          party: str | None = None, district: str | None = None, grade: str | None = None,
          q: str | None = None, sort: str = "name", desc: bool = False) -> list[TableRow]:
    """The scorecard table: one row per scored legislator, filtered, searched and sorted."""
    rows = db.execute(select(ScoreSummary, Legislator.name, Legislator.key)
                      .join(Legislator, Legislator.id == ScoreSummary.legislator_id)
                      .where(ScoreSummary.scorecard_id == card.id,
                             ScoreSummary.session == (session or default_session(card)))).all()
    out = [TableRow(s.legislator_id, key, name, s.party, s.chamber, s.district, s.score, s.grade,
                    s.counted, s.eligible, s.earned, s.possible, s.manual_earned, s.manual_possible)
           for s, name, key in rows]
    if chamber:
        out = [r for r in out if r.chamber == chamber]
    if party:
        out = [r for r in out if (r.party or "").lower().startswith(party.lower())]
    if district:
        out = [r for r in out if (r.district or "").lower() == district.strip().lower()]
    if grade:
        out = [r for r in out if (r.grade or "N/A") == grade]
    if q:
        needle = q.strip().casefold()
        out = [r for r in out if needle in r.name.casefold()]
    sort = sort if sort in SORT_KEYS else "name"
    keyfn = {
        "name": lambda r: r.name.casefold(),
        # N/A sorts last in either direction: compare on (has score, score).
        "score": lambda r: (r.score is not None, r.score or 0.0),
        "grade": lambda r: (r.grade is None, r.grade or ""),
        "party": lambda r: (r.party or "", r.name.casefold()),
        "chamber": lambda r: (r.chamber or "", _district_key(r.district)),
        "district": lambda r: (_district_key(r.district), r.chamber or ""),
    }[sort]
    # Ties in name order whatever the direction (a stable sort keeps the first pass's order), so the
    # table never depends on the order summaries were last written in.
    out.sort(key=lambda r: (r.name.casefold(), r.key))
    return sorted(out, key=keyfn, reverse=desc)


def items(db: Session, card: Scorecard) -> list[dict]:
    """The scored items, in order, with the bill title, the roll call and the coalition's public
    stance (a private one reads exactly as no position)."""
    rows = db.execute(select(ScoredItem, Bill.title, Bill.identifier, VoteEvent.date, VoteEvent.result,
                             VoteEvent.source_url, VoteEvent.chamber, VoteEvent.organization, Position.stance)
                      .outerjoin(Bill, Bill.key == ScoredItem.bill_key)
                      .outerjoin(VoteEvent, VoteEvent.key == ScoredItem.vote_event_key)
                      # Public positions only: these views feed every public page and export.
                      .outerjoin(Position, (Position.bill_key == ScoredItem.bill_key)
                                 & (Position.coalition_id == card.coalition_id) & Position.public.is_(True))
                      .where(ScoredItem.scorecard_id == card.id)
                      .order_by(ScoredItem.position, ScoredItem.id)).all()
    out = []
    for it, title, ident, date, result, url, chamber, org, stance in rows:
        out.append({"id": it.id, "slug": it.slug, "kind": it.kind, "label": it.label,
                    "description": it.description, "bill_key": it.bill_key, "bill_identifier": ident,
                    "bill_title": title, "vote_event_key": it.vote_event_key, "date": date,
                    "result": result, "source_url": url, "chamber": chamber, "organization": org,
                    "preferred": it.preferred if it.preferred_source != "stance" else preferred_from_stance(stance),
                    "preferred_source": it.preferred_source,
                    "stance": stance, "weight": it.weight, "session": it.session,
                    "rationale": it.rationale, "chosen_at": it.chosen_at, "chosen_by": it.chosen_by,
                    "notice_text": it.notice_text, "notice_published_at": it.notice_published_at})
    return out


CELL_FIELDS = ("item_id", "legislator_id", "session", "vote_event_key", "source_url", "raw_name",
               "match_method", "match_confidence", "option", "raw_option", "rule", "agreement",
               "weight", "points", "eligible")


_OWN = ("item_id", "cell_ref", "legislator_id", "raw_name", "match_method", "match_confidence", "option",
        "raw_option", "agreement", "weight", "points", "eligible")


def _item_facts(db: Session, card: Scorecard) -> dict[int, dict]:
    """What every cell of an item shows: session, roll call key, source URL (roll call or bill)."""
    rows = db.execute(select(ScoredItem.id, ScoredItem.kind, ScoredItem.session, ScoredItem.vote_event_key,
                             VoteEvent.source_url, Bill.source_url)
                      .outerjoin(VoteEvent, VoteEvent.key == ScoredItem.vote_event_key)
                      .outerjoin(Bill, Bill.key == ScoredItem.bill_key)
                      .where(ScoredItem.scorecard_id == card.id)).all()
    out = {}
    for item_id, kind, session, event_key, vote_url, bill_url in rows:
        vote = kind in VOTE_KINDS
        out[item_id] = {"session": session, "vote_event_key": event_key if vote else None,
                        "source_url": vote_url if vote else bill_url if kind in SPONSOR_KINDS else None}
    return out


def cell_order(item_id: int, cell_ref: int) -> tuple:
    """By item, then legislators before unmatched names, each by its id's digits as text (the
    order of the former 'leg:<id>' / 'name:<id>' keys): pages and exports keep their order."""
    return (item_id, cell_ref < 0, str(abs(cell_ref)))


def cells(db: Session, card: Scorecard, legislator_id: int | None = None, unmatched: bool = False) -> list[dict]:
    """The cells as dicts of CELL_FIELDS: the cell's own snapshot (name, match, option, rule,
    agreement, weight, points, eligibility) with what its item gives every cell (session, roll
    call key, source URL of the roll call or bill) and the rule's words (issue 19: narrow cells),
    in `cell_order`."""
    facts = _item_facts(db, card)
    q = (select(*(getattr(ScoreCell, f) for f in _OWN), ScoreRuleText.words)
         .join(ScoreRuleText, ScoreRuleText.id == ScoreCell.rule_id)
         .where(ScoreCell.item_id.in_(select(ScoredItem.id).where(ScoredItem.scorecard_id == card.id))))
    # Through the items and the unique (item_id, cell_ref) index, the table's only one.
    if unmatched:
        q = q.where(ScoreCell.cell_ref < 0)
    elif legislator_id is not None:
        q = q.where(ScoreCell.cell_ref == legislator_id)
    # By item and cell, not by row id: a rescored item gets new rows, not a new place.
    rows = sorted(db.execute(q).all(), key=lambda r: cell_order(r[0], r[1]))
    out = []
    for *own, rule in rows:
        d = dict(zip(_OWN, own), rule=rule, **facts[own[0]])
        out.append({f: d[f] for f in CELL_FIELDS})
    return out


def identifiers(db: Session, legislator_ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """External ids (bioguide, ocd-person, ...) by legislator."""
    out: dict[int, dict[str, list[str]]] = {}
    for i in range(0, len(legislator_ids), 500):
        chunk = legislator_ids[i:i + 500]
        for lid, scheme, value in db.execute(select(LegislatorIdentifier.legislator_id, LegislatorIdentifier.scheme,
                                                    LegislatorIdentifier.value)
                                             .where(LegislatorIdentifier.legislator_id.in_(chunk))):
            out.setdefault(lid, {}).setdefault(scheme, []).append(value)
    return out


def legislator(db: Session, card: Scorecard, legislator_id: int) -> dict | None:
    """One legislator on the scorecard: summaries per session, and every item with the cell."""
    leg = db.get(Legislator, legislator_id)
    if leg is None:
        return None
    sums = db.execute(select(ScoreSummary).where(ScoreSummary.scorecard_id == card.id,
                                                 ScoreSummary.legislator_id == legislator_id)).scalars().all()
    if not sums:
        return None
    by_item = {c["item_id"]: c for c in cells(db, card, legislator_id)}
    scored = []
    for it in items(db, card):
        cell = by_item.get(it["id"])
        if cell is not None:
            scored.append({"item": it, "cell": cell})
    return {"id": leg.id, "key": leg.key, "name": leg.name, "party": leg.party, "image": leg.image,
            "ids": identifiers(db, [leg.id]).get(leg.id, {}),
            "summaries": sorted(({"session": s.session, "score": s.score, "grade": s.grade,
                                  "earned": s.earned, "possible": s.possible, "counted": s.counted,
                                  "eligible": s.eligible, "manual_earned": s.manual_earned,
                                  "manual_possible": s.manual_possible, "chamber": s.chamber,
                                  "district": s.district, "party": s.party} for s in sums),
                                key=lambda s: (s["session"] == POOLED, s["session"])),
            "votes": [x for x in scored if x["item"]["kind"] != "manual"],
            "manual": [x for x in scored if x["item"]["kind"] == "manual"]}


def header(db: Session, card: Scorecard) -> dict:
    """The scorecard's own fields, with its coalition and jurisdiction."""
    co = db.get(Coalition, card.coalition_id)
    jur = db.get(Jurisdiction, card.jurisdiction_id)
    return {"slug": card.slug, "title": card.title, "coalition": {"slug": co.slug, "name": co.name,
                                                                  "website": co.website},
            "jurisdiction": {"id": jur.id, "name": jur.name, "ocd_jurisdiction_id": jur.ocd_jurisdiction_id,
                             "division_id": jur.division_id},
            "chambers": card.chambers, "sessions": card.sessions, "methodology": card.methodology,
            "settings": ScoringSettings.from_dict(card.settings).to_dict(), "version": card.version,
            "published_at": card.published_at, "updated_at": card.updated_at}


def row_dict(r: TableRow) -> dict:
    return asdict(r)
