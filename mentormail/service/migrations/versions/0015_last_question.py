"""a pair's last question on its clock (one question at a time: the next waits a couple of
days after it), and when the midpoint survey went (its reminder may wait, its due date not)

Revision ID: 0015_last_question
Revises: 0014_attention_notice
Create Date: 2026-12-06 22:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0015_last_question'
down_revision = '0014_attention_notice'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('match_clocks') as batch:
        batch.add_column(sa.Column('last_question_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('midpoint_sent_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('match_clocks') as batch:
        batch.drop_column('midpoint_sent_at')
        batch.drop_column('last_question_at')
