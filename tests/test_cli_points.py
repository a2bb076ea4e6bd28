"""``hipguide points`` and ``hipguide conditions`` through Typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hipguide.cli import app
from hipguide.dataset import Dataset

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
    assert "GB30 is marked by @ on the left side of the body." in words
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


def test_words_in_several_names_list_candidates(runner: CliRunner) -> None:
    result = run(runner, "points", "spring")
    assert result.exit_code == 0
    assert "2 points match 'spring'" in result.stdout
    assert "GB34" in result.stdout and "HT1" in result.stdout


# --- codes: the one asked for, or no match ----------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("GB30", "GB30"),
        ("gb-30", "GB30"),
        ("GB 30", "GB30"),
        ("GB030", "GB30"),
        ("SJ14", "TE14"),
        ("Lv3", "LR3"),
        ("UB54", "BL54"),
        ("88.12", "88.12"),
        ("Tung 88.12", "88.12"),
        ("Gallbladder 34", "GB34"),
    ],
)
def test_a_code_shows_that_point(runner: CliRunner, query: str, code: str) -> None:
    result = run(runner, "points", query, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["code"] == code
    card = run(runner, "points", query).stdout
    assert card.lstrip().startswith(code)
    assert "Closest match" not in card


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("ST16", "ST16 is not one of the points in this guide."),
        ("TE24", "the points of the Triple Energizer channel are numbered 1 to 23"),
        ("GB41", "GB41 is not one of the points in this guide."),
        ("sj-24", "so TE24 is not a point"),
        ("Stomach 16", "ST16 is not one of the points in this guide."),
        ("Tung 88.99", "88.99 is not one of the points in this guide."),
    ],
)
@pytest.mark.parametrize("as_json", [False, True])
def test_a_code_not_in_the_guide_is_no_match(
    runner: CliRunner, query: str, said: str, as_json: bool
) -> None:
    result = runner.invoke(app, ["points", query, *(["--json"] if as_json else [])])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"No point matches '{query}'" in result.stderr
    assert said in " ".join(result.stderr.split())


def test_a_missing_code_offers_other_points_as_suggestions(runner: CliRunner) -> None:
    result = runner.invoke(app, ["points", "ST16"])
    stderr = " ".join(result.stderr.split())
    assert "Did you mean one of these other points: ST31 (Bìguān), ST36 (Zúsānlǐ)?" in stderr
    result = runner.invoke(app, ["points", "LU7"])
    assert "Run 'hipguide points' to list every point." in " ".join(result.stderr.split())


# --- plain words ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("hip", "Points for the hip region"),
        ("knee", "Points for the knee region"),
        ("lower back", "Points for the lower back region"),
        ("groin", "Points for the groin region"),
        ("shoulder", "Points for the shoulder region"),
        ("sciatica", "Points used for sciatica"),
        ("tired legs", "Points used for tired legs"),
    ],
)
def test_a_plain_word_lists_its_points_in_a_titled_table(
    runner: CliRunner, dataset, query: str, title: str
) -> None:  # type: ignore[no-untyped-def]
    from hipguide.search import find_point

    result = run(runner, "points", query)
    assert result.exit_code == 0
    assert result.stdout.lstrip().startswith(title)
    expected = [p.code for p in find_point(dataset, query).points]
    for code in expected:
        assert code in result.stdout
    assert "Standard location" not in result.stdout  # a table, never a card


@pytest.mark.parametrize("query", ["hip", "knee", "sciatica", "lower back", "groin", "shoulder"])
def test_a_plain_word_gives_a_json_array_even_of_one_point(
    runner: CliRunner, dataset, query: str
) -> None:  # type: ignore[no-untyped-def]
    from hipguide.search import find_point

    result = run(runner, "points", query, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    assert [item["code"] for item in data] == [p.code for p in find_point(dataset, query).points]
    assert all(set(item) >= POINT_KEYS for item in data)


def test_a_region_says_the_order_only_when_points_lie_elsewhere(runner: CliRunner) -> None:
    hip = " ".join(run(runner, "points", "hip").stdout.split())
    assert "First the points that lie in the hip region, then those pressed elsewhere" in hip
    knee = " ".join(run(runner, "points", "knee").stdout.split())
    assert "First the points" not in knee


def test_a_condition_says_where_to_read_more(runner: CliRunner) -> None:
    out = " ".join(run(runner, "points", "sciatica").stdout.split())
    assert "'hipguide conditions sciatica' says more" in out


def test_a_plain_word_with_filters(runner: CliRunner) -> None:
    data = json.loads(run(runner, "points", "hip", "--region", "buttock", "--json").stdout)
    assert [item["code"] for item in data] == ["GB30", "BL54"]
    result = runner.invoke(app, ["points", "knee", "--region", "hand"])
    assert result.exit_code == 1
    assert "BL40 exists but not with these filters." in result.stderr


def test_a_typo_of_a_plain_word_is_a_suggestion(runner: CliRunner) -> None:
    result = runner.invoke(app, ["points", "sciatca"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Did you mean: sciatica?" in result.stderr


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


def test_each_point_says_once_what_it_means_in_pregnancy(
    runner: CliRunner, dataset: Dataset
) -> None:
    for point in dataset.points:
        result = runner.invoke(app, ["points", point.code], env={"COLUMNS": "200"})
        assert result.exit_code == 0, point.code
        cautions = result.stdout.split("Cautions", 1)[1].split("\n\n", 1)[0]
        said = [line for line in cautions.splitlines() if "pregnan" in line.casefold()]
        assert len(said) == 1, (point.code, said)
