"""Printable pages: the routine card and the report for a clinician, from the Jinja2
templates in ``hipguide/ui/templates``, and where they are written.

Every text from the data and the history reaches the page through Jinja2's
autoescaping; only the figures' SVG (drawn from the shipped figures, the point's code
escaped) and the chart's numbers go in as markup. Jinja2 is imported only here, inside
the functions that draw a page.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hipguide.errors import UsageError

if TYPE_CHECKING:
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


def check_target(out: str, force: bool) -> None:
    """Refuse, before any question is asked, an ``--out`` that cannot or may not be
    written: an existing file without ``--force``, a folder, a missing folder."""
    if out == STDOUT:
        return
    path = Path(out)
    if path.is_dir():
        raise UsageError(f"{out} is a folder.", "Give --out a file name, e.g. card.html.")
    if path.exists() and not force:
        raise UsageError(
            f"{out} exists already and was left as it is.",
            "Add --force to replace it, or choose another --out.",
        )
    if not path.parent.is_dir():
        raise UsageError(
            f"The folder of {out} does not exist.", "Create it, or choose another --out."
        )


def write_page(out: str, page: str, force: bool) -> None:
    """Write ``page`` (UTF-8, as it declares) to the file ``out``, or to standard output
    for ``-``. A file is written whole or not at all, and an existing one is replaced
    only with ``force``."""
    data = page.encode("utf-8")
    if out == STDOUT:
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:
            sys.stdout.write(page)
        else:
            stream.write(data)
        sys.stdout.flush()
        return
    path = Path(out)
    try:
        if force:
            _replace(path, data)
        else:
            _create(path, data)
    except FileExistsError:
        raise UsageError(
            f"{out} exists already and was left as it is.",
            "Add --force to replace it, or choose another --out.",
        ) from None
    except OSError as error:
        raise UsageError(f"{out} could not be written ({error.strerror or error}).") from None


def _create(path: Path, data: bytes) -> None:
    """A new file holding ``data``; one that exists is left alone (FileExistsError)."""
    with open(path, "xb") as handle:
        try:
            handle.write(data)
        except OSError:
            handle.close()
            path.unlink(missing_ok=True)
            raise


def _replace(path: Path, data: bytes) -> None:
    """``data`` in place of the file, swapped in whole once written."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "xb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
