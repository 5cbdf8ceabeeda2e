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


# ----------------------------------------------------------------------------- round 3

def test_hyphenated_joint_plan_belongs_to_both(extractor):
    """'a US-Ukraine plan' names both parties as the plan's owners."""
    got = triples(extractor, "A US-Ukraine plan calls for elections.")
    assert {("USA", "politics.elections", "for"), ("UKR", "politics.elections", "for")} <= got


def test_hyphenated_participle_names_the_owner(extractor):
    got = acts(extractor, "The US-proposed compromise would require mutual withdrawals.")
    assert ("USA", "territory.withdraw_russia", "for") in got
    assert ("USA", "territory.withdraw_ukraine", "for") in got  # mutual: both sides pull back


def test_hyphenated_war_or_talks_names_no_speaker(extractor):
    assert triples(extractor, "The Russia-Ukraine talks in Istanbul produced a prisoner exchange.") == set()
    assert triples(extractor, "The Russia-Ukraine war has disrupted grain exports and sanctions relief.") == set()


def test_plan_developed_in_joint_talks_and_its_parts(extractor):
    """A plan drafted in US-Ukraine negotiations is joint; its 'elements' and 'requirements',
    listed in later sentences, are its points (act propose)."""
    text = ("Zelensky presented a new plan developed during US-Ukraine negotiations in Geneva. "
            "Most elements are settled, such as security guarantees. "
            "Further requirements apply to prisoner exchanges and presidential elections.")
    got = acts(extractor, text)
    for party in ("USA", "UKR"):
        assert got[(party, "security.guarantees", "for")][0] == "propose"
        assert (party, "humanitarian.exchange", "for") in got
        assert (party, "politics.elections", "for") in got


def test_plan_parts_need_no_owner_elsewhere(extractor):
    """'provisions' as an object is not the plan speaking (only a plan part as subject is)."""
    text = ("The US plan was drafted in Miami. "
            "Britain has drafted changes adjusting key provisions on frozen Russian assets.")
    assert ("USA", "assets.frozen", "for") not in triples(extractor, text)


def test_participle_of_an_act_verb_is_a_stance_not_scene(extractor):
    got = acts(extractor, "Zelensky backed a demilitarised zone, insisting on the withdrawal of Russian troops.")
    assert got[("UKR", "territory.withdraw_russia", "for")][0] == "demand"
    # a participle of saying or moving still sets the scene
    assert ("UKR", "ceasefire", "for") not in triples(
        extractor, "Speaking after the truce talks, Zelensky thanked his allies.")


def test_ceding_crimea_is_recognition(extractor):
    got = triples(extractor, "The draft calls on Ukraine to cede territory in Donetsk and Crimea, Peskov said.")
    assert ("RUS", "territory.recognition", "for") in got


def test_quoted_passage_attributed_where_it_closes(extractor):
    """'"We want X. We are willing to Y," the U.S. official said': both sentences are the
    official's, though the first names no one."""
    text = ('Reports said Washington was weighing its options.\n'
            '"We want to give the Ukrainians security guarantees. We are ready to put them to a vote," '
            'a senior U.S. official said.')
    assert ("USA", "security.guarantees", "for") in triples(extractor, text)


def test_quoted_run_stops_at_a_paragraph(extractor):
    text = ('"We want a ceasefire.\n'
            'Nothing else matters," a Russian official said.')
    assert ("RUS", "ceasefire", "for") not in triples(extractor, text)


@pytest.mark.parametrize("text", [
    "Turkey mediated talks between Russia and Ukraine in Istanbul.",
    "Saudi Arabia has organised talks between Russian and American officials.",
    "Umerov said the delegation had worked on the document at the talks.",
])
def test_talks_held_are_reported_not_declared(extractor, text):
    """Tense/aspect: a finite past or perfect verb of holding talks reports talks that took place."""
    assert not any(t[1] == "process.talks" for t in triples(extractor, text))


@pytest.mark.parametrize("text, party", [
    ("Turkey offered to mediate talks between Russia and Ukraine.", "TUR"),
    ("Peskov said Russia is ready to hold talks with Ukraine.", "RUS"),
    ("Ukraine agreed to meet Russian negotiators in Istanbul.", "UKR"),
])
def test_talks_declared_still_count(extractor, text, party):
    assert (party, "process.talks", "for") in triples(extractor, text)


def test_obligation_put_on_another_party_is_the_reporters_demand(extractor):
    """"Putin said Kyiv would need to …": the obligation is Russia's demand, not Ukraine's act."""
    got = by_triple(extractor, "Putin said Kyiv would need to relinquish any ambition of joining NATO.")
    assert set(got) == {("RUS", "alliance.nato", "against")}
    assert got[("RUS", "alliance.nato", "against")].act.value == "demand"


def test_named_group_speaks_for_each_member(extractor):
    """GUIDELINES: a named group of states → each state ("the E3" = Britain, France, Germany)."""
    got = triples(extractor, "The E3 proposed a ceasefire along the current front line.")
    assert {("GBR", "ceasefire", "for"), ("FRA", "ceasefire", "for"), ("DEU", "ceasefire", "for")} <= got
    assert not {t for t in got if t[0] in ("EU", "E3")}


def test_relative_clause_speaks_for_the_plan_it_describes(extractor):
    got = triples(extractor, "Zelensky criticised the US plan, which calls for Ukraine to renounce NATO membership.")
    assert ("USA", "alliance.nato", "against") in got


def test_truce_as_a_chance_to_rearm_is_opposition(extractor):
    got = triples(extractor, "Peskov said a ceasefire would only let the Ukrainian army regroup and rearm.")
    assert got == {("RUS", "ceasefire", "against")}


def test_russia_with_a_modal_chain_withdraws(extractor):
    got = triples(extractor, "Zelensky said Russia has to withdraw its troops.")
    assert got == {("UKR", "territory.withdraw_russia", "for")}


def test_own_sentences_score(extractor):
    """304 short texts and 3 short articles of our own (tests/fixtures/own_sentences.jsonl;
    batches s2 to s17 and a were each written before the rules that handle them, as a check on
    fresh text), scored like dev."""
    import json
    from pathlib import Path

    from redline.extract.evaluate import evaluate

    gold = [json.loads(line) for line in
            (Path(__file__).parents[1] / "fixtures" / "own_sentences.jsonl").read_text().splitlines()]
    report = evaluate(gold, extractor)
    assert report.micro.f1 >= 0.88, report.errors
    assert report.act_total == 0  # the file labels triples only: act is not scored


def test_declining_to_comment_says_nothing(extractor):
    assert triples(extractor, "Kremlin officials declined to comment on whether a ceasefire had been agreed.") == set()


def test_passive_agent_holds_the_stance(extractor):
    got = by_triple(extractor, "The temporary truce was welcomed by Zelensky.")
    assert set(got) == {("UKR", "ceasefire", "for")}
    assert got[("UKR", "ceasefire", "for")].act.value == "accept"


def test_verb_coordinated_past_an_infinitive_keeps_its_polarity(extractor):
    """The parser hangs "withdraw" under "join" in "renounce its bid to join NATO and withdraw
    …"; renounce's flip must not reach it."""
    got = triples(extractor, "Putin said Ukraine must renounce its bid to join NATO and withdraw its "
                             "troops from the Donetsk region.")
    assert got == {("RUS", "alliance.nato", "against"), ("RUS", "territory.withdraw_ukraine", "for")}


def test_two_sides_agreeing_is_an_account_not_the_reporters_stance(extractor):
    assert triples(extractor, "Witkoff told reporters the two sides had agreed to continue talks next week.") == set()


def test_plan_published_by_a_party_owns_the_next_sentences(extractor):
    got = triples(extractor, "The White House published a 20-point plan on Friday. "
                             "The plan calls for a ceasefire and the lifting of some sanctions on Russia.")
    assert got == {("USA", "ceasefire", "for"), ("USA", "sanctions.relief", "for")}


def test_under_the_plan_is_the_plans_term_not_the_subjects(extractor):
    assert triples(extractor, "Under the plan, Ukraine would hold elections within 100 days.") == set()


def test_a_question_put_to_the_speaker_is_not_his_answer(extractor):
    assert triples(extractor, "Asked whether Russia would agree to a ceasefire, Peskov said the Kremlin "
                              "needed more information.") == set()


def test_off_the_table_negates(extractor):
    assert triples(extractor, 'Kellogg said that Ukraine joining NATO was "off the table".') == {
        ("USA", "alliance.nato", "against")}


def test_conditions_rejected_after_a_dash_are_a_reaction(extractor):
    got = triples(extractor, "Russia has demanded that Ukraine cede territory in the Donbas—conditions "
                             "Ukraine has rejected.")
    assert {("RUS", "territory.withdraw_ukraine", "for"), ("UKR", "territory.withdraw_ukraine", "against")} <= got


def test_media_reports_of_planned_talks_are_not_a_declaration(extractor):
    assert triples(extractor, "Reports say Zelensky is planning a meeting with Trump.") == set()


def test_rejecting_another_partys_demand_answers_it(extractor):
    got = triples(extractor, "Ukraine's foreign minister rejected Moscow's demand for the lifting of sanctions.")
    assert ("UKR", "sanctions.relief", "against") in got


def test_possessive_owner_beats_an_institution_in_the_title(extractor):
    got = triples(extractor, "Russia's UN ambassador said Moscow would not return the Zaporizhzhia plant to Ukraine.")
    assert got == {("RUS", "nuclear.zaporizhzhia", "against")}


def test_participle_after_the_clause_is_the_act_itself(extractor):
    got = triples(extractor, "The Ukrainian parliament voted to extend martial law, postponing presidential elections.")
    assert got == {("UKR", "politics.elections", "against")}


def test_proposer_of_a_truce_others_call_a_ploy_is_for_it(extractor):
    got = triples(extractor, "Ushakov said a ceasefire proposed by Ukraine would only prolong the conflict.")
    assert got == {("RUS", "ceasefire", "against"), ("UKR", "ceasefire", "for")}


def test_what_someone_said_about_an_issue_is_a_topic(extractor):
    assert triples(extractor, "Trump spoke about a ceasefire with Putin.") == set()


@pytest.mark.parametrize("text", [
    "Russia was accused of stalling on a proposed Easter truce.",
    "Russia accused Ukraine of rejecting a ceasefire.",
])
def test_accusations_are_not_the_accused_partys_stance(extractor, text):
    assert triples(extractor, text) == set()


def test_territorial_integrity_of_all_countries_is_a_principle_not_a_position(extractor):
    assert triples(extractor, "China said it is necessary to uphold the territorial integrity of all countries.") == set()


def test_issue_phrase_as_a_later_clauses_subject_is_content(extractor):
    got = triples(extractor, "The counter-proposal says Ukrainian NATO membership will depend on the allies.")
    assert not {t for t in got if t[0] == "NATO"}


def test_a_plan_coordinated_with_talks_is_not_a_stance_on_talks(extractor):
    assert triples(extractor, "Putin revealed details of his plan and his talks with Donald Trump.") == set()


def test_light_verb_carries_the_nouns_act_and_owner(extractor):
    assert triples(extractor, "Erdogan made a proposal for a ceasefire.") == {("TUR", "ceasefire", "for")}
    got = triples(extractor, "Trump made a personal request to Putin to refrain from striking Kyiv for a week, "
                             "Peskov said.")
    assert got == {("USA", "ceasefire", "for")}


def test_negation_let_in_by_a_patterns_gap_still_flips(extractor):
    got = triples(extractor, "Ushakov said Moscow would not withdraw its troops from the territories it considers Russian.")
    assert got == {("RUS", "territory.withdraw_russia", "against")}


def test_pattern_that_means_a_negation_does_not_flip_twice(extractor):
    got = triples(extractor, "European leaders insisted that Ukraine's borders cannot be changed by force.")
    assert got == {("EU", "territory.withdraw_russia", "for")}


def test_dismissing_a_demonym_owned_proposal(extractor):
    got = triples(extractor, "The Kremlin dismissed a European proposal for a 30-day ceasefire.")
    assert got == {("RUS", "ceasefire", "against"), ("EU", "ceasefire", "for")}


def test_what_a_plan_envisages_is_its_owners_proposal(extractor):
    got = by_triple(extractor, "The Russian proposal, which was published by the foreign ministry, envisages "
                               "that Ukraine will be barred from joining any military alliance.")
    assert set(got) == {("RUS", "alliance.nato", "against"), ("RUS", "alliance.neutrality", "for")}
    assert got[("RUS", "alliance.nato", "against")].act.value == "propose"


def test_a_demonym_inside_a_longer_demonym_match_is_found(extractor):
    """"Kremlin … European proposal": the first demonym's match must not swallow the second."""
    got = triples(extractor, "The Kremlin dismissed a European proposal for a 30-day ceasefire.")
    assert ("EU", "ceasefire", "for") in got


def test_coordinated_verb_keeps_its_own_act(extractor):
    got = by_triple(extractor, "Peskov said Moscow had not seen the text but would never agree to the "
                               "deployment of European troops in Ukraine.")
    assert set(got) == {("RUS", "security.foreign_troops", "against")}


def test_obligation_inside_a_quote_is_the_quoted_speakers_demand(extractor):
    got = triples(extractor, '"We are ready for a ceasefire right now," Zelensky told reporters. '
                             '"But Russia must stop its strikes first."')
    assert got == {("UKR", "ceasefire", "for")}


def test_each_noun_conjunct_keeps_its_own_no(extractor):
    got = triples(extractor, "Zelensky said his delegation had a clear mandate: no recognition of occupied "
                             "territory and no withdrawal from the parts of Donetsk that Ukraine still holds.")
    assert got == {("UKR", "territory.recognition", "against"), ("UKR", "territory.withdraw_ukraine", "against")}


def test_under_an_option_is_the_plans_term(extractor):
    text = ("Russia's memorandum sets out two options for a ceasefire. "
            "Under the first, Ukraine would withdraw its forces from the Donetsk and Luhansk regions.")
    got = triples(extractor, text)
    assert ("UKR", "territory.withdraw_ukraine", "for") not in got
    assert ("RUS", "territory.withdraw_ukraine", "for") in got


@pytest.mark.parametrize("text, expected", [
    ("Lavrov said a new round of talks could take place in June.", ("RUS", "process.talks", "for")),
    ('"We are negotiating, and we will continue to negotiate," Witkoff told reporters.',
     ("USA", "process.talks", "for")),
    ("Ukraine's delegation walked out of the talks in Geneva.", ("UKR", "process.talks", "against")),
    ("Russia refused to send a delegation to the peace summit in Switzerland.", ("RUS", "process.talks", "against")),
    ("Macron said Europe must have a seat at the negotiating table.", ("FRA", "process.talks", "for")),
])
def test_talks_declared_in_other_words(extractor, text, expected):
    assert triples(extractor, text) == {expected}


def test_every_state_of_a_named_list_speaks(extractor):
    got = triples(extractor, "The leaders of France, Germany and Britain said they backed a ceasefire.")
    assert got == {("FRA", "ceasefire", "for"), ("DEU", "ceasefire", "for"), ("GBR", "ceasefire", "for")}


def test_talks_as_a_condition_count(extractor):
    got = triples(extractor, "Zelensky has said Ukraine is prepared to discuss territorial questions only at a "
                             "meeting with Putin.")
    assert got == {("UKR", "process.talks", "for")}


def test_it_after_a_plan_is_the_plan(extractor):
    got = triples(extractor, "The 28-point plan drafted by US and Russian officials was published on Thursday. "
                             "It says Ukraine will not join NATO.")
    assert got == {("USA", "alliance.nato", "against"), ("RUS", "alliance.nato", "against")}


def test_relative_clause_rejecting_the_issue_phrase_itself(extractor):
    got = triples(extractor, "Ukrainian negotiators said they had proposed a full exchange of all prisoners of war, "
                             "which Russia did not accept.")
    assert got == {("UKR", "humanitarian.exchange", "for"), ("RUS", "humanitarian.exchange", "against")}


@pytest.mark.parametrize("text, expected", [
    ("The German foreign minister warned that lifting sanctions now would reward aggression.",
     ("DEU", "sanctions.relief", "against")),
    ("Zelensky said the question of Crimea could be postponed and resolved diplomatically later.",
     ("UKR", "territory.freeze_line", "for")),
    ("Beijing urged the parties to return to the negotiating table.", ("CHN", "process.talks", "for")),
])
def test_more_phrasings(extractor, text, expected):
    assert expected in triples(extractor, text)


def test_a_denied_report_is_no_stance(extractor):
    assert triples(extractor, "The Kremlin dismissed reports that Putin was ready to freeze the war "
                              "along the current front line.") == set()


def test_relative_clause_with_its_own_speaker(extractor):
    got = triples(extractor, "The Russian president said he saw no reason to meet Zelensky, whom he called "
                             "illegitimate.")
    assert ("RUS", "politics.elections", "for") in got


def test_accession_talks_are_not_peace_talks(extractor):
    assert triples(extractor, "EU leaders agreed to start accession talks with Ukraine.") == set()


def test_until_a_date_is_no_red_line(extractor):
    got = by_triple(extractor, "Putin said the truce would last until February 1.")
    assert not got[("RUS", "ceasefire", "for")].red_line


def test_wanting_others_to_agree_is_the_wanters_stance(extractor):
    got = triples(extractor, "Trump's envoy said Washington wanted both sides to agree to an immediate, "
                             "unconditional ceasefire.")
    assert got == {("USA", "ceasefire", "for")}


def test_making_a_settlement_impossible_is_opposition(extractor):
    got = triples(extractor, "Peskov said the deployment of European troops would make a settlement impossible.")
    assert got == {("RUS", "security.foreign_troops", "against")}


@pytest.mark.parametrize("text, expected", [
    ("The coalition of the willing, led by Britain and France, pledged to deploy troops to Ukraine.",
     {("GBR", "security.foreign_troops", "for"), ("FRA", "security.foreign_troops", "for")}),
    ("Moscow has said it will treat any Western military presence in Ukraine as a threat.",
     {("RUS", "security.foreign_troops", "against")}),
    ("The Baltic states urged the alliance to keep its door open to Ukraine.",
     {("EST", "alliance.nato", "for"), ("LVA", "alliance.nato", "for"), ("LTU", "alliance.nato", "for")}),
    ("Putin said NATO membership for Ukraine was out of the question.", {("RUS", "alliance.nato", "against")}),
])
def test_troops_and_alliance_phrasings(extractor, text, expected):
    assert triples(extractor, text) == expected


def test_unnamed_countries_are_nobodys_stance(extractor):
    assert triples(extractor, "Russia's foreign intelligence service claimed that Western countries were "
                              "preparing to send troops to Ukraine.") == set()


def test_a_charge_does_not_silence_the_same_speakers_next_clause(extractor):
    got = triples(extractor, "Russia's ambassador to the UN accused Kyiv of sabotaging the talks and said Moscow "
                             "remained committed to negotiations.")
    assert got == {("RUS", "process.talks", "for")}


def test_authors_named_in_a_relative_clause_own_the_text(extractor):
    got = triples(extractor, "The draft agreement, which Kyiv and Washington finalised last week, provides for a "
                             "reconstruction fund financed partly by frozen Russian assets.")
    assert got == {("UKR", "assets.frozen", "for"), ("USA", "assets.frozen", "for")}
