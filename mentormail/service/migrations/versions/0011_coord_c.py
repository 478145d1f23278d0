"""coordinators, part c: the welcome and training sequence of each new participant

Revision ID: 0010_coord_c
Revises: 0004_year_b
Create Date: 2026-12-02 05:20:00
"""

from datetime import datetime

from alembic import op
import sqlalchemy as sa


revision = '0010_coord_c'
down_revision = '0010_coord_a'
branch_labels = None
depends_on = None

DONE = 1000  # the step of a sequence that is over (people already there are not welcomed)


def upgrade() -> None:
    welcomes = op.create_table(
        'welcomes',
        sa.Column(
            'participant_id', sa.Integer(), sa.ForeignKey('participants.id'), primary_key=True
        ),
        sa.Column('joined_at', sa.DateTime(), nullable=False),
        sa.Column('step', sa.Integer(), nullable=False),
        sa.Column('due_at', sa.DateTime(), nullable=True),
    )
    op.create_index('ix_welcomes_due_at', 'welcomes', ['due_at'])
    rows = op.get_bind().execute(sa.text('SELECT id FROM participants')).fetchall()
    now = datetime.utcnow()
    if rows:
        op.bulk_insert(
            welcomes,
            [{'participant_id': r[0], 'joined_at': now, 'step': DONE, 'due_at': None} for r in rows],
        )


def downgrade() -> None:
    op.drop_index('ix_welcomes_due_at', table_name='welcomes')
    op.drop_table('welcomes')
