"""one vote per legislator and roll call; per-source legislator records

Stores written before this revision may hold votes and sponsorships that carry a source's id
but were matched by name to somebody else (issue 14: "Walters, Mimi", bioguide W000820, credited
to Maxine Waters), and so a legislator twice in one roll call. They are repaired first: such a
row is matched by its id when that id is known, else left unmatched ("unknown-id"); of two
votes of one legislator in one roll call the id match is kept and the other is unmatched
("duplicate"). Then the store enforces it with a unique index.

Revision ID: 0011_identity_votes
Revises: 0010
"""
from __future__ import annotations

import json
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op
from sqlalchemy import text

revision: str = "0011_identity_votes"
down_revision: Union[str, Sequence[str], None] = "0016_accounts"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _ids(value) -> dict:
    if isinstance(value, str):
        value = json.loads(value or "{}")
    return value or {}


def _repair_name_matched_ids(conn, table: str, ids_column: str) -> None:
    """Rows carrying ids but matched otherwise than by id: by id if known, else unmatched."""
    known = {(s, v): lid for s, v, lid in conn.execute(text(
        "SELECT scheme, value, legislator_id FROM legislator_identifier")).all()}
    rows = conn.execute(text(
        f"SELECT id, {ids_column} FROM {table} WHERE legislator_id IS NOT NULL "
        f"AND (match_method IS NULL OR match_method NOT LIKE 'id:%')")).all()
    for row_id, raw in rows:
        ids = _ids(raw)
        if not ids:
            continue
        found = {(s, known[(s, str(v))]) for s, v in ids.items() if (s, str(v)) in known}
        people = {lid for _, lid in found}
        if len(people) == 1:
            scheme = sorted(found)[0][0]
            values = {"lid": people.pop(), "method": f"id:{scheme}", "conf": 1.0}
        else:
            values = {"lid": None, "method": "id-conflict" if people else "unknown-id", "conf": None}
        conn.execute(text(f"UPDATE {table} SET legislator_id = :lid, match_method = :method, "
                          f"match_confidence = :conf WHERE id = :id"), dict(values, id=row_id))


def _repair_duplicate_votes(conn) -> None:
    """Keep one vote per (roll call, legislator): an id match first, then the surest, then the first."""
    pairs = conn.execute(text(
        "SELECT vote_event_id, legislator_id FROM person_vote WHERE legislator_id IS NOT NULL "
        "GROUP BY vote_event_id, legislator_id HAVING count(*) > 1")).all()
    for event_id, legislator_id in pairs:
        rows = conn.execute(text(
            "SELECT id, match_method, match_confidence FROM person_vote "
            "WHERE vote_event_id = :e AND legislator_id = :l"), {"e": event_id, "l": legislator_id}).all()
        ranked = sorted(rows, key=lambda r: (not (r[1] or "").startswith("id:"), -(r[2] or 0), r[0]))
        for row_id, _, _ in ranked[1:]:
            conn.execute(text("UPDATE person_vote SET legislator_id = NULL, match_method = 'duplicate', "
                              "match_confidence = NULL WHERE id = :id"), {"id": row_id})


def upgrade() -> None:
    conn = op.get_bind()
    _repair_name_matched_ids(conn, "person_vote", "voter_ids")
    _repair_name_matched_ids(conn, "sponsorship", "person_ids")
    _repair_duplicate_votes(conn)
    with op.batch_alter_table("person_vote", schema=None) as batch_op:
        batch_op.create_index("uq_person_vote_event_legislator", ["vote_event_id", "legislator_id"],
                              unique=True)

    op.create_table(
        "legislator_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("legislator_id", sa.Integer(), nullable=False),
        sa.Column("source_format", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source_url", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("record_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["legislator_id"], ["legislator.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("legislator_id", "source_format"),
    )
    with op.batch_alter_table("legislator_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_legislator_source_legislator_id"), ["legislator_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("legislator_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legislator_source_legislator_id"))
    op.drop_table("legislator_source")
    with op.batch_alter_table("person_vote", schema=None) as batch_op:
        batch_op.drop_index("uq_person_vote_event_legislator")
