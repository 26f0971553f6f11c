"""LegiScan payloads (already decoded from JSON or XML into dicts) -> contract records.

Shared by the JSON and XML dataset formats and by the `legiscan_bills` spider. LegiScan data is
CC BY 4.0: every record carries the license and attribution in its extras, and any page or export
showing it must credit LegiScan (docs/sources/legiscan.md).
"""
from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from tracker.actions import legiscan as codes
from tracker.contract import (BillIn, CommitteeIn, LegislatorIn, RecordError, SessionIn, SourceRef,
                              VoteEventIn, build)
from tracker.jurisdictions.registry import all_jurisdictions
from tracker.bills.keys import bill_key

LICENSE = {"license": "CC BY 4.0", "attribution": "LegiScan"}
_UNICAMERAL = {r["id"] for r in all_jurisdictions() if r["unicameral"]}


@dataclass
class SessionInfo:
    jurisdiction: str
    identifier: str
    name: str
    special: bool
    start: dt.date | None
    end: dt.date | None
    session_id: int | None
    sine_die: bool | None = None  # LegiScan's flag: the session has adjourned sine die


@dataclass(slots=True)
class BillInfo:
    """What a roll call needs to know about its bill (one per bill of a dataset: kept small)."""

    key: str
    jurisdiction: str
    session: str
    origin: str | None
    identifier: str | None = None


@dataclass
class Context:
    """Everything known across one dataset (or one crawl) so records can point at each other."""

    bills: dict[int, BillInfo] = field(default_factory=dict)
    roles: dict[int, int] = field(default_factory=dict)  # people_id -> role_id
    names: dict[int, str] = field(default_factory=dict)  # people_id -> printed name


def legiscan_int(v: Any) -> int:
    """A LegiScan number field: empty is 0; a value that is no number is an error (TypeError or
    ValueError, which the dataset reader reports naming the field)."""
    if v is None or v == "":
        return 0
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise TypeError(f"expected a number, got {type(v).__name__} {v!r}")
    return int(str(v).strip()) if isinstance(v, str) else int(v)


_int = legiscan_int


def _str(v: Any) -> str:
    """A LegiScan text field (numbers read as text); a list or an object is an error."""
    if type(v) is str:  # nearly always: the checks below are for the rest
        return v
    if v is None:
        return ""
    if isinstance(v, (dict, list)):
        raise TypeError(f"expected text, got {type(v).__name__}")
    return str(v)


def _src(source: str, fmt: str, fetched_at: dt.datetime | None = None) -> dict:
    return SourceRef(url=source, format=fmt, fetched_at=fetched_at).model_dump()


def state_of(d: dict) -> str | None:
    """The jurisdiction of a LegiScan payload: `state` (postal code) or `state_id`."""
    if d.get("state"):
        return _str(d["state"]).lower()
    return codes.STATE_IDS.get(_int(d.get("state_id")))


def session_info(bill: dict) -> SessionInfo:
    sess = bill.get("session") or {}
    if not isinstance(sess, dict):
        sess = {"session_name": str(sess)}
    sess = {"session_id": bill.get("session_id"), **sess}
    ident, special, ys, ye = codes.session_identifier(sess)
    return SessionInfo(
        jurisdiction=state_of(bill) or "", identifier=ident,
        name=_str(sess.get("session_title") or sess.get("session_name") or ident),
        special=special, start=dt.date(ys, 1, 1) if ys else None,
        end=dt.date(ye, 12, 31) if ye else None, session_id=_int(sess.get("session_id")) or None,
        sine_die=bool(_int(sess["sine_die"])) if "sine_die" in sess else None)


def session_record(info: SessionInfo, source: str, fmt: str) -> SessionIn:
    biennial = bool(info.start and info.end and info.end.year > info.start.year)
    return build("session", {
        "jurisdiction": info.jurisdiction, "identifier": info.identifier, "name": info.name,
        "classification": "special" if info.special else "primary",
        "start_date": info.start, "end_date": info.end, "carry_over": biennial,
        "sine_die": info.sine_die, "source": _src(source, fmt)}, source=source)


def _chamber(code: str | None, jurisdiction: str) -> str | None:
    ch = codes.BODY_CHAMBERS.get(_str(code).strip().upper()[:1])
    if ch and jurisdiction in _UNICAMERAL:
        return "legislature"
    return ch


def _other(chamber: str | None) -> str | None:
    return {"upper": "lower", "lower": "upper"}.get(chamber or "", chamber)


def _actions(bill: dict, jurisdiction: str, origin: str | None) -> list[dict]:
    """History rows as actions; progress events classify the matching row of the same date."""
    history = [h for h in bill.get("history") or [] if _str(h.get("action")).strip()]
    progress = sorted(((_str(p.get("date")), _int(p.get("event"))) for p in bill.get("progress") or []))
    engrossed = next((d for d, e in progress if e == 2), None)
    enrolled = next((d for d, e in progress if e in (3, 4, 8)), None)
    actions = []
    for h in history:
        date = _str(h.get("date"))
        actor = _chamber(h.get("chamber"), jurisdiction)
        if actor is None:  # older datasets leave chamber empty: follow the bill between chambers
            if enrolled and date >= enrolled:
                actor = "legislature"
            elif engrossed and date > engrossed:
                actor = _other(origin) or "legislature"
            else:
                actor = origin or "legislature"
        actions.append({"date": date, "description": _str(h["action"]).strip(), "actor": actor,
                        "classification": [], "extras": {}})
    for date, event in progress:
        rule = codes.PROGRESS_RULES.get(event)
        if rule is None:
            continue
        same_day = [a for a in actions if a["date"] == date]
        target = (next((a for a in same_day if re.search(rule.text, a["description"], re.I)), None)
                  or (same_day[0] if same_day else None))
        if target is None:  # a progress event without a history row: keep it as its own action
            target = {"date": date, "description": codes.STATUS_LABELS.get(event, str(event)),
                      "actor": origin or "legislature", "classification": [], "extras": {}}
            actions.append(target)
        target["classification"] += [c for c in rule.classification if c not in target["classification"]]
        target["extras"].setdefault("legiscan_progress", []).append(event)
    actions.sort(key=lambda a: a["date"])  # stable: history order kept within a day
    return actions


def _sponsorships(bill: dict) -> list[dict]:
    out = []
    for s in bill.get("sponsors") or []:
        cls, primary = codes.SPONSOR_TYPES.get(_int(s.get("sponsor_type_id")), ("sponsor", False))
        pid = str(_int(s.get("people_id"))) if s.get("people_id") not in (None, "") else None
        name = _str(s.get("name")).strip() or f"LegiScan person {pid}"
        if _int(s.get("committee_sponsor")):
            out.append({"name": name, "entity_type": "organization", "primary": primary,
                        "classification": cls})
        else:
            out.append({"name": name, "ids": {"legiscan": pid} if pid else {},
                        "primary": primary, "classification": cls})
    return out


def bill_record(bill: dict, source: str, fmt: str, fetched_at: dt.datetime | None = None) -> BillIn:
    """A LegiScan `bill` payload (getBill / dataset file) as a `BillIn`."""
    info = session_info(bill)
    jurisdiction = info.jurisdiction
    ident = _str(bill.get("bill_number"))
    origin = _chamber(bill.get("body"), jurisdiction)
    bill_type = codes.BILL_TYPES.get(_str(bill.get("bill_type") or "B").upper(), "other")
    status = _int(bill.get("status"))
    stage = codes.STATUS_STAGES.get(status)
    if stage == "enacted" and "resolution" in bill_type:
        stage = "adopted"
    committee = bill.get("committee") or {}
    texts = bill.get("texts") or []
    data = {
        "jurisdiction": jurisdiction, "session": info.identifier, "identifier": ident,
        "bill_type": bill_type, "origin_chamber": origin,
        "title": _str(bill.get("title") or bill.get("description") or ident).strip(),
        "summary": (_str(bill.get("description")).strip() or None) if bill.get("description") else None,
        "subjects": [_str(s.get("subject_name")) for s in bill.get("subjects") or [] if s.get("subject_name")],
        "actions": _actions(bill, jurisdiction, origin),
        "sponsorships": _sponsorships(bill),
        "versions": [{"note": _str(t.get("type") or "Text"), "date": t.get("date") or None,
                      "url": t.get("state_link") or t.get("url") or None,
                      "media_type": t.get("mime") or None} for t in texts],
        "committees": [committee["name"]] if isinstance(committee, dict) and committee.get("name") else [],
        "sources": [u for u in (bill.get("url"), bill.get("state_link")) if u],
        "stage": stage,
        "extras": {**LICENSE, "legiscan_bill_id": _int(bill.get("bill_id")),
                   "legiscan_session_id": info.session_id,
                   "change_hash": bill.get("change_hash"), "legiscan_status": status,
                   "legiscan_status_date": bill.get("status_date") or None},
        "source": _src(source, fmt, fetched_at),
    }
    if not jurisdiction:
        raise RecordError(source, ident or None, "state", "LegiScan bill names no state")
    return build("bill", data, source=source)


def bill_and_session(payload: dict, source: str, fmt: str) -> tuple[BillIn, SessionInfo]:
    """A bill record and its session, or the error of whichever fails; a `bill_id`, which its
    roll calls point at, must be a number."""
    bill_id = payload.get("bill_id")
    if bill_id not in (None, "") and (isinstance(bill_id, bool) or not str(bill_id).strip().isdigit()):
        raise RecordError(source, _str(payload.get("bill_number")) or None, "bill.bill_id",
                          f"not a LegiScan bill id: {bill_id!r}")
    return bill_record(payload, source, fmt), session_info(payload)


def bill_info(rec: BillIn) -> BillInfo:
    # every bill of a session repeats its jurisdiction, session and chamber: share the strings
    return BillInfo(rec.key, sys.intern(rec.jurisdiction), sys.intern(rec.session),
                    sys.intern(rec.origin_chamber) if rec.origin_chamber else None, rec.identifier)


def person_record(person: dict, sessions: list[SessionInfo], source: str, fmt: str,
                  jurisdiction: str | None = None,
                  fetched_at: dt.datetime | None = None) -> LegislatorIn | CommitteeIn:
    """A `person` payload: a legislator with one role over the sessions it was seen in, or a
    committee when LegiScan lists a committee as a "person" (committee_sponsor = 1)."""
    st = state_of(person) or jurisdiction or (sessions[0].jurisdiction if sessions else None)
    pid = _str(person.get("people_id"))
    name = _str(person.get("name")).strip()
    if not st:
        raise RecordError(source, f"legiscan person {pid}", "state_id",
                          "cannot tell the person's state: no state_id and no bill of the same dataset")
    if _int(person.get("committee_sponsor")):
        return build("committee", {
            "key": f"{st}-legiscan-committee-{_int(person.get('committee_id')) or pid}",
            "jurisdiction": st, "name": name or f"LegiScan committee {pid}",
            "chamber": codes.ROLE_CHAMBERS.get(_int(person.get("role_id"))),
            "identifiers": {"legiscan": str(person.get("committee_id") or pid)},
            "source": _src(source, fmt, fetched_at)}, source=source)
    chamber = codes.ROLE_CHAMBERS.get(_int(person.get("role_id")))
    if chamber and st in _UNICAMERAL:
        chamber = "legislature"
    party = codes.PARTIES.get(_int(person.get("party_id")))
    mine = [s for s in sessions if s.jurisdiction == st]
    roles = []
    if chamber and mine:
        roles.append({"jurisdiction": st, "chamber": chamber,
                      "district": codes.district_code(person.get("district")), "party": party,
                      "start_date": min((s.start for s in mine if s.start), default=None),
                      "end_date": max((s.end for s in mine if s.end), default=None)})
    first, last = person.get("first_name") or None, person.get("last_name") or None
    nick = _str(person.get("nickname")).strip()
    ids = {"legiscan": pid,
           "votesmart": str(person["votesmart_id"]) if _int(person.get("votesmart_id")) else None,
           "opensecrets": person.get("opensecrets_id") or None,
           "ballotpedia": person.get("ballotpedia") or None}
    ids = {k: str(v) for k, v in ids.items() if v}
    return build("legislator", {
        "name": name or f"{first or ''} {last or ''}".strip() or f"LegiScan person {pid}",
        "given_name": first, "family_name": last,
        "other_names": [f"{nick} {last}"] if nick and last else [],
        "party": party, "ids": ids, "roles": roles,
        "extras": {**LICENSE, "ftm_eid": _int(person.get("ftm_eid")) or None,
                   "person_hash": person.get("person_hash") or None},
        "source": _src(source, fmt, fetched_at)}, source=source)


def roll_call_record(rc: dict, ctx: Context, source: str, fmt: str, *,
                     jurisdiction: str | None = None,
                     fetched_at: dt.datetime | None = None) -> VoteEventIn:
    """A `roll_call` payload; its bill (from `ctx`) gives jurisdiction, session and bill key."""
    rc_id = _int(rc.get("roll_call_id"))
    bill = ctx.bills.get(_int(rc.get("bill_id")))
    st = bill.jurisdiction if bill else jurisdiction
    if not st:
        raise RecordError(source, f"legiscan roll call {rc_id}", "bill_id",
                          f"bill {rc.get('bill_id')} is not in this dataset, so the roll call's "
                          "state and session are unknown")
    desc = _str(rc.get("desc")).strip() or "Roll call"
    votes, counted = [], {}
    for v in rc.get("votes") or []:
        option, raw = codes.VOTE_OPTIONS.get(_int(v.get("vote_id")), ("other", None))
        pid = str(_int(v.get("people_id")))
        name = ctx.names.get(_int(pid)) or f"LegiScan person {pid}"
        votes.append({"voter_name": name, "ids": {"legiscan": pid},
                      "option": option, "raw_option": v.get("vote_text") or raw})
        counted[option] = counted.get(option, 0) + 1
    counts = {ours: _int(rc.get(theirs)) for theirs, ours in codes.COUNT_FIELDS
              if rc.get(theirs) not in (None, "")}
    flag = _int(rc.get("passed")) if rc.get("passed") not in (None, "") else None
    said = codes.result_from_text(desc)
    flag_result = None if flag is None else ("pass" if flag else "fail")
    result = said or flag_result or "other"
    chamber = _chamber(rc.get("chamber"), st)
    if chamber is None:  # the XML flavour has no chamber: the description or the voters say it
        words = desc.lower()
        chamber = ("lower" if words.startswith(("house", "assembly")) else
                   "upper" if words.startswith("senate") else None)
        if chamber is None and votes:
            roles = [ctx.roles.get(_int(v.get("people_id"))) for v in rc.get("votes") or []]
            top = max(set(roles), key=roles.count)
            chamber = codes.ROLE_CHAMBERS.get(top or 0)
    extras = {**LICENSE, "legiscan_roll_call_id": rc_id, "legiscan_passed": flag,
              "total": _int(rc.get("total")) or None}
    if bill and bill.identifier and rc_id:
        # LegiScan's own page of the roll call: what a reader opens (the API answer is JSON).
        extras["page_url"] = f"https://legiscan.com/{st.upper()}/rollcall/{bill.identifier.replace(' ', '')}/id/{rc_id}"
    if said and flag_result and said != flag_result:
        extras["result_disagreement"] = {"record": said, "legiscan_passed": flag_result}
    if counts and counted and counts != {k: counted.get(k, 0) for k in counts}:
        extras["member_rows"] = counted
    return build("vote_event", {
        "key": f"{st}-legiscan-{rc_id}", "jurisdiction": st,
        "session": bill.session if bill else None, "bill_key": bill.key if bill else None,
        "chamber": chamber, "date": rc.get("date"), "motion_text": desc,
        "motion_classification": codes.motion_classification(desc), "result": result,
        "counts": counts, "votes": votes, "extras": extras,
        "source": _src(source, fmt, fetched_at)}, source=source)


__all__ = ["BillInfo", "Context", "LICENSE", "SessionInfo", "bill_and_session", "bill_info", "bill_key", "bill_record", "legiscan_int",
           "person_record", "roll_call_record", "session_info", "session_record", "state_of"]
