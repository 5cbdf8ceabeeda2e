"""The project database: documents, statements, profiles, positions, plans, cache and tokens.

Every public method is one transaction. Writes go through :func:`redline.store.db.write`, which
retries the whole transaction when the database is busy, so many writers (threads or processes)
lose nothing. SQL is only built with SQLAlchemy expressions: every value is a bound parameter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import threading
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from redline.errors import DataError, NotFound, RedlineError, did_you_mean
from redline.model import (Document, HistoricalCase, Issue, Party, Plan, Position, ProfileMeta,
                           Statement)
from redline.store import db, schema as t, search
from redline.store.hashing import content_hash, id_candidates, normalise_text

MIGRATIONS = Path(__file__).parent / "migrations"
TOKEN_PREFIX = "rl_"
MAX_LIMIT = 1000


# --- results ------------------------------------------------------------------------------

from redline.results import Duplicate, IngestItem, IngestResult, Skipped  # noqa: E402  (re-exported)


class PlanExists(RedlineError):
    """A create-only :meth:`Store.save_plan` found the id taken (the API answers 409)."""


@dataclass
class TokenInfo:
    name: str
    scope: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` literally anywhere (``%`` and ``_`` escaped)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _limit(limit: int, offset: int) -> tuple[int, int]:
    if limit < 0 or offset < 0:
        raise DataError("limit and offset must not be negative")
    return min(limit, MAX_LIMIT), offset


def _insert(conn: Connection, table: sa.Table):
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL both do)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def _upsert(conn: Connection, table: sa.Table, keys: Sequence[str], values: dict[str, Any]) -> None:
    stmt = _insert(conn, table).values(**values)
    stmt = stmt.on_conflict_do_update(index_elements=list(keys),
                                      set_={k: v for k, v in values.items() if k not in keys})
    conn.execute(stmt)


def _json(model: Any) -> Any:
    return model.model_dump(mode="json")


MEMO_KEY = "redline_memo"
MEMO_SIZE = 512


def _memo(conn: Connection) -> dict | None:
    """SQLite: a dict for results already computed on this connection (listing totals),
    emptied whenever the data may have changed; None on other databases.

    Valid while ``PRAGMA data_version`` (which changes when *another* connection or process
    commits) and the connection's own ``total_changes`` (its own writes, committed or not) stay
    the same. Called first in a read transaction, the pragma also starts the snapshot that the
    transaction's queries read, so what is stored matches the version it is stored under.
    """
    if conn.dialect.name != "sqlite":
        return None
    raw = conn.connection.driver_connection
    version = (raw.execute("PRAGMA data_version").fetchone()[0], raw.total_changes)
    held = conn.info.get(MEMO_KEY)
    if held is None or held[0] != version or len(held[1]) >= MEMO_SIZE:
        held = (version, {})
        conn.info[MEMO_KEY] = held
    return held[1]


def _statement(r: Any) -> Statement:
    return Statement(party=r.party, issue=r.issue, polarity=r.polarity, option=r.option,
                     act=r.act, red_line=bool(r.red_line), speaker=r.speaker or "",
                     quote=r.quote or "", confidence=r.confidence, document_id=r.document_id,
                     date=r.date, url=r.url)


@dataclass
class _Listing:
    """How to list and count the statements matching some filters."""

    where: list[Any]                # terms on ``statements``
    match: Any = None               # SQLite with FTS5: the MATCH term on ``statements_fts``
    key_range: list[Any] = field(default_factory=list)  # ... and since/until as rowid bounds
    fts_complete: bool = False      # MATCH and key_range hold every filter: count in FTS5 alone

    def rows(self, limit: int | None = None, offset: int = 0) -> sa.Select:
        s = t.statements.c
        if self.match is None:
            query = (sa.select(t.statements).where(*self.where)
                     .order_by(sa.nulls_last(s.date.desc()), s.id.desc()))
        else:
            # FTS5 hands back its matches by rowid, the listing key: read backwards, that is
            # newest first, so SQLite stops as soon as the page is full (no sort, and no list of
            # every match). Each match is joined to its statement by primary key.
            key = t.statements_fts.c.rowid
            query = (sa.select(t.statements).select_from(_fts_join())
                     .where(self.match, *self.key_range, *self.where).order_by(key.desc()))
        return query if limit is None else query.limit(limit).offset(offset)

    def count(self) -> sa.Select:
        if self.match is None:
            return sa.select(sa.func.count()).select_from(t.statements).where(*self.where)
        if self.fts_complete:
            return (sa.select(sa.func.count()).select_from(t.statements_fts)
                    .where(self.match, *self.key_range))
        return (sa.select(sa.func.count()).select_from(_fts_join())
                .where(self.match, *self.key_range, *self.where))


def _fts_join() -> sa.Join:
    key = t.statements_fts.c.rowid
    return t.statements_fts.join(t.statements, t.statements.c.id == key % t.LISTING_KEY_SPAN)


def _tsquery_condition(found: search.SearchText) -> Any:
    """PostgreSQL: quote or speaker matches, in the form the GIN indexes of migration 0003 serve."""
    simple = sa.literal_column("'simple'")  # a constant: the index expressions say 'simple' too
    query = sa.func.to_tsquery(simple, search.tsquery_lexeme(found.tail))
    if found.head:
        query = sa.func.tsquery_phrase(sa.func.phraseto_tsquery(simple, found.head), query)
    s = t.statements.c
    return sa.or_(sa.func.to_tsvector(simple, s.quote).op("@@")(query),
                  sa.func.to_tsvector(simple, s.speaker).op("@@")(query))


# --- the store ------------------------------------------------------------------------------

class Store:
    """One database. Create it with :func:`open_store`; call :meth:`upgrade` before first use."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = engine.url.render_as_string(hide_password=True)
        self._fts: bool | None = None  # SQLite: does the FTS5 table exist (checked once)
        # SQLite: one listing query at a time per process. Python's sqlite3 lets go of the GIL
        # around every call and every row, so listings run by several threads at once (a web
        # server's thread pool) hand the GIL back and forth dozens of times each, and each
        # costs two to three times its CPU time alone: with 8 concurrent API clients, taking
        # turns doubled throughput and halved p95. A listing holds it ~1 ms (a first count of a
        # common word, ~10 ms). PostgreSQL does the work in its own processes: no lock.
        self._listing_lock: Any = threading.Lock() if self.dialect == "sqlite" else nullcontext()

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _alembic_config(self, conn: Connection):
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        return cfg

    def upgrade(self, revision: str = "head") -> str:
        """Run the shipped Alembic migrations up to ``revision``; returns the revision reached."""
        from alembic import command

        def run(conn: Connection) -> str:
            if conn.dialect.name == "postgresql":
                # Two processes upgrading at once would both try to create the tables.
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": 7_357_001})
            command.upgrade(self._alembic_config(conn), revision)
            return self._current_revision(conn) or ""

        self._fts = None

        return db.write(self.engine, run)

    def _current_revision(self, conn: Connection) -> str | None:
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(conn).get_current_revision()

    def revision(self) -> str | None:
        with db.read(self.engine) as conn:
            return self._current_revision(conn)

    def head(self) -> str:
        from alembic.script import ScriptDirectory

        with self.engine.connect() as conn:
            return ScriptDirectory.from_config(self._alembic_config(conn)).get_current_head() or ""

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def stats(self) -> dict[str, int]:
        """Rows per table, for ``redline db info`` and health checks."""
        out = {}
        with db.read(self.engine) as conn:
            for table in (t.documents, t.statements, t.profiles, t.positions, t.plans, t.cache, t.tokens):
                out[table.name] = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        return out

    # -- documents --------------------------------------------------------------------------

    def known_hashes(self, hashes: Iterable[str]) -> dict[str, str]:
        """Which of these content hashes are stored already: hash -> document id."""
        hashes = list(dict.fromkeys(hashes))
        out: dict[str, str] = {}
        with db.read(self.engine) as conn:
            for i in range(0, len(hashes), 500):
                chunk = hashes[i:i + 500]
                rows = conn.execute(sa.select(t.documents.c.content_hash, t.documents.c.id)
                                    .where(t.documents.c.content_hash.in_(chunk)))
                out.update({h: i_ for h, i_ in rows})
        return out

    def add_documents(self, docs: Iterable[Document],
                      statements: Sequence[Sequence[Statement]] | Mapping[str, Sequence[Statement]]
                      | None = None) -> IngestResult:
        """Store documents once each (by content hash of the normalised text), in one transaction.

        ``statements`` gives each document's extracted statements (a list parallel to ``docs``,
        or a mapping from input document id), stored in the same transaction as the document,
        so a document is never half-written. A document whose id is taken by a different text
        is stored as ``id~hash8`` (listed in ``renamed``).

        ``items`` says what happened to each input, in input order (``index`` is its position in
        ``docs``): the id it was stored under, or the id of the document holding the same text.
        Only the transaction knows this: several inputs may share an id (``renamed``, keyed by
        input id, keeps one of them) or a text (the later ones duplicate the first, stored in this
        very transaction), so callers must not work it out again from ids or sources.
        """
        docs = list(docs)
        if statements is None:
            per_doc: list[Sequence[Statement]] = [()] * len(docs)
        elif isinstance(statements, Mapping):
            per_doc = [statements.get(d.id, ()) for d in docs]
        else:
            per_doc = list(statements)
            if len(per_doc) != len(docs):
                raise ValueError("statements must have one entry per document")

        def run(conn: Connection) -> IngestResult:
            result = IngestResult()

            def duplicate(index: int, source: str, existing: str) -> None:
                result.duplicates.append(Duplicate(source, existing))
                result.items.append(IngestItem(index=index, source=source, status="duplicate", id=existing,
                                               reason="the same text is stored already"))

            for index, (doc, sts) in enumerate(zip(docs, per_doc)):
                source = doc.path or doc.id
                if not normalise_text(doc.text):
                    result.skip(source, "no text")
                    result.items.append(IngestItem(index=index, source=source, status="skipped", reason="no text"))
                    continue
                digest = content_hash(doc.text)
                existing = self._id_of_hash(conn, digest)
                if existing is not None:
                    duplicate(index, source, existing)
                    continue
                stored_id = self._insert_document(conn, doc, digest)
                if stored_id is None:  # a concurrent writer stored the same text first
                    duplicate(index, source, self._id_of_hash(conn, digest) or "?")
                    continue
                if stored_id != doc.id:
                    result.renamed[doc.id] = stored_id
                result.stored.append(stored_id)
                added = self._insert_statements(conn, stored_id, sts, doc) if sts else 0
                result.statements += added
                result.items.append(IngestItem(index=index, source=source, status="stored", id=stored_id,
                                               statements=added))
            return result

        return db.write(self.engine, run)

    def _id_of_hash(self, conn: Connection, digest: str) -> str | None:
        return conn.execute(sa.select(t.documents.c.id)
                            .where(t.documents.c.content_hash == digest)).scalar_one_or_none()

    def _insert_document(self, conn: Connection, doc: Document, digest: str) -> str | None:
        """Insert; on an id clash retry under ``id~hash8``. None when the hash is taken."""
        for candidate in id_candidates(doc.id, digest):
            row = {"id": candidate, "content_hash": digest, "text": doc.text, "title": doc.title,
                   "url": doc.url, "outlet": doc.outlet, "author": doc.author, "date": doc.date,
                   "date_source": doc.date_source, "path": doc.path}
            inserted = conn.execute(_insert(conn, t.documents).values(**row).on_conflict_do_nothing()
                                    .returning(t.documents.c.id)).scalar_one_or_none()
            if inserted is not None:
                return inserted
            if self._id_of_hash(conn, digest) is not None:
                return None
        raise DataError(f"cannot store document {doc.id!r}: its id is taken", fix="give it another id")

    def _doc_row_to_model(self, row: Any) -> Document:
        return Document(id=row.id, text=row.text, title=row.title or "", url=row.url,
                        outlet=row.outlet or "", author=row.author or "", date=row.date,
                        date_source=row.date_source or "", path=row.path, content_hash=row.content_hash)

    def document(self, document_id: str) -> Document:
        with db.read(self.engine) as conn:
            row = conn.execute(sa.select(t.documents).where(t.documents.c.id == document_id)).first()
        if row is None:
            raise NotFound(f"no document {document_id!r} in the database")
        return self._doc_row_to_model(row)

    def documents(self, q: str | None = None, limit: int = 50, offset: int = 0,
                  since: dt.date | None = None, until: dt.date | None = None) -> tuple[list[Document], int]:
        """Documents newest first; ``q`` matches title or text (case-insensitive substring)."""
        limit, offset = _limit(limit, offset)
        d = t.documents.c
        where = []
        if q:
            pattern = _like(q)
            where.append(sa.or_(d.title.ilike(pattern, escape="\\"), d.text.ilike(pattern, escape="\\")))
        if since:
            where.append(d.date >= since)
        if until:
            where.append(d.date <= until)
        with db.read(self.engine) as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(t.documents).where(*where)).scalar_one()
            rows = conn.execute(sa.select(t.documents).where(*where)
                                .order_by(sa.nulls_last(d.date.desc()), d.id).limit(limit).offset(offset))
            return [self._doc_row_to_model(r) for r in rows], total

    def delete_document(self, document_id: str) -> bool:
        """Remove a document and its statements; False when there was none."""
        def run(conn: Connection) -> bool:
            conn.execute(sa.delete(t.statements).where(t.statements.c.document_id == document_id))
            return conn.execute(sa.delete(t.documents).where(t.documents.c.id == document_id)).rowcount > 0
        return db.write(self.engine, run)

    # -- statements -------------------------------------------------------------------------

    def _insert_statements(self, conn: Connection, document_id: str, sts: Sequence[Statement],
                           doc: Document | None = None) -> int:
        rows = []
        for st in sts:
            st = st if isinstance(st, Statement) else Statement.model_validate(st)
            rows.append({
                "document_id": document_id, "party": st.party, "issue": st.issue,
                "polarity": st.polarity.value, "option": st.option, "act": st.act.value,
                "red_line": st.red_line, "speaker": st.speaker, "quote": st.quote,
                "confidence": st.confidence,
                "date": st.date or (doc.date if doc else None),
                "url": st.url or (doc.url if doc else None),
            })
        if rows:
            conn.execute(sa.insert(t.statements), rows)
        return len(rows)

    def add_statements(self, document_id: str, statements: Sequence[Statement], *,
                       replace: bool = True) -> int:
        """Store a document's statements (date and url default to the document's).

        ``replace`` (the default) first removes the document's earlier statements, so
        extracting a document again does not double its statements.
        """
        def run(conn: Connection) -> int:
            row = conn.execute(sa.select(t.documents).where(t.documents.c.id == document_id)).first()
            if row is None:
                raise NotFound(f"no document {document_id!r} in the database")
            if replace:
                conn.execute(sa.delete(t.statements).where(t.statements.c.document_id == document_id))
            return self._insert_statements(conn, document_id, statements, self._doc_row_to_model(row))
        return db.write(self.engine, run)

    def statements(self, party: str | None = None, issue: str | None = None,
                   since: dt.date | None = None, until: dt.date | None = None,
                   text: str | None = None, limit: int = 50, offset: int = 0,
                   document_id: str | None = None) -> tuple[list[Statement], int]:
        """Statements newest first, and how many match in all. ``issue`` ending in ``.`` or ``*``
        matches a prefix (``alliance.*``). ``text`` is a full-text search of quote and speaker:
        its words as a phrase, the last word also as a prefix (see :mod:`redline.store.search`);
        text without a letter or digit matches nothing.

        The total is exact. It is not counted when the page shows it is the last one, and on
        SQLite a total once counted is reused on the same connection until the data changes
        (see :func:`_memo`), so paging through one listing counts it once. On SQLite, listings
        from several threads take turns (see ``_listing_lock``).
        """
        limit, offset = _limit(limit, offset)
        with self._listing_lock, db.read(self.engine) as conn:
            memo = _memo(conn)  # first: on SQLite it also fixes the snapshot the queries read
            listing = self._listing(conn, party, issue, since, until, text, document_id)
            if listing is None:
                return [], 0
            rows = conn.execute(listing.rows(limit, offset)).all()
            if limit and (0 < len(rows) < limit or (not rows and offset == 0)):
                total = offset + len(rows)  # the last page: nothing left to count
            else:
                key = ("total", party, issue, since, until, text, document_id)
                total = memo.get(key) if memo is not None else None
                if total is None:
                    total = conn.execute(listing.count()).scalar_one()
                    if memo is not None:
                        memo[key] = total
        return [_statement(r) for r in rows], total

    def all_statements(self, **filters: Any) -> list[Statement]:
        """Every statement matching ``filters`` (those of :meth:`statements`), newest first."""
        for key in ("limit", "offset"):
            filters.pop(key, None)
        with db.read(self.engine) as conn:
            listing = self._listing(conn, **filters)
            if listing is None:
                return []
            return [_statement(r) for r in conn.execute(listing.rows())]

    def _listing(self, conn: Connection, party: str | None = None, issue: str | None = None,
                 since: dt.date | None = None, until: dt.date | None = None,
                 text: str | None = None, document_id: str | None = None) -> _Listing | None:
        """The query for these filters; None when nothing can match."""
        s = t.statements.c
        where: list[Any] = []
        if party:
            where.append(s.party == party)
        issue_prefix = bool(issue) and issue.endswith(("*", "."))
        if issue:
            if issue_prefix:
                where.append(s.issue.like(_like(issue.rstrip("*"))[1:], escape="\\"))
            else:
                where.append(s.issue == issue)
        if document_id:
            where.append(s.document_id == document_id)
        if since:
            where.append(s.date >= since)
        if until:
            where.append(s.date <= until)
        if not text:
            return _Listing(where)
        found = search.parse(text)
        if found is None:
            return None
        if conn.dialect.name == "postgresql":
            return _Listing(where + [_tsquery_condition(found)])
        if not self._has_fts(conn):
            pattern = _like(text)  # SQLite without FTS5: the old substring match
            return _Listing(where + [sa.or_(s.quote.ilike(pattern, escape="\\"),
                                            s.speaker.ilike(pattern, escape="\\"))])
        key = t.statements_fts.c.rowid
        key_range = []
        if since or until:  # from day 1: an undated statement (key < 2**40) is never in a range
            key_range.append(key >= t.listing_key_day(since or dt.date.min))
        if until:
            key_range.append(key < t.listing_key_day(until) + t.LISTING_KEY_SPAN)
        # Party, issue and document are in the index too (an issue prefix is not: SQL's LIKE
        # ignores ASCII case), so FTS5 skips other parties' matches itself, and counts alone.
        match = sa.literal_column(t.STATEMENTS_FTS).op("MATCH")(search.fts5_match(
            found, party=party, issue=None if issue_prefix else issue, document=document_id))
        return _Listing(where, match, key_range, fts_complete=not issue_prefix)

    def _has_fts(self, conn: Connection) -> bool:
        """Whether this SQLite database has the FTS5 table (migration 0003 skips it without FTS5)."""
        if self._fts is None:
            self._fts = conn.execute(sa.text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :n"),
                                     {"n": t.STATEMENTS_FTS}).first() is not None
        return self._fts

    # -- profiles ---------------------------------------------------------------------------

    def load_profile(self, profile: Any) -> str:
        """Write a profile (a ``Profile``, or a name/folder for ``redline.profile.load_profile``)
        into the database, replacing what was stored under its id (suggested positions stay).
        Returns the profile id."""
        from redline.profile import Profile, load_profile

        prof: Profile = profile if isinstance(profile, Profile) else load_profile(profile)
        extra = _extra_files(prof.root)

        def run(conn: Connection) -> str:
            pid = prof.id
            for table in (t.issues, t.parties, t.plans, t.cases, t.profile_files):
                conn.execute(sa.delete(table).where(table.c.profile_id == pid))
            conn.execute(sa.delete(t.positions).where(t.positions.c.profile_id == pid,
                                                      t.positions.c.origin == "curated"))
            _upsert(conn, t.profiles, ["id"], {"id": pid, "data": _json(prof.meta),
                                                "loaded_at": dt.datetime.now(dt.timezone.utc)})
            rows = [{"profile_id": pid, "id": i.id, "ord": n, "data": _json(i)}
                    for n, i in enumerate(prof.issues.values())]
            if rows:
                conn.execute(sa.insert(t.issues), rows)
            rows = [{"profile_id": pid, "id": p.id, "ord": n, "data": _json(p)}
                    for n, p in enumerate(prof.parties.values())]
            if rows:
                conn.execute(sa.insert(t.parties), rows)
            rows = [{"profile_id": pid, "id": c.id, "ord": n, "data": _json(c)}
                    for n, c in enumerate(prof.cases.values())]
            if rows:
                conn.execute(sa.insert(t.cases), rows)
            for plan in prof.plans.values():
                self._put_plan(conn, pid, plan)
            self._put_positions(conn, pid, prof.positions, "curated")
            rows = [{"profile_id": pid, "name": name, "content": text} for name, text in extra.items()]
            if rows:
                conn.execute(sa.insert(t.profile_files), rows)
            return pid

        return db.write(self.engine, run)

    def profiles(self) -> list[ProfileMeta]:
        with db.read(self.engine) as conn:
            rows = conn.execute(sa.select(t.profiles.c.data).order_by(t.profiles.c.id))
            return [ProfileMeta.model_validate(r.data) for r in rows]

    def _require_profile(self, conn: Connection, profile_id: str) -> ProfileMeta:
        row = conn.execute(sa.select(t.profiles.c.data).where(t.profiles.c.id == profile_id)).first()
        if row is None:
            known = [r.id for r in conn.execute(sa.select(t.profiles.c.id))]
            hint = did_you_mean(profile_id, known) if known else "no profile is loaded"
            raise NotFound(f"no profile {profile_id!r} in the database: {hint} "
                           "(load one with 'redline db load-profile')")
        return ProfileMeta.model_validate(row.data)

    def profile(self, profile_id: str):
        """The stored profile as a ``redline.profile.Profile`` (its ``root`` is not a folder:
        use :meth:`export_profile` for files such as the extraction lexicon)."""
        from redline.profile import Profile

        with db.read(self.engine) as conn:
            meta = self._require_profile(conn, profile_id)

            def models(table: sa.Table, model: type) -> dict[str, Any]:
                rows = conn.execute(sa.select(table.c.data).where(table.c.profile_id == profile_id)
                                    .order_by(table.c.ord))
                out = {}
                for r in rows:
                    obj = model.model_validate(r.data)
                    out[obj.id] = obj
                return out

            issues = models(t.issues, Issue)
            parties = models(t.parties, Party)
            cases = models(t.cases, HistoricalCase)
            plan_rows = conn.execute(sa.select(t.plans.c.data).where(t.plans.c.profile_id == profile_id)
                                     .order_by(t.plans.c.id))
            plans = {p.id: p for p in (Plan.model_validate(r.data) for r in plan_rows)}
            positions = self._positions(conn, profile_id, None, "curated")
        return Profile(meta=meta, root=Path(f"db:{profile_id}"), issues=issues, parties=parties,
                       positions=positions, plans=plans, cases=cases)

    def profile_files(self, profile_id: str) -> dict[str, str]:
        """The profile's files that are not modelled (``lexicon.yaml``...): name -> text."""
        with db.read(self.engine) as conn:
            self._require_profile(conn, profile_id)
            rows = conn.execute(sa.select(t.profile_files.c.name, t.profile_files.c.content)
                                .where(t.profile_files.c.profile_id == profile_id)
                                .order_by(t.profile_files.c.name))
            return {r.name: r.content for r in rows}

    def export_profile(self, profile_id: str, directory: str | Path, *, overwrite: bool = False) -> Path:
        """Write the stored profile as a profile folder that ``load_profile()`` reads back equal."""
        from redline.store.profile_io import write_profile

        prof = self.profile(profile_id)
        return write_profile(prof, Path(directory), self.profile_files(profile_id), overwrite=overwrite)

    # -- positions --------------------------------------------------------------------------

    def _put_positions(self, conn: Connection, profile_id: str, positions: Iterable[Position],
                       origin: str) -> int:
        rows = []
        for n, pos in enumerate(positions):
            data = _json(pos)
            data["origin"] = origin
            rows.append({"profile_id": profile_id, "party": pos.party, "issue": pos.issue,
                         "since": pos.since, "origin": origin, "ord": n, "data": data})
        if rows:
            conn.execute(sa.insert(t.positions), rows)
        return len(rows)

    def _positions(self, conn: Connection, profile_id: str, as_of: dt.date | None,
                   origin: str | None) -> list[Position]:
        p = t.positions.c
        where = [p.profile_id == profile_id]
        if origin:
            where.append(p.origin == origin)
        if as_of:
            where.append(p.since <= as_of)
        rows = conn.execute(sa.select(p.data).where(*where).order_by(p.origin, p.ord, p.id))
        out = [Position.model_validate(r.data) for r in rows]
        if as_of is None:
            return out
        latest: dict[tuple[str, str, str], Position] = {}
        for pos in sorted(out, key=lambda x: x.since):
            latest[(pos.origin, pos.party, pos.issue)] = pos
        return list(latest.values())

    def positions(self, profile_id: str, as_of: dt.date | None = None,
                  origin: str | None = None) -> list[Position]:
        """Stored positions. Without ``as_of``: every dated position (the history). With it:
        each (origin, party, issue)'s latest position since on or before that date."""
        if origin not in (None, "curated", "suggested"):
            raise DataError(f"unknown origin {origin!r}", fix="use 'curated' or 'suggested'")
        with db.read(self.engine) as conn:
            self._require_profile(conn, profile_id)
            return self._positions(conn, profile_id, as_of, origin)

    def save_positions(self, profile_id: str, positions: Sequence[Position], *,
                       origin: str = "suggested", replace: bool = True) -> int:
        """Store positions of one origin (by default replacing all of that origin)."""
        if origin not in ("curated", "suggested"):
            raise DataError(f"unknown origin {origin!r}", fix="use 'curated' or 'suggested'")

        def run(conn: Connection) -> int:
            self._require_profile(conn, profile_id)
            if replace:
                conn.execute(sa.delete(t.positions).where(t.positions.c.profile_id == profile_id,
                                                          t.positions.c.origin == origin))
            return self._put_positions(conn, profile_id, positions, origin)
        return db.write(self.engine, run)

    # -- plans ------------------------------------------------------------------------------

    @staticmethod
    def _plan_row(profile_id: str, plan: Plan) -> dict[str, Any]:
        return {"profile_id": profile_id, "id": plan.id, "date": plan.date, "title": plan.title,
                "data": _json(plan), "updated_at": dt.datetime.now(dt.timezone.utc)}

    def _put_plan(self, conn: Connection, profile_id: str, plan: Plan) -> None:
        _upsert(conn, t.plans, ["profile_id", "id"], self._plan_row(profile_id, plan))

    def _create_plan(self, conn: Connection, profile_id: str, plan: Plan) -> bool:
        """Insert the plan unless its id is taken; False when it is. A concurrent creator's
        uncommitted row makes PostgreSQL wait for its outcome (SQLite writers take turns)."""
        stmt = (_insert(conn, t.plans).values(**self._plan_row(profile_id, plan))
                .on_conflict_do_nothing(index_elements=["profile_id", "id"]).returning(t.plans.c.id))
        return conn.execute(stmt).scalar_one_or_none() is not None

    def _replace_plan(self, conn: Connection, profile_id: str, plan: Plan) -> bool:
        """Update the stored plan; False when there is none (never creates one). On PostgreSQL
        an update waiting behind a concurrent delete of the row finds it gone once that commits."""
        row = self._plan_row(profile_id, plan)
        stmt = (sa.update(t.plans).where(t.plans.c.profile_id == profile_id, t.plans.c.id == plan.id)
                .values(**{k: v for k, v in row.items() if k not in ("profile_id", "id")}))
        return conn.execute(stmt).rowcount > 0

    def plans(self, profile_id: str) -> list[Plan]:
        """The profile's plans, oldest first."""
        with db.read(self.engine) as conn:
            self._require_profile(conn, profile_id)
            rows = conn.execute(sa.select(t.plans.c.data).where(t.plans.c.profile_id == profile_id)
                                .order_by(t.plans.c.date, t.plans.c.id))
            return [Plan.model_validate(r.data) for r in rows]

    def plan(self, profile_id: str, plan_id: str) -> Plan:
        with db.read(self.engine) as conn:
            self._require_profile(conn, profile_id)
            row = conn.execute(sa.select(t.plans.c.data).where(t.plans.c.profile_id == profile_id,
                                                               t.plans.c.id == plan_id)).first()
            if row is None:
                known = [r.id for r in conn.execute(sa.select(t.plans.c.id)
                                                    .where(t.plans.c.profile_id == profile_id))]
                raise NotFound(f"unknown plan {plan_id!r}: {did_you_mean(plan_id, known or ['(none)'])}")
            return Plan.model_validate(row.data)

    def save_plan(self, profile_id: str, plan: Plan | Mapping[str, Any], *,
                  mode: Literal["upsert", "create", "replace"] = "upsert") -> Plan:
        """Save a plan after checking it against the stored profile (parties, issues, options,
        parameters); raises ``ProfileErrors`` listing every problem.

        ``mode``: ``upsert`` creates or replaces; ``create`` raises :class:`PlanExists` when the
        id is taken; ``replace`` raises ``NotFound`` when it is not. The existence check is the
        write itself (an insert that does nothing on a taken id, an update of the existing row),
        in the one transaction: checked beforehand, two creators would both be told they created
        the plan, and a replace racing a delete would bring the deleted plan back."""
        from redline.profile import ProfileErrors, check_plan
        from redline.yamlio import validate

        if not isinstance(plan, Plan):
            plan = validate(Plan, dict(plan), file=Path("<plan>"))
        prof = self.profile(profile_id)
        errors: list[DataError] = []
        check_plan(prof, plan, Path(f"<plan {plan.id}>"), None, errors)
        if errors:
            raise ProfileErrors(errors)

        if mode not in ("upsert", "create", "replace"):
            raise ValueError(f"unknown save mode {mode!r}")

        def run(conn: Connection) -> Plan:
            self._require_profile(conn, profile_id)
            if mode == "upsert":
                self._put_plan(conn, profile_id, plan)
            elif mode == "create":
                if not self._create_plan(conn, profile_id, plan):
                    raise PlanExists(f"plan {plan.id!r} exists in profile {profile_id!r}")
            elif not self._replace_plan(conn, profile_id, plan):
                raise NotFound(f"no saved plan {plan.id!r} in profile {profile_id!r}")
            return plan
        return db.write(self.engine, run)

    def delete_plan(self, profile_id: str, plan_id: str) -> None:
        def run(conn: Connection) -> int:
            self._require_profile(conn, profile_id)
            return conn.execute(sa.delete(t.plans).where(t.plans.c.profile_id == profile_id,
                                                         t.plans.c.id == plan_id)).rowcount
        if not db.write(self.engine, run):
            raise NotFound(f"unknown plan {plan_id!r} in profile {profile_id!r}")

    # -- cache ------------------------------------------------------------------------------

    def cached(self, kind: str, key: str) -> str | None:
        """A cached JSON value (e.g. an assessment keyed by ``hashing.input_hash(...)``)."""
        with db.read(self.engine) as conn:
            return conn.execute(sa.select(t.cache.c.value).where(t.cache.c.kind == kind,
                                                                 t.cache.c.key == key)).scalar_one_or_none()

    def cache(self, kind: str, key: str, value_json: str) -> None:
        if not isinstance(value_json, str):
            value_json = json.dumps(value_json, ensure_ascii=False, default=str)
        db.write(self.engine, lambda conn: _upsert(
            conn, t.cache, ["kind", "key"],
            {"kind": kind, "key": key, "value": value_json, "created_at": dt.datetime.now(dt.timezone.utc)}))

    def clear_cache(self, kind: str | None = None) -> int:
        where = [t.cache.c.kind == kind] if kind else []
        return db.write(self.engine, lambda conn: conn.execute(sa.delete(t.cache).where(*where)).rowcount)

    # -- tokens -----------------------------------------------------------------------------

    def create_token(self, name: str, scope: str = "write") -> str:
        """A new API token; returns the secret, which is shown once: only its sha256 is stored."""
        name = name.strip()
        if not name:
            raise DataError("a token needs a name", fix="pass --name, e.g. --name analyst")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)

        def run(conn: Connection) -> None:
            row = conn.execute(sa.select(t.tokens.c.revoked_at).where(t.tokens.c.name == name)).first()
            if row is not None and row.revoked_at is None:
                raise DataError(f"a token named {name!r} exists",
                                fix=f"revoke it first ('redline token revoke --name {name}') or pick another name")
            if row is not None:
                conn.execute(sa.delete(t.tokens).where(t.tokens.c.name == name))
            conn.execute(sa.insert(t.tokens).values(name=name, token_hash=_hash_token(secret), scope=scope,
                                                    created_at=dt.datetime.now(dt.timezone.utc)))
        db.write(self.engine, run)
        return secret

    def token_info(self, secret: str) -> TokenInfo | None:
        """The active token this secret belongs to, compared in constant time; else None."""
        if not isinstance(secret, str) or not secret:
            return None
        digest = _hash_token(secret)
        with db.read(self.engine) as conn:
            rows = conn.execute(sa.select(t.tokens).where(t.tokens.c.revoked_at.is_(None))).all()
        found = None
        for row in rows:  # no early exit: the time taken does not depend on which token matched
            if hmac.compare_digest(row.token_hash, digest):
                found = row
        if found is None:
            return None
        return TokenInfo(found.name, found.scope, found.created_at, found.revoked_at)

    def verify_token(self, secret: str) -> bool:
        return self.token_info(secret) is not None

    def revoke_token(self, name: str) -> None:
        def run(conn: Connection) -> int:
            return conn.execute(sa.update(t.tokens).where(t.tokens.c.name == name, t.tokens.c.revoked_at.is_(None))
                                .values(revoked_at=dt.datetime.now(dt.timezone.utc))).rowcount
        if not db.write(self.engine, run):
            names = [x.name for x in self.tokens() if x.active]
            raise NotFound(f"no active token named {name!r}: "
                           f"{did_you_mean(name, names) if names else 'there are no active tokens'}")

    def tokens(self) -> list[TokenInfo]:
        with db.read(self.engine) as conn:
            rows = conn.execute(sa.select(t.tokens).order_by(t.tokens.c.created_at, t.tokens.c.id))
            return [TokenInfo(r.name, r.scope, r.created_at, r.revoked_at) for r in rows]


MODELLED = {"profile.yaml", "issues.yaml", "parties.yaml", "positions.yaml", "cases.yaml"}
MAX_EXTRA_BYTES = 2 * 1024 * 1024


def _extra_files(root: Path) -> dict[str, str]:
    """Text files of a profile folder outside the modelled ones (lexicon.yaml, notes)."""
    out: dict[str, str] = {}
    if not root.is_dir():
        return out
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or any(part.startswith((".", "__")) for part in rel.parts):
            continue
        if str(rel) in MODELLED or rel.parts[0] in ("plans", "positions"):
            continue
        if path.stat().st_size > MAX_EXTRA_BYTES:
            continue
        try:
            out[rel.as_posix()] = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
    return out


def open_store(url: str | None = None, *, upgrade: bool = False, **engine_kwargs: Any) -> Store:
    """Open the project database: ``url`` (a URL or an SQLite file path), else
    ``$REDLINE_DATABASE_URL``, else ``redline.sqlite3`` in the user's data folder.
    ``upgrade=True`` also runs the migrations (what the CLI does)."""
    store = Store(db.make_engine(db.resolve_url(url), **engine_kwargs))
    if upgrade:
        store.upgrade()
    return store
