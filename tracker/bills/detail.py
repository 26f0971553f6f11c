"""What the bill page shows beyond the bill's own record: the people behind its sponsors and
voters (resolved name, page key, party on the day), totals by party of each roll call, the
committee that voted, hearings with the bill on the agenda, text versions and the coalitions'
public positions. A few queries per bill, none per voter."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlmodel import Session, select

from tracker.models import (BillText, Coalition, Hearing, HearingBill, Legislator, LegislatorRole, PersonVote,
                            Position, VoteEvent)
from tracker.people.parties import party_key
from tracker.bills.views import BillHearingView, CommitteeLink, PartyTally, PublicPosition, TextVersionView

# The options counted as "yes" and "no" in the party totals; every other one is "other".
YES, NO = "yes", "no"


class People:
    """The legislators a bill's sponsorships and votes resolve to, with their roles in the bill's
    jurisdiction: two queries for the whole bill."""

    def __init__(self, db: Session, ids: Iterable[int], jurisdiction: str):
        wanted = sorted({i for i in ids if i})
        self.people: dict[int, Legislator] = {}
        self.roles: dict[int, list[LegislatorRole]] = {}
        if not wanted:
            return
        self.people = {p.id: p for p in db.exec(select(Legislator).where(Legislator.id.in_(wanted))).all()}
        for role in db.exec(select(LegislatorRole).where(LegislatorRole.legislator_id.in_(wanted),
                                                         LegislatorRole.jurisdiction_id == jurisdiction)).all():
            self.roles.setdefault(role.legislator_id, []).append(role)

    def key(self, legislator_id: int | None) -> str | None:
        p = self.people.get(legislator_id)
        return p.key if p else None

    def name(self, legislator_id: int | None) -> str | None:
        p = self.people.get(legislator_id)
        return p.name if p else None

    def sort_key(self, legislator_id: int | None, printed: str) -> tuple[str, str]:
        """Roll calls list voters by family name; an unresolved voter by the name as printed."""
        p = self.people.get(legislator_id)
        return ((p.family_name or p.name) if p else printed).casefold(), (p.name if p else printed).casefold()

    def party(self, legislator_id: int | None, day: dt.date, chamber: str | None) -> str | None:
        """The party of the seat held on `day` (in `chamber` first), else the person's party."""
        p = self.people.get(legislator_id)
        if p is None:
            return None
        held = [r for r in self.roles.get(legislator_id, [])
                if (r.start_date is None or r.start_date <= day) and (r.end_date is None or r.end_date >= day)]
        held.sort(key=lambda r: (r.chamber != chamber, r.party is None))
        return party_key((held[0].party if held and held[0].party else None) or p.party)


def party_totals(votes: list[dict]) -> list[PartyTally]:
    """Yes / no / other by party (largest party first; the voters of unknown party last)."""
    tallies: dict[str | None, PartyTally] = {}
    for v in votes:
        t = tallies.setdefault(v.get("party"), PartyTally(party=v.get("party")))
        column = "yes" if v["option"] == YES else "no" if v["option"] == NO else "other"
        setattr(t, column, getattr(t, column) + 1)
    return sorted(tallies.values(), key=lambda t: (t.party is None, -(t.yes + t.no + t.other), t.party or ""))


def is_committee_vote(event: VoteEvent) -> bool:
    return event.vote_type == "committee" or "committee-passage" in (event.motion_classification or [])


class Committees:
    """Stored committees of the bill's jurisdiction, loaded only when something names one."""

    def __init__(self, db: Session, jurisdiction: str):
        self.db, self.jurisdiction, self.index = db, jurisdiction, None

    def resolve(self, key: str | None, name: str | None, source_format: str | None = None,
                description: str | None = None):
        from tracker.hearings.listing import CommitteeIndex   # the rule /hearings and committee pages use

        if self.index is None:
            self.index = CommitteeIndex(self.db, {self.jurisdiction})
        return self.index.resolve(self.jurisdiction, key, name, source_format, description)


def link(committee) -> CommitteeLink | None:
    return CommitteeLink(key=committee.key, name=committee.name) if committee is not None else None


def _web(url: str | None) -> str | None:
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None


def hearings(db: Session, bill_key: str, committees: Committees) -> list[BillHearingView]:
    """Hearings with the bill on their agenda, oldest first (those without a time last)."""
    rows = db.exec(select(Hearing, HearingBill.note).join(HearingBill, HearingBill.hearing_id == Hearing.id)
                   .where(HearingBill.bill_key == bill_key)).all()
    out = []
    for h, note in rows:
        committee, chamber = committees.resolve(h.committee_key, h.committee_name, h.source_format, h.description)
        start = h.start.replace(tzinfo=dt.timezone.utc) if h.start and h.start.tzinfo is None else h.start
        out.append(BillHearingView(key=h.key, start=start, committee_name=h.committee_name, committee=link(committee),
                                   chamber=chamber, location=h.location, status=h.status, description=h.description,
                                   note=note, links=[u for u in h.links or [] if _web(u)]))
    far = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    return sorted(out, key=lambda h: (h.start is None, h.start or far, h.key))


def text_versions(db: Session, bill_id: int, listed: list[dict]) -> list[TextVersionView]:
    """Stored versions of the text, then the versions the source only lists (same link or same
    name and date: one entry), oldest first."""
    stored = db.exec(select(BillText.version_code, BillText.version_name, BillText.date, BillText.source_url)
                     .where(BillText.bill_id == bill_id)).all()
    out = [TextVersionView(name=name or code, date=date, code=code, url=_web(url), stored=True)
           for code, name, date, url in stored]
    seen = {v.url for v in out if v.url} | {(v.name, v.date) for v in out}
    for v in listed or []:
        if not isinstance(v, dict):
            continue
        name = str(v.get("note") or v.get("name") or "").strip() or "Text"
        try:
            date = dt.date.fromisoformat(str(v["date"])[:10]) if v.get("date") else None
        except ValueError:
            date = None
        url = _web(v.get("url"))
        if (url and url in seen) or (name, date) in seen:
            continue
        seen |= {url, (name, date)} - {None}
        out.append(TextVersionView(name=name, date=date, url=url))
    return sorted(out, key=lambda v: (v.date is None, v.date or dt.date.max))


def public_positions(db: Session, bill_key: str) -> list[PublicPosition]:
    """Every coalition's public position on the bill, by coalition name; never a private one."""
    rows = db.exec(select(Position, Coalition.slug, Coalition.name).join(Coalition, Coalition.id == Position.coalition_id)
                   .where(Position.bill_key == bill_key, Position.public.is_(True))
                   .order_by(Coalition.name, Coalition.slug)).all()
    return [PublicPosition(coalition=slug, coalition_name=name, stance=p.stance, rationale=p.rationale)
            for p, slug, name in rows if p.public is True]   # belt and braces: never a private stance


def voters(people: People, event: VoteEvent, votes: list[PersonVote]) -> list[dict]:
    """The roll call's votes with each voter's person (name, key, party on the day), by name."""
    out = [{**pv.model_dump(), "legislator_key": people.key(pv.legislator_id),
            "legislator_name": people.name(pv.legislator_id),
            "party": people.party(pv.legislator_id, event.date, event.chamber)} for pv in votes]
    return sorted(out, key=lambda v: people.sort_key(v["legislator_id"], v["voter_name"]))
