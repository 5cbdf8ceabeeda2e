"""Questions and conditions: tied issues are bargained over as one, and the exact solvers still
agree with brute force over the original issues restricted to the combinations that can hold."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redline.bargain.packages import NASH_MIN_GAIN, TOL, kalai_smorodinsky, maxmin, nash
from redline.bargain.questions import Link, Question, merge
from redline.bargain.utility import UtilityRules

from .test_bargain_exact import tables

RULES = UtilityRules()
EXACT = settings(max_examples=40, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _brute(table, forbid: list[dict[str, str]], links: list[Link]):
    """Every package of the original table that no forbid rules out, scored with the links."""
    idx = {i: k for k, i in enumerate(table.issues)}
    sats = []
    for choice in itertools.product(*(range(len(o)) for o in table.options)):
        terms = {table.issues[k]: table.options[k][c] for k, c in enumerate(choice)}
        if any(all(terms[i] == o for i, o in f.items()) for f in forbid):
            continue
        row, ok = [], True
        for p, party in enumerate(table.parties):
            total = 0.0
            for k, c in enumerate(choice):
                val, red = table.utility[k][p, c], table.red[k][p, c]
                for lk in links:
                    if (lk.party == party and lk.issue == table.issues[k] and terms[lk.issue] in lk.options
                            and terms[lk.other] not in lk.allowed):
                        val, red = RULES.red_line, True
                total += table.salience[p, k] * val
                ok = ok and not red
            row.append(total / table.salience[p].sum())
        if ok:
            sats.append(row)
    return np.array(sats).reshape(-1, len(table.parties))


@st.composite
def tied(draw):
    table = draw(tables(max_issues=5, max_options=3, max_parties=3))
    if len(table.issues) < 2:
        return table, [], []
    a, b = draw(st.permutations(table.issues).map(lambda xs: xs[:2]))
    ka, kb = table.issues.index(a), table.issues.index(b)
    forbid = [{a: draw(st.sampled_from(table.options[ka])), b: draw(st.sampled_from(table.options[kb]))}]
    q = Question(id="q", issues=[a, b], forbid=forbid)
    links = []
    if len(table.issues) >= 3 and draw(st.booleans()):
        c = next(i for i in table.issues if i not in (a, b))
        kc = table.issues.index(c)
        links.append(Link(party=table.parties[0], issue=c, options=(table.options[kc][-1],), other=a,
                          allowed=tuple(table.options[ka][:1])))
    return table, [q], links


@EXACT
@given(tied())
def test_merged_questions_equal_brute_force_over_combinations_that_hold(data):
    table, questions, links = data
    merged, _ = merge(table, questions, links, RULES.red_line, RULES.other)
    forbid = [f for q in questions for f in q.forbid]
    sat = _brute(table, forbid, links)
    d = table.disagreement
    assert np.allclose(merged.disagreement, d)
    m = maxmin(merged)
    assert m.found == (len(sat) > 0)
    if len(sat):
        g = sat - d
        assert abs(m.objective - g.min(axis=1).max()) < 1e-6
        ok = (g >= NASH_MIN_GAIN).all(axis=1)
        n = nash(merged)
        assert n.found == bool(ok.any())
        if ok.any():
            assert abs(n.objective - np.log(g[ok]).sum(axis=1).max()) < 1e-6
        ks = kalai_smorodinsky(merged)
        ir = (sat >= d - 1e-9).all(axis=1)
        assert ks.found == bool(ir.any())
        # Every package the solvers return is a combination that can hold.
        for sol in (m, n, ks):
            if sol.found:
                chosen = sol.package
                for name in chosen.values():
                    for f in forbid:
                        assert not all(f"{i}={o}" in name for i, o in f.items())
    assert TOL > 0


def test_a_named_question_allows_only_its_combinations():
    table = next(iter([_two_issue_table()]))
    q = Question(id="line", issues=["x", "y"], options=[
        {"id": "both_no", "terms": {"x": "no", "y": "no"}},
        {"id": "x_only", "terms": {"x": "yes", "y": "no"}}])
    merged, compounds = merge(table, [q], [], RULES.red_line, RULES.other)
    assert merged.issues == ["line"] and merged.options == [["both_no", "x_only"]]
    assert compounds[0].terms == [{"x": "no", "y": "no"}, {"x": "yes", "y": "no"}]
    # Satisfaction of a combination is exactly the salience-weighted mean over its members.
    s = merged.satisfaction(np.array([1]))
    assert np.allclose(s, table.satisfaction(np.array([1, 0])))


def _two_issue_table():
    from redline.bargain.utility import UtilityTable
    u = [np.array([[0.2, 1.0], [1.0, 0.2]]), np.array([[1.0, 0.6], [0.6, 1.0]])]
    return UtilityTable(["A", "B"], ["x", "y"], [["no", "yes"], ["no", "yes"]], u,
                        np.array([[1.0, 0.5], [0.5, 1.0]]), [np.zeros((2, 2), bool), np.zeros((2, 2), bool)],
                        np.array([[0.2, 1.0], [1.0, 0.6]]))


def _stuck_table():
    """x: every option crosses someone's red line; y: free. A's condition: y=yes only if x=yes."""
    from redline.bargain.utility import UtilityTable
    u = [np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[0.2, 1.0], [0.2, 1.0]])]
    red = [np.array([[False, True], [True, False]]), np.zeros((2, 2), bool)]
    return UtilityTable(["A", "B"], ["x", "y"], [["no", "yes"], ["no", "yes"]], u,
                        np.array([[1.0, 1.0], [1.0, 1.0]]), red, np.array([[0.5, 0.2], [0.5, 0.2]]))


def test_a_condition_on_an_unsettleable_issue_is_judged_at_its_status_quo():
    from redline.bargain.questions import resolve_irreconcilable

    table = _stuck_table()
    before_u = [u.copy() for u in table.utility]
    link = Link(party="A", issue="y", options=("yes",), other="x", allowed=("yes",), red_line=True)
    left = resolve_irreconcilable(table, [link], {"x": "no", "y": "no"}, RULES.red_line, RULES.other)
    # No compound is formed: y stays its own question, and y=yes now crosses A's red line,
    # because x (which no package can settle) stays at its status quo, "no".
    assert left == []
    assert table.red[1][0, 1] and table.utility[1][0, 1] == RULES.red_line
    assert before_u[1][0, 1] == 1.0  # the original array was replaced, not edited
    merged, compounds = merge(table, [], left, RULES.red_line, RULES.other)
    assert merged.issues == ["x", "y"] and compounds == []
    # With the status quo inside the allowed set, the condition holds and nothing changes.
    table2 = _stuck_table()
    link2 = Link(party="A", issue="y", options=("yes",), other="x", allowed=("no",), red_line=True)
    assert resolve_irreconcilable(table2, [link2], {"x": "no"}, RULES.red_line, RULES.other) == []
    assert not table2.red[1].any()
    # Unknown status quo: the link is kept and merged as before.
    table3 = _stuck_table()
    assert resolve_irreconcilable(table3, [link], {"x": None}, RULES.red_line, RULES.other) == [link]


def test_gaza_bargain_settles_the_ceasefire_and_leaves_only_disarmament_open():
    from redline.bargain.report import bargain
    from redline.profile import load_profile

    report = bargain(load_profile("israel-hamas"), as_of=None)
    assert report.left_open == ["security.disarmament"]
    nash = report.solutions["nash"]
    package = (nash[0] if isinstance(nash, list) else nash).package
    assert any(k.startswith("ceasefire") and v for k, v in package.items())


def _grouped_fixes(profile):
    """Every (issue, option) of every issue a question of the profile groups."""
    return [(issue, option) for q in profile.questions for issue in q.issues
            for option in profile.issues[issue].option_ids]


@pytest.mark.parametrize("name", ["russia-ukraine", "israel-hamas"])
def test_a_term_imposed_on_a_question_member_is_reported_and_honoured(name):
    """`--fix ISSUE=OPTION` on an issue a question groups is kept exactly as on any other issue:
    reported under the issue the user named, and either every package holds it or the report
    stops at the imposed term's conflict (it is never left unsettled like a clash of red lines)."""
    from redline.bargain.questions import compound_terms
    from redline.bargain.report import bargain
    from redline.profile import load_profile

    profile = load_profile(name)
    fixes = _grouped_fixes(profile)
    assert fixes
    for issue, option in fixes:
        report = bargain(profile, fix={issue: option}, frontier_limit=0, time_limit=30)
        doc = report.to_dict()
        assert doc["imposed"] == {issue: option}, (issue, option)
        term = f"{issue}={option}"
        imposed = [c for c in doc["zone"]["conflicts"] if c["imposed"] is not None]
        if imposed:
            assert any(term in c["explanation"] for c in imposed), (term, imposed)
            for sols in doc["solutions"].values():
                assert not sols[0]["found"] and term in sols[0]["reason"], (term, sols[0]["reason"])
            continue
        question = next(c.id for c in report.table.compounds if issue in c.members)
        assert question not in report.left_open, term
        assert doc["solutions"]["maxmin"][0]["found"], term
        for sols in doc["solutions"].values():
            for sol in sols:
                if sol["found"]:
                    held = compound_terms(report.table.compounds, question, sol["package"][question])
                    assert held.get(issue) == option, (term, sol["name"], held)
