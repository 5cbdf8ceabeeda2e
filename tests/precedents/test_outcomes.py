"""The curated outcome table: every entry dated and sourced, tied to PA-X where PA-X has it, matched
to plans through the profile's terms, and summarised as hold rates with honest intervals."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from redline.errors import DataError
from redline.model import Provision
from redline.precedents.analogues import plan_analogues
from redline.precedents.outcomes import data_dir, hold_rates, load_outcomes, match_outcomes, wilson
from redline.sources import load_sources

from .conftest import REPO, make_plan

REQUIRED = {"minsk-1-2014", "minsk-2-2015", "georgia-2008-six-point", "transnistria-1992", "bishkek-1994",
            "karabakh-2020", "dayton-1995", "algiers-2000", "korea-1953-armistice", "finland-1944-armistice",
            "finland-1947-paris-treaty", "austria-1955", "budapest-1994", "istanbul-2022", "black-sea-grain-2022"}
AGGREGATORS = ("wikisum", "cryer.org", "memim", "zxc.wiki", "glostat", "pdfslide", "owiki", "piglix",
               "liquisearch", "en-academic", "perceptio", "calendarz", "wikimili")


@pytest.fixture(scope="module")
def table():
    return load_outcomes()


def test_the_table_is_the_repository_data_file(table):
    assert data_dir() == REPO / "data"
    assert Path(table.path) == REPO / "data" / "agreement_outcomes.yaml"


def test_required_agreements_have_dates_sources_and_outcomes(table):
    assert REQUIRED <= {o.id for o in table.outcomes}
    for o in table.outcomes:
        assert o.sources and all(s.url.startswith(("http://", "https://")) for s in o.sources), o.id
        assert not any(a in s.url for s in o.sources for a in AGGREGATORS), o.id
        assert isinstance(o.date, dt.date) and o.reason.strip() and o.held_for.strip()
        if o.status in ("broke_down", "lapsed", "never_in_force"):
            assert o.ended and o.ended > o.date, o.id
    by = {o.id: o for o in table.outcomes}
    assert by["minsk-2-2015"].status == "broke_down" and by["minsk-2-2015"].ended == dt.date(2022, 2, 21)
    assert by["korea-1953-armistice"].status == "held" and "dmz" in by["korea-1953-armistice"].mechanisms
    assert by["budapest-1994"].mechanisms == [] and "no_enforcement" in by["budapest-1994"].terms
    assert by["bishkek-1994"].ended == dt.date(2020, 9, 27) and "monitoring" not in by["bishkek-1994"].mechanisms
    assert by["black-sea-grain-2022"].status == "lapsed" and by["black-sea-grain-2022"].ended == dt.date(2023, 7, 17)


def test_pax_ids_point_at_the_right_agreements(table, pax):
    expect = {"minsk-1-2014": "Minsk", "minsk-2-2015": "Minsk II", "georgia-2008-six-point": "Medvedev-Sarkozy",
              "transnistria-1992": "Dniester", "bishkek-1994": "Bishkek", "dayton-1995": "Dayton",
              "black-sea-grain-2022": "Grain"}
    for o in table.outcomes:
        for aid in o.pax_ids:
            agt = pax.agreement(aid)
            assert abs((agt.date - o.date).days) < 400, (o.id, aid)
        if o.id in expect:
            assert expect[o.id] in pax.agreement(o.pax_ids[0]).name, o.id


def test_nothing_the_reference_marks_unverified(table):
    text = " ".join(o.model_dump_json() for o in table.outcomes)
    for phrase in ("unverified", " 30 km", "UNSC Res 2202", "France and China", "obsolete", "51%", " 40 km"):
        assert phrase not in text


def test_every_source_is_classed_citable_with_the_tier_list(table):
    """The bundled table loads with no not-citable source, and its tier shares are reported."""
    sources = load_sources(REPO / "data" / "sources.yaml")
    counts = table.tier_counts()
    assert counts["not_citable"] == 0
    assert sum(counts.values()) == sum(len(o.sources) for o in table.outcomes)
    for o in table.outcomes:
        for s in o.sources:
            cls = sources.classify(s.url)
            assert cls.citable and s.tier == cls.tier, (o.id, s.url)
    shares = table.tier_shares()
    assert list(shares) == ["official", "wire_major", "regional", "not_citable"]
    assert shares["not_citable"] == 0.0 and sum(shares.values()) == pytest.approx(1.0)
    assert shares["official"] + shares["wire_major"] >= 0.5   # mostly official texts and wires/major outlets
    print("outcome source tiers:", {t: f"{v:.0%}" for t, v in shares.items()})
    # what became of each agreement rests on a news or official source, not on a copy of its text
    for o in table.outcomes:
        assert o.outcome_sources and o.evidence == o.outcome_sources[0].url, o.id
        assert all(not s.text and "peaceagreements.org" not in s.url for s in o.outcome_sources), o.id


def test_the_tier_list_refuses_the_known_bad_domains():
    sources = load_sources(REPO / "data" / "sources.yaml")
    for url in ("https://www.scribd.com/document/210003244/Budapest-Memorandum",
                "https://en.wikipedia.org/wiki/Korean_Armistice_Agreement",
                "https://www.debka.com/x/", "https://armenianclub.com/2010/05/13/x",
                "http://www.country-data.com/cgi-bin/query/r-4717.html", "https://empr.media/politics/x/",
                "https://www.pulse.ng/news/world/x.html", "https://unknown-site.example/x"):
        assert not sources.classify(url).citable, url
    assert sources.classify("https://pax.peaceagreements.org/agreements/1364").tier == "official"
    assert sources.classify("https://history.state.gov/historicaldocuments/frus1946v04/d5").tier == "official"
    assert sources.classify("https://peacemaker.un.org/x").tier == "official"


def _write(tmp_path: Path, mutate) -> Path:
    raw = yaml.safe_load((REPO / "data" / "agreement_outcomes.yaml").read_text(encoding="utf-8"))
    mutate(raw)
    p = tmp_path / "agreement_outcomes.yaml"
    p.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return p


@pytest.mark.parametrize("mutate,message", [
    (lambda r: r["outcomes"][0].update(sources=[]), "source"),
    (lambda r: r["outcomes"][0]["sources"][0].update(url="peace-agreements.md"), "http"),
    (lambda r: r["outcomes"][0].pop("date"), "date"),
    (lambda r: r["outcomes"][0].update(status="broke_down", ended=None), "ended"),
    (lambda r: r["outcomes"][0]["terms"].append("world_peace"), "glossary"),
    (lambda r: r["outcomes"].append(dict(r["outcomes"][0])), "repeated"),
])
def test_bad_entries_are_data_errors(tmp_path, mutate, message):
    with pytest.raises(DataError, match="invalid outcome table") as exc:
        load_outcomes(_write(tmp_path, mutate))
    assert message in str(exc.value)


@pytest.mark.parametrize("url,why", [
    ("https://www.scribd.com/document/210003244/Budapest-Memorandum", "user-uploaded"),
    ("https://unknown-site.example/budapest", "not in the tier list"),
])
def test_an_entry_citing_a_not_citable_source_is_refused(tmp_path, url, why):
    def mutate(r):
        bud = next(o for o in r["outcomes"] if o["id"] == "budapest-1994")
        bud["sources"].append({"url": url, "title": "Budapest Memorandum"})
    with pytest.raises(DataError, match="not-citable source") as exc:
        load_outcomes(_write(tmp_path, mutate))
    msg = str(exc.value)
    assert "'budapest-1994'" in msg and url in msg and why in msg
    assert "fix:" in msg and "sources.yaml" in msg


def test_the_tier_list_beside_a_table_is_the_one_used(tmp_path):
    p = _write(tmp_path, lambda r: None)
    load_outcomes(p)   # no sources.yaml beside it: the bundled list judges it
    raw = yaml.safe_load((REPO / "data" / "sources.yaml").read_text(encoding="utf-8"))
    raw["domains"] = [d for d in raw["domains"] if d["domain"] != "rferl.org"]
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True),
                                           encoding="utf-8")
    with pytest.raises(DataError, match="rferl.org"):
        load_outcomes(p)


def test_a_guarantee_without_enforcement_meets_budapest(rprofile, table):
    plan = make_plan(Provision(number="1", text="Assurances.", issue="security.guarantees", option="assurances"),
                     Provision(number="2", text="Neutral.", issue="alliance.neutrality", option="for"))
    found = {m.outcome.id: m for m in match_outcomes(plan, rprofile, table)}
    assert "budapest-1994" in found
    bud = found["budapest-1994"]
    assert {"security_assurance", "no_enforcement"} <= set(bud.shared_terms)
    assert "broke down" in bud.comparison and bud.source.startswith("https://")
    # a plan with a guarantor that must act is not "unenforced"
    firm = make_plan(Provision(number="1", text="Guarantors act.", issue="security.guarantees", option="collective",
                               mechanisms=["guarantee"]))
    firm_found = {m.outcome.id: m for m in match_outcomes(firm, rprofile, table)}
    assert "budapest-1994" not in firm_found or "no_enforcement" not in firm_found["budapest-1994"].shared_terms


def test_mechanism_comparison_names_what_the_analogue_had(minsk_plan, rprofile, table):
    result = plan_analogues(minsk_plan, rprofile, table)
    assert result.status == "ok"
    by = {m.outcome.id: m for m in result.outcomes}
    assert "minsk-2-2015" in by
    m2 = by["minsk-2-2015"]
    assert set(m2.mechanisms.both) >= {"dmz", "monitoring"}
    assert "still broke down" in m2.comparison
    no_monitoring = make_plan(Provision(number="1", text="Ceasefire.", issue="ceasefire", option="for"))
    cmp = {m.outcome.id: m for m in plan_analogues(no_monitoring, rprofile, table, limit=20).outcomes}
    assert "monitoring" in cmp["minsk-2-2015"].mechanisms.analogue_only
    assert "which this plan lacks" in cmp["minsk-2-2015"].comparison


def test_hold_rates_count_decided_cases_with_wilson_intervals(table):
    rates = {h.mechanism: h for h in hold_rates(table)}
    decided = [o for o in table.outcomes if o.status in ("held", "broke_down", "lapsed")]
    dmz = [o for o in decided if "dmz" in o.mechanisms]
    r = rates["dmz"].with_mechanism
    assert (r.k, r.n) == (sum(o.status == "held" for o in dmz), len(dmz))
    assert r.too_few and r.low <= r.share <= r.high
    assert rates["dmz"].with_mechanism.n + rates["dmz"].without_mechanism.n == len(decided)
    assert wilson(0, 0) == (None, None)
    low, high = wilson(5, 10)
    assert low == pytest.approx(0.2366, abs=1e-3) and high == pytest.approx(0.7634, abs=1e-3)
    assert wilson(0, 5)[0] == 0.0 and wilson(5, 5)[1] == 1.0


def test_packaged_like_profiles():
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"data" = "redline/_data"' in text


def test_missing_table_is_reported_not_raised(rprofile, minsk_plan, tmp_path, monkeypatch):
    monkeypatch.setenv("REDLINE_DATA", str(tmp_path))
    result = plan_analogues(minsk_plan, rprofile)
    assert result.status == "error" and "not found" in result.message
    shutil.copy(REPO / "data" / "agreement_outcomes.yaml", tmp_path / "agreement_outcomes.yaml")
    assert plan_analogues(minsk_plan, rprofile).status == "ok"
