"""Instruments with versions, interviews with answers and revisions, observations with photos, review notes.

Revision ID: 4b6cd93fc082
Revises: c1d43123fa7b
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b6cd93fc082'
down_revision = 'c1d43123fa7b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('instruments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('public_space', sa.Boolean(), nullable=False),
    sa.Column('accuracy_threshold_m', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('questionnaire', 'observation')", name=op.f('ck_instruments_kind_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_instruments_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_instruments_study_id_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instruments'))
    )
    with op.batch_alter_table('instruments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_instruments_study_id'), ['study_id'], unique=False)

    op.create_table('instrument_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'published')", name=op.f('ck_instrument_versions_state_known')),
    sa.ForeignKeyConstraint(['instrument_id'], ['instruments.id'], name=op.f('fk_instrument_versions_instrument_id_instruments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument_versions')),
    sa.UniqueConstraint('instrument_id', 'number', name=op.f('uq_instrument_versions_instrument_id_number'))
    )
    with op.batch_alter_table('instrument_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_instrument_versions_instrument_id'), ['instrument_id'], unique=False)

    op.create_table('interviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('co_researcher_id', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('consent_record_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'submitted', 'approved', 'needs_attention')", name=op.f('ck_interviews_state_known')),
    sa.ForeignKeyConstraint(['co_researcher_id'], ['users.id'], name=op.f('fk_interviews_co_researcher_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consent_record_id'], ['consent_records.id'], name=op.f('fk_interviews_consent_record_id_consent_records'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_interviews_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_interviews_study_id_studies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['instrument_versions.id'], name=op.f('fk_interviews_version_id_instrument_versions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interviews')),
    sa.UniqueConstraint('uuid', name=op.f('uq_interviews_uuid'))
    )
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interviews_co_researcher_id'), ['co_researcher_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_study_id'), ['study_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interviews_version_id'), ['version_id'], unique=False)

    op.create_table('observations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('co_researcher_id', sa.Integer(), nullable=True),
    sa.Column('instrument_id', sa.Integer(), nullable=True),
    sa.Column('themes', sa.JSON(), nullable=False),
    sa.Column('category', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('location_coarsened', sa.Boolean(), nullable=False),
    sa.Column('place_description', sa.String(length=300), nullable=False),
    sa.Column('observed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('history', sa.JSON(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'submitted', 'approved', 'needs_attention')", name=op.f('ck_observations_state_known')),
    sa.ForeignKeyConstraint(['co_researcher_id'], ['users.id'], name=op.f('fk_observations_co_researcher_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['instrument_id'], ['instruments.id'], name=op.f('fk_observations_instrument_id_instruments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_observations_study_id_studies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['instrument_versions.id'], name=op.f('fk_observations_version_id_instrument_versions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations')),
    sa.UniqueConstraint('uuid', name=op.f('uq_observations_uuid'))
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observations_co_researcher_id'), ['co_researcher_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observations_study_id'), ['study_id'], unique=False)

    op.create_table('answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('question_name', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.Column('media_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_answers_interview_id_interviews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['media_id'], ['media_files.id'], name=op.f('fk_answers_media_id_media_files'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers')),
    sa.UniqueConstraint('interview_id', 'question_name', name=op.f('uq_answers_interview_id_question_name'))
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answers_interview_id'), ['interview_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answers_media_id'), ['media_id'], unique=False)

    op.create_table('interview_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_interview_revisions_interview_id_interviews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_interview_revisions_submitted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_revisions')),
    sa.UniqueConstraint('interview_id', 'number', name=op.f('uq_interview_revisions_interview_id_number'))
    )
    with op.batch_alter_table('interview_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_revisions_interview_id'), ['interview_id'], unique=False)

    op.create_table('observation_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('observation_id', sa.Integer(), nullable=False),
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['media_id'], ['media_files.id'], name=op.f('fk_observation_photos_media_id_media_files'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_observation_photos_observation_id_observations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation_photos')),
    sa.UniqueConstraint('media_id', name=op.f('uq_observation_photos_media_id'))
    )
    with op.batch_alter_table('observation_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_photos_observation_id'), ['observation_id'], unique=False)

    op.create_table('review_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=True),
    sa.Column('observation_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("decision IN ('approved', 'needs_attention')", name=op.f('ck_review_notes_decision_known')),
    sa.CheckConstraint('(interview_id IS NULL) != (observation_id IS NULL)', name=op.f('ck_review_notes_one_target')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_review_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_review_notes_interview_id_interviews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_review_notes_observation_id_observations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_notes'))
    )
    with op.batch_alter_table('review_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_notes_interview_id'), ['interview_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_notes_observation_id'), ['observation_id'], unique=False)



def downgrade():
    with op.batch_alter_table('review_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_notes_observation_id'))
        batch_op.drop_index(batch_op.f('ix_review_notes_interview_id'))

    op.drop_table('review_notes')
    with op.batch_alter_table('observation_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_photos_observation_id'))

    op.drop_table('observation_photos')
    with op.batch_alter_table('interview_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_revisions_interview_id'))

    op.drop_table('interview_revisions')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answers_media_id'))
        batch_op.drop_index(batch_op.f('ix_answers_interview_id'))

    op.drop_table('answers')
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observations_study_id'))
        batch_op.drop_index(batch_op.f('ix_observations_co_researcher_id'))

    op.drop_table('observations')
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interviews_version_id'))
        batch_op.drop_index(batch_op.f('ix_interviews_study_id'))
        batch_op.drop_index(batch_op.f('ix_interviews_participant_id'))
        batch_op.drop_index(batch_op.f('ix_interviews_co_researcher_id'))

    op.drop_table('interviews')
    with op.batch_alter_table('instrument_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_instrument_versions_instrument_id'))

    op.drop_table('instrument_versions')
    with op.batch_alter_table('instruments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_instruments_study_id'))

    op.drop_table('instruments')
