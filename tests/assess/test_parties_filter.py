"""``parties`` (``redline assess --parties``, ``/api/assess?parties=``) chooses which scorecards a
report shows; it must never change what the report says about the plan itself — the verdict is
about the profile's principals (docs/assess.md), whichever parties a reader asked to see."""

from __future__ import annotations

from itertools import combinations

import pytest

from redline.assess import assess
from redline.profile import load_profile


@pytest.mark.parametrize("name", ["russia-ukraine", "israel-hamas"])
def test_party_selection_never_changes_the_verdict(name):
    profile = load_profile(name)
    ids = sorted(profile.parties)
    selections = [[p] for p in ids] + [list(pair) for pair in combinations(ids, 2)]
    assert profile.plans
    for plan_id in sorted(profile.plans):
        full = assess(profile, plan_id)
        for chosen in selections:
            narrowed = assess(profile, plan_id, parties=chosen)
            where = (plan_id, chosen)
            assert (narrowed.verdict.label, narrowed.verdict.rule) == (full.verdict.label, full.verdict.rule), where
            assert narrowed.verdict == full.verdict, where
            assert narrowed.durability == full.durability, where
            # the selection still narrows what is shown, scorecard by scorecard
            assert [p.party for p in narrowed.parties] == chosen, where
            shown = {p.party: p for p in full.parties}
            for p in narrowed.parties:
                if p.party in shown:
                    assert p == shown[p.party], where
