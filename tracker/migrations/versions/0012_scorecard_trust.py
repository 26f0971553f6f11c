"""Rescore every item that follows a coalition's stance (issue 14): until now a private stance
set the preferred option too, so cells stored before this revision may follow one. Queued in
`score_dirty`; the next public read of the scorecard (or the every-minute job) rescores them.

Revision ID: 0012_scorecard_trust
Revises: 0010
"""
from typing import Sequence, Union

from alembic import op
from sqlalchemy import text

revision: str = "0012_scorecard_trust"
down_revision: Union[str, Sequence[str], None] = "0019_ca_pubinfo"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Starts with "position", as the reasons of stance changes do (tracker.scoring.dirty.POSITION_REASON):
# a public read waits for these items rather than serve them stale.
REASON = "position visibility (issue 14): a preferred option follows only a public stance"


def upgrade() -> None:
    op.get_bind().execute(text(
        "INSERT INTO score_dirty (scorecard_id, item_id, reason, created_at) "
        "SELECT i.scorecard_id, i.id, :reason, CURRENT_TIMESTAMP FROM scored_item i "
        "WHERE i.preferred_source = 'stance' AND NOT EXISTS "
        "(SELECT 1 FROM score_dirty d WHERE d.scorecard_id = i.scorecard_id AND d.item_id = i.id)"),
        {"reason": REASON})


def downgrade() -> None:
    op.get_bind().execute(text("DELETE FROM score_dirty WHERE reason = :reason"), {"reason": REASON})
