"""Shell completion: command names, regions, areas, condition ids, sides and picture
modes complete."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("hipguide po", ["points"]),
        ("hipguide points --region sh", ["shoulder"]),
        ("hipguide routine --area ou", ["outer"]),
        ("hipguide routine --condition sc", ["sciatica"]),
        ("hipguide conditions bu", ["bursitis"]),
        ("hipguide points GB30 --side r", ["right"]),
        ("hipguide --pictures bl", ["blocks"]),
        ("hipguide --pictures a", ["auto", "ascii"]),
    ],
)
def test_bash_completion(words: str, expected: list[str]) -> None:
    env = {
        **os.environ,
        "_HIPGUIDE_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    code = "import sys; sys.argv = ['hipguide']; from hipguide.cli import main; main()"
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.stdout.split() == expected, proc.stderr
