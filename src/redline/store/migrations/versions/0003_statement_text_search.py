"""Full-text search over statement quotes and speakers.

Revision ID: 0003
Revises: 0002

SQLite: a contentless FTS5 table ``statements_fts``, kept in step with ``statements`` by
triggers on insert, delete (also the cascade from ``documents``) and update, and filled from the
rows already there. It indexes ``quote`` and ``speaker`` (what users search), and ``party``,
``issue`` and ``document`` as one token each (the hex of the value), so that a search with those
filters is answered -- and counted -- inside FTS5, without looking at the rows. Its rowid is
not the statement id but the *listing key* ``julianday(date) * 2**40 + id`` (day 0 when there
is no date): FTS5 hands back matches in rowid order, so reading it backwards gives matching
statements newest first -- the order of ``Store.statements`` -- and a page needs only its own
rows, whatever the number of matches; date filters become a rowid range. ``statements.id`` is
``rowid % 2**40``. Tokenizer ``unicode61`` with diacritics kept, to agree with PostgreSQL's
``simple`` configuration. An SQLite built without FTS5 gets no table, and the store falls back
to ``LIKE``.

PostgreSQL: GIN indexes on ``to_tsvector('simple', quote)`` and ``to_tsvector('simple', speaker)``;
nothing to keep in step, and no extension needed.

Neither can be declared in ``schema.py`` (SQLAlchemy has no virtual tables, and Alembic does not
compare these expression indexes), so ``schema.SEARCH_OBJECTS`` names them and the schema test
checks them by name.
"""
from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# The listing key of a statement row (``x`` is ``new``, ``old`` or the table); see
# schema.LISTING_KEY_SPAN. Then the indexed values: the text, and the filters as one token each.
KEY = "(coalesce(CAST(julianday({x}.date) AS INTEGER), 0) * 1099511627776 + {x}.id)"
VALUES = "{x}.quote, {x}.speaker, hex({x}.party), hex({x}.issue), hex({x}.document_id)"
COLUMNS = "quote, speaker, party, issue, document"


def _row(x: str) -> str:
    return f"{KEY.format(x=x)}, {VALUES.format(x=x)}"


SQLITE_UP = [
    f"""CREATE VIRTUAL TABLE statements_fts USING fts5(
        {COLUMNS}, content='', columnsize=0, tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER statements_fts_insert AFTER INSERT ON statements BEGIN
        INSERT INTO statements_fts(rowid, {COLUMNS}) VALUES ({_row('new')});
    END""",
    # A contentless table forgets the text: 'delete' must be given the row as it was indexed.
    f"""CREATE TRIGGER statements_fts_delete AFTER DELETE ON statements BEGIN
        INSERT INTO statements_fts(statements_fts, rowid, {COLUMNS}) VALUES ('delete', {_row('old')});
    END""",
    f"""CREATE TRIGGER statements_fts_update
        AFTER UPDATE OF id, date, quote, speaker, party, issue, document_id ON statements BEGIN
        INSERT INTO statements_fts(statements_fts, rowid, {COLUMNS}) VALUES ('delete', {_row('old')});
        INSERT INTO statements_fts(rowid, {COLUMNS}) VALUES ({_row('new')});
    END""",
    f"INSERT INTO statements_fts(rowid, {COLUMNS}) SELECT {_row('statements')} FROM statements",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS statements_fts_update",
    "DROP TRIGGER IF EXISTS statements_fts_delete",
    "DROP TRIGGER IF EXISTS statements_fts_insert",
    "DROP TABLE IF EXISTS statements_fts",
]

POSTGRES_UP = [
    "CREATE INDEX ix_statements_quote_fts ON statements USING gin (to_tsvector('simple', quote))",
    "CREATE INDEX ix_statements_speaker_fts ON statements USING gin (to_tsvector('simple', speaker))",
]

POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_statements_speaker_fts",
    "DROP INDEX IF EXISTS ix_statements_quote_fts",
]


def _sqlite_has_fts5(conn) -> bool:
    try:
        conn.exec_driver_sql("CREATE VIRTUAL TABLE temp.redline_fts5_probe USING fts5(x)")
    except sa.exc.OperationalError:  # "no such module: fts5"
        return False
    conn.exec_driver_sql("DROP TABLE temp.redline_fts5_probe")
    return True


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        if not _sqlite_has_fts5(conn):
            import warnings

            warnings.warn("this SQLite has no FTS5: statement text search falls back to LIKE (slow)",
                          RuntimeWarning, stacklevel=1)
            return
        for sql in SQLITE_UP:
            op.execute(sql)
    elif conn.dialect.name == "postgresql":
        for sql in POSTGRES_UP:
            op.execute(sql)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for sql in SQLITE_DOWN:
            op.execute(sql)
    elif conn.dialect.name == "postgresql":
        for sql in POSTGRES_DOWN:
            op.execute(sql)
