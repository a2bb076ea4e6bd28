"""Answers to the check as a person or a script gives them: ``--answer ID=VALUE`` and
``--answers FILE``, read and checked, every fault a one-line usage error."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from hipguide.errors import UnknownChoice, UsageError
from hipguide.models import Triage
from hipguide.triage import Answer, ordered_questions

#: The words a person may type for each answer (compared in lower case).
ANSWER_WORDS: Mapping[str, Answer] = MappingProxyType(
    {
        "yes": "yes",
        "y": "yes",
        "no": "no",
        "n": "no",
        "unsure": "unsure",
        "not sure": "unsure",
        "?": "unsure",
    }
)
ANSWER_HINT = "Answer with --answer ID=yes|no|unsure (see 'hipguide check --questions')."
_VALID_ANSWERS = "yes, no or unsure (also y, n, 'not sure' or '?')"


def parse_answer(text: str) -> Answer:
    """Read one answer: yes/y, no/n, unsure/not sure/? in any case; UsageError otherwise."""
    word = " ".join(text.split()).lower()
    try:
        return ANSWER_WORDS[word]
    except KeyError:
        raise UsageError(f"'{text}' is not an answer.", f"Answer {_VALID_ANSWERS}.") from None


def parse_assignments(items: Iterable[str], triage: Triage) -> dict[str, Answer]:
    """Read ``ID=VALUE`` pairs (``--answer``); the last answer for an id wins.

    Ids are matched ignoring case, with ``-`` read as ``_``.
    """
    answers: dict[str, Answer] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError(
                f"'{item}' is not of the form ID=VALUE.",
                f"For example: --answer injury=no. {_valid_ids_hint(triage)}",
            )
        question_id = known_id(key, triage)
        answers[question_id] = _parse_value(question_id, value)
    return answers


def validate_answers(raw: Mapping[str, object], triage: Triage) -> dict[str, Answer]:
    """Check an ``--answers`` file's map of id to answer.

    YAML reads a bare ``yes``/``no`` as true/false, so booleans are accepted too.
    """
    if not isinstance(raw, Mapping):
        raise UsageError(
            "The answers file must hold a map of question id to answer.",
            "For example: 'injury: no'.",
        )
    answers: dict[str, Answer] = {}
    for key, value in raw.items():
        if not isinstance(key, str):
            raise UsageError(f"'{key}' is not a question id.", _valid_ids_hint(triage))
        question_id = known_id(key, triage)
        if isinstance(value, bool):
            answers[question_id] = "yes" if value else "no"
        elif isinstance(value, str):
            answers[question_id] = _parse_value(question_id, value)
        else:
            raise UsageError(
                f"The answer to '{question_id}' is missing or not text ({value!r}).",
                f"Answer {_VALID_ANSWERS}.",
            )
    return answers


def read_answers_file(path: Path, triage: Triage) -> dict[str, Answer]:
    """Answers from a YAML or JSON file mapping question id to yes/no/unsure."""
    import yaml

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
    triage: Triage, items: Sequence[str], answers_file: Path | None
) -> dict[str, Answer]:
    """Answers given on the command line: the file first, then ``--answer`` on top."""
    answers: dict[str, Answer] = {}
    if answers_file is not None:
        answers.update(read_answers_file(answers_file, triage))
    answers.update(parse_assignments(items, triage))
    return answers


def known_id(key: str, triage: Triage) -> str:
    """The question id ``key`` names (any case, ``-`` for ``_``); UnknownChoice otherwise."""
    question_id = key.strip().lower().replace("-", "_")
    ids = [q.id for q in ordered_questions(triage)]
    if question_id in ids:
        return question_id
    raise UnknownChoice("question id", key, ids)


def _parse_value(question_id: str, value: str) -> Answer:
    try:
        return parse_answer(value)
    except UsageError as error:
        raise UsageError(f"Bad answer to '{question_id}': {error.message}", error.hint) from None


def _valid_ids_hint(triage: Triage) -> str:
    return "Valid ids: " + ", ".join(q.id for q in ordered_questions(triage)) + "."
