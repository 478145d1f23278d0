"""who wrote a Mentoring Agreement's goals as they stand (the mentee's draft, or the mentor's
changes), so the emails can say whose words they are ("two mock interviews with you")

Revision ID: 0017_agreement_writer
Revises: 0016_attention_person
Create Date: 2026-12-07 06:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0017_agreement_writer'
down_revision = '0016_attention_person'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('agreements') as batch:
        batch.add_column(sa.Column('written_by', sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('agreements') as batch:
        batch.drop_column('written_by')
