"""Options that more than one command takes, their shell completions, and the help
placeholders filled from the dataset (so a new area or region needs no code)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer


def _dataset_ids(kind: str) -> list[str]:
    """The ids of one kind of record in the dataset in use ([] if it cannot load)."""
    from hipguide.dataset import load_dataset
    from hipguide.errors import HipguideError

    try:
        dataset = load_dataset()
    except HipguideError:
        return []
    records: dict[str, Sequence[Any]] = {
        "area": dataset.areas,
        "condition": dataset.conditions,
        "region": dataset.regions,
    }
    return [record.id for record in records[kind]]


def complete_condition(incomplete: str) -> list[str]:
    """Shell completion for condition ids."""
    return [i for i in _dataset_ids("condition") if i.startswith(incomplete)]


def complete_area(incomplete: str) -> list[str]:
    """Shell completion for painful areas."""
    return [i for i in _dataset_ids("area") if i.startswith(incomplete)]


def complete_region(incomplete: str) -> list[str]:
    """Shell completion for body regions."""
    return [i for i in _dataset_ids("region") if i.startswith(incomplete)]


def complete_side(incomplete: str) -> list[str]:
    """Shell completion for sides."""
    return [side for side in ("left", "right", "both") if side.startswith(incomplete)]


def fill_help(text: str) -> str:
    """``text`` with ``{areas}``, ``{regions}`` and ``{conditions}`` replaced by the
    dataset's ids (called only when help is shown)."""
    for kind in ("area", "region", "condition"):
        placeholder = "{" + kind + "s}"
        if placeholder in text:
            text = text.replace(placeholder, ", ".join(_dataset_ids(kind)) or "see the dataset")
    return text


# --- the check's options (check, routine, and everything gated like a routine) -------------

AnswerOption = Annotated[
    list[str] | None,
    typer.Option(
        "--answer",
        "-a",
        metavar="ID=ANSWER",
        help=(
            "Answer a question ahead: yes, no or unsure (repeatable). "
            "'hipguide check --questions' lists the ids."
        ),
        show_default=False,
    ),
]
AnswersFileOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--answers",
        metavar="FILE",
        help=(
            "A YAML or JSON file mapping question ids to yes/no/unsure (repeatable: every "
            "file is read, in order; a later answer may only be as cautious or more)."
        ),
        show_default=False,
    ),
]
NoInputOption = Annotated[
    bool,
    typer.Option("--no-input", help="Never prompt: a missing answer is an error (exit 2)."),
]
EmergencyOption = Annotated[
    str | None,
    typer.Option(
        "--emergency-number",
        metavar="TEXT",
        help="Emergency number to show, e.g. 112 (or set HIPGUIDE_EMERGENCY_NUMBER).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]

# --- what a routine is planned from -----------------------------------------------------------

AreaOption = Annotated[
    list[str] | None,
    typer.Option(
        "--area",
        metavar="AREA",
        help="Where it hurts (repeatable): {areas}.",
        show_default=False,
        autocompletion=complete_area,
    ),
]
SideOption = Annotated[
    str | None,
    typer.Option(
        "--side",
        metavar="SIDE",
        help="Which side hurts: left, right or both.",
        show_default=False,
        autocompletion=complete_side,
    ),
]
ConditionOption = Annotated[
    str | None,
    typer.Option(
        "--condition",
        metavar="ID",
        help="Why it hurts, if known (see 'hipguide conditions').",
        autocompletion=complete_condition,
    ),
]
MinutesOption = Annotated[
    float, typer.Option("--minutes", metavar="N", help="Time budget in minutes, 1 to 60.")
]
PressSecondsOption = Annotated[
    int | None,
    typer.Option("--press-seconds", metavar="N", help="Seconds for every press, 1 to 600."),
]
RestSecondsOption = Annotated[
    int,
    typer.Option(
        "--rest-seconds",
        min=0,
        max=120,
        metavar="N",
        help="Seconds of rest between two points, 0 to 120 (a side switch takes at most this).",
    ),
]
SkipAreaOption = Annotated[
    list[str] | None,
    typer.Option(
        "--skip-area",
        metavar="REGION",
        help="Skip points in this region (broken skin, bruise, varicose vein...): {regions}.",
        autocompletion=complete_region,
    ),
]
SkipPointOption = Annotated[
    list[str] | None,
    typer.Option("--skip-point", metavar="CODE", help="Skip this point."),
]
AcceptRiskOption = Annotated[
    bool,
    typer.Option(
        "--accept-risk",
        help="With --no-input: go on when the check says 'see a doctor soon'.",
    ),
]

# --- how the routine runs -----------------------------------------------------------------

LyingOption = Annotated[
    bool | None,
    typer.Option(
        "--lying/--no-lying",
        help="Whether you can lie on your side or front to press (asked once, then remembered).",
        show_default=False,
    ),
]
FootReachOption = Annotated[
    bool | None,
    typer.Option(
        "--foot-reach/--no-foot-reach",
        help="Whether you can reach your feet comfortably (asked once, then remembered).",
        show_default=False,
    ),
]
FindSecondsOption = Annotated[
    float | None,
    typer.Option(
        "--find-seconds",
        metavar="N",
        help="Start each press N seconds after its directions appear, instead of waiting for "
        "Enter (without a terminal: at most 5 s unless given).",
        show_default=False,
    ),
]
SpeakOption = Annotated[
    bool,
    typer.Option("--speak", help="Speak the cues (espeak-ng/espeak on Linux, say on macOS)."),
]

# --- printable pages (card, report) -----------------------------------------------------

OutOption = Annotated[
    str,
    typer.Option(
        "--out",
        "-o",
        metavar="FILE",
        help="Write the page (one HTML file) to FILE; '-' writes it to standard output.",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace the --out file if it exists already.")
]
NameOption = Annotated[
    str | None,
    typer.Option(
        "--name",
        metavar="NAME",
        help="A name to print on the page (none unless given).",
        show_default=False,
    ),
]
