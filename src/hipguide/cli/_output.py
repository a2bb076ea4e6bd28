"""Consoles and JSON output shared by the commands."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


def stdout_console() -> Console:
    """The console for results: colour only on a terminal and never with NO_COLOR."""
    from rich.console import Console

    return Console(highlight=False)


def print_json(document: Any) -> None:
    """Write one JSON document on stdout, and nothing else."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
