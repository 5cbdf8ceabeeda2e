"""Per-item ingest results name where each input went, also when a batch repeats an id or a text.

Checked on SQLite and PostgreSQL through ``Workspace.ingest``, which POST /api/documents returns
as is: a client following an item's id must open that item's text (or the text it duplicates).
"""

from __future__ import annotations

from redline.model import Document
from redline.services import Workspace
from redline.store import normalise_text


def _check_items_point_at_their_texts(ws: Workspace, docs: list[Document], result) -> None:
    """The properties a client relies on, for any batch."""
    assert [it.index for it in result.items] == list(range(len(docs)))
    stored_ids = [it.id for it in result.items if it.status == "stored"]
    assert len(stored_ids) == len(set(stored_ids)), "two inputs claim the same stored document"
    assert sorted(stored_ids) == sorted(result.stored)
    for it, d in zip(result.items, docs):
        assert it.status in ("stored", "duplicate"), it
        assert normalise_text(ws.document(it.id).text) == normalise_text(d.text), (it, d.text)


def test_a_batch_repeating_an_id_reports_each_item_where_it_is(store, profile):
    ws = Workspace(profile, store)
    docs = [Document(id="dup", text="same text"), Document(id="dup", text="same text"),
            Document(id="dup", text="different text"), Document(id="dup", text="a third text"),
            Document(id="other", text="  same   text ")]
    result = ws.ingest(docs, extract=False)
    _check_items_point_at_their_texts(ws, docs, result)
    first, again, different, third, spaced = result.items
    assert (first.status, first.id) == ("stored", "dup")
    assert (again.status, again.id) == ("duplicate", "dup")
    assert "item 0 of this batch" in again.reason
    assert different.status == third.status == "stored"
    assert different.id.startswith("dup~") and third.id.startswith("dup~") and different.id != third.id
    assert (spaced.status, spaced.id) == ("duplicate", "dup")  # same text once normalised

    # The next batch finds them stored already: each item still names its own document.
    docs2 = [Document(id="dup", text="different text"), Document(id="dup", text="same text"),
             Document(id="dup", text="a fourth text")]
    result2 = ws.ingest(docs2, extract=False)
    _check_items_point_at_their_texts(ws, docs2, result2)
    assert [it.status for it in result2.items] == ["duplicate", "duplicate", "stored"]
    assert [it.id for it in result2.items][:2] == [different.id, "dup"]
    assert all(it.reason == "the same text is stored already" for it in result2.items[:2])
