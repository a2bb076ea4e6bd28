"""``hipguide report`` through Typer's runner, and the report's page from its outcome."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from fakes import FakeClock
from hipguide.cli import app
from hipguide.cli._runtime import Runtime
from hipguide.dataset import Dataset
from hipguide.flows.ports import open_history
from hipguide.flows.report import CheckIn, ReportOutcome, ReportRequest, read_report
from hipguide.records import replace
from hipguide.store import Store, format_time
from hipguide.ui.html import report_page
from hipguide.ui.html._chart import MAX_MARKS, pain_chart

START = datetime(2025, 1, 6, 18, 0, tzinfo=timezone.utc)
NOW = START + timedelta(days=60)
POINTS = ("GB30", "GB29", "GB34")


def make_history(home: Path, sessions: int = 30, days: float = 56) -> None:
    """``sessions`` over ``days`` days, pain easing from 7 to about 3; every seventh one
    ended early; a clear check, two more, a "soon" one and one with an assessed note."""
    with Store.open(home) as store:
        store.record_check(START - timedelta(hours=1), {"worsening": "no"}, "self-care")
        for i in range(sessions):
            at = START + timedelta(days=i * days / max(sessions - 1, 1))
            before = round(7 - 4 * i / max(sessions - 1, 1))
            done = i % 7 != 3
            sid = store.start_session(at, {"steps": []}, before)
            minutes = 8 if done else 3
            store.finish_session(
                sid, at + timedelta(minutes=minutes), POINTS, max(0, before - 2), done,
                "finished" if done else "quit",
            )  # fmt: skip
            if i in (5, 6):
                store.record_check(at - timedelta(minutes=5), {"worsening": "no"}, "self-care")
            if i == 12:
                store.record_check(
                    at - timedelta(minutes=5),
                    {"night_pain": "yes", "anticoagulant": "unsure"},
                    "soon",
                )
            if i == 25:
                store.record_check(
                    at - timedelta(minutes=5),
                    {"hip_replacement": "yes", "assessed": "yes"},
                    "self-care",
                )


def report(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, ["report", *args], obj=Runtime(clock=FakeClock(wall=NOW)))


def text_of(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_with_no_history_it_says_what_to_do_first(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = report(runner, "--out", str(out))
    assert result.exit_code == 2
    assert "no history to report on yet" in result.output
    assert "hipguide routine" in result.output
    assert not out.exists()


def test_a_damaged_history_is_a_usage_error(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    home.mkdir(mode=0o700)
    damaged = home / "history.sqlite3"
    damaged.write_bytes(b"not a database at all" * 50)
    damaged.chmod(0o600)
    result = report(runner, "--out", str(tmp_path / "r.html"))
    assert result.exit_code == 2
    assert "not an SQLite database" in result.output


def test_the_report_sums_up_the_history(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    make_history(home)
    out = tmp_path / "report.html"
    result = report(runner, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Report written to" in result.stdout
    page = out.read_text(encoding="utf-8")
    words = text_of(page)
    assert "30 sessions" in words
    assert "26 completed" in words and "4 ended early" in words
    assert f"{26 * 8 + 4 * 3} minutes in all" in words
    assert "5 red-flag checks" in words
    assert "Latest 20 of 30 sessions" in words
    assert len(re.findall(r'<tr><td class="date">', page)) == 20
    assert "Sessions recorded from 6 Jan 2025 to 3 Mar 2025." in words
    assert "Pain before pressing eased from 7 to 3 on average" in words
    assert "Mean pain before a session: 7 in the first three, 3 in the latest three." in words
    assert "Weekly check-ins" not in words  # none recorded: the section is left out
    assert "Patient:" not in words  # no name unless given
    assert "<script" not in page


def test_every_check_is_there_with_what_it_found(
    runner: CliRunner, home: Path, tmp_path: Path, dataset: Dataset
) -> None:
    make_history(home)
    out = tmp_path / "report.html"
    assert report(runner, "--out", str(out)).exit_code == 0
    words = text_of(out.read_text(encoding="utf-8"))
    assert "3 checks from 6 Jan 2025 to 18 Jan 2025" in words  # three clear ones in a row
    assert "SOON: See a doctor or physiotherapist soon" in words
    assert f"Yes: {dataset.question('night_pain').text}" in words
    assert f"Caution (not sure): {dataset.question('anticoagulant').text}" in words
    assert f"not counted on its own: {dataset.question('hip_replacement').text}" in words


def test_a_name_only_when_given_and_out_dash(runner: CliRunner, home: Path) -> None:
    make_history(home, sessions=3, days=2)
    result = report(runner, "--out", "-", "--name", "Ann <Smith>")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert "Patient: Ann &lt;Smith&gt;" in result.stdout
    assert "Report written" not in result.stdout


def test_an_existing_file_is_replaced_only_with_force(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    make_history(home, sessions=2, days=1)
    out = tmp_path / "report.html"
    out.write_text("keep me", encoding="utf-8")
    result = report(runner, "--out", str(out))
    assert result.exit_code == 2
    assert "--force" in result.output
    assert out.read_text(encoding="utf-8") == "keep me"
    assert report(runner, "--out", str(out), "--force").exit_code == 0
    assert "<!DOCTYPE html>" in out.read_text(encoding="utf-8")


def test_only_checks_still_make_a_report(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    with Store.open(home) as store:
        store.record_check(START, {"fever": "yes"}, "urgent")
    out = tmp_path / "r.html"
    assert report(runner, "--out", str(out)).exit_code == 0
    words = text_of(out.read_text(encoding="utf-8"))
    assert "No sessions recorded yet." in words
    assert "URGENT" in words


# --- records that cannot be read ------------------------------------------------------------


def add_unreadable(home: Path, *, latest: bool = True, older: bool = False) -> None:
    """Rows hipguide never writes: a check with an answer that is not yes, no or unsure;
    sessions that ended in a way no session ends (among the latest, or older than those
    listed) and one whose start is not a time."""
    import sqlite3

    rows = []
    if latest:
        rows.append((format_time(NOW - timedelta(days=6)), "exploded"))
        rows.append(("not a time", None))
    if older:
        rows.append((format_time(START + timedelta(days=1, hours=2)), "exploded"))
    with sqlite3.connect(home / "history.sqlite3") as connection:
        connection.execute(
            "INSERT INTO checks (at, tier, answers) VALUES (?, 'self-care', ?)",
            (format_time(START + timedelta(days=20)), '{"worsening": "maybe"}'),
        )
        connection.executemany(
            "INSERT INTO sessions (started_at, ended_at, points, pain_before, pain_after, "
            "completed, ended_by) VALUES (?, NULL, '[\"GB30\"]', 5, 3, 0, ?)",
            rows,
        )


def report_words(runner: CliRunner, tmp_path: Path) -> str:
    out = tmp_path / "report.html"
    result = report(runner, "--out", str(out), "--force")
    assert result.exit_code == 0, result.output
    return text_of(out.read_text(encoding="utf-8"))


def test_what_cannot_be_read_is_named_by_kind_and_count_beside_the_totals(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    make_history(home)
    add_unreadable(home, latest=True, older=True)
    words = report_words(runner, tmp_path)
    note = (
        "Not shown, as the history holds them in a form hipguide cannot read: 1 red-flag "
        "check; 2 of the latest sessions; 1 session from the pain chart and its means (a date "
        "or pain score). The totals above count every record, these included."
    )
    assert note in words
    # beside the totals, before the chart; and the totals count every record
    assert words.index("red-flag checks") < words.index(note) < words.index("Pain before and")
    assert "33 sessions" in words and "6 red-flag checks" in words
    assert "Of 33 sessions started:" in words
    assert "Latest 20 of 33 sessions" in words  # the 20 that could be read
    assert "All 32 sessions with a pain score." in words  # all but the one without a time
    assert "could not be read" not in words[words.index("Pain before and") :]


def test_an_old_session_that_only_ended_oddly_is_left_out_of_nothing(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    make_history(home)
    add_unreadable(home, latest=False, older=True)
    words = report_words(runner, tmp_path)
    # older than the sessions listed, it is in the chart and the totals as it is read
    assert (
        "Not shown, as the history holds them in a form hipguide cannot read: 1 red-flag check."
        in words
    )
    assert "31 sessions" in words and "All 31 sessions with a pain score." in words


def test_only_unreadable_checks_still_make_a_report(
    runner: CliRunner, home: Path, tmp_path: Path
) -> None:
    import sqlite3

    Store.open(home).close()
    with sqlite3.connect(home / "history.sqlite3") as connection:
        connection.execute(
            "INSERT INTO checks (at, tier, answers) VALUES (?, 'soon', '{\"fever\": 2}')",
            (format_time(START),),
        )
    words = report_words(runner, tmp_path)
    assert "cannot read: 1 red-flag check." in words
    assert "No red-flag check recorded yet." in words


# --- the page from an outcome ----------------------------------------------------------------


@pytest.fixture
def outcome(home: Path, dataset: Dataset) -> ReportOutcome:
    make_history(home)
    store = open_history(home)
    try:
        return read_report(ReportRequest(), dataset=dataset, clock=FakeClock(wall=NOW), store=store)
    finally:
        store.close()


def test_check_ins_are_shown_when_there_are_some(outcome: ReportOutcome, dataset: Dataset) -> None:
    checkins = (CheckIn(START, (7, 6, 6), 4), CheckIn(START + timedelta(days=28), (4, 3, 2), 2))
    words = text_of(report_page(replace(outcome, checkins=checkins), dataset, None))
    assert "Weekly check-ins" in words
    assert "6 Jan 2025 7 6 6 6.3 4" in words
    assert "3 Feb 2025 4 3 2 3 2" in words


def test_planned_sessions_are_shown_when_known(outcome: ReportOutcome, dataset: Dataset) -> None:
    assert "planned sessions" not in report_page(outcome, dataset, None)
    words = text_of(report_page(replace(outcome, planned=32), dataset, None))
    assert "26 of 32 planned sessions done" in words


def test_the_chart_draws_every_session_before_and_after(outcome: ReportOutcome) -> None:
    chart = pain_chart(outcome.timeline)
    assert chart is not None
    assert len(chart.before.marks) == len(chart.after.marks) == 30
    xs = [x for x, _ in chart.before.marks]
    assert xs == sorted(xs) and xs[0] == chart.left and xs[-1] == chart.right
    top, bottom = chart.top, chart.bottom
    assert chart.before.marks[0][1] == pytest.approx(bottom - (bottom - top) * 0.7)
    assert all(top <= y <= bottom for _, y in chart.before.marks + chart.after.marks)
    assert chart.x_ticks[0][1] == "6 Jan 2025" and chart.x_ticks[-1][1] == "3 Mar 2025"


def test_a_long_history_is_drawn_as_means_over_spans_of_days(outcome: ReportOutcome) -> None:
    from hipguide.flows.report import PainPoint

    many = tuple(
        PainPoint(START + timedelta(hours=6 * i), 5 + i % 2, 3) for i in range(MAX_MARKS * 4)
    )
    chart = pain_chart(many)
    assert chart is not None and chart.span_days >= 1
    assert len(chart.before.marks) <= MAX_MARKS
    assert chart.sessions == len(many)
    assert pain_chart(()) is None


def test_texts_from_the_data_and_the_history_are_escaped(
    runner: CliRunner,
    home: Path,
    data_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import yaml

    planted = "<script>alert(1)</script> {{ 7 * 7 }}"
    triage_file = data_copy / "triage.yaml"
    triage = yaml.safe_load(triage_file.read_text(encoding="utf-8"))
    question = next(q for q in triage["questions"] if q["id"] == "night_pain")
    question["text"] = f"Night pain {planted}?"
    triage_file.write_text(yaml.safe_dump(triage, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("HIPGUIDE_DATA", str(data_copy))
    make_history(home, sessions=13, days=10)  # the thirteenth holds a night-pain check
    result = report(runner, "--out", "-", "--name", planted)
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert "<script" not in page
    assert "Yes: Night pain &lt;script&gt;alert(1)&lt;/script&gt; {{ 7 * 7 }}?" in page
    assert "Patient: &lt;script&gt;alert(1)&lt;/script&gt; {{ 7 * 7 }}" in page
