"""The auditable cells of (co)sponsorship and manual items as plain tuples (`CELL_COLUMNS` order,
with the rule's words where `rule_id` goes: `engine.write_cells` turns them into ids), and the
fixed rules every kind of cell shares. Roll-call cells, the bulk of a national
recompute, are written set-based by `tracker.scoring.setcells`."""
from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import Bill, LegislativeSession, ManualEntry, Position, Scorecard, ScoredItem, Sponsorship
from tracker.scoring.rules import RoleSpan, Rule, eligible_role, preferred_from_stance, score_sponsorship
from tracker.scoring.settings import ScoringSettings

CELL_COLUMNS = ("scorecard_id", "item_id", "cell_ref", "legislator_id", "raw_name", "match_method",
                "match_confidence", "option", "raw_option", "rule_id", "agreement", "weight", "points", "eligible")
RULE_AT = CELL_COLUMNS.index("rule_id")

UNMATCHED = Rule(None, "unmatched: the printed name is not matched to a legislator")
# person_vote is unique on (roll call, legislator): the ingest leaves a second vote unmatched, so
# this rule is only ever shown in the methodology's list of rule words.
DUPLICATE = Rule(None, "duplicate: a second vote by the same legislator")
NOT_MEMBER = Rule(None, "not a member of that body on that date")
NOT_MEMBER_SPONSOR = Rule(None, "not a member of the legislature on the sponsorship date")


def preferred_for(db: Session, card: Scorecard, item: ScoredItem) -> str | None:
    """Staff's preferred option, or the one following the coalition's *public* stance on the bill.

    A private stance never sets a preferred option: scores are public, and a score computed from
    a private stance would publish it. Such an item is not scored until the position is made
    public or staff give the item its own preferred option (`tracker.scoring.attention`)."""
    if item.preferred_source != "stance":
        return item.preferred
    stance = db.execute(select(Position.stance).where(Position.coalition_id == card.coalition_id,
                                                      Position.bill_key == item.bill_key,
                                                      Position.public.is_(True))).scalars().first()
    return preferred_from_stance(stance)


class CellMaker:
    """Cells of one item: the fixed columns once, the rule outcome per cell."""

    def __init__(self, card: Scorecard, item: ScoredItem):
        self.head = (card.id, item.id)
        self.weight = item.weight

    def __call__(self, ref: int, rule: Rule, lid: int | None, eligible: bool, *, raw_name=None, method=None,
                 confidence=None, option=None, raw_option=None) -> tuple:
        """`ref`: the legislator id, or minus the source row's id for an unmatched printed name."""
        agreement = rule.agreement if eligible else None
        points = self.weight * agreement if agreement is not None else 0.0
        return (*self.head, ref, lid, raw_name, method, confidence, option, raw_option, rule.rule, agreement,
                self.weight, points, eligible)


def sponsor_cells(db: Session, card: Scorecard, item: ScoredItem, s: ScoringSettings,
                  roles: dict[int, list[RoleSpan]]) -> list[tuple] | None:
    """Cells of a sponsorship or cosponsorship item of a bill; None when the bill is unknown."""
    bill = db.execute(select(Bill.id, Bill.introduced_date, Bill.origin_chamber,
                             Bill.jurisdiction_id, LegislativeSession.identifier)
                      .join(LegislativeSession, LegislativeSession.id == Bill.session_id)
                      .where(Bill.key == item.bill_key)).first()
    if bill is None:
        return None
    bill_id, introduced, chamber, jurisdiction, session_ident = bill
    item.session = item.session or session_ident
    preferred = preferred_for(db, card, item)
    want_primary = item.kind == "sponsorship"
    make = CellMaker(card, item)
    rows = db.execute(select(Sponsorship.id, Sponsorship.legislator_id, Sponsorship.name,
                             Sponsorship.primary, Sponsorship.withdrawn_date, Sponsorship.match_method,
                             Sponsorship.match_confidence, Sponsorship.date)
                      .where(Sponsorship.bill_id == bill_id).order_by(Sponsorship.position)).all()
    cells, seen = [], set()
    for sp_id, lid, name, primary, withdrawn, method, conf, date in rows:
        if bool(primary) != want_primary:
            continue
        status = "withdrawn" if withdrawn else "sponsored"
        audit = {"raw_name": name, "option": status, "method": method, "confidence": conf}
        if lid is None:
            cells.append(make(-sp_id, UNMATCHED, None, False, **audit))
            continue
        if lid in seen:
            continue
        seen.add(lid)
        on = date or introduced
        role = eligible_role(roles.get(lid, ()), jurisdiction, None, on) if on else (roles.get(lid) or [None])[0]
        rule = score_sponsorship(status, preferred, s) if role else NOT_MEMBER_SPONSOR
        cells.append(make(lid, rule, lid, role is not None, **audit))
    if s.sponsorship_mode == "scored" and introduced:
        for lid, spans in roles.items():
            if lid not in seen and eligible_role(spans, jurisdiction, chamber, introduced):
                cells.append(make(lid, score_sponsorship(None, preferred, s), lid, True,
                                  option="not a sponsor"))
    return cells


def manual_cells(db: Session, card: Scorecard, item: ScoredItem) -> list[tuple]:
    rows = db.execute(select(ManualEntry.legislator_id, ManualEntry.points, ManualEntry.rationale)
                      .where(ManualEntry.item_id == item.id)).all()
    make = CellMaker(card, item)
    return [make(lid, Rule(max(0.0, min(1.0, points)), f"manual: {rationale}"), lid, True,
                 option="manual") for lid, points, rationale in rows]
