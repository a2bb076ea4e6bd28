"""The card and the report printed by a real browser (headless Chromium): one page on
A4 and on Letter, with the plan's points, the cautions and the emergency number in the
printed text, and a card that is not blank on the screen."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from browser import SIZES, pdf_pages, print_pdf, screenshot
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
}  # fmt: skip


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args), obj=Runtime(clock=FakeClock(wall=WALL)))
    assert result.exit_code == 0, result.output
    return result.stdout


def normal(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(params=list(CARDS))
def card(
    request: pytest.FixtureRequest, runner: CliRunner, answers_file: MakeAnswers
) -> tuple[str, dict[str, object]]:
    """A card (its HTML) and the plan it was made from."""
    args, answers = CARDS[request.param]
    path = str(answers_file(**answers))
    common = ["--no-input", "--answers", path, "--emergency-number", NUMBER, *args]
    plan = json.loads(run(runner, "routine", "--plan", "--json", *common))
    page = run(runner, "card", *common, "--out", "-")
    return page, plan


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
