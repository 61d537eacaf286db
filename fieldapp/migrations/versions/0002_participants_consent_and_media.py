"""Participants (codes, contacts kept apart, tombstones), consent forms and records, media files.

Revision ID: c1d43123fa7b
Revises: 13e95f6edbc0
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c1d43123fa7b'
down_revision = '13e95f6edbc0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('media_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('storage_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('photo', 'signature')", name=op.f('ck_media_files_kind_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_media_files_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_files')),
    sa.UniqueConstraint('storage_name', name=op.f('uq_media_files_storage_name')),
    sa.UniqueConstraint('uuid', name=op.f('uq_media_files_uuid'))
    )
    with op.batch_alter_table('media_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_files_created_by_id'), ['created_by_id'], unique=False)

    op.create_table('consent_forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'published')", name=op.f('ck_consent_forms_state_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_consent_forms_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_consent_forms_study_id_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_forms')),
    sa.UniqueConstraint('study_id', 'version', name=op.f('uq_consent_forms_study_id_version'))
    )
    with op.batch_alter_table('consent_forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_forms_study_id'), ['study_id'], unique=False)

    op.create_table('participant_tombstones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_participant_tombstones_study_id_studies'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant_tombstones')),
    sa.UniqueConstraint('code', name=op.f('uq_participant_tombstones_code'))
    )
    with op.batch_alter_table('participant_tombstones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_tombstones_study_id'), ['study_id'], unique=False)

    op.create_table('participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('age_band', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("age_band IN ('under_16', '16_17', '18_24', '25_44', '45_64', '65_plus', 'unknown')", name=op.f('ck_participants_age_band_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_participants_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_participants_study_id_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participants')),
    sa.UniqueConstraint('code', name=op.f('uq_participants_code')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_participants_token_hash')),
    sa.UniqueConstraint('uuid', name=op.f('uq_participants_uuid'))
    )
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participants_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participants_study_id'), ['study_id'], unique=False)

    op.create_table('consent_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['form_id'], ['consent_forms.id'], name=op.f('fk_consent_items_form_id_consent_forms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_items')),
    sa.UniqueConstraint('form_id', 'key', name=op.f('uq_consent_items_form_id_key'))
    )
    with op.batch_alter_table('consent_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_items_form_id'), ['form_id'], unique=False)

    op.create_table('consent_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('method', sa.String(length=12), nullable=False),
    sa.Column('paper_reference', sa.String(length=60), nullable=True),
    sa.Column('declaration_confirmed', sa.Boolean(), nullable=False),
    sa.Column('signature_media_id', sa.Integer(), nullable=True),
    sa.Column('taken_by_id', sa.Integer(), nullable=True),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('guardian_consented', sa.Boolean(), nullable=False),
    sa.Column('guardian_relation', sa.String(length=20), nullable=True),
    sa.Column('guardian_method', sa.String(length=12), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("method != 'paper' OR paper_reference IS NOT NULL", name=op.f('ck_consent_records_paper_has_reference')),
    sa.CheckConstraint("method IN ('signature', 'spoken', 'paper')", name=op.f('ck_consent_records_method_known')),
    sa.ForeignKeyConstraint(['form_id'], ['consent_forms.id'], name=op.f('fk_consent_records_form_id_consent_forms'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_consent_records_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signature_media_id'], ['media_files.id'], name=op.f('fk_consent_records_signature_media_id_media_files'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['taken_by_id'], ['users.id'], name=op.f('fk_consent_records_taken_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_records')),
    sa.UniqueConstraint('participant_id', 'form_id', name=op.f('uq_consent_records_participant_id_form_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_consent_records_uuid'))
    )
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_records_form_id'), ['form_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_records_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_records_taken_by_id'), ['taken_by_id'], unique=False)

    op.create_table('consent_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('information', sa.Text(), nullable=False),
    sa.Column('item_labels', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['consent_forms.id'], name=op.f('fk_consent_texts_form_id_consent_forms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_texts')),
    sa.UniqueConstraint('form_id', 'language', name=op.f('uq_consent_texts_form_id_language'))
    )
    with op.batch_alter_table('consent_texts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_texts_form_id'), ['form_id'], unique=False)

    op.create_table('erased_submissions',
    sa.Column('submission_id', sa.String(length=36), nullable=False),
    sa.Column('tombstone_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tombstone_id'], ['participant_tombstones.id'], name=op.f('fk_erased_submissions_tombstone_id_participant_tombstones'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('submission_id', name=op.f('pk_erased_submissions'))
    )
    with op.batch_alter_table('erased_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erased_submissions_tombstone_id'), ['tombstone_id'], unique=False)

    op.create_table('participant_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_participant_contacts_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant_contacts')),
    sa.UniqueConstraint('participant_id', name=op.f('uq_participant_contacts_participant_id'))
    )
    op.create_table('consent_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('item_key', sa.String(length=80), nullable=False),
    sa.Column('granted', sa.Boolean(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['record_id'], ['consent_records.id'], name=op.f('fk_consent_decisions_record_id_consent_records'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_decisions')),
    sa.UniqueConstraint('record_id', 'item_key', name=op.f('uq_consent_decisions_record_id_item_key'))
    )
    with op.batch_alter_table('consent_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_decisions_record_id'), ['record_id'], unique=False)



def downgrade():
    with op.batch_alter_table('consent_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_decisions_record_id'))

    op.drop_table('consent_decisions')
    op.drop_table('participant_contacts')
    with op.batch_alter_table('erased_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erased_submissions_tombstone_id'))

    op.drop_table('erased_submissions')
    with op.batch_alter_table('consent_texts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_texts_form_id'))

    op.drop_table('consent_texts')
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_records_taken_by_id'))
        batch_op.drop_index(batch_op.f('ix_consent_records_participant_id'))
        batch_op.drop_index(batch_op.f('ix_consent_records_form_id'))

    op.drop_table('consent_records')
    with op.batch_alter_table('consent_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_items_form_id'))

    op.drop_table('consent_items')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participants_study_id'))
        batch_op.drop_index(batch_op.f('ix_participants_created_by_id'))

    op.drop_table('participants')
    with op.batch_alter_table('participant_tombstones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_tombstones_study_id'))

    op.drop_table('participant_tombstones')
    with op.batch_alter_table('consent_forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_forms_study_id'))

    op.drop_table('consent_forms')
    with op.batch_alter_table('media_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_files_created_by_id'))

    op.drop_table('media_files')
