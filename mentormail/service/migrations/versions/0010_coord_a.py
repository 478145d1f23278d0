"""coordinators (coord-a): proposals by the program, mentor approval, coordinators' links

Revision ID: 0010_coord_a
Revises: 0004_year_b
Create Date: 2026-12-02 05:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0010_coord_a'
down_revision = '0004_year_b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('participants') as batch:
        batch.add_column(
            sa.Column('approval', sa.String(length=20), nullable=False, server_default='approved')
        )
    op.create_table(
        'proposals',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('program_id', sa.Integer(), sa.ForeignKey('programs.id'), nullable=False),
        sa.Column('mentee_id', sa.Integer(), sa.ForeignKey('participants.id'), nullable=False),
        sa.Column('mentor_id', sa.Integer(), sa.ForeignKey('participants.id'), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('mentee_answer', sa.String(length=10), nullable=False),
        sa.Column('mentor_answer', sa.String(length=10), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('reasons', sa.JSON(), nullable=False),
        sa.Column('proposed_by', sa.String(length=320), nullable=False),
        sa.Column('request_id', sa.Integer(), sa.ForeignKey('requests.id'), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('due_at', sa.DateTime(), nullable=True),
    )
    op.create_index('ix_proposals_program_id', 'proposals', ['program_id'])
    op.create_index('ix_proposals_mentee_id', 'proposals', ['mentee_id'])
    op.create_index('ix_proposals_mentor_id', 'proposals', ['mentor_id'])
    op.create_index('ix_proposals_state_due', 'proposals', ['state', 'due_at'])
    op.create_table(
        'coordinator_links',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('token_hash', sa.String(length=64), nullable=False, unique=True),
        sa.Column('program_id', sa.Integer(), sa.ForeignKey('programs.id'), nullable=False),
        sa.Column('address', sa.String(length=320), nullable=False),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
    )
    op.create_index('ix_coordinator_links_program_id', 'coordinator_links', ['program_id'])


def downgrade() -> None:
    op.drop_table('coordinator_links')
    op.drop_index('ix_proposals_state_due', 'proposals')
    op.drop_table('proposals')
    with op.batch_alter_table('participants') as batch:
        batch.drop_column('approval')
