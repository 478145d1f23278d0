"""outbox rows carry the recipient's name (To: "Name" <address>)

Revision ID: 0004_outbound
Revises: 0004_year_a
Create Date: 2026-12-01 22:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004_outbound'
down_revision = '0004_year_a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbound_messages') as batch:
        batch.add_column(sa.Column('to_name', sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbound_messages') as batch:
        batch.drop_column('to_name')
