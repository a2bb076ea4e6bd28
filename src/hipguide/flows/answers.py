"""Answers to the check as a person or a script gives them: ``--answer ID=VALUE`` and
``--answers FILE``, read and checked, every fault a one-line usage error."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

from hipguide.errors import UnknownChoice, UsageError
from hipguide.models import MODIFIER, Triage
from hipguide.triage import Answer, ordered_questions
from hipguide.untrusted import clip, describe, escape, quote, unsafe_character

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
    if word in ANSWER_WORDS and unsafe_character(text) is None:
        return ANSWER_WORDS[word]
    raise UsageError(f"{quote(text)} is not an answer.", f"Answer {_VALID_ANSWERS}.")


def parse_assignments(items: Iterable[str], triage: Triage) -> dict[str, Answer]:
    """Read ``ID=VALUE`` pairs (``--answer``).

    Ids are matched ignoring case, with ``-`` read as ``_``. An id given again may only
    be answered as cautiously or more (no, then unsure, then yes: ``injury=no`` for
    every question, then ``injury=yes``); a later answer less cautious than an earlier
    one is a usage error (see :func:`add_answer`).
    """
    answers: dict[str, Answer] = {}
    sources: dict[str, str] = {}
    lowering = lowering_ids(triage)
    for item in items:
        question_id, given = _assignment(item, triage)
        add_answer(answers, sources, question_id, given, ANSWER_FLAG, question_id in lowering)
    return answers


def lowering_ids(triage: Triage) -> frozenset[str]:
    """The questions whose yes can lower the verdict (the modifiers, such as ``assessed``:
    a professional has examined this pain), so that for them yes is the least cautious
    answer."""
    return frozenset(q.id for q in triage.questions if q.tier == MODIFIER)


def add_answer(
    answers: dict[str, Answer],
    sources: dict[str, str],
    question_id: str,
    given: Answer,
    source: str,
    lowers: bool = False,
) -> None:
    """Put ``given`` (from ``source``, such as ``--answer``) into ``answers``, unless an
    earlier, more cautious answer holds the question.

    A question answered again keeps the later answer only when it is at least as
    cautious (yes over unsure over no; for a question whose yes ``lowers`` the verdict,
    such as ``assessed``, unsure and no over yes); a less cautious one is a usage error
    naming the question, both answers and where each came from, so a later
    ``injury: no`` can never quietly undo an earlier ``injury: yes``, whichever file or
    flag gives it. ``sources`` remembers where each answer in ``answers`` came from.
    """
    caution = _LOWERING_CAUTION if lowers else _CAUTION
    earlier = answers.get(question_id)
    if earlier is not None and caution[given] < caution[earlier]:
        order = "yes, then unsure or no" if lowers else "no, then unsure, then yes"
        raise UsageError(
            f"'{question_id}' is answered {earlier} by {sources[question_id]}, then {given} "
            f"by {source}: a later answer cannot take back a more cautious one.",
            f"Give '{question_id}' one answer (or repeat it only as cautiously or more: {order}).",
        )
    answers[question_id] = given
    sources[question_id] = source


#: Where an answer given by ``--answer ID=VALUE`` came from, as an error names it.
ANSWER_FLAG = "--answer"
#: How cautious each answer is: a question answered again may only rise.
_CAUTION: Mapping[Answer, int] = MappingProxyType({"no": 0, "unsure": 1, "yes": 2})
#: The same for a question whose yes lowers the verdict: there unsure counts as no.
_LOWERING_CAUTION: Mapping[Answer, int] = MappingProxyType({"yes": 0, "unsure": 1, "no": 1})


def validate_answers(
    raw: object, triage: Triage, *, name: str = "The answers file"
) -> dict[str, Answer]:
    """Check a map of question id to answer, as an ``--answers`` file gives it.

    YAML reads a bare ``yes``/``no`` as true/false, so booleans are accepted too. Every
    key must name a question (in any case, ``-`` for ``_``), and only once: ``injury``
    and ``Injury`` are one question, so a later answer can never quietly undo an
    earlier one. Each fault is one usage error starting with ``name`` (the file) and
    naming the key, with at most 80 characters of any value.
    """
    if not isinstance(raw, Mapping):
        raise UsageError(
            f"{name} must hold a map of question id to answer, not {describe(raw)}.",
            "For example: 'injury: no'.",
        )
    answers: dict[str, Answer] = {}
    spelled: dict[str, object] = {}
    for key, value in raw.items():
        question_id = _file_id(key, triage, name)
        if question_id in spelled:
            raise UsageError(
                f"{name}: {quote(spelled[question_id])} and {quote(key)} both answer "
                f"'{question_id}'.",
                "Answer each question once.",
            )
        spelled[question_id] = key
        if isinstance(value, bool):
            answers[question_id] = "yes" if value else "no"
        elif isinstance(value, str) and _word(value) in ANSWER_WORDS:
            answers[question_id] = ANSWER_WORDS[_word(value)]
        else:
            shown = quote(value) if isinstance(value, str) else describe(value)
            raise UsageError(
                f"{name}: the answer to {quote(key)} must be yes, no or unsure, not {shown}.",
                f"Answer {_VALID_ANSWERS}.",
            )
    return answers


def read_answers_file(path: Path, triage: Triage) -> dict[str, Answer]:
    """Answers from a YAML or JSON file mapping question id to yes/no/unsure.

    The file is read as untrusted input (:func:`hipguide.untrusted.read_answers`): at
    most 64 KiB of a regular file, no YAML aliases, no key given twice, bounded
    nesting, and nothing but text or true/false as a value. Then
    :func:`validate_answers` checks the ids and the answers.
    """
    from hipguide.untrusted import read_answers

    raw = read_answers(path)
    return validate_answers(raw, triage, name=f"Answers file {_file_label(path)}")


def preset_answers(
    triage: Triage, items: Sequence[str], answers_files: Sequence[Path] | None = None
) -> dict[str, Answer]:
    """Answers given on the command line: each ``--answers`` file in turn, then each
    ``--answer``, merged by one rule (:func:`add_answer`): a question answered again
    takes the later answer only if it is at least as cautious, else a usage error."""
    answers: dict[str, Answer] = {}
    sources: dict[str, str] = {}
    lowering = lowering_ids(triage)
    for path in answers_files or ():
        source = f"the answers file {_file_label(path)}"
        for question_id, given in read_answers_file(path, triage).items():
            add_answer(answers, sources, question_id, given, source, question_id in lowering)
    for item in items:
        question_id, given = _assignment(item, triage)
        add_answer(answers, sources, question_id, given, ANSWER_FLAG, question_id in lowering)
    return answers


def known_id(key: str, triage: Triage) -> str:
    """The question id ``key`` names (any case, ``-`` for ``_``); UnknownChoice otherwise."""
    question_id = key.strip().lower().replace("-", "_")
    ids = [q.id for q in ordered_questions(triage)]
    if question_id in ids:
        return question_id
    raise UnknownChoice("question id", clip(key), ids)


def _word(value: str) -> str:
    """An answer as it is looked up: blanks squeezed, lower case; "" when it holds a
    control or format character (no answer does)."""
    return "" if unsafe_character(value) is not None else " ".join(value.split()).lower()


def _file_id(key: object, triage: Triage, name: str) -> str:
    """The question id a key of an answers file names; a usage error naming the file if
    it names none (a key holding a control or format character names none)."""
    if isinstance(key, str):
        question_id = key.strip().lower().replace("-", "_")
        ids = [q.id for q in ordered_questions(triage)]
        if question_id in ids and unsafe_character(key) is None:
            return question_id
        from hipguide.suggest import close_matches

        close = close_matches(clip(key), ids)
        guess = f"Did you mean {' or '.join(close)}? " if close else ""
        raise UsageError(
            f"{name}: {quote(key)} is not a question id.", guess + _valid_ids_hint(triage)
        )
    raise UsageError(
        f"{name}: the key {describe(key)} is not a question id.", _valid_ids_hint(triage)
    )


def _assignment(item: str, triage: Triage) -> tuple[str, Answer]:
    """The question and the answer of one ``ID=VALUE`` pair; a usage error otherwise."""
    key, sep, value = item.partition("=")
    if not sep:
        raise UsageError(
            f"{quote(item)} is not of the form ID=VALUE.",
            f"For example: --answer injury=no. {_valid_ids_hint(triage)}",
        )
    question_id = known_id(key, triage)
    return question_id, _parse_value(question_id, value)


def _file_label(path: Path) -> str:
    """An answers file's name as a message shows it (control characters escaped)."""
    return escape(str(path))


def _parse_value(question_id: str, value: str) -> Answer:
    try:
        return parse_answer(value)
    except UsageError as error:
        raise UsageError(f"Bad answer to '{question_id}': {error.message}", error.hint) from None


def _valid_ids_hint(triage: Triage) -> str:
    return "Valid ids: " + ", ".join(q.id for q in ordered_questions(triage)) + "."
