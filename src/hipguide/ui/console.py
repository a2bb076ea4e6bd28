"""The consoles every command prints through, and the one way JSON reaches stdout."""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING, Any

from hipguide import config

if TYPE_CHECKING:
    from rich.console import Console


def _console_options() -> dict[str, Any]:
    """Plain output with NO_COLOR (no colour, bold or italic codes either), and the real
    width on a dumb terminal (Rich assumes 80 columns there)."""
    # No emoji codes: none are used, and the table of them costs start-up time.
    options: dict[str, Any] = {"highlight": False, "emoji": False}
    if config.no_color():
        options["color_system"] = None
    if config.dumb_terminal():
        import shutil

        size = shutil.get_terminal_size()
        options["width"], options["height"] = size.columns, size.lines
    return options


@cache
def _console_class() -> type[Console]:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # Rich would exit 1 here; the CLI ends quietly with the command's own code.
            self.quiet = True
            raise BrokenPipeError

    return _Console


def stdout_console() -> Console:
    """The console for results: colour only on a terminal and never with NO_COLOR."""
    return _console_class()(**_console_options())


def stderr_console() -> Console:
    """The console for messages and warnings, with the same rules as stdout's."""
    return _console_class()(stderr=True, **_console_options())


def print_json(document: Any) -> None:
    """Write one JSON document on stdout, and nothing else."""
    from hipguide.ui.json import dumps

    sys.stdout.write(dumps(document))
    sys.stdout.flush()
