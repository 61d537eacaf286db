"""Erasure finishes after a crash: the files of erased data still to be removed from disk.

Participants themselves are stored only together with their consent from now on; that
needs no change to the tables.

Revision ID: 0010_participants_after_consent
Revises: 0009_attachment_device_ids
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_participants_after_consent'
down_revision = '0009_attachment_device_ids'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'pending_file_removals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('storage_name', sa.String(length=80), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_file_removals')),
        sa.UniqueConstraint('storage_name', name=op.f('uq_pending_file_removals_storage_name')),
    )


def downgrade():
    op.drop_table('pending_file_removals')
