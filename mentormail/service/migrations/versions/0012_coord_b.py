"""coordinators, part b: announcements (one row per announcement; its mail is outbox rows)

Revision ID: 0010_coord_b
Revises: 0004_year_b
Create Date: 2026-12-02 05:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0010_coord_b'
down_revision = '0010_coord_c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'announcements',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('program_id', sa.Integer(), sa.ForeignKey('programs.id'), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False, unique=True),
        sa.Column('audience', sa.String(length=20), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('markdown', sa.Text(), nullable=False),
        sa.Column('text_template', sa.Text(), nullable=False),
        sa.Column('html_template', sa.Text(), nullable=False),
        sa.Column('created_by', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_announcements_program_id', 'announcements', ['program_id'])


def downgrade() -> None:
    op.drop_index('ix_announcements_program_id', table_name='announcements')
    op.drop_table('announcements')
