"""Measure hipguide against the budgets of its design (start-up, data load, timer).

Run:  python bench/startup.py [--runs N] [--timer-scale S]

Prints each budget with the measured figure, its ratio to the floor and PASS/FAIL;
exits 1 when any budget is missed. Everything runs in this Python, against the
installed package.
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
HEAVY = ("questionary", "prompt_toolkit")


def _wall(cmd: Sequence[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def median_times(commands: dict[str, Sequence[str]], runs: int, env: dict[str, str]) -> dict:
    """Median wall time of each command, runs interleaved so load affects all alike."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for cmd in commands.values():  # warm the disk cache
        _wall(cmd, env)
    for _ in range(runs):
        for name, cmd in commands.items():
            samples[name].append(_wall(cmd, env))
    return {name: statistics.median(values) for name, values in samples.items()}


def heavy_imports(args: Sequence[str], env: dict[str, str]) -> list[str]:
    """Heavy modules that ``hipguide ARGS`` imports (from ``python -X importtime``)."""
    proc = subprocess.run(
        [PY, "-X", "importtime", "-m", "hipguide", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    found = set()
    for line in proc.stderr.splitlines():
        name = line.rsplit("|", 1)[-1].strip()
        if name.split(".")[0] in HEAVY:
            found.add(name.split(".")[0])
    return sorted(found)


def dataset_load_ms(repeat: int = 30) -> tuple[float, float]:
    """Median in-process time to load the whole dataset, imports excluded.

    Returns (warm, cold): warm is every run after the first (the validated dataset
    comes from the cache while the files are unchanged); cold parses and validates
    all the YAML, as the first run after an install or a data change does.
    """
    from hipguide.config import data_dir
    from hipguide.dataset import load_dataset, load_dataset_uncached

    def median(action: Callable[[], object]) -> float:
        action()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    folder = data_dir()
    return median(load_dataset), median(lambda: load_dataset_uncached(folder))


class Row:
    """One budget line."""

    def __init__(self, name: str, figure: str, budget: str, ok: bool) -> None:
        self.name, self.figure, self.budget, self.ok = name, figure, budget, ok

    def __str__(self) -> str:
        verdict = "PASS" if self.ok else "FAIL"
        return f"{verdict}  {self.name:<44} {self.figure:<24} budget {self.budget}"


def hipguide_command() -> list[str]:
    """The installed ``hipguide`` console script beside this Python (else ``-m``)."""
    script = Path(PY).with_name("hipguide")
    return [str(script)] if script.exists() else [PY, "-m", "hipguide"]


def compile_package() -> None:
    """Write the package's bytecode, as pip does on install (even if the environment
    says not to), so an editable checkout is measured like an installed one."""
    import compileall

    import hipguide

    compileall.compile_dir(Path(hipguide.__file__).parent, quiet=1)


def startup_rows(runs: int, env: dict[str, str]) -> list[Row]:
    """Start-up budgets: ratios to the Typer + Rich import floor."""
    hip = hipguide_command()
    commands = {
        "floor": [PY, "-c", "import typer, rich.console"],
        "points GB30": [*hip, "points", "GB30"],
        "points GB30 --json": [*hip, "points", "GB30", "--json"],
        "--help": [*hip, "--help"],
    }
    times = median_times(commands, runs, env)
    floor = times["floor"]
    rows = [Row("floor: import typer, rich.console", f"{floor * 1000:.0f} ms", "-", True)]
    for name, limit in (("points GB30", 1.25), ("points GB30 --json", 1.25), ("--help", 2.0)):
        ratio = times[name] / floor
        rows.append(
            Row(
                f"hipguide {name}",
                f"{times[name] * 1000:.0f} ms = {ratio:.2f} x floor",
                f"<= {limit} x",
                ratio <= limit,
            )
        )
    return rows


def import_rows(env: dict[str, str]) -> list[Row]:
    """Fast paths that must never import questionary or prompt_toolkit."""
    paths = [
        ["points", "GB30"],
        ["--help"],
        ["--version"],
        ["history"],
        ["check", "--no-input", "--questions"],
        ["check", "--no-input", "--answer", "injury=yes"],
        [
            "routine",
            "--plan",
            "--no-input",
            "--area",
            "outer",
            "--side",
            "left",
            "--answer",
            "injury=yes",
        ],
    ]
    rows = []
    for args in paths:
        found = heavy_imports(args, env)
        rows.append(
            Row(
                f"imports of hipguide {' '.join(args)}",
                ", ".join(found) or "no heavy module",
                "none of " + "/".join(HEAVY),
                not found,
            )
        )
    return rows


def timer_rows(args: argparse.Namespace, env: dict[str, str]) -> list[Row]:
    """Run a 10-minute plan at reduced scale in real time: end drift, tick rate, CPU."""
    from hipguide.clock import SystemClock
    from hipguide.planner import Step, total_seconds
    from hipguide.session import Event, SessionEngine

    scale = args.timer_scale
    # a 10-minute plan shape: 8 points x 2 sides x 30 s, with switches and rests
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


EXTRA_ROWS: list[Callable[[argparse.Namespace, dict[str, str]], list[Row]]] = [timer_rows]


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark and print the budget table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command")
    parser.add_argument(
        "--timer-scale", type=float, default=0.05, help="fraction of a 10-minute plan to run"
    )
    args = parser.parse_args(argv)
    compile_package()
    with tempfile.TemporaryDirectory() as home:
        # The commands keep their caches (the dataset, drawn pictures) here, never in
        # the user's own cache folder.
        cache = os.path.join(home, "cache")
        env = {**os.environ, "HIPGUIDE_HOME": home, "XDG_CACHE_HOME": cache, "NO_COLOR": "1"}
        env.pop("HIPGUIDE_DATA", None)
        rows = startup_rows(args.runs, env)
        rows += import_rows(env)
        warm, cold = dataset_load_ms()
        rows.append(
            Row(
                "load + validate dataset (cached, in-process)",
                f"{warm:.2f} ms",
                "<= 10 ms",
                warm <= 10,
            )
        )
        rows.append(
            Row(
                "load + validate dataset (no cache: parse YAML)",
                f"{cold:.2f} ms",
                "<= 10 ms",
                cold <= 10,
            )
        )
        for extra in EXTRA_ROWS:
            rows += extra(args, env)
    for row in rows:
        print(row)
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
