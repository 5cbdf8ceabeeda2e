"""Create-only and replace-only plan saves on SQLite and PostgreSQL, with real concurrency.

POST /api/plans must never replace and PUT must never create. Whether the id is taken has to be
decided by the write itself: several threads saving at the same moment (a web server's thread
pool, or several workers) must see the same outcome as some one-at-a-time order of their saves.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

import pytest

from redline.errors import NotFound
from redline.services import Conflict, Workspace
from redline.store import PlanExists

CREATORS = 12
ROUNDS = 15


def _at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released together; each result, or the exception it raised."""
    start = threading.Barrier(len(calls))
    out: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        start.wait()
        try:
            out[i] = calls[i]()
        except Exception as exc:  # noqa: BLE001 - the outcome under test
            out[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return out


def _draft(profile, plan_id: str, title: str):
    base = next(iter(profile.plans.values()))
    return base.model_copy(update={"id": plan_id, "title": title})


def test_store_save_modes_create_and_replace(store, profile):
    store.load_profile(profile)
    draft = _draft(profile, "my-draft", "Draft")
    with pytest.raises(NotFound, match="no saved plan 'my-draft'"):
        store.save_plan(profile.id, draft, mode="replace")  # replacing never creates
    assert "my-draft" not in [p.id for p in store.plans(profile.id)]
    store.save_plan(profile.id, draft, mode="create")
    with pytest.raises(PlanExists, match="exists"):
        store.save_plan(profile.id, draft.model_copy(update={"title": "Other"}), mode="create")
    assert store.plan(profile.id, "my-draft").title == "Draft"
    store.save_plan(profile.id, draft.model_copy(update={"title": "Draft 2"}), mode="replace")
    assert store.plan(profile.id, "my-draft").title == "Draft 2"


def test_concurrent_creates_of_one_id_have_exactly_one_winner(store, profile):
    """Every creator but one is told the id exists, and the stored plan is the winner's."""
    ws = Workspace(profile, store)
    for r in range(3):
        plan_id = f"race-{r}"
        drafts = [_draft(profile, plan_id, f"writer {w}") for w in range(CREATORS)]
        out = _at_once([lambda d=d: ws.save_plan(d, replace=False) for d in drafts])
        winners = [w for w, o in enumerate(out) if not isinstance(o, Exception)]
        assert len(winners) == 1, out
        assert all(isinstance(o, Conflict) for w, o in enumerate(out) if w != winners[0]), out
        assert ws.plan(plan_id).title == f"writer {winners[0]}"


def test_a_replace_racing_a_delete_never_brings_the_plan_back(store, profile):
    """Either order of delete and replace leaves no plan: replace before delete is deleted,
    replace after delete finds nothing (NotFound). The delete always succeeds."""
    ws = Workspace(profile, store)
    draft = _draft(profile, "contested", "Contested")
    outcomes = []
    for _ in range(ROUNDS):
        ws.save_plan(draft, replace=False)
        deleted, replaced = _at_once([lambda: ws.delete_plan(draft.id), lambda: ws.save_plan(draft, replace=True)])
        assert deleted is None, deleted
        assert replaced == draft or isinstance(replaced, NotFound), replaced
        assert draft.id not in ws.user_plans()
        with pytest.raises(NotFound):
            ws.plan(draft.id)
        outcomes.append(type(replaced).__name__)
    assert set(outcomes) <= {"Plan", "NotFound"}
