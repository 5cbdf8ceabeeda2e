"""Questions: issues that cannot be settled one by one, bargained over as one.

Two propositions are often not independent: Ukraine cannot both leave the rest of Donbas and see
Russia withdraw to the 1991 borders, and a neutral Ukraine does not join NATO. A profile's
``questions.yaml`` groups such issues into a *question* with the combinations that can hold
together (named options, or every combination less the ones it forbids). A party's conditional
stance ("acceptable only if guarantees are at least bilateral") ties two issues the same way.

Before the search, every group of tied issues becomes one compound issue whose options are the
combinations that can hold together. A party's utility of a combination is the salience-weighted
mean of its utilities on the member issues, with its conditions applied, and its salience the sum
of theirs; so every package's satisfaction is exactly what it is on the separate issues, and the
exact solvers need no change: they simply never see a combination that cannot hold.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import Field

from redline.errors import DataError, did_you_mean
from redline.model import ID_PATTERN, Model
from redline.yamlio import line_of, load_yaml, validate

QUESTIONS_FILE = "questions.yaml"


class QuestionOption(Model):
    id: str = Field(pattern=ID_PATTERN)
    label: str = ""
    terms: dict[str, str]


class Question(Model):
    """Issues settled together. ``options`` name the combinations that can hold (every other is
    impossible); without them, every combination can hold except those in ``forbid``."""

    id: str = Field(pattern=ID_PATTERN)
    label: str = ""
    issues: list[str] = Field(min_length=2)
    options: list[QuestionOption] = Field(default_factory=list)
    forbid: list[dict[str, str]] = Field(default_factory=list)
    no_deal: str = Field("", description="what no deal means on this question, in words")


class QuestionList(Model):
    questions: list[Question]


@dataclass(frozen=True)
class Link:
    """A party's stance on ``options`` of ``issue`` that holds only if ``other`` is in ``allowed``."""

    party: str
    issue: str
    options: tuple[str, ...]
    other: str
    allowed: tuple[str, ...]
    red_line: bool = True


@dataclass
class Compound:
    """One merged issue of the table: its member issues and, per option, the member terms."""

    id: str
    label: str
    members: list[str]
    names: list[str] = field(default_factory=list)
    terms: list[dict[str, str]] = field(default_factory=list)
    no_deal: list[str] = field(default_factory=list)


def load_questions(root: Path, issues: dict) -> list[Question]:
    """The profile's questions, checked against its issues (none when the file is absent)."""
    file = root / QUESTIONS_FILE
    if not file.is_file():
        return []
    data = load_yaml(file)
    qs = validate(QuestionList, data, file=file).questions
    seen: dict[str, str] = {}
    for n, q in enumerate(qs):
        where = line_of(data, ["questions", n])
        for issue_id in q.issues:
            if issue_id not in issues:
                raise DataError(f"question {q.id}: unknown issue {issue_id!r}", file=file, line=where,
                                fix=did_you_mean(issue_id, issues))
            if issue_id in seen:
                raise DataError(f"issue {issue_id} is in questions {seen[issue_id]} and {q.id}", file=file,
                                line=where, fix="put an issue in one question; merge the two questions")
            seen[issue_id] = q.id
        for terms in [o.terms for o in q.options] + list(q.forbid):
            for issue_id, option in terms.items():
                if issue_id not in q.issues:
                    raise DataError(f"question {q.id}: {issue_id} is not one of its issues", file=file,
                                    line=where, fix=f"use {q.issues}")
                if option not in issues[issue_id].option_ids:
                    raise DataError(f"question {q.id}: {issue_id} has no option {option!r}", file=file,
                                    line=where, fix=f"use one of {issues[issue_id].option_ids}")
        for o in q.options:
            if set(o.terms) != set(q.issues):
                raise DataError(f"question {q.id}: option {o.id} must give an option for each of {q.issues}",
                                file=file, line=where, fix="name every issue of the question in 'terms'")
    return qs


def _groups(issues: list[str], questions: list[Question], links: list[Link]) -> list[list[str]]:
    parent = {i: i for i in issues}

    def find(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: str, b: str) -> None:
        if a in parent and b in parent:
            parent[find(a)] = find(b)

    for q in questions:
        for a, b in zip(q.issues, q.issues[1:]):
            union(a, b)
    for link in links:
        union(link.issue, link.other)
    groups: dict[str, list[str]] = {}
    for i in issues:
        groups.setdefault(find(i), []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def resolve_irreconcilable(table, links: list[Link], status_quo: dict[str, str | None],
                           red_line_value: float, other_value: float) -> list[Link]:
    """Links that lean on an issue no package can settle, judged at that issue's status quo.

    When every option of an issue crosses some party's red line, every package leaves it as it
    is. A condition on it ("a permanent ceasefire only if Hamas disarms") is then decided by the
    status quo, so it is applied to the conditioned options directly instead of tying the two
    issues into one compound — which would otherwise leave the whole compound, ceasefire
    included, at no deal. Links from such an issue are dropped (it is left open anyway). The
    table's utility and red-line arrays are replaced, not edited in place. Returns the links
    still to merge; a note says which conditions were judged this way."""
    idx = {issue: k for k, issue in enumerate(table.issues)}
    stuck = {issue for issue, k in idx.items()
             if issue not in table.fixed and bool(table.red[k].any(axis=0).all())}
    if not stuck:
        return links
    keep: list[Link] = []
    for lk in links:
        if lk.issue in stuck and lk.issue in idx:
            continue
        if lk.other not in stuck or lk.issue not in idx:
            keep.append(lk)
            continue
        sq = status_quo.get(lk.other)
        if sq is None:
            keep.append(lk)
            continue
        if sq not in lk.allowed:
            k, p = idx[lk.issue], table.parties.index(lk.party)
            u, r = table.utility[k].copy(), table.red[k].copy()
            for o in lk.options:
                if o in table.options[k]:
                    j = table.options[k].index(o)
                    if lk.red_line:
                        u[p, j], r[p, j] = red_line_value, True
                    else:
                        u[p, j] = min(u[p, j], other_value)
            table.utility[k], table.red[k] = u, r
        table.notes.append(
            f"{lk.party}'s condition on {lk.issue} ({', '.join(lk.options)} only if {lk.other} is "
            f"{' or '.join(lk.allowed)}) is judged with {lk.other} as it is ({sq}): no package can "
            f"settle {lk.other} without crossing a red line")
    return keep


def merge(table, questions: list[Question], links: list[Link], red_line_value: float,
          other_value: float):
    """The table with every group of tied issues merged into one compound issue (module doc)."""
    from redline.bargain.utility import UtilityTable

    questions = [q2 for q in questions if (q2 := _present(q, list(table.issues))) is not None]
    groups = _groups(list(table.issues), questions, links)
    if not groups:
        return table, []
    grouped = {i for g in groups for i in g}
    idx = {issue: k for k, issue in enumerate(table.issues)}
    P = len(table.parties)
    issues, options, utility, red = [], [], [], []
    sal_cols, nd_cols = [], []
    compounds: list[Compound] = []
    # Every imposed term stays in ``fixed``, under the issue the user named: on a member of a
    # question it is applied below by keeping only the combinations that hold it, and kept here
    # so that it is reported (``imposed``) and a clash with it is found as the imposed conflict
    # (packages.conflicting_red_lines) rather than left unsettled as a clash of red lines.
    fixed = dict(table.fixed)
    for issue in table.issues:
        if issue in grouped:
            continue
        k = idx[issue]
        issues.append(issue)
        options.append(list(table.options[k]))
        utility.append(table.utility[k])
        red.append(table.red[k])
        sal_cols.append(table.salience[:, k])
        nd_cols.append(table.no_deal[:, k])
    for members in groups:
        qs = [q for q in questions if set(q.issues) & set(members)]
        blocks: list[tuple[str, list[tuple[str, dict[str, str]]]]] = []
        covered: set[str] = set()
        for q in qs:
            in_table = [i for i in q.issues if i in members]
            if q.options and len(in_table) == len(q.issues):
                combos = [(o.id, dict(o.terms)) for o in q.options]
            else:
                combos = [("+".join(f"{i}={o}" for i, o in zip(in_table, opts)), dict(zip(in_table, opts)))
                          for opts in itertools.product(*(table.options[idx[i]] for i in in_table))]
            blocks.append((q.id, combos))
            covered |= set(in_table)
        for issue in members:
            if issue not in covered:
                blocks.append((issue, [(f"{issue}={o}", {issue: o}) for o in table.options[idx[issue]]]))
        forbids = [f for q in qs for f in q.forbid]
        names, terms = [], []
        for parts in itertools.product(*(b[1] for b in blocks)):
            combo: dict[str, str] = {}
            for _name, t in parts:
                combo.update(t)
            if any(all(combo.get(i) == o for i, o in f.items()) for f in forbids):
                continue
            if any(table.fixed.get(i, combo[i]) != combo[i] for i in combo):
                continue
            names.append(" + ".join(name for name, _t in parts))
            terms.append(combo)
        cid = " + ".join(b[0] for b in blocks)
        if not terms:
            raise DataError(f"no combination of {', '.join(members)} can hold together"
                            + (f" with the imposed terms {table.fixed}" if table.fixed else ""),
                            fix="check questions.yaml and --fix")
        K = len(terms)
        u = np.zeros((P, K))
        r = np.zeros((P, K), dtype=bool)
        s = np.zeros(P)
        nd = np.zeros(P)
        for p in range(P):
            party = table.parties[p]
            weights = [table.salience[p, idx[i]] for i in members]
            s[p] = sum(weights)
            if s[p] > 0:
                nd[p] = sum(w * table.no_deal[p, idx[i]] for w, i in zip(weights, members)) / s[p]
            mine = [lk for lk in links if lk.party == party and lk.issue in members and lk.other in members]
            for k, combo in enumerate(terms):
                total = 0.0
                for w, i in zip(weights, members):
                    opt = table.options[idx[i]].index(combo[i])
                    val, is_red = table.utility[idx[i]][p, opt], bool(table.red[idx[i]][p, opt])
                    for lk in mine:
                        if lk.issue == i and combo[i] in lk.options and combo[lk.other] not in lk.allowed:
                            if lk.red_line:
                                val, is_red = red_line_value, True
                            else:
                                val = min(val, other_value)
                    total += w * val
                    r[p, k] = r[p, k] or is_red
                u[p, k] = total / s[p] if s[p] > 0 else 0.0
        issues.append(cid)
        options.append(names)
        utility.append(u)
        red.append(r)
        sal_cols.append(s)
        nd_cols.append(nd)
        label = "; ".join(q.label or q.id for q in qs) if qs else "tied by a condition"
        compounds.append(Compound(cid, label, list(members), names, terms,
                                  [q.no_deal for q in qs if q.no_deal]))
    merged = UtilityTable(parties=list(table.parties), issues=issues, options=options, utility=utility,
                          salience=np.column_stack(sal_cols), red=red, no_deal=np.column_stack(nd_cols),
                          fixed=fixed, disagreement_values=dict(table.disagreement_values),
                          notes=list(table.notes), open_issues=list(table.open_issues))
    return merged, compounds


def _present(q: Question, present: list[str]) -> Question | None:
    """The question restricted to the issues someone bargains over: its named combinations apply
    only when all its issues are there; its forbids, when theirs are."""
    keep = [i for i in q.issues if i in present]
    if len(keep) < 2:
        return None
    if len(keep) == len(q.issues):
        return q
    return Question(id=q.id, label=q.label, issues=keep, no_deal=q.no_deal,
                    forbid=[f for f in q.forbid if all(i in keep for i in f)])


def compound_terms(compounds: list[Compound], issue: str, option: str) -> dict[str, str]:
    """The member terms of a compound option (or ``{issue: option}`` for an ordinary issue)."""
    for c in compounds:
        if c.id == issue and option in c.names:
            return dict(c.terms[c.names.index(option)])
    return {issue: option}


def plan_option(compound: Compound, plan_terms: dict[str, str]) -> str | None:
    """The compound option a plan takes: the one agreeing with every member the plan settles, when
    exactly one does and the plan settles them all; None when it leaves the question open or takes
    terms that cannot hold together."""
    if not all(m in plan_terms for m in compound.members):
        return None
    for name, terms in zip(compound.names, compound.terms):
        if all(terms[m] == plan_terms[m] for m in compound.members):
            return name
    return None


__all__ = ["Question", "QuestionOption", "Link", "Compound", "load_questions", "merge", "compound_terms",
           "plan_option", "QUESTIONS_FILE"]
