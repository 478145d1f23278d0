"""the year, part b: endings, the end of term and its outcome, agreements, conduct records

Revision ID: 0004_year_b
Revises: 0004_outbound
Create Date: 2026-12-01 22:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004_year_b'
down_revision = '0004_outbound'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'match_endings',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('match_id', sa.Integer(), sa.ForeignKey('matches.id'), nullable=False),
        sa.Column('by_role', sa.String(length=10), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('scenario', sa.String(length=30), nullable=True),
        sa.Column('own_words', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
    )
    op.create_index('ix_match_endings_match_id', 'match_endings', ['match_id'])
    op.create_table(
        'match_terms',
        sa.Column('match_id', sa.Integer(), sa.ForeignKey('matches.id'), primary_key=True),
        sa.Column('stage', sa.String(length=20), nullable=False),
        sa.Column('due_at', sa.DateTime(), nullable=True),
        sa.Column('mentor_continues', sa.Boolean(), nullable=True),
        sa.Column('mentee_continues', sa.Boolean(), nullable=True),
        sa.Column('extended', sa.Boolean(), nullable=False),
        sa.Column('open_ended', sa.Boolean(), nullable=False),
        sa.Column('mentor_achieved', sa.Text(), nullable=True),
        sa.Column('mentee_achieved', sa.Text(), nullable=True),
        sa.Column('next_steps', sa.Text(), nullable=True),
        sa.Column('mentor_again', sa.Boolean(), nullable=True),
    )
    op.create_index('ix_match_terms_stage', 'match_terms', ['stage'])
    op.create_index('ix_match_terms_due_at', 'match_terms', ['due_at'])
    op.create_table(
        'agreements',
        sa.Column('match_id', sa.Integer(), sa.ForeignKey('matches.id'), primary_key=True),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('remind_at', sa.DateTime(), nullable=True),
        sa.Column('drafted_at', sa.DateTime(), nullable=True),
        sa.Column('agreed_at', sa.DateTime(), nullable=True),
    )
    op.create_index('ix_agreements_remind_at', 'agreements', ['remind_at'])
    op.create_table(
        'agreement_goals',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('match_id', sa.Integer(), sa.ForeignKey('matches.id'), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('activities', sa.Text(), nullable=False),
        sa.Column('by_date', sa.Date(), nullable=True),
        sa.Column('nudge_at', sa.DateTime(), nullable=True),
    )
    op.create_index('ix_agreement_goals_match_id', 'agreement_goals', ['match_id'])
    op.create_index('ix_agreement_goals_nudge_at', 'agreement_goals', ['nudge_at'])
    op.create_table(
        'participation_ends',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column(
            'participant_id', sa.Integer(), sa.ForeignKey('participants.id'), nullable=False
        ),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('ended_by', sa.String(length=320), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('matches_ended', sa.Integer(), nullable=False),
    )
    op.create_index(
        'ix_participation_ends_participant_id', 'participation_ends', ['participant_id']
    )


def downgrade() -> None:
    op.drop_table('participation_ends')
    op.drop_table('agreement_goals')
    op.drop_table('agreements')
    op.drop_table('match_terms')
    op.drop_table('match_endings')
