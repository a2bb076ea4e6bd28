"""Measure hipguide against the budgets of DESIGN.md section 5, as a user meets them.

Run:  python bench/startup.py [--runs N] [--timer-scale S] [--sessions N]

Every figure is a fresh process of the installed command (the ``hipguide`` script beside
this Python, else ``python -m hipguide``), timed from start to exit. The commands are
run interleaved, round after round, so that a busy moment of the machine costs all of
them alike, and each budget is the median over the rounds, as a ratio to two floors
measured in the same rounds: ``python -c "import typer, rich.console"`` (the framework
floor) and ``python -c pass`` (the task floor). Nothing is written to the user's own
folders: every run uses a private history folder and a private cache folder.

Prints a table, one budget per row, with PASS or FAIL; exits 1 when any budget is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

PY = sys.executable
#: Modules that the light commands must never import (DESIGN.md section 5).
HEAVY = ("questionary", "prompt_toolkit", "jinja2", "resvg_py", "PIL", "icalendar")
#: The routine planned in the benchmark (the answers file is added).
PLAN = ["routine", "--plan", "--no-input", "--area", "outer", "--side", "left", "--lying"]
PLAN += ["--foot-reach"]
#: The widest row name kept on the line of its figure.
NAME_WIDTH = 56


class Row:
    """One budget line."""

    def __init__(self, name: str, figure: str, budget: str, ok: bool) -> None:
        self.name, self.figure, self.budget, self.ok = name, figure, budget, ok

    def line(self, name_width: int, figure_width: int) -> str:
        """The row as a line of the table, its columns this wide (a longer name has a
        line of its own, the rest of the row below it)."""
        verdict = "PASS" if self.ok else "FAIL"
        figure = f"{self.figure:<{figure_width}} budget {self.budget}"
        if len(self.name) > name_width:
            return f"{verdict}  {self.name}\n      {'':<{name_width}} {figure}"
        return f"{verdict}  {self.name:<{name_width}} {figure}"


def hipguide_command() -> list[str]:
    """The installed ``hipguide`` console script beside this Python (else ``-m``)."""
    script = Path(PY).with_name("hipguide")
    return [str(script)] if script.exists() else [PY, "-m", "hipguide"]


def _wall(cmd: Sequence[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - start


def median_times(
    commands: dict[str, tuple[Sequence[str], dict[str, str]]], runs: int
) -> dict[str, float]:
    """Median wall time of each command, the commands interleaved round after round."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for cmd, env in commands.values():  # warm the disk cache and the dataset cache
        _wall(cmd, env)
    for _ in range(runs):
        for name, (cmd, env) in commands.items():
            samples[name].append(_wall(cmd, env))
    return {name: statistics.median(values) for name, values in samples.items()}


def answers_file(folder: Path) -> Path:
    """An answers file saying no to every question of the shipped check."""
    from hipguide.config import shipped_data_dir
    from hipguide.dataset import load_dataset_uncached

    triage = load_dataset_uncached(shipped_data_dir()).triage
    path = folder / "answers.json"
    import json

    path.write_text(json.dumps({q.id: "no" for q in triage.questions}), encoding="utf-8")
    return path


def big_history(home: Path, sessions: int) -> None:
    """A history of ``sessions`` sessions over about three years, and 100 checks."""
    from datetime import datetime, timedelta, timezone

    from hipguide.store import Store, format_time

    start = datetime(2023, 1, 1, tzinfo=timezone.utc)
    step = timedelta(days=3 * 365) / max(1, sessions)
    with Store.open(home) as store:
        connection = store._open_connection()  # bulk insert in one transaction
        with connection:
            connection.executemany(
                "INSERT INTO sessions (started_at, ended_at, plan, points, pain_before, "
                "pain_after, completed, ended_by) VALUES (?, ?, '{}', '[\"GB30\"]', ?, ?, 1, "
                "'finished')",
                (
                    (
                        format_time(start + step * i),
                        format_time(start + step * i + timedelta(minutes=10)),
                        5 + i % 3,
                        3 + i % 3,
                    )
                    for i in range(sessions)
                ),
            )
            connection.executemany(
                "INSERT INTO checks (at, tier, answers) VALUES (?, 'self-care', '{}')",
                ((format_time(start + step * sessions / 100 * i),) for i in range(100)),
            )


def private_env(root: Path, name: str) -> dict[str, str]:
    """The environment for one kind of run: its own history and cache folders."""
    env = {**os.environ, "NO_COLOR": "1"}
    for key in ("HIPGUIDE_DATA", "HIPGUIDE_DEBUG", "HIPGUIDE_PICTURES"):
        env.pop(key, None)
    env["HIPGUIDE_HOME"] = str(root / name / "home")
    env["XDG_CACHE_HOME"] = str(root / name / "cache")
    return env


def startup_rows(root: Path, runs: int, sessions: int) -> list[Row]:
    """Start-up budgets: ratios to the framework floor and to the task floor."""
    hip = hipguide_command()
    answers = answers_file(root)
    plain = private_env(root, "plain")
    scaled = private_env(root, "scaled")
    big_history(Path(scaled["HIPGUIDE_HOME"]), sessions)
    check = ["check", "--no-input", "--answers", str(answers)]
    plan = [*PLAN, "--answers", str(answers)]
    commands: dict[str, tuple[Sequence[str], dict[str, str]]] = {
        "framework floor": ([PY, "-c", "import typer, rich.console"], plain),
        "task floor": ([PY, "-c", "pass"], plain),
        "points GB30": ([*hip, "points", "GB30"], plain),
        "points GB30 --json": ([*hip, "points", "GB30", "--json"], plain),
        "--version": ([*hip, "--version"], plain),
        "--help": ([*hip, "--help"], plain),
        "check --no-input": ([*hip, *check], plain),
        "routine --plan --no-input": ([*hip, *plan], plain),
        f"check --no-input, {sessions:,} sessions": ([*hip, *check], scaled),
        f"routine --plan --no-input, {sessions:,} sessions": ([*hip, *plan], scaled),
        f"history, {sessions:,} sessions": ([*hip, "history"], scaled),
    }
    budgets = {
        "points GB30": 0.85,
        "points GB30 --json": 0.6,
        "--version": 0.4,
        "--help": 2.0,
        "check --no-input": 1.3,
        "routine --plan --no-input": 1.3,
        f"check --no-input, {sessions:,} sessions": 1.3,
        f"routine --plan --no-input, {sessions:,} sessions": 1.3,
        f"history, {sessions:,} sessions": 2.0,
    }
    times = median_times(commands, runs)
    framework, task = times["framework floor"], times["task floor"]
    rows = [
        Row(
            f"floor: import typer, rich.console ({runs} runs)",
            f"{framework * 1000:.0f} ms",
            "-",
            True,
        ),
        Row("floor: python -c pass", f"{task * 1000:.0f} ms", "-", True),
    ]
    for name, limit in budgets.items():
        ratio = times[name] / framework
        rows.append(
            Row(
                f"hipguide {name}",
                f"{times[name] * 1000:.0f} ms = {ratio:.2f} x fw, {times[name] / task:.1f} x task",
                f"<= {limit} x fw",
                ratio <= limit,
            )
        )
    return rows


def heavy_imports(args: Sequence[str], env: dict[str, str]) -> list[str]:
    """Heavy modules that ``hipguide ARGS`` imports (from ``python -X importtime``)."""
    proc = subprocess.run(
        [PY, "-X", "importtime", "-m", "hipguide", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    found = set()
    for line in proc.stderr.splitlines():
        name = line.rsplit("|", 1)[-1].strip().split(".")[0]
        if name in HEAVY:
            found.add(name)
    return sorted(found)


def import_rows(root: Path) -> list[Row]:
    """Commands that must never load the prompt, template or image libraries."""
    env = private_env(root, "imports")
    answers = str(answers_file(root))
    paths = [
        ["points", "GB30", "--json"],
        ["points"],
        ["--help"],
        ["--version"],
        ["history"],
        ["check", "--no-input", "--questions"],
        ["check", "--no-input", "--answers", answers],
        [*PLAN, "--answers", answers],
    ]
    rows = []
    for args in paths:
        found = heavy_imports(args, env)
        rows.append(
            Row(
                f"imports of hipguide {' '.join(a if a != answers else 'FILE' for a in args)}",
                ", ".join(found) or "none of them",
                "no " + "/".join(HEAVY),
                not found,
            )
        )
    return rows


def _load_time(env: dict[str, str]) -> float:
    """Time, in a fresh process, to import the loader and load the dataset (ms)."""
    code = (
        "import time; t = time.perf_counter(); "
        "from hipguide.dataset import load_dataset; load_dataset(); "
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [PY, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    return float(out.strip()) * 1000


def load_rows(root: Path, runs: int) -> list[Row]:
    """The dataset load as a user meets it: imports included, first run and cached.

    The shipped dataset's first run reads the snapshot validated ahead of time and
    shipped with the package; a dataset of one's own (``HIPGUIDE_DATA``, here a copy of
    the shipped one) is parsed and validated on its first run, shown without a budget.
    The three kinds of run are interleaved round by round, as the start-up rows are, so
    that a change in the machine's speed during the run weighs on each alike, with a
    fourth: ``python -c pass`` (the task floor), whose ratio each budgeted row shows, so
    that a figure from one machine can be read on another (the budgets stay in ms).
    """
    import shutil

    from hipguide.config import shipped_data_dir

    own = root / "own-data"
    shutil.copytree(shipped_data_dir(), own)
    cached_env = private_env(root, "cached")
    _load_time(cached_env)  # writes the cache
    samples: dict[str, list[float]] = {"first": [], "own": [], "cached": [], "task": []}
    for index in range(runs):
        for name in samples:
            if name == "cached":
                samples[name].append(_load_time(cached_env))
                continue
            if name == "task":  # the machine's speed, for reading the figures elsewhere
                samples[name].append(_wall([PY, "-c", "pass"], cached_env) * 1000)
                continue
            env = private_env(root, f"{name}-{index}")
            if name == "own":
                env["HIPGUIDE_DATA"] = str(own)
            samples[name].append(_load_time(env))  # an empty cache folder: a first run
            shutil.rmtree(Path(env["XDG_CACHE_HOME"]), ignore_errors=True)
    uncached, parsed, cached, task = (statistics.median(samples[name]) for name in samples)
    return [
        Row(
            "load the dataset, first run (no cache)",
            f"{uncached:.1f} ms = {uncached / task:.2f} x task",
            "<= 30 ms",
            uncached <= 30,
        ),
        Row(
            "load the dataset, cached",
            f"{cached:.1f} ms = {cached / task:.2f} x task",
            "<= 5 ms",
            cached <= 5,
        ),
        Row("load HIPGUIDE_DATA=copy, first run (parsed)", f"{parsed:.1f} ms", "-", True),
    ]


def timer_rows(scale: float) -> list[Row]:
    """Run a 10-minute-shaped plan at reduced scale in real time: end drift, tick rate, CPU."""
    from hipguide.clock import SystemClock
    from hipguide.planner import Step, total_seconds
    from hipguide.session import Event, SessionEngine

    press = max(1, round(30 * scale))
    steps = [
        Step(f"P{n}", side, press, "moderate", "local")  # type: ignore[arg-type]
        for n in range(8)
        for side in ("left", "right")
    ]
    rest, switch = max(1, round(10 * scale)), max(1, round(5 * scale))
    planned = total_seconds(steps, rest, switch)
    ticks: list[float] = []

    def on_event(event: Event) -> None:
        if event.kind == "tick":
            ticks.append(event.at)

    engine = SessionEngine(steps, SystemClock(), rest_seconds=rest, switch_seconds=switch)
    cpu0, wall0 = time.process_time(), time.monotonic()
    result = engine.run(on_event)
    cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    drift_ms = abs(result.ended_at - (result.started_at + planned)) * 1000
    # Updates in any one-second window (10 ms allowed for the operating system's wake-up
    # jitter, so that a tick woken 0.2 ms late does not count twice).
    busiest = max(
        (sum(1 for t in ticks if start <= t < start + 0.99) for start in ticks), default=0
    )
    cpu_share = 100 * cpu / wall
    return [
        Row(
            f"timer: end drift ({planned} s plan, real time)",
            f"{drift_ms:.1f} ms",
            "<= 50 ms",
            drift_ms <= 50,
        ),
        Row("timer: screen updates in any 1 s", f"{busiest}", "<= 4", busiest <= 4),
        Row("timer: CPU while waiting", f"{cpu_share:.2f} % of a core", "< 5 %", cpu_share < 5),
    ]


def compile_package() -> None:
    """Write the package's bytecode, as pip does on install (even if the environment
    says not to), so an editable checkout is measured like an installed one."""
    import compileall

    import hipguide

    compileall.compile_dir(Path(hipguide.__file__).parent, quiet=1)


SECTIONS: list[tuple[str, Callable[[argparse.Namespace, Path], list[Row]]]] = [
    ("start-up", lambda args, root: startup_rows(root, args.runs, args.sessions)),
    ("imports", lambda args, root: import_rows(root)),
    ("dataset load", lambda args, root: load_rows(root, args.runs)),
    ("timer", lambda args, root: timer_rows(args.timer_scale)),
]


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark and print the budget table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="timed rounds per command")
    parser.add_argument(
        "--timer-scale", type=float, default=0.05, help="fraction of a 10-minute plan to run"
    )
    parser.add_argument(
        "--sessions", type=int, default=100_000, help="sessions in the large history"
    )
    parser.add_argument(
        "--only", choices=[name for name, _ in SECTIONS], help="run only this section"
    )
    args = parser.parse_args(argv)
    compile_package()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="hipguide-bench-") as folder:
        root = Path(folder)
        for name, section in SECTIONS:
            if args.only in (None, name):
                rows += section(args, root)
    print(f"hipguide benchmark: medians of {args.runs} interleaved rounds, fresh processes")
    names = min(NAME_WIDTH, max((len(row.name) for row in rows), default=0))
    figures = max((len(row.figure) for row in rows), default=0)
    for row in rows:
        print(row.line(names, figures))
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
