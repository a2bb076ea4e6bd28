"""The pieces of the printed pages: figures made fit to share a page, where a page is
written, how its lines are broken and how much it is scaled to fit, and the dates it
prints."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from hipguide.errors import UsageError
from hipguide.ui import text
from hipguide.ui.figures import mark_position, marked_svg, viewbox, views
from hipguide.ui.html import TEMPLATES, check_target, write_page
from hipguide.ui.html._figure import crop_tall, fit_width, isolate
from hipguide.ui.html._fit import (
    _LAYOUTS,
    FALLBACK_WIDTH,
    PAGE_MM,
    PAGE_WIDTH,
    SMALLEST,
    largest_scale,
    lines,
    printed_height,
    text_width,
)


def middle(view: str) -> tuple[float, float]:
    width, height = viewbox(view)
    return width / 2, height / 2


@pytest.mark.parametrize("view", views())
def test_two_figures_on_one_page_share_no_id_class_or_style(view: str) -> None:
    x, y = middle(view)
    svg = marked_svg(view, x, y, "right", "GB30", labels=False)
    page = isolate(svg, "fig1") + isolate(svg, "fig2")
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for target in re.findall(r'href="#([^"]+)"', page):
        assert target in ids
    for classes in re.findall(r'\bclass="([^"]*)"', page):
        assert all(re.match(r"fig[12]-", name) for name in classes.split())
    for css in re.findall(r"<style[^>]*>(.*?)</style>", page, re.S):
        for selectors in re.findall(r"([^{}]+)\{", css):
            for selector in selectors.split(","):
                assert re.match(r"\s*(\.fig[12]-|#fig[12] )", selector), selector


def test_a_whole_body_figure_is_cut_to_a_band_that_holds_the_mark() -> None:
    svg = marked_svg("body-back", 190, 324, "left", "GB30", labels=False)
    mark = mark_position("body-back", 190, 324, "left")
    cut = fit_width(crop_tall(svg, mark.x, mark.y))
    found = re.search(r'viewBox="([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)"', cut)
    assert found is not None
    left, top, width, height = map(float, found.groups())
    assert left <= mark.x <= left + width and top <= mark.y <= top + height
    assert height < viewbox("body-back")[1] * 0.75
    root = cut[cut.index("<svg") : cut.index(">", cut.index("<svg"))]
    assert "width=" not in root and "height=" not in root
    limb = marked_svg("leg-outer", 200, 102, "left", "GB34", labels=False)
    assert crop_tall(limb, 200, 102) == limb  # a figure that is not tall stays whole


def test_the_templates_live_in_the_package() -> None:
    import hipguide

    package = Path(hipguide.__file__).parent
    assert package / "ui" / "templates" == TEMPLATES
    assert {p.name for p in TEMPLATES.iterdir()} >= {"card.html", "report.html", "page.css"}


def test_the_stylesheet_fits_both_papers() -> None:
    css = (TEMPLATES / "page.css").read_text(encoding="utf-8")
    assert "@page" in css
    assert "size:" not in css.split("@page", 1)[1].split("}", 1)[0]  # the printer's paper
    assert "width: 186mm" in css  # A4's width less margins (Letter is wider)


def test_a_new_file_is_written_whole(tmp_path: Path) -> None:
    out = tmp_path / "page.html"
    write_page(str(out), "<p>ü</p>", force=False)
    assert out.read_bytes() == "<p>ü</p>".encode()
    with pytest.raises(UsageError, match="exists already"):
        write_page(str(out), "<p>new</p>", force=False)
    assert out.read_text(encoding="utf-8") == "<p>ü</p>"
    write_page(str(out), "<p>new</p>", force=True)
    assert out.read_text(encoding="utf-8") == "<p>new</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]  # no temporary left


def test_check_target_refuses_before_anything_is_asked(tmp_path: Path) -> None:
    check_target("-", force=False)
    check_target(str(tmp_path / "new.html"), force=False)
    (tmp_path / "old.html").write_text("x", encoding="utf-8")
    check_target(str(tmp_path / "old.html"), force=True)
    for bad in ("old.html", "", "no/such/folder.html"):
        with pytest.raises(UsageError):
            check_target(str(tmp_path / bad) if bad else str(tmp_path), force=False)


def test_lines_grow_with_the_text_and_shrink_with_the_column() -> None:
    long, short = "the lower edge of the knee " * 16, "the lower edge of the knee " * 8
    assert lines("", 50, 7) == 1
    assert lines(long, 50, 7) > lines(short, 50, 7) > 1
    assert lines(long, 100, 7) < lines(long, 50, 7)
    assert lines(long, 50, 9) > lines(long, 50, 7)


def test_lines_break_between_words_as_a_browser_does() -> None:
    word = text_width("thigh", 10)  # Arial's widths: t 278, h 556, i 222, g 556
    arial = (278 + 556 + 222 + 556 + 556) / 1000 * 10 * 25.4 / 72
    assert word == pytest.approx(arial * FALLBACK_WIDTH)  # with room for a wider font
    space = text_width(" ", 10)
    assert lines("thigh thigh", 2 * word + space + 0.001, 10) == 1
    assert lines("thigh thigh", 2 * word + space - 0.01, 10) == 2  # no room: a new line
    assert lines("thigh ", word + 0.001, 10) == 1  # a space at the end of a line takes none
    # after a hyphen, not after a slash (the word moves on, and is cut)
    assert lines("x thigh-bone", text_width("x thigh-", 10) + 0.1, 10) == 2
    assert lines("x thigh/bone", text_width("x thigh/", 10) + 0.1, 10) == 3
    assert lines("1-2 1-2 1-2", text_width("1-2 1-", 10) + 0.1, 10) == 3  # nor before a digit
    assert lines("Zúsānlǐ", 100, 10) == 1 and text_width("ú", 10) == text_width("u", 10)


def test_the_scale_is_the_largest_that_fits_to_a_thousandth() -> None:
    # a page that wraps into fewer lines the wider it is laid out
    def height(context: dict[str, object], width: float) -> float:
        return 280 * (PAGE_WIDTH / width) ** 0.5

    scale = largest_scale({}, height, PAGE_MM, SMALLEST)
    assert printed_height({}, scale, height) <= PAGE_MM
    assert printed_height({}, scale + 0.001, height) > PAGE_MM
    assert scale == pytest.approx((PAGE_MM / 280) ** (2 / 3), abs=0.001)
    assert largest_scale({}, lambda c, w: 100.0, PAGE_MM, SMALLEST) == 1.0
    assert largest_scale({}, lambda c, w: 1000.0, PAGE_MM, SMALLEST) == SMALLEST


def test_the_estimate_uses_the_stylesheet_sizes() -> None:
    css = (TEMPLATES / "page.css").read_text(encoding="utf-8")

    def rule(selector: str) -> str:
        found = re.search(re.escape(selector) + r" \{([^}]*)\}", css)
        assert found is not None, selector
        return found[1]

    for selector, density in ((".find", "normal"), ("ol.points.compact .find", "compact")):
        size, leading = _LAYOUTS[density]["find"]
        assert f"font-size: {size:g}pt" in rule(selector)
        assert f"line-height: {leading:g}" in rule(selector)
    for selector, density in (
        (".words .caption", "normal"),
        ("ol.points.compact .words .caption", "compact"),
    ):
        assert f"font-size: {_LAYOUTS[density]['caption'][0]:g}pt" in rule(selector)
    for selector, density in (("ol.points > li", "normal"), ("ol.points.compact > li", "compact")):
        assert f"grid-template-columns: {_LAYOUTS[density]['picture']:g}mm 1fr" in rule(selector)
    assert f"width: {PAGE_WIDTH:g}mm" in rule(".page")


def test_printed_dates_always_carry_the_year() -> None:
    moment = datetime(2025, 3, 4, 9, 30, tzinfo=timezone.utc)
    local = moment.astimezone()
    assert text.date(moment) == f"{local:%a} {local.day} {local:%b %Y}"
    assert text.short_date(moment).endswith(" 2025")
    assert text.date_time(moment).endswith(f"2025, {local:%H:%M}")
    assert text.duration(445) == "7 min 25 s"
    assert text.duration(60) == "1 min"
    assert text.duration(9) == "9 s"


def test_without_a_browser_the_browser_tests_skip_saying_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import shutil

    import browser

    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no Chromium found"):
        browser.browser()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no Chromium found"):
        browser.browser()


@pytest.mark.parametrize("out", ["", "   "])
def test_an_empty_out_says_it_is_empty(out: str) -> None:
    with pytest.raises(UsageError, match="--out is empty") as raised:
        check_target(out, force=True)
    assert "e.g. card.html" in (raised.value.hint or "")


@pytest.mark.parametrize("name", ["", "   ", "\u3000"])
def test_a_blank_name_is_refused(name: str) -> None:
    from hipguide.ui.html import check_name

    with pytest.raises(UsageError, match="--name is empty"):
        check_name(name)
    check_name("A. Smith")
    check_name(None)
