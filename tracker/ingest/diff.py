"""Compare stored rows with incoming values, and sync child collections by natural key."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from typing import Any, Iterable

from sqlalchemy import delete, update
from sqlmodel import Session, SQLModel, select

from tracker.store.rows import insert_dicts

# Fields that record provenance of the stored content; a change in them alone is not a change.
PROVENANCE_ONLY = frozenset({"fetched_at"})


def comparable(value: Any) -> Any:
    """A value as the database gives it back: naive UTC datetimes, plain JSON."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def upsert(session: Session, model: type[SQLModel], lookup: dict[str, Any], values: dict[str, Any],
           row: SQLModel | None = None) -> tuple[SQLModel, str, dict[str, Any]]:
    """Insert or update one row; return (row, insert|update|noop, {field: {old, new}})."""
    if row is None:
        row = session.exec(select(model).filter_by(**lookup)).first()
    if row is None:
        row = model(**lookup, **values)
        session.add(row)
        session.flush()
        return row, "insert", {}
    changes = {}
    for name, new in values.items():
        old = getattr(row, name)
        if comparable(old) != comparable(new) and name not in PROVENANCE_ONLY:
            changes[name] = {"old": jsonable(old), "new": jsonable(new)}
    if changes:
        for name, new in values.items():
            setattr(row, name, new)
        session.add(row)
    return row, ("update" if changes else "noop"), changes


def repeated(keys: Iterable[str]) -> set[str]:
    """The keys that occur more than once (records of one key in a batch: their order decides,
    so each goes the whole way)."""
    return {key for key, n in Counter(keys).items() if n > 1}


def with_repeat_counters(keys: Iterable[str]) -> list[str]:
    """Make keys unique by suffixing repeats: a, a, b -> a, a#2, b."""
    seen: dict[str, int] = {}
    out = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        out.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return out


def text_key(*parts: Any) -> str:
    """A short stable hash of the parts, for natural keys built from long text."""
    raw = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]


def _defaults(model: type[SQLModel]) -> dict[str, Any]:
    """Column values a new row gets when the caller does not give them (the model's defaults)."""
    cached = _DEFAULTS.get(model)
    if cached is None:
        cached = {}
        for name, info in model.model_fields.items():
            column = model.__table__.c.get(name)
            if column is not None and not column.primary_key and not info.is_required():
                cached[name] = info.get_default(call_default_factory=False) if info.default_factory is None else None
                if info.default_factory is not None:
                    cached[name] = info.default_factory
        _DEFAULTS[model] = cached
    return {k: (v() if callable(v) else v) for k, v in cached.items()}


_DEFAULTS: dict[type, dict[str, Any]] = {}


def sync_children(session: Session, model: type[SQLModel], parent_field: str, parent_id: int,
                  desired: dict[str, dict[str, Any]], key_field: str = "natural_key",
                  label_field: str | None = None,
                  unique_field: str | None = None, fresh: bool = False) -> dict[str, list] | None:
    """Make the children of one parent equal `desired` ({natural key: values}).

    Returns {"added": [...], "removed": [...], "changed": [...]} naming children by
    `label_field` (or key), or None when nothing changed. Children are read and written with
    Core statements in bulk: building ORM objects for hundreds of actions or votes per record
    dominated ingest time. `unique_field` names a column unique among the children (a
    legislator votes once per roll call): rows moving it are cleared first, so two rows may
    trade a value without a transient duplicate. `fresh`: the parent was inserted just now, so
    it has no children to read.
    """
    table = model.__table__
    session.flush()
    existing = {} if fresh else {row[key_field]: row for row in session.execute(
        select(table).where(table.c[parent_field] == parent_id)).mappings().all()}
    added, removed, changed = [], [], []
    inserts, updates, deletes = [], [], []
    for key, row in existing.items():
        if key not in desired:
            removed.append(jsonable(row[label_field] if label_field else key))
            deletes.append(row["id"])
    for key, values in desired.items():
        row = existing.get(key)
        if row is None:
            inserts.append({**_defaults(model), **values, parent_field: parent_id, key_field: key})
            added.append(jsonable(values.get(label_field, key) if label_field else key))
            continue
        diff = {n: v for n, v in values.items() if comparable(row[n]) != comparable(v)}
        if diff:
            updates.append((row["id"], diff))
            changed.append(jsonable(values.get(label_field, key) if label_field else key))
    if not (inserts or updates or deletes):
        return None
    if deletes:
        session.execute(delete(table).where(table.c.id.in_(deletes)))
    if unique_field:
        moving = [row_id for row_id, diff in updates if unique_field in diff]
        if moving:
            session.execute(update(table).where(table.c.id.in_(moving)).values(**{unique_field: None}))
    for row_id, diff in updates:
        session.execute(update(table).where(table.c.id == row_id).values(**diff))
    if inserts:  # plain tuples through the driver (`tracker.store.rows`)
        insert_dicts(session.connection(), table, inserts)
    return {"added": added, "removed": removed, "changed": changed}
