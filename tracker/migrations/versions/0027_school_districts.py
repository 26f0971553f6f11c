"""School districts (NCES LEAID, OCD id) and their overlap with legislative districts (issue 22).

Revision ID: 0027_school_districts
Revises: 0026_member_invitations
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0027_school_districts"
down_revision: Union[str, Sequence[str], None] = "0026_member_invitations"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "school_district",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("leaid", S(length=7), nullable=True),
        sa.Column("ocd_id", S(), nullable=True),
        sa.Column("state", S(length=2), nullable=False),
        sa.Column("nces_name", S(), nullable=True),
        sa.Column("ocd_name", S(), nullable=True),
        sa.Column("kind", S(), nullable=True),
        sa.Column("county", S(), nullable=True),
        sa.Column("place", S(), nullable=True),
        sa.Column("state_code", S(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("leaid"),
        sa.UniqueConstraint("ocd_id"),
    )
    op.create_index("ix_school_district_state", "school_district", ["state"])
    op.create_index("ix_school_district_nces_name", "school_district", ["nces_name"])
    op.create_table(
        "school_district_overlap",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_district_id", sa.Integer(), nullable=False),
        sa.Column("level", S(), nullable=False),
        sa.Column("state", S(length=2), nullable=False),
        sa.Column("district", S(), nullable=False),
        sa.Column("land_area", sa.Float(), nullable=True),
        sa.Column("water_area", sa.Float(), nullable=True),
        sa.Column("share", sa.Float(), nullable=True),
        sa.Column("vintage", S(), nullable=False),
        sa.Column("source", S(), nullable=False),
        sa.ForeignKeyConstraint(["school_district_id"], ["school_district.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("school_district_id", "level", "state", "district"),
    )
    op.create_index("ix_school_district_overlap_school_district_id", "school_district_overlap",
                    ["school_district_id"])
    op.create_table(
        "member_school_district",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("school_district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member_organization.id"]),
        sa.ForeignKeyConstraint(["school_district_id"], ["school_district.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", "school_district_id"),
    )
    op.create_index("ix_member_school_district_member_id", "member_school_district", ["member_id"])
    op.create_index("ix_member_school_district_school_district_id", "member_school_district", ["school_district_id"])


def downgrade() -> None:
    op.drop_index("ix_member_school_district_school_district_id", table_name="member_school_district")
    op.drop_index("ix_member_school_district_member_id", table_name="member_school_district")
    op.drop_table("member_school_district")
    op.drop_index("ix_school_district_overlap_school_district_id", table_name="school_district_overlap")
    op.drop_table("school_district_overlap")
    op.drop_index("ix_school_district_nces_name", table_name="school_district")
    op.drop_index("ix_school_district_state", table_name="school_district")
    op.drop_table("school_district")
