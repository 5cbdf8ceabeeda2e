"""Full-text search of statements (migration 0003): words and prefixes, user text taken
literally, the index kept in step with every write, the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid

import pytest
import sqlalchemy as sa

from redline.model import Document, Statement
from redline.store import open_store, search
from redline.store import schema as t

QUOTES = {
    # quote -> (party, speaker, date)
    "The red line is the island": ("NOR", "Putin", dt.date(2024, 6, 14)),
    "Red lines are not negotiable": ("NOR", "Lavrov", dt.date(2024, 6, 1)),
    "We could share the island": ("SOU", "Zelensky", dt.date(2024, 5, 2)),
    "Islanders decide, not Moscow": ("SOU", "Speaker 12", dt.date(2024, 5, 2)),
    "Talks NEAR the border resume": ("MED", "Erdoğan", dt.date(2023, 3, 29)),
    "O'Brien said a 100% ceasefire is near": ("MED", "O'Brien", None),
    "Ceasefire_now or never: \"no\" means no*": ("NOR", "Peskov", dt.date(2022, 2, 24)),
    "Résumé of the 2014-2015 Minsk talks": ("SOU", "Kuleba", dt.date(2015, 2, 12)),
}


def seed(store, quotes=QUOTES, doc_id="d1", doc_date=dt.date(2024, 1, 1)) -> None:
    sts = [Statement(party=p, issue="border.island", polarity="for", quote=q, speaker=sp, date=d)
           for q, (p, sp, d) in quotes.items()]
    store.add_documents([Document(id=doc_id, text=f"text of {doc_id}", date=doc_date)], [sts])


def quotes(store, text, **kw) -> list[str]:
    """What a search finds, checking its total both ways: from a page that holds everything,
    and counted by the database (a page of one row is not the last one when more match)."""
    items, total = store.statements(text=text, limit=1000, **kw)
    assert total == len(items)
    assert store.statements(text=text, limit=1, **kw)[1] == total
    return [s.quote for s in items]


# What each query finds (as sets; order is checked separately). The same table holds on both
# backends: the test runs once per backend.
EXPECTED = {
    "island": {"The red line is the island", "We could share the island", "Islanders decide, not Moscow"},
    "ISLAND": {"The red line is the island", "We could share the island", "Islanders decide, not Moscow"},
    "isl": {"The red line is the island", "We could share the island", "Islanders decide, not Moscow"},
    "the island": {"The red line is the island", "We could share the island"},
    "island the": set(),
    "land": set(),                                  # words, not substrings
    "red line": {"The red line is the island", "Red lines are not negotiable"},  # last word: prefix
    "red lin": {"The red line is the island", "Red lines are not negotiable"},
    "re line": set(),                               # only the last word is a prefix
    "line red": set(),                              # a phrase: order matters
    "share  the   island.": {"We could share the island"},
    "putin": {"The red line is the island"},        # the speaker is searched too
    "speaker 1": {"Islanders decide, not Moscow"},
    "o'brien": {"O'Brien said a 100% ceasefire is near"},
    "ceasefire": {"O'Brien said a 100% ceasefire is near", "Ceasefire_now or never: \"no\" means no*"},
    "résumé": {"Résumé of the 2014-2015 Minsk talks"},
    "RÉSUMÉ": {"Résumé of the 2014-2015 Minsk talks"},
    "resume": {"Talks NEAR the border resume"},     # accents are kept, on both backends
    "2014-2015": {"Résumé of the 2014-2015 Minsk talks"},
    "erdoğan": {"Talks NEAR the border resume"},
}

# User text that is query syntax in FTS5, tsquery, LIKE or SQL: always plain words (or nothing).
LITERAL = {
    '"': set(), "*": set(), "-": set(), "'": set(), "%": set(), "_": set(), "%_": set(),
    "\\": set(), "()": set(), ":": set(), "^": set(), "+": set(), "&": set(), "|": set(), "!": set(),
    "<->": set(), "''": set(), '""': set(), "*:*": set(), "\x00": set(),
    "NEAR": {"Talks NEAR the border resume", "O'Brien said a 100% ceasefire is near"},
    "near(talks border)": set(),                    # NEAR() is not an operator here
    "AND": set(), "OR": {"Ceasefire_now or never: \"no\" means no*"}, "NOT": {"Islanders decide, not Moscow",
                                                                              "Red lines are not negotiable"},
    "red*": {"The red line is the island", "Red lines are not negotiable"},
    '"red line"': {"The red line is the island", "Red lines are not negotiable"},
    "red -line": {"The red line is the island", "Red lines are not negotiable"},  # '-' is no NOT
    "red OR island": set(),                         # a phrase of three words, not a disjunction
    "quote:red": set(),                             # no column filter
    "speaker : Putin": set(),
    "{quote speaker}: red": set(),
    "100%": {"O'Brien said a 100% ceasefire is near"},
    "no*": {"Ceasefire_now or never: \"no\" means no*", "Islanders decide, not Moscow",
            "Red lines are not negotiable"},
    'means "no*"': {"Ceasefire_now or never: \"no\" means no*"},
    "ceasefire_now": {"Ceasefire_now or never: \"no\" means no*"},
    "red & line | island": set(),
    "'; DROP TABLE statements; --": set(),
    "\\'red": {"The red line is the island", "Red lines are not negotiable"},
    "a\\'b": set(),
}


@pytest.mark.parametrize("text, expected", list(EXPECTED.items()), ids=repr)
def test_text_search_finds_words_and_prefixes(store, text, expected):
    seed(store)
    assert set(quotes(store, text)) == expected


@pytest.mark.parametrize("text, expected", list(LITERAL.items()), ids=repr)
def test_user_text_is_taken_literally_and_never_errors(store, text, expected):
    seed(store)
    assert set(quotes(store, text)) == expected
    assert store.stats()["statements"] == len(QUOTES)


def test_search_lists_newest_first_and_filters_like_the_plain_listing(store):
    """Text search reads the index in listing order: same order and filters as without text."""
    seed(store)
    seed(store, {f"island report {i}": ("NOR" if i % 2 else "SOU", "", dt.date(2024, 1, 1 + i % 5))
                 for i in range(30)} | {"island undated": ("NOR", "", None)}, doc_id="d2",
         doc_date=None)
    for kw in ({}, {"party": "NOR"}, {"since": dt.date(2024, 1, 2)}, {"until": dt.date(2024, 1, 3)},
               {"since": dt.date(2024, 1, 2), "until": dt.date(2024, 1, 2), "party": "SOU"},
               {"issue": "border.*"}, {"document_id": "d2"}):
        plain = [s.quote for s in store.all_statements(**kw)]
        want = [q for q in plain if re.search(r"\bisland", q, re.I)]
        assert quotes(store, "island", **kw) == want, kw
        assert [s.quote for s in store.all_statements(text="island", **kw)] == want
    assert quotes(store, "island")[-1] == "island undated"  # no date: last
    everything = quotes(store, "island")
    assert len(everything) == 34
    pages = [store.statements(text="island", limit=7, offset=o) for o in range(0, 35, 7)]
    assert [total for _, total in pages] == [34] * 5
    assert [s.quote for page, _ in pages for s in page] == everything


def test_filters_inside_the_index_match_the_sql_filters(store):
    """Party, issue and document are matched inside FTS5 on SQLite: byte for byte, like SQL."""
    sts = [Statement(party=p, issue=i, polarity="for", quote=f"island {p} {i}")
           for p in ("NOR", "nor", "ÖST", "N") for i in ("grenze.süd", "grenze.sü", "talks", "Talks")]
    store.add_documents([Document(id="dé 1", text="one"), Document(id="d", text="two")], [sts, sts[:3]])
    everything = store.all_statements()
    for kw in ({"party": "NOR"}, {"party": "nor"}, {"party": "ÖST"}, {"party": "N"}, {"issue": "grenze.süd"},
               {"issue": "grenze.sü"}, {"issue": "talks"}, {"issue": "grenze.*"}, {"issue": "TALKS"},
               {"document_id": "dé 1"}, {"document_id": "d"}, {"party": "ÖST", "issue": "talks", "document_id": "d"}):
        want = [s.quote for s in everything
                if all(getattr(s, k) == v for k, v in kw.items() if k != "issue")
                and ("issue" not in kw or (s.issue.lower().startswith(kw["issue"][:-1].lower())
                                           if kw["issue"].endswith("*") else s.issue == kw["issue"]))]
        assert quotes(store, "island", **kw) == want, kw
        assert store.statements(text="island", limit=1, **kw)[1] == len(want), kw
    _check_index(store)


def test_index_follows_added_replaced_and_deleted_statements(store):
    seed(store)
    store.add_documents([Document(id="d2", text="second")], [[Statement(
        party="SOU", issue="talks", polarity="for", quote="A corridor for grain ships")]])
    assert quotes(store, "grain") == ["A corridor for grain ships"]
    store.add_statements("d2", [Statement(party="SOU", issue="talks", polarity="for",
                                          quote="Shipping lanes stay open")])  # replaces
    assert quotes(store, "grain") == [] and quotes(store, "lanes") == ["Shipping lanes stay open"]
    store.add_statements("d2", [Statement(party="NOR", issue="talks", polarity="against",
                                          quote="No lanes without inspections")], replace=False)
    assert set(quotes(store, "lanes")) == {"Shipping lanes stay open", "No lanes without inspections"}
    assert store.delete_document("d2")
    assert quotes(store, "lanes") == [] and len(quotes(store, "island")) == 3
    with store.engine.begin() as conn:  # the cascade from documents, and edits made in SQL
        conn.execute(sa.update(t.statements).where(t.statements.c.speaker == "Putin")
                     .values(quote="A new quote entirely", date=dt.date(2020, 1, 1)))
    assert set(quotes(store, "island")) == {"We could share the island", "Islanders decide, not Moscow"}
    assert quotes(store, "entirely") == ["A new quote entirely"]
    assert quotes(store, "entirely", until=dt.date(2020, 1, 1)) == ["A new quote entirely"]
    with store.engine.begin() as conn:  # a new date moves the statement in the listing order
        conn.execute(sa.update(t.statements).where(t.statements.c.speaker == "Zelensky")
                     .values(date=dt.date(2030, 1, 1)))
    assert quotes(store, "island", since=dt.date(2029, 1, 1)) == ["We could share the island"]
    assert quotes(store, "island") == ["We could share the island", "Islanders decide, not Moscow"]
    _check_index(store)
    with store.engine.begin() as conn:
        conn.execute(sa.delete(t.documents).where(t.documents.c.id == "d1"))
    assert store.stats()["statements"] == 0
    for word in ("island", "entirely", "red", "near", "putin"):
        assert quotes(store, word) == []
    _check_index(store)


def test_index_agrees_with_the_rows_after_many_random_writes(store):
    """Every word of every stored quote finds exactly the statements that contain it."""
    rng = random.Random(5)
    words = ["alpha", "beta", "gamma", "delta", "omega", "sigma"]

    def batch(n):
        return [Statement(party=rng.choice(["NOR", "SOU"]), issue="talks", polarity="for",
                          quote=" ".join(rng.sample(words, 3)), speaker=rng.choice(words[:2]),
                          date=rng.choice([None, dt.date(2024, 1, rng.randrange(1, 28))]))
                for _ in range(n)]

    for i in range(12):
        store.add_documents([Document(id=f"r{i}", text=f"random {i}")], [batch(rng.randrange(0, 6))])
    for i in rng.sample(range(12), 6):
        store.add_statements(f"r{i}", batch(rng.randrange(0, 4)), replace=rng.random() < 0.6)
    for i in rng.sample(range(12), 4):
        store.delete_document(f"r{i}")
    rows = store.all_statements()
    for w in words:
        want = sorted(s.quote + "|" + s.speaker for s in rows if w in (s.quote + " " + s.speaker).split())
        got = sorted(s.quote + "|" + s.speaker for s in store.all_statements(text=w))
        assert got == want, w
    _check_index(store)


def _check_index(store) -> None:
    """SQLite: the FTS5 index holds exactly the statements' words, under their listing keys.

    The index is contentless, so it is compared term by term (fts5vocab) with a fresh index
    built from the rows as they are now.
    """
    if store.dialect != "sqlite":
        return
    with store.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO statements_fts(statements_fts) VALUES ('integrity-check')")
        conn.exec_driver_sql("CREATE VIRTUAL TABLE temp.fts_expected USING fts5(quote, speaker, "
                             "party, issue, document, tokenize='unicode61 remove_diacritics 0')")
        for sid, date, quote, speaker, party, issue, doc in conn.exec_driver_sql(
                "SELECT id, date, quote, speaker, party, issue, document_id FROM statements").all():
            key = (t.listing_key_day(dt.date.fromisoformat(date)) if date else 0) + sid
            conn.exec_driver_sql("INSERT INTO temp.fts_expected(rowid, quote, speaker, party, issue, document) "
                                 "VALUES (?, ?, ?, ?, ?, ?)",
                                 (key, quote, speaker, *(v.encode().hex() for v in (party, issue, doc))))
        words = []
        for table in ("statements_fts", "fts_expected"):
            schema = "main" if table == "statements_fts" else "temp"
            conn.exec_driver_sql(f"CREATE VIRTUAL TABLE temp.v_{table} USING fts5vocab({schema}, {table}, 'instance')")
            words.append(conn.exec_driver_sql(f"SELECT term, doc, col, offset FROM temp.v_{table} "
                                              "ORDER BY doc, col, offset").all())
        for sql in ("DROP TABLE temp.v_statements_fts", "DROP TABLE temp.v_fts_expected",
                    "DROP TABLE temp.fts_expected"):
            conn.exec_driver_sql(sql)
    assert words[0] == words[1]
    assert words[0] or not store.stats()["statements"]


def test_totals_follow_writes_from_this_and_other_connections(store, db_url):
    """SQLite reuses a counted total until the data changes; it must notice every change."""
    seed(store)
    seed(store, {f"island note {i}": ("NOR", "", dt.date(2024, 2, 1)) for i in range(5)}, doc_id="d2")
    assert store.statements(text="island", limit=1)[1] == 8
    assert store.statements(party="NOR", limit=1)[1] == 8
    seed(store, {"island again": ("NOR", "", None)}, doc_id="d3")     # this store's own write
    assert store.statements(text="island", limit=1)[1] == 9
    assert store.statements(party="NOR", limit=1)[1] == 9
    other = open_store(db_url)                                       # another engine, same data
    try:
        other.delete_document("d2")
        assert store.statements(text="island", limit=1)[1] == 4
        assert store.statements(party="NOR", limit=1)[1] == 4
    finally:
        other.close()
    assert store.statements(text="island", limit=2, offset=10) == ([], 4)  # past the end: counted


def test_text_without_words_matches_nothing(store):
    seed(store)
    for text in ("%", " - ", "''", "\x00", "*", "…", "—"):
        assert store.statements(text=text) == ([], 0)
        assert store.all_statements(text=text) == []
    assert store.statements(text="")[1] == len(QUOTES)  # empty: no text filter


def test_search_query_builders():
    assert search.parse("  red   lin ") == search.SearchText("red", "lin")
    assert search.parse("(red line),") == search.SearchText("red", "line")
    assert search.parse("%") is None and search.parse("") is None and search.parse(None) is None
    assert search.fts5_query(search.parse('say "no*"')) == '"say" + "no" *'
    assert search.fts5_query(search.parse("o'brien")) == '"o" * + "brien" *'
    assert search.fts5_query(search.parse('a"b c')) == '"a""b" + "c" *'
    assert search.tsquery_lexeme("o'brien\\") == "'o''brien\\\\':*"
    assert search.fts5_match(search.parse("isl"), party="NÖ", issue=None, document="") == (
        '{quote speaker} : ("isl" *) AND party : "4ec396"')
    assert len(search.parse(" ".join(["w"] * 100)).head.split()) == search.MAX_CHUNKS - 1


def test_listing_key_matches_sqlite_julianday(store):
    if store.dialect != "sqlite":
        pytest.skip("the listing key is SQLite's")
    with store.engine.connect() as conn:
        for day in (dt.date(1, 1, 1), dt.date(1970, 1, 1), dt.date(2024, 2, 29), dt.date(9999, 12, 31)):
            jd = conn.exec_driver_sql("SELECT CAST(julianday(?) AS INTEGER)", (day.isoformat(),)).scalar()
            assert t.listing_key_day(day) == jd * t.LISTING_KEY_SPAN


def test_sqlite_reads_the_index_in_order_and_stops_early(store):
    """The plan that makes a page cheap: FTS5 first (rowid order, no sort), statements by key."""
    if store.dialect != "sqlite":
        pytest.skip("SQLite query plan")
    seed(store)
    for kw in ({}, {"party": "NOR"}, {"party": "NOR", "issue": "talks"}, {"issue": "border.*"},
               {"since": dt.date(2024, 1, 1), "until": dt.date(2024, 12, 31)}, {"document_id": "d1"}):
        with store.engine.connect() as conn:
            listing = store._listing(conn, text="island", **kw)
            sql = listing.rows(20, 0).compile(conn, compile_kwargs={"literal_binds": True})
            plan = [r[3] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
        assert plan[0].startswith("SCAN statements_fts VIRTUAL TABLE"), (kw, plan)
        assert "USING INTEGER PRIMARY KEY" in plan[1], (kw, plan)
        assert not any("TEMP B-TREE" in p for p in plan), (kw, plan)


def test_postgres_uses_the_gin_indexes(store):
    if store.dialect != "postgresql":
        pytest.skip("PostgreSQL query plan")
    seed(store)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a tiny table: make the choice visible
        listing = store._listing(conn, text="red lin")
        sql = listing.count().compile(conn, compile_kwargs={"literal_binds": True})
        plan = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}"))
    assert "ix_statements_quote_fts" in plan and "ix_statements_speaker_fts" in plan, plan


def test_postgres_lists_in_index_order_without_sorting(store):
    """Migration 0004: a page of a party's (or issue's, or all) statements newest first is read
    off an index in that order; no Sort node."""
    if store.dialect != "postgresql":
        pytest.skip("PostgreSQL query plan")
    seed(store)
    for kw, index in (({}, "ix_statements_listing"), ({"party": "NOR"}, "ix_statements_party_listing"),
                      ({"issue": "talks"}, "ix_statements_issue_listing"),
                      ({"party": "NOR", "issue": "talks"}, "ix_statements_party_issue_listing")):
        with store.engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a tiny table: make the choice visible
            sql = store._listing(conn, **kw).rows(20, 0).compile(conn, compile_kwargs={"literal_binds": True})
            plan = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}"))
        assert index in plan and "Sort" not in plan, (kw, plan)


def test_migration_indexes_existing_statements_and_downgrades(db_url):
    """Upgrading a database that already has statements makes them searchable."""
    from alembic import command

    from redline.store import db

    store = open_store(db_url)
    try:
        store.upgrade("0002")
        seed(store)
        assert store.upgrade() == store.head()
        assert set(quotes(store, "island")) == EXPECTED["island"]
        db.write(store.engine, lambda conn: command.downgrade(store._alembic_config(conn), "0002"))
        with store.engine.connect() as conn:
            names = set(sa.inspect(conn).get_table_names())
            indexes = {ix["name"] for ix in sa.inspect(conn).get_indexes("statements")}
        assert not names & t.SEARCH_OBJECTS["sqlite"]["tables"]
        assert not indexes & t.SEARCH_OBJECTS["postgresql"]["indexes"]
        seed(store, {"island added at 0002": ("NOR", "", None)}, doc_id="d2")
        store.upgrade()
        assert set(quotes(store, "island")) == EXPECTED["island"] | {"island added at 0002"}
        assert store.revision() == store.head()
    finally:
        store.close()


def test_sqlite_without_the_fts_table_falls_back_to_like(tmp_path):
    """An SQLite built without FTS5 gets no index (migration 0003 skips it): LIKE still works."""
    from importlib import util
    from pathlib import Path

    path = next((Path(t.__file__).parent / "migrations" / "versions").glob("0003_*.py"))
    spec = util.spec_from_file_location("m0003", path)
    m0003 = util.module_from_spec(spec)
    spec.loader.exec_module(m0003)
    store = open_store(str(tmp_path / "nofts.db"), upgrade=True)
    try:
        with store.engine.begin() as conn:
            for sql in m0003.SQLITE_DOWN:
                conn.exec_driver_sql(sql)
        store._fts = None
        seed(store)
        assert set(quotes(store, "island")) == EXPECTED["island"]
        assert set(quotes(store, "land")) == EXPECTED["island"]  # the old substring match
    finally:
        store.close()


# --- the same answers on both backends -----------------------------------------------------------

@pytest.fixture
def both(tmp_path):
    """An SQLite store and a PostgreSQL store, both migrated and empty."""
    from redline.store.db import make_engine, resolve_url
    from redline.store.testing import _with_search_path, postgres_base_url

    base = postgres_base_url()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = make_engine(resolve_url(base), poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    lite = open_store(str(tmp_path / "both.db"), upgrade=True)
    pg = open_store(_with_search_path(base, schema), upgrade=True)
    try:
        yield lite, pg
    finally:
        lite.close()
        pg.close()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_sqlite_and_postgres_give_the_same_results(both):
    lite, pg = both
    rng = random.Random(11)
    vocab = ["island", "islands", "Islander", "red", "line", "lines", "talks", "near", "NEAR", "o'brien",
             "résumé", "resume", "ceasefire", "not", "no", "the", "a", "Moscow", "Kyiv", "grain"]
    extra = {" ".join(rng.choice(vocab) for _ in range(rng.randrange(2, 7))) + f" #{i}":
             (rng.choice(["NOR", "SOU", "MED"]), rng.choice(["", "Putin", "Speaker 3"]),
              rng.choice([None, dt.date(2024, 1, rng.randrange(1, 29))]))
             for i in range(80)}
    for s in (lite, pg):
        seed(s)
        seed(s, extra, doc_id="d2")
    queries = list(EXPECTED) + [q for q in LITERAL if q != "\x00"]
    queries += [" ".join(rng.choice(vocab) for _ in range(rng.randrange(1, 3))) for _ in range(40)]
    queries += [rng.choice(vocab)[:rng.randrange(1, 5)] for _ in range(20)]
    for q in queries:
        for kw in ({}, {"party": "NOR"}, {"since": dt.date(2024, 1, 10)}):
            a, b = lite.statements(text=q, limit=5, **kw), pg.statements(text=q, limit=5, **kw)
            assert a == b, (q, kw)


def test_listings_from_many_threads_while_writing(store):
    """Listings take turns on SQLite (one lock per store): many threads, with a writer going,
    all finish, and every answer is consistent (the page and its total from one snapshot)."""
    import threading

    seed(store)
    errors: list[BaseException] = []

    def reader(seed_: int) -> None:
        rng = random.Random(seed_)
        try:
            for _ in range(30):
                kw = rng.choice([{"text": "island"}, {"party": "NOR"}, {"text": "note", "party": "NOR"}, {}])
                items, total = store.statements(limit=3, **kw)
                assert len(items) == min(3, total)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def writer() -> None:
        try:
            for i in range(10):
                seed(store, {f"note {i} island": ("NOR", "", dt.date(2024, 3, 1))}, doc_id=f"w{i}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(8)] + [threading.Thread(target=writer)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert not errors, errors
    assert not any(th.is_alive() for th in threads)
    assert store.statements(text="note", limit=1)[1] == store.statements(text="note", party="NOR", limit=1)[1] == 10
