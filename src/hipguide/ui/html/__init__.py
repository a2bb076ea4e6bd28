"""Printable pages: the routine card and the report for a clinician, from the Jinja2
templates in ``hipguide/ui/templates``, and where they are written.

Every text from the data and the history reaches the page through Jinja2's
autoescaping; only the figures' SVG (drawn from the shipped figures, the point's code
escaped) and the chart's numbers go in as markup. Jinja2 is imported only here, inside
the functions that draw a page.

Every file hipguide writes (a page, the calendar, a point's picture) goes through
:func:`write_file` or :func:`create_private`: readable by its owner alone (0600) whatever
the umask, never written into a named pipe, a device, a socket or a folder, never through
a symbolic link, and an existing regular file replaced only with ``--force``.
"""

from __future__ import annotations

import os
import stat
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hipguide.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from jinja2 import Environment

    from hipguide.dataset import Dataset
    from hipguide.flows.card import CardOutcome
    from hipguide.flows.report import ReportOutcome

#: ``--out -``: write the page to standard output.
STDOUT = "-"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@cache
def environment() -> Environment:
    """The templates' environment: autoescape on for every template, and an undefined
    name is an error rather than an empty string."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: str, **context: Any) -> str:
    """One template drawn with ``context`` (and the sentences of :mod:`hipguide.ui.text`
    as ``t``, the page's stylesheet as ``css``)."""
    from markupsafe import Markup

    from hipguide.ui import text

    env = environment()
    # The stylesheet is shipped with the templates, never read from the data.
    css = Markup((TEMPLATES / "page.css").read_text(encoding="utf-8"))
    return env.get_template(template).render(t=text, css=css, **context)


def card_page(
    outcome: CardOutcome, dataset: Dataset, number: str | None, *, name: str | None = None
) -> str:
    """The routine card of ``outcome`` (a planned card) as one HTML page."""
    from hipguide.ui.html._card import card_context

    return render("card.html", **card_context(outcome, dataset, number, name))


def report_page(
    outcome: ReportOutcome, dataset: Dataset, number: str | None, *, name: str | None = None
) -> str:
    """The report of ``outcome`` as one HTML page."""
    from hipguide.ui.html._report import report_context

    return render("report.html", **report_context(outcome, dataset, number, name))


# --- where a page goes ---------------------------------------------------------------------

#: The most characters ``--name`` may hold: a name fits on one line of the page.
NAME_LIMIT = 80
#: The most characters of a path an error message shows (its end: the file's name).
PATH_LIMIT = 80
#: What is found at a path, by the kind of its directory entry (links not followed).
_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NOCTTY = getattr(os, "O_NOCTTY", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
#: A new file: never one that exists already, never through a link, never a terminal.
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_NOCTTY | _O_BINARY | _O_CLOEXEC
#: Every file written is readable and writable by its owner alone, whatever the umask.
PRIVATE = 0o600


def check_name(name: str | None) -> None:
    """Refuse a ``--name`` that holds a control or format character (an escape sequence,
    a bidi control, a zero-width character) or is longer than :data:`NAME_LIMIT`."""
    if name is None:
        return
    from hipguide.untrusted import describe_character, unsafe_character

    character = unsafe_character(name)
    if character is not None:
        raise UsageError(
            f"--name holds {describe_character(character)}; a name on the page is plain text.",
            "Type the name without escape sequences or invisible characters, "
            "e.g. --name 'A. Smith'.",
        )
    if len(name) > NAME_LIMIT:
        raise UsageError(
            f"--name is {len(name)} characters long; at most {NAME_LIMIT} fit on the page.",
            "Give a shorter name, e.g. --name 'A. Smith'.",
        )
    if not name.strip():
        raise UsageError(
            "--name is empty; the page would print a blank name.",
            "Give a name, e.g. --name 'A. Smith', or leave --name out.",
        )


def shown_path(path: str | Path, limit: int | None = None) -> str:
    """``path`` fit to stand in a message: every control or format character escaped
    (see :func:`hipguide.untrusted.escape`), so it cannot act on the terminal; with
    ``limit``, cut to its last ``limit`` characters (the end names the file)."""
    from hipguide.untrusted import escape

    shown = escape(str(path))
    if limit is None or len(shown) <= limit:
        return shown
    return "..." + shown[len(shown) - limit + 3 :]


def found_at(path: Path) -> str | None:
    """What is at ``path`` itself, a link not followed: None for nothing, ``"a file"``
    for a regular file, else ``"a folder"``, ``"a symbolic link"``, ``"a named pipe"``,
    ``"a device"``, ``"a socket"`` or ``"something other than a file"``. Nothing is
    opened; OSError when the folders on the way cannot be searched."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except NotADirectoryError:  # a part of the path is a file: nothing can be there
        return None
    if stat.S_ISREG(mode):
        return "a file"
    for test, kind in _KINDS:
        if test(mode):
            return kind
    return "something other than a file"


def check_target(
    out: str,
    force: bool,
    *,
    option: str = "--out",
    example: str = "card.html",
    forceable: bool = True,
) -> None:
    """Refuse, before any question is asked, a file ``option`` may not write: an existing
    regular file unless ``force`` (and ``forceable``: the option has a ``--force``), and
    anything else that exists (a folder, a symbolic link, a named pipe, a device, a
    socket) even with it; a folder that does not exist. Nothing is opened."""
    if out == STDOUT:
        return
    if not out.strip():
        raise UsageError(f"{option} is empty.", f"Give {option} a file name, e.g. {example}.")
    path = Path(out)
    shown = shown_path(out, PATH_LIMIT)
    try:
        kind = found_at(path)
    except OSError as error:  # a folder on the way may not be read, the name is too long
        raise UsageError(f"{shown} cannot be written ({error.strerror or error}).") from None
    if kind == "a folder":
        raise UsageError(f"{shown} is a folder.", f"Give {option} a file name, e.g. {example}.")
    if kind == "a symbolic link":
        raise UsageError(
            f"{shown} is a symbolic link; it was left as it is, and so was what it points to.",
            f"Give {option} the name of a file that is not a link, e.g. {example}.",
        )
    if kind is not None and kind != "a file":
        wanted = "a new or regular file" if forceable else "a new file"
        raise UsageError(
            f"{shown} is {kind}, not a regular file; it was left as it is.",
            f"Give {option} the name of {wanted}, e.g. {example}.",
        )
    if kind == "a file" and not (force and forceable):
        raise _exists(shown, option, forceable)
    if not path.parent.is_dir():
        raise UsageError(
            f"The folder of {shown} does not exist.", f"Create it, or choose another {option}."
        )


def _exists(shown: str, option: str, forceable: bool) -> UsageError:
    hint = (
        f"Add --force to replace it, or choose another {option}."
        if forceable
        else f"Choose another file name for {option}, or remove that file first."
    )
    return UsageError(f"{shown} exists already and was left as it is.", hint)


def write_page(out: str, page: str, force: bool, *, example: str = "card.html") -> None:
    """Write ``page`` (UTF-8, as it declares) to the file ``out``, or to standard output
    for ``-``; see :func:`write_file`."""
    data = page.encode("utf-8")
    if out == STDOUT:
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            sys.stdout.write(page)
        else:
            stream.write(data)
        sys.stdout.flush()
        return
    write_file(out, data, force, example=example)


def write_file(
    out: str, data: bytes, force: bool, *, option: str = "--out", example: str = "card.html"
) -> None:
    """Write ``data`` to the file ``out``, readable by its owner alone (0600, whatever the
    umask). A new file is created, never through a link; an existing regular file is
    replaced whole, only with ``force``, by a new file renamed over it; anything else
    that exists (a folder, a link, a named pipe, a device, a socket) is refused and
    left as it is, as :func:`check_target` says. Every refusal is a UsageError."""
    check_target(out, force, option=option, example=example)
    path = Path(out)
    shown = shown_path(out, PATH_LIMIT)
    try:
        if found_at(path) is None:  # the check above found nothing, or a regular file
            create_private(path, data)
        else:
            _replace(path, data, lambda: check_target(out, force, option=option, example=example))
    except FileExistsError:  # it appeared meanwhile
        raise _exists(shown, option, True) from None
    except OSError as error:
        raise UsageError(f"{shown} could not be written ({error.strerror or error}).") from None


def create_private(path: Path, data: bytes) -> None:
    """A new file at ``path`` holding ``data``, mode 0600 whatever the umask. Anything
    already there (a file, a link, a named pipe, a device) is left alone and unopened:
    FileExistsError. A file left half written by an error is removed."""
    descriptor = os.open(path, _CREATE, PRIVATE)
    try:
        _fill(descriptor, data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _fill(descriptor: int, data: bytes) -> None:
    """Make the file private, write ``data`` into it and close it."""
    with os.fdopen(descriptor, "wb") as handle:
        if hasattr(os, "fchmod"):  # the umask may have taken the owner's bits too
            os.fchmod(handle.fileno(), PRIVATE)
        handle.write(data)


def _replace(path: Path, data: bytes, recheck: Callable[[], None]) -> None:
    """``data`` in place of the regular file ``path``: written to a new private file in
    the same folder, then renamed over it (so the old file's mode, links and contents
    go with it), after ``recheck`` has made sure it is still a regular file."""
    import tempfile

    descriptor, name = tempfile.mkstemp(prefix=".hipguide-", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        _fill(descriptor, data)
        recheck()
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
