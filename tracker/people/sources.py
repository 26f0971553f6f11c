"""The same legislator from several sources is one row: each source's record kept, then merged.

Every ingested `LegislatorIn` is kept as a `legislator_source` row. The legislator row takes
each field from the best-ranked source that has a value (setting
EDTRACKER_PEOPLE_SOURCE_PRECEDENCE: format prefixes, best first; unlisted sources after them,
then by name), other names from every source, extras key by key (the better source wins a
key), and per jurisdiction the roles of one source: one with dated terms before one that lists
current seats only, then the better ranked; a seat only an undated source knows is added.
So loading congress-legislators and the Congress.gov API, or the Open States YAML and API, in
either order gives the same row, and loading any of them again changes nothing. Two records
from one source keep the one the source updated last (as for bills).
"""
from __future__ import annotations

import hashlib
import json

from sqlalchemy.orm import defer
from sqlmodel import Session, select

from tracker.contract import LegislatorIn
from tracker.models import LegislatorSource

SCALARS = ("name", "given_name", "family_name", "party", "gender", "birth_date", "image")


def record_payload(rec: LegislatorIn, precedence: list[str] | None = None) -> tuple[dict, str]:
    """The record as JSON (without its fetch time) and a stable hash of its content and of the
    precedence it was merged under (a new precedence setting re-merges on the next load)."""
    payload = rec.model_dump(mode="json")
    payload["source"] = {k: payload["source"].get(k) for k in ("url", "format")}
    text = json.dumps([payload, precedence or people_precedence()], sort_keys=True, default=str)
    return payload, hashlib.sha1(text.encode()).hexdigest()


def people_precedence() -> list[str]:
    from tracker.settings import get_settings

    return get_settings().people_source_precedence


def stored_sources(session: Session, legislator_id: int | None) -> dict[str, LegislatorSource]:
    """The kept records of a legislator, by source format (one query; a payload is read when used)."""
    if legislator_id is None:
        return {}
    return {s.source_format: s for s in session.exec(
        select(LegislatorSource).options(defer(LegislatorSource.payload))
        .where(LegislatorSource.legislator_id == legislator_id)).all()}


def keep_source(session: Session, legislator_id: int, rec: LegislatorIn, payload_and_hash: tuple[dict, str],
                row: LegislatorSource | None) -> None:
    """Store (or refresh) this source's record of the legislator (`row`: the stored one)."""
    payload, digest = payload_and_hash
    if row is None:
        row = LegislatorSource(legislator_id=legislator_id, source_format=rec.source.format,
                               record_hash=digest, payload=payload)
    elif row.record_hash == digest:
        return
    row.record_hash, row.payload = digest, payload
    row.source_url, row.fetched_at = rec.source.url, rec.source.fetched_at
    session.add(row)


def _ranker(precedence: list[str]):
    def rank(fmt: str) -> tuple[int, str]:
        for i, prefix in enumerate(precedence):
            if fmt.startswith(prefix):
                return i, fmt
        return len(precedence), fmt
    return rank


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _dated(role: dict) -> bool:
    return bool(role.get("start_date") or role.get("end_date"))


def merged_roles(ordered: list[dict]) -> list[dict]:
    """Per jurisdiction, the roles of the best source with dated terms (else the best source),
    plus the seats only sources without dates know. `ordered`: payloads, best first."""
    by_jurisdiction: dict[str, list[list[dict]]] = {}
    for payload in ordered:
        mine: dict[str, list[dict]] = {}
        for role in payload.get("roles") or []:
            mine.setdefault(role["jurisdiction"], []).append(role)
        for jurisdiction, roles in mine.items():
            by_jurisdiction.setdefault(jurisdiction, []).append(roles)
    out = []
    for jurisdiction, sources in by_jurisdiction.items():
        dated = [roles for roles in sources if any(map(_dated, roles))]
        base = (dated or sources)[0]
        out += base
        if dated:
            seats = {(r["chamber"], r.get("district")) for r in base}
            for roles in sources:
                for role in roles:
                    seat = (role["chamber"], role.get("district"))
                    if not _dated(role) and seat not in seats:
                        out.append(role)
                        seats.add(seat)
    return out


def merged_person(rec: LegislatorIn, incoming: dict, stored: dict[str, LegislatorSource],
                  precedence: list[str] | None = None) -> LegislatorIn:
    """`rec` merged with the other sources' records of the same legislator (itself when alone)."""
    others = {fmt: (s.payload, s.fetched_at) for fmt, s in stored.items() if fmt != rec.source.format}
    if not others:
        return rec
    if precedence is None:
        precedence = people_precedence()
    rank = _ranker(precedence)
    candidates = {rec.source.format: incoming, **{fmt: p for fmt, (p, _) in others.items()}}
    ordered = [candidates[fmt] for fmt in sorted(candidates, key=rank)]
    merged = dict(incoming)
    for name in SCALARS:
        merged[name] = next((p.get(name) for p in ordered if not _empty(p.get(name))), None)
    names = [n for p in ordered for n in p.get("other_names") or []]
    merged["other_names"] = [n for i, n in enumerate(names) if n not in names[:i] and n != merged["name"]]
    merged["extras"] = {}
    for payload in reversed(ordered):
        merged["extras"].update(payload.get("extras") or {})
    merged["roles"] = merged_roles(ordered)
    best = min(candidates, key=rank)
    if best != rec.source.format:
        merged["source"] = dict(candidates[best]["source"], fetched_at=others[best][1])
    else:
        merged["source"] = rec.source.model_dump(mode="json")
    return LegislatorIn.model_validate(merged)
