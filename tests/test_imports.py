"""Fast paths never load the heavy prompt libraries, nor picture code they do not draw
(DESIGN.md section 5)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("questionary", "prompt_toolkit", "icalendar")
#: Loaded only to write a page (``card``, ``report``).
TEMPLATING = ("jinja2",)
#: Loaded only to draw a picture as pixels (never for a page: its pictures are vectors).
RASTER = ("resvg_py", "PIL")

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
    loaded = sorted(m for m in sys.modules if m.startswith(("hipguide.ui.figures", "resvg", "PIL")))
    sys.__stderr__.write("PICTURES=" + json.dumps(loaded) + "\\n")
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
    assert probe(args, tmp_path, dataset, {*HEAVY, *TEMPLATING}) == []


def probe(args: list[str], tmp_path: Path, dataset, heavy: set[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """Which of ``heavy`` running ``hipguide ARGS`` imports (the command must succeed)."""
    answers = tmp_path / "answers.yaml"
    answers.write_text("".join(f"{q.id}: no\n" for q in dataset.triage.questions), "utf-8")
    args = [arg.replace("{answers}", str(answers)).replace("{tmp}", str(tmp_path)) for arg in args]
    env = {**os.environ, "HIPGUIDE_HOME": str(tmp_path)}
    code = PROBE.format(args=args, heavy=heavy)
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
    assert "CODE=0" in proc.stderr.splitlines(), proc.stderr  # the command really ran
    found: list[str] = json.loads(line[-1][len("HEAVY=") :])
    return found


@pytest.mark.parametrize(
    "args",
    [
        ["card", "--no-input", "--area", "outer", "--side", "left", "--answers", "{answers}",
         "--out", "{tmp}/card.html"],
        ["report", "--out", "{tmp}/report.html"],
    ],
)  # fmt: skip
def test_pages_load_the_templates_and_nothing_to_prompt_or_rasterise(
    args: list[str], tmp_path: Path, dataset
) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime, timezone

    from hipguide.store import Store

    with Store.open(tmp_path) as store:  # a history for the report
        store.record_check(datetime.now(timezone.utc), {"fever": "no"}, "self-care")
    heavy = {*HEAVY, *TEMPLATING, *RASTER}
    assert probe(args, tmp_path, dataset, heavy) == list(TEMPLATING)


def _picture_modules(args: list[str], tmp_path: Path) -> list[str]:
    """The picture modules (ours, resvg's, Pillow's) that ``hipguide ARGS`` imports, with
    an empty picture cache, its output a pipe."""
    env = {**os.environ, "HIPGUIDE_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    code = PROBE.format(args=args, heavy=set(HEAVY))
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert "CODE=0" in proc.stderr.splitlines(), proc.stderr
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("PICTURES=")]
    assert line, proc.stderr
    return json.loads(line[-1][len("PICTURES=") :])  # type: ignore[no-any-return]


def test_json_imports_no_picture_code(tmp_path: Path) -> None:
    assert _picture_modules(["points", "GB30", "--json"], tmp_path) == []


def test_a_card_draws_its_picture_without_pillow(tmp_path: Path) -> None:
    loaded = _picture_modules(["points", "GB30"], tmp_path)
    assert "hipguide.ui.figures._picture" in loaded and "resvg_py" in loaded
    assert not [m for m in loaded if m.startswith("PIL")]
    # Drawn once, the picture comes from the cache: no rasteriser at all.
    again = _picture_modules(["points", "GB30"], tmp_path)
    assert "hipguide.ui.figures._picture" in again
    assert not [m for m in again if m.startswith(("resvg", "PIL"))]


def test_words_only_load_no_rasteriser(tmp_path: Path) -> None:
    loaded = _picture_modules(["--pictures", "none", "points", "GB30"], tmp_path)
    assert not [m for m in loaded if m.startswith(("resvg", "PIL"))]


def test_importing_the_prompt_module_is_cheap() -> None:
    code = (
        "import sys, hipguide.ui.prompts, hipguide.cli;"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
