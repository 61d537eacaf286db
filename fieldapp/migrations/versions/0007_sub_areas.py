"""Sub-areas: names for an area's CBS neighbourhood codes, and the neighbourhood a
participant lives in (optional), so that figures can be split by sub-area.

Revision ID: 5a9e1c7d2b40
Revises: 7bce2e159876
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a9e1c7d2b40'
down_revision = '7bce2e159876'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN: SQLite can do it in place, so the tables are not copied.
    op.add_column('areas', sa.Column('cbs_names', sa.JSON(), server_default='{}', nullable=False))
    op.add_column('participants', sa.Column('sub_area', sa.String(length=10), nullable=True))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35 and later): batch mode would copy the areas table,
    # which other tables point at.
    op.drop_column('participants', 'sub_area')
    op.drop_column('areas', 'cbs_names')
