"""The workspace: one profile, an optional store, and every operation the adapters expose.

``redline`` commands, ``/api`` endpoints and the web pages call these methods and render what
they return (typed models), so the three cannot say different things: the same assessment
(with its PA-X precedents and base rates), the same bargaining report (``redline.bargain.report``,
with the same time limit), the same timeline, the same ingest rules. Nothing here imports the
database layer until a store is used, and nothing here knows about HTTP.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from typing import Any, Callable, Literal

from pydantic import BaseModel

from redline.errors import DataError, NotFound, RedlineError, did_you_mean
from redline.model import Document, Plan, Statement
from redline.profile import Profile, ProfileErrors
from redline.services.cache import ResultCache, cache_key
from redline.services.matrix import Matrix, matrix
from redline.services.settings import Settings, check_date, check_url, resolve_as_of

log = logging.getLogger("redline.services")


class StoreMissing(RedlineError):
    """The workspace runs without a database; operations that need one say so (HTTP 503)."""


class Conflict(RedlineError):
    """The request clashes with existing data (a bundled plan id, say); HTTP 409."""


# --- typed results -------------------------------------------------------------------------

from redline.results import Duplicate, IngestItem, IngestResult, Skipped  # noqa: E402  (one set of result models)


class StatementsAdded(BaseModel):
    document_id: str
    added: int
    duplicates: int = 0


def plan_key(plan: Plan) -> str:
    """A plan's content hash: a saved plan changed under the same id is a new cache key."""
    return hashlib.sha256(plan.model_dump_json().encode()).hexdigest()[:16]


def statement_key(st: Statement, doc: Document | None = None) -> tuple:
    """What makes two statements of a document the same statement (as the store would keep it:
    date and url default to the document's)."""
    return (st.party, st.issue, st.polarity.value, st.option, st.act.value, bool(st.red_line),
            st.speaker.strip(), st.quote.strip(), st.date or (doc.date if doc else None),
            st.url or (doc.url if doc else None))


def attach_precedents(assessment: Any, plan: Plan, profile: Profile, top: int = 5) -> Any:
    """Add the PA-X precedents, base rates and historical cases to an assessment (as
    ``redline assess`` prints them); missing PA-X data becomes a message in the section."""
    from redline.precedents import plan_precedents

    assessment.precedents = plan_precedents(plan, profile, top=top).model_dump(mode="json")
    return assessment


def assess_plan(profile: Profile, plan: Plan, as_of: dt.date | None = None,
                parties: list[str] | None = None, precedents: bool = True) -> Any:
    """The assessment ``redline assess`` prints, ``/api/assess`` answers and the plan page shows."""
    from redline.assess import assess

    for p in parties or []:
        profile.party(p)
    result = assess(profile, plan, as_of=resolve_as_of(as_of, plan), parties=parties)
    if precedents:
        attach_precedents(result, plan, profile)
    return result


def check_statement_filters(profile: Profile, party: str | None, issue: str | None) -> None:
    """Party and issue filters must be the profile's ids (an issue may be a prefix ending in '*'):
    a mistyped id is an error naming the nearest one, never an empty answer that reads as "no news"."""
    if party:
        profile.party(party)
    if issue:
        profile.issues_matching(issue)


class Workspace:
    """A profile (read once into memory), an optional store, settings and a bounded result cache."""

    def __init__(self, profile: Profile, store: Any | None = None, settings: Settings | None = None) -> None:
        self.profile = profile
        self.store = store
        self.settings = settings or Settings()
        self.cache = ResultCache(self.settings.cache_entries, self.settings.cache_bytes)
        self._extractor: Any = None
        self._extractor_lock = threading.Lock()
        self._extractor_failed: str | None = None
        if store is not None:
            self._mirror_profile()

    def _mirror_profile(self) -> None:
        """Put the profile into the store once (saved plans are checked against it there).

        Only when it is missing: ``Store.load_profile`` replaces the profile's plans, so loading
        it on every start would drop the plans analysts saved. Several workers may start at once;
        a loser of that race finds the profile there and carries on."""
        for attempt in range(3):
            try:
                if any(m.id == self.profile.id for m in self.store.profiles()):
                    return
                self.store.load_profile(self.profile)
                return
            except Exception as exc:  # noqa: BLE001 - retried, then reported; reads still work
                if attempt == 2:
                    log.warning("could not load profile %s into the store: %s", self.profile.id, exc)

    def need_store(self) -> Any:
        if self.store is None:
            raise StoreMissing("this server runs without a database")
        return self.store

    # --- plans ------------------------------------------------------------------------------
    def user_plans(self) -> dict[str, Plan]:
        """Plans saved through the API (the store also holds the bundled ones: those are skipped)."""
        if self.store is None:
            return {}
        return {p.id: p for p in self.store.plans(self.profile.id) if p.id not in self.profile.plans}

    def plans(self) -> dict[str, Plan]:
        out = dict(self.profile.plans)
        for pid, plan in self.user_plans().items():
            out.setdefault(pid, plan)
        return out

    def plan(self, plan_id: str) -> Plan:
        """A plan by id: bundled first, then saved ones. Never a file path (that would read the disk)."""
        if plan_id in self.profile.plans:
            return self.profile.plans[plan_id]
        if self.store is not None:
            try:
                return self.store.plan(self.profile.id, plan_id)
            except NotFound:
                pass
        raise NotFound(f"unknown plan {plan_id!r}: {did_you_mean(plan_id, list(self.plans()) or ['(none)'])}")

    def is_bundled(self, plan_id: str) -> bool:
        return plan_id in self.profile.plans

    def check_plan(self, plan: Plan) -> None:
        """Cross-check a plan against the profile (ids, options, mechanisms), all problems at once.

        Uses the checks ``redline validate`` runs (``profile.check_plan``)."""
        from redline.profile import check_plan

        errors: list[DataError] = []
        check_plan(self.profile, plan, "<request>", None, errors)  # type: ignore[arg-type]
        if errors:
            raise ProfileErrors(errors)

    def save_plan(self, plan: Plan, *, replace: bool) -> Plan:
        """Create a plan (``replace=False``: Conflict when the id is taken) or replace a saved one
        (NotFound when there is none: replacing never creates).

        The store decides "taken" in the transaction that writes: a check made here first would
        tell every one of several concurrent creators that it created the plan, and let a replace
        racing a delete bring the deleted plan back."""
        from redline.store import PlanExists

        store = self.need_store()
        if self.is_bundled(plan.id):
            raise Conflict(f"plan {plan.id!r} is bundled with the profile and cannot be changed; "
                           "save it under a new id")
        self.check_plan(plan)
        try:
            return store.save_plan(self.profile.id, plan, mode="replace" if replace else "create")
        except PlanExists:
            raise Conflict(f"plan {plan.id!r} exists; use PUT /api/plans/{plan.id} to replace it") from None

    def delete_plan(self, plan_id: str) -> None:
        store = self.need_store()
        if self.is_bundled(plan_id):
            raise Conflict(f"plan {plan_id!r} is bundled with the profile and cannot be deleted")
        store.delete_plan(self.profile.id, plan_id)

    # --- analysis (cached: canonical inputs, bounded) ---------------------------------------
    def _cached(self, kind: str, compute: Callable[[], Any], **inputs: Any) -> Any:
        return self.cache.get_or_compute(cache_key(kind, **inputs), compute)

    def matrix(self, as_of: dt.date | None = None, parties: list[str] | None = None,
               issues: list[str] | None = None) -> Matrix:
        as_of = resolve_as_of(as_of)
        return self._cached("matrix", lambda: matrix(self.profile, as_of, parties, issues=issues),
                            as_of=as_of, parties=parties, issues=issues)

    def positions(self, as_of: dt.date | None = None, parties: list[str] | None = None,
                  issues: list[str] | None = None) -> list[Any]:
        """The curated positions in force on ``as_of`` (omitted: today), one per (party, issue)."""
        for p in parties or []:
            self.profile.party(p)
        for i in issues or []:
            self.profile.issue(i)
        found = self.profile.positions_as_of(resolve_as_of(as_of), parties or None)
        return [pos for (p, i), pos in found.items()
                if (parties is None or p in parties) and (issues is None or i in issues)]

    def assessment(self, plan_id: str, as_of: dt.date | None = None, parties: list[str] | None = None,
                   precedents: bool = True) -> Any:
        plan = self.plan(plan_id)
        as_of = resolve_as_of(as_of, plan)
        for p in parties or []:
            self.profile.party(p)
        return self._cached("assess", lambda: assess_plan(self.profile, plan, as_of, parties, precedents),
                            plan=plan_key(plan), as_of=as_of, parties=parties, precedents=precedents)

    def comparison(self, before: str, after: str, as_of: dt.date | None = None) -> Any:
        from redline.assess import compare

        pa, pb = self.plan(before), self.plan(after)
        as_of = resolve_as_of(as_of, pa, pb)
        return self._cached("compare", lambda: compare(self.profile, pa, pb, as_of=as_of),
                            a=plan_key(pa), b=plan_key(pb), as_of=as_of)

    def bargain(self, as_of: dt.date | None = None, parties: list[str] | None = None,
                solutions: list[str] | None = None, top: int = 1, fix: dict[str, str] | None = None,
                time_limit: float | None = None) -> Any:
        """``redline bargain``'s report (``BargainResult``), with the CLI's default time limit."""
        from redline.bargain.report import bargain

        as_of = resolve_as_of(as_of)
        names = sorted(set(solutions or ["nash", "maxmin", "ks"]), key=["nash", "maxmin", "ks"].index)
        limit = min(time_limit or self.settings.bargain_time_limit, self.settings.bargain_time_limit)
        return self._cached(
            "bargain", lambda: bargain(self.profile, as_of, parties, names, top, fix or None,
                                       time_limit=limit).to_model(),
            as_of=as_of, parties=parties, solutions=names, top=top, fix=sorted((fix or {}).items()), limit=limit)

    def timeline(self, party: str, issue: str, limit: int = 1000) -> Any:
        """Curated steps and stored statements of a party on an issue (``redline timeline``'s entries)."""
        from redline.positions.timeline import profile_timeline

        self.profile.party(party)
        self.profile.issue(issue)
        statements: list[Statement] = []
        total = None
        if self.store is not None:
            statements, total = self.store.statements(party=party, issue=issue, limit=limit, offset=0)
        return profile_timeline(self.profile, party, issue, statements, total, self.store is not None)

    # --- statements and documents -------------------------------------------------------------
    def statements(self, *, party: str | None = None, issue: str | None = None, since: dt.date | None = None,
                   until: dt.date | None = None, text: str | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[list[Statement], int]:
        """Stored statements, newest first (filters checked by ``check_statement_filters``)."""
        check_statement_filters(self.profile, party, issue)
        return self.need_store().statements(party=party, issue=issue, since=since, until=until, text=text,
                                            limit=limit, offset=offset)

    def documents(self, q: str | None, limit: int, offset: int) -> tuple[list[Document], int]:
        return self.need_store().documents(q=q, limit=limit, offset=offset)

    def document(self, document_id: str) -> Document:
        return self.need_store().document(document_id)

    def document_statements(self, document_id: str, limit: int = 1000) -> list[Statement]:
        items, _ = self.need_store().statements(document_id=document_id, limit=limit, offset=0)
        return items

    def check_statement(self, st: Statement) -> None:
        """Party, issue and option must exist in the profile; date and url must be sane."""
        self.profile.party(st.party)
        issue = self.profile.issue(st.issue)
        if st.option is not None and st.option not in issue.option_ids:
            raise DataError(f"option {st.option!r} is not on the scale of issue {st.issue}",
                            fix=f"use one of {issue.option_ids}")
        check_date(st.date, "statement date")
        check_url(st.url, "statement url")

    def add_statements(self, document_id: str, statements: list[Statement]) -> StatementsAdded:
        """Append statements to a stored document; ones it already has (same party, issue,
        stance, speaker, quote, date, url) are counted, not stored again."""
        store = self.need_store()
        for st in statements:
            self.check_statement(st)
        doc = store.document(document_id)
        seen = {statement_key(s, doc) for s in self.document_statements(doc.id, limit=100_000)}
        fresh = []
        for st in statements:
            key = statement_key(st, doc)
            if key not in seen:
                seen.add(key)
                fresh.append(st)
        added = store.add_statements(doc.id, fresh, replace=False) if fresh else 0
        return StatementsAdded(document_id=doc.id, added=added, duplicates=len(statements) - len(fresh))

    def extractor(self) -> Any | None:
        """The statement extractor, loaded once; None when it cannot load (the reason is kept)."""
        if self._extractor is not None or self._extractor_failed is not None:
            return self._extractor
        with self._extractor_lock:
            if self._extractor is None and self._extractor_failed is None:
                try:
                    from redline.ingest import load_extractor

                    self._extractor = load_extractor(self.profile)
                except Exception as exc:  # noqa: BLE001 - documents are still stored without it
                    self._extractor_failed = f"{type(exc).__name__}: {exc}"
                    log.warning("extraction unavailable: %s", self._extractor_failed)
        return self._extractor

    def _extract(self, ex: Callable, docs: list[Document]) -> list[list[Statement] | Exception]:
        """Statements per document; a document the extractor fails on gets its exception, the
        others their statements (one over-long text must not cost the batch)."""
        if not docs:
            return []
        try:
            return list(ex(docs))
        except Exception:  # noqa: BLE001 - retried one by one to find the culprit(s)
            pass
        out: list[list[Statement] | Exception] = []
        for d in docs:
            try:
                out.append(list(ex([d])[0]))
            except Exception as exc:  # noqa: BLE001 - reported per document
                log.info("extraction failed on %s: %s", d.id, exc)
                out.append(exc)
        return out

    def ingest(self, docs: list[Document], extract: bool = True,
               skipped: list[Skipped] | None = None) -> IngestResult:
        """Store documents with their extracted statements; every input gets its own result.

        A document the extractor cannot read is skipped with the reason and the rest of the batch
        is stored; documents with a text already stored are reported as duplicates.

        Numbering: ``items[k].index`` is the position of the input in ``docs``, 0-based (for
        ``POST /api/documents``, its place in the request's array). A duplicate of an earlier
        input of the same batch names it by that same ``index`` ("the same text as item 0 of
        this batch (index 0, counting from 0)"); a caller that numbers its inputs otherwise (the
        upload, whose rows include files the reader rejected) re-numbers ``index`` and this
        reason together."""
        from redline.ingest.core import reading_notes
        from redline.store import content_hash

        store = self.need_store()
        ex = self.extractor() if extract else None
        items: dict[int, IngestItem] = {}
        keep: list[tuple[int, Document]] = []
        per_doc: list[list[Statement]] = []
        for i, d in enumerate(docs):
            try:
                check_date(d.date, "date")
            except DataError as exc:
                items[i] = IngestItem(index=i, source=d.path or d.id, status="skipped", reason=exc.render())
        if ex is not None:
            known = store.known_hashes(content_hash(d.text) for d in docs)
            fresh = [(i, d) for i, d in enumerate(docs) if content_hash(d.text) not in known and i not in items]
            found = dict(zip((i for i, _ in fresh), self._extract(ex, [d for _, d in fresh])))
        else:
            found = {}
        for i, d in enumerate(docs):
            if i in items:
                continue
            got = found.get(i, [])
            if isinstance(got, Exception):
                reason = f"statement extraction failed ({type(got).__name__}: {str(got)[:200]}); nothing stored"
                items[i] = IngestItem(index=i, source=d.path or d.id, status="skipped", reason=reason)
                continue
            keep.append((i, d))
            per_doc.append(got)
        result = store.add_documents([d for _, d in keep], per_doc) if keep else None
        stored = list(result.stored) if result else []
        renamed = dict(result.renamed) if result else {}
        # The store's own per-input outcomes, by position: inputs of one batch may share an id
        # (each is stored under its own name) or a text (later ones duplicate the first).
        stored_by: dict[str, int] = {}  # stored id -> the input of this batch stored under it
        for it in (result.items if result else []):
            i, d = keep[it.index]
            if it.status == "stored":
                stored_by[it.id or ""] = i
                notes = reading_notes(d, ex) if ex is not None else []
                items[i] = IngestItem(index=i, source=it.source, status="stored", id=it.id,
                                      statements=it.statements, notes=notes)
            elif it.status == "duplicate":
                earlier = stored_by.get(it.id or "")  # that input's ``index``, as in ``items``
                reason = ("the same text is stored already" if earlier is None
                          else f"the same text as item {earlier} of this batch (index {earlier}, counting from 0)")
                items[i] = IngestItem(index=i, source=it.source, status="duplicate", id=it.id, reason=reason)
            else:
                items[i] = IngestItem(index=i, source=it.source, status="skipped", reason=it.reason)
        for i, d in keep:
            if i not in items:  # a store that reports no outcome for an input
                items[i] = IngestItem(index=i, source=d.path or d.id, status="skipped", reason="not stored")
        extra = list(skipped or [])
        note = "" if ex is not None or not extract else (
            f"stored without extraction ({self._extractor_failed or 'extractor not loaded'})")
        ordered = [items[i] for i in sorted(items)]
        return IngestResult(
            stored=stored, renamed=renamed,
            duplicates=[Duplicate(source=it.source, existing_id=it.id or "?") for it in ordered
                        if it.status == "duplicate"],
            skipped=[Skipped(source=it.source, reason=it.reason) for it in ordered if it.status == "skipped"]
            + extra,
            statements=result.statements if result else 0, extracted=ex is not None, note=note,
            items=ordered)

    # --- tokens -----------------------------------------------------------------------------
    def verify_token(self, secret: str) -> bool:
        if self.store is None:
            return False
        return bool(self.store.verify_token(secret))


__all__ = ["Workspace", "StoreMissing", "Conflict", "IngestResult", "IngestItem", "Duplicate", "Skipped",
           "StatementsAdded", "assess_plan", "attach_precedents", "plan_key", "statement_key"]
