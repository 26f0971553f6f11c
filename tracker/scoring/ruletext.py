"""Rule words by id (issue 19): cells store `rule_id`, the words live once in `score_rule_text`.

`rule_ids` returns the id of each text, adding the texts not stored yet; concurrent recomputes
adding the same words are safe (insert-if-absent on the unique digest)."""
from __future__ import annotations

import hashlib
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.engine import Connection

from tracker.store.sqlutil import insert_ignore_many
from tracker.models import ScoreRuleText

_CHUNK = 500


def digest(words: str) -> str:
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


def _lookup(conn: Connection, digests: list[str]) -> dict[str, int]:
    table = ScoreRuleText.__table__
    out = {}
    for i in range(0, len(digests), _CHUNK):
        out.update(conn.execute(select(table.c.digest, table.c.id)
                                .where(table.c.digest.in_(digests[i:i + _CHUNK]))).all())
    return out


def rule_ids(conn: Connection, texts: Iterable[str]) -> dict[str, int]:
    """{words: id} for every text given; texts not stored yet are added (insert-if-absent)."""
    by_digest = {digest(t): t for t in set(texts)}
    found = _lookup(conn, sorted(by_digest))
    new = sorted(set(by_digest) - set(found))
    if new:
        insert_ignore_many(conn, ScoreRuleText.__table__, [{"digest": d, "words": by_digest[d]} for d in new], "digest")
        found.update(_lookup(conn, new))
    return {by_digest[d]: rid for d, rid in found.items()}
