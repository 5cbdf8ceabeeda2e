#!/usr/bin/env python3
"""Adjudicate the two annotation passes of corpus/russia-ukraine k3 into gold/k3.jsonl.

Usage: adjudicate_diff_k3.py [--root corpus/russia-ukraine] [--check]
  --check   only report unresolved items / validation, write nothing.

Triples (party, issue, polarity) found by both passes go into gold once; where the passes'
act/red_line/speaker/quote differ, an F row below picks the base statement (A or B, optionally
`pick` = quote prefix for a pass holding the triple twice) and overrides fields; without an F row
only mechanical differences are resolved automatically (see auto_resolve). Triples found by one
pass only need a D row (keep/drop/fix; fix = that pass's statement with the JSON overrides).
Writes gold/k3.jsonl (all articles, sorted by id), gold/decisions_k3.tsv (one row per one-pass
triple), gold/field_choices_k3.tsv (one row per differing field of an agreed triple), and prints
the agreement of B against A plus the gold counts. Validation: JSON lines, ids = article ids,
unique; quotes verbatim in the article text; issue ids in the profile (and among the 18 ids of
the guidelines); parties = profile ids or ISO alpha-3 codes.
"""
import argparse, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
K = "k3"
ORDER = ("party", "issue", "polarity", "act", "red_line", "speaker", "quote")
FIELDS = ("act", "red_line", "speaker", "quote")
ACTS = {"demand", "propose", "accept", "reject", "other"}
GUIDELINE_ISSUES = {  # the 18 ids of GUIDELINES.md v1.2 (profile also has alliance.eu, never annotated)
    "territory.withdraw_ukraine", "territory.recognition", "territory.freeze_line",
    "territory.withdraw_russia", "alliance.nato", "alliance.neutrality", "military.limits",
    "security.guarantees", "security.foreign_troops", "ceasefire", "sanctions.relief",
    "assets.frozen", "justice.accountability", "humanitarian.exchange", "politics.elections",
    "culture.rights", "nuclear.zaporizhzhia", "process.talks"}
ALPHA3 = set("""AFG ALA ALB DZA ASM AND AGO AIA ATA ATG ARG ARM ABW AUS AUT AZE BHS BHR BGD BRB BLR BEL
BLZ BEN BMU BTN BOL BES BIH BWA BVT BRA IOT BRN BGR BFA BDI CPV KHM CMR CAN CYM CAF TCD CHL CHN CXR
CCK COL COM COG COD COK CRI CIV HRV CUB CUW CYP CZE DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH
FLK FRO FJI FIN FRA GUF PYF ATF GAB GMB GEO DEU GHA GIB GRC GRL GRD GLP GUM GTM GGY GIN GNB GUY HTI
HMD VAT HND HKG HUN ISL IND IDN IRN IRQ IRL IMN ISR ITA JAM JPN JEY JOR KAZ KEN KIR PRK KOR KWT KGZ
LAO LVA LBN LSO LBR LBY LIE LTU LUX MAC MDG MWI MYS MDV MLI MLT MHL MTQ MRT MUS MYT MEX FSM MDA MCO
MNG MNE MSR MAR MOZ MMR NAM NRU NPL NLD NCL NZL NIC NER NGA NIU NFK MKD MNP NOR OMN PAK PLW PSE PAN
PNG PRY PER PHL PCN POL PRT PRI QAT REU ROU RUS RWA BLM SHN KNA LCA MAF SPM VCT WSM SMR STP SAU SEN
SRB SYC SLE SGP SXM SVK SVN SLB SOM ZAF SGS SSD ESP LKA SDN SUR SJM SWE CHE SYR TWN TJK TZA THA TLS
TGO TKL TON TTO TUN TUR TKM TCA TUV UGA UKR ARE GBR USA UMI URY UZB VUT VEN VNM VGB VIR WLF ESH YEM
ZMB ZWE""".split())

LEAD = [
    r"\([A-Za-z .]{2,30}\)\s*[–—-]*\s*",                       # (MENAFN) / (Worthy News) –
    r"Quote(?: from [^:\"“]{1,40})?:\s*",                        # Quote: / Quote from Guterres:
    r"[-•]\s+",                                                  # list bullet
    r"[A-Z][A-Z .,'/]{2,40}(?:\([A-Za-z/ ]{1,20}\))?\s*[—–]+\s*",  # KIEV — / MUNICH (AP) —
    r"[A-Z][A-Za-z .,'/]{2,40}\(AP\)\s*[—–]+\s*",                 # KYIV, Ukraine (AP) —
    r"[A-Z][A-Za-z]+(?:, [A-Za-z]+)?,? [A-Z][a-z]+\.? \d{1,2} \((?:Xinhua|UPI|EFE|AFP)\)\s*-+\s*",  # BERLIN, July 3 (Xinhua) --
    r"[A-Z][a-z]+ \d{1,2} \((?:Xinhua|UPI|EFE|AFP)\)\s*-+\s*",   # May 10 (UPI) --
    r"[A-Z]+, [A-Z][a-z]+ \d{1,2}\. /TASS/\.\s*",               # STOCKHOLM, October 21. /TASS/.
    r"[A-Z]+ \| [A-Za-z]+ \| ",                                 # KIEV | Xinhua |
    r"[A-Z][a-z]+, D\.C\. – [A-Z][a-z]+ \d{1,2}, \d{4} – ",     # Washington, D.C. – October 20, 2025 –
    r"[A-Z][a-z]+ \[[A-Z]+\], [A-Z][a-z]+ \d{1,2}: ",           # Washington [US], January 30:
    r"[A-Z]+, [A-Z][a-z]+ \d{1,2}\s*\([A-Za-z ]+\):\s*",        # MOSCOW, March 14(Alliance News):
    r"[A-Z][a-z]+, [A-Z][a-z]+ - ",                             # Moscow, Russia -
]
LEAD_RE = re.compile("^(?:" + "|".join(LEAD) + ")")

def clean_quote(q, text):
    """Drop a leading dateline / label / list bullet when the rest is still verbatim (RULES R11)."""
    m = LEAD_RE.match(q)
    if m and len(q) - m.end() > 20:
        rest = q[m.end():]
        if rest in text and (rest[0].isupper() or rest[:1] in "\"“"):
            return rest
    return q

# Resolutions (D: one-pass triple; F: agreed triple with differing fields). Fields: |-separated.
RESOLUTIONS = r"""
# D|id|party|issue|pol|src|decision|reason|json-overrides
# F|id|party|issue|pol|base|json-overrides|reason
F|k3-0001|USA|alliance.nato|against|A|{}|"NATO membership was unrealistic" is a dismissal -> reject (cf. dev doc038 Hegseth "unrealistic objective")
D|k3-0001|USA|security.guarantees|for|A|drop|Hegseth only says any guarantees would have to be borne by Europeans; no US support stated (precision)
D|k3-0001|USA|alliance.nato|for|B|keep|Biden administration (then government) vowed membership was "inevitable": reported background stated as fact
D|k3-0002|USA|process.talks|for|A|fix|Trump announces Russia-Ukraine negotiations will begin after his call: arranging talks -> propose (RULES R3/R5)|{"act":"propose"}
F|k3-0004|RUS|alliance.nato|against|B|{}|"rejected NATO membership in any scenario": reject + red_line ("any scenario" = absolutely); one statement per triple; speaker as in text
F|k3-0004|USA|process.talks|for|A|{}|State Department statement that teams will be appointed to work on ending the war carries the US commitment to talks
D|k3-0004|RUS|process.talks|for|B|keep|Lavrov agreed with Rubio to consult regularly: agreement to negotiate
F|k3-0009|RUS|ceasefire|for|B|{}|Kremlin's own statement on the Black Sea truce beats the White House account
D|k3-0009|UKR|ceasefire|for|A|keep|White House reports both sides agreed to the Black Sea truce; reported agreement counts (cf. dev doc106)
D|k3-0009|UKR|sanctions.relief|against|A|keep|Zelensky objects to tying the Black Sea truce to sanctions relief
D|k3-0009|USA|ceasefire|for|B|keep|U.S.-brokered Black Sea agreement: the US put the truce forward
D|k3-0012|UKR|ceasefire|for|B|keep|"joint US-Ukrainian plan for a 30-day truce": jointly named plan -> both parties
D|k3-0012|USA|ceasefire|for|B|keep|"joint US-Ukrainian plan for a 30-day truce": jointly named plan -> both parties
F|k3-0013|UKR|ceasefire|for|B|{}|B's sentence states Ukraine's agreement directly
F|k3-0014|RUS|ceasefire|against|B|{}|criticism ("of no use", lets Ukraine regroup) without an explicit refusal -> other (cf. dev doc006)
F|k3-0015|RUS|ceasefire|for|A|{}|lead sentence states conditional support
D|k3-0015|RUS|process.talks|for|B|keep|Putin suggests a phone call with Trump to settle the ceasefire details: declared readiness to talk (same as agreed k3-0012)
F|k3-0020|UKR|ceasefire|for|B|{}|"called for the Easter truce to be extended" -> demand (cf. dev doc056 "called for ... ceasefire")
D|k3-0020|USA|ceasefire|for|B|keep|US and Ukrainian officials announced a proposal for a 30-day ceasefire; the US-led proposal
F|k3-0024|UKR|humanitarian.exchange|for|A|{}|Umerov: Ukraine first of all needs to engage in a prisoner exchange -> carries the position; propose
D|k3-0025|UKR|process.talks|for|B|fix|Umerov (own side): agenda included preparing a leaders' meeting; party's own statement on the talks. Quote trimmed of the "Quote: " label|{"quote":"The agenda that has been given to our host and our partners was to discuss, first, the ceasefire and second one is the humanitarian track, the exchanges, and third is a potential meeting on the [state] leaders’ level."}
F|k3-0026|RUS|process.talks|for|A|{}|Medinsky "Russia is ready to continue the dialogue": own declared readiness -> propose
F|k3-0026|UKR|process.talks|for|A|{}|Ukraine proposed direct talks between the presidents -> propose
F|k3-0027|RUS|process.talks|for|B|{}|Lavrov's own statement that the second round will take place
F|k3-0027|UKR|process.talks|for|A|{}|Zelensky's declared readiness for negotiations -> propose
F|k3-0028|UKR|humanitarian.exchange|for|A|{"pick":"According to Umerov"}|Umerov: delegations agreed to carry out an exchange -> accept; one statement per triple
F|k3-0029|TUR|process.talks|for|A|{}|mediator working to arrange a leaders' summit -> propose (cf. dev doc056 Erdogan)
F|k3-0033|UKR|humanitarian.exchange|for|B|{}|agreed all-for-all exchange -> accept; one statement per triple
F|k3-0034|TUR|ceasefire|for|A|{}|sentence names Fidan and states the goal
D|k3-0036|USA|process.talks|for|B|keep|Trump himself says a second summit could occur (invited to Moscow): own statement on a further meeting
D|k3-0037|RUS|sanctions.relief|for|B|drop|positions only listed by US officials as topics that "may" be discussed: another party's characterisation
D|k3-0037|RUS|territory.withdraw_ukraine|for|B|drop|positions only listed by US officials as topics that "may" be discussed: another party's characterisation
D|k3-0037|UKR|ceasefire|for|B|drop|positions only listed by US officials as topics that "may" be discussed: another party's characterisation
D|k3-0037|UKR|humanitarian.exchange|for|B|drop|positions only listed by US officials as topics that "may" be discussed: another party's characterisation
F|k3-0038|UKR|security.guarantees|for|A|{}|Zelensky's own words ("We need security to work in practice like Article 5") beat the journalist's agenda sentence
F|k3-0038|USA|security.guarantees|for|B|{}|Witkoff's direct quote: the US could offer Article 5-like protection
D|k3-0038|RUS|security.guarantees|for|A|keep|Witkoff reports Russia agreed to US Article-5-like guarantees: reported agreement counts (cf. dev doc106)
D|k3-0038|UKR|alliance.nato|for|B|keep|Zelensky "has long expressed desires to join NATO": background stated as fact
D|k3-0040|EU|security.guarantees|for|A|drop|unnamed "senior European official" describes a proposal whose owner the text does not name; precision
D|k3-0042|RUS|security.foreign_troops|against|B|keep|"Moscow's objections" to the reassurance force stated as fact
D|k3-0044|USA|sanctions.relief|for|A|drop|G8 readmission / "integrated back into the global economy" names no sanctions measure; precision
F|k3-0045|USA|territory.withdraw_ukraine|for|B|{}|"Ukraine will have to withdraw" frames the provision as a requirement -> demand; speaker as named in text
F|k3-0048|UKR|security.guarantees|for|B|{}|delegation's work aimed to "secure long-term security guarantees" = seeks -> demand (cf. dev doc084)
D|k3-0047|UKR|process.talks|for|B|keep|US and Ukraine themselves reported progress in the Geneva talks: own statement that they are negotiating
D|k3-0047|USA|process.talks|for|B|keep|US (Rubio) reported progress in the Geneva talks: own statement that they are negotiating
D|k3-0048|UKR|process.talks|for|B|keep|Yermak on the ongoing talks ("highly productive"): own statement that they are negotiating
D|k3-0048|USA|process.talks|for|B|keep|Rubio: US is adjusting the proposal to develop an agreement: own statement that they are negotiating
D|k3-0049|UKR|process.talks|for|B|keep|Yermak highlighted progress in ongoing talks: own statement that they are negotiating
D|k3-0049|USA|process.talks|for|B|keep|Rubio highlighted progress in ongoing talks: own statement that they are negotiating
D|k3-0050|RUS|process.talks|against|B|drop|RULES R4 (k1k2): leaders' meeting put off until progress while talks go on is not a refusal
D|k3-0051|RUS|process.talks|for|B|keep|Ushakov describes the talks as constructive: own statement that they are negotiating
D|k3-0052|RUS|process.talks|against|B|drop|RULES R4 (k1k2): meeting conditioned on progress while talks go on is not a refusal
D|k3-0052|UKR|process.talks|for|B|keep|Zelensky: Ukraine and the US are working on the updated plan: own statement that they are negotiating
F|k3-0053|USA|alliance.nato|against|A|{}|membership "opposed by the United States" -> reject (cf. dev doc038 "does not support")
D|k3-0053|UKR|process.talks|for|B|keep|Ukraine's Presidential Office: talks resume next morning = own statement that a further round takes place
D|k3-0053|USA|process.talks|for|B|keep|Witkoff: "a lot of progress was made": own statement on the negotiations
D|k3-0054|UKR|process.talks|for|B|fix|Zelensky would like the talks with the US to continue: wants to -> propose (RULES R5)|{"act":"propose"}
F|k3-0055|EU|sanctions.relief|against|A|{}|EU ministers agreeing their own new sanctions: a measure, not an offer -> other
F|k3-0058|UKR|process.talks|for|B|{}|"called for a direct summit" -> demand (as k3-0020)
F|k3-0058|USA|security.guarantees|for|A|{"speaker":"20-point peace framework"}|plan provision; speaker as named in the text
D|k3-0058|USA|territory.withdraw_ukraine|for|A|keep|US suggested free economic zones in the disputed (Ukrainian-held) areas: partial move, cf. dev doc091
D|k3-0058|USA|politics.elections|for|B|keep|provision of the US-Ukrainian 20-point framework (post-war elections); both passes credit the plan to both sides elsewhere (cf. dev doc091)
F|k3-0061|FRA|security.foreign_troops|for|B|{}|speaker: the party's own leader (Macron) rather than the British PM reporting it
D|k3-0061|UKR|security.foreign_troops|for|B|keep|Zelenskyy co-signed the Declaration of Intent on deploying forces: signing a declaration that others deploy -> accept
F|k3-0062|UKR|security.guarantees|for|A|{}|Zelenskyy signed the coalition declarations on who leads the guarantees -> accept (guideline: signing a declaration)
F|k3-0064|UKR|territory.withdraw_ukraine|against|B|{}|"Ukraine insists on preserving its territorial integrity" -> demand (insists)
D|k3-0065|RUS|process.talks|for|B|keep|Peskov: Russia will be represented at the Abu Dhabi meeting: own statement of taking part
D|k3-0065|USA|process.talks|for|B|keep|US officials agreed in Riyadh to begin working on a path to end the war: agreement to negotiate
D|k3-0066|RUS|security.foreign_troops|against|B|fix|Moscow criticised proposals for floating European peacekeepers: against, but criticism without explicit refusal -> other|{"act":"other"}
F|k3-0067|USA|process.talks|for|A|{}|Witkoff's own words that talks continue next week
D|k3-0067|UKR|process.talks|for|B|keep|Zelensky described the talks as constructive: own statement on the negotiations
D|k3-0068|UKR|security.guarantees|for|B|keep|Zelensky thanks the US for ensuring Ukraine's security guarantees are fulfilled: supports guarantees
D|k3-0069|UKR|process.talks|for|B|keep|Zelenskyy called the talks a step forward: own statement on the negotiations
F|k3-0070|RUS|territory.withdraw_ukraine|for|A|{}|text is cut off: take the whole visible sentence
D|k3-0070|UKR|process.talks|for|B|keep|Umerov sets the goal for the next stage of the trilateral talks: own statement that a further round follows
D|k3-0071|UKR|process.talks|for|B|fix|Umerov: "We are working to clarify ... decisions": own statement that they are negotiating; quote cut to one sentence (R11)|{"quote":"We are working to clarify the parameters and mechanics of the decisions discussed yesterday."}
D|k3-0073|RUS|humanitarian.exchange|for|A|keep|Witkoff reports Russia and Ukraine agreed a 314-POW exchange: reported agreement counts (dev doc106, same event)
D|k3-0073|UKR|humanitarian.exchange|for|A|keep|Witkoff reports Russia and Ukraine agreed a 314-POW exchange: reported agreement counts (dev doc106, same event)
D|k3-0074|UKR|process.talks|for|B|keep|Umerov on the next step of the negotiations: own statement that they are negotiating
F|k3-0077|EU|assets.frozen|for|B|{}|speaker: full name as in the text's first mention
F|k3-0078|EU|assets.frozen|for|B|{"quote":"Until then, the immobilized Russian assets will remain immobilized, and the union reserves its right to make use of the cash balances to finance the loan,\" von der Leyen added."}|summit kept assets immobilised and "reserves its right" to use them: a statement, not an offer -> other; single-sentence quote
F|k3-0079|EU|assets.frozen|for|B|{}|speaker as named in the carrying sentence ("The EU leadership")
F|k3-0080|EU|assets.frozen|for|A|{}|Commission pushing the reparations-loan model carries the use of the assets -> propose
F|k3-0084|UKR|humanitarian.exchange|for|A|{}|Zelenskiy's own statement on returning all captives (other) beats the journalist's deal sentence
F|k3-0087|UKR|humanitarian.exchange|for|B|{}|"we will not stop until we bring all of our people back" -> demand (cf. dev doc008)
D|k3-0089|UKR|security.guarantees|for|B|keep|Zelensky: negotiations on stable security guarantees are underway: supports guarantees
F|k3-0090|USA|security.guarantees|for|A|{"speaker":"envoys of U.S. President Donald Trump"}|proposal handed over by Trump's envoys; speaker as named in text
F|k3-0090|USA|territory.withdraw_ukraine|for|A|{"speaker":"envoys of U.S. President Donald Trump"}|proposal handed over by Trump's envoys; speaker as named in text
D|k3-0090|UKR|territory.withdraw_ukraine|against|B|keep|territorial demands "that it cannot accept": Ukraine refuses to cede territory
F|k3-0091|UKR|politics.elections|for|B|{}|Zelensky's own "ready for the elections"; speaker spelled as in the text
F|k3-0097|DEU|ceasefire|for|A|{"speaker":"leaders of France, the United Kingdom, Germany and Poland"}|text names no German person: speaker as named in text
F|k3-0097|POL|ceasefire|for|A|{"speaker":"leaders of France, the United Kingdom, Germany and Poland"}|text names no Polish person: speaker as named in text
F|k3-0097|RUS|process.talks|for|A|{}|Putin proposed to restart direct talks -> propose
D|k3-0097|USA|ceasefire|for|A|keep|the European ceasefire proposal "was supported by" Trump -> accept (same as agreed k3-0246)
D|k3-0098|EU|ceasefire|for|A|keep|ceasefire proposal "drawn up by European allies of Kyiv": collective Europeans -> EU (cf. dev doc096)
D|k3-0098|EU|sanctions.relief|against|A|drop|"The leaders" here are the four named leaders -> each state, not EU; Europeans are only the partners
D|k3-0098|DEU|ceasefire|for|B|keep|Merz was one of the four leaders who "decided to support a ceasefire" (Macron's "we")
D|k3-0098|POL|ceasefire|for|B|keep|Tusk was one of the four leaders who "decided to support a ceasefire" (Macron's "we")
D|k3-0098|DEU|sanctions.relief|against|B|keep|the four named leaders agreed to prepare massive sanctions if the ceasefire is violated
D|k3-0098|FRA|sanctions.relief|against|B|keep|the four named leaders agreed to prepare massive sanctions if the ceasefire is violated
D|k3-0098|GBR|sanctions.relief|against|B|keep|the four named leaders agreed to prepare massive sanctions if the ceasefire is violated
D|k3-0098|POL|sanctions.relief|against|B|keep|the four named leaders agreed to prepare massive sanctions if the ceasefire is violated
F|k3-0101|DEU|ceasefire|for|B|{}|signatories are named individually: speaker = the party's own leader
F|k3-0101|DEU|territory.freeze_line|for|B|{}|signatories are named individually: speaker = the party's own leader
F|k3-0101|EU|ceasefire|for|B|{}|signatories are named individually: speaker = the party's own leader
F|k3-0101|EU|territory.freeze_line|for|B|{}|signatories are named individually: speaker = the party's own leader
F|k3-0101|FRA|ceasefire|for|B|{}|signatories are named individually: speaker = the party's own leader
F|k3-0101|FRA|territory.freeze_line|for|B|{}|signatories are named individually: speaker = the party's own leader
F|k3-0101|GBR|ceasefire|for|B|{}|signatories are named individually: speaker = the party's own leader
F|k3-0101|GBR|territory.freeze_line|for|B|{}|signatories are named individually: speaker = the party's own leader
F|k3-0101|ITA|ceasefire|for|B|{}|signatories are named individually: speaker = the party's own leader
F|k3-0101|ITA|territory.freeze_line|for|B|{}|signatories are named individually: speaker = the party's own leader
F|k3-0101|UKR|ceasefire|for|B|{}|signatories are named individually: speaker = the party's own leader
F|k3-0101|UKR|territory.freeze_line|for|B|{}|signatories are named individually: speaker = the party's own leader
D|k3-0101|DEU|territory.recognition|against|A|fix|"international borders must not be changed by force" = non-recognition of forced border change (demand); speaker = the signatory|{"speaker":"Friedrich Merz"}
D|k3-0101|EU|territory.recognition|against|A|fix|"international borders must not be changed by force" = non-recognition of forced border change (demand); speaker = the signatory|{"speaker":"Ursula von der Leyen"}
D|k3-0101|FRA|territory.recognition|against|A|fix|"international borders must not be changed by force" = non-recognition of forced border change (demand); speaker = the signatory|{"speaker":"Emmanuel Macron"}
D|k3-0101|GBR|territory.recognition|against|A|fix|"international borders must not be changed by force" = non-recognition of forced border change (demand); speaker = the signatory|{"speaker":"Keir Starmer"}
D|k3-0101|ITA|territory.recognition|against|A|fix|"international borders must not be changed by force" = non-recognition of forced border change (demand); speaker = the signatory|{"speaker":"Giorgia Meloni"}
D|k3-0101|UKR|territory.recognition|against|A|fix|"international borders must not be changed by force" = non-recognition of forced border change (demand); speaker = the signatory|{"speaker":"Volodymyr Zelenskyy"}
D|k3-0101|EU|territory.withdraw_ukraine|against|B|keep|signatories "rejecting any suggestion of territorial concessions to Moscow" (won't cede territory)
D|k3-0101|DEU|territory.withdraw_ukraine|against|B|fix|signatories "rejecting any suggestion of territorial concessions to Moscow"; quote moved to the sentence that says so|{"quote":"European leaders and Ukraine’s allies issued a careful warning to U.S. President Donald Trump early Tuesday over his lukewarm support for Kyiv, backing his call to halt fighting but rejecting any suggestion of territorial concessions to Moscow."}
D|k3-0101|FRA|territory.withdraw_ukraine|against|B|fix|signatories "rejecting any suggestion of territorial concessions to Moscow"; quote moved to the sentence that says so|{"quote":"European leaders and Ukraine’s allies issued a careful warning to U.S. President Donald Trump early Tuesday over his lukewarm support for Kyiv, backing his call to halt fighting but rejecting any suggestion of territorial concessions to Moscow."}
D|k3-0101|GBR|territory.withdraw_ukraine|against|B|fix|signatories "rejecting any suggestion of territorial concessions to Moscow"; quote moved to the sentence that says so|{"quote":"European leaders and Ukraine’s allies issued a careful warning to U.S. President Donald Trump early Tuesday over his lukewarm support for Kyiv, backing his call to halt fighting but rejecting any suggestion of territorial concessions to Moscow."}
D|k3-0101|ITA|territory.withdraw_ukraine|against|B|fix|signatories "rejecting any suggestion of territorial concessions to Moscow"; quote moved to the sentence that says so|{"quote":"European leaders and Ukraine’s allies issued a careful warning to U.S. President Donald Trump early Tuesday over his lukewarm support for Kyiv, backing his call to halt fighting but rejecting any suggestion of territorial concessions to Moscow."}
D|k3-0101|UKR|territory.withdraw_ukraine|against|B|fix|signatories "rejecting any suggestion of territorial concessions to Moscow"; quote moved to the sentence that says so|{"quote":"European leaders and Ukraine’s allies issued a careful warning to U.S. President Donald Trump early Tuesday over his lukewarm support for Kyiv, backing his call to halt fighting but rejecting any suggestion of territorial concessions to Moscow."}
D|k3-0101|USA|ceasefire|for|B|keep|Trump's "position that the fighting should stop immediately" / "his call to halt fighting", stated as fact -> demand
F|k3-0102|DEU|ceasefire|for|A|{"speaker":"joint statement"}|speaker as named in the text
F|k3-0102|DEU|territory.freeze_line|for|A|{"speaker":"joint statement"}|statement's own words (line of contact as starting point); speaker as named in text
F|k3-0102|DNK|ceasefire|for|A|{"speaker":"joint statement"}|speaker as named in the text
F|k3-0102|DNK|territory.freeze_line|for|A|{"speaker":"joint statement"}|statement's own words; speaker as named in text
F|k3-0102|EU|ceasefire|for|A|{"speaker":"joint statement"}|speaker as named in the text
F|k3-0102|EU|territory.freeze_line|for|A|{"speaker":"joint statement"}|statement's own words; speaker as named in text
F|k3-0102|FIN|ceasefire|for|A|{"speaker":"joint statement"}|speaker as named in the text
F|k3-0102|FIN|territory.freeze_line|for|A|{"speaker":"joint statement"}|statement's own words; speaker as named in text
F|k3-0102|FRA|ceasefire|for|A|{"speaker":"joint statement"}|speaker as named in the text
F|k3-0102|FRA|territory.freeze_line|for|A|{"speaker":"joint statement"}|statement's own words; speaker as named in text
F|k3-0102|GBR|ceasefire|for|A|{"speaker":"joint statement"}|speaker as named in the text
F|k3-0102|GBR|territory.freeze_line|for|A|{"speaker":"joint statement"}|statement's own words; speaker as named in text
F|k3-0102|ITA|ceasefire|for|A|{"speaker":"joint statement"}|speaker as named in the text
F|k3-0102|ITA|territory.freeze_line|for|A|{"speaker":"joint statement"}|statement's own words; speaker as named in text
F|k3-0102|NOR|ceasefire|for|A|{"speaker":"joint statement"}|speaker as named in the text
F|k3-0102|NOR|territory.freeze_line|for|A|{"speaker":"joint statement"}|statement's own words; speaker as named in text
F|k3-0102|POL|ceasefire|for|A|{"speaker":"joint statement"}|speaker as named in the text
F|k3-0102|POL|territory.freeze_line|for|A|{"speaker":"joint statement"}|statement's own words; speaker as named in text
F|k3-0102|UKR|ceasefire|for|A|{"speaker":"joint statement"}|speaker as named in the text
F|k3-0102|UKR|territory.freeze_line|for|A|{"speaker":"joint statement"}|statement's own words; speaker as named in text
F|k3-0103|RUS|alliance.nato|against|B|{}|listed among Moscow's "conditions for a truce" = explicit precondition -> red_line (as k1k2 F k1-0053)
F|k3-0103|RUS|territory.recognition|for|B|{}|listed among Moscow's "conditions for a truce" = explicit precondition -> red_line
F|k3-0103|USA|ceasefire|for|B|{}|"appealed to both leaders to stop the killing" -> demand
D|k3-0103|RUS|ceasefire|for|B|keep|Moscow outlined its conditions for a truce: conditional offer -> ceasefire for (propose), edge rule
F|k3-0104|USA|ceasefire|for|A|{}|Trump's own words: "the immediate cessation of fighting was the priority"
F|k3-0104|USA|territory.freeze_line|for|B|{}|Trump's own words "What they should do is just stop at the lines" -> demand (urging)
F|k3-0105|USA|territory.freeze_line|for|B|{}|Trump's own words ("cut and stop at the battle line")
D|k3-0105|UKR|ceasefire|for|B|keep|Zelenskyy supported Trump's proposal to stop at the current lines: halting the fighting -> accept
D|k3-0105|USA|ceasefire|for|B|keep|Trump: "cut and stop at the battle line": halt of fighting proposed
F|k3-0107|USA|process.talks|for|A|{}|Trump confirmed plans to meet Putin -> propose
D|k3-0109|RUS|territory.withdraw_russia|against|B|drop|voting against a whole resolution; the text names no term Russia rejected (whole-plan rule)
D|k3-0109|UN|territory.withdraw_russia|for|B|keep|General Assembly resolution demanding Russia's withdrawal (as k1k2 k1-0091: UN resolution -> UN, demand)
D|k3-0109|USA|territory.withdraw_russia|against|B|drop|US voted against the whole resolution for its framing; no term named as rejected (whole-plan rule)
D|k3-0110|RUS|territory.withdraw_russia|against|B|drop|voting against a whole resolution; no term named as rejected (whole-plan rule)
D|k3-0110|UN|territory.withdraw_russia|for|B|fix|adopted resolution demands withdrawal; quote moved to the sentence that names the demand|{"quote":"The resolution, proposed by the European Union and Ukraine, refers to \"the full-scale invasion of the Russian Federation into Ukraine\" and demands that Russia \"immediately, completely and unconditionally withdraw all of its military forces from the territory of Ukraine within its internationally recognised borders\"."}
D|k3-0110|USA|territory.withdraw_russia|against|B|drop|US voted against the whole resolution; no term named as rejected (whole-plan rule)
D|k3-0112|EU|territory.withdraw_russia|for|B|keep|"Europe-backed Ukrainian resolution" demanding withdrawal (as agreed EU in k3-0109/0110)
D|k3-0112|RUS|territory.withdraw_russia|against|B|drop|voting against a whole resolution; no term named as rejected (whole-plan rule)
D|k3-0112|UN|territory.withdraw_russia|for|B|keep|General Assembly approved the resolution demanding immediate withdrawal
D|k3-0112|USA|territory.withdraw_russia|against|B|drop|US voted against the whole resolution; no term named as rejected (whole-plan rule)
F|k3-0115|UN|territory.withdraw_russia|for|A|{"speaker":"Antonio Guterres"}|"it must be in line with ... territorial integrity" -> demand; speaker spelled as in text
F|k3-0115|UN|ceasefire|for|B|{}|speaker spelled as in text
F|k3-0118|UN|ceasefire|for|B|{}|speaker spelled as in text
F|k3-0121|RUS|alliance.neutrality|for|B|{}|speaker spelled as in the body text
F|k3-0121|RUS|security.guarantees|for|B|{}|speaker spelled as in the body text
F|k3-0122|UKR|ceasefire|for|B|{}|fact sentence on what Kyiv agreed
D|k3-0122|RUS|ceasefire|against|A|keep|"Ukraine agreed to a 30-day ceasefire, and Russia did not": declined the full ceasefire (doc may hold for and against)
D|k3-0122|RUS|ceasefire|for|B|keep|Moscow promised not to attack energy facilities: partial (energy) truce accepted
D|k3-0122|USA|ceasefire|for|B|keep|Kellogg (US envoy) backs the 30-day ceasefire and expects it to be extended
F|k3-0123|USA|ceasefire|for|A|{}|sentence names Kellogg and states the position
F|k3-0124|RUS|alliance.neutrality|for|B|{}|speaker as named in the text ("Moscow's version requires")
F|k3-0124|RUS|military.limits|for|B|{}|speaker as named in the text
F|k3-0124|RUS|territory.recognition|for|B|{}|speaker as named in the text
F|k3-0124|RUS|territory.withdraw_ukraine|for|B|{}|speaker as named in the text
D|k3-0124|USA|ceasefire|for|B|drop|"understands what a full ceasefire could and should look like" is no call for or offer of a ceasefire; precision
F|k3-0125|USA|process.talks|for|A|{}|Witkoff asked for a meeting in Geneva to continue the talks -> propose
F|k3-0126|USA|process.talks|for|A|{}|Witkoff asked Zelenskyy for a meeting in Geneva -> propose
F|k3-0127|RUS|process.talks|for|A|{}|"we welcome these mediation efforts" -> accept
F|k3-0128|RUS|process.talks|for|A|{}|Moscow "remains open to peace negotiations" / ready without preconditions -> propose
D|k3-0128|USA|ceasefire|for|A|keep|Trump's call that Russia should stop its strikes on Ukraine (halt strikes) -> demand
F|k3-0129|USA|security.guarantees|for|A|{}|Witkoff reports the agreement on US commitments is "almost complete": a statement -> other
D|k3-0129|RUS|ceasefire|for|A|keep|Trump reports Putin agreed to pause strikes on Kyiv/energy: reported agreement counts (dev doc106; cf. dev doc104)
D|k3-0129|USA|process.talks|for|B|keep|Witkoff announced progress in the negotiations: own statement that they are negotiating
D|k3-0130|RUS|ceasefire|for|A|keep|Trump reports Putin agreed to halt attacks on Kyiv for a week: reported agreement counts (dev doc106)
F|k3-0131|USA|ceasefire|for|B|{}|Trump's own words on his request
D|k3-0133|RUS|process.talks|for|B|keep|Ushakov calls the Witkoff meeting useful and constructive: own statement on the talks
D|k3-0133|USA|process.talks|for|B|keep|Trump: "great progress was made ... we will work toward that": own statement on the talks
F|k3-0134|USA|sanctions.relief|against|A|{}|sentence naming Trump's threatened secondary tariffs
D|k3-0134|RUS|process.talks|for|B|keep|Ushakov: "A quite useful and constructive conversation took place": own statement on the talks
D|k3-0134|USA|ceasefire|for|B|fix|US deadline for Russia to halt its offensive -> demand; dateline cut from the quote|{"quote":"Russian President Vladimir Putin held \"constructive\" talks with US envoy Steve Witkoff in Moscow on Wednesday, the Kremlin said, two days ahead of a US deadline for Russia to halt its Ukraine offensive or face fresh sanctions."}
D|k3-0136|RUS|ceasefire|against|A|keep|Putin "still has not accepted the demand to declare a ceasefire" stated as fact (as k3-0122)
D|k3-0136|USA|ceasefire|for|B|keep|the US demand (Trump's deadline) that Russia declare a ceasefire -> demand
D|k3-0138|RUS|humanitarian.exchange|for|B|keep|talks "produced agreements on freeing prisoners of war": party to an agreed swap -> accept (k1k2 R6, dev doc106)
D|k3-0138|UKR|humanitarian.exchange|for|B|keep|talks "produced agreements on freeing prisoners of war": party to an agreed swap -> accept (k1k2 R6, dev doc106)
F|k3-0160|RUS|ceasefire|for|A|{}|one-sentence Kremlin account of the agreement
F|k3-0160|USA|process.talks|for|B|{"speaker":"White House"}|"The leaders agreed that ... negotiations will begin immediately": agreement to negotiate -> accept; speaker as in text
D|k3-0160|RUS|military.limits|for|B|drop|halt to rearming/mobilisation during a truce is a ceasefire condition, not a cap on Ukraine's forces; unsure -> out
D|k3-0160|UKR|ceasefire|for|B|keep|comprehensive ceasefire "that US and Ukrainian negotiators proposed"
F|k3-0161|RUS|ceasefire|for|B|{}|single-sentence account (A's quote spans two sentences)
F|k3-0161|USA|ceasefire|for|B|{}|the sentence stating Trump's proposal
F|k3-0162|USA|process.talks|for|B|{"speaker":"White House"}|leaders agreed negotiations begin immediately -> accept (as k3-0160); speaker as in text
F|k3-0164|USA|ceasefire|for|B|{}|the US is the proposer of the 30-day ceasefire -> propose
F|k3-0164|USA|process.talks|for|A|{"act":"accept"}|White House: Trump and Putin agreed talks will begin immediately -> accept (as k3-0160)
F|k3-0166|USA|ceasefire|for|B|{}|speaker as named in the text
F|k3-0166|USA|process.talks|for|B|{"speaker":"White House"}|agreement that negotiations begin -> accept (as k3-0160)
F|k3-0172|RUS|territory.recognition|for|B|{}|"any final deal must recognize Russia's control" = condition for a deal -> red_line (cf. dev doc096/097)
F|k3-0172|USA|alliance.nato|against|B|{}|speaker as named in the text ("US officials presented")
F|k3-0172|USA|territory.withdraw_ukraine|for|B|{}|speaker as named in the text
D|k3-0172|RUS|territory.withdraw_russia|against|A|keep|Russian officials "openly ruled out concessions on ... territory" = Russia will not give up land; will-not-compromise -> red_line
D|k3-0172|RUS|territory.withdraw_ukraine|for|B|drop|ruling out Russia's own concessions does not state a demand that Ukraine withdraw (that is withdraw_russia against)
D|k3-0172|RUS|process.talks|for|B|keep|Putin confirmed Witkoff will come to Moscow for further talks: own statement of a further round
F|k3-0173|RUS|territory.withdraw_ukraine|for|B|{}|"hostilities will stop when Ukrainian forces withdraw": ultimatum -> demand + red_line (edge rule)
D|k3-0173|RUS|process.talks|for|B|keep|Putin announced a US delegation visits Moscow next week: own statement of a further round
F|k3-0175|USA|process.talks|for|B|{}|direct sentence: Trump and Putin agreed to meet in Budapest
F|k3-0176|USA|process.talks|for|B|{}|Trump's own words: meeting "in an agreed upon location" -> accept
D|k3-0176|RUS|humanitarian.exchange|for|A|keep|Putin (via Trump) thanked Melania Trump for her work on the abducted Ukrainian children and said it would continue -> other
D|k3-0178|USA|process.talks|for|A|keep|Peskov: the leaders (Trump and Putin) agreed to hold a second summit -> accept
D|k3-0178|DEU|process.talks|for|B|drop|German spokesperson comments on Putin and urges pressure on Moscow; no own readiness or call for talks; precision
F|k3-0180|USA|territory.recognition|for|B|{}|plan provision -> propose; one statement per triple
F|k3-0181|UKR|territory.recognition|against|A|{}|one sentence (R11): Zelensky's refusal ("There is nothing to discuss") on recognising Crimea
D|k3-0181|UKR|territory.withdraw_ukraine|against|A|drop|"refusal to cede" refers to Crimea (occupied, not Ukrainian-held): that is territory.recognition, already in gold
F|k3-0184|RUS|military.limits|for|B|{}|"ready to end the war ... as long as all Moscow's demands are met" = condition -> red_line
F|k3-0184|RUS|territory.recognition|for|B|{}|"as long as all Moscow's demands are met" = condition -> red_line
F|k3-0184|RUS|territory.withdraw_ukraine|for|B|{}|"as long as all Moscow's demands are met" = condition -> red_line
F|k3-0189|USA|process.talks|for|A|{}|Trump "wants the two leaders to meet" -> propose
F|k3-0190|RUS|politics.elections|for|B|{}|Ukraine must hold elections "if progress was to be made" = precondition -> red_line
F|k3-0190|UKR|territory.withdraw_russia|for|B|{}|"vowed to recover land" -> other (cf. dev doc008)
F|k3-0190|USA|process.talks|for|A|{}|Trump "wants the two leaders to meet" -> propose
F|k3-0192|USA|security.guarantees|for|A|{}|US working out the details of the guarantees with Europeans -> propose
D|k3-0192|EU|security.guarantees|for|A|keep|"European countries, together with the United States, were working out details" of guarantees: collective Europeans -> EU, propose
F|k3-0194|RUS|territory.withdraw_ukraine|for|A|{}|explicit demand sentence (Putin demanding surrender of Luhansk and Donetsk)
F|k3-0194|USA|process.talks|for|A|{}|Trump spoke out in favour of a Putin-Zelensky meeting -> propose
D|k3-0194|RUS|process.talks|for|A|keep|"Putin is ready to meet with Zelensky when an agenda ... is prepared": conditional readiness -> propose
D|k3-0194|RUS|process.talks|against|B|drop|RULES R4 (k1k2): conditioning a leaders' meeting on an agenda is not a refusal
D|k3-0194|RUS|alliance.nato|against|B|keep|Lavrov: a Ukrainian renunciation of NATO membership must be settled before a summit -> demand
D|k3-0196|RUS|process.talks|for|A|keep|Putin "ready to meet Zelensky when the agenda would be ready": conditional readiness -> propose
D|k3-0196|RUS|process.talks|against|B|drop|RULES R4 (k1k2): "no meeting planned" while readiness is conditioned on an agenda is not a refusal
D|k3-0196|USA|process.talks|for|B|fix|Trump says both leaders agreed to meet: the US arranging a summit -> propose (RULES R3/R5)|{"act":"propose"}
F|k3-0198|USA|security.guarantees|for|B|{}|the US is the guarantor offering 15-year guarantees in its plan -> propose
D|k3-0199|USA|security.guarantees|for|B|keep|post-war security guarantees are part of the U.S.-drafted plan -> propose
D|k3-0202|ARE|process.talks|for|B|fix|UAE foreign minister on the UAE hosting and mediating the round: own hosting/mediation -> propose (RULES R3)|{"act":"propose"}
D|k3-0205|USA|ceasefire|for|B|keep|"Washington attempts to orchestrate a ceasefire" stated as fact
F|k3-0222|USA|process.talks|for|A|{}|Witkoff says he will travel to Moscow to discuss ending the war -> propose
F|k3-0230|DEU|justice.accountability|for|A|{}|supported the tribunal Ukraine asked for -> accept
F|k3-0230|EU|justice.accountability|for|A|{}|expressed political support for the tribunal -> accept
F|k3-0230|FRA|justice.accountability|for|A|{}|supported the tribunal Ukraine asked for -> accept
F|k3-0230|LVA|justice.accountability|for|A|{}|supported the tribunal Ukraine asked for -> accept
F|k3-0230|UKR|justice.accountability|for|A|{"quote":"Ukraine insists on the establishment of a Special Tribunal for the crime of Russian aggression against Ukraine, since the International Criminal Court and other similar institutions cannot at this stage consider cases for such crimes."}|one-sentence statement; list dash removed
F|k3-0234|USA|ceasefire|for|B|{}|Trump: both sides "should end the war right now at the battle line" -> demand (as k3-0104)
F|k3-0234|USA|process.talks|for|A|{}|Trump plans to meet Putin in Budapest -> propose
F|k3-0234|USA|territory.freeze_line|for|B|{}|"should end the war right now at the battle line" -> demand (as k3-0104)
F|k3-0235|USA|process.talks|for|A|{}|Trump announces the upcoming summit with Putin -> propose
F|k3-0236|HUN|process.talks|for|A|{}|Orban: Budapest summit being prepared (host) -> propose
F|k3-0236|UKR|territory.freeze_line|for|B|{"quote":"“We should stop where we are now."}|Zelensky's own words, cut to the one sentence (R11)
F|k3-0236|USA|process.talks|for|A|{}|Trump announced he will meet Putin -> propose
D|k3-0236|UKR|process.talks|for|B|fix|Zelensky: first a ceasefire "so we can sit down at the negotiating table": declared readiness -> propose; quote cut to the one sentence (R11)|{"quote":"My position is: let’s first agree to a ceasefire so we can sit down at the negotiating table,” the Ukrainian leader said."}
D|k3-0236|USA|ceasefire|for|B|fix|"Trump believes the fighting should be halted along the current front line" -> ceasefire for; "believes" -> other|{"act":"other"}
F|k3-0237|UKR|process.talks|for|B|{}|Sybiha "advocating for a (summit) meeting": pushing for -> demand; own words, no dateline
F|k3-0238|UKR|process.talks|for|A|{}|"Ukraine is ready for it" -> propose
F|k3-0239|UKR|process.talks|for|A|{}|"Ukraine is ready for the meeting at any moment" -> propose
F|k3-0240|UKR|process.talks|for|A|{}|declared openness/readiness for the trilateral meeting -> propose
F|k3-0244|RUS|humanitarian.exchange|for|B|{}|governments confirmed the swap -> accept; one statement per triple
F|k3-0245|RUS|humanitarian.exchange|for|B|{}|speaker as named in the text
F|k3-0245|UKR|humanitarian.exchange|for|B|{}|speaker as named in the text
F|k3-0246|USA|ceasefire|for|A|{}|Trump supported the European proposal -> accept (as k3-0097)
D|k3-0246|RUS|ceasefire|against|A|keep|the Kremlin "has held out" against the US 30-day truce (as k3-0122/0136)
F|k3-0247|UKR|ceasefire|for|A|{}|"an immediate, full, and unconditional ceasefire is needed" -> demand
D|k3-0247|DEU|sanctions.relief|against|B|fix|urging Putin to accept the ceasefire "or face more sanctions" (as agreed in k3-0246); dateline cut from quote|{"quote":"European leaders from Britain, France, Germany and Poland joined Ukrainian President Volodymyr Zelensky in Kyiv on Saturday in urging Russian President Vladimir Putin to accept a 30-day unconditional ceasefire or face more sanctions."}
D|k3-0247|FRA|sanctions.relief|against|B|fix|urging Putin to accept the ceasefire "or face more sanctions" (as agreed in k3-0246); dateline cut from quote|{"quote":"European leaders from Britain, France, Germany and Poland joined Ukrainian President Volodymyr Zelensky in Kyiv on Saturday in urging Russian President Vladimir Putin to accept a 30-day unconditional ceasefire or face more sanctions."}
D|k3-0247|GBR|sanctions.relief|against|B|fix|urging Putin to accept the ceasefire "or face more sanctions" (as agreed in k3-0246); dateline cut from quote|{"quote":"European leaders from Britain, France, Germany and Poland joined Ukrainian President Volodymyr Zelensky in Kyiv on Saturday in urging Russian President Vladimir Putin to accept a 30-day unconditional ceasefire or face more sanctions."}
D|k3-0247|POL|sanctions.relief|against|B|fix|urging Putin to accept the ceasefire "or face more sanctions" (as agreed in k3-0246); dateline cut from quote|{"quote":"European leaders from Britain, France, Germany and Poland joined Ukrainian President Volodymyr Zelensky in Kyiv on Saturday in urging Russian President Vladimir Putin to accept a 30-day unconditional ceasefire or face more sanctions."}
D|k3-0247|UKR|sanctions.relief|against|B|fix|Zelensky joined in urging Putin to accept the ceasefire "or face more sanctions"; dateline cut from quote|{"quote":"European leaders from Britain, France, Germany and Poland joined Ukrainian President Volodymyr Zelensky in Kyiv on Saturday in urging Russian President Vladimir Putin to accept a 30-day unconditional ceasefire or face more sanctions."}
D|k3-0254|UKR|process.talks|for|B|keep|Zelenskiy: Europe and the US should work in a joint negotiating track with Moscow: supports negotiations
D|k3-0255|USA|security.guarantees|for|B|keep|"proposed U.S. security guarantees" stated as fact -> propose
F|k3-0012|RUS|ceasefire|for|A|{}|lead sentence states Putin is in favour of the 30-day ceasefire
F|k3-0044|USA|alliance.nato|against|B|{}|plan provision; speaker = the plan's backer as named in the text (Donald Trump)
F|k3-0044|USA|military.limits|for|B|{}|plan provision; speaker = the plan's backer as named in the text
F|k3-0044|USA|security.foreign_troops|against|B|{}|plan provision; speaker = the plan's backer as named in the text
F|k3-0044|USA|territory.recognition|for|B|{}|plan provision; speaker = the plan's backer as named in the text
F|k3-0044|USA|territory.withdraw_ukraine|for|B|{}|plan provision; speaker = the plan's backer as named in the text
F|k3-0045|USA|alliance.nato|against|B|{}|plan provision; speaker = the plan's owner as named in the text ("Donald Trump's 28-point peace plan")
F|k3-0045|USA|alliance.neutrality|for|B|{}|plan provision; speaker = the plan's owner as named in the text
F|k3-0045|USA|assets.frozen|for|B|{}|plan provision; speaker = the plan's owner as named in the text
F|k3-0045|USA|ceasefire|for|B|{}|plan provision; speaker = the plan's owner as named in the text
F|k3-0045|USA|military.limits|for|B|{}|plan provision; speaker = the plan's owner as named in the text
F|k3-0045|USA|sanctions.relief|for|B|{}|plan provision; speaker = the plan's owner as named in the text
F|k3-0045|USA|security.foreign_troops|against|B|{}|plan provision; speaker = the plan's owner as named in the text
F|k3-0045|USA|security.guarantees|for|B|{}|plan provision; speaker = the plan's owner as named in the text
F|k3-0045|USA|territory.freeze_line|for|B|{}|plan provision; speaker = the plan's owner as named in the text
F|k3-0058|UKR|politics.elections|for|B|{}|speaker: the party's leader named in the text rather than a paraphrased plan name
F|k3-0058|UKR|security.guarantees|for|B|{}|speaker: the party's leader named in the text rather than a paraphrased plan name
F|k3-0059|USA|security.guarantees|for|B|{}|speaker as named in the text
F|k3-0087|RUS|humanitarian.exchange|for|A|{"speaker":"Russia’s Defense Ministry"}|single sentence; speaker spelled as in the text
F|k3-0103|UKR|ceasefire|for|B|{}|no dateline; speaker spelled as in the text
F|k3-0103|UKR|territory.freeze_line|for|B|{}|speaker spelled as in the text
F|k3-0135|USA|process.talks|for|A|{}|Trump plans to meet Putin and a trilateral meeting -> propose
F|k3-0165|RUS|ceasefire|for|A|{}|sentence names the agreement to the 30-day energy pause
F|k3-0174|RUS|process.talks|for|A|{}|Ushakov on the agreed ("planned") summit -> accept (as k3-0178)
F|k3-0174|USA|process.talks|for|B|{}|"meet in an agreed upon location" -> accept (as k3-0176)
F|k3-0196|RUS|politics.elections|for|B|{}|speaker spelled as in the text
F|k3-0203|USA|process.talks|for|A|{}|Trump said the leaders would likely meet soon to negotiate -> propose
F|k3-0229|UKR|justice.accountability|for|B|{}|"requested the establishment of a special tribunal" -> demand (request/application, as k1k2)
F|k3-0233|UKR|humanitarian.exchange|for|A|{"act":"other"}|Lubinets "highlighted" the return of children as a key topic: neither offer nor demand -> other
"""


def load(path):
    out, order = {}, []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                d = json.loads(line)
                if d["id"] in out:
                    raise SystemExit(f"{path}:{n}: duplicate id {d['id']}")
                out[d["id"]] = d
    return out


def triples(stmts):
    t = {}
    for s in stmts:
        t.setdefault((s["party"], s["issue"], s["polarity"]), []).append(s)
    return t


def parse_resolutions(text):
    D, F = {}, {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        c = line.split("|")
        if c[0] == "D":
            _, aid, p, i, pol, src, dec, reason, *rest = c
            ov = json.loads("|".join(rest)) if rest else {}
            assert dec in ("keep", "drop", "fix"), line
            assert (dec == "fix") == bool(ov), f"fix needs overrides (and only fix): {line}"
            assert (aid, p, i, pol, src) not in D, f"duplicate D row: {line}"
            D[(aid, p, i, pol, src)] = (dec, reason, ov)
        elif c[0] == "F":
            _, aid, p, i, pol, base, ov, *reason = c
            assert base in ("A", "B"), line
            assert (aid, p, i, pol) not in F, f"duplicate F row: {line}"
            F[(aid, p, i, pol)] = (base, json.loads(ov), "|".join(reason))
        else:
            raise SystemExit(f"resolution line {n}: bad row kind {c[0]!r}")
    return D, F


def auto_resolve(text, sa, sb):
    """Mechanical choice between two statements of an agreed triple (one each).
    Returns (statement, reason) or None when a human decision is needed."""
    if sa["act"] != sb["act"] or sa["red_line"] != sb["red_line"]:
        return None
    s, why = dict(sa), []
    if sa["quote"] != sb["quote"]:
        qa, qb = sa["quote"], sb["quote"]
        if qa in qb or qb in qa:
            short = qa if len(qa) < len(qb) else qb
            s["quote"] = short
            why.append("quote: the shorter span (dateline/label or extra sentence dropped)")
        else:
            return None
    if sa["speaker"] != sb["speaker"]:
        ka, kb = (x.lower().removeprefix("the ") for x in (sa["speaker"], sb["speaker"]))
        if ka != kb:
            return None
        cands = [x for x in (sa["speaker"], sb["speaker"]) if x in s["quote"]] or \
                [x for x in (sa["speaker"], sb["speaker"]) if x in text]
        s["speaker"] = cands[0] if cands else sa["speaker"]
        why.append("speaker: case/article only; the form found in the quote (else the text)")
    return s, "; ".join(why)


def norm(s):
    return {k: s[k] for k in ORDER}


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=os.path.join(HERE, ".."))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    root = args.root
    arts = load(os.path.join(root, "articles", K + ".jsonl"))
    pa = load(os.path.join(root, "pass_a", K + ".jsonl"))
    pb = load(os.path.join(root, "pass_b", K + ".jsonl"))
    prof = os.path.join(root, "..", "..", "profiles", "russia-ukraine")
    issues = set(re.findall(r"^\s*- id: (\S+)", open(os.path.join(prof, "issues.yaml"), encoding="utf-8").read(), re.M))
    parties = set(re.findall(r"^\s*- id: (\S+)", open(os.path.join(prof, "parties.yaml"), encoding="utf-8").read(), re.M))
    D, F = parse_resolutions(RESOLUTIONS)
    usedD, usedF, problems = set(), set(), []
    gold, dec_rows, field_rows = [], [], []
    tp = fp = fn = 0
    for aid in sorted(arts):
        text = arts[aid]["text"]
        ta = triples(pa.get(aid, {}).get("statements", []))
        tb = triples(pb.get(aid, {}).get("statements", []))
        out = []
        for t in sorted(set(ta) | set(tb)):
            key = (aid,) + t
            if t in ta and t in tb:
                tp += 1
                A, B = ta[t], tb[t]
                if key in F:
                    usedF.add(key)
                    base, ov, reason = F[key]
                    cand = A if base == "A" else B
                    pick = ov.get("pick")
                    if pick:
                        m = [x for x in cand if x["quote"].startswith(pick)]
                        assert len(m) == 1, (key, pick)
                        s = dict(m[0])
                    else:
                        s = dict(cand[0])
                    s.update({k: v for k, v in ov.items() if k != "pick"})
                else:
                    same = len(A) == 1 and len(B) == 1 and all(A[0][f] == B[0][f] for f in FIELDS)
                    if same:
                        s, reason = dict(A[0]), ""
                    else:
                        r = auto_resolve(text, A[0], B[0]) if len(A) == 1 and len(B) == 1 else None
                        if r is None:
                            problems.append("UNRESOLVED agreed " + " ".join(key))
                            continue
                        s, reason = r
                cq = clean_quote(s["quote"], text)
                if cq != s["quote"]:
                    s["quote"] = cq
                    reason = (reason + "; " if reason else "") + "R11: leading dateline/label/list bullet removed (rest verbatim)"
                    if {x["quote"] for x in A} == {x["quote"] for x in B}:
                        field_rows.append([aid, *t, "quote", A[0]["quote"], B[0]["quote"], cq, reason])
                for f in FIELDS:
                    va = sorted({json.dumps(x[f], ensure_ascii=False) for x in A})
                    vb = sorted({json.dumps(x[f], ensure_ascii=False) for x in B})
                    if va != vb:
                        field_rows.append([aid, *t, f, " || ".join(json.loads(v) if isinstance(json.loads(v), str) else v for v in va),
                                           " || ".join(json.loads(v) if isinstance(json.loads(v), str) else v for v in vb),
                                           json.dumps(s[f]) if f == "red_line" else s[f], reason])
                out.append(norm(s))
            else:
                src = "A" if t in ta else "B"
                if src == "A":
                    fn += 1
                else:
                    fp += 1
                dk = key + (src,)
                if dk not in D:
                    problems.append("UNRESOLVED one-pass " + " ".join(dk))
                    continue
                usedD.add(dk)
                dec, reason, ov = D[dk]
                s = dict((ta if src == "A" else tb)[t][0])
                s.update(ov)
                cq = clean_quote(s["quote"], text)
                if dec != "drop" and cq != s["quote"]:
                    s["quote"] = cq
                    dec = "fix"
                    reason += "; quote: leading dateline/label removed (R11)"
                if ov:
                    reason += " [" + ", ".join(f"{k}={v}" if k != "quote" else "quote replaced" for k, v in ov.items()) + "]"
                dec_rows.append([aid, *t, src, dec, reason])
                if dec == "drop":
                    continue
                out.append(norm(s))
        gold.append({"id": aid, "statements": out})
    for k in set(D) - usedD:
        problems.append("UNUSED D row " + " ".join(k))
    for k in set(F) - usedF:
        problems.append("UNUSED F row " + " ".join(k))
    # validation
    seen = set()
    for d in gold:
        assert d["id"] not in seen
        seen.add(d["id"])
        text = arts[d["id"]]["text"]
        tr = set()
        for s in d["statements"]:
            t = (s["party"], s["issue"], s["polarity"])
            if t in tr:
                problems.append(f"duplicate triple {d['id']} {t}")
            tr.add(t)
            if s["quote"] not in text:
                problems.append(f"quote not verbatim {d['id']} {t}: {s['quote'][:80]}")
            if s["issue"] not in issues or s["issue"] not in GUIDELINE_ISSUES:
                problems.append(f"bad issue {d['id']} {s['issue']}")
            if s["party"] not in parties and s["party"] not in ALPHA3:
                problems.append(f"bad party {d['id']} {s['party']}")
            if s["polarity"] not in ("for", "against") or s["act"] not in ACTS or not isinstance(s["red_line"], bool):
                problems.append(f"bad value {d['id']} {t} {s['act']} {s['red_line']}")
            if not s["speaker"].strip() or not s["quote"].strip():
                problems.append(f"empty speaker/quote {d['id']} {t}")
    if seen != set(arts):
        problems.append("gold ids differ from article ids")
    for p in problems:
        print(p, file=sys.stderr)
    p, r, f1 = prf(tp, fp, fn)
    n_st = sum(len(d["statements"]) for d in gold)
    from collections import Counter
    dc = Counter(r[5] for r in dec_rows)
    print(f"# {K}: agreed={tp} only_A={fn} only_B={fp}  B vs A: P={p:.3f} R={r:.3f} F1={f1:.3f}")
    print(f"# gold: {len(gold)} articles, {n_st} statements; decisions {dict(dc)} "
          f"(A: {dict(Counter(r[5] for r in dec_rows if r[4]=='A'))}, B: {dict(Counter(r[5] for r in dec_rows if r[4]=='B'))}); "
          f"field choices on agreed triples: {len(field_rows)}")
    if problems:
        raise SystemExit(f"{len(problems)} problems; nothing written")
    if args.check:
        return
    g = os.path.join(root, "gold")
    os.makedirs(g, exist_ok=True)
    tmp = os.path.join(g, K + ".jsonl.tmp")
    with open(tmp, "w", encoding="utf-8") as fo:
        for d in gold:
            fo.write(json.dumps(d, ensure_ascii=False) + "\n")
    for line in open(tmp, encoding="utf-8"):
        json.loads(line)
    os.replace(tmp, os.path.join(g, K + ".jsonl"))
    with open(os.path.join(g, f"decisions_{K}.tsv"), "w", encoding="utf-8") as fo:
        fo.write("id\tparty\tissue\tpolarity\tsource\tdecision\treason\n")
        for r_ in dec_rows:
            fo.write("\t".join(r_) + "\n")
    with open(os.path.join(g, f"field_choices_{K}.tsv"), "w", encoding="utf-8") as fo:
        fo.write("id\tparty\tissue\tpolarity\tfield\tvalue_A\tvalue_B\tgold\treason\n")
        for r_ in field_rows:
            fo.write("\t".join(str(x).replace("\t", " ").replace("\n", " ") for x in r_) + "\n")
    print(f"wrote gold/{K}.jsonl, gold/decisions_{K}.tsv, gold/field_choices_{K}.tsv")


if __name__ == "__main__":
    main()
