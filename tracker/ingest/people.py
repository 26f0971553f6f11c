"""Store legislators (with ids and roles), committees with memberships, and hearings."""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from tracker.contract import CommitteeIn, HearingIn, LegislatorIn, RecordError
from tracker.bills.provenance import superseded
from tracker.ingest.diff import repeated, sync_children, upsert
from tracker.people.matching import IdResolver
from tracker.people.seats import seat_holder, weak_key, weak_record
from tracker.people.namematch import invalidate_cache as invalidate_name_cache
from tracker.people.sources import keep_source, merged_person, record_payload, stored_sources
from tracker.models import (Committee, CommitteeMembership, Hearing, HearingBill, Legislator,
                            LegislatorIdentifier, LegislatorRole, LegislatorSource)
from tracker.store.keyed import key_filters


def _id_pairs(ids: dict[str, str | list[str]]) -> list[tuple[str, str]]:
    pairs = []
    for scheme, value in ids.items():
        for v in (value if isinstance(value, list) else [value]):
            pairs.append((scheme, str(v)))
    return sorted(set(pairs))


def unchanged_legislators(session: Session, recs: list[LegislatorIn]) -> set[int]:
    """`id()` of the records in `recs` that `ingest_legislator` would answer `noop` at once: the
    person stored under the record's own key keeps this source's record with the same content
    hash. One query for a batch (issue 19: a national re-import spent about 4 ms a
    legislator reaching that answer). Records known only by seat names, and a person twice in
    `recs`, go the whole way."""
    strong = [r for r in recs if not weak_record(r)]
    kept: dict[tuple[str, str], str] = {}
    for cond in key_filters(session.connection(), Legislator.key, {r.key for r in strong}):
        kept.update({(key, fmt): digest for key, fmt, digest in session.execute(
            select(Legislator.key, LegislatorSource.source_format, LegislatorSource.record_hash)
            .join(LegislatorSource, LegislatorSource.legislator_id == Legislator.id).where(cond)).all()})
    twice = repeated(r.key for r in recs)
    return {id(rec) for rec in strong
            if (rec.key, rec.source.format) in kept and rec.key not in twice
            and kept[(rec.key, rec.source.format)] == record_payload(rec)[1]}


def ingest_legislator(session: Session, rec: LegislatorIn, today: dt.date) -> tuple[str, dict]:
    """Upsert a legislator found by key or by any id it carries; ids are added, never dropped.
    Each source's record is kept and the row is their merge (`tracker.people.sources`)."""
    pairs = _id_pairs(rec.ids)
    row = session.exec(select(Legislator).where(Legislator.key == rec.key)).first()
    # Find the person under another source's key through an id naming exactly one person;
    # FEC ids are excluded because one person has several and committees reuse them.
    single = {s: v for s, v in pairs if s != "fec"}
    held = _held_ids(session, pairs) if row is None else None  # who holds the record's ids: one query
    if row is None and single:
        resolver = IdResolver(session)
        resolver.seed(pairs, held)
        match = resolver.resolve(single)
        if match.legislator_id is not None:
            row = session.get(Legislator, match.legislator_id)
    rekey = False
    if row is None:  # a source without person ids, or a person stored from one (tracker.people.seats)
        row = seat_holder(session, rec)
        rekey = row is not None and not weak_record(rec) and weak_key(row.key)
    if row is not None and weak_record(rec) and not weak_key(row.key):
        # a seat name of a person another source keys: it adds its ids and nothing else
        new_ids = _add_ids(session, row, rec, pairs, held)
        session.flush()
        return ("update", {"ids": {"added": new_ids}}) if new_ids else ("noop", {})
    incoming = record_payload(rec)
    stored = stored_sources(session, row.id if row is not None else None)
    mine = stored.get(rec.source.format)
    if mine is not None and mine.record_hash == incoming[1]:
        # The row is the merge of the kept records, redone whenever one of them changes: the
        # same record again changes nothing (its ids and roles were stored with it).
        return "noop", {}
    if mine is not None and superseded(incoming, (mine.payload, mine.record_hash)):
        return "noop", {}  # this source has a later record of the person stored
    merged = merged_person(rec, incoming[0], stored)
    values = {
        "name": merged.name, "given_name": merged.given_name, "family_name": merged.family_name,
        "other_names": merged.other_names, "party": merged.party, "gender": merged.gender,
        "birth_date": merged.birth_date, "image": merged.image, "extras": merged.extras,
        "source_url": merged.source.url, "source_format": merged.source.format,
        "fetched_at": merged.source.fetched_at,
    }
    lookup = {} if row is not None else {"key": rec.key}
    if rekey:
        values["key"] = rec.key
    person, outcome, changes = upsert(session, Legislator, lookup, values, row=row)
    keep_source(session, person.id, rec, incoming, mine)

    new_ids = _add_ids(session, person, rec, pairs, held)
    if new_ids and outcome != "insert":
        changes["ids"] = {"added": new_ids}

    # The sources give the full picture only for the jurisdictions they cover (a person just
    # inserted has no roles to read).
    covered = {r.jurisdiction for r in merged.roles}
    role_rows = [] if outcome == "insert" else [r for r in session.exec(select(LegislatorRole).where(
        LegislatorRole.legislator_id == person.id)).all() if r.jurisdiction_id in covered]
    desired = {}
    for role in merged.roles:
        key = (role.jurisdiction, role.chamber, role.district, role.start_date)
        desired[key] = {"jurisdiction_id": role.jurisdiction, "chamber": role.chamber,
                        "district": role.district, "division_id": role.division_id,
                        "party": role.party, "title": role.title,
                        "start_date": role.start_date, "end_date": role.end_date}
    role_rows = _dated_roles_kept(role_rows, desired)
    existing = {(r.jurisdiction_id, r.chamber, r.district, r.start_date): r for r in role_rows}
    added = [k for k in desired if k not in existing]
    removed = [k for k in existing if k not in desired]
    changed = [k for k in desired if k in existing and any(
        getattr(existing[k], f) != v for f, v in desired[k].items())]
    for k in removed:
        session.delete(existing[k])
    for k in added:
        session.add(LegislatorRole(legislator_id=person.id, **desired[k]))
    for k in changed:
        for f, v in desired[k].items():
            setattr(existing[k], f, v)
        session.add(existing[k])
    if (added or removed or changed) and outcome != "insert":
        fmt = lambda k: f"{k[0]} {k[1]} {k[2] or ''} from {k[3] or '?'}".strip()  # noqa: E731
        changes["roles"] = {"added": [fmt(k) for k in added], "removed": [fmt(k) for k in removed],
                            "changed": [fmt(k) for k in changed]}
    session.flush()
    if outcome == "noop" and changes:
        outcome = "update"
    if outcome != "noop":
        invalidate_name_cache()  # names or roles changed: name matching must see them
    return outcome, changes


def _held_ids(session: Session, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """{(scheme, value): legislator id} of the stored ids among `pairs`."""
    if not pairs:
        return {}
    wanted = set(pairs)
    rows = session.exec(select(LegislatorIdentifier.scheme, LegislatorIdentifier.value,
                               LegislatorIdentifier.legislator_id)
                        .where(LegislatorIdentifier.scheme.in_({s for s, _ in pairs}))
                        .where(LegislatorIdentifier.value.in_({v for _, v in pairs}))).all()
    return {(s, v): lid for s, v, lid in rows if (s, v) in wanted}


def _add_ids(session: Session, person: Legislator, rec: LegislatorIn, pairs: list[tuple[str, str]],
             held: dict[tuple[str, str], int] | None = None) -> list[str]:
    """Store the record's ids the person lacks; an id held by someone else is an error.
    `held`: `_held_ids` of `pairs` read earlier in this record's transaction."""
    if held is None:
        held = _held_ids(session, pairs)
    new_ids = []
    for scheme, value in pairs:
        owner = held.get((scheme, value))
        if owner is None:
            session.add(LegislatorIdentifier(legislator_id=person.id, scheme=scheme, value=value))
            new_ids.append(f"{scheme}:{value}")
        elif owner != person.id:
            raise RecordError(rec.source.url, rec.key, f"ids.{scheme}",
                              f"{scheme} id {value!r} already belongs to another legislator (#{owner})")
    return new_ids


def _dated_roles_kept(rows: list[LegislatorRole], desired: dict[tuple, dict]) -> list[LegislatorRole]:
    """The stored roles an incoming set may replace, once dated roles are set aside where the
    incoming ones carry no dates.

    Some sources (the Open States API) give a person's current seats without dates, others (the
    people YAML, congress-legislators) give every term with its dates. Loaded from both, each
    import would replace the other's roles. A source without dates says nothing about history
    and no more about a seat than that it is held: it never removes a dated role, and its
    undated role for a seat that has a dated role stored is taken as that role.
    """
    # jurisdictions for which every incoming role is undated
    plain = {k[0] for k in desired} - {k[0] for k, v in desired.items() if _dated(v["start_date"], v["end_date"])}
    if not plain:
        return rows
    dated_seats = {(r.jurisdiction_id, r.chamber, r.district) for r in rows if _dated(r.start_date, r.end_date)}
    for k in [k for k in desired if k[0] in plain and k[:3] in dated_seats]:
        del desired[k]
    return [r for r in rows if r.jurisdiction_id not in plain or not _dated(r.start_date, r.end_date)]


def _dated(start: dt.date | None, end: dt.date | None) -> bool:
    return start is not None or end is not None


def ingest_committee(session: Session, rec: CommitteeIn, today: dt.date) -> tuple[str, dict]:
    values = {"jurisdiction_id": rec.jurisdiction, "name": rec.name, "chamber": rec.chamber,
              "classification": rec.classification, "parent_key": rec.parent_key,
              "identifiers": rec.identifiers, "url": rec.url, "source_url": rec.source.url,
              "source_format": rec.source.format, "fetched_at": rec.source.fetched_at}
    committee, outcome, changes = upsert(session, Committee, {"key": rec.key}, values)
    if rec.members is not None:
        resolver = IdResolver(session)
        resolver.prefetch({(s, v) for m in rec.members for s, v in m.person.ids.items()})
        desired, unresolved = {}, []
        for m in rec.members:
            match = resolver.resolve(m.person.ids)
            if match.legislator_id is None:
                unresolved.append(m.person.name)
                continue
            desired[f"{match.legislator_id}:{m.role}"] = {
                "legislator_id": match.legislator_id, "role": m.role,
                "start_date": m.start_date, "end_date": m.end_date}
        existing = {f"{r.legislator_id}:{r.role}": r for r in session.exec(select(
            CommitteeMembership).where(CommitteeMembership.committee_id == committee.id)).all()}
        added = [k for k in desired if k not in existing]
        removed = [k for k in existing if k not in desired]
        for k in removed:
            session.delete(existing[k])
        session.flush()
        for k in added:
            session.add(CommitteeMembership(committee_id=committee.id, **desired[k]))
        for k, vals in desired.items():
            if k in existing and any(getattr(existing[k], f) != v for f, v in vals.items()):
                for f, v in vals.items():
                    setattr(existing[k], f, v)
                added.append(k)
        if (added or removed) and outcome != "insert":
            changes["members"] = {"added": added, "removed": removed}
        if unresolved:
            changes["unresolved_members"] = unresolved
        session.flush()
    if outcome == "noop" and (changes.keys() - {"unresolved_members"}):
        outcome = "update"
    return outcome, changes


def ingest_hearing(session: Session, rec: HearingIn, today: dt.date) -> tuple[str, dict]:
    # Stored in UTC: SQLite would keep the clock time of another offset and drop the offset.
    start = rec.start.astimezone(dt.timezone.utc) if rec.start and rec.start.tzinfo else rec.start
    values = {"jurisdiction_id": rec.jurisdiction, "committee_key": rec.committee_key,
              "committee_name": rec.committee_name, "start": start, "location": rec.location,
              "description": rec.description, "status": rec.status, "links": rec.links,
              "source_url": rec.source.url, "source_format": rec.source.format,
              "fetched_at": rec.source.fetched_at}
    hearing, outcome, changes = upsert(session, Hearing, {"key": rec.key}, values)
    desired: dict[str, dict] = {}
    for item in rec.bills:  # an agenda may list a bill twice; keep its first place
        desired.setdefault(item.bill_key, {"note": item.note, "position": len(desired)})
    diff = sync_children(session, HearingBill, "hearing_id", hearing.id, desired, key_field="bill_key")
    if diff and outcome != "insert":
        changes["bills"] = diff
        outcome = "update"
    return outcome, changes
