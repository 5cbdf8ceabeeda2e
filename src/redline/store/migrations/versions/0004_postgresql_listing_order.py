"""PostgreSQL: listing indexes in the listing's own order.

Revision ID: 0004
Revises: 0003

Statements are listed ``ORDER BY date DESC NULLS LAST, id DESC``. Migration 0002's ascending
``(party, date, id)`` indexes, read backwards, give ``date DESC NULLS FIRST``, so PostgreSQL
had to fetch and sort every match before returning a page (about 20 ms at 100k statements).
These indexes hold exactly the listing order, so a page reads only its own rows. SQLite does not
need them (it lists through the FTS5 listing key, or sorts a small filtered set) and gets none.
Like the search indexes of 0003 they are outside ``schema.py`` (Alembic cannot compare these
expression indexes) and named in ``schema.SEARCH_OBJECTS``.
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

ORDER = [sa.text("date DESC NULLS LAST"), sa.text("id DESC")]
INDEXES = {
    "ix_statements_listing": [],
    "ix_statements_party_listing": ["party"],
    "ix_statements_issue_listing": ["issue"],
    "ix_statements_party_issue_listing": ["party", "issue"],
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, columns in INDEXES.items():
        op.create_index(name, "statements", [*columns, *ORDER])


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.drop_index(name, table_name="statements")
