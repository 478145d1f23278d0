"""matches end with a reason; outbox rows say what answer they expect; urgent attention

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 22:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('matches') as batch:
        batch.add_column(sa.Column('ended_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('end_reason', sa.String(length=30), nullable=True))
        batch.add_column(sa.Column('ended_by', sa.String(length=20), nullable=True))
        batch.create_index('ix_matches_state', ['state'], unique=False)
    with op.batch_alter_table('outbound_messages') as batch:
        batch.add_column(sa.Column('expects', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('request_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_outbound_request', 'requests', ['request_id'], ['id'])
    with op.batch_alter_table('attention') as batch:
        batch.add_column(sa.Column('participant_id', sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column('urgent', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.create_foreign_key(
            'fk_attention_participant', 'participants', ['participant_id'], ['id']
        )


def downgrade() -> None:
    with op.batch_alter_table('attention') as batch:
        batch.drop_constraint('fk_attention_participant', type_='foreignkey')
        batch.drop_column('urgent')
        batch.drop_column('participant_id')
    with op.batch_alter_table('outbound_messages') as batch:
        batch.drop_constraint('fk_outbound_request', type_='foreignkey')
        batch.drop_column('request_id')
        batch.drop_column('expects')
    with op.batch_alter_table('matches') as batch:
        batch.drop_index('ix_matches_state')
        batch.drop_column('ended_by')
        batch.drop_column('end_reason')
        batch.drop_column('ended_at')
