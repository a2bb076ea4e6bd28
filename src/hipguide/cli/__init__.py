"""The command-line interface: a thin Typer layer over the library.

:func:`main` answers a lookup or ``--version`` before the Typer app is built
(:mod:`hipguide.cli._fast`) and hands every other command line to the app. ``app`` is
the Typer app itself, imported only when asked for (``from hipguide.cli import app``).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hipguide.cli._app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point.

    The cyclic garbage collector is off while the early dispatch answers, and while the
    app answers a request for help: that is short work that never waits for a person,
    and most of what it makes (the modules, their classes, Rich's tables, the dataset)
    lives until the process ends, so the collector's passes over it, dozens of them,
    free nothing. The process then ends with the collector still off (Python still
    collects as it shuts down). Any other command line is answered by the app with the
    collector as it was before. A terminal size in the environment that no terminal has
    is tidied first (:func:`hipguide.config.tidy_environment`).
    """
    import gc

    from hipguide import config
    from hipguide.cli._fast import dispatch

    config.tidy_environment()
    collecting = gc.isenabled()
    gc.disable()
    try:
        code = dispatch(sys.argv[1:])
    except BaseException:
        if collecting:
            gc.enable()
        raise
    if code is not None:
        sys.exit(code)  # the collector stays off: the process ends here
    if collecting and not only_help(sys.argv[1:]):
        gc.enable()
    from hipguide.cli._app import main as run_app

    run_app()


def only_help(args: list[str]) -> bool:
    """Whether the command line asks only for help, which the app prints before it runs
    anything: nothing at all, or ``--help`` (``-h``) after at most one other word."""
    return not args or (len(args) <= 2 and args[-1] in ("-h", "--help"))


def __getattr__(name: str) -> Any:
    if name == "app":
        from hipguide.cli._app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
