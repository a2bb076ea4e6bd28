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
    """Console-script entry point."""
    from hipguide.cli._fast import dispatch

    code = dispatch(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from hipguide.cli._app import main as run_app

    run_app()


def __getattr__(name: str) -> Any:
    if name == "app":
        from hipguide.cli._app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
