"""Every environment variable hipguide reads, and every folder it uses, in one place.

Nothing else in the package reads ``os.environ``. Each function reads the
environment when it is called (tests change it between calls). The folders follow
platformdirs, which knows each platform's conventions: on Linux and other Unix systems
they are worked out here by its rules (tests hold the two equal), since importing
platformdirs costs more than a cached dataset load may; macOS and Windows ask it.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

APP_NAME = "hipguide"
#: Load the dataset from this folder instead of the shipped one.
DATA_ENV = "HIPGUIDE_DATA"
#: The folder of the history file.
HOME_ENV = "HIPGUIDE_HOME"
#: The emergency number shown in verdicts and cards.
EMERGENCY_ENV = "HIPGUIDE_EMERGENCY_NUMBER"
#: ``1`` brings tracebacks back, like ``--debug``.
DEBUG_ENV = "HIPGUIDE_DEBUG"
#: How pictures are drawn in the terminal (``--pictures``).
PICTURES_ENV = "HIPGUIDE_PICTURES"
#: Every variable of hipguide's own, for the README and ``--help``.
VARIABLES = (DATA_ENV, HOME_ENV, EMERGENCY_ENV, DEBUG_ENV, PICTURES_ENV)


def _get(name: str) -> str:
    """The variable's value with surrounding blanks removed; "" when unset."""
    return os.environ.get(name, "").strip()


# The folders are worked out as text (os.path) and made into a Path only for a caller
# that asks for one: the cached load of the dataset needs them, and importing pathlib
# costs more than that whole load may (DESIGN.md section 5).


def shipped_data_folder() -> str:
    """:func:`shipped_data_dir` as text."""
    here = os.path.dirname(os.path.realpath(__file__))
    packaged = os.path.join(here, "data")
    if os.path.isdir(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(here)), "data")


def shipped_data_dir() -> Path:
    """The dataset installed with the package (or the repository's ``data/``)."""
    from pathlib import Path

    return Path(shipped_data_folder())


def data_folder_override() -> str | None:
    """:func:`data_dir_override` as text."""
    value = _get(DATA_ENV)
    return os.path.expanduser(value) if value else None


def data_dir_override() -> Path | None:
    """``$HIPGUIDE_DATA`` as a folder, or None when it is not set."""
    from pathlib import Path

    value = data_folder_override()
    return Path(value) if value is not None else None


def data_folder() -> str:
    """:func:`data_dir` as text."""
    return data_folder_override() or shipped_data_folder()


def data_dir() -> Path:
    """The dataset folder in use: ``$HIPGUIDE_DATA`` when set, else the shipped one."""
    from pathlib import Path

    return Path(data_folder())


def history_home() -> Path:
    """``$HIPGUIDE_HOME``, else the platform's user data folder for hipguide: what
    platformdirs' ``user_data_path("hipguide", appauthor=False)`` gives.

    Linux and other Unix: ``$XDG_DATA_HOME/hipguide`` (an absolute one), else
    ``~/.local/share/hipguide``.
    """
    from pathlib import Path

    value = _get(HOME_ENV)
    if value:
        return Path(value).expanduser()
    folder = _xdg_folder("XDG_DATA_HOME", ".local/share")
    if folder is not None:
        return Path(folder)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """The platform's user cache folder for hipguide: what platformdirs'
    ``user_cache_path("hipguide", appauthor=False)`` gives.

    Linux and other Unix: ``$XDG_CACHE_HOME/hipguide`` (an absolute one), else
    ``~/.cache/hipguide``.
    """
    from pathlib import Path

    return Path(cache_folder())


def cache_folder() -> str:
    """:func:`cache_dir` as text."""
    folder = _xdg_folder("XDG_CACHE_HOME", ".cache")
    if folder is not None:
        return folder
    from platformdirs import user_cache_path

    return str(user_cache_path(APP_NAME, appauthor=False))


def _xdg_folder(variable: str, default: str) -> str | None:
    """hipguide's folder under ``$variable`` (when absolute), else under ``default`` in
    the home folder, by platformdirs' rules for Linux and other Unix systems; None on
    macOS and Windows, and when the home folder is not known (platformdirs then decides,
    or says what is wrong)."""
    import sys

    if sys.platform in ("win32", "darwin"):
        return None
    base = os.environ.get(variable, "")
    if not os.path.isabs(base):
        home = _home()
        if home is None:
            return None
        base = os.path.join(home, default)
    return os.path.join(base, APP_NAME)


def _home() -> str | None:
    """The home folder as platformdirs finds it: ``$HOME`` when absolute, else (unset or
    relative) the account's own; None when neither is an absolute path."""
    home = os.environ.get("HOME")
    if home is None or not os.path.isabs(home):
        try:
            import pwd

            home = pwd.getpwuid(os.getuid()).pw_dir
        except (ImportError, KeyError):
            return None
    return (home.rstrip("/") or "/") if os.path.isabs(home) else None


#: The longest emergency number hipguide shows ("112 (EU) / 999 (UK)" is 19 characters).
EMERGENCY_MAX = 40


def emergency_number(option: str | None = None) -> str | None:
    """The emergency number to show: the option, else ``$HIPGUIDE_EMERGENCY_NUMBER``.

    None means the dataset's own. Bytes that are not UTF-8 (kept by Python as
    surrogates) become U+FFFD, so the verdict prints whatever the terminal's encoding.
    A number that holds a control or format character (an escape sequence, a bidi
    control that would show the digits in another order, a zero-width space), or is
    longer than :data:`EMERGENCY_MAX` characters, is refused with a usage error rather
    than cut or cleaned: the number shown in an emergency must be exactly the one given.
    It is always shown as text, never read as markup.
    """
    given = (option or "").strip()
    source = "--emergency-number" if given else EMERGENCY_ENV
    number = given or _get(EMERGENCY_ENV)
    if not number:
        return None
    number = number.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    from hipguide.untrusted import describe_character, quote, unsafe_character

    character = unsafe_character(number)
    if character is not None or len(number) > EMERGENCY_MAX:
        from hipguide.errors import UsageError

        problem = (
            f"holds {describe_character(character)}"
            if character is not None
            else f"is longer than {EMERGENCY_MAX} characters"
        )
        raise UsageError(
            f"The emergency number {quote(number, EMERGENCY_MAX)} ({source}) {problem}.",
            f"Give it as digits and plain text, such as {source}=112.",
        )
    return number


def debug() -> bool:
    """Whether ``$HIPGUIDE_DEBUG`` asks for tracebacks."""
    return _get(DEBUG_ENV) not in ("", "0")


def pictures() -> str:
    """``$HIPGUIDE_PICTURES`` (a picture mode), or "" for the default."""
    return _get(PICTURES_ENV).lower()


def no_color() -> bool:
    """Whether ``NO_COLOR`` is set to anything (https://no-color.org)."""
    return bool(os.environ.get("NO_COLOR"))


#: The sizes a terminal's ``COLUMNS`` and ``LINES`` may give: outside them (0, a million)
#: no terminal is that size, and Rich would lay the output out for it as told (at 0
#: columns it prints nothing at all, the verdict included).
TERMINAL_SIZES = {"COLUMNS": (20, 500), "LINES": (5, 500), "TERMINAL_WIDTH": (20, 500)}


def tidy_environment() -> None:
    """The environment made fit for laying output out, first thing: put ``COLUMNS``,
    ``LINES`` and ``TERMINAL_WIDTH`` (Typer's width for help, which
    it reads with ``int()`` as it is imported) inside :data:`TERMINAL_SIZES` before
    anything reads them: a size beyond a limit becomes the limit, and one that is no
    whole number above 0 (``0``, ``-5``, ``wide``) is dropped, so the terminal's own
    size (or 80 columns off a terminal) is used instead.

    With ``NO_COLOR``, Typer is also told to draw help and usage errors as for a file
    (``_TYPER_FORCE_DISABLE_TERMINAL``, read as it is imported): Rich would drop only
    their colours and keep bold and dim, and hipguide's own output has no escape codes
    at all then. The CLI calls this first thing."""
    if no_color():
        os.environ["_TYPER_FORCE_DISABLE_TERMINAL"] = "1"
    for name, (low, high) in TERMINAL_SIZES.items():
        text = os.environ.get(name)
        if text is None:
            continue
        digits = text.strip()
        if not (digits.isascii() and digits.isdigit()) or not digits.strip("0"):
            del os.environ[name]
            continue
        size = high if len(digits) > 6 else min(max(int(digits), low), high)
        if str(size) != text:
            os.environ[name] = str(size)


def dumb_terminal() -> bool:
    """Whether ``TERM`` says the terminal cannot move the cursor or draw colour."""
    return os.environ.get("TERM", "") == "dumb"


def term() -> str:
    """``$TERM`` as it is."""
    return os.environ.get("TERM", "")


def term_program() -> str:
    """``$TERM_PROGRAM`` as it is (set by iTerm2, WezTerm, Apple Terminal...)."""
    return os.environ.get("TERM_PROGRAM", "")


def environ_has(name: str) -> bool:
    """Whether the environment sets ``name`` (for terminal detection, e.g. KITTY_WINDOW_ID)."""
    return name in os.environ


def local_timezone_name() -> str | None:
    """The IANA name of the local time zone (``Europe/London``), or None when it cannot
    be found or is not a zone this Python knows.

    tzlocal reads it the way each platform keeps it: ``$TZ``, the ``/etc/localtime`` link,
    ``/etc/timezone`` and the like on Linux and macOS, the registry on Windows. Imported
    only here (``hipguide remind``).
    """
    import warnings
    from contextlib import suppress
    from zoneinfo import ZoneInfo

    try:
        import tzlocal

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a mismatch between two sources is not ours
            with suppress(Exception):  # read afresh: $TZ may have changed since
                tzlocal.reload_localzone()
            name = tzlocal.get_localzone_name()
        if not name:
            return None
        ZoneInfo(name)
    except Exception:  # any failure means the same: not found
        return None
    return str(name)
