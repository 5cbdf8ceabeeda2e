"""The tables, in SQLAlchemy Core: one schema for SQLite and PostgreSQL.

Models that the profile YAML describes in full (issues, parties, plans, cases, positions) keep
their validated JSON in a ``data`` column, beside the columns that queries filter and sort on;
documents and statements are plain columns, because they are searched.
The migrations in ``migrations/versions`` create exactly these tables; a test compares them.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

NOW = sa.func.current_timestamp()

documents = sa.Table(
    "documents", metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False, server_default=""),
    sa.Column("url", sa.Text),
    sa.Column("outlet", sa.Text, nullable=False, server_default=""),
    sa.Column("author", sa.Text, nullable=False, server_default=""),
    sa.Column("date", sa.Date, index=True),
    sa.Column("date_source", sa.Text, nullable=False, server_default=""),
    sa.Column("path", sa.Text),
    sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
)

statements = sa.Table(
    "statements", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("document_id", sa.String(200),
              sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("party", sa.String(100), nullable=False),
    sa.Column("issue", sa.String(200), nullable=False),
    sa.Column("polarity", sa.String(16), nullable=False),
    sa.Column("option", sa.String(200)),
    sa.Column("act", sa.String(16), nullable=False, server_default="other"),
    sa.Column("red_line", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("speaker", sa.Text, nullable=False, server_default=""),
    sa.Column("quote", sa.Text, nullable=False, server_default=""),
    sa.Column("confidence", sa.Float, nullable=False, server_default="1"),
    sa.Column("date", sa.Date, index=True),
    sa.Column("url", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Index("ix_statements_party_issue", "party", "issue"),
    # Listing is newest first, filtered by party and/or issue: these let it read in index order.
    sa.Index("ix_statements_party_date", "party", "date", "id"),
    sa.Index("ix_statements_issue_date", "issue", "date", "id"),
    sa.Index("ix_statements_party_issue_date", "party", "issue", "date", "id"),
)

# Full-text search over statements.quote and statements.speaker (migration 0003). Neither
# backend's form can live in ``metadata``: SQLAlchemy has no virtual tables, and Alembic's
# autogenerate knows neither FTS5 nor how to declare these expression indexes. So they are named
# here, the schema test checks them by name, and its comparison with ``metadata`` leaves out
# exactly these (the FTS5 table with the shadow tables FTS5 creates for it; the GIN indexes).
STATEMENTS_FTS = "statements_fts"
SEARCH_OBJECTS = {
    "sqlite": {
        "tables": {STATEMENTS_FTS, *(f"{STATEMENTS_FTS}_{suffix}" for suffix in ("data", "idx", "config"))},
        "triggers": {"statements_fts_insert", "statements_fts_delete", "statements_fts_update"},
    },
    "postgresql": {
        "indexes": {"ix_statements_quote_fts", "ix_statements_speaker_fts",
                    # migration 0004: the listing order (date DESC NULLS LAST, id DESC)
                    "ix_statements_listing", "ix_statements_party_listing",
                    "ix_statements_issue_listing", "ix_statements_party_issue_listing"},
    },
}

# SQLite's FTS5 table (contentless) as a query target. Its rowid is the statement's *listing
# key*, ``julianday(date) * LISTING_KEY_SPAN + id`` (day 0 without a date), so rowid order is
# listing order (date, then id) and ``id = rowid % LISTING_KEY_SPAN``.
LISTING_KEY_SPAN = 2 ** 40
JULIAN_DAY_OF_ORDINAL_0 = 1_721_424  # int(julianday(d)) == d.toordinal() + this
statements_fts = sa.table(STATEMENTS_FTS, sa.column("rowid", sa.BigInteger))


def listing_key_day(day: dt.date) -> int:
    """The smallest listing key of a statement dated ``day``."""
    return (day.toordinal() + JULIAN_DAY_OF_ORDINAL_0) * LISTING_KEY_SPAN


def search_objects_filter(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic ``include_name`` hook: leave the search index out of schema comparisons."""
    if type_ == "table":
        return name not in SEARCH_OBJECTS["sqlite"]["tables"]
    if type_ == "index":
        return name not in SEARCH_OBJECTS["postgresql"]["indexes"]
    return True


profiles = sa.Table(
    "profiles", metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("data", sa.JSON, nullable=False),  # ProfileMeta
    sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
)


def _child(name: str, *columns: sa.Column, pk: tuple[str, ...] = ("profile_id", "id")) -> sa.Table:
    return sa.Table(
        name, metadata,
        sa.Column("profile_id", sa.String(200), sa.ForeignKey("profiles.id", ondelete="CASCADE"),
                  nullable=False),
        *columns,
        sa.PrimaryKeyConstraint(*pk),
    )


issues = _child("issues",
                sa.Column("id", sa.String(200), nullable=False),
                sa.Column("ord", sa.Integer, nullable=False),
                sa.Column("data", sa.JSON, nullable=False))

parties = _child("parties",
                 sa.Column("id", sa.String(200), nullable=False),
                 sa.Column("ord", sa.Integer, nullable=False),
                 sa.Column("data", sa.JSON, nullable=False))

plans = _child("plans",
               sa.Column("id", sa.String(200), nullable=False),
               sa.Column("date", sa.Date, nullable=False),
               sa.Column("title", sa.Text, nullable=False),
               sa.Column("data", sa.JSON, nullable=False),
               sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW))

cases = _child("cases",
               sa.Column("id", sa.String(200), nullable=False),
               sa.Column("ord", sa.Integer, nullable=False),
               sa.Column("data", sa.JSON, nullable=False))

# Files of a profile folder that are not modelled (lexicon.yaml, README): kept verbatim, so an
# exported profile still has them.
profile_files = _child("profile_files",
                       sa.Column("name", sa.String(300), nullable=False),
                       sa.Column("content", sa.Text, nullable=False),
                       pk=("profile_id", "name"))

positions = sa.Table(
    "positions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("profile_id", sa.String(200), sa.ForeignKey("profiles.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("party", sa.String(100), nullable=False),
    sa.Column("issue", sa.String(200), nullable=False),
    sa.Column("since", sa.Date, nullable=False),
    sa.Column("origin", sa.String(16), nullable=False),
    sa.Column("ord", sa.Integer, nullable=False, server_default="0"),
    sa.Column("data", sa.JSON, nullable=False),
    sa.UniqueConstraint("profile_id", "party", "issue", "since", "origin"),
)

cache = sa.Table(
    "cache", metadata,
    sa.Column("kind", sa.String(100), nullable=False),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.PrimaryKeyConstraint("kind", "key"),
)

tokens = sa.Table(
    "tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("scope", sa.String(32), nullable=False, server_default="write"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
)
