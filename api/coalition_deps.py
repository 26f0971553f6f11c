"""Who is calling, for coalition routes: an API key (`Authorization: Bearer edt_...` or
`X-API-Key`) or nobody. A key acts only for its own coalition and up to its role."""
from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Path
from sqlalchemy import select

from api.deps import SessionDep
from tracker.coalitions.auth import hash_api_key, key_prefix, role_allows
from tracker.models import ApiKey, Coalition
from tracker.models.base import utcnow

LAST_USED_EVERY = dt.timedelta(minutes=5)   # how stale an API key's last_used_at may be


@dataclass
class Caller:
    coalition: Coalition
    role: str | None          # None: anonymous (public data only)
    who: str | None = None    # "key:PREFIX" for the history

    def can(self, role: str) -> bool:
        return self.role is not None and role_allows(self.role, role)


def coalition_by_slug(db: SessionDep, slug: Annotated[str, Path(max_length=64, description="coalition slug")]) -> Coalition:
    coal = db.execute(select(Coalition).where(Coalition.slug == slug)).scalar_one_or_none()
    if coal is None:
        raise HTTPException(404, f"no coalition {slug!r}")
    return coal


def _api_key(db, raw: str) -> ApiKey:
    prefix = key_prefix(raw)
    key = db.execute(select(ApiKey).where(ApiKey.prefix == prefix)).scalar_one_or_none() if prefix else None
    if key is None or not hmac.compare_digest(key.key_hash, hash_api_key(raw)):
        raise HTTPException(401, "unknown API key", headers={"WWW-Authenticate": "Bearer"})
    if key.revoked_at is not None:
        raise HTTPException(401, f"API key {key.prefix} was revoked", headers={"WWW-Authenticate": "Bearer"})
    return key


def caller(db: SessionDep, coalition: Annotated[Coalition, Depends(coalition_by_slug)],
           authorization: Annotated[str | None, Header()] = None,
           x_api_key: Annotated[str | None, Header()] = None) -> Caller:
    raw = x_api_key or (authorization[7:].strip() if authorization and authorization.lower().startswith("bearer ")
                        else None)
    if not raw:
        return Caller(coalition, None)
    key = _api_key(db, raw)
    if key.coalition_id != coalition.id:
        # Another coalition's key: refuse rather than silently answer as anonymous.
        raise HTTPException(403, f"API key {key.prefix} belongs to another coalition")
    now = utcnow()
    last = key.last_used_at
    if last is None or now - (last if last.tzinfo else last.replace(tzinfo=now.tzinfo)) > LAST_USED_EVERY:
        # a write per keyed request would queue every API call behind an import's write on SQLite
        # (issue 19): the "last used" day of a key needs minutes, not microseconds
        key.last_used_at = now
        db.add(key)
        db.commit()
    return Caller(coalition, key.role, f"key:{key.prefix}")


CallerDep = Annotated[Caller, Depends(caller)]


def require(caller: Caller, role: str) -> None:
    if caller.role is None:
        raise HTTPException(401, "this needs an API key", headers={"WWW-Authenticate": "Bearer"})
    if not caller.can(role):
        raise HTTPException(403, f"this needs the {role} role; the key has {caller.role}")
