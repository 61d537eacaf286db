"""Compensation: rates, work entries with their history, thank-yous, payment batches,
allowance limits, payee profiles; the finance flag on users.

Revision ID: 612c93f85bc1
Revises: 4b6cd93fc082
Create Date: 2026-11-27
"""
from alembic import op
import datetime as dt

import sqlalchemy as sa


SEEDED_AT = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)

# revision identifiers, used by Alembic.
revision = '612c93f85bc1'
down_revision = '4b6cd93fc082'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('allowance_limits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('hourly_cents_21_plus', sa.Integer(), nullable=True),
    sa.Column('hourly_cents_under_21', sa.Integer(), nullable=True),
    sa.Column('monthly_cents', sa.Integer(), nullable=False),
    sa.Column('yearly_cents', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('monthly_cents > 0 AND yearly_cents > 0', name=op.f('ck_allowance_limits_positive')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_allowance_limits_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allowance_limits')),
    sa.UniqueConstraint('year', name=op.f('uq_allowance_limits_year'))
    )
    op.create_table('payee_profiles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('limits_apply', sa.Boolean(), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('age_band', sa.String(length=10), nullable=True),
    sa.Column('account_name', sa.String(length=70), nullable=True),
    sa.Column('iban', sa.String(length=34), nullable=True),
    sa.Column('bic', sa.String(length=11), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("age_band IS NULL OR age_band IN ('21_plus', 'under_21')", name=op.f('ck_payee_profiles_age_band_known')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_payee_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_payee_profiles'))
    )
    op.create_table('payment_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('drafted_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_by_id', sa.Integer(), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'approved', 'paid')", name=op.f('ck_payment_batches_state_known')),
    sa.CheckConstraint('approved_by_id IS NULL OR approved_by_id != drafted_by_id', name=op.f('ck_payment_batches_four_eyes')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_payment_batches_approved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['users.id'], name=op.f('fk_payment_batches_drafted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['paid_by_id'], ['users.id'], name=op.f('fk_payment_batches_paid_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_payment_batches_study_id_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_batches'))
    )
    with op.batch_alter_table('payment_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_batches_study_id'), ['study_id'], unique=False)

    op.create_table('study_rates',
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('hourly_cents', sa.Integer(), nullable=False),
    sa.Column('per_interview_cents', sa.Integer(), nullable=False),
    sa.Column('per_training_cents', sa.Integer(), nullable=False),
    sa.Column('per_analysis_cents', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('hourly_cents >= 0 AND per_interview_cents >= 0 AND per_training_cents >= 0 AND per_analysis_cents >= 0', name=op.f('ck_study_rates_not_negative')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_study_rates_study_id_studies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_study_rates_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('study_id', name=op.f('pk_study_rates'))
    )
    op.create_table('thank_you_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('value_cents', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('needs_serial', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('gift_card', 'voucher', 'cash')", name=op.f('ck_thank_you_types_kind_known')),
    sa.CheckConstraint('stock >= 0', name=op.f('ck_thank_you_types_stock_not_negative')),
    sa.CheckConstraint('value_cents > 0', name=op.f('ck_thank_you_types_value_positive')),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_thank_you_types_study_id_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thank_you_types'))
    )
    with op.batch_alter_table('thank_you_types', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thank_you_types_study_id'), ['study_id'], unique=False)

    op.create_table('thank_yous',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=True),
    sa.Column('serial_number', sa.String(length=60), nullable=True),
    sa.Column('value_cents', sa.Integer(), nullable=False),
    sa.Column('given_by_id', sa.Integer(), nullable=True),
    sa.Column('given_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['given_by_id'], ['users.id'], name=op.f('fk_thank_yous_given_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_thank_yous_interview_id_interviews'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_thank_yous_study_id_studies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['type_id'], ['thank_you_types.id'], name=op.f('fk_thank_yous_type_id_thank_you_types'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thank_yous')),
    sa.UniqueConstraint('interview_id', name=op.f('uq_thank_yous_interview_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_thank_yous_uuid'))
    )
    with op.batch_alter_table('thank_yous', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thank_yous_study_id'), ['study_id'], unique=False)

    op.create_table('work_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('activity', sa.String(length=20), nullable=False),
    sa.Column('work_date', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('limit_override_reason', sa.String(length=300), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("activity IN ('training', 'fieldwork', 'analysis', 'meetings', 'reporting', 'interview', 'training_session', 'analysis_session')", name=op.f('ck_work_entries_activity_known')),
    sa.CheckConstraint("state IN ('open', 'approved', 'rejected', 'paid')", name=op.f('ck_work_entries_state_known')),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_work_entries_amount_not_negative')),
    sa.CheckConstraint('minutes >= 0 AND minutes <= 1440 AND minutes % 15 = 0', name=op.f('ck_work_entries_quarter_hours')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_work_entries_approved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['batch_id'], ['payment_batches.id'], name=op.f('fk_work_entries_batch_id_payment_batches'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_work_entries_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_work_entries_interview_id_interviews'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_work_entries_study_id_studies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_work_entries_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_entries')),
    sa.UniqueConstraint('interview_id', name=op.f('uq_work_entries_interview_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_work_entries_uuid'))
    )
    with op.batch_alter_table('work_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_entries_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_entries_study_id'), ['study_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_entries_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_entries_work_date'), ['work_date'], unique=False)

    op.create_table('work_entry_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_work_entry_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['work_entries.id'], name=op.f('fk_work_entry_changes_entry_id_work_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_entry_changes'))
    )
    with op.batch_alter_table('work_entry_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_entry_changes_entry_id'), ['entry_id'], unique=False)

    # Plain ADD COLUMN, not batch mode: on SQLite batch mode would copy the users table and
    # drop the old one, which every other table points at (its rows would be cascaded away, or
    # the drop refused).
    op.add_column('users', sa.Column('finance', sa.Boolean(), nullable=False, server_default=sa.false()))



    # The volunteer allowance limits known when this was written (Belastingdienst figures in
    # the research agenda's context page). 2023's hourly limits are not in it: an admin
    # enters them, and 2026 onwards, on the limits page.
    limits = sa.table(
        "allowance_limits",
        sa.column("year", sa.Integer),
        sa.column("hourly_cents_21_plus", sa.Integer),
        sa.column("hourly_cents_under_21", sa.Integer),
        sa.column("monthly_cents", sa.Integer),
        sa.column("yearly_cents", sa.Integer),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(
        limits,
        [
            {"year": 2023, "hourly_cents_21_plus": None, "hourly_cents_under_21": None,
             "monthly_cents": 19000, "yearly_cents": 190000, "updated_at": SEEDED_AT},
            {"year": 2024, "hourly_cents_21_plus": 550, "hourly_cents_under_21": 325,
             "monthly_cents": 21000, "yearly_cents": 210000, "updated_at": SEEDED_AT},
            {"year": 2025, "hourly_cents_21_plus": 560, "hourly_cents_under_21": 330,
             "monthly_cents": 21000, "yearly_cents": 210000, "updated_at": SEEDED_AT},
        ],
    )


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35 and later), for the same reason as in upgrade().
    op.drop_column('users', 'finance')

    with op.batch_alter_table('work_entry_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_entry_changes_entry_id'))

    op.drop_table('work_entry_changes')
    with op.batch_alter_table('work_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_entries_work_date'))
        batch_op.drop_index(batch_op.f('ix_work_entries_user_id'))
        batch_op.drop_index(batch_op.f('ix_work_entries_study_id'))
        batch_op.drop_index(batch_op.f('ix_work_entries_batch_id'))

    op.drop_table('work_entries')
    with op.batch_alter_table('thank_yous', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thank_yous_study_id'))

    op.drop_table('thank_yous')
    with op.batch_alter_table('thank_you_types', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thank_you_types_study_id'))

    op.drop_table('thank_you_types')
    op.drop_table('study_rates')
    with op.batch_alter_table('payment_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_batches_study_id'))

    op.drop_table('payment_batches')
    op.drop_table('payee_profiles')
    op.drop_table('allowance_limits')
