"""`edtracker coalition load` / `export`: a coalition file into the store and back.

Loading is idempotent: the same file twice changes nothing the second time. The file adds and
updates; it never deletes positions, members or searches staff made elsewhere (only the issue
areas it drops go, with their tags). Everything is written in one transaction.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.coalitions.positions import set_member_stance, set_position
from tracker.coalitions.schema import CoalitionFile, CoalitionFileError, parse_coalition_file
from tracker.models import (Coalition, MemberOrganization, MemberSchoolDistrict, MemberStance, Position, SavedSearch,
                            SchoolDistrict)
from tracker.tagging.rules import default_taxonomy, merge_taxonomy
from tracker.tagging.store import META_KEYS, stored_taxonomy, sync_areas


def _upsert(session: Session, model, where: dict, values: dict, counts: Counter, label: str):
    row = session.execute(select(model).filter_by(**where)).scalar_one_or_none()
    if row is None:
        row = model(**where, **values)
        session.add(row)
        counts[f"{label}_added"] += 1
    elif any(getattr(row, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(row, k, v)
        counts[f"{label}_updated"] += 1
    session.flush()
    return row


def taxonomy_of(f: CoalitionFile) -> dict[str, Any]:
    overlay = f.issue_areas.model_dump()
    overlay["add"] = [a.model_dump(exclude_none=True) for a in f.issue_areas.add]
    overlay["rules"] = {k: v.model_dump() for k, v in f.rules.items()}
    if f.threshold is not None:
        overlay["threshold"] = f.threshold
    return merge_taxonomy(default_taxonomy(), overlay)


def apply_coalition_file(session: Session, f: CoalitionFile, *, source: str) -> dict[str, int]:
    """Write a validated file; return counts of what was added or changed (all zero = noop)."""
    counts: Counter = Counter()
    info = f.coalition
    tax = taxonomy_of(f)
    settings = {**info.settings.model_dump(), "tagging": {k: tax[k] for k in META_KEYS if k in tax}}
    existing = session.execute(select(Coalition).where(Coalition.slug == info.slug)).scalar_one_or_none()
    if existing is not None:
        # Origins staff allowed in the browser stay: the file adds its own, never removes (issue 17).
        kept = list((existing.settings or {}).get("embed_origins") or [])
        settings["embed_origins"] = kept + [o for o in settings.get("embed_origins", []) if o not in kept]
    coal = _upsert(session, Coalition, {"slug": info.slug},
                   {"name": info.name, "description": info.description, "website": info.website,
                    "settings": settings}, counts, "coalition")
    before = stored_taxonomy(session, coal)
    sync_areas(session, coal.id, tax)
    if stored_taxonomy(session, coal) != before:
        counts["issue_areas_changed"] += 1
    members = {}
    for m in f.members:
        members[m.slug] = _upsert(session, MemberOrganization, {"coalition_id": coal.id, "slug": m.slug},
                                  {"name": m.name, "website": m.website}, counts, "members")
    _place_members(session, f, members, counts, source)
    for p in f.positions:
        _, changed = set_position(session, coal.id, p.bill, stance=p.stance, rationale=p.rationale,
                                  priority=p.priority, public=p.public, by=f"yaml:{source}")
        counts["positions_changed"] += changed
    for s in f.member_stances:
        _, changed = set_member_stance(session, coal.id, members[s.member].id, s.bill, stance=s.stance,
                                       note=s.note, by=f"yaml:{source}")
        counts["member_stances_changed"] += changed
    for s in f.saved_searches:
        _upsert(session, SavedSearch, {"coalition_id": coal.id, "slug": s.slug},
                {"name": s.name, "params": s.params}, counts, "saved_searches")
    return {k: v for k, v in counts.items() if v}


def _place_members(session: Session, f: CoalitionFile, members: dict, counts: Counter, source: str) -> None:
    """Add each member's school districts (by LEAID); one not stored rejects the whole file."""
    wanted = {x for m in f.members for x in m.school_districts}
    if not wanted:
        return
    found = {d.leaid: d.id for d in session.execute(select(SchoolDistrict).where(
        SchoolDistrict.leaid.in_(sorted(wanted)))).scalars()}
    missing = [(None, None, f"members.{i}.school_districts", f"no school district with LEAID {x} is stored "
                "(import the OCD list or the NCES relationship file first)")
               for i, m in enumerate(f.members) for x in m.school_districts if x not in found]
    if missing:
        raise CoalitionFileError(source, missing)
    for m in f.members:
        have = {r.school_district_id for r in session.execute(select(MemberSchoolDistrict).where(
            MemberSchoolDistrict.member_id == members[m.slug].id)).scalars()}
        for x in m.school_districts:
            if found[x] not in have:
                session.add(MemberSchoolDistrict(member_id=members[m.slug].id, school_district_id=found[x]))
                have.add(found[x])
                counts["member_school_districts_added"] += 1
    session.flush()


def load_coalition(engine: Engine, path: Path) -> tuple[str, dict[str, int]]:
    """Validate the whole file first (nothing is written if it is invalid), then apply it."""
    parsed = parse_coalition_file(path.read_text(encoding="utf-8"), source=str(path))
    with Session(engine, expire_on_commit=False) as session:
        counts = apply_coalition_file(session, parsed, source=path.name)
        session.commit()
    return parsed.coalition.slug, counts


def export_coalition(session: Session, slug: str) -> str:
    """The coalition as a file `load` accepts; its issue areas are written out in full."""
    coal = session.execute(select(Coalition).where(Coalition.slug == slug)).scalar_one_or_none()
    if coal is None:
        raise LookupError(f"no coalition {slug!r}")
    tax = stored_taxonomy(session, coal)
    settings = {k: v for k, v in (coal.settings or {}).items() if k != "tagging"}
    members = session.execute(select(MemberOrganization).where(MemberOrganization.coalition_id == coal.id)
                              .order_by(MemberOrganization.slug)).scalars().all()
    by_id = {m.id: m.slug for m in members}
    placed: dict[int, list[str]] = {}
    for link, leaid in session.execute(select(MemberSchoolDistrict, SchoolDistrict.leaid).join(
            SchoolDistrict, SchoolDistrict.id == MemberSchoolDistrict.school_district_id)
            .where(MemberSchoolDistrict.member_id.in_(list(by_id)))).all():
        placed.setdefault(link.member_id, []).append(leaid)
    data: dict[str, Any] = {
        "version": 1,
        "coalition": {k: v for k, v in {"slug": coal.slug, "name": coal.name, "description": coal.description,
                                        "website": coal.website, "settings": settings}.items() if v is not None},
        "members": [{k: v for k, v in {"slug": m.slug, "name": m.name, "website": m.website,
                                       "school_districts": sorted(placed.get(m.id, [])) or None}.items()
                     if v is not None} for m in members],
        "issue_areas": {"use_defaults": False, "add": [
            {k: v for k, v in a.items() if v is not None} for a in tax["areas"]]},
    }
    if "threshold" in tax:
        data["threshold"] = tax["threshold"]
    data["positions"] = [
        {k: v for k, v in {"bill": p.bill_key, "stance": p.stance, "rationale": p.rationale,
                           "priority": p.priority, "public": p.public}.items() if v is not None}
        for p in session.execute(select(Position).where(Position.coalition_id == coal.id)
                                 .order_by(Position.bill_key)).scalars()]
    data["member_stances"] = [
        {k: v for k, v in {"member": by_id[s.member_id], "bill": s.bill_key, "stance": s.stance,
                           "note": s.note}.items() if v is not None}
        for s in session.execute(select(MemberStance).where(MemberStance.coalition_id == coal.id)
                                 .order_by(MemberStance.bill_key, MemberStance.member_id)).scalars()]
    data["saved_searches"] = [{"slug": s.slug, "name": s.name, "params": s.params} for s in session.execute(
        select(SavedSearch).where(SavedSearch.coalition_id == coal.id).order_by(SavedSearch.slug)).scalars()]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
