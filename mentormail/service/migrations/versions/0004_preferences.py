"""participants carry the preferences that matching by the program reads

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


def downgrade() -> None:
    with op.batch_alter_table('participants') as batch:
        batch.drop_column('preferences')
