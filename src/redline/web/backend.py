"""What the web layer reads and writes: the profile (in memory) and the store (SQLite/PostgreSQL).

The profile's curated data never changes while the server runs, so it is read from memory; plans
saved through the API, documents, statements and tokens live in ``redline.store``. Every store
call goes through this class, so the API and the pages share one adapter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading
from functools import lru_cache
from typing import Any

from redline.errors import DataError, NotFound, RedlineError, did_you_mean
from redline.model import Document, Plan, Statement
from redline.profile import Profile, ProfileErrors, _check_plan

log = logging.getLogger("redline.web")


class StoreMissing(RedlineError):
    """The server runs without a database; endpoints that need one answer 503."""


class Conflict(RedlineError):
    """The request clashes with existing data (a bundled plan id, say); answered with 409."""


def store_available() -> bool:
    try:
        import redline.store  # noqa: F401
    except ImportError:
        return False
    return True


def open_store(url: str | None):
    """The project's store at ``url`` (None: REDLINE_DATABASE_URL or the default SQLite file)."""
    from redline.store import open_store as _open

    return _open(url, upgrade=True)


class Backend:
    def __init__(self, profile: Profile, store: Any | None = None) -> None:
        self.profile = profile
        self.store = store
        self._extractor: Any = None
        self._extractor_lock = threading.Lock()
        self._extractor_failed: str | None = None
        if store is not None:
            self._mirror_profile()

    def _mirror_profile(self) -> None:
        """Put the profile into the store once (saved plans are checked against it there).

        Only when it is missing: ``Store.load_profile`` replaces the profile's plans, so loading
        it on every start would drop the plans analysts saved through the API. Several workers
        may start at once; a loser of that race finds the profile there and carries on."""
        for attempt in range(3):
            try:
                if any(m.id == self.profile.id for m in self.store.profiles()):
                    return
                self.store.load_profile(self.profile)
                return
            except Exception as exc:  # noqa: BLE001 - retried, then reported; reads still work
                if attempt == 2:
                    log.warning("could not load profile %s into the store: %s", self.profile.id, exc)

    # --- store guard ----------------------------------------------------------------------
    def need_store(self) -> Any:
        if self.store is None:
            raise StoreMissing("this server runs without a database",
                               ) from None
        return self.store

    # --- plans ----------------------------------------------------------------------------
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
        """Cross-check a plan against the profile (ids, options, mechanisms), all problems at once."""
        errors: list[DataError] = []
        _check_plan(self.profile, plan, "<request>", None, errors)  # type: ignore[arg-type]
        if errors:
            raise ProfileErrors(errors)

    def save_plan(self, plan: Plan, *, replace: bool) -> Plan:
        store = self.need_store()
        if self.is_bundled(plan.id):
            raise Conflict(f"plan {plan.id!r} is bundled with the profile and cannot be changed; "
                           "save it under a new id")
        self.check_plan(plan)
        exists = plan.id in self.user_plans()
        if exists and not replace:
            raise Conflict(f"plan {plan.id!r} exists; use PUT /api/plans/{plan.id} to replace it")
        if not exists and replace:
            raise NotFound(f"no saved plan {plan.id!r}")
        return store.save_plan(self.profile.id, plan)

    def delete_plan(self, plan_id: str) -> None:
        store = self.need_store()
        if self.is_bundled(plan_id):
            raise Conflict(f"plan {plan_id!r} is bundled with the profile and cannot be deleted")
        store.delete_plan(self.profile.id, plan_id)

    # --- statements and documents ---------------------------------------------------------
    def statements(self, *, party: str | None = None, issue: str | None = None, since: dt.date | None = None,
                   until: dt.date | None = None, text: str | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[list[Statement], int]:
        return self.need_store().statements(party=party, issue=issue, since=since, until=until, text=text,
                                            limit=limit, offset=offset)

    def documents(self, q: str | None, limit: int, offset: int) -> tuple[list[Document], int]:
        return self.need_store().documents(q=q, limit=limit, offset=offset)

    def document(self, document_id: str) -> Document:
        return self.need_store().document(document_id)

    def document_statements(self, document_id: str, limit: int = 1000) -> list[Statement]:
        items, _ = self.need_store().statements(document_id=document_id, limit=limit, offset=0)
        return items

    def add_statements(self, document_id: str, statements: list[Statement]) -> int:
        """Append statements to a stored document, after checking their parties, issues, options."""
        store = self.need_store()
        for st in statements:
            self.profile.party(st.party)
            issue = self.profile.issue(st.issue)
            if st.option is not None and st.option not in issue.option_ids:
                raise DataError(f"option {st.option!r} is not on the scale of issue {st.issue}",
                                fix=f"use one of {issue.option_ids}")
        return store.add_statements(document_id, statements, replace=False)

    def extractor(self) -> Any | None:
        """The statement extractor for uploads, loaded once; None when it cannot load."""
        if self._extractor is not None or self._extractor_failed is not None:
            return self._extractor
        with self._extractor_lock:
            if self._extractor is None and self._extractor_failed is None:
                try:
                    from redline.ingest import load_extractor

                    self._extractor = load_extractor(self.profile)
                except Exception as exc:  # noqa: BLE001 - uploads still store the text without it
                    self._extractor_failed = f"{type(exc).__name__}: {exc}"
                    log.warning("extraction unavailable: %s", self._extractor_failed)
        return self._extractor

    def ingest(self, docs: list[Document], extract: bool = True) -> dict[str, Any]:
        """Store documents with their extracted statements, one transaction (the ingest pipeline)."""
        store = self.need_store()
        ex = self.extractor() if extract else None
        statements = None
        if ex is not None:
            known = store.known_hashes(content_hash(d.text) for d in docs)
            fresh = [d for d in docs if content_hash(d.text) not in known]
            found = dict(zip(map(id, fresh), ex(fresh))) if fresh else {}
            statements = [found.get(id(d), []) for d in docs]
        result = store.add_documents(docs, statements).to_dict()
        result["extracted"] = ex is not None
        result["note"] = "" if ex is not None or not extract else (
            f"stored without extraction ({self._extractor_failed or 'extractor not loaded'})")
        return result

    # --- tokens ---------------------------------------------------------------------------
    def verify_token(self, secret: str) -> bool:
        if self.store is None:
            return False
        return bool(self.store.verify_token(secret))

    # --- caching of derived results -------------------------------------------------------
    def cached_json(self, kind: str, key: dict, compute) -> Any:
        """A derived result (assessment, comparison, bargain) from the store's cache, or computed."""
        k = hashlib.sha256(json.dumps([self.profile_version, key], sort_keys=True, default=str)
                           .encode()).hexdigest()
        if self.store is not None:
            try:
                hit = self.store.cached(kind, k)
            except Exception:  # noqa: BLE001 - a cache miss is never an error
                hit = None
            if hit is not None:
                return json.loads(hit) if isinstance(hit, (str, bytes)) else hit
        value = compute()
        if self.store is not None:
            try:
                self.store.cache(kind, k, json.dumps(value, default=str))
            except Exception as exc:  # noqa: BLE001
                log.debug("cache write failed: %s", exc)
        return value

    @property
    def profile_version(self) -> str:
        return _profile_digest(id(self.profile), self.profile.root.as_posix(),
                               tuple(sorted(self.profile.plans)), len(self.profile.positions))


@lru_cache(maxsize=8)
def _profile_digest(_obj: int, root: str, plans: tuple, n_positions: int) -> str:
    from pathlib import Path

    h = hashlib.sha256()
    base = Path(root)
    for f in sorted(base.rglob("*.y*ml")):
        h.update(f.relative_to(base).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def content_hash(text: str) -> str:
    from redline.store import content_hash as _hash

    return _hash(text)
