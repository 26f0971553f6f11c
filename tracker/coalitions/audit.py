"""The audit log of staff actions: `record` writes one entry in the caller's transaction (so an
action and its entry are stored together or not at all), `entries` reads a coalition's log."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from tracker.models import AuditEntry, Coalition, StaffUser

SYSTEM = "system"


def _id(coalition: Coalition | int) -> int:
    return coalition if isinstance(coalition, int) else coalition.id


def record(db, coalition: Coalition | int, actor: StaffUser | str | None, action: str,
           target: str | None = None, detail: dict | None = None) -> AuditEntry:
    """Add an entry: `actor` is the staff account (or a name such as an API key's, or None for the
    system), `action` a dotted verb like "staff.invited", `target` what it was done to."""
    if not action or len(action) > 64:
        raise ValueError(f"audit action {action!r}: 1 to 64 characters")
    if isinstance(actor, StaffUser):
        actor_id, who = actor.id, actor.email
    else:
        actor_id, who = None, (actor or SYSTEM)
    entry = AuditEntry(coalition_id=_id(coalition), actor_id=actor_id, actor=who[:320], action=action,
                       target=(target or None) and str(target)[:500], detail=dict(detail or {}))
    db.add(entry)
    return entry


@dataclass
class Page:
    entries: list[AuditEntry]
    total: int


def entries(db, coalition: Coalition | int, *, action: str | None = None, limit: int = 100,
            offset: int = 0) -> Page:
    """A coalition's entries, newest first (optionally those whose action starts with `action`)."""
    where = [AuditEntry.coalition_id == _id(coalition)]
    if action:
        where.append(AuditEntry.action.startswith(action, autoescape=True))
    total = db.execute(select(func.count()).select_from(AuditEntry).where(*where)).scalar_one()
    rows = db.execute(select(AuditEntry).where(*where).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
                      .limit(limit).offset(offset)).scalars().all()
    return Page(list(rows), total)
