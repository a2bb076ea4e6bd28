"""The prompt layer, driven through a prompt_toolkit pipe input.

Every test sends all its keys first and then closes the input, so a key the
prompt still waits for ends it with EOF (Interrupted) instead of hanging.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput, Output
from prompt_toolkit.output.vt100 import Vt100_Output

from hipguide.errors import ExitCode, Interrupted
from hipguide.ui import prompts

ENTER = "\r"
DOWN = "\x1b[B"
UP = "\x1b[A"
SPACE = " "
BACKSPACE = "\x7f"
CTRL_C = "\x03"

SIDES = [("left", "Left"), ("right", "Right"), ("both", "Both sides")]
AREAS = [("outer", "Outer hip"), ("front", "Front and groin"), ("buttock", "Buttock")]


def feed(
    prompt: Callable[..., Any], keys: str, *args: Any, output: Output | None = None, **kwargs: Any
) -> Any:
    """Run ``prompt`` with ``keys`` already typed and the input then closed."""
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        return prompt(*args, input=pipe, output=output or DummyOutput(), **kwargs)


def screen_output() -> tuple[Output, io.StringIO]:
    """A real VT100 output writing into a string, to see what the prompt shows."""
    buffer = io.StringIO()
    return Vt100_Output(buffer, lambda: Size(rows=24, columns=80), term="dumb"), buffer


def answer(keys: str, default: str | None = None) -> str:
    result: str = feed(
        prompts.ask_answer,
        keys,
        "Did the pain start after a fall?",
        "A knock or an accident counts too.",
        number=3,
        total=25,
        default=default,
    )
    return result


@pytest.mark.parametrize(
    ("keys", "default", "expected"),
    [
        ("y" + ENTER, None, "yes"),
        ("n" + ENTER, None, "no"),
        ("u" + ENTER, None, "unsure"),
        (ENTER, None, "yes"),
        (DOWN + ENTER, None, "no"),
        (DOWN + DOWN + ENTER, None, "unsure"),
        ("u" + UP + ENTER, None, "no"),
        (ENTER, "no", "no"),
        (ENTER, "unsure", "unsure"),
        ("y" + ENTER, "unsure", "yes"),
    ],
)
def test_ask_answer_values(keys: str, default: str | None, expected: str) -> None:
    assert answer(keys, default) == expected


def test_ask_answer_shows_position_help_and_keys() -> None:
    output, screen = screen_output()
    result = feed(
        prompts.ask_answer,
        "n" + ENTER,
        "Did the pain start after a fall?",
        "A knock or an accident counts too.",
        number=3,
        total=25,
        output=output,
    )
    shown = screen.getvalue()
    assert result == "no"
    assert "(3/25) Did the pain start after a fall?" in shown
    assert "A knock or an accident counts too." in shown
    for label in ("Yes", "No", "Not sure"):
        assert label in shown


def test_ask_answer_needs_enter_after_a_shortcut() -> None:
    with pytest.raises(Interrupted):
        answer("y")


@pytest.mark.parametrize(
    ("keys", "default", "expected"),
    [
        ("y" + ENTER, False, True),
        ("Y" + ENTER, False, True),
        ("n" + ENTER, True, False),
        ("N" + ENTER, True, False),
        (ENTER, False, False),
        (ENTER, True, True),
        ("ny" + ENTER, False, True),  # the last letter typed counts
        ("n" + BACKSPACE + ENTER, True, True),  # taken back: Enter takes the default
        ("x" + ENTER, False, False),  # another key does nothing
    ],
)
def test_ask_yes_no(keys: str, default: bool, expected: bool) -> None:
    assert feed(prompts.ask_yes_no, keys, "Has anything changed?", default) is expected


@pytest.mark.parametrize("key", ["y", "n"])
def test_ask_yes_no_needs_enter_after_the_letter(key: str) -> None:
    with pytest.raises(Interrupted):  # the input ended while it still waited for Enter
        feed(prompts.ask_yes_no, key, "Has anything changed?", True)


def test_a_letter_then_enter_answers_one_yes_no_question_only() -> None:
    with create_pipe_input() as pipe:
        pipe.send_text("n" + ENTER + "n" + ENTER)
        pipe.close()
        io = {"input": pipe, "output": DummyOutput()}
        first = prompts.ask_yes_no("Can you lie on your side?", True, **io)
        second = prompts.ask_yes_no("Can you reach your feet?", True, **io)
    assert (first, second) == (False, False)


@pytest.mark.parametrize(
    ("default", "hint"), [(True, "(Y/n, then Enter)"), (False, "(y/N, then Enter)")]
)
def test_ask_yes_no_says_enter_is_needed(default: bool, hint: str) -> None:
    output, screen = screen_output()
    assert feed(prompts.ask_yes_no, "n" + ENTER, "Start now?", default, output=output) is False
    assert hint in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())


@pytest.mark.parametrize(
    ("keys", "default", "expected"),
    [
        (ENTER, None, "left"),
        (DOWN + ENTER, None, "right"),
        (DOWN + DOWN + ENTER, None, "both"),
        (ENTER, "both", "both"),
        (UP + ENTER, "both", "right"),
    ],
)
def test_ask_choice(keys: str, default: str | None, expected: str) -> None:
    assert feed(prompts.ask_choice, keys, "Which side hurts?", SIDES, default) == expected


@pytest.mark.parametrize(
    ("keys", "minimum", "expected"),
    [
        (SPACE + ENTER, 1, ["outer"]),
        (DOWN + DOWN + SPACE + UP + UP + SPACE + ENTER, 1, ["outer", "buttock"]),
        # Enter with nothing ticked is refused; the list stays open for another go.
        (ENTER + DOWN + SPACE + ENTER, 1, ["front"]),
        (SPACE + ENTER + DOWN + SPACE + ENTER, 2, ["outer", "front"]),
        (ENTER, 0, []),
    ],
)
def test_ask_many(keys: str, minimum: int, expected: list[str]) -> None:
    assert feed(prompts.ask_many, keys, "Where does it hurt?", AREAS, minimum) == expected


def test_ask_many_never_accepts_too_few() -> None:
    with pytest.raises(Interrupted):
        feed(prompts.ask_many, SPACE + ENTER, "Where does it hurt?", AREAS, 2)


@pytest.mark.parametrize(
    ("keys", "default", "expected"),
    [
        ("7" + ENTER, None, 7),
        ("0" + ENTER, None, 0),
        ("10" + ENTER, None, 10),
        (" 4 " + ENTER, None, 4),
        (ENTER, 5, 5),
        ("2" + ENTER, 5, 2),
        # Out of range, a word, a fraction: each is refused and asked again.
        ("11" + ENTER + BACKSPACE * 2 + "9" + ENTER, None, 9),
        ("-1" + ENTER + BACKSPACE * 2 + "1" + ENTER, None, 1),
        ("lots" + ENTER + BACKSPACE * 4 + "8" + ENTER, 3, 8),
        ("2.5" + ENTER + BACKSPACE * 3 + "3" + ENTER, None, 3),
        (ENTER + "6" + ENTER, None, 6),
    ],
)
def test_ask_int(keys: str, default: int | None, expected: int) -> None:
    assert feed(prompts.ask_int, keys, "Pain from 0 to 10?", 0, 10, default) == expected


@pytest.mark.parametrize("keys", ["11" + ENTER, "ten" + ENTER, ENTER])
def test_ask_int_never_accepts_a_bad_answer(keys: str) -> None:
    with pytest.raises(Interrupted):
        feed(prompts.ask_int, keys, "Pain from 0 to 10?", 0, 10)


def test_ask_int_shows_range_and_default() -> None:
    output, screen = screen_output()
    assert feed(prompts.ask_int, ENTER, "Pain now?", 0, 10, 4, output=output) == 4
    assert "(0-10, Enter for 4)" in screen.getvalue()


ASK_EACH: list[tuple[str, Callable[..., Any], tuple[Any, ...]]] = [
    ("answer", prompts.ask_answer, ("Fever?", "Hot or shivery.")),
    ("yes_no", prompts.ask_yes_no, ("Start now?",)),
    ("choice", prompts.ask_choice, ("Which side?", SIDES)),
    ("many", prompts.ask_many, ("Where?", AREAS)),
    ("int", prompts.ask_int, ("Pain?", 0, 10, 3)),
]


@pytest.mark.parametrize(
    "keys",
    [CTRL_C, "", "5" + CTRL_C, "\x04" + ENTER],
    ids=["ctrl-c", "eof", "typed-then-ctrl-c", "ctrl-d-then-enter"],
)
@pytest.mark.parametrize(("name", "prompt", "args"), ASK_EACH, ids=[row[0] for row in ASK_EACH])
def test_ctrl_c_and_eof_stop(
    name: str, prompt: Callable[..., Any], args: tuple[Any, ...], keys: str
) -> None:
    extra: dict[str, Any] = {"number": 1, "total": 25} if name == "answer" else {}
    with pytest.raises(Interrupted) as raised:
        feed(prompt, keys, *args, **extra)
    assert raised.value.exit_code == ExitCode.INTERRUPTED
    assert raised.value.message == "Stopped."


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("stdin_tty", "stdout_tty", "expected"),
    [(False, True, False), (True, False, False), (False, False, False), (True, True, True)],
)
def test_a_prompt_needs_both_streams_to_be_terminals(
    stdin_tty: bool, stdout_tty: bool, expected: bool
) -> None:
    assert prompts.can_prompt(_Stream(stdin_tty), _Stream(stdout_tty)) is expected


@pytest.mark.parametrize("stream", [None, io.StringIO()], ids=["none", "closed"])
def test_a_missing_or_closed_stdin_cannot_prompt(stream: io.StringIO | None) -> None:
    if stream is not None:
        stream.close()
    assert prompts.can_prompt(stream, _Stream(True)) is False


def test_import_loads_no_prompt_library() -> None:
    code = (
        "import sys, hipguide.ui.prompts, hipguide.ui.keys; "
        "print(sorted(m for m in ('questionary', 'prompt_toolkit') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_long_yes_no_question_is_wrapped_at_word_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    message = (
        "You did the red-flag check on Tue 01 Dec 12:53 (verdict: self-care). "
        "Has anything changed since then?"
    )
    output, screen = screen_output()
    assert feed(prompts.ask_yes_no, "n" + ENTER, message, True, output=output) is False
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue()).replace("\r", "")
    # 76 and 52 columns: the keys hint and the answer fit after the last line
    first = "? You did the red-flag check on Tue 01 Dec 12:53 (verdict: self-care). Has"
    assert f"{first}\n  anything changed since then? (Y/n, then Enter) No" in shown


@pytest.mark.parametrize(
    ("keys", "expected"),
    [(ENTER, None), (DOWN + ENTER, "osteoarthritis"), (DOWN * 7 + ENTER, "sciatica")],
)
def test_why_it_hurts_is_not_known_first_then_each_condition(
    keys: str, expected: str | None
) -> None:
    from rich.console import Console

    from hipguide.dataset import load_dataset
    from hipguide.ui.prompter import TerminalPrompter

    conditions = load_dataset().conditions
    assert [c.id for c in conditions][:1] == ["osteoarthritis"]
    assert [c.id for c in conditions][6] == "sciatica"
    output, shown = screen_output()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        prompter = TerminalPrompter(Console(file=io.StringIO()), input=pipe, output=output)
        assert prompter.choose_condition(conditions) == expected
    screen = shown.getvalue()
    assert "Has a doctor or physiotherapist told you why it hurts?" in screen
    assert "Osteoarthritis of the hip" in screen


def test_every_painful_area_fits_the_chooser_on_an_80_column_terminal() -> None:
    from rich.console import Console

    from hipguide.dataset import load_dataset
    from hipguide.ui.prompter import TerminalPrompter

    areas = load_dataset().areas
    output, shown = screen_output()
    with create_pipe_input() as pipe:
        pipe.send_text(SPACE + ENTER)
        pipe.close()
        prompter = TerminalPrompter(Console(file=io.StringIO()), input=pipe, output=output)
        assert prompter.choose_areas(areas) == [areas[0].id]
    screen = shown.getvalue()
    for area in areas:
        label = f"{area.name}: {area.plain}"
        assert len(label) <= 72, label  # with the chooser's marks, within 80 columns
        assert label in screen, label


@pytest.mark.parametrize("columns", [40, 60, 80, 100])
def test_a_yes_no_question_leaves_room_for_its_hint_and_answer(
    monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    message = "Can you reach your feet comfortably, for example resting one foot on the other knee?"
    tail = len(" (Y/n, then Enter) Yes")
    lines = prompts._wrap(message, indent="", margin=3, tail=tail).split("\n")
    assert " ".join(lines) == message  # only wrapped at word ends
    assert all(len(line) <= columns - 3 for line in lines)
    assert len(lines[-1]) + tail <= columns - 3


ESCAPE = "\x1b"


@pytest.mark.parametrize(
    ("ask", "keys"),
    [
        (lambda keys: feed(prompts.ask_yes_no, keys, "Has anything changed?", True), ENTER),
        (lambda keys: feed(prompts.ask_yes_no, keys, "Start now?", False), ENTER),
        (lambda keys: feed(prompts.ask_yes_no, keys, "Has anything changed?", True), "n" + ENTER),
        (lambda keys: answer(keys), ENTER),
        (lambda keys: answer(keys), DOWN + ENTER),
        (lambda keys: feed(prompts.ask_choice, keys, "Which side hurts?", SIDES), DOWN + ENTER),
        (lambda keys: feed(prompts.ask_many, keys, "Where?", AREAS, 1), SPACE + ENTER),
    ],
)
def test_escape_does_nothing_even_right_before_enter(ask: Callable[[str], Any], keys: str) -> None:
    """Esc and then Enter is Meta+Enter to a terminal, which would submit an empty answer
    (a yes/no question read it as no): here Esc is ignored and Enter does what it does."""
    expected = ask(keys)
    assert expected not in ("", None)
    assert ask(ESCAPE + keys) == expected
    assert ask(keys[:-1] + ESCAPE + ENTER) == expected


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_a_choice_shown_after_its_question_fits_on_the_questions_last_line(
    columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer is written after the question, so the question leaves room on its last
    line for the longest choice (the terminal cut a long one mid-word)."""
    from hipguide.dataset import load_dataset
    from hipguide.ui.prompter import CONDITION_QUESTION, NOT_KNOWN_LABEL

    monkeypatch.setenv("COLUMNS", str(columns))
    labels = [NOT_KNOWN_LABEL, *(c.name for c in load_dataset().conditions)]
    captured: dict[str, str] = {}

    class Shown(Exception):
        pass

    def select(message: str, **kwargs: Any) -> Any:
        captured["message"] = message
        raise Shown

    import questionary

    monkeypatch.setattr(questionary, "select", select)
    with pytest.raises(Shown):
        prompts.ask_choice(CONDITION_QUESTION, [(label, label) for label in labels])
    lines = captured["message"].split("\n")
    room = columns - len("? ")
    assert all(len(line) <= room for line in lines)
    assert len(lines[-1]) + 1 + max(len(label) for label in labels) <= room
    assert " ".join(" ".join(lines).split()) == CONDITION_QUESTION
