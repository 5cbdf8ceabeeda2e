"""Terminal views (Rich) of search results, base rates, cases and single agreements."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from redline.precedents.baserates import BaseRates, Count
from redline.precedents.cases import CaseMatch
from redline.precedents.pax import DEPTH, Agreement, CodeTable
from redline.precedents.query import Query
from redline.precedents.search import SearchResult


def _codes(codes: dict[str, int]) -> str:
    return ", ".join(c if v == 1 else f"{c}={v}" for c, v in codes.items())


def query_view(query: Query) -> Group:
    parts: list = []
    if query.kind == "plan":
        t = Table(title=f"PA-X profile of {query.label}", show_header=True)
        for col in ("clause", "PA-X codes (any of)", "provisions"):
            t.add_column(col, overflow="fold")
        for c in query.clauses:
            t.add_row(Text(c.id), Text(", ".join(c.codes)), Text(", ".join(c.provisions)))
        parts.append(t)
    else:
        parts.append(Text(f"Query: {query.label} (compared over all {len(query.clauses)} given codes "
                          "and every other PA-X leaf code)", style="bold"))
    if query.not_expressible:
        n = Table(title="Not expressible in PA-X (left out of the comparison)")
        for col in ("clause", "provisions", "why"):
            n.add_column(col, overflow="fold")
        for u in query.not_expressible:
            n.add_row(Text(u.id), Text(", ".join(u.provisions)), Text(u.note, style="dim"))
        parts.append(n)
    if query.unmapped_provisions:
        parts.append(Text("Points outside the profile's issues and mechanisms (not compared): "
                          + ", ".join(query.unmapped_provisions), style="dim"))
    for w in query.warnings:
        parts.append(Text(f"warning: {w}", style="yellow"))
    return Group(*parts)


def hits_view(result: SearchResult) -> Table | Text:
    if not result.hits:
        return Text(f"No agreement among {result.considered:,} ({result.filters.describe()}) shares a clause "
                    "with the query.", style="dim")
    t = Table(title=f"Most similar of {result.considered:,} PA-X agreements ({result.filters.describe()})",
              show_lines=True)
    for col in ("#", "AgtId", "agreement", "score", "shared codes", "clauses missing", "agreement also has"):
        t.add_column(col, overflow="fold")
    n = len(result.query.clauses)
    for rank, h in enumerate(result.hits, 1):
        values = {c: v for m in h.matched for c, v in m.codes.items()}
        shared = ", ".join(c if values.get(c, 1) == 1 else f"{c}={values[c]}" for c in h.shared)
        missing = ", ".join(m.id for m in h.missing) or "—"
        extra = ", ".join(e.id for e in h.extra) + (f" (+{h.n_extra - len(h.extra)} more)"
                                                     if h.n_extra > len(h.extra) else "")
        t.add_row(str(rank), str(h.agreement_id),
                  Text(f"{h.name}\n{h.country}, {h.date} · {h.agreement_type} · {h.stage}/{h.stage_sub}"),
                  f"{h.score:.2f}", Text(f"{len(h.matched)}/{n} clauses: {shared}"),
                  Text(missing, style="red" if h.missing else "dim"), Text(extra or "—", style="dim"))
    return t


def cases_view(cases: list[CaseMatch]) -> Table | Text:
    if not cases:
        return Text("No historical case in the profile shares an issue with the plan.", style="dim")
    t = Table(title="Historical cases outside PA-X that share issues with the plan", show_lines=True)
    for col in ("case", "shared issues", "key provisions", "what followed", "source"):
        t.add_column(col, overflow="fold")
    for m in cases:
        c = m.case
        t.add_row(Text(f"{c.title}\n{c.date}"), Text(", ".join(m.shared_issues)),
                  Text("\n".join(f"• {p}" for p in c.provisions)), Text(c.outcome),
                  Text(c.sources[0].url, style="dim"))
    return t


def _pct(c: Count | None) -> str:
    if c is None:
        return "—"
    if not c.n:
        return "0/0"
    return f"{100 * (c.share or 0):.0f}% ({c.k}/{c.n})"


def baserates_view(rates: BaseRates) -> Group:
    head = Text(f"Base rates for {rates.label}: stage {rates.stage or '—'} ({rates.stage_basis}); "
                f"type {rates.agreement_type or '—'} ({rates.type_basis}). Unusual = under "
                f"{rates.threshold:.0%} in the reference group (the narrowest with ≥ {rates.min_group} agreements).")
    parts: list = [head]
    for title, rows in (("Clauses (any of their codes)", rates.rows), ("Single codes", rates.code_rows)):
        if not rows:
            continue
        t = Table(title=title)
        with_provisions = any(r.provisions for r in rows)
        cols = ["clause", "codes"] + (["provisions"] if with_provisions else []) + \
            ["all", "same stage", "same type", "stage & type", "flag"]
        for col in cols:
            t.add_column(col, overflow="fold")
        for r in rows:
            flag = Text("unusual", style="bold yellow") if r.unusual else Text("")
            cells = [Text(r.id), Text(", ".join(r.codes))] + ([Text(", ".join(r.provisions))] if with_provisions else [])
            t.add_row(*cells, _pct(r.overall), _pct(r.stage), _pct(r.type), _pct(r.stage_type), flag)
        parts.append(t)
    if rates.not_expressible:
        parts.append(Text("Not expressible in PA-X, so no base rate: "
                          + "; ".join(f"{u.id} ({u.note})" for u in rates.not_expressible), style="dim"))
    return Group(*parts)


def agreement_view(agt: Agreement, codes: CodeTable) -> Group:
    meta = Table(title=f"PA-X {agt.agreement_id}: {agt.name}", show_header=False)
    meta.add_column("field", style="bold")
    meta.add_column("value", overflow="fold")
    for k, v in (("date", str(agt.date)), ("country / entity", agt.country), ("process", agt.process_name),
                 ("region", agt.region), ("type (Agtp)", agt.agreement_type),
                 ("stage", f"{agt.stage} / {agt.stage_sub}"), ("status", agt.status),
                 ("conflict type", agt.conflict_type), ("pages", agt.pages), ("parties", agt.parties),
                 ("third parties", agt.third_parties), ("other agreements", agt.other_agreements),
                 ("interim", "yes" if agt.interim else "no")):
        if v:
            meta.add_row(k, Text(v))
    prov = Table(title=f"Provisions ({len(agt.provisions)} codes above 0)")
    for col in ("category", "code", "label", "value"):
        prov.add_column(col, overflow="fold")
    for code, value in agt.provisions.items():
        depth = f"{value} ({DEPTH[value]})" if codes.is_parent(code) and value in DEPTH else str(value)
        prov.add_row(Text(codes.category(code)), code, Text(codes.label(code)), depth)
    return Group(meta, prov)


__all__ = ["query_view", "hits_view", "cases_view", "baserates_view", "agreement_view"]
