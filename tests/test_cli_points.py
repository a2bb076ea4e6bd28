"""``hipguide points`` and ``hipguide conditions`` through Typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hipguide.cli import app

POINT_KEYS = {
    "code",
    "aliases",
    "pinyin",
    "hanzi",
    "english",
    "channel",
    "region",
    "location",
    "technique",
    "depth",
    "cautions",
    "pregnancy",
    "indications",
    "sources",
}


def run(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_card_shows_names_location_picture_and_cautions(runner: CliRunner) -> None:
    result = run(runner, "points", "GB30")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in (
        "GB30",
        "Huántiào",
        "环跳",
        "環跳",
        "Cautions",
        "Standard location",
        "How to find it yourself",
        "How to press",
        "If you press too hard",
        "When to stop",
        "Sources",
    ):
        assert text in out, text
    words = " ".join(out.split())
    assert "Back of the body, seen from behind: their left is on your left." in words
    assert "GB30 is marked by @ on their left side." in words
    assert "\x1b[" not in out  # plain text when not a terminal


def test_card_picture_is_an_ascii_drawing_when_piped(runner: CliRunner) -> None:
    out = run(runner, "points", "ST36").stdout
    after = out.partition("How to find it yourself")[2]
    drawing = after.split("Left lower leg, outer side")[0]
    assert drawing.isascii()
    assert sum(ch in "|/\\()_-'." for ch in drawing) > 40
    assert drawing.count("@") == 1


def test_card_found_by_alias_shows_the_who_code(runner: CliRunner) -> None:
    result = run(runner, "points", "sj-14")
    assert result.exit_code == 0
    assert result.stdout.lstrip().startswith("TE14")


def test_multi_word_query(runner: CliRunner) -> None:
    result = run(runner, "points", "leg", "three", "miles", "--json")
    assert json.loads(result.stdout)["code"] == "ST36"


def test_json_for_one_point(runner: CliRunner) -> None:
    result = run(runner, "points", "GB30", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) >= POINT_KEYS
    assert set(data["location"]) >= {"standard", "self_find"}
    assert data["depth"] == "deep"


def test_json_list_is_an_array_of_points(runner: CliRunner, dataset) -> None:  # type: ignore[no-untyped-def]
    result = run(runner, "points", "--json")
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    assert len(data) == len(dataset.points)
    assert all(set(item) >= POINT_KEYS for item in data)


def test_filters(runner: CliRunner, dataset) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(run(runner, "points", "--region", "shoulder", "--json").stdout)
    assert data and all(item["region"] == "shoulder" for item in data)
    data = json.loads(run(runner, "points", "--condition", "sciatica", "--json").stdout)
    assert [d["code"] for d in data] == list(
        dict.fromkeys(r.point for r in dataset.condition("sciatica").points)
    )


def test_table_lists_every_point(runner: CliRunner, dataset) -> None:  # type: ignore[no-untyped-def]
    out = run(runner, "points").stdout
    for point in dataset.points:
        assert point.code in out


def test_no_match_suggests_and_exits_1(runner: CliRunner) -> None:
    result = runner.invoke(app, ["points", "huantioa-xx"])
    assert result.exit_code == 1
    assert "No point matches 'huantioa-xx'" in result.stderr
    assert "Did you mean" in result.stderr
    assert result.stdout == ""


def test_no_match_json_prints_nothing_on_stdout(runner: CliRunner) -> None:
    result = runner.invoke(app, ["points", "zzzz", "--json"])
    assert result.exit_code == 1
    assert result.stdout == ""


def test_ambiguous_query_lists_candidates(runner: CliRunner) -> None:
    result = run(runner, "points", "shoulder")
    assert result.exit_code == 0
    assert "points match 'shoulder'" in result.stdout
    assert "LI15" in result.stdout and "TE14" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["points", "--condition", "sciatic"], "Did you mean sciatica"),
        (["points", "--region", "sholder"], "Did you mean shoulder"),
        (["conditions", "bursits"], "Did you mean bursitis"),
    ],
)
def test_bad_option_values_exit_2_with_suggestion(
    runner: CliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_broken_dataset_is_one_line_exit_2(
    runner: CliRunner, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (data_copy / "points.yaml").write_text("points: [\n", encoding="utf-8")
    monkeypatch.setenv("HIPGUIDE_DATA", str(data_copy))
    result = runner.invoke(app, ["points", "GB30"])
    assert result.exit_code == 2
    assert "points.yaml, line" in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_conditions_list_and_detail(runner: CliRunner, dataset) -> None:  # type: ignore[no-untyped-def]
    out = run(runner, "conditions").stdout
    for condition in dataset.conditions:
        assert condition.id in out
    detail = run(runner, "conditions", "sciatica").stdout
    assert "What it cannot do" in detail
    assert "distal" in detail


def test_conditions_json(runner: CliRunner) -> None:
    data = json.loads(run(runner, "conditions", "bursitis", "--json").stdout)
    assert {"id", "name", "summary", "points", "self_care", "limits", "sources"} <= set(data)
    assert all(set(p) == {"point", "role"} for p in data["points"])
    listing = json.loads(run(runner, "conditions", "--json").stdout)
    assert isinstance(listing, list) and any(c["id"] == "bursitis" for c in listing)


def test_version(runner: CliRunner) -> None:
    from hipguide import __version__

    assert run(runner, "--version").stdout.strip() == f"hipguide {__version__}"
