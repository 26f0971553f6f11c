"""Run the tagger over stored bills and keep `bill_tag` up to date, in batches.

Review decisions survive re-runs: a confirmed tag stays confirmed, a rejected tag stays
rejected (only its score and explanation are refreshed); a suggested tag that the rules no longer
support is removed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.models import Bill, BillAction, BillTag, Coalition, IssueArea, TaggingRule
from tracker.models.base import utcnow
from tracker.tagging.engine import BillText, tag_bill
from tracker.tagging.rules import CompiledRules, compile_taxonomy, default_taxonomy, normalize_rules

META_KEYS = ("threshold", "field_weights", "kind_weights", "ignore", "ignore_patterns")


def sync_areas(session: Session, coalition_id: int | None, tax: dict[str, Any]) -> None:
    """Make the issue_area and tagging_rule rows of a coalition (or the defaults) match `tax`."""
    areas = {a.slug: a for a in session.execute(select(IssueArea).where(
        IssueArea.coalition_id.is_(None) if coalition_id is None else IssueArea.coalition_id == coalition_id)).scalars()}
    rules = {r.issue_area_slug: r for r in session.execute(select(TaggingRule).where(
        TaggingRule.coalition_id.is_(None) if coalition_id is None else TaggingRule.coalition_id == coalition_id)).scalars()}
    wanted = set()
    for pos, spec in enumerate(tax.get("areas") or []):
        slug = spec["slug"]
        wanted.add(slug)
        values = {"name": spec.get("name") or slug, "description": spec.get("description"),
                  "parent_slug": spec.get("parent"), "position": pos}
        area = areas.get(slug)
        if area is None:
            session.add(IssueArea(coalition_id=coalition_id, slug=slug, **values))
        elif any(getattr(area, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(area, k, v)
        spec_rules = normalize_rules(spec.get("rules"))
        rule = rules.get(slug)
        if rule is None:
            session.add(TaggingRule(coalition_id=coalition_id, issue_area_slug=slug, spec=spec_rules))
        elif rule.spec != spec_rules:
            rule.spec = spec_rules
    for slug, rule in rules.items():
        if slug not in wanted:
            session.delete(rule)
    for slug, area in areas.items():
        if slug not in wanted:
            # Dropped areas go with their tags: the coalition no longer tracks them.
            session.execute(delete(BillTag).where(BillTag.issue_area_id == area.id))
            session.delete(area)
    session.flush()


def stored_taxonomy(session: Session, coalition: Coalition | None) -> dict[str, Any]:
    """The taxonomy as stored (rules as data in tagging_rule); defaults are synced first."""
    if coalition is None:
        tax = default_taxonomy()
        sync_areas(session, None, tax)
        meta = {k: tax[k] for k in META_KEYS if k in tax}
        cid = None
    else:
        meta = (coalition.settings or {}).get("tagging") or {}
        cid = coalition.id
        if session.execute(select(IssueArea.id).where(IssueArea.coalition_id == cid).limit(1)).first() is None:
            # A coalition made without a file starts from the default taxonomy.
            sync_areas(session, cid, default_taxonomy())
    cond = (IssueArea.coalition_id.is_(None) if cid is None else IssueArea.coalition_id == cid)
    areas = session.execute(select(IssueArea).where(cond).order_by(IssueArea.position)).scalars().all()
    rcond = (TaggingRule.coalition_id.is_(None) if cid is None else TaggingRule.coalition_id == cid)
    rules = {r.issue_area_slug: r.spec for r in session.execute(select(TaggingRule).where(rcond)).scalars()}
    return {**meta, "areas": [{"slug": a.slug, "name": a.name, "parent": a.parent_slug,
                               "description": a.description, "rules": rules.get(a.slug) or {}}
                              for a in areas]}


@dataclass
class TagRun:
    coalition: str | None
    bills: int = 0
    inserted: int = 0
    updated: int = 0
    removed: int = 0
    kept_decisions: int = 0
    seconds: float = 0.0
    by_area: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("coalition", "bills", "inserted", "updated", "removed",
                                              "kept_decisions", "seconds", "by_area")}


def _bill_texts(session: Session, ids: list[int]) -> dict[int, BillText]:
    rows = session.execute(select(Bill.id, Bill.title, Bill.summary, Bill.subjects, Bill.policy_area,
                                  Bill.committees).where(Bill.id.in_(ids))).all()
    actions: dict[int, list[str]] = {}
    committees: dict[int, list[str]] = {}
    for bill_id, desc, committee in session.execute(
            select(BillAction.bill_id, BillAction.description, BillAction.committee)
            .where(BillAction.bill_id.in_(ids)).order_by(BillAction.bill_id, BillAction.position)):
        actions.setdefault(bill_id, []).append(desc)
        if committee:
            committees.setdefault(bill_id, []).append(committee)
    return {r.id: BillText.from_values(
        title=r.title, summary=r.summary, subjects=r.subjects, policy_area=r.policy_area,
        committees=list(dict.fromkeys([*(r.committees or []), *committees.get(r.id, [])])),
        actions=actions.get(r.id)) for r in rows}


def apply_tags(session: Session, rules: CompiledRules, area_ids: dict[str, int],
               coalition_id: int | None, texts: dict[int, BillText], run: TagRun) -> None:
    """Tag the given bills and write the differences with a few batched statements."""
    existing = {(t.bill_id, t.issue_area_id): t for t in session.execute(
        select(BillTag.id, BillTag.bill_id, BillTag.issue_area_id, BillTag.status, BillTag.score,
               BillTag.explanation)
        .where(BillTag.bill_id.in_(list(texts)), BillTag.issue_area_id.in_(list(area_ids.values()))))}
    now = utcnow()
    inserts, updates, seen = [], [], set()
    for bill_id, text in texts.items():
        for result in tag_bill(rules, text):
            area_id = area_ids.get(result.slug)
            if area_id is None:
                continue
            run.by_area[result.slug] = run.by_area.get(result.slug, 0) + 1
            key = (bill_id, area_id)
            seen.add(key)
            old = existing.get(key)
            if old is None:
                inserts.append({"bill_id": bill_id, "issue_area_id": area_id, "coalition_id": coalition_id,
                                "score": result.score, "explanation": result.explanation,
                                "status": "suggested", "created_at": now, "updated_at": now})
            elif old.score != result.score or old.explanation != result.explanation:
                updates.append({"_id": old.id, "score": result.score, "explanation": result.explanation,
                                "updated_at": now})
    stale = [t.id for k, t in existing.items() if k not in seen and t.status == "suggested"]
    run.kept_decisions += sum(1 for k, t in existing.items() if k not in seen and t.status != "suggested")
    table = BillTag.__table__
    if inserts:
        session.execute(insert(table), inserts)
    if updates:
        session.connection().execute(
            update(table).where(table.c.id == bindparam("_id"))
            .values(score=bindparam("score"), explanation=bindparam("explanation"),
                    updated_at=bindparam("updated_at")), updates)
    if stale:
        session.execute(delete(table).where(table.c.id.in_(stale)))
    run.inserted += len(inserts)
    run.updated += len(updates)
    run.removed += len(stale)
    run.bills += len(texts)


def retag(engine: Engine, *, coalition: str | None = None, bill_ids: Iterable[int] | None = None,
          batch_size: int = 2000) -> TagRun:
    """Run the rules of `coalition` (default taxonomy when None) over stored bills (all by default)."""
    started = dt.datetime.now()
    with Session(engine, expire_on_commit=False) as session:
        coal = None
        if coalition:
            coal = session.execute(select(Coalition).where(Coalition.slug == coalition)).scalar_one_or_none()
            if coal is None:
                raise LookupError(f"no coalition {coalition!r}")
        tax = stored_taxonomy(session, coal)
        session.commit()
        rules = compile_taxonomy(tax)
        cid = coal.id if coal else None
        cond = IssueArea.coalition_id.is_(None) if cid is None else IssueArea.coalition_id == cid
        area_ids = dict(session.execute(select(IssueArea.slug, IssueArea.id).where(cond)).all())
        ids = sorted(bill_ids) if bill_ids is not None else list(
            session.execute(select(Bill.id).order_by(Bill.id)).scalars())
        run = TagRun(coalition=coalition)
        for i in range(0, len(ids), batch_size):
            chunk = ids[i:i + batch_size]
            apply_tags(session, rules, area_ids, cid, _bill_texts(session, chunk), run)
            session.commit()
    run.seconds = round((dt.datetime.now() - started).total_seconds(), 3)
    return run


def retag_all(engine: Engine, *, bill_ids: Iterable[int] | None = None) -> list[TagRun]:
    """Tag with the default taxonomy (the public pages' issue areas), then for every coalition."""
    with Session(engine) as session:
        slugs = list(session.execute(select(Coalition.slug).order_by(Coalition.slug)).scalars())
    ids = list(bill_ids) if bill_ids is not None else None
    return [retag(engine, bill_ids=ids)] + [retag(engine, coalition=s, bill_ids=ids) for s in slugs]


def set_tag_status(session: Session, tag: BillTag, status: str, by: str) -> BillTag:
    """Confirm or reject (or return to suggested) one tag, saying who decided and when."""
    if status not in ("suggested", "confirmed", "rejected"):
        raise ValueError(f"status {status!r} must be suggested, confirmed or rejected")
    tag.status, tag.decided_by, tag.decided_at = status, by, utcnow()
    session.add(tag)
    return tag
