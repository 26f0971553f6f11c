"""Data quality per jurisdiction and session: what is matched, what is missing, what disagrees.

A person reads it to fix gaps: unmatched names get an alias (`edtracker aliases add`), bills
without actions point at a source that lost them, and vote results where the legislature's
record and a vendor's flag disagree are listed (the record's result is the one kept).
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.models import (Bill, BillAction, LegislativeSession, Legislator, LegislatorRole, PersonVote,
                            Sponsorship, VoteEvent)
from tracker.vocab import WEAK_ID_SCHEMES

# What each reason an unmatched name is listed with means, and what fixes it.
REASONS = {
    "unknown-id": "the source's id names nobody loaded (a former member: load the historical "
                  "legislators file, or the people file of that source)",
    "id-conflict": "the source's ids name two different legislators (check the people files)",
    "duplicate": "the source lists this legislator twice in one roll call; the other row keeps the vote",
    "no-candidate": "nobody with that name served in that chamber on that date",
    "ambiguous": "several legislators fit the name (add an alias)",
    "low-confidence": "the closest name is too far (add an alias)",
}

# The key every vendor parser uses for its own pass/fail flag (LegiScan's `passed`, ...).
VENDOR_RESULT_KEY = "vendor_result"


def _vendor_result(extras: dict) -> str | None:
    value = (extras or {}).get(VENDOR_RESULT_KEY)
    if value in ("pass", "fail"):
        return value
    legacy = (extras or {}).get("vendor_passed")  # LegiScan's 0/1 `passed`
    if legacy in (0, 1, True, False, "0", "1"):
        return "pass" if str(int(legacy)) == "1" else "fail"
    return None


def _share(matched: int, total: int) -> float | None:
    return round(matched / total, 4) if total else None


def quality_report(session: Session, *, jurisdiction: str | None = None,
                   session_identifier: str | None = None, names_limit: int = 50) -> list[dict]:
    """One entry per (jurisdiction, session) with match shares, unmatched names, bills without
    actions and vote-result disagreements."""
    sessions = {s.id: s for s in session.exec(select(LegislativeSession)).all()}

    def wanted(jur: str, sid: int | None) -> bool:
        if jurisdiction and jur != jurisdiction.lower():
            return False
        if session_identifier is not None:
            return sid in sessions and sessions[sid].identifier == session_identifier
        return True

    out: dict[tuple[str, int | None], dict] = defaultdict(lambda: {
        "votes": 0, "votes_matched": 0, "sponsorships": 0, "sponsorships_matched": 0,
        "unmatched": defaultdict(lambda: {"votes": 0, "sponsorships": 0, "reasons": set()}),
        "bills": 0, "bills_without_actions": [], "result_disagreements": []})

    rows = session.exec(select(VoteEvent.jurisdiction_id, VoteEvent.session_id,
                               func.count(PersonVote.id), func.count(PersonVote.legislator_id))
                        .join(PersonVote, PersonVote.vote_event_id == VoteEvent.id)
                        .group_by(VoteEvent.jurisdiction_id, VoteEvent.session_id)).all()
    for jur, sid, total, matched in rows:
        if wanted(jur, sid):
            out[(jur, sid)]["votes"] += total
            out[(jur, sid)]["votes_matched"] += matched
    rows = session.exec(select(VoteEvent.jurisdiction_id, VoteEvent.session_id, PersonVote.voter_name,
                               PersonVote.match_method, func.count())
                        .join(PersonVote, PersonVote.vote_event_id == VoteEvent.id)
                        .where(PersonVote.legislator_id.is_(None))
                        .group_by(VoteEvent.jurisdiction_id, VoteEvent.session_id,
                                  PersonVote.voter_name, PersonVote.match_method)).all()
    for jur, sid, name, method, n in rows:
        if wanted(jur, sid):
            entry = out[(jur, sid)]["unmatched"][name]
            entry["votes"] += n
            entry["reasons"].add(method or "no-candidate")

    rows = session.exec(select(Bill.jurisdiction_id, Bill.session_id, func.count(Sponsorship.id),
                               func.count(Sponsorship.legislator_id))
                        .join(Sponsorship, Sponsorship.bill_id == Bill.id)
                        .where(Sponsorship.entity_type == "person")
                        .group_by(Bill.jurisdiction_id, Bill.session_id)).all()
    for jur, sid, total, matched in rows:
        if wanted(jur, sid):
            out[(jur, sid)]["sponsorships"] += total
            out[(jur, sid)]["sponsorships_matched"] += matched
    rows = session.exec(select(Bill.jurisdiction_id, Bill.session_id, Sponsorship.name,
                               Sponsorship.match_method, func.count())
                        .join(Sponsorship, Sponsorship.bill_id == Bill.id)
                        .where(Sponsorship.entity_type == "person", Sponsorship.legislator_id.is_(None))
                        .group_by(Bill.jurisdiction_id, Bill.session_id, Sponsorship.name,
                                  Sponsorship.match_method)).all()
    for jur, sid, name, method, n in rows:
        if wanted(jur, sid):
            entry = out[(jur, sid)]["unmatched"][name]
            entry["sponsorships"] += n
            entry["reasons"].add(method or "no-candidate")

    with_actions = select(BillAction.bill_id).distinct()
    for jur, sid, key in session.exec(select(Bill.jurisdiction_id, Bill.session_id, Bill.key)
                                      .where(Bill.id.not_in(with_actions))
                                      .order_by(Bill.key)).all():
        if wanted(jur, sid):
            out[(jur, sid)]["bills_without_actions"].append(key)
    for jur, sid, n in session.exec(select(Bill.jurisdiction_id, Bill.session_id, func.count())
                                    .group_by(Bill.jurisdiction_id, Bill.session_id)).all():
        if wanted(jur, sid):
            out[(jur, sid)]["bills"] += n

    for ev in session.exec(select(VoteEvent).order_by(VoteEvent.date, VoteEvent.key)).all():
        vendor = _vendor_result(ev.extras)
        if vendor and vendor != ev.result and wanted(ev.jurisdiction_id, ev.session_id):
            out[(ev.jurisdiction_id, ev.session_id)]["result_disagreements"].append({
                "vote_key": ev.key, "bill_key": ev.bill_key, "date": ev.date.isoformat(),
                "motion_text": ev.motion_text, "record_result": ev.result, "vendor_result": vendor,
                "source_format": ev.source_format})

    # People a source names only by seat (California's pubinfo) whom no source with person ids
    # has matched yet: their votes count, but they have no Open States (or other) record.
    seat_only: dict[str, list[str]] = defaultdict(list)
    for key, name, jur in session.exec(select(Legislator.key, Legislator.name, LegislatorRole.jurisdiction_id)
                                       .join(LegislatorRole, LegislatorRole.legislator_id == Legislator.id)
                                       .distinct()).all():
        if key.split(":", 1)[0] in WEAK_ID_SCHEMES and name not in seat_only[jur]:
            seat_only[jur].append(name)

    report = []
    for (jur, sid), data in sorted(out.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        names = sorted(data["unmatched"].items(),
                       key=lambda kv: (-(kv[1]["votes"] + kv[1]["sponsorships"]), kv[0]))
        report.append({
            "jurisdiction": jur,
            "session": sessions[sid].identifier if sid in sessions else None,
            "votes": data["votes"], "votes_matched": data["votes_matched"],
            "votes_matched_share": _share(data["votes_matched"], data["votes"]),
            "sponsorships": data["sponsorships"], "sponsorships_matched": data["sponsorships_matched"],
            "sponsorships_matched_share": _share(data["sponsorships_matched"], data["sponsorships"]),
            "unmatched_names": [{"name": n, "votes": v["votes"], "sponsorships": v["sponsorships"],
                                 "reasons": sorted(v["reasons"])} for n, v in names[:names_limit]],
            "unmatched_names_total": len(names),
            "bills": data["bills"], "bills_without_actions": data["bills_without_actions"],
            "result_disagreements": data["result_disagreements"],
            "people_by_seat_name_only": sorted(seat_only.get(jur, []))})
    return report
