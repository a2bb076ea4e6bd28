"""The Typer application, its global options and the one place errors become messages."""

import errno
import importlib
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from hipguide import __version__, config
from hipguide.cli._fast import (
    lost_output_code,
    one_line,
    report_error,
    report_failure,
    report_lost_output,
)
from hipguide.cli._fast import quiet_stdout as _quiet_stdout
from hipguide.errors import ExitCode, HipguideError

_state = {"debug": config.debug()}

#: The commands, in help order, each in its own module, imported only when it runs
#: (or when --help lists them): a lookup never pays for the other commands.
COMMANDS: dict[str, str] = {
    "check": "hipguide.cli.check",
    "routine": "hipguide.cli.routine",
    "points": "hipguide.cli.points",
    "conditions": "hipguide.cli.conditions",
    "history": "hipguide.cli.history",
    "card": "hipguide.cli.card",
    "report": "hipguide.cli.report",
    "checkin": "hipguide.cli.checkin",
    "remind": "hipguide.cli.remind",
}
#: What ``hipguide --help`` lists for each command: the first paragraph of its help (a
#: test holds each equal to the command's own), so the list needs none of the commands'
#: modules.
SUMMARIES: dict[str, str] = {
    "check": "Red-flag check: is self-care safe today, or should you see a doctor, and how soon?",
    "routine": "A guided pressing session for where and why your hip hurts.",
    "points": "Look up an acupressure point by code, alias, pinyin, Chinese or English name.",
    "conditions": (
        "Show the conditions the guide covers, or one in detail with its points by role."
    ),
    "history": (
        "Your sessions, checks and check-ins, pain and PEG trends, and whether pressing helps."
    ),
    "card": "A printable card of your routine: one page to keep by you while you press.",
    "report": "A one-page summary of your history to show a doctor or physiotherapist.",
    "checkin": "The weekly check-in: is pressing helping?",
    "remind": "A calendar for the course: session reminders, weekly check-ins, a reassessment.",
}
_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}
#: Context meta key: the exit code a command means to end with, set before it prints.
EXIT_CODE_KEY = "hipguide.exit_code"


def command_app() -> typer.Typer:
    """The Typer app a command module registers its one command on."""
    return typer.Typer(
        rich_markup_mode="rich",
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings=_SETTINGS,
    )


def _parsed(parse: Any, ctx: Any, args: list[str]) -> list[str]:
    """``parse(ctx, args)``; a usage error (a bad option or value) is said in one line
    (:func:`usage_failed`)."""
    try:
        return parse(ctx, args)  # type: ignore[no-any-return]
    except Exception as error:  # Typer's own copy of Click's UsageError and its kinds
        usage_failed(error, ctx)
        raise


def usage_failed(error: Exception, parsing: Any = None) -> None:
    """End with a usage error from the command line (an unknown option or command, a
    value out of range) said as every other error is: one line on stderr, ``Error:``,
    what is wrong and where the help is, and its exit code (2). Its message quotes the
    command line, so every control or format character in it is escaped: a bidi control
    or a zero-width character from there must not act on the terminal. ``parsing`` is
    the context being parsed, for an error that names none. Anything else (help shown
    for no arguments, another error) returns, for the caller to raise."""
    message = getattr(error, "message", None)
    if not (type(error).__module__.startswith("typer.") and isinstance(message, str)):
        return
    if type(error).__name__ == "NoArgsIsHelpError" or not hasattr(error, "format_message"):
        return
    from rich.markup import escape

    ctx = getattr(error, "ctx", None) or parsing  # an option's missing value names none
    where = ""
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        where = f" Try '{ctx.command_path} {ctx.help_option_names[0]}' for help."
    said = one_line(error.format_message()).strip()
    if where and not said.endswith((".", "?", "!")):
        said += "."
    report_error(escape(said + where))
    raise SystemExit(getattr(error, "exit_code", int(ExitCode.USAGE)))


def examples(*lines: str, note: str = "") -> str:
    """A command's epilog: its example command lines, one to a line, after ``note``."""
    head = f"{note}\n\n" if note else ""
    return head + "Examples:\n" + "\n".join(lines)


def flowing(text: str) -> str:
    """``text`` with each paragraph made one line, for the screen to wrap: Typer's rich
    help keeps a docstring's line breaks, which at any width but the source's break
    every paragraph into long and short lines. A paragraph that starts with ``\\b``
    keeps its lines, as Click's own help does."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(
        part if part.startswith("\b") else " ".join(part.split()) for part in paragraphs
    )


class HipguideCommand(TyperCommand):
    """A command whose help flows to the screen's width (:func:`flowing`), and whose
    option help may name the dataset's ids (``{areas}``, ``{regions}``), filled in only
    when the help is shown."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return _parsed(super().parse_args, ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from hipguide.cli._options import fill_help

        if self.help:
            self.help = flowing(self.help)
        for param in self.params:
            help_text = getattr(param, "help", None)
            if help_text and "{" in help_text:
                param.help = fill_help(help_text)  # type: ignore[attr-defined]
        # A flag's "off" name (--no-lying) is shown under its "on" name rather than in
        # a column of its own, which at 80 columns left the help text a few words wide
        # and cut the longest option names short.
        paired = [param for param in self.params if getattr(param, "secondary_opts", None)]
        kept = [(param.opts, param.secondary_opts) for param in paired]
        for param in paired:
            param.opts = ["\n".join((*param.opts, *param.secondary_opts))]
            param.secondary_opts = []
        try:
            super().format_help(ctx, formatter)
        finally:
            for param, (opts, secondary) in zip(paired, kept, strict=True):
                param.opts, param.secondary_opts = opts, secondary


class HipguideGroup(TyperGroup):
    """Loads commands on demand; turns any :class:`HipguideError` into its line and exit code."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return _parsed(super().parse_args, ctx, hoist_global_options(args))

    _listing = False

    def format_help(self, ctx: Any, formatter: Any) -> None:
        # The list of commands shows each one's name and summary only: it is drawn from
        # SUMMARIES, without importing and building every command.
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        module_name = COMMANDS.get(cmd_name)
        if module_name is None:
            return None
        if self._listing:
            return TyperCommand(cmd_name, help=SUMMARIES[cmd_name])
        module = importlib.import_module(module_name)
        return typer.main.get_command(module.app)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except typer.BadParameter:
            raise
        except Exception as error:
            message = getattr(error, "message", None)
            if message and args and "Did you mean" not in message:
                from hipguide.suggest import close_matches

                matches = close_matches(args[0], COMMANDS, n=1)
                if matches:
                    suggestion = f"Did you mean {matches[0]!r}?"
                    error.message = f"{message.rstrip('.')}. {suggestion}"  # type: ignore[attr-defined]
            usage_failed(error, ctx)
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            result = self._invoke(ctx)
        except typer.Exit as done:
            _end_if_output_lost(ctx, done.exit_code)
            raise
        _end_if_output_lost(ctx, 0)
        return result

    def _invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except HipguideError as error:
            _traceback_if_debug()
            raise typer.Exit(report_failure(error)) from None
        except BrokenPipeError:
            # The reader went away (`hipguide points | head -1`): end quietly, keeping the
            # exit code a command set before printing (a verdict's tier).
            _quiet_stdout()
            raise typer.Exit(int(ctx.meta.get(EXIT_CODE_KEY, 0))) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as error:
            if type(error).__module__.startswith("typer."):
                raise
            _traceback_if_debug()
            if isinstance(error, OSError) and _output_failed(error):  # > /dev/full
                _quiet_stdout()
                report_lost_output(error)
                code = int(ctx.meta.get(EXIT_CODE_KEY, 0))
                keep = ctx.invoked_subcommand in VERDICT_COMMANDS and code
                raise typer.Exit(code if keep else int(ExitCode.USAGE)) from None
            raise typer.Exit(report_failure(error)) from None


#: What a write meets on a device or disk that cannot take the output.
_FULL = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG", "EIO") if hasattr(errno, name)
)


def _output_failed(error: OSError) -> bool:
    """Whether ``error`` is a write that a full device or disk refused (not a file that
    could not be opened: that names its file)."""
    return error.errno in _FULL and error.filename is None


def _traceback_if_debug() -> None:
    """With ``--debug``, the traceback of the error being handled, on stderr; the exit
    code stays what it would be without it."""
    if _state["debug"]:
        import traceback

        traceback.print_exc()


#: Commands whose exit code is a verdict: it is kept when their output is lost.
VERDICT_COMMANDS = frozenset({"check", "routine"})


def _end_if_output_lost(ctx: Any, code: int) -> None:
    """After a command: if stdout could not take its output (``> /dev/full``), say so in
    one line on stderr; a verdict's exit code is kept, any other command exits 2."""
    ended = lost_output_code(code, verdict=ctx.invoked_subcommand in VERDICT_COMMANDS)
    if ended is not None:
        raise typer.Exit(ended)


app = typer.Typer(
    cls=HipguideGroup,
    name="hipguide",
    help=(
        "A guide to self-care acupressure for hip pain.\n\n"
        "Start with [bold]hipguide check[/] (red-flag questions: is self-care safe today?), "
        "then [bold]hipguide routine[/] for a guided pressing session. "
        "Look points up with [bold]hipguide points[/]. "
        "This is self-care guidance, not a diagnosis."
    ),
    epilog=(
        "Exit codes: 0 ok, 1 no match, 2 usage or data error, 3 see a doctor soon, "
        "4 urgent (same day), 5 emergency, 70 internal error, 130 interrupted."
    ),
    rich_markup_mode="rich",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings=_SETTINGS,
)


#: Global options that may also be written after the command
#: (``hipguide points GB30 --pictures blocks``), each taking one value.
HOISTED = ("--pictures",)
#: Global flags that may also be written after the command (``hipguide points GB30
#: --debug``).
HOISTED_FLAGS = ("--debug",)


def hoist_global_options(args: list[str]) -> list[str]:
    """``args`` with every :data:`HOISTED` option (and its value) and every
    :data:`HOISTED_FLAGS` flag moved to the front, so the app's callback reads it
    wherever it was written; nothing after ``--`` moves."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest.extend(args[index:])
            break
        if arg in HOISTED_FLAGS:
            front.append(arg)
            index += 1
            continue
        name = arg.split("=", 1)[0]
        if name in HOISTED and ("=" in arg or index + 1 < len(args)):
            taken = 1 if "=" in arg else 2
            front.extend(args[index : index + taken])
            index += taken
            continue
        rest.append(arg)
        index += 1
    return front + rest if front else args


def _complete_pictures(incomplete: str) -> list[str]:
    from hipguide.ui.figures._modes import PICTURE_MODES

    return [mode for mode in PICTURE_MODES if mode.startswith(incomplete)]


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"hipguide {__version__}")
        raise typer.Exit()


@app.callback()
def _global_options(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help=f"Show full tracebacks on errors (or set {config.DEBUG_ENV}=1)."
        ),
    ] = False,
    pictures: Annotated[
        str | None,
        typer.Option(
            "--pictures",
            metavar="MODE",
            help=(
                "How to draw the point pictures: auto (what the terminal can show), "
                "kitty, iterm or sixel images, blocks (Unicode half-blocks), ascii, or "
                f"none (words only). Or set {config.PICTURES_ENV}. May follow the command."
            ),
            autocompletion=_complete_pictures,
            show_default=False,
        ),
    ] = None,
) -> None:
    """A guide to self-care acupressure for hip pain."""
    if debug:
        _state["debug"] = True
    if pictures is not None:
        from hipguide.cli._runtime import Runtime, check_pictures

        ctx.ensure_object(Runtime).pictures = check_pictures(pictures, "--pictures")


def _help_code(args: list[str]) -> int | None:
    """The exit code of the help ``args`` ask for: 0 for ``--help`` or ``-h`` (before any
    ``--``), 2 for nothing at all (help, then a usage error); None when they ask for no
    help, and an exit code of 1 is the command's own (``points``: no match)."""
    if not args:
        return int(ExitCode.USAGE)
    words = args[: args.index("--")] if "--" in args else args
    return 0 if "--help" in words or "-h" in words else None


def main() -> None:
    """Run the Typer app on ``sys.argv`` (the full path of :func:`hipguide.cli.main`)."""
    if "--debug" in sys.argv[1:]:
        _state["debug"] = True
    from hipguide.ui.console import transliterate_streams

    transliterate_streams()  # help and messages print whatever the terminal's encoding
    try:
        app()
    except SystemExit as done:
        # Rich ends with 1 when the reader of help goes away (`hipguide --help | head`):
        # help asked for ends quietly with the code it has when read to the end.
        help_code = _help_code(sys.argv[1:])
        if done.code == 1 and help_code is not None:
            sys.exit(help_code)
        raise
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
    except OSError as error:  # the output of --help or --version could not be written
        if error.filename is not None:
            raise
        _traceback_if_debug()
        _quiet_stdout()
        report_lost_output(error)
        sys.exit(int(ExitCode.USAGE))
