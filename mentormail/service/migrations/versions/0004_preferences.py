"""participants carry the preferences that matching by the program reads; digests

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('participants') as batch:
        batch.add_column(
            sa.Column('preferences', sa.JSON(), nullable=False, server_default='{}')
        )
    op.create_table(
        'digest_schedules',
        sa.Column('program_id', sa.Integer(), sa.ForeignKey('programs.id'), primary_key=True),
        sa.Column('due_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_digest_schedules_due_at', 'digest_schedules', ['due_at'])
    op.create_table(
        'digests',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('program_id', sa.Integer(), sa.ForeignKey('programs.id'), nullable=False),
        sa.Column('period_start', sa.DateTime(), nullable=False),
        sa.Column('period_end', sa.DateTime(), nullable=False),
        sa.Column('item_ids', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_digests_program_id', 'digests', ['program_id'])
    op.create_table(
        'coordinator_tokens',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('token_hash', sa.String(64), nullable=False, unique=True),
        sa.Column('program_id', sa.Integer(), sa.ForeignKey('programs.id'), nullable=False),
        sa.Column('address', sa.String(320), nullable=False),
        sa.Column('digest_id', sa.Integer(), sa.ForeignKey('digests.id'), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_coordinator_tokens_program_id', 'coordinator_tokens', ['program_id'])
    op.create_table(
        'coordinator_actions',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('program_id', sa.Integer(), sa.ForeignKey('programs.id'), nullable=False),
        sa.Column('address', sa.String(320), nullable=False),
        sa.Column('command', sa.String(1000), nullable=False),
        sa.Column('outcome', sa.Text(), nullable=False),
        sa.Column('inbound_id', sa.Integer(), sa.ForeignKey('inbound_messages.id')),
        sa.Column('at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_coordinator_actions_program_id', 'coordinator_actions', ['program_id'])


def downgrade() -> None:
    for table in ('coordinator_actions', 'coordinator_tokens', 'digests', 'digest_schedules'):
        op.drop_table(table)
    with op.batch_alter_table('participants') as batch:
        batch.drop_column('preferences')
