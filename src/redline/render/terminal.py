"""Rich renderings for the terminal. Untrusted text is passed as Text objects, never as markup."""

from __future__ import annotations

import datetime as dt

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from redline.assess.compare import Comparison
from redline.assess.engine import Assessment
from redline.assess.rules import DEFAULT_RULES
from redline.profile import Profile

STATUS_STYLE = {"met": "green", "accepted": "cyan", "unmet": "yellow", "red line crossed": "bold red",
                "indifferent": "dim", "not settled": "dim"}


def _sat(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def _bar(x: float | None, width: int = 20) -> Text:
    if x is None:
        return Text("no position on these issues", style="dim")
    n = round(x * width)
    return Text("█" * n, style="green" if x >= 0.5 else "red") + Text("░" * (width - n), style="dim")


def plans_table(profile: Profile) -> Table:
    t = Table(title=f"Plans in profile {profile.id}", show_lines=True)
    t.add_column("plan", ratio=3, overflow="fold")
    t.add_column("date", no_wrap=True)
    for col in ("proposers", "points", "issues", "status"):
        t.add_column(col, overflow="fold")
    for plan in sorted(profile.plans.values(), key=lambda p: p.date):
        t.add_row(Text(plan.id, style="bold") + Text("\n" + plan.title, style="dim"), str(plan.date),
                  Text(", ".join(plan.proposers)), str(len(plan.provisions)), str(len(plan.terms())),
                  Text(plan.status))
    return t


STANCE_CELL = {"for": ("FOR", "green"), "against": ("AGAINST", "red")}


def positions_table(profile: Profile, as_of: dt.date | None, parties: list[str] | None = None) -> Table:
    positions = profile.positions_as_of(as_of)
    cols = parties or sorted({p for p, _ in positions},
                             key=lambda p: (p not in profile.meta.principals, p))
    t = Table(title=f"Positions as of {as_of or 'latest'} — option preferred (salience); ! = red line held; "
                    f"~ = stale (newest evidence over {DEFAULT_RULES.stale_after_days} days old)",
              show_lines=False)
    today = as_of or dt.date.today()
    t.add_column("issue")
    for c in cols:
        t.add_column(c, justify="center")
    for issue in profile.issues.values():
        row: list[Text] = [Text(issue.id)]
        for c in cols:
            pos = positions.get((c, issue.id))
            if pos is None:
                row.append(Text("·", style="dim"))
                continue
            opt = issue.option(pos.preferred)
            style = "green" if opt.polarity and opt.polarity.value == "for" else "red"
            cell = Text(pos.preferred, style=style) + Text(f" ({pos.salience:.1f})", style="dim")
            if pos.red_lines:
                cell += Text(" !", style="bold red")
            if (today - max(e.date for e in pos.evidence)).days > DEFAULT_RULES.stale_after_days:
                cell += Text(" ~", style="yellow")
            row.append(cell)
        t.add_row(*row)
    return t


def assessment_view(a: Assessment) -> Group:
    head = Text.assemble((a.plan_title, "bold"), f"\n{a.plan_id} · {a.plan_date} · scope {a.scope} · proposed by "
                         f"{', '.join(a.proposers)} · positions as of {a.as_of}")
    flags = "".join(f"\nalso: {f}" for f in a.verdict.flags)
    verdict = Panel(Text(a.verdict.label, style="bold") + Text(flags, style="yellow") +
                    Text("\n" + a.verdict.rule, style="dim") +
                    Text("\n" + "\n".join(a.verdict.reasons)), title="Verdict")
    sat = Table(title="Per party", show_lines=False)
    for col in ("party", "satisfaction", "", "demands met", "red lines crossed", "cares about, not addressed"):
        sat.add_column(col, overflow="fold")
    for p in a.parties:
        sat.add_row(Text(p.party, style="bold" if p.principal else ""), _sat(p.satisfaction), _bar(p.satisfaction),
                    f"{p.demands_met}/{p.demands_addressed}",
                    Text(", ".join(o.issue for o in p.red_lines_crossed) or "—",
                         style="red" if p.red_lines_crossed else ""),
                    Text(", ".join(u.issue for u in p.unaddressed) or "—"))
    crossed = Table(title="Red lines crossed, with evidence", show_lines=True)
    for col in ("party", "issue", "plan point", "evidence"):
        crossed.add_column(col, overflow="fold")
    for p in a.parties:
        for o in p.red_lines_crossed:
            ev = o.evidence[0]
            crossed.add_row(Text(p.party), Text(f"{o.issue} = {o.plan_option_label or o.plan_option}" +
                                                ("".join(f"\n{r}" for r in o.reasons))), Text(o.provision),
                            Text(f"“{ev.quote}” — {ev.speaker}, said {ev.date}, {ev.outlet} "
                                 f"[{ev.tier_label}]{' (stale)' if o.stale else ''}\n{ev.link}"))
    dur = Table(title="Durability checklist")
    for col in ("mechanism", "found", "where", "finding"):
        dur.add_column(col, overflow="fold")
    for item in a.durability:
        found = Text("yes" if item.found else "missing", style="green" if item.found else "yellow")
        where = ", ".join(item.provisions) + (f" ({item.how})" if item.how else "")
        dur.add_row(Text(item.label), found, Text(where + (f"\n{item.note}" if item.note else "")),
                    Text(f"{item.finding} [{item.short_reference}]", style="dim"))
    parts = [head, verdict, sat]
    if crossed.row_count:
        parts.append(crossed)
    parts.append(dur)
    unsettled = [(p.party, o) for p in a.parties for o in p.outcomes
                 if o.status == "not settled" or any(c.held is False for c in o.conditions)]
    if unsettled:
        parts.append(Text("Not settled or conditional:\n" + "\n".join(
            f"  {party} {o.issue}: {'; '.join(o.reasons)}" for party, o in unsettled), style="dim"))
    if a.evidence_notes:
        parts.append(Text("Evidence left out:\n" + "\n".join(f"  {n}" for n in a.evidence_notes),
                          style="yellow"))
    if a.provisions_unmapped:
        parts.append(Text("Points outside the profile's issues: " +
                          ", ".join(p.number for p in a.provisions_unmapped), style="dim"))
    if a.precedents:
        parts.append(precedents_view(a.precedents))
        from redline.precedents.panels import analogues_view
        parts.append(analogues_view(a.precedents.get("analogues")))
    return Group(*parts)


def precedents_view(report: dict) -> Table | Text:
    hits = report.get("hits") or []
    if not hits:
        return Text(f"Precedents: {report.get('message', 'none found')}", style="dim")
    t = Table(title="Most similar past agreements (PA-X)")
    for col in ("AgtId", "agreement", "date", "similarity", "shared clauses"):
        t.add_column(col, overflow="fold")
    for h in hits:
        outcome = h.get("outcome") or {}
        t.add_row(str(h.get("agreement_id", "")), Text(str(h.get("name", "")) + (
                      f"\n→ {outcome['status_label']}: {outcome['held_for']}" if outcome else "")), str(h.get("date", "")),
                  f"{h.get('score', 0):.2f}", Text(", ".join(h.get("shared", []))))
    return t


def comparison_view(c: Comparison) -> Group:
    t = Table(title=f"{c.before} → {c.after} (positions as of {c.as_of})", show_lines=True)
    for col in ("issue", "change", "before", "after", "redline"):
        t.add_column(col, overflow="fold")
    style = {"added": "green", "removed": "red", "changed": "yellow", "deferred": "magenta", "same": "dim"}
    for ch in c.changes:
        red = Text()
        for seg in ch.redline:
            if seg.op == "equal":
                red += Text(seg.text)
            elif seg.op == "insert":
                red += Text("{+" + seg.text.strip() + "+} ", style="green")
            else:
                red += Text("[-" + seg.text.strip() + "-] ", style="red")
        def _side(option: str | None, prov: str | None, params: dict[str, float]) -> str:
            if not prov:
                return "—"
            nums = "".join(f"\n{k} {v:,.0f}" for k, v in params.items())
            return f"{option or 'text'} (pt {prov}){nums}"
        before = _side(ch.before_option, ch.before_provision, ch.before_parameters)
        after = _side(ch.after_option, ch.after_provision, ch.after_parameters)
        effects = "".join(f"\n{e if len(e) <= 160 else e[:157] + '…'}" for e in ch.effects)
        t.add_row(Text(ch.issue or "(unmapped)"), Text(ch.change + effects, style=style[ch.change]), Text(before),
                  Text(after), red)
    p = Table(title="Per party, before → after")
    for col in ("party", "satisfaction", "red lines crossed before", "after", "newly crossed", "no longer crossed"):
        p.add_column(col, overflow="fold")
    for pc in c.parties:
        p.add_row(Text(pc.party), f"{_sat(pc.satisfaction_before)} → {_sat(pc.satisfaction_after)}",
                  Text(", ".join(pc.red_lines_before) or "—"), Text(", ".join(pc.red_lines_after) or "—"),
                  Text(", ".join(pc.red_lines_added) or "—", style="red"),
                  Text(", ".join(pc.red_lines_removed) or "—", style="green"))
    verdicts = Text(f"Verdict: {c.before_assessment.verdict.label} → {c.after_assessment.verdict.label}",
                    style="bold")
    return Group(t, p, verdicts)


def print_renderable(obj, console: Console | None = None) -> None:
    (console or Console()).print(obj)
