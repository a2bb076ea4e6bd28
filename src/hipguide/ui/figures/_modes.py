"""Which kind of picture a terminal gets: ``--pictures`` / ``HIPGUIDE_PICTURES``.

Nothing here asks the terminal anything: a query needs a reply, and a terminal that
does not answer would leave the program waiting. The choice rests on what the
console knows (is it a terminal, may it colour, can it write Unicode) and on the
variables terminals set for their programs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from rich.console import Console

#: The values of ``--pictures`` and ``HIPGUIDE_PICTURES``.
PICTURE_MODES: tuple[str, ...] = ("auto", "kitty", "iterm", "sixel", "blocks", "ascii", "none")
PICTURES_ENV = "HIPGUIDE_PICTURES"

#: What is finally drawn. ``blocks`` becomes half-blocks in colour, or braille where
#: colour is not allowed.
Rendering = Literal["kitty", "iterm", "sixel", "halfblocks", "braille", "ascii", "none"]

#: The character of the mark in each kind of character picture.
MARKER = {"halfblocks": "●", "braille": "●", "ascii": "@"}

#: ``TERM`` values (or their start) of terminals that draw Sixel images.
_SIXEL_TERMS = ("mlterm", "foot", "yaft", "contour", "mintty")


def check_mode(value: str, origin: str = "--pictures") -> str:
    """``value`` made lower case if it is a picture mode; ValueError naming the choices."""
    mode = value.strip().lower()
    if mode not in PICTURE_MODES:
        raise ValueError(f"{origin} must be one of {', '.join(PICTURE_MODES)}, not {value!r}")
    return mode


def _graphics(env: Mapping[str, str]) -> Rendering | None:
    """The image protocol the terminal announces, if any."""
    term = env.get("TERM", "").lower()
    program = env.get("TERM_PROGRAM", "").lower()
    if env.get("TMUX") or term.startswith(("screen", "tmux")):
        return None  # a multiplexer drops image sequences unless set up to pass them on
    if (
        env.get("KITTY_WINDOW_ID")
        or term in ("xterm-kitty", "xterm-ghostty")
        or program == "ghostty"
    ):
        return "kitty"
    # WezTerm reads the Kitty protocol only when its config turns it on; iTerm2 images
    # it always shows.
    if program in ("iterm.app", "wezterm") or env.get("LC_TERMINAL", "").lower() == "iterm2":
        return "iterm"
    if term.startswith(_SIXEL_TERMS) or program == "mintty":
        return "sixel"
    return None


def choose_rendering(
    mode: str,
    *,
    is_terminal: bool,
    color: bool,
    unicode: bool,
    env: Mapping[str, str],
) -> Rendering:
    """What to draw for a picture ``mode``, given the facts of the output.

    ``color``: colour is allowed (a colour system and no ``NO_COLOR``); ``unicode``: the
    output's encoding can write block and braille characters."""
    mode = check_mode(mode)
    if mode in ("kitty", "iterm", "sixel", "none", "ascii"):
        return mode  # type: ignore[return-value]
    if mode == "auto":
        if not is_terminal or env.get("TERM", "").lower() == "dumb":
            return "ascii"
        # An image is colour too, sent as escape codes: with colour off (NO_COLOR), the
        # picture is made of characters. A mode asked for by name is drawn as asked.
        found = _graphics(env) if color else None
        if found is not None:
            return found
    if not unicode:
        return "ascii"
    return "halfblocks" if color else "braille"


def resolve_mode(
    option: str | None = None,
    *,
    console: Console | None = None,
    env: Mapping[str, str] | None = None,
) -> Rendering:
    """The rendering for this output: the ``--pictures`` option when given, else
    ``HIPGUIDE_PICTURES``, else ``auto``, decided from ``console`` (default: a new Rich
    console on stdout) and ``env`` (default: ``os.environ``).

    ValueError (naming the choices) for a value that is not a picture mode."""
    env = os.environ if env is None else env
    if option is not None:
        mode = check_mode(option)
    elif env.get(PICTURES_ENV):
        mode = check_mode(env[PICTURES_ENV], PICTURES_ENV)
    else:
        mode = "auto"
    if console is None:
        from rich.console import Console

        console = Console()
    encoding = (console.encoding or "").lower().replace("-", "")
    return choose_rendering(
        mode,
        is_terminal=console.is_terminal,
        color=console.color_system is not None and not console.no_color,
        unicode=encoding.startswith("utf"),
        env=env,
    )
