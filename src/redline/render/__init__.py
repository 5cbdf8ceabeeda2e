"""Renderings of reports: Rich for the terminal; Markdown, HTML (Jinja2) and JSON for files."""

from __future__ import annotations

import json
import re
from typing import Literal

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from pydantic import BaseModel

Format = Literal["terminal", "md", "json", "html"]
FORMATS = ("terminal", "md", "json", "html")

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md_escape(value: object) -> str:
    """Escape untrusted text for Markdown: no markup, no raw HTML, no table breaks."""
    text = "" if value is None else str(value)
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def md_link(url: object) -> str:
    u = str(url or "")
    if not u.startswith(("http://", "https://")):
        return md_escape(u)
    return "<" + u.replace(">", "%3E").replace("<", "%3C").replace(" ", "%20") + ">"


def safe_href(url: object) -> str:
    """Only http(s) links become hrefs: a javascript: URL in data must not become clickable."""
    u = str(url or "")
    return u if u.startswith(("http://", "https://")) else "#"


def _num(x: object, digits: int = 2) -> str:
    return "—" if x is None else f"{float(x):.{digits}f}"


def _env(autoescape: bool) -> Environment:
    env = Environment(loader=PackageLoader("redline.render", "templates"), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html", "html.j2"], default=True) if autoescape else False,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = md_escape
    env.filters["mdlink"] = md_link
    env.filters["href"] = safe_href
    env.filters["num"] = _num
    return env


def render_markdown(template: str, **context: object) -> str:
    return _env(False).get_template(f"{template}.md.j2").render(**context)


def render_html(template: str, **context: object) -> str:
    return _env(True).get_template(f"{template}.html.j2").render(**context)


def render_json(obj: BaseModel) -> str:
    return obj.model_dump_json(indent=2)


def json_in_html(obj: object) -> Markup:
    """JSON safe to embed in a <script type=application/json> block: no tag can be closed from data."""
    text = json.dumps(obj, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


__all__ = ["FORMATS", "Format", "md_escape", "render_markdown", "render_html", "render_json", "escape",
           "json_in_html", "safe_href"]
