"""The red-flag check as both ``check`` and ``routine`` run it: answers in, verdict out.

Answers come from ``--answers FILE``, then ``--answer ID=VALUE`` (which wins), then
the prompts for whatever is still open. The history adds ``no_improvement`` when
the progress rule says so, and records the check.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from hipguide import config
from hipguide.errors import StoreError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from hipguide.models import Question, Triage
    from hipguide.store import CheckRecord, Store
    from hipguide.triage import Answer, Verdict

ANSWER_HINT = "Answer with --answer ID=yes|no|unsure (see 'hipguide check --questions')."
REUSE_HOURS = 24
GROUP_TITLES = {
    "emergency": "Signs that need help at once:",
    "urgent": "Signs that need a doctor today:",
    "soon": "Signs that need a doctor soon:",
}


def emergency_number(option: str | None) -> str | None:
    """The emergency number to show: the option, else ``$HIPGUIDE_EMERGENCY_NUMBER``."""
    return config.emergency_number(option)


def read_answers_file(path: Path, triage: Triage) -> dict[str, Answer]:
    """Answers from a YAML or JSON file mapping question id to yes/no/unsure."""
    import yaml

    from hipguide.triage import validate_answers

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"Answers file {path} not found.", ANSWER_HINT) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"Cannot read answers file {path}: {error}.") from None
    try:
        raw = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except RecursionError:
        raise UsageError(
            f"Answers file {path} is nested too deeply to be an answers file.",
            "It must map question ids to yes, no or unsure.",
        ) from None
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise UsageError(
            f"Answers file {path} is not valid {'JSON' if path.suffix == '.json' else 'YAML'}: "
            f"{str(error).splitlines()[0]}.",
            "It must map question ids to yes, no or unsure.",
        ) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise UsageError(
            f"Answers file {path} must map question ids to answers.",
            "Example: injury: no",
        )
    try:
        return validate_answers(raw, triage)
    except RecursionError:
        raise UsageError(
            f"Answers file {path} holds values nested too deeply.",
            "Each answer must be yes, no or unsure.",
        ) from None


def preset_answers(
    triage: Triage, items: Sequence[str] | None, answers_file: Path | None
) -> dict[str, Answer]:
    """Answers given on the command line: the file first, then ``--answer`` on top."""
    from hipguide.triage import parse_assignments

    answers: dict[str, Answer] = {}
    if answers_file is not None:
        answers.update(read_answers_file(answers_file, triage))
    answers.update(parse_assignments(items or [], triage))
    return answers


def derived_answers(store: Store | None) -> dict[str, str]:
    """``no_improvement`` forced to yes when the history shows no progress."""
    if store is None:
        return {}
    from hipguide.progress import assess_progress

    progress = assess_progress(store.sessions())
    return {"no_improvement": progress.message} if progress.stalled else {}


def recent_check(store: Store | None, hours: int = REUSE_HOURS) -> CheckRecord | None:
    """The newest recorded check from the last ``hours`` hours, if any."""
    if store is None:
        return None
    from hipguide.cli._history import now

    return store.last_check(now() - timedelta(hours=hours))


def ask_missing(
    triage: Triage,
    answers: dict[str, Answer],
    console: Console,
    skip: Iterable[str] = (),
) -> dict[str, Answer]:
    """Ask the open questions, group by group (emergency first); stop at an emergency.
    Questions in ``skip`` (answered by the history) are not asked.

    Each tier's questions are listed together and asked as one "does any of these
    apply?"; only a yes or not-sure opens them one by one. Cautions are always
    asked one by one: they change the routine.
    """
    from hipguide.triage import is_decisive, ordered_questions
    from hipguide.ui import prompts
    from hipguide.ui.verdict import bullet

    prompts.require_terminal(ANSWER_HINT + " Or use --no-input to fail instead of asking.")
    result = dict(answers)
    skipped = set(skip)
    open_questions = [
        q for q in ordered_questions(triage) if q.id not in result and q.id not in skipped
    ]
    total = len(open_questions)
    asked = 0
    for tier in ("emergency", "urgent", "soon", "caution"):
        if is_decisive(triage, result):
            break
        group = [q for q in open_questions if q.tier == tier]
        if not group:
            continue
        if len(group) > 1 and tier != "caution":
            console.print(f"\n[bold]{GROUP_TITLES[tier]}[/]")
            for question in group:
                console.print(bullet(question.text, indent=2))
            reply = prompts.ask_answer(
                "Does ANY of these apply to you?",
                "Choose 'Not sure' if you cannot tell; you will then get each one on its own.",
                number=asked + 1,
                total=total,
            )
            if reply == "no":
                result.update({q.id: "no" for q in group})
                asked += len(group)
                continue
        for question in group:
            asked += 1
            result[question.id] = _ask_one(question, asked, total)
            if is_decisive(triage, result):
                console.print("[bold red]That is an emergency sign: here is what to do now.[/]")
                break
    return result


def _ask_one(question: Question, number: int, total: int) -> Answer:
    from hipguide.ui import prompts

    reply = prompts.ask_answer(question.text, question.help, number=number, total=total)
    return reply


def run_check(
    triage: Triage,
    answers: dict[str, Answer],
    *,
    no_input: bool,
    store: Store | None,
    console: Console,
    err: Console,
    number: str | None,
    derived: dict[str, str] | None = None,
) -> Verdict:
    """Complete the answers (or fail under ``--no-input``), assess, and record the check.

    ``derived`` is :func:`derived_answers` when the caller has it already.
    """
    from hipguide.cli._history import now, warn_not_recorded
    from hipguide.triage import assess, is_decisive, missing

    if derived is None:
        derived = derived_answers(store)
    for key in derived:
        answers.pop(key, None)
    still_open = [q for q in missing(triage, answers) if q not in derived]
    if still_open and not is_decisive(triage, answers):
        if no_input:
            raise UsageError(
                f"Unanswered question(s) with --no-input: {', '.join(still_open)}.",
                ANSWER_HINT,
            )
        answers = ask_missing(triage, answers, console, skip=derived)
    verdict = assess(triage, answers, derived=derived, emergency_number=number)
    if store is not None:
        try:
            store.record_check(now(), dict(verdict.answers), verdict.tier, dict(derived))
        except StoreError as error:
            warn_not_recorded(err, error)
    return verdict
