"""Renderings of reports: Rich for the terminal; Markdown, HTML (Jinja2) and JSON for files."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Literal

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape
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


def id_path(value: object) -> str:
    """An id as one URL path segment: every ``/`` escaped, so an id like ``folder/a.txt`` routes
    to its page (the routes take ``{id:path}``) and ``../../etc/passwd`` stays one segment that
    the browser cannot resolve to a path outside the app."""
    from urllib.parse import quote

    return quote(str(value or ""), safe="")


def readable(text: object, labels: dict[str, str] | None = None) -> str:
    """Text with internal ids (a bound's parameter, ``troop_ceiling``) replaced by their labels,
    for pages written for readers rather than for scripts."""
    out = "" if text is None else str(text)
    for key, label in (labels or {}).items():
        if key and label:
            out = re.sub(rf"(?<![\w.]){re.escape(key)}(?![\w.])", label, out)
    return out


def parameter_labels(profile: object) -> dict[str, str]:
    """Every parameter id of a profile's issues with its label (and unit)."""
    out: dict[str, str] = {}
    for issue in getattr(profile, "issues", {}).values():
        for prm in issue.parameters:
            if prm.label:
                out[prm.id] = prm.label + (f" ({prm.unit})" if prm.unit else "")
    return out


def _num(x: object, digits: int = 2) -> str:
    return "—" if x is None else f"{float(x):.{digits}f}"


@lru_cache(maxsize=8)
def environment(autoescape: bool = True, extra_packages: tuple[str, ...] = ()) -> Environment:
    """The one Jinja2 environment of a kind (reports, and the web pages on top of them).

    ``extra_packages`` are packages whose ``templates`` folder is searched before the reports'
    own, so the web UI reuses the report templates with the same filters and escaping."""
    from redline import __version__

    loaders = [PackageLoader(pkg, "templates") for pkg in extra_packages]
    loaders.append(PackageLoader("redline.render", "templates"))
    env = Environment(loader=ChoiceLoader(loaders), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html", "html.j2"], default=True) if autoescape else False,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = md_escape
    env.filters["mdlink"] = md_link
    env.filters["href"] = safe_href
    env.filters["num"] = _num
    env.filters["json_in_html"] = json_in_html
    env.filters["readable"] = readable
    env.filters["idpath"] = id_path
    env.globals["version"] = __version__
    return env


def _env(autoescape: bool) -> Environment:
    return environment(autoescape)


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
           "json_in_html", "safe_href", "environment", "readable", "parameter_labels"]
