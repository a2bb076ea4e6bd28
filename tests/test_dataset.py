"""The loader: the shipped dataset loads, and each kind of fault gives its own message."""

from __future__ import annotations

import os
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
    assert "not valid YAML" in message


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
    message = _load_error(data_copy)
    assert f"{data_copy / 'points.yaml'} is " in message
    assert "bytes, more than the limit of 2,097,152" in message


def test_missing_file(data_copy: Path) -> None:
    (data_copy / "triage.yaml").unlink()
    assert f"Dataset file {data_copy / 'triage.yaml'} not found" in _load_error(data_copy)


def test_missing_folder(tmp_path: Path) -> None:
    assert "does not exist" in _load_error(tmp_path / "nowhere")
    (tmp_path / "a-file").write_text("points: []\n", encoding="utf-8")
    assert "a-file is not a folder" in _load_error(tmp_path / "a-file")


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
    cached = list(config.cache_dir().glob("dataset-*.cache"))
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
    for cached in config.cache_dir().glob("dataset-*.cache"):
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


# --- hostile datasets (DESIGN.md section 6) ----------------------------------------------------


def _set_english(folder: Path, raw: str) -> str:
    """Put ``raw`` (YAML as written) as GB30's English name; return the entry's label."""
    path = folder / "points.yaml"
    text = path.read_text(encoding="utf-8")
    block = text.index("code: GB30")
    start = text.index("english:", block)
    end = text.index("\n", start)
    path.write_text(text[:start] + f"english: {raw}" + text[end:], encoding="utf-8")
    return "entry GB30 (#"


@pytest.mark.parametrize(
    ("raw", "code_point"),
    [
        (r'"Jumping\e]0;owned\a Circle"', "U+001B"),
        (r'"Jumping\e[2J Circle"', "U+001B"),
        (r'"Jumping \x9b31m Circle"', "U+009B"),
        (r'"Jumping \u202e elcriC"', "U+202E"),
        (r'"Jumping \u2066Circle\u2069"', "U+2066"),
        (r'"Jump\u200bing Circle"', "U+200B"),
        (r'"Jump\u200ding Circle"', "U+200D"),
        (r'"Jumping\ufeffCircle"', "U+FEFF"),
        (r'"Jumping\nCircle"', "U+000A"),
        (r'"Jumping\tCircle"', "U+0009"),
        (r'"Jumping\u2028Circle"', "U+2028"),
    ],
    ids=[
        "osc-title", "csi-clear", "c1-csi", "bidi-override", "bidi-isolate", "zero-width-space",
        "zero-width-joiner", "bom", "newline", "tab", "line-separator",
    ],
)  # fmt: skip
def test_a_control_or_format_character_in_a_text_is_refused(
    data_copy: Path, raw: str, code_point: str
) -> None:
    entry = _set_english(data_copy, raw)
    message = _load_error(data_copy)
    assert message.startswith("points.yaml, " + entry), message
    assert "field 'english': holds the" in message
    assert code_point in message
    assert "\x1b" not in message and "\u202e" not in message


def test_a_folded_text_is_joined_and_kept(data_copy: Path) -> None:
    _set_english(data_copy, ">\n      Jumping\n      Circle")
    assert load_dataset(data_copy).point("GB30").english == "Jumping Circle"


def test_a_literal_text_with_a_line_break_is_refused(data_copy: Path) -> None:
    _set_english(data_copy, "|\n      Jumping\n      Circle")
    assert "U+000A" in _load_error(data_copy)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("2024-01-01", "expected text, got a date ('2024-01-01')"),
        ("2024-01-01T10:00:00", "expected text, got a date and time"),
        ("9" * 5000, "expected text, got a number too large ('999"),
        ("[Jumping, Circle]", "expected text, got a list"),
        ("{a: b}", "expected text, got a mapping"),
        ("!!binary aGVsbG8=", "expected text, got binary data"),
        ("1.5", "expected text, got a decimal number ('1.5')"),
    ],
    ids=["date", "timestamp", "huge-number", "list", "mapping", "binary", "decimal"],
)
def test_a_value_of_the_wrong_type_names_file_entry_and_field(
    data_copy: Path, raw: str, fragment: str
) -> None:
    entry = _set_english(data_copy, raw)
    message = _load_error(data_copy)
    assert message.startswith("points.yaml, " + entry)
    assert f"field 'english': {fragment}" in message
    assert "9" * 81 not in message


def test_a_huge_number_of_seconds_is_the_usual_wrong_type(data_copy: Path) -> None:
    _edit(data_copy / "points.yaml", "seconds: 60", "seconds: " + "9" * 5000)
    message = _load_error(data_copy)
    assert "field 'technique.seconds': expected a whole number, got a number too large" in message
    assert len(message) < 400


@pytest.mark.parametrize("seconds", ["0", "-5", "601"])
def test_seconds_must_be_a_real_press(data_copy: Path, seconds: str) -> None:
    _edit(data_copy / "points.yaml", "seconds: 60", f"seconds: {seconds}")
    message = _load_error(data_copy)
    assert "field 'technique.seconds'" in message
    assert "must be from 1 to 600 seconds" in message or "must not be negative" in message


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("code: GB30", "code: GB３0", "code"),
        ("code: KI3", "code: KІ3", "code"),  # a Cyrillic I
    ],
    ids=["full-width-digit", "cyrillic-letter"],
)
def test_codes_are_ascii(data_copy: Path, old: str, new: str, field: str) -> None:
    _edit(data_copy / "points.yaml", old, new)
    message = _load_error(data_copy)
    assert f"field '{field}'" in message
    assert "plain ASCII" in message


def test_aliases_are_ascii(data_copy: Path) -> None:
    _rewrite_points(data_copy, lambda points: points[0].update(aliases=["GB２9"]))
    message = _load_error(data_copy)
    assert "field 'aliases[0]'" in message
    assert "U+FF12" in message


def test_a_duplicate_key_in_a_dataset_file_is_an_error(data_copy: Path) -> None:
    _edit(
        data_copy / "points.yaml", "    depth: deep\n", "    depth: deep\n    depth: superficial\n"
    )
    message = _load_error(data_copy)
    assert message.startswith("points.yaml, line ")
    assert "duplicate key 'depth'" in message


def test_a_few_aliases_are_read(data_copy: Path) -> None:
    sources = "sources: [seed-acupuncture-nyc, seed-acupressure-easy, seed-distal-points, who-2008]"
    path = data_copy / "areas.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(sources) >= 2
    first = text.index(sources)
    text = (
        text[:first]
        + sources.replace("sources:", "sources: &shared")
        + text[first + len(sources) :]
    )
    text = text.replace(sources, "sources: *shared")
    path.write_text(text, encoding="utf-8")
    areas = load_dataset(data_copy).areas
    assert areas[0].sources == areas[1].sources == (
        "seed-acupuncture-nyc", "seed-acupressure-easy", "seed-distal-points", "who-2008"
    )  # fmt: skip


def test_aliases_beyond_the_bound_are_refused(data_copy: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"b{n}: *a" for n in range(150)]
    (data_copy / "regions.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = _load_error(data_copy)
    assert message.startswith("regions.yaml, line ")
    assert "more than 100 YAML aliases" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_named_pipe_in_place_of_a_dataset_file_is_refused_at_once(data_copy: Path) -> None:
    (data_copy / "areas.yaml").unlink()
    os.mkfifo(data_copy / "areas.yaml")  # no writer: reading it would wait for ever
    message = _load_error(data_copy)
    assert "areas.yaml is a named pipe (FIFO), not a regular file" in message


def test_a_folder_in_place_of_a_dataset_file_is_refused(data_copy: Path) -> None:
    (data_copy / "areas.yaml").unlink()
    (data_copy / "areas.yaml").mkdir()
    assert "areas.yaml is a folder" in _load_error(data_copy)


def test_a_long_entry_name_is_cut_in_the_message(data_copy: Path) -> None:
    _rewrite_points(data_copy, lambda points: points[0].update(code="G" * 5000, colour="red"))
    message = _load_error(data_copy)
    assert "G" * 41 not in message
    assert "field 'colour': unknown field" in message


def test_an_unknown_reference_is_quoted_briefly(data_copy: Path) -> None:
    _rewrite_points(data_copy, lambda points: points[0].update(sources=["s" * 5000]))
    message = _load_error(data_copy)
    assert "unknown source 'sss" in message
    assert "s" * 81 not in message
