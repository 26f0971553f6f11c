"""What moved in education lately: new bills, stage changes and floor votes of one week, and
the upcoming hearings. The home page and `/api/activity` show it.

"Education" means tagged with an area of the default taxonomy (not rejected). The week is the
seven days up to today, or, when the newest action or vote stored is older than that, the seven
days up to that newest date (the page says which dates it covers).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import String, and_, cast, exists, func, or_, select
from sqlmodel import Session

from tracker.models import (Bill, BillTag, ChangeEvent, Hearing, HearingBill, IssueArea,
                            LegislativeSession, VoteEvent)

WEEK = 7
SHOWN = 20          # items of each kind listed; the rest is counted


@dataclass
class Moved:
    """One bill that moved (a new bill, a stage change or a floor vote on it)."""

    kind: str                       # new_bill, stage_changed, floor_vote
    date: dt.date
    bill_key: str
    identifier: str
    title: str
    jurisdiction: str
    session: str
    stage: str
    old_stage: str | None = None
    vote_key: str | None = None
    chamber: str | None = None
    motion: str | None = None
    result: str | None = None
    counts: dict = field(default_factory=dict)


@dataclass
class Week:
    start: dt.date | None
    end: dt.date | None
    current: bool                   # the window ends today (else: at the newest data)
    new_bills: list[Moved] = field(default_factory=list)
    stage_changes: list[Moved] = field(default_factory=list)
    floor_votes: list[Moved] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)


@dataclass
class UpcomingHearing:
    key: str
    start: dt.datetime
    jurisdiction: str
    committee: str | None
    location: str | None
    status: str
    links: list
    bills: list[tuple[str, str]]    # (bill key, identifier) on the agenda


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def _is_education(db: Session):
    """A condition on Bill: tagged with a default-taxonomy area that staff did not reject. Checked
    per bill (bill_tag is indexed by bill) after the dates have narrowed the bills down."""
    areas = list(db.execute(select(IssueArea.id).where(IssueArea.coalition_id.is_(None))).scalars())
    return exists().where(BillTag.bill_id == Bill.id, BillTag.issue_area_id.in_(areas),
                          BillTag.status != "rejected")


def newest_date(db: Session, today: dt.date) -> dt.date | None:
    """The newest action or vote date stored (never after today)."""
    dates = [db.execute(select(func.max(Bill.latest_action_date))
                        .where(Bill.latest_action_date <= today)).scalar_one(),
             db.execute(select(func.max(VoteEvent.date)).where(VoteEvent.date <= today)).scalar_one()]
    dates = [d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)[:10]) for d in dates if d]
    return max(dates, default=None)


def floor_only():
    """A condition on VoteEvent: a vote of a whole chamber, not of a committee (no committee motion,
    no committee as the body voting; the House's Committee of the Whole is the floor)."""
    org = func.lower(func.coalesce(VoteEvent.organization, ""))
    return and_(~cast(VoteEvent.motion_classification, String).like('%"committee%'),
                or_(~org.like("%committee%"), org.like("%committee of the whole%")))


def _count(db: Session, query) -> int:
    return db.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()


def _moved(kind: str, date: dt.date, bill: Bill, session: str, **extra) -> Moved:
    return Moved(kind=kind, date=date, bill_key=bill.key, identifier=bill.identifier, title=bill.title,
                 jurisdiction=bill.jurisdiction_id, session=session, stage=bill.stage, **extra)


def week(db: Session, today: dt.date, days: int = WEEK, shown: int = SHOWN) -> Week:
    """New bills, stage changes and floor votes of the week (see the module docstring)."""
    newest = newest_date(db, today)
    if newest is None:
        return Week(start=None, end=None, current=True, totals={"new_bills": 0, "stage_changes": 0,
                                                                "floor_votes": 0})
    current = newest >= today - dt.timedelta(days=days - 1)
    end = today if current else newest
    start = end - dt.timedelta(days=days - 1)
    edu = _is_education(db)
    # Introductions and stage changes are actions, so latest_action_date (indexed) bounds both;
    # bills that died when a session ended (no action) are not counted as moving.
    recent = (select(Bill, LegislativeSession.identifier)
              .join(LegislativeSession, Bill.session_id == LegislativeSession.id)
              .where(Bill.latest_action_date >= start, edu))
    new = recent.where(Bill.introduced_date.between(start, end)).order_by(Bill.introduced_date.desc(), Bill.key)
    # A bill referred to committee the day it was introduced is new, not a stage change.
    moved = (recent.where(Bill.stage_date.between(start, end), Bill.stage != "introduced",
                          or_(Bill.introduced_date.is_(None), Bill.stage_date != Bill.introduced_date))
             .order_by(Bill.stage_date.desc(), Bill.key))
    votes = (select(VoteEvent, Bill, LegislativeSession.identifier)
             .join(Bill, Bill.key == VoteEvent.bill_key)
             .join(LegislativeSession, Bill.session_id == LegislativeSession.id)
             .where(VoteEvent.date.between(start, end), edu, floor_only())
             .order_by(VoteEvent.date.desc(), VoteEvent.key))
    out = Week(start=start, end=end, current=current)
    out.new_bills = [_moved("new_bill", b.introduced_date, b, s) for b, s in db.execute(new.limit(shown))]
    stage_rows = db.execute(moved.limit(shown)).all()
    old = _previous_stages(db, [b.key for b, _ in stage_rows])
    out.stage_changes = [_moved("stage_changed", b.stage_date, b, s, old_stage=old.get((b.key, b.stage)))
                         for b, s in stage_rows]
    out.floor_votes = [_moved("floor_vote", v.date, b, s, vote_key=v.key, chamber=v.chamber,
                              motion=v.motion_text, result=v.result, counts=dict(v.counts or {}))
                       for v, b, s in db.execute(votes.limit(shown))]
    out.totals = {"new_bills": _count(db, new), "stage_changes": _count(db, moved), "floor_votes": _count(db, votes)}
    return out


def _previous_stages(db: Session, keys: list[str]) -> dict[tuple[str, str], str]:
    """(bill key, new stage) -> the stage before it, from the stage_changed change events."""
    if not keys:
        return {}
    out: dict[tuple[str, str], str] = {}
    for key, payload in db.execute(select(ChangeEvent.bill_key, ChangeEvent.payload)
                                   .where(ChangeEvent.kind == "stage_changed", ChangeEvent.bill_key.in_(keys))
                                   .order_by(ChangeEvent.id)):
        payload = payload or {}
        if payload.get("new_stage") and payload.get("old_stage"):
            out[(key, payload["new_stage"])] = payload["old_stage"]
    return out


def upcoming_hearings(db: Session, now: dt.datetime, limit: int = 10) -> list[UpcomingHearing]:
    """Hearings from `now` on with an education bill on the agenda or an education committee."""
    now = now.astimezone(dt.timezone.utc)     # stored times are UTC (SQLite keeps them naive)
    on_agenda = (select(HearingBill.hearing_id).join(Bill, Bill.key == HearingBill.bill_key)
                 .where(HearingBill.hearing_id == Hearing.id, _is_education(db)))
    rows = db.execute(select(Hearing).where(
        Hearing.start >= now,
        or_(func.lower(Hearing.committee_name).like("%educa%"), on_agenda.exists()))
        .order_by(Hearing.start, Hearing.key).limit(limit)).scalars().all()
    agenda: dict[int, list[tuple[str, str]]] = {}
    if rows:
        for hid, key, ident in db.execute(
                select(HearingBill.hearing_id, HearingBill.bill_key, Bill.identifier)
                .outerjoin(Bill, Bill.key == HearingBill.bill_key)
                .where(HearingBill.hearing_id.in_([h.id for h in rows]))
                .order_by(HearingBill.hearing_id, HearingBill.position)):
            agenda.setdefault(hid, []).append((key, ident or key))
    return [UpcomingHearing(key=h.key, start=_utc(h.start), jurisdiction=h.jurisdiction_id, committee=h.committee_name,
                            location=h.location, status=h.status, links=list(h.links or []),
                            bills=agenda.get(h.id, [])) for h in rows]


def tracked_jurisdictions(db: Session) -> list[str]:
    """Jurisdictions with at least one stored session (the ones edtracker tracks here)."""
    ids = db.execute(select(LegislativeSession.jurisdiction_id).distinct()).scalars()
    return sorted(set(ids), key=lambda j: (j != "us", j))     # Congress first
