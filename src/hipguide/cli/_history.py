"""Where the history lives, and opening it so that a fault never blocks a verdict."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from hipguide import config
from hipguide.clock import SystemClock
from hipguide.errors import StoreError

if TYPE_CHECKING:
    from rich.console import Console

    from hipguide.store import Store


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return SystemClock().now()


def open_store() -> Store:
    """Open the history, raising :class:`StoreError` (exit 2) when it cannot be used."""
    from hipguide.store import Store

    return Store.open(config.history_home())


def open_store_or_warn(console: Console) -> Store | None:
    """Open the history, or say plainly on ``console`` why nothing will be recorded."""
    try:
        return open_store()
    except StoreError as error:
        warn_not_recorded(console, error)
        return None


def warn_not_recorded(console: Console, error: StoreError) -> None:
    """One line on stderr: the history could not be used, and why."""
    from rich.markup import escape

    text = str(error)
    if not text.startswith("Nothing was recorded"):
        text = f"nothing will be recorded. {text}"
    console.print(f"[bold yellow]Warning:[/] {escape(text)}", soft_wrap=True)
