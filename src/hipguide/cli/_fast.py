"""The early dispatch: the command lines answered before the Typer app is built
(DESIGN.md section 5), and the parts of the CLI both paths share.

:func:`dispatch` takes only what it can answer exactly as the full app would:

- ``hipguide --version``;
- ``hipguide points [WORD...] [--json]``: plain words (none starting with ``-``, except
  any after a ``--``), ``--json`` anywhere before a ``--``, and no other option;
- ``hipguide check --no-input ...`` and ``hipguide routine --plan --no-input ...``, the
  forms that ask nothing: each option of the command written as ``--name value``,
  ``--name=value`` or (``-a``) ``-a value``, each value in a form whose meaning is
  certain (a number in plain digits within the option's range, a file name that the app
  would take as it is), and nothing else (:func:`command_options`).

Anything else goes to the Typer app: another command or option, help, shell completion
(a ``_..._COMPLETE`` variable), ``$HIPGUIDE_DEBUG`` (tracebacks are the full app's), a
closed stdout or stderr, and, on Windows, a word the app would expand as a shell does
(``~``, ``$VAR``, ``%VAR%``, wildcards). The answer is the same program's: the same flow,
the same rendering (:func:`print_points`, which the ``points`` command calls too, and
:mod:`hipguide.cli._run`, which ``check`` and ``routine`` call), the same error lines
(:func:`report_error`) and the same end of output (:func:`lost_output_code`), in the
same order, so stdout, stderr and the exit code are those of the full path, byte for
byte (``tests/test_fast_path.py`` and ``tests/test_fast_path_commands.py`` run both).

Nothing here imports Typer or Click; ``--json`` does not import Rich either, unless
there is an error line to print, and ``--version`` imports nothing but this module.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hipguide.dataset import Dataset
    from hipguide.flows.lookup import PointsOutcome

#: Exit codes (as :class:`hipguide.errors.ExitCode`, kept here so that ``--version``
#: needs no import).
_OK, _USAGE, _INTERNAL, _INTERRUPTED = 0, 2, 70, 130
#: What Click ends with when a write to stdout meets a closed pipe outside a command
#: (while it prints the version, or at the final flush).
_CLICK_BROKEN_PIPE = 1

LOST_OUTPUT = "Could not write the output ({reason})."
LOST_OUTPUT_HINT = "Check the disk or device it goes to."
LOST_OUTPUT_VERDICT = "The exit code still gives the verdict."

#: The variable that asks for tracebacks (:data:`hipguide.config.DEBUG_ENV`, named here
#: so that ``--version`` needs no import: a test holds them equal).
DEBUG_ENV = "HIPGUIDE_DEBUG"

#: What the app would expand in a word on Windows, as a Unix shell does (Click's
#: ``windows_expand_args``).
_WINDOWS_EXPANDED = frozenset("~$%*?[")


# --- shared by both paths -----------------------------------------------------------------


def one_line(text: str) -> str:
    """``text`` with control characters shown as escapes, so a message stays one line and
    nothing read from a file can reach the terminal as a control sequence."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def report_error(message: str) -> None:
    """Print one red error line on stderr (``message`` is Rich markup)."""
    from hipguide.ui.console import stderr_console

    console = stderr_console()
    # one line for a reader that is not a person; on a terminal, wrapped between words
    console.print(f"[bold red]Error:[/] {one_line(message)}", soft_wrap=not console.is_terminal)


def report_failure(error: Exception) -> int:
    """Say in one line on stderr what went wrong: a :class:`~hipguide.errors.HipguideError`
    as its message, anything else as an internal error; returns the exit code it means."""
    from rich.markup import escape

    from hipguide.errors import HipguideError

    if isinstance(error, HipguideError):
        if error.exit_code == _INTERRUPTED:  # the person's own choice, not an error
            from hipguide.ui.console import stderr_console

            stderr_console().print(one_line(escape(str(error))), soft_wrap=True)
        else:
            report_error(escape(str(error)))
        return int(error.exit_code)
    report_error(
        escape(f"internal error: {type(error).__name__}: {error}")
        + " Run again with --debug for the traceback, and report it."
    )
    return _INTERNAL


def quiet_stdout() -> None:
    """After the reader of our output went away, make the final flush a no-op."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def lost_output_code(code: int, *, verdict: bool) -> int | None:
    """After a command that would end with ``code``: if stdout could not take its output
    (``> /dev/full``), say so in one line on stderr and give the code to end with (a
    verdict's is kept, any other command's becomes 2); None when nothing was lost."""
    from hipguide.ui.console import finish_output

    lost = finish_output()
    if lost is None:
        return None
    report_lost_output(lost, verdict=verdict)
    return code if verdict else _USAGE


def report_lost_output(error: OSError, *, verdict: bool = False) -> None:
    """Say in one line on stderr that the output could not be written, and why: the
    exit code still gives the verdict, or the disk or device to check."""
    from rich.markup import escape

    message = LOST_OUTPUT.format(reason=error.strerror or error)
    report_error(escape(f"{message} {LOST_OUTPUT_VERDICT if verdict else LOST_OUTPUT_HINT}"))


def print_points(
    outcome: PointsOutcome,
    dataset: Dataset,
    *,
    as_json: bool,
    pictures: Callable[[], str],
    side: str | None = None,
) -> None:
    """Print what ``hipguide points`` found: JSON (without Rich), or the point's card or
    the table, with pictures in the mode ``pictures()`` gives (asked only for the card
    or the table) marked on ``side``."""
    if as_json:
        from hipguide.ui import json
        from hipguide.ui.console import print_json

        found = outcome.points
        print_json(json.point(found[0]) if outcome.one else json.points(found))
        return

    from hipguide import config
    from hipguide.ui.console import stdout_console
    from hipguide.ui.render import points_outcome_view

    mode = pictures()
    console = stdout_console()
    console.print(
        points_outcome_view(
            outcome,
            dataset,
            plain=not console.is_terminal,
            pictures=mode,
            side=side,
            number=config.emergency_number(),
        )
    )


# --- the early dispatch -------------------------------------------------------------------


def lookup_words(args: Sequence[str]) -> tuple[list[str], bool] | None:
    """The query words and ``--json`` of ``points [WORD...] [--json]`` (``args`` without
    the program name); None for any other command line."""
    if not args or args[0] != "points":
        return None
    words: list[str] = []
    as_json = False
    rest = list(args[1:])
    while rest:
        arg = rest.pop(0)
        if arg == "--":
            words.extend(rest)
            break
        if arg == "--json":
            as_json = True
        elif arg.startswith("-"):
            return None
        else:
            words.append(arg)
    return words, as_json


#: The options of ``check`` and ``routine`` the early dispatch reads, as the commands
#: declare them (a test holds the two equal): each option's name gives the command's
#: parameter it sets and how its value is read: ``flag`` sets True, ``off`` sets False
#: (the second name of a ``--x/--no-x`` pair), ``text`` takes the next word as it is,
#: ``list`` takes it each time the option is given, ``path`` takes a file name and
#: ``paths`` one each time the option is given, ``int`` and ``float`` a number, and
#: ``int LOW HIGH`` a whole number in that range.
_CHECKS_OWN: dict[str, tuple[str, str]] = {  # the check's options, which a routine takes too
    "--answer": ("answer", "list"),
    "-a": ("answer", "list"),
    "--answers": ("answers_file", "paths"),
    "--no-input": ("no_input", "flag"),
    "--json": ("as_json", "flag"),
    "--emergency-number": ("emergency", "text"),
}
_CHECK_OPTIONS = {**_CHECKS_OWN, "--questions": ("questions", "flag")}
_ROUTINE_OPTIONS: dict[str, tuple[str, str]] = {
    **_CHECKS_OWN,
    "--area": ("area", "list"),
    "--side": ("side", "text"),
    "--condition": ("condition", "text"),
    "--minutes": ("minutes", "float"),
    "--press-seconds": ("press_seconds", "int"),
    "--rest-seconds": ("rest_seconds", "int 0 120"),
    "--plan": ("plan_only", "flag"),
    "--quiet": ("quiet", "flag"),
    "--pain-before": ("pain_before", "int 0 10"),
    "--pain-after": ("pain_after", "int 0 10"),
    "--skip-area": ("skip_area", "list"),
    "--skip-point": ("skip_point", "list"),
    "--accept-risk": ("accept_risk", "flag"),
    "--lying": ("lying", "flag"),
    "--no-lying": ("lying", "off"),
    "--foot-reach": ("foot_reach", "flag"),
    "--no-foot-reach": ("foot_reach", "off"),
    "--find-seconds": ("find_seconds", "float"),
    "--speak": ("speak", "flag"),
    "--flare-plan": ("flare_plan", "flag"),
    "--no-flare-plan": ("flare_plan", "off"),
}
#: The commands taken here, with the options that must be set for nothing to be asked
#: (and for a routine only to plan).
COMMAND_OPTIONS: dict[str, tuple[dict[str, tuple[str, str]], tuple[str, ...]]] = {
    "check": (_CHECK_OPTIONS, ("no_input",)),
    "routine": (_ROUTINE_OPTIONS, ("no_input", "plan_only")),
}
#: A value that is not read here: the app would read it otherwise, or not at all.
_UNREAD = object()


def command_options(args: Sequence[str]) -> tuple[str, dict[str, Any]] | None:
    """The command and the parameters it is given, for a ``check`` or ``routine`` command
    line that :func:`dispatch` answers; None for any other command line."""
    if not args or args[0] not in COMMAND_OPTIONS:
        return None
    options, required = COMMAND_OPTIONS[args[0]]
    values: dict[str, Any] = {}
    index = 1
    while index < len(args):
        word = args[index]
        index += 1
        name, equals, given = word.partition("=") if word.startswith("--") else (word, "", "")
        if name not in options:
            return None  # "--", a word, help, a global option, or one the app must explain
        parameter, kind = options[name]
        if kind in ("flag", "off"):
            if equals:
                return None  # the app says the flag takes no value
            values[parameter] = kind == "flag"
            continue
        if not equals:
            if index == len(args):
                return None  # the app says the option needs a value
            given = args[index]
            index += 1
        value = _read_value(kind, given)
        if value is _UNREAD:
            return None
        if kind in ("list", "paths"):
            values.setdefault(parameter, []).append(value)
        else:
            values[parameter] = value
    if not all(values.get(parameter) for parameter in required):
        return None
    return args[0], values


def _read_value(kind: str, text: str) -> Any:
    """The value ``text`` of an option of this ``kind``, read as the app reads it;
    _UNREAD when the app might read it otherwise or refuse it (and so must be the one
    to say so)."""
    if text.startswith("-"):
        return _UNREAD  # an option's name or a negative number: the app's to tell apart
    if kind in ("text", "list"):
        return text
    if kind in ("path", "paths"):
        return _file_name(text)
    digits = text.split(".") if kind == "float" else [text]
    if len(digits) > 2 or not all(part.isascii() and part.isdigit() for part in digits):
        return _UNREAD
    if kind == "float":
        return float(text)
    number = int(text)
    bounds = kind.split()[1:]
    if bounds and not int(bounds[0]) <= number <= int(bounds[1]):
        return _UNREAD  # the app says what the range is
    return number


def _file_name(text: str) -> Any:
    """A file name as the app takes it (a Path, not resolved); _UNREAD for one it refuses
    (a folder, a file it may not read) or reads in its own way (nothing)."""
    if not text:
        return _UNREAD
    try:
        found = os.stat(text)
    except (OSError, ValueError):
        found = None
    if found is not None:
        import stat

        if stat.S_ISDIR(found.st_mode) or not os.access(text, os.R_OK):
            return _UNREAD
    from pathlib import Path

    return Path(text)


def _environment_allows(args: Sequence[str]) -> bool:
    """Whether nothing around the command line needs the full app."""
    if sys.stdout is None or sys.stderr is None:
        return False
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return False  # shell completion is Click's
    if os.environ.get(DEBUG_ENV, "").strip() not in ("", "0"):
        return False  # tracebacks are the full app's (config.debug)
    return not (os.name == "nt" and any(_WINDOWS_EXPANDED.intersection(a) for a in args))


def _taken(args: Sequence[str]) -> tuple[str, Any] | None:
    """What :func:`dispatch` answers ``args`` with: ``("version", None)``, ``("points",
    (words, as_json))`` or ``("command", (name, values))``; None when the full app must."""
    taken: tuple[str, Any] | None = None
    if list(args) == ["--version"]:
        taken = ("version", None)
    elif (lookup := lookup_words(args)) is not None:
        taken = ("points", lookup)
    elif (command := command_options(args)) is not None:
        taken = ("command", command)
    return taken if taken is not None and _environment_allows(args) else None


def takes(args: Sequence[str]) -> bool:
    """Whether :func:`dispatch` answers ``args`` here (rather than the full app)."""
    return _taken(args) is not None


def dispatch(args: Sequence[str]) -> int | None:
    """Answer ``args`` (the command line without the program name) at once and give the
    exit code, or None, having done nothing, when the full app must answer."""
    taken = _taken(args)
    if taken is None:
        return None
    kind, given = taken
    try:
        if kind == "version":
            return _version()
        from hipguide.ui.console import transliterate_streams

        transliterate_streams()
        if kind == "points":
            words, as_json = given
            return _answer(lambda keep: _look_up(words, as_json), verdict=False)
        name, values = given
        return _answer(lambda keep: _command(name, values, keep), verdict=True)
    except KeyboardInterrupt:  # Ctrl-C anywhere ends as the app's group ends it
        return _INTERRUPTED


def _version() -> int:
    """``hipguide --version``, ended as the app ends it."""
    from hipguide import __version__

    try:
        sys.stdout.write(f"hipguide {__version__}\n")
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()
        return _CLICK_BROKEN_PIPE
    except OSError as error:  # a full device
        quiet_stdout()
        report_lost_output(error)
        return _USAGE
    return _OK


def _answer(work: Callable[[Callable[[int], None]], int], *, verdict: bool) -> int:
    """Run ``work`` (given a function to keep its exit code with before it prints) with
    the errors and the end of output of the app's command group
    (``HipguideGroup.invoke``); a ``verdict`` command keeps its code when output is lost."""
    kept = [_OK]

    def keep(code: int) -> None:
        kept[0] = code

    try:
        try:
            code = work(keep)
        except BrokenPipeError:
            quiet_stdout()
            code = kept[0]
        except KeyboardInterrupt:
            raise  # the app ends at once, without the check of the output below
        except Exception as error:
            code = report_failure(error)
        lost = lost_output_code(code, verdict=verdict)
        return code if lost is None else lost
    except BrokenPipeError:
        quiet_stdout()
        return _CLICK_BROKEN_PIPE


def _command(name: str, values: dict[str, Any], keep: Callable[[int], None]) -> int:
    """``hipguide check`` or ``hipguide routine`` given ``values``, as the command runs."""
    from hipguide.cli import _run
    from hipguide.cli._runtime import Runtime

    if name == "check":
        return _run.check(Runtime(), keep_code=keep, **values)
    return _run.routine(Runtime(), keep_code=keep, **values)


def _look_up(words: list[str], as_json: bool) -> int:
    """What the ``points`` command does with no option but ``--json``."""
    from hipguide.dataset import load_dataset
    from hipguide.flows.lookup import PointsRequest, find_points

    dataset = load_dataset()
    outcome = find_points(PointsRequest(" ".join(words)), dataset)
    print_points(outcome, dataset, as_json=as_json, pictures=_picture_mode)
    return _OK


def _picture_mode() -> str:
    from hipguide.cli._runtime import resolve_pictures

    return resolve_pictures(None)
