"""the year on the clock: request reminders, match clocks, check-ins, meetings, ratings

Revision ID: 0004_year_a
Revises: 0004_speed
Create Date: 2026-12-01 22:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004_year_a'
down_revision = '0004_speed'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('participants') as batch:
        batch.add_column(
            sa.Column('timezone', sa.String(length=64), nullable=False, server_default='')
        )
    with op.batch_alter_table('requests') as batch:
        batch.add_column(sa.Column('remind_at', sa.DateTime(), nullable=True))
        batch.create_index('ix_requests_remind_at', ['remind_at'], unique=False)
    op.create_table(
        'match_clocks',
        sa.Column('match_id', sa.Integer(), sa.ForeignKey('matches.id'), primary_key=True),
        sa.Column('next_checkin_at', sa.DateTime(), nullable=True),
        sa.Column('checkins_sent', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('missed_mentor', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('missed_mentee', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('last_met_at', sa.DateTime(), nullable=True),
        sa.Column('fit_due_at', sa.DateTime(), nullable=True),
        sa.Column('fit_asked', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('fit_mentor', sa.String(length=20), nullable=True),
        sa.Column('fit_mentee', sa.String(length=20), nullable=True),
        sa.Column('pulse_due_at', sa.DateTime(), nullable=True),
        sa.Column('midpoint_due_at', sa.DateTime(), nullable=True),
        sa.Column('midpoint_remind_at', sa.DateTime(), nullable=True),
        sa.Column('tips_used', sa.JSON(), nullable=False),
    )
    for column in ('next_checkin_at', 'fit_due_at', 'pulse_due_at', 'midpoint_due_at',
                   'midpoint_remind_at'):
        op.create_index(f'ix_match_clocks_{column}', 'match_clocks', [column])
    op.create_table(
        'checkins',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('match_id', sa.Integer(), sa.ForeignKey('matches.id'), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.Column('since', sa.Date(), nullable=False),
        sa.Column('tip', sa.String(length=100), nullable=False),
        sa.Column('mentor_answer', sa.String(length=20), nullable=True),
        sa.Column('mentee_answer', sa.String(length=20), nullable=True),
        sa.Column('closed', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.UniqueConstraint('match_id', 'number'),
    )
    op.create_index('ix_checkins_match_id', 'checkins', ['match_id'])
    op.create_table(
        'meetings',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('match_id', sa.Integer(), sa.ForeignKey('matches.id'), nullable=False),
        sa.Column('reported_by', sa.String(length=10), nullable=False),
        sa.Column('met_on', sa.Date(), nullable=False),
        sa.Column('reported_at', sa.DateTime(), nullable=False),
        sa.Column('checkin_id', sa.Integer(), sa.ForeignKey('checkins.id'), nullable=True),
    )
    op.create_index('ix_meetings_match_id', 'meetings', ['match_id'])
    op.create_table(
        'ratings',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('match_id', sa.Integer(), sa.ForeignKey('matches.id'), nullable=False),
        sa.Column('survey', sa.String(length=20), nullable=False),
        sa.Column('by', sa.String(length=10), nullable=False),
        sa.Column('value', sa.Integer(), nullable=True),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_ratings_match_id', 'ratings', ['match_id'])


def downgrade() -> None:
    for table in ('ratings', 'meetings', 'checkins', 'match_clocks'):
        op.drop_table(table)
    with op.batch_alter_table('requests') as batch:
        batch.drop_index('ix_requests_remind_at')
        batch.drop_column('remind_at')
    with op.batch_alter_table('participants') as batch:
        batch.drop_column('timezone')
