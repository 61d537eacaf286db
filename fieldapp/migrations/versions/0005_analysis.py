"""Analysis: codes with one level of sub-codes, codings of whole texts or passages, quotes,
and the co-researchers invited to code.

Revision ID: 0033ee32333e
Revises: 612c93f85bc1
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0033ee32333e'
down_revision = '612c93f85bc1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('coders',
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_coders_study_id_studies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_coders_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('study_id', 'user_id', name=op.f('pk_coders'))
    )
    op.create_table('codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('theme', sa.String(length=40), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['codes.id'], name=op.f('fk_codes_parent_id_codes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_codes_study_id_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_codes')),
    sa.UniqueConstraint('study_id', 'parent_id', 'name', name=op.f('uq_codes_study_id_parent_id_name')),
    sa.UniqueConstraint('uuid', name=op.f('uq_codes_uuid'))
    )
    with op.batch_alter_table('codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_codes_study_id'), ['study_id'], unique=False)

    op.create_table('codings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.Column('observation_id', sa.Integer(), nullable=True),
    sa.Column('start_offset', sa.Integer(), nullable=True),
    sa.Column('end_offset', sa.Integer(), nullable=True),
    sa.Column('coder_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(answer_id IS NULL) != (observation_id IS NULL)', name=op.f('ck_codings_one_target')),
    sa.CheckConstraint('(start_offset IS NULL AND end_offset IS NULL) OR (start_offset >= 0 AND end_offset > start_offset)', name=op.f('ck_codings_passage_valid')),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], name=op.f('fk_codings_answer_id_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['code_id'], ['codes.id'], name=op.f('fk_codings_code_id_codes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['coder_id'], ['users.id'], name=op.f('fk_codings_coder_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['observation_id'], ['observations.id'], name=op.f('fk_codings_observation_id_observations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_codings_study_id_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_codings')),
    sa.UniqueConstraint('uuid', name=op.f('uq_codings_uuid'))
    )
    with op.batch_alter_table('codings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_codings_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_codings_code_id'), ['code_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_codings_observation_id'), ['observation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_codings_study_id'), ['study_id'], unique=False)

    op.create_table('quotes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('start_offset', sa.Integer(), nullable=False),
    sa.Column('end_offset', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('for_report', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('start_offset >= 0 AND end_offset > start_offset', name=op.f('ck_quotes_passage_valid')),
    sa.ForeignKeyConstraint(['answer_id'], ['answers.id'], name=op.f('fk_quotes_answer_id_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_quotes_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_quotes_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_quotes_study_id_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotes')),
    sa.UniqueConstraint('uuid', name=op.f('uq_quotes_uuid'))
    )
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quotes_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_study_id'), ['study_id'], unique=False)



def downgrade():
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quotes_study_id'))
        batch_op.drop_index(batch_op.f('ix_quotes_participant_id'))
        batch_op.drop_index(batch_op.f('ix_quotes_answer_id'))

    op.drop_table('quotes')
    with op.batch_alter_table('codings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_codings_study_id'))
        batch_op.drop_index(batch_op.f('ix_codings_observation_id'))
        batch_op.drop_index(batch_op.f('ix_codings_code_id'))
        batch_op.drop_index(batch_op.f('ix_codings_answer_id'))

    op.drop_table('codings')
    with op.batch_alter_table('codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_codes_study_id'))

    op.drop_table('codes')
    op.drop_table('coders')
