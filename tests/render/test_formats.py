"""Every output format, and escaping of untrusted text in each."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from redline.assess import Assessment, assess, compare
from redline.profile import load_profile
from redline.render import render_html, render_json, render_markdown

TOY = Path(__file__).parents[1] / "fixtures" / "profiles" / "toy"
PAYLOAD = '<script>alert(1)</script><img src=x onerror="alert(2)"> | **bold** [x](javascript:alert(3))'


@pytest.fixture
def hostile(tmp_path: Path):
    dest = tmp_path / "toy"
    shutil.copytree(TOY, dest)
    pos = dest / "positions.yaml"
    pos.write_text(pos.read_text().replace("quote: access or nothing", f"quote: '{PAYLOAD}'")
                   .replace("url: https://example.org/nor/1", "url: 'https://example.org/nor/1?q=\"><script>'"))
    plan = dest / "plans" / "southern-terms.yaml"
    plan.write_text(plan.read_text().replace("title: Southland's terms", f"title: '{PAYLOAD}'"))
    return load_profile(dest)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs


def test_json_round_trips_and_is_stable():
    prof = load_profile(TOY)
    a = assess(prof, "southern-terms")
    data = json.loads(render_json(a))
    assert data["schema_version"] == "2"
    assert data["verdict"]["label"] == "capitulation by NOR"
    assert Assessment.model_validate(data) == a


def test_markdown_has_the_sections():
    prof = load_profile(TOY)
    md = render_markdown("assessment", a=assess(prof, "southern-terms"))
    for heading in ("## Verdict: capitulation by NOR", "## Per party", "## Red lines crossed",
                    "## Durability checklist"):
        assert heading in md
    cmp_md = render_markdown("comparison", c=compare(prof, "southern-terms", "mediator-draft"))
    assert "~~stay out of~~" in cmp_md and "**+use+**" in cmp_md


def test_html_escapes_untrusted_text(hostile):
    html = render_html("assessment", a=assess(hostile, "southern-terms"))
    parser = Tags()
    parser.feed(html)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert not any(name.startswith("on") for name, _ in parser.attrs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Content-Security-Policy" in html


def test_markdown_escapes_untrusted_text(hostile):
    md = render_markdown("assessment", a=assess(hostile, "southern-terms"))
    import re

    assert not re.search(r"(?<!\\)<(script|img)", md) and "](javascript:" not in md
    assert r"\<script\>" in md
