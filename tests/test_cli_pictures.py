"""Pictures on the point card (``--pictures``, ``HIPGUIDE_PICTURES``) and in files
(``points CODE --picture FILE``), through Typer's runner."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from hipguide.cli import app
from hipguide.cli._app import hoist_global_options
from hipguide.cli._runtime import Runtime
from hipguide.dataset import Dataset
from hipguide.ui import figures

#: What each image protocol writes.
PROTOCOLS = {
    "kitty": re.compile(r"\x1b_Ga=T,f=100"),
    "iterm": re.compile(r"\x1b\]1337;File=inline=1"),
    "sixel": re.compile(r"\x1bP[0-9;]*q"),
}
CAPTION = "Back of the body, seen from behind: their left is on your left."


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich takes the runner's output for a colour terminal."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)


def words(text: str) -> str:
    """The text without escape codes, spaces run together."""
    plain = re.sub(
        r"\x1b(?:\[[0-9;]*[A-Za-z]|_G[^\x1b]*\x1b\\|\][^\x07]*\x07|P[^\x1b]*\x1b\\|[78])", "", text
    )
    return " ".join(plain.split())


def card(runner: CliRunner, *args: str, obj: Runtime | None = None) -> str:
    result = runner.invoke(app, list(args), obj=obj, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


# --- the card on a terminal ------------------------------------------------------------


@pytest.mark.parametrize("mode", ["kitty", "iterm", "sixel"])
@pytest.mark.usefixtures("terminal")
def test_each_image_mode_writes_its_protocol(runner: CliRunner, mode: str) -> None:
    out = card(runner, "--pictures", mode, "points", "GB30")
    assert PROTOCOLS[mode].search(out), mode
    for other, pattern in PROTOCOLS.items():
        if other != mode:
            assert not pattern.search(out), other
    assert f"{CAPTION} GB30 is marked by a red ring on the left side of the body." in words(out)


@pytest.mark.usefixtures("terminal")
def test_blocks_draw_half_blocks_in_colour(runner: CliRunner) -> None:
    out = card(runner, "points", "GB30", "--pictures", "blocks")
    assert "▀" in out or "▄" in out
    assert re.search(r"\x1b\[[0-9;]*48;2;", out), "no 24-bit background colour"
    assert "GB30 is marked by ● on the left side of the body." in words(out)
    assert not any(pattern.search(out) for pattern in PROTOCOLS.values())


@pytest.mark.usefixtures("terminal")
def test_none_shows_words_only(runner: CliRunner) -> None:
    out = card(runner, "--pictures", "none", "points", "GB30", "--side", "right")
    text = words(out)
    assert f"{CAPTION} GB30 is marked on the right side of the body." in text
    assert not re.search("[\u2580-\u28ff●@]", out)
    assert not any(pattern.search(out) for pattern in PROTOCOLS.values())


@pytest.mark.usefixtures("terminal")
def test_the_mode_comes_from_the_environment(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HIPGUIDE_PICTURES", "ITERM")
    assert PROTOCOLS["iterm"].search(card(runner, "points", "GB30"))
    # The option wins over the variable.
    out = card(runner, "points", "GB30", "--pictures=kitty")
    assert PROTOCOLS["kitty"].search(out) and not PROTOCOLS["iterm"].search(out)


@pytest.mark.usefixtures("terminal")
def test_a_runtime_given_by_a_test_carries_the_mode(runner: CliRunner) -> None:
    out = card(runner, "points", "GB30", obj=Runtime(pictures="sixel"))
    assert PROTOCOLS["sixel"].search(out)


@pytest.mark.parametrize("mode", [None, "auto", "kitty", "iterm", "sixel", "blocks", "ascii"])
def test_piped_output_gets_plain_ascii(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, mode: str | None
) -> None:
    monkeypatch.setenv("TERM", "xterm-kitty")
    monkeypatch.setenv("KITTY_WINDOW_ID", "1")
    out = card(runner, *(["--pictures", mode] if mode else []), "points", "GB30")
    assert "\x1b" not in out
    assert "GB30 is marked by @ on the left side of the body." in words(out)
    drawing = out.partition("How to find it yourself")[2].split(CAPTION[:20])[0]
    assert drawing.isascii() and drawing.count("@") == 1


def test_piped_none_has_no_drawing(runner: CliRunner) -> None:
    out = card(runner, "points", "ST36", "--pictures", "none", "--side", "right")
    assert "ST36 is marked on the right side of the body." in words(out)
    assert "Right lower leg, outer side" in out
    assert "@" not in out


# --- bad modes and sides ---------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--pictures", "blok", "points", "GB30"],
        ["points", "GB30", "--pictures", "blok"],
        ["points", "GB30", "--json", "--pictures=blok"],
    ],
)
def test_a_bad_mode_is_exit_2_with_a_suggestion(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: Unknown picture mode 'blok' for --pictures. Did you mean blocks? "
        "Valid: auto, kitty, iterm, sixel, blocks, ascii, none."
    ]
    assert result.stdout == ""


def test_a_bad_mode_in_the_environment_is_exit_2(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HIPGUIDE_PICTURES", "sixle")
    result = runner.invoke(app, ["points", "GB30"])
    assert result.exit_code == 2
    assert "Unknown picture mode 'sixle' for HIPGUIDE_PICTURES. Did you mean sixel?" in (
        result.stderr
    )
    # A command that draws no picture does not need the variable.
    assert runner.invoke(app, ["points", "GB30", "--json"]).exit_code == 0


def test_a_bad_side_is_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(app, ["points", "GB30", "--side", "lft"])
    assert result.exit_code == 2
    assert "Unknown side 'lft' for --side. Did you mean left?" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["points", "GB30", "--pictures", "none"], ["--pictures", "none", "points", "GB30"]),
        (["points", "--pictures=ascii", "GB30"], ["--pictures=ascii", "points", "GB30"]),
        (["points", "GB30"], ["points", "GB30"]),
        (["points", "--", "--pictures", "x"], ["points", "--", "--pictures", "x"]),
        (["points", "GB30", "--pictures"], ["points", "GB30", "--pictures"]),
        (["points", "GB30", "--debug"], ["--debug", "points", "GB30"]),
        (["check", "--debug", "--pictures", "none"], ["--debug", "--pictures", "none", "check"]),
        (["points", "--", "--debug"], ["points", "--", "--debug"]),
    ],
)
def test_the_global_option_may_follow_the_command(args: list[str], expected: list[str]) -> None:
    assert hoist_global_options(args) == expected


# --- pictures written to files ---------------------------------------------------------


def _red(pixel: tuple[int, ...]) -> bool:
    r, g, b = pixel[:3]
    return r > 180 and g < 60 and b < 80


@pytest.mark.parametrize(
    ("code", "side"),
    [("GB30", "left"), ("GB30", "right"), ("ST36", "right"), ("LI4", None), ("GB29", "right")],
)
def test_picture_png_marks_the_point_on_the_side_asked(
    runner: CliRunner, dataset: Dataset, tmp_path: Path, code: str, side: str | None
) -> None:
    target = tmp_path / f"{code}.png"
    args = ["points", code, "--picture", str(target), *(["--side", side] if side else [])]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    shown = side or "left"
    assert result.stdout == f"Wrote the picture of {code} ({shown} side) to {target}.\n"
    point = dataset.point(code)
    mark = figures.mark_position(*point.figure, side)
    assert mark.side == shown
    width, height = figures.viewbox(mark.view)
    with Image.open(target) as opened:
        image = opened.convert("RGB")
    assert image.size == (600, round(600 * height / width))
    scale = 600 / width
    x, y = round(mark.x * scale), round(mark.y * scale)
    assert _red(image.getpixel((x, y))), "no red mark where the point is"
    # Nothing red where the point would be on the other side.
    other = figures.mark_position(*point.figure, "left" if shown == "right" else "right")
    if other.view == mark.view and abs(other.x - mark.x) > 20:
        assert not _red(image.getpixel((round(other.x * scale), y)))


def test_picture_svg_holds_the_mark(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "gb30.svg"
    result = runner.invoke(
        app,
        ["points", "gb-30", "--side", "right", "--picture", str(target)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    svg = target.read_text("utf-8")
    assert 'transform="translate(270 324)"' in svg and ">GB30</text>" in svg


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["points", "GB30", "--picture", "gb30.jpg"], 2, "--picture writes a .png or an .svg"),
        (["points", "--picture", "all.png"], 2, "--picture needs a point to draw"),
        (["points", "shoulder", "--picture", "x.png"], 2, "--picture draws one point, but"),
        (["points", "zzzz", "--picture", "x.png"], 1, "No point matches 'zzzz'"),
        (["points", "GB30", "--picture", "no/such/folder/x.png"], 2, "Cannot write the picture"),
        (["points", "GB30", "--picture", "x.png", "--json"], 2, "prints no JSON"),
    ],
)
def test_picture_errors_are_one_line(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    code: int,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == code
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    assert not list(tmp_path.glob("*.png"))


# --- what the card says about sources and safety -------------------------------------------


def test_every_card_names_sources_by_title_and_publisher(
    runner: CliRunner, dataset: Dataset
) -> None:
    for point in dataset.points:
        out = words(card(runner, "points", point.code, "--pictures", "none"))
        for source_id in point.sources:
            source = dataset.source(source_id)
            assert source.title in out, (point.code, source_id)
            assert source.publisher.split()[0] in out, (point.code, source_id)
            if source.file:
                assert source.file not in out
        assert "seed article" not in out
        if point.chosen_by:
            assert " ".join(point.chosen_by.split()) in out, point.code


def test_every_card_says_what_pressing_too_hard_means_and_when_to_stop(
    runner: CliRunner, dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HIPGUIDE_EMERGENCY_NUMBER", "112")
    safely = dataset.triage.pressing_safely
    assert safely is not None
    for point in dataset.points:
        out = words(card(runner, "points", point.code, "--pictures", "none"))
        for text in (safely.side_effects, safely.stop_signs):
            assert " ".join(text.replace("{emergency}", "112").split()) in out, point.code
        assert "{emergency}" not in out


def test_condition_card_names_sources_and_pressing_safely(
    runner: CliRunner, dataset: Dataset
) -> None:
    for condition in dataset.conditions:
        result = runner.invoke(app, ["conditions", condition.id], catch_exceptions=False)
        out = words(result.stdout)
        for source_id in condition.sources:
            source = dataset.source(source_id)
            assert source.title in out
            if source.file:
                assert source.file not in out
        assert "If you press too hard" in out and "When to stop" in out


def test_a_card_without_a_usable_cache_folder_still_has_its_picture(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be", "utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    out = card(runner, "points", "GB30")
    assert "GB30 is marked by @ on the left side of the body." in words(out)
    assert blocked.read_text("utf-8").startswith("a file")
