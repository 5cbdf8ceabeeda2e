"""Profile loading: the bundled and toy profiles load; every kind of bad input gets a one-line,
located error with a fix, and validation reports all problems at once."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from redline.errors import DataError, NotFound
from redline.profile import ProfileErrors, load_profile, validate_profile

TOY = Path(__file__).parent / "fixtures" / "profiles" / "toy"


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    dest = tmp_path / "toy"
    shutil.copytree(TOY, dest)
    return dest


def errors_of(path: Path) -> list[DataError]:
    errs = validate_profile(path)
    assert errs, "expected the profile to be rejected"
    return errs


def test_toy_profile_loads_with_no_code_change():
    prof = load_profile(TOY)
    assert prof.id == "toy"
    assert set(prof.issues) == {"river.access", "border.island", "army.cap", "talks"}
    assert prof.issues["army.cap"].option_ids == ["none", "soft", "hard"]
    assert prof.issues["talks"].option_ids == ["against", "for"]  # the default scale
    assert sorted(prof.plans) == ["mediator-draft", "northern-terms", "southern-terms"]


def test_positions_as_of_picks_latest_dated_entry():
    prof = load_profile(TOY)
    early = prof.positions_as_of(dt.date(2021, 1, 1))[("SOU", "border.island")]
    late = prof.positions_as_of(dt.date(2022, 1, 1))[("SOU", "border.island")]
    assert early.red_lines == ["against"] and late.red_lines == []
    assert ("SOU", "border.island") not in prof.positions_as_of(dt.date(2019, 12, 31))


def test_malformed_yaml_names_file_and_line(toy: Path):
    (toy / "parties.yaml").write_text("parties:\n  - {id: NOR, name: Northland\n  - id: SOU\n")
    [err] = [e for e in errors_of(toy) if e.file.endswith("parties.yaml")]
    assert "malformed YAML" in err.message and err.line is not None and err.fix


def test_unknown_issue_suggests_nearest(toy: Path):
    text = (toy / "positions.yaml").read_text().replace("issue: army.cap", "issue: army.capp", 1)
    (toy / "positions.yaml").write_text(text)
    [err] = errors_of(toy)
    assert "unknown issue id 'army.capp'" in err.message
    assert "army.cap" in err.fix
    assert err.line == text.splitlines().index("    issue: army.capp") + 1


def test_unknown_party_in_plan(toy: Path):
    path = toy / "plans" / "southern-terms.yaml"
    path.write_text(path.read_text().replace("proposers: [SOU]", "proposers: [SOUTH]"))
    [err] = errors_of(toy)
    assert "unknown party id 'SOUTH'" in err.message and err.file.endswith("southern-terms.yaml")
    assert "SOU" in err.fix and err.line == 4


def test_duplicate_ids(toy: Path):
    with (toy / "issues.yaml").open("a") as fh:
        fh.write("  - id: talks\n    proposition: Talks again\n")
    [err] = errors_of(toy)
    assert "duplicate issue id 'talks'" in err.message and err.line is not None


def test_duplicate_yaml_key(toy: Path):
    (toy / "profile.yaml").write_text("id: toy\nid: toy2\ntitle: t\nprincipals: [NOR, SOU]\n")
    [err] = errors_of(toy)
    assert "duplicate key 'id'" in err.message and err.line == 2


def test_option_not_on_scale(toy: Path):
    path = toy / "plans" / "mediator-draft.yaml"
    path.write_text(path.read_text().replace("option: soft", "option: medium"))
    [err] = errors_of(toy)
    assert "option 'medium' is not on the scale of issue army.cap" in err.message
    assert "none" in err.fix and "hard" in err.fix


def test_date_that_does_not_parse(toy: Path):
    path = toy / "plans" / "northern-terms.yaml"
    path.write_text(path.read_text().replace("date: 2021-01-12", "date: 12th of January 2021"))
    [err] = errors_of(toy)
    assert err.message.startswith("date:") and err.fix == "write dates as YYYY-MM-DD" and err.line == 3


def test_range_and_unknown_field(toy: Path):
    text = (toy / "positions.yaml").read_text()
    (toy / "positions.yaml").write_text(text.replace("salience: 0.9", "salience: 9", 1)
                                        .replace("salience: 0.3", "salince: 0.3", 1))
    errs = errors_of(toy)
    messages = " | ".join(e.message for e in errs)
    assert "salience" in messages and "less than or equal to 1" in messages
    assert "salince" in messages and any(e.fix == "remove the key or correct its spelling" for e in errs)


def test_binary_and_wrong_encoding_and_huge(toy: Path):
    (toy / "issues.yaml").write_bytes(b"\x00\x01\x02binary")
    (toy / "parties.yaml").write_bytes("parties:\n  - {id: NOR, name: Nörthland}\n".encode("latin-1"))
    (toy / "plans" / "huge.yaml").write_bytes(b"# " + b"x" * (6 * 1024 * 1024))
    errs = {Path(e.file).name: e for e in errors_of(toy)}
    assert "binary" in errs["issues.yaml"].message
    assert "not valid UTF-8" in errs["parties.yaml"].message and errs["parties.yaml"].line == 2
    assert "over the" in errs["huge.yaml"].message


def test_all_problems_reported_together(toy: Path):
    (toy / "plans" / "mediator-draft.yaml").write_text(
        (toy / "plans" / "mediator-draft.yaml").read_text().replace("option: soft", "option: medium"))
    (toy / "plans" / "northern-terms.yaml").write_text(
        (toy / "plans" / "northern-terms.yaml").read_text().replace("proposers: [NOR]", "proposers: [NORR]"))
    with pytest.raises(ProfileErrors) as exc:
        load_profile(toy)
    assert len(exc.value.errors) == 2


def test_two_options_on_one_issue_in_a_plan(toy: Path):
    path = toy / "plans" / "northern-terms.yaml"
    with path.open("a") as fh:
        fh.write("  - {number: 4, text: Boats stay out., issue: river.access, option: against, "
                 "sources: [https://example.org/x]}\n")
    [err] = errors_of(toy)
    assert "choose different options" in err.message and "provisions 1 and 4" in err.message


def test_unknown_plan_and_profile_suggest():
    prof = load_profile(TOY)
    with pytest.raises(NotFound, match="did you mean 'mediator-draft'"):
        prof.plan("mediator-drafts")
    with pytest.raises(NotFound, match="no profile"):
        load_profile("no-such-profile")


def test_plan_from_file_is_checked_against_profile(tmp_path: Path):
    prof = load_profile(TOY)
    plan_file = tmp_path / "my-plan.yaml"
    plan_file.write_text((TOY / "plans" / "northern-terms.yaml").read_text()
                         .replace("id: northern-terms", "id: my-plan"))
    assert prof.plan(str(plan_file)).id == "my-plan"
    plan_file.write_text(plan_file.read_text().replace("issue: army.cap", "issue: army.hat"))
    with pytest.raises(ProfileErrors, match="unknown issue id 'army.hat'"):
        prof.plan(str(plan_file))


def test_a_plan_path_that_is_not_a_readable_file_says_what_it_is(tmp_path):
    """A plan given by path is never opened unless it is a regular file, and the error names the
    file and what it is, instead of "unknown plan"."""
    import os

    prof = load_profile()
    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "dir.yaml").mkdir()
    (tmp_path / "link.yaml").symlink_to(tmp_path / "gone.yaml")
    for name, words in (("fifo.yaml", "is a FIFO"), ("dir.yaml", "is a directory"),
                        ("link.yaml", "dangling symbolic link"), ("missing.yaml", "no such plan file")):
        with pytest.raises(DataError) as err:
            prof.plan(str(tmp_path / name))
        assert words in str(err.value) and name in str(err.value)


@pytest.mark.parametrize("value", ["true", "false", "yes"])
def test_true_or_false_is_not_a_salience(toy: Path, value: str):
    """YAML's booleans would pass as 1.0 or 0.0; a number field refuses them, naming the line."""
    f = toy / "positions.yaml"
    head, _, tail = f.read_text().partition("salience:")
    f.write_text(head + f"salience: {value}\n" + tail.split("\n", 1)[1])
    found = [e for e in errors_of(toy) if "is not a number" in str(e)]
    assert len(found) == 1 and f.name in str(found[0]) and "salience" in str(found[0])
