"""Pictures in the terminal and in files: modes, protocols, budgets, decoding back."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from rich.console import Console

from hipguide.ui import figures
from hipguide.ui.figures import _protocols, _raster
from hipguide.ui.figures._picture import draw

GB30 = ("body-back", 190, 324)
ESCAPE = re.compile(r"\x1b")


@pytest.fixture(autouse=True)
def _colour_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests pass colour (or not) to each console themselves."""
    monkeypatch.delenv("NO_COLOR", raising=False)


def _console(**kwargs: object) -> Console:
    options: dict[str, object] = {
        "file": io.StringIO(),
        "width": 80,
        "force_terminal": True,
        "color_system": "truecolor",
    }
    options.update(kwargs)
    return Console(**options)  # type: ignore[arg-type]


def _print(picture: figures.Picture, **kwargs: object) -> str:
    console = _console(**kwargs)
    console.print(picture)
    return console.file.getvalue()  # type: ignore[attr-defined]


# --- choosing the rendering ----------------------------------------------------------------

TERMINAL = {"is_terminal": True, "color": True, "unicode": True}


@pytest.mark.parametrize(
    ("env", "facts", "expected"),
    [
        ({"KITTY_WINDOW_ID": "1", "TERM": "xterm-kitty"}, TERMINAL, "kitty"),
        ({"TERM": "xterm-ghostty"}, TERMINAL, "kitty"),
        ({"TERM_PROGRAM": "ghostty"}, TERMINAL, "kitty"),
        ({"TERM_PROGRAM": "iTerm.app"}, TERMINAL, "iterm"),
        ({"TERM_PROGRAM": "WezTerm"}, TERMINAL, "iterm"),
        ({"TERM": "foot"}, TERMINAL, "sixel"),
        ({"TERM": "mlterm"}, TERMINAL, "sixel"),
        ({"TERM": "yaft-256color"}, TERMINAL, "sixel"),
        ({"TERM": "xterm-256color"}, TERMINAL, "halfblocks"),
        ({"TERM": "xterm-256color"}, {**TERMINAL, "color": False}, "braille"),
        ({"TERM": "xterm-256color"}, {**TERMINAL, "unicode": False}, "ascii"),
        ({"TERM": "dumb"}, TERMINAL, "ascii"),
        ({"TERM": "xterm-kitty"}, {**TERMINAL, "is_terminal": False}, "ascii"),
        # With colour off (NO_COLOR) no image is sent: the picture is made of characters.
        ({"TERM": "xterm-kitty"}, {**TERMINAL, "color": False}, "braille"),
        ({"TERM_PROGRAM": "iTerm.app"}, {**TERMINAL, "color": False}, "braille"),
        ({"TERM": "foot"}, {**TERMINAL, "color": False, "unicode": False}, "ascii"),
        # Inside tmux the images would not get through.
        ({"TERM": "tmux-256color", "KITTY_WINDOW_ID": "1"}, TERMINAL, "halfblocks"),
        ({"TERM": "xterm-kitty", "TMUX": "/tmp/x"}, TERMINAL, "halfblocks"),
    ],
)
def test_auto_picks_what_the_terminal_can_show(
    env: dict[str, str], facts: dict[str, bool], expected: str
) -> None:
    assert figures.choose_rendering("auto", env=env, **facts) == expected


@pytest.mark.parametrize(
    ("mode", "facts", "expected"),
    [
        ("kitty", {**TERMINAL, "is_terminal": False}, "kitty"),
        ("sixel", TERMINAL, "sixel"),
        ("blocks", TERMINAL, "halfblocks"),
        ("blocks", {**TERMINAL, "color": False}, "braille"),
        ("blocks", {**TERMINAL, "unicode": False}, "ascii"),
        ("ascii", TERMINAL, "ascii"),
        ("none", TERMINAL, "none"),
    ],
)
def test_an_explicit_mode_is_kept(mode: str, facts: dict[str, bool], expected: str) -> None:
    assert figures.choose_rendering(mode, env={"TERM": "xterm-kitty"}, **facts) == expected


def test_resolve_mode_reads_option_then_env_then_console() -> None:
    kitty_env = {"TERM": "xterm-kitty", "HIPGUIDE_PICTURES": "ascii"}
    console = _console()
    assert figures.resolve_mode(None, console=console, env=kitty_env) == "ascii"
    assert figures.resolve_mode("none", console=console, env=kitty_env) == "none"
    assert figures.resolve_mode(None, console=console, env={"TERM": "xterm-kitty"}) == "kitty"
    assert figures.resolve_mode(None, console=_console(no_color=True), env={}) == "braille"
    piped = Console(file=io.StringIO(), width=80)
    assert figures.resolve_mode(None, console=piped, env={"TERM": "xterm-kitty"}) == "ascii"


@pytest.mark.parametrize("value", ["jpeg", "", "auto2"])
def test_bad_modes_are_refused_naming_the_choices(value: str) -> None:
    with pytest.raises(ValueError, match="auto, kitty, iterm, sixel, blocks, ascii, none"):
        figures.resolve_mode(None, console=_console(), env={"HIPGUIDE_PICTURES": value or "x"})
    with pytest.raises(ValueError, match="must be one of"):
        figures.check_mode(value)


# --- image protocols decode back to the same picture ---------------------------------------


def _png_pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGBA").tobytes()


def _reference_png(cols: int, rows: int, cell: tuple[int, int]) -> bytes:
    view, x, y = GB30
    layout = figures.fit((0.0, 0.0, *figures.viewbox(view)), (x, y), cols, rows)
    svg = figures.marked_svg(view, x, y, "left", "GB30")
    from hipguide.ui.figures._picture import _windowed

    return _raster.render_png(
        _windowed(svg, layout.window), layout.cols * cell[0], layout.rows * cell[1]
    )


def test_kitty_sends_png_in_chunks_that_decode_to_the_picture() -> None:
    drawn = draw(*GB30, "left", "GB30", "kitty", 60, 20)
    commands = re.findall(r"\x1b_G([^;]*);([^\x1b]*)\x1b\\", drawn.sequence)
    assert len(commands) > 1
    first = dict(pair.split("=") for pair in commands[0][0].split(","))
    assert first["a"] == "T" and first["f"] == "100" and first["q"] == "2"
    assert (int(first["c"]), int(first["r"])) == (drawn.cols, drawn.rows)
    assert [keys.endswith("m=1") for keys, _ in commands] == [True] * (len(commands) - 1) + [False]
    assert all(len(chunk) <= 4096 for _, chunk in commands)
    png = base64.b64decode("".join(chunk for _, chunk in commands))
    assert _png_pixels(png) == _png_pixels(_reference_png(60, 20, (10, 20)))


def test_iterm_sends_one_inline_file_that_decodes_to_the_picture() -> None:
    drawn = draw(*GB30, "left", "GB30", "iterm", 60, 20)
    found = re.fullmatch(r"\x1b\]1337;File=([^:]*):([A-Za-z0-9+/=]+)\x07", drawn.sequence)
    assert found is not None
    keys = dict(pair.split("=", 1) for pair in found[1].split(";"))
    assert keys["inline"] == "1"
    assert (int(keys["width"]), int(keys["height"])) == (drawn.cols, drawn.rows)
    png = base64.b64decode(found[2])
    assert int(keys["size"]) == len(png)
    assert _png_pixels(png) == _png_pixels(_reference_png(60, 20, (10, 20)))


def _decode_sixel(
    sequence: str,
) -> tuple[int, int, dict[int, tuple[int, int, int]], list[list[int]]]:
    """A Sixel decoder for what the encoder writes: raster size, palette, pixel indices."""
    found = re.fullmatch(r"\x1bP0;1;0q\"1;1;(\d+);(\d+)(.*)\x1b\\", sequence, re.S)
    assert found is not None
    width, height, body = int(found[1]), int(found[2]), found[3]
    palette: dict[int, tuple[int, int, int]] = {}
    pixels = [[-1] * width for _ in range(height)]
    top, x, colour = 0, 0, 0
    for token in re.finditer(r"#(\d+);2;(\d+);(\d+);(\d+)|#(\d+)|!(\d+)(.)|([?-~])|(\$)|(-)", body):
        if token[1]:
            palette[int(token[1])] = tuple(round(int(v) * 255 / 100) for v in token.group(2, 3, 4))  # type: ignore[assignment]
            continue
        if token[5]:
            colour = int(token[5])
            continue
        if token[9]:
            x = 0
            continue
        if token[10]:
            top, x = top + 6, 0
            continue
        count, char = (int(token[6]), token[7]) if token[6] else (1, token[8])
        bits = ord(char) - 63
        for _ in range(count):
            for dy in range(6):
                if bits & (1 << dy) and top + dy < height:
                    pixels[top + dy][x] = colour
            x += 1
    return width, height, palette, pixels


def test_sixel_decodes_back_to_the_quantised_picture() -> None:
    drawn = draw(*GB30, "left", "GB30", "sixel", 60, 20)
    assert drawn.sequence.startswith("\x1bP") and "q" in drawn.sequence[:8]
    width, height, palette, pixels = _decode_sixel(drawn.sequence)
    source = _protocols.quantise(_reference_png(60, 20, (8, 16)))
    assert (width, height) == (source.width, source.height)
    expected = [list(source.indices[row * width : (row + 1) * width]) for row in range(height)]
    assert pixels == expected
    for number, colour in enumerate(source.palette):
        assert all(abs(a - b) <= 2 for a, b in zip(palette[number], colour, strict=True))


def test_png_reader_matches_pillow() -> None:
    png = _reference_png(20, 10, (10, 20))
    ours = _raster.decode_png(png)
    with Image.open(io.BytesIO(png)) as image:
        assert ours.rgba == image.convert("RGBA").tobytes()


@pytest.mark.parametrize("rendering", ["kitty", "iterm", "sixel"])
def test_images_reserve_their_rows_and_go_back_up_to_draw(rendering: str) -> None:
    picture = figures.Picture(*GB30, "left", code="GB30", mode=rendering, max_height=14)
    out = _print(picture)
    marker = {"kitty": "\x1b_G", "iterm": "\x1b]1337;File=", "sixel": "\x1bP0;1;0q"}[rendering]
    assert marker in out
    text = re.sub(r"\x1b7.*?\x1b8", "", out, flags=re.S)
    assert not ESCAPE.search(text)
    assert len(text.splitlines()) <= 14
    # Written to a file or pipe, the image sequence is left out.
    assert "\x1b" not in _print(picture, force_terminal=False)


# --- character pictures --------------------------------------------------------------------


def test_blocks_use_half_blocks_with_colour_and_mark_the_point() -> None:
    out = _print(figures.Picture(*GB30, "left", code="GB30", mode="blocks", max_height=20))
    assert "▀" in out or "▄" in out
    assert re.search(r"\x1b\[[0-9;]*38;2;", out), "no 24-bit colour"
    assert "●" in out
    assert "GB30 is marked by ●" in " ".join(re.sub(r"\x1b\[[0-9;]*m", "", out).split())


def test_no_colour_gives_braille_without_colour_codes() -> None:
    picture = figures.Picture(*GB30, "left", code="GB30", mode="blocks", max_height=20)
    out = _print(picture, no_color=True)
    assert re.search("[\u2801-\u28ff]", out)
    assert "▀" not in out and "▄" not in out
    assert not re.search(r"\x1b\[[0-9;]*3[0-9];", out)


@pytest.mark.parametrize("kwargs", [{"force_terminal": False}, {"force_terminal": True}])
def test_piped_or_dumb_gives_plain_ascii(
    kwargs: dict[str, bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"TERM": "dumb"} if kwargs["force_terminal"] else {"TERM": "xterm-kitty"}
    picture = figures.Picture(*GB30, "left", code="GB30", env=env, max_height=20)
    out = _print(picture, **kwargs, color_system=None)
    assert out.isascii()
    assert "\x1b" not in out
    assert "@" in out and "GB30 is marked by @" in " ".join(out.split())
    assert sum(ch in "|/\\()_-'." for ch in out) > 40


def test_none_gives_words_only() -> None:
    out = _print(figures.Picture(*GB30, "right", code="GB30", mode="none"))
    assert " ".join(out.split()) == (
        "Back of the body, seen from behind: their left is on your left. "
        "GB30 is marked on the right side of the body."
    )
    assert not re.search("[\u2580-\u28ff@\x1b]", out)


def test_mark_moves_to_the_other_half_for_the_right_side() -> None:
    left = draw(*GB30, "left", "GB30", "ascii", 60, 20)
    right = draw(*GB30, "right", "GB30", "ascii", 60, 20)
    col_left = next(line[0][0].index("@") for line in left.lines if "@" in line[0][0])
    col_right = next(line[0][0].index("@") for line in right.lines if "@" in line[0][0])
    assert col_left < left.cols / 2 < col_right


@pytest.mark.parametrize("mode", ["blocks", "ascii", "kitty", "iterm", "sixel", "none"])
@pytest.mark.parametrize("view", ["body-back", "leg-outer", "hand", "shoulder"])
@pytest.mark.parametrize(("width", "height"), [(80, 24), (40, 10), (30, 6), (80, 3), (12, 30)])
def test_picture_never_exceeds_its_room(mode: str, view: str, width: int, height: int) -> None:
    w, h = figures.viewbox(view)
    picture = figures.Picture(view, w / 2, h / 2, "left", code="X", mode=mode, max_height=height)
    console = _console(width=width)
    lines = console.render_lines(picture, console.options.update(width=width), pad=False)
    assert len(lines) <= height
    assert all(sum(seg.cell_length for seg in line) <= width for line in lines)


def test_too_little_room_leaves_the_words() -> None:
    out = _print(figures.Picture(*GB30, "left", code="GB30", mode="blocks", max_height=4))
    assert "▀" not in out and "GB30" in out


def test_fit_keeps_the_mark_in_the_window() -> None:
    layout = figures.fit((0, 0, 460, 664), (190, 324), 80, 10)
    x0, y0, w, h = layout.window
    assert x0 <= 190 <= x0 + w and y0 <= 324 <= y0 + h
    assert layout.rows == 10 and layout.cols <= 80
    assert h >= 664 / 1.6 - 1e-6


# --- files -----------------------------------------------------------------------------------


def test_write_picture_png_and_svg(tmp_path: Path) -> None:
    png = figures.write_picture(tmp_path / "gb30.PNG", *GB30, "right", "GB30")
    with Image.open(png) as image:
        assert image.format == "PNG" and image.width == 600
        assert image.height == round(600 * 664 / 460)
    svg = figures.write_picture(tmp_path / "gb30.svg", *GB30, "right", "GB30")
    text = svg.read_text("utf-8")
    assert 'transform="translate(270 324)"' in text and ">GB30</text>" in text


def test_write_picture_refuses_other_kinds(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        figures.write_picture(tmp_path / "gb30.jpg", *GB30)


def test_png_mark_is_red_where_the_mark_is(tmp_path: Path) -> None:
    for side, x in (("left", 190), ("right", 270)):
        path = figures.write_picture(tmp_path / f"{side}.png", *GB30, side, "GB30", width=460)
        with Image.open(path) as image:
            assert image.convert("RGB").getpixel((x, 324)) == (0xD0, 0x02, 0x1B)
            assert image.convert("RGB").getpixel((460 - x, 324)) != (0xD0, 0x02, 0x1B)


# --- import cost -------------------------------------------------------------------------------


def test_importing_the_package_loads_no_rasteriser() -> None:
    probe = (
        "import sys, hipguide.ui.figures as f\n"
        "f.marked_svg('body-back', 190, 324, 'right', 'GB30')\n"
        "print(sorted(m for m in ('resvg_py', 'PIL', 'xml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_character_pictures_do_not_load_pillow() -> None:
    probe = (
        "import sys\nfrom hipguide.ui.figures._picture import draw\n"
        "draw('body-back', 190, 324, 'left', 'GB30', 'halfblocks', 40, 12)\n"
        "draw('body-back', 190, 324, 'left', 'GB30', 'kitty', 40, 12)\n"
        "print('PIL' in sys.modules, 'resvg_py' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False True"


# --- the ASCII table, and pictures kept between runs ----------------------------------------


def test_the_ascii_table_is_the_best_fit_of_every_pattern() -> None:
    from hipguide.ui.figures import _cells

    assert len(_cells.ASCII_TABLE) == 256
    assert [chr(c) for c in _cells.ASCII_TABLE] == [_cells.best_ascii(b) for b in range(256)]


def _fresh() -> None:
    """Forget the pictures drawn in this process (as a new run would)."""
    from hipguide.ui.figures import _picture

    _picture.drawing.cache_clear()
    _picture.draw.cache_clear()


@pytest.mark.parametrize("rendering", ["ascii", "braille", "halfblocks", "kitty", "iterm", "sixel"])
def test_a_drawn_picture_is_read_back_next_time(
    rendering: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hipguide.ui.figures import _picture, _store

    _fresh()
    first = _picture.drawing(*GB30, "left", "GB30", rendering, 40, 12)  # type: ignore[arg-type]
    assert list(Path(_store.folder()).glob("*.cache"))
    _fresh()

    def no_drawing(*args: object) -> None:
        raise AssertionError("drawn again although it was kept")

    monkeypatch.setattr(_picture, "draw", no_drawing)
    assert _picture.drawing(*GB30, "left", "GB30", rendering, 40, 12) == first  # type: ignore[arg-type]


def test_a_changed_figure_is_drawn_again(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hipguide.ui.figures import _store

    monkeypatch.setenv("HIPGUIDE_DATA", str(data_copy))
    args = (*GB30, "left", "GB30", "ascii", 40, 12)
    before = _store.key(*args)  # type: ignore[arg-type]
    figure = data_copy / "figures" / "body-back.svg"
    figure.write_text(figure.read_text("utf-8") + "\n", "utf-8")
    assert _store.key(*args) != before  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("rendering", "document"),
    [
        ("ascii", {"rows": 1, "cols": 5, "lines": [[["ab\x1b[2J", None, None]]], "sequence": ""}),
        ("ascii", {"rows": 1, "cols": 2, "lines": [[["abcdef", None, None]]], "sequence": ""}),
        (
            "halfblocks",
            {"rows": 1, "cols": 1, "lines": [[["▀", [300, 0, 0], None]]], "sequence": ""},
        ),
        ("halfblocks", {"rows": 1, "cols": 1, "lines": [[["x", None, None]]], "sequence": ""}),
        ("ascii", {"rows": 99, "cols": 1, "lines": [], "sequence": ""}),
        (
            "kitty",
            {"rows": 1, "cols": 1, "lines": [], "sequence": "\x1b_Ga=T;QUJD\x1b\\\x1b]0;owned\x07"},
        ),
        (
            "iterm",
            {"rows": 1, "cols": 1, "lines": [], "sequence": "\x1b]1337;File=:QUJD\x07\x1b[2J"},
        ),
        (
            "sixel",
            {"rows": 1, "cols": 1, "lines": [], "sequence": '\x1bP0;1;0q"1;1;1;1#0~\x1b[31m\x1b\\'},
        ),
        ("kitty", {"rows": 1, "cols": 1, "lines": [], "sequence": ""}),
    ],
)
def test_a_kept_picture_that_is_not_what_it_should_be_is_drawn_again(
    rendering: str, document: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from hipguide import cachefile
    from hipguide.ui.figures import _picture, _store

    _fresh()
    args = (*GB30, "left", "GB30", rendering, 40, 12)
    key = _store.key(*args)  # type: ignore[arg-type]
    assert cachefile.write(_store._path(key), key, json.dumps(document).encode())
    assert _store.load(key, rendering, 40, 12) is None
    drawn = _picture.drawing(*args)  # type: ignore[arg-type]
    assert drawn == draw(*args)  # type: ignore[arg-type]


def test_at_most_so_many_pictures_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from hipguide.ui.figures import _store

    monkeypatch.setattr(_store, "MAX_FILES", 3)
    drawn = draw(*GB30, "left", "GB30", "ascii", 20, 8)
    for number in range(6):
        _store.save(f"key {number}", drawn)
    kept = sorted(path.name for path in Path(_store.folder()).iterdir())
    assert len(kept) == 3
    assert Path(_store.folder()).stat().st_mode & 0o777 == 0o700


def test_picture_for_draws_a_point_of_the_dataset() -> None:
    from hipguide.dataset import load_dataset

    point = load_dataset().point("ST36")
    picture = figures.picture_for(point, "right", "none", max_height=5)
    out = _print(picture)
    assert " ".join(out.split()) == (
        "Right lower leg, outer side: toes point to your right. "
        "ST36 is marked on the right side of the body."
    )
    with pytest.raises(ValueError, match="side must be"):
        figures.picture_for(point, "both")
    with pytest.raises(ValueError, match="picture mode"):
        figures.picture_for(point, "left", "jpeg")
