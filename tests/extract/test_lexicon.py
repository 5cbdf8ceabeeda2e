"""The lexicon's reading of its own patterns."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from redline.errors import DataError
from redline.extract.lexicon import (LANGUAGE_KEYS, available_languages, literal_negation, load_language,
                                     load_lexicon, merged_cues)
from redline.profile import load_profile


@pytest.mark.parametrize("pattern, negates", [
    (r"\bnever (?:to )?join nato\b", True),             # the words themselves negate
    (r"\bnot join (?:any )?(?:military )?blocs?\b", True),
    (r"\bwithout elections\b", True),
    (r"(?#neg)\bborders\s+(?:cannot|must not)\s+be\s+changed\b", True),  # said explicitly
    (r"\bmoscow\s+(?:(?:would|not|never)\s+){0,4}withdraw\b", False),   # a gap lets one in
    (r"\bcease-?fires?\b", False),
])
def test_literal_negation(pattern, negates):
    assert literal_negation(pattern) is negates


# --- the language file under the profile's lexicon (docs/profiles-howto.md) -------------------

TOY = Path(__file__).parents[1] / "fixtures" / "profiles" / "toy"
RU = Path(__file__).parents[2] / "profiles" / "russia-ukraine"


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_language_file_ships_in_the_package():
    """The wheel packs src/redline whole, so the language file installs with the code."""
    from importlib.resources import files

    assert (files("redline.extract") / "lang" / "en.yaml").is_file()
    assert "en" in available_languages()


def test_profile_lexicons_copy_no_general_list():
    """A profile adds to the language lists, never repeats them: what each profile's lexicon
    names under a language key is new to the language file."""
    en = load_language("en")
    for lexicon in (RU / "lexicon.yaml", TOY / "lexicon.yaml"):
        own = _yaml(lexicon)
        for key in set(own) & set(LANGUAGE_KEYS):
            assert isinstance(own[key], list), f"{lexicon}: {key}"
            assert not set(own[key]) & set(en[key]), f"{lexicon}: {key} repeats the language file"
        assert len(set(own) & set(LANGUAGE_KEYS)) <= 2, f"{lexicon} holds general lists"


def test_merge_extends_edits_and_replaces(tmp_path: Path):
    base = {"pronouns": ["he", "she"], "plan_intro": r"\bplan\b",
            "acts": {"demand": ["demand"], "reject": ["reject", "block"]}}
    own = {"pronouns": ["they", "he"],                        # a list adds what is new
           "acts": {"reject": {"remove": ["block"], "add": ["spurn"]}, "other": ["say"]},
           "plan_intro": r"\bproposal\b",                     # a pattern replaces
           "non_party": ["analyst"],                          # a key the language lacks
           "issues": {}}
    out = merged_cues(base, own, tmp_path / "lexicon.yaml")
    assert out["pronouns"] == ["he", "she", "they"]
    assert out["acts"] == {"demand": ["demand"], "reject": ["reject", "spurn"], "other": ["say"]}
    assert out["plan_intro"] == r"\bproposal\b" and out["non_party"] == ["analyst"]
    assert merged_cues(base, {"pronouns": {"replace": ["we"]}}, tmp_path)["pronouns"] == ["we"]
    assert merged_cues(base, {}, tmp_path) == base


@pytest.mark.parametrize("own, message", [
    ({"reporting_verb": ["say"]}, "did you mean 'reporting_verbs'"),
    ({"pronouns": {"drop": ["he"]}}, "add:, remove: or replace:"),
    ({"acts": ["say"]}, "mapping"),
    ({"plan_intro": ["plan"]}, "one pattern"),
])
def test_merge_errors_are_located(tmp_path: Path, own, message):
    base = {"pronouns": ["he"], "acts": {"other": ["say"]}, "plan_intro": r"\bplan\b"}
    with pytest.raises(DataError) as err:
        merged_cues(base, own, tmp_path / "lexicon.yaml")
    assert message in err.value.render() and "lexicon.yaml" in err.value.render()


def test_unknown_language_is_a_data_error(tmp_path: Path):
    dest = tmp_path / "toy"
    shutil.copytree(TOY, dest)
    meta = dest / "profile.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "language: xx\n", encoding="utf-8")
    with pytest.raises(DataError, match="no language file for 'xx'"):
        load_lexicon(load_profile(dest))


def test_toy_profile_reads_the_language_file():
    lex = load_lexicon(load_profile(TOY))
    assert lex.language == "en" and {"say", "insist"} <= lex.reporting_verbs
    assert lex.non_party.search("a ferryman said") and lex.non_party.search("an analyst said")
    assert lex.places == {"lower river", "river island"}


def test_new_conflict_extracts_through_the_shared_file():
    """A new folder, no code: the toy's demonym and issue pattern with the shared English cues
    (reporting verb, negation, red line) give an attributed, negated statement; its own
    non-party word silences a speaker."""
    pytest.importorskip("spacy")
    from redline.extract.pipeline import Extractor

    ex = Extractor(load_profile(TOY))
    got = [(s.party, s.issue, s.polarity.value, s.act.value, s.red_line)
           for s in ex("The Northern defence minister said Northland would never accept a cap on its army.")]
    assert got == [("NOR", "army.cap", "against", "reject", True)]
    assert ex("A ferryman said Northland wants direct talks.") == []


@pytest.mark.parametrize("key, wrong", [("groups", ["a", "b"]), ("issues", "ceasefire"),
                                        ("extra_parties", {"XXX": ["not", "a", "mapping"]})])
def test_a_wrongly_typed_lexicon_is_a_data_error_wherever_it_is_loaded(tmp_path, key, wrong):
    """The extractor's own loader (not only `redline validate`) names the key and its line."""
    shutil.copytree(TOY, tmp_path / "toy")
    path = tmp_path / "toy" / "lexicon.yaml"
    data = _yaml(path)
    data[key] = wrong
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_lexicon(load_profile(tmp_path / "toy"))
    assert key in err.value.message and err.value.line is not None
