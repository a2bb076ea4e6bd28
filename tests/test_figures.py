"""The vector figures and the marks on them: files, regions, sides, mirroring."""

from __future__ import annotations

import re

import pytest

from hipguide.config import shipped_data_dir
from hipguide.dataset import Dataset, load_dataset
from hipguide.models import Point
from hipguide.ui import figures
from hipguide.ui.figures import _svg

_DATA = load_dataset(shipped_data_dir())
POINTS = _DATA.points
REGIONS = tuple(region.id for region in _DATA.regions)
IDS = [p.code for p in POINTS]
FIGURES = shipped_data_dir() / "figures"


VIEWS = figures.views()


def test_the_views_are_the_files_present() -> None:
    assert set(VIEWS) == {path.stem for path in FIGURES.glob("*.svg")}
    assert {p.figure.view for p in POINTS} <= set(VIEWS)
    assert len(VIEWS) >= 10


@pytest.mark.parametrize("view", VIEWS)
def test_figure_file_follows_the_layout(view: str) -> None:
    svg = (FIGURES / f"{view}.svg").read_text("utf-8")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ')
    sides = re.match(r'<svg [^>]*data-side="(both|left|right)"', svg)
    assert sides is not None, "the root names the side the figure shows"
    assert ("data-mirrored=" in svg) == (sides[1] != "both")
    assert svg.count('<g id="art"') == 1
    assert svg.count('<g id="labels">') == 1
    assert svg.count('<text id="orientation"') == 1
    assert svg.count('<g id="regions" display="none">') == 1
    # Small, self-made, nothing embedded or fetched.
    assert len(svg.encode()) < 12_000
    for banned in ("<image", "base64", "@font-face", "http://", "https://"):
        assert banned not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    labels = re.search(r'<g id="labels">(.*?)</g>', svg, re.S)
    assert labels is not None
    texts = re.findall(r"<text\b[^>]*>", labels[1])
    assert len(texts) >= 5, "key landmarks carry labels"
    assert all("text-anchor=" in tag and " x=" in tag for tag in texts)
    regions = _svg.region_polygons(svg)
    assert regions, "no region outlines"
    assert set(regions) <= set(REGIONS)
    width, height = _svg.viewbox(view)
    for polygons in regions.values():
        for polygon in polygons:
            assert len(polygon) >= 3
            assert all(0 <= x <= width and 0 <= y <= height for x, y in polygon)


@pytest.mark.parametrize(
    ("view", "words"),
    [
        ("body-front", "their right is on your left"),
        ("body-back", "their left is on your left"),
        ("body-left", "Left side of the body: they face to your left"),
        ("body-right", "Right side of the body: they face to your right"),
        ("leg-outer", "Left lower leg, outer side: toes point to your left"),
        ("hand", "Back of the left hand, fingers up: thumb on your right"),
    ],
)
def test_orientation_says_which_side_is_which(view: str, words: str) -> None:
    assert words in figures.orientation(view)


def test_right_side_view_is_the_left_one_mirrored() -> None:
    left = (FIGURES / "body-left.svg").read_text("utf-8")
    right = (FIGURES / "body-right.svg").read_text("utf-8")
    assert right == _svg.mirror_svg(left)


@pytest.mark.parametrize("point", POINTS, ids=IDS)
@pytest.mark.parametrize("side", ["left", "right"])
def test_mark_lies_in_the_region_its_point_names(point: Point, side: str) -> None:
    place = point.figure
    mark = figures.mark_position(place.view, place.x, place.y, side)
    width, height = figures.viewbox(mark.view)
    assert 0 <= mark.x <= width and 0 <= mark.y <= height
    svg = figures.marked_svg(place.view, place.x, place.y, side, point.code)
    regions = _svg.region_polygons(svg)
    assert point.region in regions, f"{mark.view} has no {point.region} outline"
    assert _svg.inside(regions[point.region], mark.x, mark.y), (point.code, side, mark)


@pytest.mark.parametrize("point", POINTS, ids=IDS)
def test_left_and_right_pictures_differ_and_mirror_each_other(point: Point) -> None:
    place = point.figure
    left = figures.mark_position(place.view, place.x, place.y, "left")
    right = figures.mark_position(place.view, place.x, place.y, "right")
    assert (left.side, right.side) == ("left", "right")
    width, _ = figures.viewbox(left.view)
    assert right.x == pytest.approx(width - left.x)
    assert right.y == left.y
    left_svg = figures.marked_svg(place.view, place.x, place.y, "left", point.code)
    right_svg = figures.marked_svg(place.view, place.x, place.y, "right", point.code)
    assert left_svg != right_svg


def test_whole_body_views_mark_the_other_half_for_the_right_side() -> None:
    back = figures.mark_position("body-back", 190, 324, "right")
    assert (back.view, back.x, back.mirrored) == ("body-back", 270, False)
    # Seen from behind their left is on your left; from the front it is on your right.
    assert figures.mark_position("body-back", 190, 324, "left").x < 230
    sp12 = next(p for p in POINTS if p.code == "SP12").figure
    assert sp12.view == "body-front" and sp12.x > 230


def test_side_views_switch_figure_and_limbs_mirror_the_figure() -> None:
    side = figures.mark_position("body-left", 222, 302, "right")
    assert side.view == "body-right" and not side.mirrored
    limb = figures.mark_position("hand", 224, 256, "right")
    assert limb.view == "hand" and limb.mirrored
    svg = figures.marked_svg("hand", 224, 256, "right", "LI4")
    assert 'transform="matrix(-1 0 0 1 400 0)"' in svg
    assert ">Back of the right hand" in svg and ">Back of the left hand" not in svg


def test_marked_svg_has_a_ring_a_dot_and_the_code() -> None:
    svg = figures.marked_svg("body-back", 190, 324, "left", "GB30")
    mark = re.search(r'<g id="mark" transform="translate\(([\d.]+) ([\d.]+)\)">(.*?)</g>', svg)
    assert mark is not None
    assert (float(mark[1]), float(mark[2])) == (190, 324)
    assert mark[3].count("<circle") == 3
    assert ">GB30</text>" in mark[3]
    assert svg.rstrip().endswith("</svg>")


def test_code_is_escaped_in_the_svg() -> None:
    svg = figures.marked_svg("hand", 224, 256, None, "<b>&")
    assert "&lt;b&gt;&amp;" in svg and "<b>&" not in svg


@pytest.mark.parametrize(
    ("view", "x", "y", "side", "message"),
    [
        ("elbow", 1, 1, None, "unknown figure"),
        ("hand", 9999, 1, None, "outside"),
        ("hand", 1, 1, "both", "side must be"),
    ],
)
def test_bad_positions_are_refused(view: str, x: int, y: int, side: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        figures.mark_position(view, x, y, side)


def test_dataset_fixture_points_all_have_figures(dataset: Dataset) -> None:
    assert all(p.figure.view in VIEWS for p in dataset.points)
