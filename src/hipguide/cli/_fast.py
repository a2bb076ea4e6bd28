"""The early dispatch: the command lines a lookup is made of, answered before the Typer
app is built (DESIGN.md section 5), and the parts of the CLI both paths share.

:func:`dispatch` takes only what it can answer exactly as the full app would:

- ``hipguide --version``;
- ``hipguide points [WORD...] [--json]``: plain words (none starting with ``-``, except
  any after a ``--``), ``--json`` anywhere before a ``--``, and no other option.

Anything else goes to the Typer app: another command or option, help, shell completion
(a ``_..._COMPLETE`` variable), ``$HIPGUIDE_DEBUG`` (tracebacks are the full app's), a
closed stdout or stderr, and, on Windows, a word the app would expand as a shell does
(``~``, ``$VAR``, ``%VAR%``, wildcards). The answer is the same program's: the same flow,
the same rendering (:func:`print_points`, which the ``points`` command calls too), the
same error lines (:func:`report_error`) and the same end of output
(:func:`lost_output_code`), in the same order, so stdout, stderr and the exit code are
those of the full path, byte for byte (``tests/test_fast_path.py`` runs both).

Nothing here imports Typer or Click; ``--json`` does not import Rich either, unless
there is an error line to print, and ``--version`` imports nothing but this module.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

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

    stderr_console().print(f"[bold red]Error:[/] {one_line(message)}", soft_wrap=True)


def report_failure(error: Exception) -> int:
    """Say in one line on stderr what went wrong: a :class:`~hipguide.errors.HipguideError`
    as its message, anything else as an internal error; returns the exit code it means."""
    from rich.markup import escape

    from hipguide.errors import HipguideError

    if isinstance(error, HipguideError):
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
    from rich.markup import escape

    message = LOST_OUTPUT.format(reason=lost.strerror or lost)
    report_error(escape(f"{message} {LOST_OUTPUT_VERDICT if verdict else LOST_OUTPUT_HINT}"))
    return code if verdict else _USAGE


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


def _environment_allows(args: Sequence[str]) -> bool:
    """Whether nothing around the command line needs the full app."""
    if sys.stdout is None or sys.stderr is None:
        return False
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return False  # shell completion is Click's
    if os.environ.get(DEBUG_ENV, "").strip() not in ("", "0"):
        return False  # tracebacks are the full app's (config.debug)
    return not (os.name == "nt" and any(_WINDOWS_EXPANDED.intersection(a) for a in args))


def takes(args: Sequence[str]) -> bool:
    """Whether :func:`dispatch` answers ``args`` here (rather than the full app)."""
    if list(args) != ["--version"] and lookup_words(args) is None:
        return False
    return _environment_allows(args)


def dispatch(args: Sequence[str]) -> int | None:
    """Answer ``args`` (the command line without the program name) at once and give the
    exit code, or None, having done nothing, when the full app must answer."""
    if not takes(args):
        return None
    try:
        if list(args) == ["--version"]:
            return _version()
        lookup = lookup_words(args)
        assert lookup is not None
        from hipguide.ui.console import transliterate_streams

        transliterate_streams()
        return _points(*lookup)
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
        from rich.markup import escape

        quiet_stdout()
        message = LOST_OUTPUT.format(reason=error.strerror or error)
        report_error(escape(f"{message} {LOST_OUTPUT_HINT}"))
        return _USAGE
    return _OK


def _points(words: list[str], as_json: bool) -> int:
    """``hipguide points WORDS [--json]``, with the errors and the end of output of the
    app's command group (``HipguideGroup.invoke``)."""
    try:
        try:
            _look_up(words, as_json)
            code = _OK
        except BrokenPipeError:
            quiet_stdout()
            code = _OK
        except KeyboardInterrupt:
            raise  # the app ends at once, without the check of the output below
        except Exception as error:
            code = report_failure(error)
        lost = lost_output_code(code, verdict=False)
        return code if lost is None else lost
    except BrokenPipeError:
        quiet_stdout()
        return _CLICK_BROKEN_PIPE


def _look_up(words: list[str], as_json: bool) -> None:
    """What the ``points`` command does with no option but ``--json``."""
    from hipguide.dataset import load_dataset
    from hipguide.flows.lookup import PointsRequest, find_points

    dataset = load_dataset()
    outcome = find_points(PointsRequest(" ".join(words)), dataset)
    print_points(outcome, dataset, as_json=as_json, pictures=_picture_mode)


def _picture_mode() -> str:
    from hipguide.cli._runtime import resolve_pictures

    return resolve_pictures(None)
