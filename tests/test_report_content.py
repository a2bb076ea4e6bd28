"""What ``hipguide report`` says, from histories made by the commands themselves: the
check-ins, what the guide advised and by which measure, how the sessions went, checks
and sessions in one order with their times, flare-ups, and the chart's dates."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import MakeAnswers
from fakes import FakeClock
from hipguide.cli import app
from hipguide.cli._runtime import Runtime
from hipguide.dataset import Dataset
from hipguide.flows.report import CheckIn, derived_by
from hipguide.store import Store
from hipguide.ui import text
from hipguide.ui.html._chart import pain_chart
from hipguide.ui.html._report import when

START = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
STEPS = {"steps": [{"point": "GB30"}, {"point": "GB34"}, {"point": "ST36"}]}


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC, so that the dates and times on the page are known."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def invoke(runner: CliRunner, at: datetime, *args: str) -> str:
    result = runner.invoke(app, list(args), obj=Runtime(clock=FakeClock(wall=at)))
    assert result.exit_code in (0, 3, 5), result.output  # a verdict, not an error
    return result.stdout


def report_words(runner: CliRunner, at: datetime, tmp_path: Path) -> str:
    out = tmp_path / "report.html"
    result = runner.invoke(
        app, ["report", "--out", str(out), "--force"], obj=Runtime(clock=FakeClock(wall=at))
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def section(words: str, title: str, end: str) -> str:
    """The words from ``title`` up to ``end``."""
    return words[words.index(title) : words.index(end, words.index(title))]


def add_session(
    store: Store,
    at: datetime,
    before: int | None,
    after: int | None = 3,
    *,
    done: bool = True,
    flare: bool = False,
    points: tuple[str, ...] = ("GB30", "GB34", "ST36"),
) -> None:
    sid = store.start_session(at, {**STEPS, "flare": flare}, before, flare=flare)
    store.finish_session(
        sid, at + timedelta(minutes=8), points, after, done, "finished" if done else "quit"
    )


# --- 1. check-ins ------------------------------------------------------------------------


def test_check_ins_from_the_checkin_command_are_shown_newest_first(
    runner: CliRunner, tmp_path: Path
) -> None:
    invoke(runner, START, "checkin", "--no-input", "--peg", "6,5,7", "--pgic", "4")
    invoke(
        runner, START + timedelta(days=7), "checkin", "--no-input", "--peg", "5,4,4", "--pgic", "3"
    )
    words = report_words(runner, START + timedelta(days=8), tmp_path)  # check-ins alone
    checkins = section(words, "Weekly check-ins", "Red-flag checks")
    newest = "9 Nov 2026 5 4 4 4.3 3, a little improved"
    oldest = "2 Nov 2026 6 5 7 6 4, no change"
    assert newest in checkins and oldest in checkins
    assert checkins.index(newest) < checkins.index(oldest)


def test_two_check_ins_on_one_day_are_told_apart_by_their_time(
    runner: CliRunner, tmp_path: Path
) -> None:
    later = START + timedelta(hours=3)
    invoke(runner, START, "checkin", "--no-input", "--peg", "6,5,7", "--pgic", "4")
    invoke(runner, later, "checkin", "--no-input", "--peg", "5,4,4", "--pgic", "3")
    invoke(
        runner, START + timedelta(days=7), "checkin", "--no-input", "--peg", "5,5,5", "--pgic", "3"
    )
    words = report_words(runner, START + timedelta(days=8), tmp_path)
    checkins = section(words, "Weekly check-ins", "Red-flag checks")
    day = text.short_date(START)
    assert f"{day}, {START.astimezone():%H:%M} 6 5 7" in checkins
    assert f"{day}, {later.astimezone():%H:%M} 5 4 4" in checkins
    alone = text.short_date(START + timedelta(days=7))
    assert f"{alone} 5 5 5" in checkins  # a day with one check-in shows its date alone


# --- 2. what the guide advised, and by which measure ---------------------------------------


def test_stalled_check_ins_decide_the_advice_and_the_check_names_them(
    runner: CliRunner, answers_file: MakeAnswers, tmp_path: Path
) -> None:
    later = START + timedelta(days=30)
    invoke(runner, START, "checkin", "--no-input", "--peg", "6,5,7", "--pgic", "3")
    invoke(runner, later, "checkin", "--no-input", "--peg", "6,5,7", "--pgic", "4")
    verdict = invoke(runner, later, "check", "--no-input", "--answers", str(answers_file()))
    assert "SOON" in verdict  # check counted no_improvement as yes, from the check-ins
    words = report_words(runner, later + timedelta(hours=1), tmp_path)
    advice = section(words, "What the guide advised", "Weekly check-ins")
    by_checkins = advice.index("By the weekly check-ins (28 days or more apart, so these decide)")
    assert "less than 30 % lower" in advice
    assert "counts “no better after 4 to 6 weeks of acupressure” as yes" in advice
    # the session rule follows, for reference only
    assert by_checkins < advice.index("By the pain before the sessions (for reference")
    assert not advice.startswith("What the guide advised Progress is judged")
    checks = section(words, "Red-flag checks", "Latest sessions")
    assert "Counted as yes from the weekly check-ins (PEG and PGIC):" in checks
    assert "from the session history" not in checks
    assert "from the pain scores before the sessions" not in checks


def test_a_yes_from_the_sessions_is_said_to_come_from_them(
    runner: CliRunner, home: Path, answers_file: MakeAnswers, tmp_path: Path
) -> None:
    with Store.open(home) as store:
        for i in range(8):  # 8 sessions over 28 days, no better: the session rule stalls
            add_session(store, START + timedelta(days=4 * i), 6)
    now = START + timedelta(days=30)
    invoke(runner, now, "checkin", "--no-input", "--peg", "6,6,6", "--pgic", "4")  # only one
    assert "SOON" in invoke(runner, now, "check", "--no-input", "--answers", str(answers_file()))
    words = report_words(runner, now, tmp_path)
    advice = section(words, "What the guide advised", "Weekly check-ins")
    assert advice.index("By the pain before the sessions:") < advice.index(
        "By the weekly check-ins:"
    )
    assert "counts “no better after 4 to 6 weeks of acupressure” as yes" in advice
    checks = section(words, "Red-flag checks", "Latest sessions")
    assert "Counted as yes from the pain scores before the sessions:" in checks


def test_the_measure_of_an_old_check_is_the_one_that_decided_then() -> None:
    first = CheckIn(START, (6, 6, 6), 4)
    latest = CheckIn(START + timedelta(days=29), (6, 6, 6), 4)
    stored = {"no_improvement": "progress"}  # what check records
    before = derived_by(stored, START + timedelta(days=10), (first, latest))
    after = derived_by(stored, START + timedelta(days=29, hours=1), (first, latest))
    assert before == {"no_improvement": "sessions"}
    assert after == {"no_improvement": "checkins"}
    assert derived_by({"no_improvement": "sessions"}, latest.at, (first, latest)) == {
        "no_improvement": "sessions"
    }


# --- 3. how the sessions went ---------------------------------------------------------------


def test_completed_ended_early_and_unfinished_sessions_are_counted(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    with Store.open(home) as store:
        add_session(store, START, 5)
        add_session(store, START + timedelta(days=1), 5, done=False, points=("GB30",))
        add_session(store, START + timedelta(days=3), 4, points=("GB30", "GB34"))
        store.start_session(START + timedelta(days=9), STEPS, 4)  # never ended
    words = report_words(runner, START + timedelta(days=10), tmp_path)
    assert (
        "Of 4 sessions started: 2 completed, 1 ended early, "
        "1 not finished (no end recorded); sessions on 4 of the 10 days from the first to "
        "the latest"
    ) in words
    sessions = section(words, "Latest sessions", "Made with hipguide")
    assert "GB30 5 → 3 ended early, 1 of 3 points" in sessions
    assert "GB30 GB34 4 → 3 completed, 2 of 3 points" in sessions


def test_one_session_is_counted_in_the_singular(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    with Store.open(home) as store:
        add_session(store, START, 5)
    words = report_words(runner, START + timedelta(days=1), tmp_path)
    assert "Of 1 session started: 1 completed" in words
    assert "The one session with a pain score." in words


# --- 4. one order, with times -----------------------------------------------------------------


def test_checks_and_sessions_are_newest_first_with_their_times(
    runner: CliRunner, home: Path, answers_file: MakeAnswers, tmp_path: Path
) -> None:
    day = START + timedelta(days=1)
    invoke(runner, day, "check", "--no-input", "--answers", str(answers_file()))
    invoke(runner, day + timedelta(hours=2), "check", "--no-input", "--answer", "injury=yes")
    invoke(
        runner, day + timedelta(hours=5), "check", "--no-input", "--answers", str(answers_file())
    )
    with Store.open(home) as store:
        add_session(store, START, 5)
        add_session(store, day + timedelta(hours=6), 4)
    words = report_words(runner, day + timedelta(hours=8), tmp_path)
    checks = section(words, "Red-flag checks", "Latest sessions")
    rows = [
        "3 Nov 2026, 14:00 SELF-CARE",
        "3 Nov 2026, 11:00 EMERGENCY",
        "3 Nov 2026, 09:00 SELF-CARE",
    ]
    assert [checks.index(row) for row in rows] == sorted(checks.index(row) for row in rows)
    sessions = section(words, "Latest sessions", "Made with hipguide")
    assert sessions.index("3 Nov 2026, 15:00") < sessions.index("2 Nov 2026, 09:00")
    assert "a flare-up" not in sessions  # none here: no note


def test_a_run_of_clear_checks_on_one_day_gives_its_times(dataset: Dataset) -> None:
    from hipguide.flows.report import CheckEntry
    from hipguide.triage import assess
    from hipguide.ui.html._report import check_rows

    clear = assess(dataset.triage, {"worsening": "no"})
    entries = tuple(CheckEntry(START + timedelta(hours=h), "self-care", clear) for h in (0, 3))
    rows, _ = check_rows(entries, dataset, None)
    assert [row.when for row in rows] == ["2 checks on 2 Nov 2026, 09:00 to 12:00"]
    assert when(START) == "2 Nov 2026, 09:00"


# --- 5. flare-ups -----------------------------------------------------------------------------


def test_a_flare_up_is_marked_as_history_marks_it(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    with Store.open(home) as store:
        for i in range(3):
            add_session(store, START + timedelta(days=i), 4)
        sid = store.start_session(
            START + timedelta(days=3), {**STEPS, "flare": True}, 8, flare=True
        )
        store.finish_session(sid, START + timedelta(days=3, minutes=2), (), None, False, "quit")
    words = report_words(runner, START + timedelta(days=4), tmp_path)
    sessions = section(words, "Latest sessions", "Made with hipguide")
    assert "8! → – ended early, 0 of 3 points, lighter version" in sessions
    assert "4! →" not in sessions
    assert "! a flare-up: pain before the session 2 or more points above the usual" in sessions


# --- 6. the chart's dates ---------------------------------------------------------------------


def _ticks(starts: list[datetime]) -> list[str]:
    from hipguide.flows.report import PainPoint

    chart = pain_chart([PainPoint(at, 5, 3) for at in starts])
    assert chart is not None
    labels = [label for _, label in chart.x_ticks]
    assert len(labels) == len(set(labels)), labels  # each label once
    xs = [x for x, _ in chart.x_ticks]
    assert xs == sorted(xs) and chart.left <= xs[0] and xs[-1] <= chart.right
    return labels


def test_sessions_on_one_day_are_labelled_by_their_times() -> None:
    labels = _ticks([START + timedelta(hours=2 * i) for i in range(6)])
    assert labels == ["2 Nov 2026, 09:00", "11:00", "13:00", "15:00", "17:00", "19:00"]
    assert _ticks([START, START + timedelta(minutes=2)])[0] == "2 Nov 2026, 09:00"
    assert _ticks([START, START]) == ["2 Nov 2026"]


def test_a_few_days_are_labelled_once_each_and_a_long_span_evenly() -> None:
    few = _ticks([START + timedelta(hours=10 * i) for i in range(7)])  # 2 to 4 Nov
    assert few == ["2 Nov 2026", "3 Nov 2026", "4 Nov 2026"]
    long = _ticks([START + timedelta(days=i) for i in range(56)])
    assert long[0] == "2 Nov 2026" and long[-1] == "27 Dec 2026" and len(long) == 6


def test_a_check_in_that_cannot_be_read_leaves_the_first_and_the_latest(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    import sqlite3

    invoke(runner, START, "checkin", "--no-input", "--peg", "6,5,7", "--pgic", "4")
    invoke(
        runner, START + timedelta(days=7), "checkin", "--no-input", "--peg", "5,5,5", "--pgic", "4"
    )
    invoke(
        runner, START + timedelta(days=14), "checkin", "--no-input", "--peg", "4,4,4", "--pgic", "3"
    )
    with sqlite3.connect(home / "history.sqlite3") as connection:
        connection.execute(
            "INSERT INTO checkins (at, peg_pain, peg_enjoyment, peg_activity, pgic) "
            "VALUES ('not a date', 1, 1, 1, 1)"
        )
    words = report_words(runner, START + timedelta(days=15), tmp_path)
    checkins = section(words, "Weekly check-ins", "Red-flag checks")
    assert "A check-in could not be read: only the first and the latest are shown." in checkins
    assert "16 Nov 2026 4 4 4 4 3" in checkins and "2 Nov 2026 6 5 7 6 4" in checkins
    assert "9 Nov 2026" not in checkins


# --- 7. told to a clinician, with its sources -------------------------------------------------


def _report_sentences() -> list[str]:
    """Every sentence the report writes in its own words (the rest are the dataset's)."""
    from hipguide.ui import text
    from hipguide.ui.html import _report

    found: list[str] = []

    def add(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                add(item)
        elif isinstance(value, tuple):
            for item in value:
                add(item)

    for module in (text, _report):
        for name in dir(module):
            if name.startswith("REPORT_"):
                add(getattr(module, name))
    return found


def test_the_report_speaks_of_the_patient_not_to_them() -> None:
    sentences = _report_sentences()
    assert len(sentences) > 40
    for sentence in sentences:
        assert not re.search(r"\byou(r|rs|rself)?\b", sentence, re.I), sentence


def test_what_the_guide_advised_is_told_to_the_clinician(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    invoke(runner, START, "checkin", "--no-input", "--peg", "6,5,7", "--pgic", "4")
    invoke(
        runner, START + timedelta(days=30), "checkin", "--no-input", "--peg", "3,2,3", "--pgic", "2"
    )
    with Store.open(home) as store:
        for i in range(8):  # no better by the pain before the sessions
            add_session(store, START + timedelta(days=4 * i), 6)
    words = report_words(runner, START + timedelta(days=31), tmp_path)
    advice = section(words, "What the guide advised", "Weekly check-ins")
    assert "The PEG score (the mean of its three items) went from 6 at the first check-in" in advice
    assert "The guide advised the patient to keep going" in advice
    assert "The guide advised the patient that acupressure alone is not easing it" in advice
    assert not re.search(r"\byour?\b", advice, re.I), advice


def test_the_sources_of_the_measures_and_the_threshold_are_cited(
    runner: CliRunner, home: Path, tmp_path: Path, dataset: Dataset
) -> None:
    def title(source: str) -> str:
        return " ".join(dataset.source(source).title.split())

    checkin = dataset.rules.checkin
    with Store.open(home) as store:
        add_session(store, START, 5)
    words = report_words(runner, START + timedelta(days=1), tmp_path)
    cited = words[words.index("Sources.") : words.index("Made with hipguide")]
    for source in checkin.change_sources:
        assert title(source) in cited
    assert "The PEG:" not in cited  # no check-ins, no measures of theirs
    invoke(runner, START, "checkin", "--no-input", "--peg", "6,5,7", "--pgic", "4")
    words = report_words(runner, START + timedelta(days=1), tmp_path)
    cited = words[words.index("Sources.") : words.index("Made with hipguide")]
    assert f"The PEG: {title(checkin.peg.sources[0])}" in cited
    assert f"The PGIC: {title(checkin.pgic.sources[0])}" in cited
    for source in (*checkin.peg.sources, *checkin.pgic.sources, *checkin.change_sources):
        assert title(source) in cited


def test_a_check_that_found_every_sign_lists_the_gravest_and_counts_the_rest(
    runner: CliRunner, home: Path, tmp_path: Path, dataset: Dataset
) -> None:
    from hipguide.ui.html._report import CHECK_FINDINGS

    every = {q.id: "yes" for q in dataset.triage.questions} | {"assessed": "no"}
    with Store.open(home) as store:
        add_session(store, START, 5)
        store.record_check(START + timedelta(hours=1), every, "emergency")
    words = report_words(runner, START + timedelta(days=1), tmp_path)
    checks = section(words, "Red-flag checks", "Latest")
    found = re.search(r"and (\d+) more findings", checks)
    assert found is not None
    shown = checks.count("You answered yes") + checks.count("Yes:")
    assert shown == CHECK_FINDINGS - 1
    assert shown + int(found[1]) >= len(dataset.triage.questions) - 5
    assert "1 session " in words and "1 red-flag check " in words  # the totals, singular
