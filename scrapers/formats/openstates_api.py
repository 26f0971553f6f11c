"""Open States API v3 JSON (https://v3.openstates.org/docs): bills, people and events.

Pure functions of decoded JSON (the spiders and the bulk CSV reader share them). A bill brings
its actions, sponsorships, versions, sources, related bills and votes (`VoteEventIn`s with the
voters' ocd-person ids). Open States' own action classifications are used when it has them;
otherwise the jurisdiction's rule table over the action text (tracker/actions/state.py). Vote
counts that only appear in an action's text ("Passed 61-0-1-0-0") become a vote event without
member rows. Sessions are mapped to ours (`tracker.jurisdictions.sessions`) so the same bill from another
source gets the same key.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any, Iterator

from scrapers.formats.base import Item
from scrapers.formats.guard import convert, record_name
from tracker.actions.state import classify_state_action, counts_from_text
from tracker.contract import RecordError, build
from tracker.jurisdictions.registry import jurisdiction_from_ocd
from tracker.bills.keys import bill_key
from tracker.jurisdictions.sessions import canonical_session
from tracker.vocab import ACTION_CLASSIFICATIONS, BILL_TYPES, VOTE_OPTIONS

FMT = "openstates-api"
CHAMBER_ORGS = {"upper", "lower", "legislature", "executive", "joint"}
# Open States vote options -> ours (they are the same words, but guard against new ones).
OPTION_MAP = {o: o for o in VOTE_OPTIONS} | {"excused": "excused", "not voting": "not voting"}
EVENT_STATUS = {"tentative": "scheduled", "confirmed": "scheduled", "cancelled": "cancelled",
                "canceled": "cancelled", "passed": "held", "postponed": "postponed"}


def _date(value: Any) -> str | None:
    """Open States dates are `2025-01-05`, `2025-01-05T00:00:00+00:00` or `2025-01` (partial)."""
    if not value:
        return None
    text = str(value)[:10]
    return text if len(text) == 10 else None


def _org_actor(org: dict | None) -> tuple[str, str | None]:
    """(actor, committee name) from an action's or vote's organization."""
    org = org or {}
    cls = org.get("classification")
    if cls in CHAMBER_ORGS:
        return cls, None
    return "legislature", org.get("name")


def jurisdiction_code(obj: dict) -> str | None:
    juris = obj.get("jurisdiction")
    if isinstance(juris, dict):
        juris = juris.get("id")
    return jurisdiction_from_ocd(str(juris or "")) if juris else None


def _bill_type(classes: list[str]) -> str:
    for c in classes:
        if c in BILL_TYPES:
            return c
    return "bill" if not classes else "other"


def _person_ids(person: dict | None, person_id: str | None = None) -> dict[str, str]:
    pid = person_id or (person or {}).get("id")
    return {"ocd-person": pid} if pid and str(pid).startswith("ocd-person/") else {}


def bill_data(obj: dict, source: str, fmt: str = FMT) -> tuple[dict, list[dict]]:
    """(BillIn dict, [VoteEventIn dicts]) from one API bill (with its includes)."""
    juris = jurisdiction_code(obj) or ""
    session = canonical_session(juris, str(obj.get("session") or obj.get("legislative_session") or ""))
    ident = str(obj.get("identifier", "")).strip()
    key = bill_key(juris, session, ident) if juris and session and ident else None
    classes = [str(c) for c in obj.get("classification") or []]
    actions, text_votes = [], []
    for i, a in enumerate(sorted(obj.get("actions") or [], key=lambda a: (a.get("order") or 0))):
        actor, committee = _org_actor(a.get("organization"))
        desc = str(a.get("description") or "").strip()
        given = [c for c in a.get("classification") or [] if c in ACTION_CLASSIFICATIONS]
        action = {"date": _date(a.get("date")), "description": desc or "(no text)", "actor": actor,
                  "committee": committee,
                  "classification": given or classify_state_action(juris, desc),
                  "extras": {"openstates_id": a["id"]} if a.get("id") else {}}
        if not given and action["classification"]:
            action["extras"]["classified_by"] = f"tracker.actions.{juris}"
        actions.append(action)
        counts = counts_from_text(juris, desc)
        if counts and key:
            text_votes.append((i, action, counts))
    sponsors = []
    for sp in obj.get("sponsorships") or []:
        sponsors.append({
            "name": str(sp.get("name") or (sp.get("person") or {}).get("name") or "?"),
            "ids": _person_ids(sp.get("person"), sp.get("person_id")),
            "entity_type": "organization" if sp.get("entity_type") == "organization" else "person",
            "primary": bool(sp.get("primary")),
            "classification": str(sp.get("classification") or ("primary" if sp.get("primary") else "cosponsor"))})
    versions = []
    for v in obj.get("versions") or []:
        links = v.get("links") or [{}]
        versions.append({"note": str(v.get("note") or "version"), "date": _date(v.get("date")),
                         "url": links[0].get("url"), "media_type": links[0].get("media_type")})
    abstracts = [a.get("abstract") for a in obj.get("abstracts") or [] if a.get("abstract")]
    bill = {
        "type": "bill", "jurisdiction": juris, "session": session, "identifier": ident,
        "bill_type": _bill_type(classes), "classification": classes,
        "origin_chamber": (obj.get("from_organization") or {}).get("classification")
        if (obj.get("from_organization") or {}).get("classification") in ("upper", "lower", "legislature") else None,
        "title": str(obj.get("title") or "").strip(),
        "other_titles": [{"title": t["title"], "type": t.get("note") or None}
                         for t in obj.get("other_titles") or [] if t.get("title")],
        "summary": abstracts[0] if abstracts else None,
        "subjects": [str(s) for s in obj.get("subject") or obj.get("subjects") or []],
        "introduced_date": _date(obj.get("first_action_date")),
        "actions": actions, "sponsorships": sponsors, "versions": versions,
        "related_bills": [{"identifier": r["identifier"], "jurisdiction": juris,
                           "session": canonical_session(juris, str(r.get("legislative_session") or session)),
                           "relation_type": r.get("relation_type") or "related"}
                          for r in obj.get("related_bills") or [] if r.get("identifier")],
        "sources": [s["url"] for s in obj.get("sources") or [] if s.get("url")],
        "extras": {k: v for k, v in {"openstates_id": obj.get("id"),
                                     "openstates_url": obj.get("openstates_url"),
                                     "updated_at": obj.get("updated_at")}.items() if v},
        "source": {"url": source, "format": fmt}}
    votes = [vote_data(v, juris, session, key, source, fmt) for v in obj.get("votes") or []]
    recorded = {(v["date"], v["chamber"]) for v in votes}
    for i, action, counts in text_votes:
        if (action["date"], action["actor"]) in recorded:
            continue  # the roll call itself is there; the text only repeats its tally
        votes.append({
            "type": "vote_event", "key": f"{key}-a{i}", "jurisdiction": juris, "session": session,
            "bill_key": key, "action_position": i,
            "chamber": action["actor"] if action["actor"] in ("upper", "lower", "legislature") else None,
            "date": action["date"], "motion_text": action["description"],
            "motion_classification": [c for c in action["classification"] if c in ("passage", "failure")],
            "result": "fail" if "failure" in action["classification"] else "pass", "counts": counts,
            "extras": {"counts_from": "action text"}, "source": {"url": source, "format": fmt}})
    return bill, votes


def vote_data(v: dict, juris: str, session: str, key: str | None, source: str, fmt: str = FMT) -> dict:
    """VoteEventIn dict from an Open States vote event."""
    chamber, committee = _org_actor(v.get("organization"))
    counts = {}
    for c in v.get("counts") or []:
        option = OPTION_MAP.get(str(c.get("option")), "other")
        counts[option] = counts.get(option, 0) + int(c.get("value") or 0)
    people = [{"voter_name": str(p.get("voter_name") or (p.get("voter") or {}).get("name") or "?"),
               "ids": _person_ids(p.get("voter"), p.get("voter_id")),
               "option": OPTION_MAP.get(str(p.get("option")), "other"), "raw_option": p.get("option"),
               "note": p.get("note") or None} for p in v.get("votes") or []]
    result = str(v.get("result") or "other")
    return {
        "type": "vote_event", "key": str(v.get("id") or f"{key}-{v.get('identifier')}"),
        "jurisdiction": juris, "session": session, "bill_key": key,
        "chamber": chamber if chamber in ("upper", "lower", "legislature") else None,
        "organization": committee or (v.get("organization") or {}).get("name"),
        "date": _date(v.get("start_date")), "roll_number": v.get("identifier") or None,
        "motion_text": str(v.get("motion_text") or "").strip() or "(no motion text)",
        "motion_classification": [c for c in v.get("motion_classification") or [] if c in ACTION_CLASSIFICATIONS],
        "result": result if result in ("pass", "fail") else "other", "counts": counts, "votes": people,
        "extras": {"openstates_id": v["id"]} if v.get("id") else {},
        "source": {"url": source, "format": fmt}}


def bill_records(obj: dict, source: str, fmt: str = FMT) -> Iterator[Item]:
    """The bill first, then its votes; each a record or a RecordError naming the field."""
    got = convert(bill_data, obj, source, fmt, source=source, record=record_name(obj, "identifier", "id"))
    if isinstance(got, RecordError):
        yield got
        return
    bill, votes = got
    for kind, data in [("bill", bill)] + [("vote_event", v) for v in votes]:
        try:
            yield build(kind, data, source=source)
        except RecordError as err:
            yield err


def person_record(obj: dict, source: str, fmt: str = FMT) -> Item:
    """LegislatorIn from an API person (`current_role` is the seat held now)."""
    from scrapers.formats.openstates_people import SCHEME_MAP, division_id

    juris = jurisdiction_code(obj)
    role = obj.get("current_role") or {}
    roles = []
    if juris and role.get("org_classification") in ("upper", "lower", "legislature"):
        district = str(role.get("district")) if role.get("district") not in (None, "") else None
        roles.append({"jurisdiction": juris, "chamber": role["org_classification"], "district": district,
                      "division_id": role.get("division_id") or division_id(juris, role["org_classification"], district),
                      "party": obj.get("party"), "title": role.get("title")})
    ids: dict[str, Any] = {"ocd-person": obj.get("id")}
    for other in obj.get("other_identifiers") or []:
        scheme = SCHEME_MAP.get(str(other.get("scheme")))
        if scheme and scheme not in ("ocd-person", "fec") and other.get("identifier"):
            ids.setdefault(scheme, str(other["identifier"]))
    data = {"type": "legislator", "key": f"ocd-person:{obj.get('id')}", "name": obj.get("name") or "",
            "given_name": obj.get("given_name") or None, "family_name": obj.get("family_name") or None,
            "other_names": [n["name"] for n in obj.get("other_names") or [] if n.get("name")],
            "party": obj.get("party"), "gender": obj.get("gender") or None,
            "birth_date": _date(obj.get("birth_date")), "image": obj.get("image") or None,
            "ids": ids, "roles": roles, "source": {"url": source, "format": fmt}}
    try:
        return build("legislator", data, source=source)
    except RecordError as err:
        return err


def event_record(obj: dict, source: str, session: str | None = None, fmt: str = FMT) -> Item:
    """HearingIn from an API event: committee, time, place, status and the bills on its agenda."""
    juris = jurisdiction_code(obj) or ""
    start = obj.get("start_date")
    year = str(start)[:4] if start else ""
    sess = canonical_session(juris, session or year)
    bills, committee = [], None
    for item in sorted(obj.get("agenda") or [], key=lambda i: i.get("order") or 0):
        for ent in item.get("related_entities") or []:
            if ent.get("entity_type") != "bill":
                continue
            ident = (ent.get("bill") or {}).get("identifier") or ent.get("name")
            if ident:
                bills.append({"bill_key": bill_key(juris, sess, ident),
                              "note": item.get("description") or None})
    for p in obj.get("participants") or []:
        if p.get("entity_type") == "organization" and committee is None:
            committee = p.get("name")
    location = obj.get("location") or {}
    data = {"type": "hearing", "key": str(obj.get("id") or ""), "jurisdiction": juris,
            "committee_name": committee, "start": start or None,
            "location": location.get("name") if isinstance(location, dict) else str(location),
            "description": obj.get("description") or obj.get("name"),
            "status": EVENT_STATUS.get(str(obj.get("status")), "scheduled"),
            "links": [link["url"] for link in obj.get("links") or [] if link.get("url")],
            "bills": bills, "source": {"url": source, "format": fmt}}
    try:
        return build("hearing", data, source=source)
    except RecordError as err:
        return err


def parse_page(data: bytes, source: str, kind: str, session: str | None = None) -> tuple[list[Item], dict]:
    """Records of one API page (`kind` bills, people or events) and its pagination block."""
    try:
        payload = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return [RecordError(source, None, None, f"not JSON: {exc}")], {}
    if isinstance(payload, dict) and "results" not in payload and isinstance(payload.get("id"), str):
        payload = {"results": [payload], "pagination": {}}  # /bills/{id}: one object, no envelope
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
        return [RecordError(source, None, "results", "expected {results: [...], pagination: {...}}")], {}
    items: list[Item] = []
    for obj in payload["results"]:
        if kind == "bills":
            items.extend(bill_records(obj, source))
        elif kind == "people":
            items.append(person_record(obj, source))
        else:
            items.append(event_record(obj, source, session))
    return items, payload.get("pagination") or {}


def updated_at(obj: dict) -> dt.datetime | None:
    value = obj.get("updated_at")
    try:
        return dt.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def session_records(juris: str, sessions: list, source: str, fmt: str = FMT) -> Iterator[Item]:
    """A jurisdiction's `legislative_sessions` as `SessionIn`s: their start and end dates feed the
    session calendars (tracker.jurisdictions.calendar)."""
    for s in sessions or []:
        if not isinstance(s, dict) or not s.get("identifier"):
            yield RecordError(source, f"{juris} session", "identifier", "a legislative session without one")
            continue
        ident = canonical_session(juris, str(s["identifier"]))
        try:
            yield build("session", {
                "jurisdiction": juris, "identifier": ident, "name": str(s.get("name") or s["identifier"]),
                "classification": "special" if s.get("classification") == "special" else "primary",
                "start_date": _date(s.get("start_date")), "end_date": _date(s.get("end_date")),
                "source": {"url": source, "format": fmt}}, source=source)
        except RecordError as err:
            yield err
