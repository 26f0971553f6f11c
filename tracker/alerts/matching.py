"""Which subscriptions an event concerns: one rule per target type, plus the kind (noise) filter."""
from __future__ import annotations

import datetime as dt
import re
from typing import Callable, Iterable
from urllib.parse import parse_qsl

from sqlalchemy import select

from tracker.alerts.kinds import EXPECTED_VOTE, OPS_EVENT_KINDS
from tracker.alerts.targets import committee_by_any_key, committee_names, federal_code, legislator_by_any_key
from tracker.models import (Bill, BillTag, ChangeEvent, Coalition, Committee, IssueArea, Legislator, Position,
                            SavedSearch, Subscription)
from tracker.people.names import chamber_in, name_key


class Matcher:
    """Answers `matches(subscription, event)` for a batch of events, with lookups loaded once;
    "current" representatives (of a followed school district) are those serving `on` (default today)."""

    def __init__(self, session, events: Iterable[ChangeEvent], *, on: dt.date | None = None):
        self.session = session
        self.on = on
        self.events = list(events)
        bill_keys = {e.bill_key for e in self.events if e.bill_key}
        self.tags: dict[str, set[str]] = {}
        self.bills: dict[str, Bill] = {}
        if bill_keys:
            for bill in session.scalars(select(Bill).where(Bill.key.in_(bill_keys))):
                self.bills[bill.key] = bill
            rows = session.execute(select(Bill.key, IssueArea.slug)
                                   .join(BillTag, BillTag.bill_id == Bill.id)
                                   .join(IssueArea, IssueArea.id == BillTag.issue_area_id)
                                   .where(Bill.key.in_(bill_keys), BillTag.status != "rejected")).all()
            for key, slug in rows:
                self.tags.setdefault(key, set()).add(slug)
        self._legislators: dict[str, int | None] = {}
        self._committees: dict[str, Committee | None] = {}
        self._coalitions: dict[str, int | None] = {}
        self._positions: dict[int, dict[str, str]] = {}
        self._private: dict[int, set[str]] = {}
        self._searches: dict[str, Callable[[Bill], bool]] = {}
        self._schools: dict = {}

    # --- lookups, cached per batch ---
    def legislator_id(self, key: str) -> int | None:
        """The id of the legislator a subscription names by key, by any of their ids or by name."""
        if key not in self._legislators:
            found = legislator_by_any_key(self.session, key)
            self._legislators[key] = found.id if found else None
        return self._legislators[key]

    def committee(self, target: str) -> Committee | None:
        if target not in self._committees:
            self._committees[target] = committee_by_any_key(self.session, target)[0]
        return self._committees[target]

    def coalition_id(self, slug: str) -> int | None:
        if slug not in self._coalitions:
            self._coalitions[slug] = self.session.scalar(select(Coalition.id).where(Coalition.slug == slug))
        return self._coalitions[slug]

    def positions(self, coalition_id: int) -> dict[str, str]:
        """The coalition's public stances by bill: alerts, feeds and webhooks go to the public
        (anyone may sign up naming a coalition), so a private stance never counts here."""
        if coalition_id not in self._positions:
            self._positions[coalition_id] = dict(self.session.execute(
                select(Position.bill_key, Position.stance).where(Position.coalition_id == coalition_id,
                                                                 Position.public.is_(True))).all())
        return self._positions[coalition_id]

    def private_bills(self, coalition_id: int) -> set[str]:
        if coalition_id not in self._private:
            self._private[coalition_id] = set(self.session.scalars(
                select(Position.bill_key).where(Position.coalition_id == coalition_id,
                                                Position.public.is_(False))))
        return self._private[coalition_id]

    def public_position_event(self, ev: ChangeEvent) -> bool:
        """A position change the public may see: it was public, and the position is not private now
        (a stance made private stops showing, old public changes included)."""
        return bool((ev.payload or {}).get("public")) and ev.coalition_id is not None \
            and (ev.bill_key or "") not in self.private_bills(ev.coalition_id)

    def search(self, ref: str) -> Callable[[Bill], bool]:
        if ref not in self._searches:
            coalition, _, slug = ref.partition("/")
            saved = self.session.scalar(select(SavedSearch).join(Coalition, Coalition.id == SavedSearch.coalition_id)
                                        .where(Coalition.slug == coalition, SavedSearch.slug == slug))
            self._searches[ref] = saved_search_predicate(saved.params if saved else None)
        return self._searches[ref]

    def school(self, leaid: str):
        if leaid not in self._schools:
            from tracker.schools.follow import watch
            self._schools[leaid] = watch(self.session, leaid, on=self.on)
        return self._schools[leaid]

    # --- the rules ---
    def matches(self, sub: Subscription, ev: ChangeEvent) -> bool:
        if (ev.kind in OPS_EVENT_KINDS) != (sub.target_type == OPS_TARGET):
            return False  # operator notices reach only the operators' subscriptions, and only them
        if sub.kinds and ev.kind not in sub.kinds:
            return False
        if ev.kind == "position_changed" and not self.public_position_event(ev):
            # Private positions reach no subscriber: a subscription's coalition is only what the
            # sign-up form was told, not proof of belonging to it.
            return False
        rule = RULES.get(sub.target_type)
        return bool(rule and rule(self, sub.target, ev))

    def vote_lines(self, ev: ChangeEvent, followed: Iterable[int], coalition_id: int | None) -> list[dict]:
        """For a roll call: each followed legislator's vote and whether it matched the position."""
        votes = (ev.payload or {}).get("votes") or {}
        stance = self.positions(coalition_id).get(ev.bill_key or "") if coalition_id else None
        expected = EXPECTED_VOTE.get(stance or "")
        lines = []
        for lid in followed:
            option = votes.get(str(lid))
            if option is None:
                continue
            name = self.session.scalar(select(Legislator.name).where(Legislator.id == lid))
            matched = None if expected is None or option not in ("yes", "no") else option == expected
            lines.append({"legislator": name, "vote": option, "stance": stance, "matched": matched})
        return lines


def _committee(m: Matcher, target: str, ev: ChangeEvent) -> bool:
    """An event names the committee by its key, one of its ids, its system code or its name
    (the words that tell it apart, in its jurisdiction and chamber); a bill by its referrals."""
    t = target.lower()
    payload = ev.payload or {}
    bill = m.bills.get(ev.bill_key or "")
    said = [ev.committee_key, payload.get("committee"), *((bill.committees or []) if bill else [])]
    said = [str(s) for s in said if s]
    if any(s.lower() == t for s in said):
        return True
    c = m.committee(target)
    if c is None:
        return False
    names = committee_names(c)
    if any(s.lower() in names for s in said):
        return True
    code = federal_code(c)
    if code and bill and code in ((bill.extras or {}).get("committee_codes") or []):
        return True
    if ev.jurisdiction_id != c.jurisdiction_id:
        return False
    key, acting = name_key(c.name), payload.get("actor") if payload.get("actor") in ("upper", "lower") else None
    for s in said:
        chamber = chamber_in(s) or acting
        if name_key(s) == key and (chamber is None or c.chamber in (None, "legislature", "joint", chamber)):
            return True
    return False


def _coalition(m: Matcher, target: str, ev: ChangeEvent) -> bool:
    cid = m.coalition_id(target)
    return cid is not None and (ev.coalition_id == cid or (ev.bill_key or "") in m.positions(cid))


def _saved_search(m: Matcher, target: str, ev: ChangeEvent) -> bool:
    bill = m.bills.get(ev.bill_key or "")
    return bool(bill and m.search(target)(bill))


def _search(m: Matcher, target: str, ev: ChangeEvent) -> bool:
    """A search followed from the search page: its query string, checked one bill at a time."""
    bill = m.bills.get(ev.bill_key or "")
    if bill is None:
        return False
    params = dict(parse_qsl(target))
    area = params.pop("issue_area", None)
    if area and area not in m.tags.get(bill.key, ()):
        return False
    return not params or saved_search_predicate(params)(bill)


def _school_district(m: Matcher, target: str, ev: ChangeEvent) -> bool:
    """An education bill naming the district (its county or city in its state's bills), or a
    roll call in which one of its current representatives voted."""
    w = m.school(target)
    if w is None:
        return False
    if ev.kind == "roll_call" and w.representatives & set(ev.legislator_ids or []):
        return True
    bill = m.bills.get(ev.bill_key or "")
    return bool(bill and m.tags.get(bill.key) and w.names_bill(bill))


# The target type of the operators' subscriptions (tracker.ops.health); not in TARGET_TYPES, so
# nobody can sign up for it.
OPS_TARGET = "ops"

RULES: dict[str, Callable[[Matcher, str, ChangeEvent], bool]] = {
    OPS_TARGET: lambda m, t, ev: True,
    "bill": lambda m, t, ev: ev.bill_key == t,
    # the bill's issue areas, or those the headings of changed money name ("money changed")
    "issue_area": lambda m, t, ev: t in m.tags.get(ev.bill_key or "", ()) or t in ((ev.payload or {}).get("areas") or ()),
    "jurisdiction": lambda m, t, ev: ev.jurisdiction_id == t,
    "legislator": lambda m, t, ev: m.legislator_id(t) in (ev.legislator_ids or []),
    "committee": _committee,
    "coalition": _coalition,
    "saved_search": _saved_search,
    "search": _search,
    "school_district": _school_district,
}


def saved_search_predicate(params: dict | None) -> Callable[[Bill], bool]:
    """A bill filter from a saved search's parameters (q words, jurisdiction, stage, subject).

    This mirrors the plain filters of the search page for one bill at a time; ranking and
    phrase syntax of the full-text search do not matter for "does this bill match".
    """
    if not params:
        return lambda bill: False
    words = [w for w in re.findall(r"\w+", str(params.get("q") or "").lower()) if len(w) > 1]
    juris = params.get("jurisdiction")
    stage = params.get("stage")
    subject = (params.get("subject") or "").lower()

    def pred(bill: Bill) -> bool:
        if juris and bill.jurisdiction_id != juris:
            return False
        if stage and bill.stage != stage:
            return False
        if subject and subject not in {str(s).lower() for s in bill.subjects or []}:
            return False
        text = " ".join([bill.title or "", bill.summary or "", " ".join(map(str, bill.subjects or []))]).lower()
        return all(w in text for w in words)
    return pred
