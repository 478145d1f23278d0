"""stored search documents and terms; indexes for the sweep and availability

Revision ID: 0004_speed
Revises: 0004_security
Create Date: 2026-12-01 22:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0004_speed'
down_revision = '0004_security'
branch_labels = None
depends_on = None

INDEXES = (
    ('ix_outbound_status_next_attempt', 'outbound_messages', ['status', 'next_attempt_at']),
    ('ix_outbound_status_created', 'outbound_messages', ['status', 'created_at']),
    ('ix_matches_program_state_mentor', 'matches', ['program_id', 'state', 'mentor_id']),
    ('ix_matches_mentor_state', 'matches', ['mentor_id', 'state']),
    ('ix_requests_state_due', 'requests', ['state', 'due_at']),
    ('ix_inbound_status_received', 'inbound_messages', ['status', 'received_at']),
)


def upgrade() -> None:
    op.create_table('search_documents',
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], ),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], ),
    sa.PrimaryKeyConstraint('participant_id')
    )
    op.create_index('ix_search_documents_program_id', 'search_documents', ['program_id'])
    op.create_table('search_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=200), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], ),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_search_terms_participant_id', 'search_terms', ['participant_id'])
    op.create_index(
        'ix_search_terms_lookup', 'search_terms', ['program_id', 'term', 'participant_id', 'weight']
    )
    op.create_table('search_vocabulary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('program_id', 'term')
    )
    op.create_index(
        'ix_search_vocabulary_program_id', 'search_vocabulary', ['program_id', 'id']
    )
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    from mentormail.service.search_index import index_everyone

    index_everyone(op.get_bind(), stamp_them=False)  # 0013_search numbers them


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
    op.drop_table('search_vocabulary')
    op.drop_table('search_terms')
    op.drop_table('search_documents')
