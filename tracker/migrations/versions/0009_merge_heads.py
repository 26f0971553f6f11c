"""merge the branches of the first release into one head

Revision ID: 0009
Revises: 0004, 0006, 0006b, 0007, 0008
"""
from typing import Sequence, Union

revision: str = "0009"
down_revision: Union[str, Sequence[str], None] = ("0004", "0006", "0006b", "0007", "0008")
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
