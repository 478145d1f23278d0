"""attention notices: items that need no one (news the next digest tells once), and the
date an urgent item still open is chased with the coordinators again

Revision ID: 0014_attention_notice
Revises: 0013_search
Create Date: 2026-12-03 08:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0014_attention_notice'
down_revision = '0013_search'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('attention') as batch:
        batch.add_column(
            sa.Column('notice', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column('chase_at', sa.DateTime(), nullable=True))
    op.create_index('ix_attention_notice_created', 'attention', ['program_id', 'notice', 'created_at'])
    op.create_index('ix_attention_chase_at', 'attention', ['chase_at'])


def downgrade() -> None:
    op.drop_index('ix_attention_chase_at', table_name='attention')
    op.drop_index('ix_attention_notice_created', table_name='attention')
    with op.batch_alter_table('attention') as batch:
        batch.drop_column('chase_at')
        batch.drop_column('notice')
