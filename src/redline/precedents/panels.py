"""Rich panels for what views.py does not show: ranking components, outcomes, hold rates, summaries.

Separate from ``views.py`` (owned with the web UI) so both can change independently; the CLI and
``redline assess`` print these after the existing views.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from redline.precedents.analogues import Analogues
from redline.precedents.baserates import BaseRates
from redline.precedents.outcomes import MechanismHold, Rate
from redline.precedents.search import Hit
from redline.precedents.summary import AgreementSummary

STATUS_STYLE = {"held": "green", "partly_held": "yellow", "broke_down": "red", "lapsed": "red",
                "never_in_force": "dim"}


def _table(title: str, columns: tuple[str, ...], show_lines: bool = False) -> Table:
    """A table whose columns fold long cells (agreement names, reasons, sources)."""
    t = Table(title=title, show_lines=show_lines)
    for col in columns:
        t.add_column(col, overflow="fold")
    return t


def components_view(hits: list[Hit], title: str = "Why each agreement ranks (component = value × weight)") -> Table | Text:
    if not hits or not hits[0].components:
        return Text("")
    t = _table(title, ("#", "AgtId", "score", "clauses", "type", "parties", "stage", "outcome"), show_lines=True)
    for rank, h in enumerate(hits, 1):
        comp = {c.name: c for c in h.components}

        def cell(name: str) -> Text:
            c = comp.get(name)
            return Text(f"{c.value:.2f} ×{c.weight:g}\n{c.reason}") if c else Text("—")

        out = Text("—", style="dim")
        if h.outcome:
            out = Text(f"{h.outcome.status_label}" + (f" {h.outcome.ended}" if h.outcome.ended else ""),
                       style=STATUS_STYLE.get(h.outcome.status, ""))
        t.add_row(str(rank), str(h.agreement_id), f"{h.score:.2f}", cell("clauses"), cell("type"), cell("parties"),
                  cell("stage"), out)
    return t


def analogues_view(a: Analogues | dict | None) -> Table | Text:
    """The curated agreements that settled what the plan settles, with their fate and sources."""
    if a is None:
        return Text("")
    if isinstance(a, dict):
        a = Analogues.model_validate(a)
    if not a.outcomes:
        return Text(f"Outcomes: {a.message}", style="dim")
    t = _table(f"What became of comparable agreements ({a.message}); plan mechanisms: "
               f"{', '.join(a.plan_mechanisms) or 'none'}",
               ("agreement", "outcome", "shared", "mechanisms it had", "why it held or failed", "source"),
               show_lines=True)
    for m in a.outcomes:
        o = m.outcome
        status = Text(f"{o.status_label}" + (f" ({o.ended})" if o.ended else "") + f"\n{o.held_for}",
                      style=STATUS_STYLE.get(o.status, ""))
        mech = ", ".join(o.mechanisms) or "none"
        if m.mechanisms.analogue_only:
            mech += f"\nplan lacks: {', '.join(m.mechanisms.analogue_only)}"
        t.add_row(Text(f"{o.title}\n{o.date}"), status, Text(", ".join(m.shared_terms)), Text(mech),
                  Text(m.comparison), Text(m.source, style="dim"))
    return t


def _rate(r: Rate) -> str:
    if not r.n:
        return "0/0"
    s = f"{100 * (r.share or 0):.0f}% ({r.k}/{r.n}; 95% CI {100 * (r.low or 0):.0f}–{100 * (r.high or 0):.0f}%)"
    return s + (" — too few to mean much" if r.too_few else "")


def holds_view(holds: list[MechanismHold]) -> Table | Text:
    if not holds:
        return Text("")
    t = _table("Outcome table: how often agreements with each mechanism held (decided cases only)",
               ("mechanism", "in plan", "held, with it", "held, without it"))
    for h in holds:
        t.add_row(h.mechanism, "yes" if h.in_plan else "no", _rate(h.with_mechanism), _rate(h.without_mechanism))
    return t


def directions_view(rates: BaseRates) -> Table | Text:
    """Which way each clause goes, where PA-X can tell, and why it cannot elsewhere."""
    rows = [r for r in rates.rows if r.kind == "issue"]
    if not rows:
        return Text("")
    t = _table("Direction of each clause (can PA-X tell which way it goes?)", ("clause", "codes", "direction", "note"))
    for r in rows:
        t.add_row(r.id, ", ".join(r.codes), r.direction, Text(r.note, style="dim"))
    return t


def summary_view(s: AgreementSummary) -> Group:
    parts: list = [Text(f"PA-X {s.agreement_id}: {s.name}", style="bold"),
                   Text(f"{s.date} · {s.country} · {s.process} · {s.agreement_type} · {s.stage}")]
    if s.parties:
        parts.append(Text(f"Parties: {s.parties}"))
    if s.third_parties:
        parts.append(Text(f"Third parties: {s.third_parties}"))
    parts.append(Text(s.summary))
    if s.outcome:
        o = s.outcome
        parts.append(Text(f"Outcome: {o.status_label}" + (f" ({o.ended})" if o.ended else "") +
                          f"; {o.held_for}. {o.reason} [{o.source}]", style=STATUS_STYLE.get(o.status, "")))
    return Group(*parts)


__all__ = ["components_view", "analogues_view", "holds_view", "directions_view", "summary_view"]
