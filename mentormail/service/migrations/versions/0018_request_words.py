"""what a mentee wrote beside their pick from a list ("2 — I'd love to hear how you got into
bridge design"), so the request to the mentor carries it

Revision ID: 0018_request_words
Revises: 0017_agreement_writer
Create Date: 2026-12-07 12:45:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0018_request_words'
down_revision = '0017_agreement_writer'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('requests') as batch:
        batch.add_column(sa.Column('mentee_words', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('requests') as batch:
        batch.drop_column('mentee_words')
