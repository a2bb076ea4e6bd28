"""Fast paths never load the heavy prompt libraries (DESIGN.md section 5)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("questionary", "prompt_toolkit", "icalendar")

PROBE = """
import sys, runpy
sys.argv = ["hipguide", *{args!r}]
code = 0
try:
    runpy.run_module("hipguide", run_name="__main__")
except SystemExit as exit:
    code = exit.code or 0
finally:
    import json
    heavy = sorted({{m.split(".")[0] for m in sys.modules}} & {heavy!r})
    sys.__stderr__.write("HEAVY=" + json.dumps(heavy) + "\\n")
    sys.__stderr__.write("CODE=" + str(code) + "\\n")
"""


@pytest.mark.parametrize(
    "args",
    [
        ["points", "GB30"],
        ["points", "GB30", "--json"],
        ["points"],
        ["--help"],
        ["--version"],
        ["conditions", "sciatica"],
        ["history"],
        ["check", "--no-input", "--answers", "{answers}"],
        ["check", "--no-input", "--questions"],
        [
            "routine",
            "--plan",
            "--no-input",
            "--area",
            "outer",
            "--side",
            "left",
            "--answers",
            "{answers}",
        ],
    ],
)
def test_fast_paths_do_not_import_prompt_libraries(
    args: list[str], tmp_path: Path, dataset
) -> None:  # type: ignore[no-untyped-def]
    answers = tmp_path / "answers.yaml"
    answers.write_text("".join(f"{q.id}: no\n" for q in dataset.triage.questions), "utf-8")
    args = [arg.replace("{answers}", str(answers)) for arg in args]
    env = {**os.environ, "HIPGUIDE_HOME": str(tmp_path)}
    code = PROBE.format(args=args, heavy=set(HEAVY))
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("HEAVY=")]
    assert line, proc.stderr
    assert json.loads(line[-1][len("HEAVY=") :]) == []
    assert "CODE=0" in proc.stderr.splitlines(), proc.stderr  # the command really ran


def test_importing_the_prompt_module_is_cheap() -> None:
    code = (
        "import sys, hipguide.ui.prompts, hipguide.cli;"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
