"""Extraction rules on short sentences of our own: each asserts one GUIDELINES.md rule."""

from __future__ import annotations

import pytest


def triples(extractor, text):
    return {(s.party, s.issue, s.polarity.value) for s in extractor(text)}


def by_triple(extractor, text):
    return {(s.party, s.issue, s.polarity.value): s for s in extractor(text)}


def test_negation_flips_polarity(extractor):
    """'Trump said Ukraine will not join NATO' is the US against, not Ukraine for."""
    assert triples(extractor, "Trump said Ukraine will not join NATO.") == {("USA", "alliance.nato", "against")}


def test_renounce_nato_is_against(extractor):
    got = by_triple(extractor, "Putin said Kyiv must renounce its plans to join NATO.")
    st = got[("RUS", "alliance.nato", "against")]
    assert st.act.value == "demand"
    assert st.speaker and "Putin" in st.speaker


def test_exchange_gives_two_statements(extractor):
    """'X in exchange for Y': X offered, Y demanded."""
    got = by_triple(extractor, "Zelensky offered to drop Ukraine's bid to join NATO in exchange for "
                               "Western security guarantees.")
    assert got[("UKR", "alliance.nato", "against")].act.value == "propose"
    assert got[("UKR", "security.guarantees", "for")].act.value == "demand"


def test_conditional_offer_and_ultimatum(extractor):
    got = by_triple(extractor, "Putin said Russia would declare a ceasefire if Ukraine withdrew its "
                               "troops from the four regions.")
    assert got[("RUS", "ceasefire", "for")].act.value == "propose"
    demand = got[("RUS", "territory.withdraw_ukraine", "for")]
    assert demand.act.value == "demand" and demand.red_line


def test_reject_verb(extractor):
    got = by_triple(extractor, "Peskov ruled out a meeting between Putin and Zelensky.")
    assert got[("RUS", "process.talks", "against")].act.value == "reject"


def test_analyst_is_not_a_party(extractor):
    assert triples(extractor, "An analyst at a Washington think tank said Russia wants a ceasefire.") == set()


def test_characterisation_of_other_party_aims_gives_nothing(extractor):
    assert ("RUS", "territory.withdraw_ukraine", "for") not in triples(
        extractor, "Zelensky said Moscow wants Ukraine to give up territory in the Donbas.")


def test_pronoun_resolves_to_last_speaker(extractor):
    text = ("Ukrainian President Volodymyr Zelensky spoke in Kyiv on Monday. "
            "He called for all Ukrainian prisoners of war to be released.")
    assert ("UKR", "humanitarian.exchange", "for") in triples(extractor, text)


def test_capital_metonym_and_red_line(extractor):
    got = by_triple(extractor, "The Kremlin said Ukraine must never join NATO, calling it a red line.")
    st = got[("RUS", "alliance.nato", "against")]
    assert st.red_line


def test_talks_as_scenery_give_nothing(extractor):
    """'During the talks' sets the scene; it is not a declared readiness to negotiate."""
    assert not any(t[1] == "process.talks" for t in triples(
        extractor, "During the talks in Geneva, Rubio said the weather was cold."))


def test_tighter_sanctions_are_against_relief(extractor):
    assert ("UKR", "sanctions.relief", "against") in triples(
        extractor, "Zelensky urged allies to tighten sanctions on Moscow.")


def test_every_statement_keeps_quote_and_confidence(extractor):
    text = "Lavrov said Russia rejects any deployment of European peacekeepers in Ukraine."
    sts = extractor(text)
    assert sts, "expected a statement"
    for st in sts:
        assert st.quote and st.quote in text
        assert 0.0 < st.confidence <= 1.0


@pytest.mark.parametrize("text", ["", "   ", "Nothing about the war here."])
def test_empty_or_irrelevant_text(extractor, text):
    assert extractor(text) == []
