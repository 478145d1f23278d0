"""the search version: a per-program counter of stored search changes, and the version that
committed each search document, so a process's in-memory search index knows when to catch up

Revision ID: 0013_search
Revises: 0010_coord_b
Create Date: 2026-12-02 13:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0013_search'
down_revision = '0010_coord_b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'search_versions',
        sa.Column('program_id', sa.Integer(), sa.ForeignKey('programs.id'), primary_key=True),
        sa.Column('version', sa.Integer(), nullable=False),
    )
    with op.batch_alter_table('search_documents') as batch:
        batch.add_column(sa.Column('version', sa.Integer(), nullable=True))
    op.execute('UPDATE search_documents SET version = 0')
    op.create_index(
        'ix_search_documents_version', 'search_documents', ['program_id', 'version']
    )


def downgrade() -> None:
    op.drop_index('ix_search_documents_version', table_name='search_documents')
    with op.batch_alter_table('search_documents') as batch:
        batch.drop_column('version')
    op.drop_table('search_versions')
