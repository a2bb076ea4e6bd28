"""The card and the report printed by a real browser (headless Chromium): one page on
A4 and on Letter, with the plan's points, the cautions and the emergency number in the
printed text; a card scaled down no more than it needs; and a card that is not blank on
the screen."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from browser import SIZES, drawn_at, pdf_pages, print_pdf, screenshot
from conftest import MakeAnswers
from fakes import FakeClock
from hipguide.cli import app
from hipguide.cli._runtime import Runtime
from hipguide.dataset import Dataset
from test_cli_report import NOW, make_history

pytestmark = pytest.mark.browser

WALL = datetime(2025, 3, 4, 9, 30, tzinfo=timezone.utc)
NUMBER = "112 (EU) / 999 (UK)"

CARDS = {
    "outer-left": (["--area", "outer", "--side", "left"], {}),
    "buttock-right-sciatica": (
        ["--area", "buttock", "--side", "right", "--condition", "sciatica"],
        {},
    ),
    "pregnant": (["--area", "outer", "--side", "left"], {"pregnant": "yes"}),
    # the most a card holds: eight points, every caution, a long emergency number
    "fullest": (
        ["--area", "outer", "--area", "leg", "--side", "left", "--minutes", "12",
         "--skip-area", "hand", "--accept-risk"],
        {"pregnant": "unsure", "older_or_fragile": "yes", "skin_problem": "yes",
         "worsening": "yes"},
    ),
    # eight points on both sides, four cautions
    "both-sides": (
        ["--area", "outer", "--area", "front", "--side", "both", "--minutes", "20",
         "--skip-area", "hand"],
        {"pregnant": "yes", "anticoagulant": "yes", "older_or_fragile": "yes",
         "skin_problem": "yes"},
    ),
    # the longest texts: seven points with long ways to find them, every caution, a
    # "see a doctor soon" verdict, the pregnancy signs, and a long name
    "longest": (
        ["--area", "outer", "--area", "front", "--side", "both", "--minutes", "15",
         "--condition", "sciatica", "--skip-area", "hand", "--no-foot-reach", "--accept-risk"],
        {"pregnant": "yes", "anticoagulant": "yes", "older_or_fragile": "yes",
         "skin_problem": "yes", "worsening": "yes"},
    ),
}  # fmt: skip
#: The name printed on a card (the longest allowed is 80 characters).
NAMES = {"longest": "Maximilian Alexander Wolfeschlegel-Steinhausen von Bergdorf-Hohenfels, Jr."}
#: The cards drawn below full size, and how much larger each may be drawn and still fit
#: one page: no more than the room the page's estimate keeps.
SCALED = ("fullest", "both-sides", "longest")
ROOM = 1.05


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args), obj=Runtime(clock=FakeClock(wall=WALL)))
    assert result.exit_code == 0, result.output
    return result.stdout


def normal(text: str) -> str:
    return " ".join(text.split())


def make_card(
    name: str, runner: CliRunner, answers_file: MakeAnswers
) -> tuple[str, dict[str, object]]:
    """The card ``name`` of :data:`CARDS` (its HTML) and the plan it was made from."""
    args, answers = CARDS[name]
    path = str(answers_file(**answers))
    common = ["--no-input", "--answers", path, "--emergency-number", NUMBER, *args]
    plan = json.loads(run(runner, "routine", "--plan", "--json", *common))
    named = ["--name", NAMES[name]] if name in NAMES else []
    page = run(runner, "card", *common, *named, "--out", "-")
    return page, plan


@pytest.fixture(params=list(CARDS))
def card(
    request: pytest.FixtureRequest, runner: CliRunner, answers_file: MakeAnswers
) -> tuple[str, dict[str, object]]:
    """A card (its HTML) and the plan it was made from."""
    return make_card(request.param, runner, answers_file)


@pytest.mark.parametrize("size", SIZES)
def test_a_card_prints_on_one_page_with_its_points_cautions_and_number(
    card: tuple[str, dict[str, object]], size: str, tmp_path: Path, dataset: Dataset
) -> None:
    page, plan = card
    pages = pdf_pages(print_pdf(page, size, tmp_path))
    assert len(pages) == 1, f"{len(pages)} pages on {size}"
    printed = pages[0]
    steps = plan["steps"]
    assert isinstance(steps, list)
    for code in {step["point"] for step in steps}:
        assert code in printed
    cautions = plan["cautions"]
    assert isinstance(cautions, list)
    for caution in cautions:  # each as a sentence (a verdict's cap gives a clause)
        text = normal(caution["text"]).rstrip(".")
        assert f"{text[:1].upper()}{text[1:]}." in printed
    assert NUMBER in printed
    assert "2025" in printed  # the check's date carries the year


@pytest.mark.parametrize("name", SCALED)
def test_a_card_is_scaled_down_no_more_than_it_needs(
    name: str, runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path
) -> None:
    page, _ = make_card(name, runner, answers_file)
    found = re.search(r"zoom: ([\d.]+)", page)
    assert found is not None, "drawn at full size"
    scale = float(found[1])
    assert scale * ROOM < 1
    # on Letter, the shorter page: a little larger, it would not fit
    larger = print_pdf(drawn_at(page, scale * ROOM), "letter", tmp_path)
    assert len(pdf_pages(larger)) > 1, f"drawn at {scale}, it fits at {scale * ROOM:.3f} too"


def test_the_fullest_card_holds_eight_points(runner: CliRunner, answers_file: MakeAnswers) -> None:
    args, answers = CARDS["fullest"]
    plan = json.loads(
        run(runner, "routine", "--plan", "--json", "--no-input", "--answers",
            str(answers_file(**answers)), *args)
    )  # fmt: skip
    assert len({step["point"] for step in plan["steps"]}) == 8
    assert len(plan["cautions"]) >= 3


def test_a_card_on_the_screen_is_not_blank(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path
) -> None:
    from PIL import Image

    page = run(
        runner, "card", "--no-input", "--answers", str(answers_file()),
        *CARDS["outer-left"][0], "--out", "-",
    )  # fmt: skip
    with Image.open(screenshot(page, tmp_path)) as image:
        width, height = image.size
        grey = image.convert("L").tobytes()
        rgb = image.convert("RGB").tobytes()
    dark = sum(1 for value in grey if value < 200)
    red = sum(
        1 for i in range(0, len(rgb), 3) if rgb[i] > 150 and rgb[i + 1] < 60 and rgb[i + 2] < 70
    )
    assert dark > width * height * 0.02  # text and outlines drawn
    assert red > 50  # the points' marks


def printed_report(runner: CliRunner, size: str, tmp_path: Path) -> str:
    """The text of the report for the history at hand, printed: it must be one page."""
    result = runner.invoke(
        app,
        ["report", "--out", "-", "--name", "Ann Example"],
        obj=Runtime(clock=FakeClock(wall=NOW)),
    )
    assert result.exit_code == 0, result.output
    pages = pdf_pages(print_pdf(result.stdout, size, tmp_path))
    assert len(pages) == 1, f"{len(pages)} pages on {size}"
    return pages[0]


@pytest.mark.parametrize("size", SIZES)
def test_a_report_of_thirty_sessions_prints_on_one_page(
    runner: CliRunner, home: Path, tmp_path: Path, size: str
) -> None:
    make_history(home)
    printed = printed_report(runner, size, tmp_path)
    for expected in ("Ann Example", "Latest 20 of 30 sessions", "6 Jan 2025", "SOON"):
        assert expected in printed


@pytest.mark.parametrize("size", SIZES)
def test_a_full_report_with_check_ins_and_a_busy_day_prints_on_one_page(
    runner: CliRunner, home: Path, tmp_path: Path, size: str
) -> None:
    from datetime import timedelta

    from hipguide.store import Store
    from test_cli_report import START

    make_history(home)
    busy = NOW - timedelta(days=3)
    with Store.open(home) as store:
        for week in range(8):  # weekly check-ins, no better
            store.record_checkin(START + timedelta(days=7 * week), (6, 5 + week % 2, 6), 4)
        store.record_check(busy, {"worsening": "no"}, "self-care")
        store.record_check(busy + timedelta(hours=1), {"injury": "yes"}, "emergency")
        store.record_check(
            busy + timedelta(hours=2), {"fever": "yes", "hot_swollen": "unsure"}, "emergency"
        )
        flare = store.start_session(
            busy + timedelta(hours=3), {"steps": [], "flare": True}, 9, flare=True
        )
        store.finish_session(
            flare, busy + timedelta(hours=3, minutes=4), ("GB30",), 7, True, "finished"
        )
        store.record_check(NOW - timedelta(hours=1), {}, "soon", {"no_improvement": "progress"})
    printed = printed_report(runner, size, tmp_path)
    for expected in (
        "Weekly check-ins",
        "By the weekly check-ins (28 days or more apart, so these decide)",
        "Counted as yes from the weekly check-ins",
        "Latest 20 of 31 sessions",
        "EMERGENCY",
        "9!",  # the flare-up
    ):
        assert expected in printed


def _installed(family: str) -> bool:
    import shutil
    import subprocess

    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", f":family={family}"], capture_output=True, text=True)
    return bool(found.stdout.strip())


FALLBACK_FONT = "DejaVu Sans Condensed"


@pytest.mark.skipif(not _installed(FALLBACK_FONT), reason=f"{FALLBACK_FONT} is not installed")
@pytest.mark.parametrize("name", SCALED)
@pytest.mark.parametrize("size", SIZES)
def test_a_card_in_the_fallback_font_still_prints_on_one_page(
    name: str, size: str, runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path
) -> None:
    """Where none of Liberation Sans, Arial and Helvetica is installed, the page's next
    font is DejaVu Sans Condensed, a little wider: the scale leaves room for it."""
    page, _ = make_card(name, runner, answers_file)
    assert f'"{FALLBACK_FONT}"' in page
    forced = page.replace(
        "</head>", f"<style>body {{ font-family: '{FALLBACK_FONT}'; }}</style>\n</head>", 1
    )
    assert len(pdf_pages(print_pdf(forced, size, tmp_path))) == 1


@pytest.mark.parametrize("size", SIZES)
def test_a_report_whose_latest_check_found_every_sign_prints_on_one_page(
    runner: CliRunner, home: Path, tmp_path: Path, size: str, dataset: Dataset
) -> None:
    """A check answered yes to every question has some 30 findings: it lists the gravest
    and counts the rest, so the page still holds it."""
    from datetime import timedelta

    from hipguide.store import Store

    make_history(home, sessions=30, days=40)
    every = {q.id: "yes" for q in dataset.triage.questions} | {"assessed": "no"}
    with Store.open(home) as store:
        store.record_check(NOW - timedelta(hours=2), every, "emergency")
        store.record_check(NOW - timedelta(hours=1), every, "emergency")
    printed = normal(printed_report(runner, size, tmp_path))
    assert "more findings" in printed
