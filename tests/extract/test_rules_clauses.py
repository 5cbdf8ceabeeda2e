"""Clause, attribution and act rules added after the first dev round; short sentences of our own."""

from __future__ import annotations

import pytest



def triples(extractor, text):
    return {(s.party, s.issue, s.polarity.value) for s in extractor(text)}


def by_triple(extractor, text):
    return {(s.party, s.issue, s.polarity.value): s for s in extractor(text)}


def acts(extractor, text):
    return {k: (s.act.value, s.red_line) for k, s in by_triple(extractor, text).items()}


def test_has_ruled_out_is_a_rejection_not_a_must(extractor):
    """'has … to Russia' is not 'has to': the act stays reject."""
    got = acts(extractor, "Zelensky has ruled out any territorial concessions to Russia.")
    assert got[("UKR", "territory.withdraw_ukraine", "against")][0] == "reject"


def test_in_the_return_of_is_not_a_condition(extractor):
    got = acts(extractor, "Turkey welcomed the return of prisoners of war to Ukraine.")
    assert got[("TUR", "humanitarian.exchange", "for")][0] == "accept"


def test_negation_stays_in_its_coordinated_clause(extractor):
    got = triples(extractor, "Ukraine agreed to remain neutral, not allow foreign troops on its soil.")
    assert ("UKR", "security.foreign_troops", "against") in got
    assert ("UKR", "security.foreign_troops", "for") not in got


def test_not_saying_is_no_statement(extractor):
    assert not any(t[1] == "ceasefire" for t in triples(
        extractor, "Peskov did not say whether Russia would accept a ceasefire."))


def test_as_a_role_is_not_circumstance(extractor):
    assert ("RUS", "security.guarantees", "for") in triples(
        extractor, "Russia proposed Belarus as a guarantor of the agreement.")


def test_only_after_is_a_condition(extractor):
    got = acts(extractor, "Zelensky said the plan could only be put to a vote after a ceasefire.")
    assert got[("UKR", "ceasefire", "for")] == ("demand", True)


def test_asking_for_talks_or_a_truce_offers_them(extractor):
    assert acts(extractor, "Zelensky called for a meeting with Putin.")[("UKR", "process.talks", "for")][0] == "propose"
    assert acts(extractor, "Trump asked Putin to halt strikes on Kyiv.")[("USA", "ceasefire", "for")][0] == "propose"


def test_joint_plan_minus_the_party_that_rejected_it(extractor):
    text = ("A new peace plan, drafted by a Russian envoy and a US envoy, was rejected by the US "
            "government. The plan calls for reducing the size of Ukraine's army.")
    got = acts(extractor, text)
    assert got[("RUS", "military.limits", "for")][0] == "propose"
    assert ("USA", "military.limits", "for") not in got


def test_passive_addressee_holds_nothing(extractor):
    assert triples(extractor, "Peskov was asked about a possible meeting between Putin and Zelensky.") == set()


def test_parties_between_are_not_the_subject(extractor):
    assert triples(extractor, "Disagreements between Russia and Ukraine remain, including security guarantees.") == set()


def test_topic_of_disagreement_is_no_position(extractor):
    assert triples(extractor, "Kyiv and Washington have not agreed on two issues, which concern control "
                              "of the Zaporizhzhia nuclear plant.") == set()


def test_holder_verb_names_the_act(extractor):
    got = acts(extractor, "Putin demanded that Kyiv agree to withdraw its troops from Donbas.")
    assert got[("RUS", "territory.withdraw_ukraine", "for")][0] == "demand"


def test_suggest_that_is_a_report(extractor):
    got = acts(extractor, "Trump suggested that Ukraine's government was illegitimate.")
    assert got[("USA", "politics.elections", "for")][0] == "other"


def test_possessive_pronoun_owner(extractor):
    got = acts(extractor, "Putin thanked Erdogan for his willingness to host negotiations.")
    assert got[("TUR", "process.talks", "for")][0] == "propose"


def test_appositive_names_the_owner(extractor):
    got = acts(extractor, "Zelensky offered the prospect of Ukraine staying neutral, a key Russian demand, "
                          "as the basis of a deal.")
    assert got[("RUS", "alliance.neutrality", "for")][0] == "demand"


def test_contrast_clause_keeps_its_own_subject(extractor):
    got = triples(extractor, "Moscow wanted to cut the army, while Kiev refused to reduce its armed forces.")
    assert ("UKR", "military.limits", "against") in got
    assert ("RUS", "military.limits", "against") not in got


@pytest.mark.parametrize("text", [
    "Zelensky and his allies tried to soften concessions in the Ukraine negotiations.",
    "Umerov confirmed the start of the second day of negotiations in Geneva.",
])
def test_talks_only_mentioned_give_nothing(extractor, text):
    assert not any(t[1] == "process.talks" for t in triples(extractor, text))


def test_talks_as_the_object_of_readiness(extractor):
    assert acts(extractor, "Peskov said Russia is ready for a new round of talks.")[
        ("RUS", "process.talks", "for")][0] == "propose"


def test_not_ruled_out_is_an_opening(extractor):
    got = acts(extractor, "The Kremlin did not rule out a meeting between Putin and Zelensky.")
    assert got[("RUS", "process.talks", "for")][0] == "propose"


def test_evaluative_rejection(extractor):
    got = acts(extractor, "Hegseth said that returning to the pre-2014 borders is an unrealistic objective.")
    assert got[("USA", "territory.withdraw_russia", "against")][0] == "reject"


def test_own_future_refusal_rejects(extractor):
    got = acts(extractor, "Zelensky said Kyiv would not recognise Crimea as part of Russia.")
    assert got[("UKR", "territory.recognition", "against")][0] == "reject"


def test_insist_on_is_a_demand(extractor):
    got = acts(extractor, "Zelensky insists on NATO membership for Ukraine.")
    assert got[("UKR", "alliance.nato", "for")][0] == "demand"


def test_disputing_legitimacy_is_about_elections(extractor):
    assert ("RUS", "politics.elections", "for") in triples(
        extractor, "The Kremlin has questioned Zelensky's legitimacy.")
