"""The command-line interface: a thin Typer layer over the library."""

from hipguide.cli._app import app, main

__all__ = ["app", "main"]
