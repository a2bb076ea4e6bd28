"""Where the history lives, and opening it so that a fault never blocks a verdict."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from hipguide.errors import StoreError

if TYPE_CHECKING:
    from rich.console import Console

    from hipguide.store import Store

HOME_ENV = "HIPGUIDE_HOME"


def history_home() -> Path:
    """``$HIPGUIDE_HOME``, else the platform's user data folder for hipguide."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("hipguide", appauthor=False)


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


def open_store() -> Store:
    """Open the history, raising :class:`StoreError` (exit 2) when it cannot be used."""
    from hipguide.store import Store

    return Store.open(history_home())


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
