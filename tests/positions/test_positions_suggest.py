"""Positions from statements: aggregation, suggested positions, curated-wins comparison, timelines."""

from __future__ import annotations

import datetime as dt
import json

import typer
from typer.testing import CliRunner

from redline.model import Document, Statement
from redline.positions import aggregate, suggest, suggest_cli, suggested_position, timeline
from redline.store.cli import register

D = dt.date


def s(party, issue, polarity, day, quote="", red_line=False, confidence=1.0, url="https://e.org/x",
      speaker="") -> Statement:
    return Statement(party=party, issue=issue, polarity=polarity, date=day, quote=quote, red_line=red_line,
                     confidence=confidence, url=url, speaker=speaker)


NATO = [
    s("UKR", "alliance.nato", "for", D(2022, 1, 5), "NATO membership is our strategic goal", speaker="Zelensky"),
    s("UKR", "alliance.nato", "against", D(2022, 3, 15), "Ukraine could accept neutral status for now"),
    s("UKR", "alliance.nato", "for", D(2023, 7, 11), "We will be in NATO, full stop", red_line=True),
    s("UKR", "alliance.nato", "for", D(2024, 2, 1), "The path to NATO is irreversible"),
    s("UKR", "alliance.nato", "for", None, "undated remark about NATO"),
]


def test_aggregate_latest_dominant_counts_and_disagreement(profile):
    [agg] = aggregate(NATO, profile.issues)
    assert (agg.party, agg.issue, agg.count) == ("UKR", "alliance.nato", 5)
    assert agg.counts == {"for": 4, "against": 1} and agg.undated == 1
    assert (agg.latest, agg.dominant, agg.recent) == ("for", "for", "for")
    assert (agg.first_date, agg.last_date, agg.latest_date) == (D(2022, 1, 5), D(2024, 2, 1), D(2024, 2, 1))
    assert agg.red_line and agg.red_line_stances == ["for"] and agg.disagreement
    assert agg.quotes[0].quote == "We will be in NATO, full stop"  # red lines are the best quotes
    assert [q.quote for q in agg.contradicting] == ["Ukraine could accept neutral status for now"]
    [early] = aggregate(NATO, profile.issues, as_of=D(2022, 12, 31))
    assert early.latest == "against" and early.last_date == D(2022, 3, 15)


def test_suggested_position_has_evidence_and_red_lines(profile):
    [agg] = aggregate(NATO, profile.issues)
    pos = suggested_position(agg, profile.issues["alliance.nato"])
    assert pos.origin == "suggested" and pos.preferred == "for" and pos.red_lines == ["against"]
    assert pos.evidence[0].quote == "We will be in NATO, full stop" and pos.evidence[0].speaker == "UKR"
    assert all(e.url.startswith("https://") for e in pos.evidence) and 0 < pos.salience <= 1
    no_source = [st.model_copy(update={"url": None}) for st in NATO]
    assert suggested_position(aggregate(no_source, profile.issues)[0], profile.issues["alliance.nato"]) is None


def test_curated_positions_win_and_news_is_classified(profile):
    statements = [
        # RUS is curated 'against' NATO (with red line 'for') since 2021: news agreeing confirms it.
        s("RUS", "alliance.nato", "against", D(2024, 6, 14), "Ukraine must renounce NATO", red_line=True),
        # RUS is curated 'for' neutrality since 2022-03-07: saying 'against' afterwards contradicts.
        s("RUS", "alliance.neutrality", "against", D(2024, 1, 1), "neutrality is not enough"),
        s("RUS", "alliance.neutrality", "for", D(2021, 1, 1), "said before the curated date"),
        # CHN has no curated position on neutrality: the news adds one.
        s("CHN", "alliance.neutrality", "for", D(2023, 2, 24), "Ukraine should be neutral"),
        s("ZZZ", "alliance.nato", "for", D(2024, 1, 1), "unknown party: ignored"),
    ]
    items = {(x.party, x.issue): x for x in suggest(profile, statements)}
    assert set(items) == {("RUS", "alliance.nato"), ("RUS", "alliance.neutrality"), ("CHN", "alliance.neutrality")}
    assert items[("RUS", "alliance.nato")].status == "confirms"
    rus = items[("RUS", "alliance.neutrality")]
    assert rus.status == "contradicts" and rus.effective is rus.curated and rus.effective.preferred == "for"
    chn = items[("CHN", "alliance.neutrality")]
    assert chn.status == "new" and chn.curated is None and chn.effective.origin == "suggested"
    old = {(x.party, x.issue): x for x in suggest(profile, statements, as_of=D(2022, 1, 1))}
    assert set(old) == {("RUS", "alliance.neutrality")}  # later statements are not yet said
    assert old[("RUS", "alliance.neutrality")].status == "new"  # the curated one starts 2022-03-07


def test_timeline_marks_shifts_in_date_order(profile):
    line = timeline(NATO + [s("RUS", "alliance.nato", "against", D(2022, 2, 1))], "UKR", "alliance.nato",
                    profile.issues["alliance.nato"])
    assert [e.date for e in line.entries] == [D(2022, 1, 5), D(2022, 3, 15), D(2023, 7, 11), D(2024, 2, 1)]
    assert [e.shift for e in line.entries] == [False, True, True, False]
    assert line.undated == 1 and line.entries[2].red_line


def test_suggest_cli_and_timeline_on_the_real_dev_statements(store, db_url, profile, shared_dir, capsys):
    """The gold statements of dev.jsonl, stored, feed `positions --suggest` and `timeline`."""
    records = [json.loads(x) for x in (shared_dir / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    docs = [Document(id=r["id"], text=r["text"], url=r["url"], date=D.fromisoformat(r["date"][:10]) if len(r["date"]) >= 10 else None)
            for r in records]
    gold = [[Statement.model_validate({k: v for k, v in st.items() if k in Statement.model_fields})
             for st in r.get("statements", [])] for r in records]
    result = store.add_documents(docs, gold)
    assert result.statements == sum(map(len, gold)) > 50
    suggest_cli(profile, None, "json", db=db_url)
    items = json.loads(capsys.readouterr().out)
    assert {i["status"] for i in items} >= {"new", "confirms"}
    assert all(i["effective"] == (i["curated"] or i["suggested"]) for i in items)
    assert all(i["statements"]["count"] >= 1 for i in items)
    suggest_cli(profile, D(2023, 1, 1), "md", db=db_url)
    md = capsys.readouterr().out
    assert md.startswith("| party | issue | status") and "2025-" not in md.split("\n", 2)[2].split("|")[5]

    app = typer.Typer()
    register(app)
    r = CliRunner().invoke(app, ["timeline", "UKR", "alliance.nato", "--db", db_url, "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    dates = [e["date"] for e in data["entries"]]
    assert dates == sorted(dates) and len(dates) >= 3 and all(e["quote"] for e in data["entries"])
    from redline.services.workspace import Workspace
    from redline.store import open_store

    with open_store(db_url) as store:  # one timeline: the CLI prints what the API and the page serve
        assert data == Workspace(profile, store).timeline("UKR", "alliance.nato").to_dict()
    assert data["positions"] and data["profile"] == profile.id
    bad = CliRunner().invoke(app, ["timeline", "UKR", "alliance.nat0", "--db", db_url])
    assert bad.exit_code != 0 and "alliance.nato" in str(bad.exception)


def test_suggest_cli_without_statements_says_what_to_do(tmp_path, profile):
    import pytest

    from redline.errors import DataError

    with pytest.raises(DataError, match="redline ingest"):
        suggest_cli(profile, None, "terminal", db=str(tmp_path / "empty.db"))
