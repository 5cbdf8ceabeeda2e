"""A text full of unclosed HTML-tag fragments is read in linear time (docs/hostile-input.md: under
10 s per input), and one such file never holds up the rest of a folder."""

from __future__ import annotations

import json
import time

import pytest

from redline.ingest import ingest_paths, read_file
from redline.model import Document

GOOD = "Russia will never accept NATO membership for Ukraine, Lavrov said on Tuesday."
LEAD = "Russia demands neutrality. "
# Fragments that open a tag the HTML sniffer knows and never close it ('>' never follows).
FRAGMENTS = ['"<p "', "<p ", "<a ", '<div class="', "<h1 ", "<P\t", "<img src=x "]
SIZE = 1_000_000  # the audit's file: 1 MB took about 7 minutes before


def _tagged(body: str) -> str:
    return f"<TITLE>x</TITLE><CONTENT>{LEAD}{body}</CONTENT>"


def _hostile(fragment: str) -> str:
    return fragment * (SIZE // len(fragment))


def _timed_read(path):
    start = time.perf_counter()
    items = list(read_file(path))
    return items, time.perf_counter() - start


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_one_megabyte_of_unclosed_tags_reads_well_inside_the_budget(tmp_path, fragment):
    """Every format whose text is sniffed for HTML (a tagged article's CONTENT, a JSON Lines
    record's "text") reads 1 MB of unclosed tags in a few seconds and keeps the text."""
    tagged = tmp_path / "tagged.txt"
    tagged.write_text(_tagged(_hostile(fragment)))
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "r", "text": LEAD + _hostile(fragment)}) + "\n")
    for path in (tagged, feed):
        items, elapsed = _timed_read(path)
        assert elapsed < 5, f"{path.name}: {elapsed:.1f} s"
        [doc] = items
        assert isinstance(doc, Document) and doc.text.startswith(LEAD.strip())


def test_a_hostile_file_does_not_hold_up_the_folder(store, tmp_path):
    """The audit's folder: the 1 MB file and a good one are both stored, in well under 10 s."""
    folder = tmp_path / "redos_dir"
    folder.mkdir()
    (folder / "tagged_p_1mb.txt").write_text(_tagged(_hostile('"<p "')))
    (folder / "plain_ok.txt").write_text(GOOD)
    start = time.perf_counter()
    result = ingest_paths(store, [folder])
    assert time.perf_counter() - start < 10
    assert sorted(result.stored) == ["plain_ok", "tagged_p_1mb"] and not result.skipped


@pytest.mark.parametrize("html", [
    '<p class="lead">{t}</p><script>var x = "<p>";</script>',
    "<div><span>{t}</span><br/><a href='https://example.org/a?b=1&c=2'>more</a></div>",
    "<h2 id=x>{t}</h2>\n<ul><li>one</li></ul><style>p {{color: red}}</style>",
])
def test_html_in_tagged_content_is_still_stripped(tmp_path, html):
    """Tags with attributes are still found, so the markup never reaches the stored text."""
    f = tmp_path / "tagged.txt"
    f.write_text(_tagged(html.format(t=GOOD)))
    [doc] = list(read_file(f))
    assert GOOD in doc.text
    assert "<" not in doc.text and "var x" not in doc.text and "color" not in doc.text
