"""Utilities from positions: the documented rule, indifference, no deal, overrides, bad input."""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import pytest

from redline.bargain.utility import (NO_AGREEMENT, DisagreementRule, UtilityRules, load_utility_overrides,
                                     parse_fix, utilities_from_positions)
from redline.errors import DataError, NotFound
from redline.profile import load_profile

EARLY = dt.date(2025, 1, 1)   # before BBB hardens its line on nato
LATE = dt.date(2025, 7, 1)


def row(table, party, issue):
    return dict(zip(table.options[table.issues.index(issue)],
                    table.utility[table.issues.index(issue)][table.parties.index(party)]))


def test_rule_levels_and_red_lines(mini):
    """Preferred 1.0, acceptable 0.6, other 0.2; a red line is infeasible for everyone."""
    t = utilities_from_positions(mini, EARLY)
    assert row(t, "AAA", "terr") == {"none": 0.0, "partial": 0.6, "full": 1.0}
    assert row(t, "BBB", "nato") == {"against": 0.6, "for": 1.0}
    assert row(t, "CCC", "nato") == {"against": 0.2, "for": 1.0}
    terr = t.issues.index("terr")
    assert list(t.allowed(terr)) == [False, True, False]


def test_custom_rules_change_the_levels(mini):
    t = utilities_from_positions(mini, EARLY, rules=UtilityRules(acceptable=0.5, other=0.0))
    assert row(t, "AAA", "terr")["partial"] == 0.5
    assert row(t, "CCC", "nato")["against"] == 0.0


def test_indifferent_and_absent_parties(mini):
    """No position = weight 0 on that issue; a party with no position at all is left out, noted."""
    t = utilities_from_positions(mini, EARLY)
    assert t.parties == ["AAA", "BBB", "CCC"]
    ccc = t.parties.index("CCC")
    assert t.salience[ccc, t.issues.index("terr")] == 0.0
    assert "unused" in t.open_issues and "unused" not in t.issues
    named = utilities_from_positions(mini, EARLY, parties=["AAA", "BBB", "DDD"])
    assert named.parties == ["AAA", "BBB"]
    assert any("DDD has no position" in n for n in named.notes)


def test_satisfaction_is_salience_weighted_mean(mini):
    t = utilities_from_positions(mini, EARLY)
    package = {"terr": "partial", "nato": "against", "ceasefire": "for", "sanctions": "for"}
    s = t.satisfaction(t.choice_of(package))
    aaa = (1.0 * 0.6 + 0.8 * 1.0 + 0.4 * 1.0 + 0.6 * 1.0) / (1.0 + 0.8 + 0.4 + 0.6)
    assert s[0] == pytest.approx(aaa)
    assert ((0 <= s) & (s <= 1)).all()


def test_no_deal_uses_status_quo_then_worst_acceptable(mini):
    """Status quo where named (a red-lined status quo is worth 0); else the worst option not ruled out."""
    t = utilities_from_positions(mini, EARLY)
    aaa = t.parties.index("AAA")
    by_issue = dict(zip(t.issues, t.no_deal[aaa]))
    assert by_issue == {"terr": 0.0, "nato": 1.0, "ceasefire": 0.2, "sanctions": 0.2}
    assert t.disagreement[aaa] == pytest.approx((0.8 * 1.0 + 0.4 * 0.2 + 0.6 * 0.2) / 2.8)
    zero = utilities_from_positions(mini, EARLY, disagreement=DisagreementRule(mode="zero"))
    assert (zero.disagreement == 0).all()
    worst = utilities_from_positions(mini, EARLY, disagreement=DisagreementRule(mode="worst"))
    assert dict(zip(worst.issues, worst.no_deal[aaa]))["nato"] == 1.0  # its only option left
    fixed = utilities_from_positions(mini, EARLY, disagreement=DisagreementRule(values={"BBB": 0.9}))
    assert fixed.disagreement[fixed.parties.index("BBB")] == 0.9


def test_positions_as_of_a_date(mini):
    """BBB's nato red line dates from June 2025: it clashes with AAA's only after that."""
    assert utilities_from_positions(mini, EARLY).zone_size() == 4
    late = utilities_from_positions(mini, LATE)
    assert late.zone_size() == 0


def test_leave_open_keeps_no_deal_value(mini):
    t = utilities_from_positions(mini, LATE)
    opened = t.leave_open(["nato"])
    i = opened.issues.index("nato")
    assert opened.options[i] == [NO_AGREEMENT]
    assert np.allclose(opened.utility[i][:, 0], t.no_deal[:, i])
    assert opened.zone_size() == 4


def test_utility_overrides(tmp_path, mini_dir):
    """utilities.yaml replaces the rule for one party and issue; red lines still apply."""
    folder = tmp_path / "mini"
    shutil.copytree(mini_dir, folder)
    (folder / "utilities.yaml").write_text(
        "utilities:\n"
        "  - {party: CCC, issue: nato, utilities: {against: 0.7, for: 0.9}}\n"
        "  - {party: CCC, issue: terr, salience: 0.5, utilities: {none: 0.0, partial: 1.0, full: 0.4}}\n")
    profile = load_profile(folder)
    t = utilities_from_positions(profile, EARLY)
    assert row(t, "CCC", "nato") == {"against": 0.7, "for": 0.9}
    assert row(t, "CCC", "terr") == {"none": 0.0, "partial": 1.0, "full": 0.4}
    assert t.salience[t.parties.index("CCC"), t.issues.index("terr")] == 0.5


@pytest.mark.parametrize("entry, message", [
    ("{party: CCC, issue: nato, utilities: {against: 0.7}}", "missing ['for']"),
    ("{party: CCC, issue: nato, utilities: {against: 0.7, for: 1.5}}", "must be a number in [0, 1]"),
    ("{party: XXX, issue: nato, utilities: {against: 0.7, for: 1.0}}", "unknown party id 'XXX'"),
    ("{party: CCC, issue: terr, utilities: {none: 0.1, partial: 0.5, full: 1.0}}", "no salience"),
])
def test_bad_overrides_are_clear_errors(tmp_path, mini_dir, entry, message):
    folder = tmp_path / "mini"
    shutil.copytree(mini_dir, folder)
    (folder / "utilities.yaml").write_text(f"utilities:\n  - {entry}\n")
    profile = load_profile(folder)
    with pytest.raises(DataError) as err:
        utilities_from_positions(profile, EARLY)
    assert message in str(err.value)
    assert "utilities.yaml" in str(err.value)


def test_override_file_must_be_a_list(tmp_path, mini):
    path = tmp_path / "utilities.yaml"
    path.write_text("party: CCC\n")
    with pytest.raises(DataError, match="top-level 'utilities:' list"):
        load_utility_overrides(path, mini)


def test_parse_fix(mini):
    assert parse_fix(mini, ["nato=for", "terr = partial"]) == {"nato": "for", "terr": "partial"}
    with pytest.raises(NotFound, match="did you mean"):
        parse_fix(mini, ["natoo=for"])
    with pytest.raises(NotFound, match="no option 'maybe'"):
        parse_fix(mini, ["nato=maybe"])
    with pytest.raises(DataError, match="not issue=option"):
        parse_fix(mini, ["nato"])


def test_too_few_parties_is_an_error(mini):
    with pytest.raises(DataError, match="at least two parties"):
        utilities_from_positions(mini, EARLY, parties=["AAA", "DDD"])
    with pytest.raises(NotFound):
        utilities_from_positions(mini, EARLY, parties=["AAA", "ZZZ"])
