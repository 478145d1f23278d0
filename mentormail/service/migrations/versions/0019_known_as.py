"""what emails call a participant ("María José" of "María José Iglesias", "Wei" of "Li Wei"),
when it is not the first word of their name

Revision ID: 0019_known_as
Revises: 0018_request_words
Create Date: 2026-12-07 15:35:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0019_known_as'
down_revision = '0018_request_words'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('participants') as batch:
        batch.add_column(sa.Column('known_as', sa.String(100), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('participants') as batch:
        batch.drop_column('known_as')
