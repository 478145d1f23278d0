"""whether the pair's last meeting is known by its month alone ("we met in November"), so
the next check-in asks since "your meeting in November", not a day nobody named

Revision ID: 0020_met_month_only
Revises: 0019_known_as
Create Date: 2026-12-07 23:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0020_met_month_only'
down_revision = '0019_known_as'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('match_clocks') as batch:
        batch.add_column(
            sa.Column('last_met_month_only', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table('match_clocks') as batch:
        batch.drop_column('last_met_month_only')
