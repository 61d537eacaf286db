"""Report snapshots: a published version also keeps the figures chosen, the quotes in the
report (by id) and the actions with their updates, so the public sees only what was
published; an action update records the language it is written in.

Versions published before this revision get what the public saw until now: the report's
current figures, quotes and actions.

Revision ID: b7e4c2a9d816
Revises: 5a9e1c7d2b40
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e4c2a9d816'
down_revision = '5a9e1c7d2b40'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN: SQLite can do it in place, so the tables are not copied.
    op.add_column(
        'report_versions',
        sa.Column('figure_questions', sa.JSON(), server_default='[]', nullable=False),
    )
    op.add_column(
        'report_versions', sa.Column('quotes', sa.JSON(), server_default='[]', nullable=False)
    )
    op.add_column(
        'report_versions', sa.Column('actions', sa.JSON(), server_default='[]', nullable=False)
    )
    op.add_column('action_updates', sa.Column('language', sa.String(length=8), nullable=True))
    _fill_existing_versions()


def _fill_existing_versions():
    bind = op.get_bind()
    reports = sa.table(
        'reports',
        sa.column('id', sa.Integer),
        sa.column('study_id', sa.Integer),
        sa.column('figure_questions', sa.JSON),
    )
    versions = sa.table(
        'report_versions',
        sa.column('id', sa.Integer),
        sa.column('report_id', sa.Integer),
        sa.column('figure_questions', sa.JSON),
        sa.column('quotes', sa.JSON),
        sa.column('actions', sa.JSON),
    )
    quotes = sa.table(
        'quotes',
        sa.column('id', sa.Integer),
        sa.column('uuid', sa.String),
        sa.column('study_id', sa.Integer),
        sa.column('for_report', sa.Boolean),
    )
    actions = sa.table(
        'actions',
        sa.column('id', sa.Integer),
        sa.column('study_id', sa.Integer),
        sa.column('titles', sa.JSON),
        sa.column('owner', sa.String),
        sa.column('due_date', sa.Date),
        sa.column('status', sa.String),
    )
    updates = sa.table(
        'action_updates',
        sa.column('id', sa.Integer),
        sa.column('action_id', sa.Integer),
        sa.column('at', sa.Date),
        sa.column('status', sa.String),
        sa.column('text', sa.Text),
        sa.column('language', sa.String),
    )
    for report in bind.execute(sa.select(reports)).all():
        versions_of = sa.select(versions.c.id).where(versions.c.report_id == report.id)
        if bind.execute(versions_of.limit(1)).first() is None:
            continue
        quote_ids = bind.execute(
            sa.select(quotes.c.uuid)
            .where(quotes.c.study_id == report.study_id, quotes.c.for_report.is_(True))
            .order_by(quotes.c.id)
        ).scalars().all()
        published_actions = []
        for action in bind.execute(
            sa.select(actions).where(actions.c.study_id == report.study_id).order_by(actions.c.id)
        ).all():
            published_actions.append(
                {
                    'id': action.id,
                    'titles': dict(action.titles or {}),
                    'owner': action.owner,
                    'due_date': action.due_date.isoformat() if action.due_date else None,
                    'status': action.status,
                    'updates': [
                        {
                            'at': update.at.isoformat(),
                            'status': update.status,
                            'text': update.text,
                            'language': update.language,
                        }
                        for update in bind.execute(
                            sa.select(updates)
                            .where(updates.c.action_id == action.id)
                            .order_by(updates.c.at, updates.c.id)
                        ).all()
                    ],
                }
            )
        bind.execute(
            versions.update()
            .where(versions.c.report_id == report.id)
            .values(
                figure_questions=list(report.figure_questions or []),
                quotes=list(quote_ids),
                actions=published_actions,
            )
        )


def downgrade():
    # Plain DROP COLUMN (SQLite 3.35 and later).
    op.drop_column('action_updates', 'language')
    op.drop_column('report_versions', 'actions')
    op.drop_column('report_versions', 'quotes')
    op.drop_column('report_versions', 'figure_questions')
