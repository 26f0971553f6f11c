"""voter aliases, bill sources, sponsorship match method

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-22 22:45:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('voter_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('jurisdiction_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('chamber', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('raw_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('normalized_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('legislator_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['jurisdiction_id'], ['jurisdiction.id'], ),
    sa.ForeignKeyConstraint(['legislator_id'], ['legislator.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('jurisdiction_id', 'chamber', 'normalized_name')
    )
    with op.batch_alter_table('voter_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_voter_alias_jurisdiction_id'), ['jurisdiction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_voter_alias_legislator_id'), ['legislator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_voter_alias_normalized_name'), ['normalized_name'], unique=False)

    op.create_table('bill_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bill_id', sa.Integer(), nullable=False),
    sa.Column('source_format', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source_url', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('record_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['bill_id'], ['bill.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('bill_id', 'source_format')
    )
    with op.batch_alter_table('bill_source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bill_source_bill_id'), ['bill_id'], unique=False)

    # An existing table gains two columns: how a sponsor without a known id was matched.
    with op.batch_alter_table('sponsorship', schema=None) as batch_op:
        batch_op.add_column(sa.Column('match_method', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('match_confidence', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sponsorship', schema=None) as batch_op:
        batch_op.drop_column('match_confidence')
        batch_op.drop_column('match_method')
    with op.batch_alter_table('bill_source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bill_source_bill_id'))
    op.drop_table('bill_source')
    with op.batch_alter_table('voter_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voter_alias_normalized_name'))
        batch_op.drop_index(batch_op.f('ix_voter_alias_legislator_id'))
        batch_op.drop_index(batch_op.f('ix_voter_alias_jurisdiction_id'))
    op.drop_table('voter_alias')
