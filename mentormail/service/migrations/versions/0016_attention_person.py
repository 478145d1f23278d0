"""attention items by person: a check-in or not-yet email asks whether its reader's own call
for help (HELP, a reported problem, a low rating) is still open

Revision ID: 0016_attention_person
Revises: 0015_last_question
Create Date: 2026-12-07 02:40:00
"""

from alembic import op


revision = '0016_attention_person'
down_revision = '0015_last_question'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_attention_participant_id', 'attention', ['participant_id'])


def downgrade() -> None:
    op.drop_index('ix_attention_participant_id', table_name='attention')
