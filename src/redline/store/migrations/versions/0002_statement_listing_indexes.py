"""Indexes for listing statements newest first by party and/or issue.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_statements_party_date', 'statements', ['party', 'date', 'id'])
    op.create_index('ix_statements_issue_date', 'statements', ['issue', 'date', 'id'])
    op.create_index('ix_statements_party_issue_date', 'statements', ['party', 'issue', 'date', 'id'])


def downgrade() -> None:
    op.drop_index('ix_statements_party_issue_date', table_name='statements')
    op.drop_index('ix_statements_issue_date', table_name='statements')
    op.drop_index('ix_statements_party_date', table_name='statements')
