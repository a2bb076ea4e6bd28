"""Interactive questions: the one module that talks to questionary.

questionary and prompt_toolkit are imported inside each function, so importing
this module costs nothing. Every prompt calls ``unsafe_ask()`` and turns Ctrl-C
(KeyboardInterrupt) and end of input (EOFError) into :class:`~hipguide.errors.Interrupted`
(exit 130). The caller decides whether prompting is possible (:func:`can_prompt`);
when it is not, flows get :class:`hipguide.flows.ports.NoPrompter` instead.

Each prompt takes optional ``input``/``output`` (prompt_toolkit ``Input``/``Output``)
for tests; by default it uses the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from hipguide.errors import Interrupted

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

    from hipguide.triage import Answer

_T = TypeVar("_T")

#: The answers of a red-flag question: (value, label, shortcut key).
ANSWER_CHOICES: tuple[tuple[Answer, str, str], ...] = (
    ("yes", "Yes", "y"),
    ("no", "No", "n"),
    ("unsure", "Not sure", "u"),
)
#: The keys of a yes/no question, by its default (the capital letter, which Enter alone takes).
YES_NO_HINT = {True: "(Y/n, then Enter) ", False: "(y/N, then Enter) "}
STOPPED = "Stopped."
STOPPED_HINT = "Nothing more was asked; run the command again to start over."


def can_prompt(stdin: Any, stdout: Any) -> bool:
    """Whether a prompt can be shown: both streams are terminals."""
    return _isatty(stdin) and _isatty(stdout)


def ask_answer(
    question_text: str,
    help_text: str,
    *,
    number: int,
    total: int,
    default: str | None = None,
    input: Input | None = None,
    output: Output | None = None,
) -> Answer:
    """Ask one red-flag question; return ``"yes"``, ``"no"`` or ``"unsure"``.

    Shows ``(number/total)`` before the question and ``help_text`` on the line
    below. The keys y, n and u (or the arrows) move to an answer; Enter confirms.
    ``default`` is the answer highlighted first.
    """
    import questionary

    choices = [
        questionary.Choice(title=label, value=value, shortcut_key=key)
        for value, label, key in ANSWER_CHOICES
    ]
    instruction = "(y / n / u or arrow keys, then Enter)"
    if help_text:
        instruction = f"\n{_wrap(help_text)}\n  {instruction}"
    question = questionary.select(
        _question(f"({number}/{total}) {question_text}"),
        choices=choices,
        default=default,
        instruction=instruction,
        use_shortcuts=True,
        **_io(input, output),
    )
    answer: Answer = _run(question)
    return answer


def ask_yes_no(
    message: str,
    default: bool = False,
    *,
    input: Input | None = None,
    output: Output | None = None,
) -> bool:
    """Ask a yes/no question: y or n chooses, then Enter confirms (as the check's
    questions take a letter, then Enter); Enter alone takes ``default``.

    A y or n never answers on its own: one typed with an Enter after it, as every other
    question here is answered, would otherwise answer the next question too."""
    import questionary

    instruction = YES_NO_HINT[default]
    tail = len(f" {instruction}Yes")  # the hint and the answer, after the question
    question = questionary.confirm(
        _question(message, tail=tail),
        default=default,
        auto_enter=False,
        instruction=instruction,
        **_io(input, output),
    )
    return bool(_run(question))


def ask_choice(
    message: str,
    choices: Sequence[tuple[str, str]],
    default: str | None = None,
    *,
    input: Input | None = None,
    output: Output | None = None,
) -> str:
    """Pick one of ``choices`` (``(value, label)`` pairs); return its value. The question
    is wrapped to the screen with room for the longest label after it, as the answer is
    shown there."""
    import questionary

    longest = max((len(label) for _, label in choices), default=0)
    question = questionary.select(
        _question(message, tail=longest + 1),
        choices=[questionary.Choice(title=label, value=value) for value, label in choices],
        default=default,
        **_io(input, output),
    )
    return str(_run(question))


#: How a list of several choices is answered.
MANY_HINT = "(arrow keys move, space ticks or unticks, Enter confirms)"


def ask_many(
    message: str,
    choices: Sequence[tuple[str, str]],
    minimum: int = 1,
    *,
    input: Input | None = None,
    output: Output | None = None,
) -> list[str]:
    """Tick some of ``choices`` (``(value, label)`` pairs); return the values, in list order.

    Enter with fewer than ``minimum`` ticked shows why and keeps the list open.
    """
    import questionary

    def at_least(selected: list[str]) -> bool | str:
        if len(selected) >= minimum:
            return True
        return f"Choose at least {minimum} (space ticks, Enter confirms)."

    question = questionary.checkbox(
        _question(message),
        choices=[questionary.Choice(title=label, value=value) for value, label in choices],
        validate=at_least,
        # questionary's own hint is one long line, which the terminal cuts mid-word
        instruction=f"\n{_wrap(MANY_HINT, indent='  ')}",
        **_io(input, output),
    )
    return [str(value) for value in _run(question)]


def ask_int(
    message: str,
    lo: int,
    hi: int,
    default: int | None = None,
    *,
    input: Input | None = None,
    output: Output | None = None,
) -> int:
    """Ask for a whole number from ``lo`` to ``hi``; an empty answer takes ``default``.

    Anything else (a word, a fraction, a number out of range, empty without a
    default) shows why and asks again.
    """
    import questionary

    instruction = f"({lo}-{hi}" + (f", Enter for {default})" if default is not None else ")")

    def check(text: str) -> bool | str:
        return _parse_int(text, lo, hi, default)[1] or True

    question = questionary.text(
        message, validate=check, instruction=instruction, **_io(input, output)
    )
    value, error = _parse_int(_run(question), lo, hi, default)
    if value is None:  # unreachable: the validator let only good answers through
        raise ValueError(error)
    return value


def ask_score(
    message: str,
    lo: int,
    hi: int,
    *,
    low: str,
    high: str,
    number: int,
    total: int,
    input: Input | None = None,
    output: Output | None = None,
) -> int:
    """Ask for a score on a scale from ``lo`` (meaning ``low``) to ``hi`` (``high``),
    shown as ``(number/total)``; anything but a whole number in range asks again, and an
    empty answer is not taken (a scale has no neutral default)."""
    import questionary

    instruction = f"\n{_wrap(f'{lo} = {low}, {hi} = {high}', indent='  ')}\n  ({lo}-{hi})"

    def check(text: str) -> bool | str:
        return _parse_int(text, lo, hi, None)[1] or True

    question = questionary.text(
        _question(f"({number}/{total}) {message}"),
        validate=check,
        instruction=instruction,
        **_io(input, output),
    )
    value, error = _parse_int(_run(question), lo, hi, None)
    if value is None:  # unreachable: the validator let only good answers through
        raise ValueError(error)
    return value


def ask_numbered(
    message: str,
    choices: Sequence[tuple[int, str]],
    default: int | None = None,
    *,
    input: Input | None = None,
    output: Output | None = None,
) -> int:
    """Pick one of ``choices`` (``(number, label)`` pairs, numbers 1 to 9): its number's
    key or the arrows, then Enter; ``default`` is highlighted first."""
    import questionary

    listed = [
        questionary.Choice(title=label, value=value, shortcut_key=str(value))
        for value, label in choices
    ]
    question = questionary.select(
        _question(message),
        choices=listed,
        default=next((choice for choice in listed if choice.value == default), None),
        instruction=f"\n  ({choices[0][0]}-{choices[-1][0]} or arrow keys, then Enter)",
        use_shortcuts=True,
        **_io(input, output),
    )
    return int(_run(question))


def _parse_int(text: str, lo: int, hi: int, default: int | None) -> tuple[int | None, str]:
    """Read ``text`` as a whole number in range: ``(value, "")`` or ``(None, why not)``."""
    text = text.strip()
    if not text:
        if default is not None:
            return default, ""
        return None, f"Type a whole number from {lo} to {hi}."
    try:
        value = int(text)
    except ValueError:
        return None, f"{text!r} is not a whole number; type one from {lo} to {hi}."
    if not lo <= value <= hi:
        return None, f"{value} is out of range; type a number from {lo} to {hi}."
    return value, ""


def _io(input: Input | None, output: Output | None) -> dict[str, Any]:
    """The ``input``/``output`` keywords to hand questionary, only those given."""
    given: dict[str, Any] = {}
    if input is not None:
        given["input"] = input
    if output is not None:
        given["output"] = output
    return given


def _question(text: str, tail: int = 0) -> str:
    """A question's words wrapped to the screen after questionary's ``? ``, its later
    lines under its first, with room for ``tail`` more characters after it."""
    return _wrap(text, indent="", margin=3, tail=tail).replace("\n", "\n  ")


def _wrap(text: str, indent: str = "  ", margin: int = 1, tail: int = 0) -> str:
    """``text`` wrapped to the terminal's width (prompt_toolkit cuts long lines off),
    with room for ``tail`` more characters at the end of its last line."""
    import shutil
    import textwrap

    width = max(20, shutil.get_terminal_size().columns - margin)
    lines = textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent)
    if lines and len(lines[-1]) + tail > width:
        last = textwrap.wrap(lines[-1], max(10, width - tail), subsequent_indent=indent)
        lines[-1:] = last
    return "\n".join(lines)


def _run(question: Any) -> Any:
    """Ask ``question``; Ctrl-C and end of input (Ctrl-D) become :class:`Interrupted`."""
    _end_on_ctrl_d(question)
    try:
        return question.unsafe_ask()
    except (KeyboardInterrupt, EOFError) as error:
        raise Interrupted(STOPPED, STOPPED_HINT) from error


def _end_on_ctrl_d(question: Any) -> None:
    """Make Ctrl-D end every prompt, as it ends a text prompt (questionary's lists ignore
    it), and Esc do nothing: with an Enter after it, it is Meta+Enter, which submits an
    empty answer that no question takes (a yes/no question read it as no)."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    bindings = KeyBindings()

    @bindings.add("c-d", eager=True)
    def _end(event: Any) -> None:
        event.app.exit(exception=EOFError())

    @bindings.add("escape", eager=True)
    def _nothing(event: Any) -> None:
        pass

    application = question.application
    if application.key_bindings is None:
        application.key_bindings = bindings
    else:
        application.key_bindings = merge_key_bindings([application.key_bindings, bindings])


def _isatty(stream: Any) -> bool:
    """True when ``stream`` is a terminal; False for None, closed or odd streams."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
