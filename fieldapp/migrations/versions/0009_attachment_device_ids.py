"""Device ids for attachments: the hash of a photo as uploaded, so that a photo sent again
under its device-made id is recognised; and the fingerprint of an observation as the device
sent it, so that the same id with other content is refused (rule 3).

Both columns stay empty for rows made before: an observation without a fingerprint matches
no resend (409, the first version kept), a photo without an upload hash likewise.

Revision ID: 0009_attachment_device_ids
Revises: b7e4c2a9d816
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_attachment_device_ids'
down_revision = 'b7e4c2a9d816'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN: SQLite can do it in place, so the tables are not copied.
    op.add_column('media_files', sa.Column('upload_sha256', sa.String(length=64), nullable=True))
    op.add_column('observations', sa.Column('fingerprint', sa.String(length=64), nullable=True))


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35 and later): batch mode would copy tables others point at.
    op.drop_column('observations', 'fingerprint')
    op.drop_column('media_files', 'upload_sha256')
