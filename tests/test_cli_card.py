"""``hipguide card`` through Typer's runner: the gate, where the page goes, and what it holds."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from conftest import MakeAnswers
from fakes import FakeClock
from hipguide.cli import app
from hipguide.cli._runtime import Runtime
from hipguide.dataset import Dataset
from hipguide.store import Store

WALL = datetime(2025, 3, 4, 9, 30, tzinfo=timezone.utc)
PLACE = ["--area", "outer", "--side", "left"]


def card(runner: CliRunner, *args: str, clock: FakeClock | None = None) -> Result:
    ports = Runtime(clock=clock or FakeClock(wall=WALL))
    return runner.invoke(app, ["card", "--no-input", *args], obj=ports)


def made(runner: CliRunner, answers: Path, out: Path, *args: str) -> str:
    result = card(runner, *PLACE, "--answers", str(answers), "--out", str(out), *args)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def plan_codes(runner: CliRunner, answers: Path, *args: str) -> list[str]:
    import json

    result = runner.invoke(
        app,
        ["routine", "--plan", "--json", "--no-input", "--answers", str(answers), *args],
        obj=Runtime(clock=FakeClock(wall=WALL)),
    )
    assert result.exit_code == 0, result.output
    return list(dict.fromkeys(step["point"] for step in json.loads(result.stdout)["steps"]))


# --- the page ------------------------------------------------------------------------------


def test_the_card_holds_the_plan_in_order_with_pictures(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path, dataset: Dataset
) -> None:
    answers = answers_file()
    page = made(runner, answers, tmp_path / "card.html")
    codes = plan_codes(runner, answers, *PLACE)
    found = re.findall(r'<span class="code">([^<]+)</span>', page)
    assert found == codes  # the same plan as routine --plan, in its order
    assert page.count("<svg") >= len(codes)
    for code in codes:
        point = dataset.point(code)
        assert point.location.self_find.replace("'", "&#39;") in page
    assert "Tue 4 Mar 2025, 09:30" in page  # the check's date, with the year
    assert "Self-care is reasonable" in page
    assert "Outer hip · left side" in page


def test_the_card_says_when_to_stop_and_whom_to_call(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path, dataset: Dataset
) -> None:
    page = made(runner, answers_file(), tmp_path / "card.html", "--emergency-number", "112")
    safely = dataset.triage.pressing_safely
    assert safely is not None
    assert "Call 112 at once" in page
    assert safely.stop_signs.replace("{emergency}", "112") in page
    assert safely.side_effects.replace("{emergency}", "112") in page
    emergency = [q for q in dataset.triage.questions if q.tier == "emergency" and not q.after]
    assert emergency
    for question in emergency:
        assert question.text.replace("'", "&#39;") in page
    pregnancy = next(q for q in dataset.triage.questions if q.id == "pregnancy_warning")
    assert pregnancy.text not in page  # asked only in pregnancy, listed only then


def test_cautions_and_what_they_left_out_are_on_the_card(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path, dataset: Dataset
) -> None:
    answers = answers_file(pregnant="yes", anticoagulant="yes")
    page = made(runner, answers, tmp_path / "card.html", "--minutes", "5")
    for caution in ("pregnant", "anticoagulant"):
        assert dataset.question(caution).advice in page
    assert "Left out:" in page
    assert "left out to fit the 5-minute budget" in page
    pregnancy = next(q for q in dataset.triage.questions if q.id == "pregnancy_warning")
    assert pregnancy.text in page
    assert "firm pressure" not in page  # blood thinners: light pressure only


def test_a_point_pressed_standing_shows_the_standing_way(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path, dataset: Dataset
) -> None:
    import html
    import json

    answers = answers_file()
    place = ["--area", "outer", "--area", "buttock", "--side", "left"]
    args = [*place, "--no-lying", "--foot-reach", "--minutes", "8"]
    result = card(runner, *args, "--answers", str(answers), "--out", str(tmp_path / "c.html"))
    assert result.exit_code == 0, result.output
    page = html.unescape((tmp_path / "c.html").read_text(encoding="utf-8"))
    planned = runner.invoke(
        app,
        ["routine", "--plan", "--json", "--no-input", "--answers", str(answers), *args],
        obj=Runtime(clock=FakeClock(wall=WALL)),
    )
    steps = json.loads(planned.stdout)["steps"]
    standing = list(dict.fromkeys(step["point"] for step in steps if step["instead"]))
    assert standing  # GB30 and BL54 are pressed against a wall
    for code in standing:
        reach = dataset.point(code).reach
        assert reach is not None and reach.instead is not None
        assert f"{reach.instead.find} {reach.instead.method}" in page
        assert dataset.point(code).location.self_find not in page  # not the lying way
    assert f"Pressed standing, since you cannot lie down: {', '.join(standing)}." in page
    lying = made(runner, answers, tmp_path / "lying.html", "--lying")
    assert "Pressed standing" not in lying


def test_a_name_is_printed_only_when_given(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path
) -> None:
    plain = made(runner, answers_file(), tmp_path / "a.html")
    assert 'class="name"' not in plain
    named = made(runner, answers_file(), tmp_path / "b.html", "--name", "Ann Smith")
    assert "For Ann Smith" in named


def test_nothing_is_fetched_and_no_script_runs(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path
) -> None:
    page = made(runner, answers_file(), tmp_path / "card.html")
    assert "<script" not in page.lower()
    links = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", page, re.I)
    links += re.findall(r"url\(\s*['\"]?([^)'\"]*)", page, re.I)
    assert all(link.startswith("#") for link in links), links
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "@import" not in page
    assert "<link" not in page and "<img" not in page and "<iframe" not in page


def test_every_id_on_the_page_is_unique(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path
) -> None:
    page = made(runner, answers_file(), tmp_path / "card.html", "--side", "both")
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert ids and len(ids) == len(set(ids))
    for target in re.findall(r'href="#([^"]+)"', page):
        assert target in ids


# --- the escaping of everything from outside -----------------------------------------------

PLANTED = '<script>alert(1)</script> {{ 7 * 7 }} & "quoted"'
#: A hostile emergency number within the 40 characters a number may have.
NUMBER = "999 <b>{{7*7}}</b>"


def test_texts_from_the_data_and_the_emergency_number_are_escaped(
    runner: CliRunner,
    answers_file: MakeAnswers,
    tmp_path: Path,
    data_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    points_file = data_copy / "points.yaml"
    points = yaml.safe_load(points_file.read_text(encoding="utf-8"))
    gb30 = next(p for p in points["points"] if p["code"] == "GB30")
    gb30["location"]["self_find"] = f"Find it here {PLANTED}"
    points_file.write_text(yaml.safe_dump(points, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("HIPGUIDE_DATA", str(data_copy))
    monkeypatch.setenv("HIPGUIDE_EMERGENCY_NUMBER", NUMBER)
    page = made(runner, answers_file(), tmp_path / "card.html")
    assert "<script" not in page
    assert (
        "Find it here &lt;script&gt;alert(1)&lt;/script&gt; {{ 7 * 7 }} &amp; &#34;quoted" in page
    )
    assert "Call 999 &lt;b&gt;{{7*7}}&lt;/b&gt;" in page
    assert "49" not in re.sub(r"<[^>]+>", "", page.split("Find it here", 1)[1])[:80]


# --- where the page goes -------------------------------------------------------------------


def test_out_dash_writes_the_page_to_stdout_only(
    runner: CliRunner, answers_file: MakeAnswers
) -> None:
    result = card(runner, *PLACE, "--answers", str(answers_file()), "--out", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert result.stdout.rstrip().endswith("</html>")
    assert "Card written" not in result.stdout


def test_an_existing_file_is_kept_without_force(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path, home: Path
) -> None:
    out = tmp_path / "card.html"
    out.write_text("mine", encoding="utf-8")
    result = card(runner, *PLACE, "--answers", str(answers_file()), "--out", str(out))
    assert result.exit_code == 2
    assert "exists already" in result.output and "--force" in result.output
    assert out.read_text(encoding="utf-8") == "mine"
    assert not (home / "history.sqlite3").exists()  # refused before the check was run
    result = card(runner, *PLACE, "--answers", str(answers_file()), "--out", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "Card written to" in result.stdout


@pytest.mark.parametrize("target", ["folder", "missing/card.html"])
def test_an_out_that_cannot_be_a_file_is_a_usage_error(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path, target: str
) -> None:
    (tmp_path / "folder").mkdir()
    result = card(runner, *PLACE, "--answers", str(answers_file()), "--out", str(tmp_path / target))
    assert result.exit_code == 2, result.output


def test_out_is_required(runner: CliRunner, answers_file: MakeAnswers) -> None:
    result = card(runner, *PLACE, "--answers", str(answers_file()))
    assert result.exit_code == 2
    assert "--out" in result.output


# --- the gate ------------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "code"), [("injury", 5), ("fever", 4)])
def test_an_emergency_or_urgent_verdict_refuses_and_writes_nothing(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path, answer: str, code: int
) -> None:
    out = tmp_path / "card.html"
    answers = answers_file(**{answer: "yes"})
    result = card(runner, *PLACE, "--answers", str(answers), "--out", str(out))
    assert result.exit_code == code, result.output
    assert not out.exists()
    assert "No card was made" in result.stdout


def test_see_a_doctor_soon_needs_accept_risk_under_no_input(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path, dataset: Dataset
) -> None:
    out = tmp_path / "card.html"
    answers = answers_file(worsening="yes")
    result = card(runner, *PLACE, "--answers", str(answers), "--out", str(out))
    assert result.exit_code == 3, result.output
    assert not out.exists()
    result = card(runner, *PLACE, "--answers", str(answers), "--out", str(out), "--accept-risk")
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert dataset.tier("soon").headline in page
    assert dataset.tier("soon").action in page


def test_no_input_without_answers_or_a_recent_check_is_a_usage_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "card.html"
    result = card(runner, *PLACE, "--out", str(out))
    assert result.exit_code == 2
    assert "--answer" in result.output
    assert not out.exists()


def test_a_recent_check_is_reused_and_its_date_printed(
    runner: CliRunner, all_no: dict[str, str], tmp_path: Path, home: Path
) -> None:
    checked = WALL - timedelta(hours=3)
    with Store.open(home) as store:
        store.record_check(checked, all_no, "self-care")
    out = tmp_path / "card.html"
    result = card(runner, *PLACE, "--out", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    local = checked.astimezone()
    assert f"{local.day} {local:%b %Y}, {local:%H:%M}" in page
    assert "a check from the last 24 hours" in page
    with Store.open(home) as store:
        assert len(store.checks()) == 1  # reused, not asked again


def test_bad_routine_options_are_the_routines_errors(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path
) -> None:
    result = card(
        runner, "--area", "elbow", "--side", "left", "--answers", str(answers_file()),
        "--out", str(tmp_path / "c.html"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "Unknown area 'elbow'" in result.output


def test_a_plan_too_big_for_one_page_is_refused_with_a_hint(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path
) -> None:
    areas = [arg for area in ("outer", "front", "buttock", "leg") for arg in ("--area", area)]
    out = tmp_path / "card.html"
    result = card(
        runner, *areas, "--side", "both", "--minutes", "60", "--answers", str(answers_file()),
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "room for 8 points" in result.output
    assert not out.exists()


def test_every_line_of_what_shaped_the_plan_is_a_sentence(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path
) -> None:
    import html

    answers = answers_file(worsening="yes", pregnant="yes", anticoagulant="yes")
    page = made(runner, answers, tmp_path / "card.html", "--accept-risk")
    block = page[page.index("Adjusted for you") :]
    block = block[: block.index("</ul>")]
    lines = [html.unescape(text).strip() for text in re.findall(r"<li>(.*?)</li>", block, re.S)]
    assert len(lines) >= 3  # pregnancy, blood thinners, and the verdict's own cap
    assert any("soon" in line for line in lines)
    for line in lines:
        assert line[:1].isupper(), line
        assert line.endswith("."), line
        assert ". ." not in line and "meanwhile At" not in line, line
