"""The loader: the shipped dataset loads, and each kind of fault gives its own message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from hipguide import config
from hipguide.dataset import load_dataset, normalize_code
from hipguide.errors import DataError, ExitCode


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _first_point_block(folder: Path) -> dict:
    return yaml.safe_load((folder / "points.yaml").read_text(encoding="utf-8"))["points"][0]


def _rewrite_points(folder: Path, mutate) -> None:  # type: ignore[no-untyped-def]
    doc = yaml.safe_load((folder / "points.yaml").read_text(encoding="utf-8"))
    mutate(doc["points"])
    (folder / "points.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")


def test_shipped_dataset_loads(dataset) -> None:  # type: ignore[no-untyped-def]
    assert len(dataset.points) >= 22
    assert dataset.point("GB30").region in {"buttock", "hip"}
    assert dataset.condition("sciatica").points


@pytest.mark.parametrize(
    ("text", "code"),
    [("gb-30", "GB30"), ("GB 30", "GB30"), ("gb030", "GB30"), ("Lv3", "LV3"), ("88.12", "88.12")],
)
def test_normalize_code(text: str, code: str) -> None:
    assert normalize_code(text) == code


def _load_error(folder: Path) -> str:
    with pytest.raises(DataError) as caught:
        load_dataset(folder)
    assert caught.value.exit_code == ExitCode.USAGE
    return str(caught.value)


def test_yaml_syntax_error_names_the_line(data_copy: Path) -> None:
    lines = (data_copy / "sources.yaml").read_text(encoding="utf-8").splitlines()
    lines.insert(5, "  - id: [unclosed")
    (data_copy / "sources.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _load_error(data_copy)
    assert message.startswith("sources.yaml, line ")
    assert re.search(r"line (6|7)\b", message)
    assert "YAML syntax error" in message


def test_wrong_type_names_entry_and_field(data_copy: Path) -> None:
    def mutate(points: list[dict]) -> None:
        points[0]["technique"]["seconds"] = "sixty"

    code = _first_point_block(data_copy)["code"]
    _rewrite_points(data_copy, mutate)
    message = _load_error(data_copy)
    assert f"points.yaml, entry {code} (#1), field 'technique.seconds'" in message
    assert "expected a whole number" in message


def test_unknown_field(data_copy: Path) -> None:
    _rewrite_points(data_copy, lambda points: points[1].update(colour="red"))
    message = _load_error(data_copy)
    assert "field 'colour': unknown field" in message


def test_missing_field(data_copy: Path) -> None:
    _rewrite_points(data_copy, lambda points: points[0]["location"].pop("self_find"))
    assert "field 'location.self_find': missing required field" in _load_error(data_copy)


def test_bad_choice_lists_the_valid_values(data_copy: Path) -> None:
    _rewrite_points(data_copy, lambda points: points[0].update(pregnancy="maybe"))
    message = _load_error(data_copy)
    assert "'maybe' is not one of: avoid, caution, ok" in message


def test_dangling_point_reference(data_copy: Path) -> None:
    _edit(data_copy / "conditions.yaml", "point: GB30", "point: GB99")
    message = _load_error(data_copy)
    assert message.startswith("conditions.yaml, entry ")
    assert "unknown point 'GB99'" in message


def test_dangling_source_reference(data_copy: Path) -> None:
    _rewrite_points(data_copy, lambda points: points[0].update(sources=["nhs-nowhere"]))
    assert "unknown source 'nhs-nowhere'" in _load_error(data_copy)


def test_duplicate_code(data_copy: Path) -> None:
    _rewrite_points(data_copy, lambda points: points.append(dict(points[0])))
    assert "duplicate code" in _load_error(data_copy)


def test_alias_claimed_by_two_points(data_copy: Path) -> None:
    def mutate(points: list[dict]) -> None:
        points[1]["aliases"] = [*points[1].get("aliases", []), points[0]["code"].lower()]

    _rewrite_points(data_copy, mutate)
    assert "is already the code or an alias of" in _load_error(data_copy)


def test_empty_file(data_copy: Path) -> None:
    (data_copy / "areas.yaml").write_text("", encoding="utf-8")
    assert _load_error(data_copy) == (
        "areas.yaml: file is empty. Fix the file, or unset HIPGUIDE_DATA to use the shipped "
        "dataset."
    )


def test_non_utf8_file(data_copy: Path) -> None:
    (data_copy / "conditions.yaml").write_bytes(b"conditions:\n  - id: caf\xe9\n")
    assert "conditions.yaml, line 2: not UTF-8 text" in _load_error(data_copy)


def test_file_too_large(data_copy: Path) -> None:
    with (data_copy / "points.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# padding\n" * 250_000)
    assert "too large to be a dataset file" in _load_error(data_copy)


def test_missing_file(data_copy: Path) -> None:
    (data_copy / "triage.yaml").unlink()
    assert "triage.yaml: file missing from" in _load_error(data_copy)


def test_missing_folder(tmp_path: Path) -> None:
    assert "does not exist" in _load_error(tmp_path / "nowhere")


def test_wrong_top_level_key(data_copy: Path) -> None:
    (data_copy / "areas.yaml").write_text("regions: []\n", encoding="utf-8")
    assert "expected one top-level key 'areas:'" in _load_error(data_copy)


def test_env_var_swaps_the_dataset(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _rewrite_points(data_copy, lambda points: points[0].update(english="Renamed For Test"))
    monkeypatch.setenv("HIPGUIDE_DATA", str(data_copy))
    assert load_dataset().points[0].english == "Renamed For Test"


def test_second_load_comes_from_the_cache(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hipguide import dataset as module

    first = load_dataset(data_copy)
    cached = list(config.cache_dir().glob("dataset-*.json"))
    assert len(cached) == 1
    assert cached[0].stat().st_mode & 0o777 == 0o600

    def no_parsing(folder: Path) -> None:
        raise AssertionError("parsed YAML although the cache was fresh")

    monkeypatch.setattr(module, "load_dataset_uncached", no_parsing)
    second = load_dataset(data_copy)
    assert second.points == first.points
    assert second.triage == first.triage


def test_a_changed_file_is_read_again(data_copy: Path) -> None:
    load_dataset(data_copy)
    _rewrite_points(data_copy, lambda points: points[0].update(english="Changed Name"))
    assert load_dataset(data_copy).points[0].english == "Changed Name"


def test_a_broken_change_is_reported_even_after_a_good_load(data_copy: Path) -> None:
    load_dataset(data_copy)
    _rewrite_points(data_copy, lambda points: points[0].update(depth="very deep"))
    assert "'very deep' is not one of" in _load_error(data_copy)


def test_an_unreadable_cache_means_a_full_load(data_copy: Path) -> None:

    load_dataset(data_copy)
    for cached in config.cache_dir().glob("dataset-*.json"):
        cached.write_bytes(b"garbage")
    assert load_dataset(data_copy).point("GB30").code == "GB30"


def test_a_bad_list_item_is_named_by_its_index(data_copy: Path) -> None:
    _rewrite_points(data_copy, lambda points: points[2].update(indications=["hip pain", 42]))
    message = _load_error(data_copy)
    assert "field 'indications[1]': expected text, got a number (42)" in message


def test_yaml_types_beyond_the_schema_still_fail_cleanly(data_copy: Path) -> None:
    _rewrite_points(data_copy, lambda points: points[0]["technique"].update(seconds=1.5))
    assert "field 'technique.seconds': expected a whole number" in _load_error(data_copy)


def test_a_cached_dataset_is_the_same_records_as_a_parsed_one(data_copy: Path) -> None:
    from hipguide.dataset import FILES, load_dataset_uncached

    load_dataset(data_copy)  # writes the cache
    cached = load_dataset(data_copy)
    parsed = load_dataset_uncached(data_copy)
    for attribute, _, _ in FILES.values():
        mine, theirs = getattr(cached, attribute), getattr(parsed, attribute)
        assert mine == theirs, attribute
        assert repr(mine) == repr(theirs), attribute  # the same record types, not bare tuples


# --- figures: every point's figure exists, and its position lies inside it ----------------


def _point_index(folder: Path, code: str) -> int:
    doc = yaml.safe_load((folder / "points.yaml").read_text(encoding="utf-8"))
    return next(i for i, p in enumerate(doc["points"]) if p["code"] == code)


def _set_figure(folder: Path, code: str, **figure: object) -> None:
    index = _point_index(folder, code)
    _rewrite_points(folder, lambda points: points[index]["figure"].update(figure))


@pytest.mark.parametrize(
    ("figure", "message"),
    [
        (
            {"x": 461},
            "points.yaml, entry GB30, field 'figure': position (461, 324) lies outside the "
            "body-back figure, whose viewBox is 460 x 664.",
        ),
        (
            {"y": 9999},
            "points.yaml, entry GB30, field 'figure': position (190, 9999) lies outside the "
            "body-back figure, whose viewBox is 460 x 664.",
        ),
        (
            {"view": "body-bak"},
            "points.yaml, entry GB30, field 'figure.view': unknown figure 'body-bak' (did you "
            "mean body-back? figures: body-back, body-front, body-left, body-right, foot-inner, "
            "foot-top, hand, leg-inner, leg-outer, shoulder).",
        ),
    ],
)
def test_a_figure_position_must_lie_in_a_figure_that_exists(
    data_copy: Path, figure: dict[str, object], message: str
) -> None:
    _set_figure(data_copy, "GB30", **figure)
    error = _load_error(data_copy)
    assert error.startswith(message), error
    assert "\n" not in error


def test_a_negative_position_is_the_usual_number_error(data_copy: Path) -> None:
    _set_figure(data_copy, "GB30", x=-5)
    assert "field 'figure.x': must not be negative" in _load_error(data_copy)


def test_the_old_body_map_fields_are_refused(data_copy: Path) -> None:
    _set_figure(data_copy, "GB30", svg={"view": "body-back", "x": 1, "y": 1})
    assert "field 'figure.svg': unknown field" in _load_error(data_copy)


def test_a_figure_is_a_file_not_a_name_in_the_code(data_copy: Path) -> None:
    """A new figure is a data change: a file in figures/ and points that name it."""
    source = (data_copy / "figures" / "hand.svg").read_text(encoding="utf-8")
    (data_copy / "figures" / "hand-palm.svg").write_text(source, encoding="utf-8")
    _set_figure(data_copy, "LI4", view="hand-palm")
    assert load_dataset(data_copy).point("LI4").figure.view == "hand-palm"


def test_a_removed_figure_is_noticed_even_with_a_cached_dataset(data_copy: Path) -> None:
    load_dataset(data_copy)  # cached now
    (data_copy / "figures" / "shoulder.svg").unlink()
    assert "unknown figure 'shoulder'" in _load_error(data_copy)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg" width="4">', 'needs a viewBox="0 0 WIDTH'),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><image href="x.png"/>',
            "a figure holds only drawing, not '<image'",
        ),
        (
            '<svg viewBox="0 0 9 9"><use href="file:///etc/passwd#x"/></svg>',
            "a figure holds only drawing",
        ),
        ('<svg viewBox="0 0 0 9"></svg>', "between 1 and 10000 units"),
        (
            '<svg viewBox="0 0 9 9">\n<text id="orientation">\x1b]0;x\x07</text></svg>',
            "line 2: control or format character '\\x1b' is not allowed",
        ),
        ('<svg viewBox="0 0 9 9"><text>left\u202eright</text></svg>', "'\\u202e'"),
    ],
)
def test_figure_files_are_checked(data_copy: Path, content: str, message: str) -> None:
    (data_copy / "figures" / "extra.svg").write_text(content, encoding="utf-8")
    error = _load_error(data_copy)
    assert error.startswith("figures/extra.svg: ")
    assert message in error


def test_a_figure_that_is_not_a_regular_file_is_refused(data_copy: Path) -> None:
    (data_copy / "figures" / "odd.svg").mkdir()
    assert _load_error(data_copy).startswith("figures/odd.svg: not a regular file.")


def test_a_dataset_without_figures_names_the_problem(data_copy: Path) -> None:
    import shutil

    shutil.rmtree(data_copy / "figures")
    assert "none: the dataset has no figures folder" in _load_error(data_copy)
