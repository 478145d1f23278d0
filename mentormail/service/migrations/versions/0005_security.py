"""security: bounce reports that refer to our messages; inbound claims (a lease per message)

Revision ID: 0004_security
Revises: 0004
Create Date: 2026-12-01 22:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004_security'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'bounce_reports',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('email', sa.String(length=320), nullable=False),
        sa.Column('outbox_id', sa.Integer(), sa.ForeignKey('outbound_messages.id'), nullable=False),
        sa.Column('inbound_id', sa.Integer(), sa.ForeignKey('inbound_messages.id'), nullable=True),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.UniqueConstraint('email', 'outbox_id', 'kind'),
    )
    op.create_index('ix_bounce_reports_email', 'bounce_reports', ['email'])
    op.create_table(
        'inbound_claims',
        sa.Column(
            'inbound_id', sa.Integer(), sa.ForeignKey('inbound_messages.id'), primary_key=True
        ),
        sa.Column('holder', sa.String(length=100), nullable=False),
        sa.Column('until', sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('inbound_claims')
    op.drop_index('ix_bounce_reports_email', table_name='bounce_reports')
    op.drop_table('bounce_reports')
