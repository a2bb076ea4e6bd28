"""Headless Chromium for the tests that print pages: find it, print a page to PDF on
A4 or Letter, take a screenshot. Without a browser these tests are skipped, with the
reason; under ``CI=true`` a missing browser fails them instead."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: The page sizes a printed page must fit, as CSS names them.
SIZES = ("A4", "letter")


def browser() -> str:
    """The browser's path; skips the test (or fails it under CI) when there is none."""
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    reason = "no Chromium found (apt-get install chromium); the browser tests need one"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _run(args: list[str], workdir: Path) -> None:
    profile = workdir / "profile"
    profile.mkdir(exist_ok=True)
    subprocess.run(
        [browser(), *FLAGS, f"--user-data-dir={profile}", *args],
        check=True,
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def with_page_size(page: str, size: str) -> str:
    """The page with its paper size set, as a printer's dialog would set it."""
    return page.replace("</head>", f"<style>@page {{ size: {size}; }}</style>\n</head>", 1)


def drawn_at(page: str, scale: float) -> str:
    """The page drawn at ``scale`` instead of the scale it was made with (as its own
    ``zoom`` is written), to find how much larger it could be drawn."""
    import re

    unscaled = re.sub(r' style="zoom: [^"]*"', "", page, count=1)
    style = f' style="zoom: {scale:.3f}; width: calc(186mm / {scale:.3f})"'
    return re.sub(r'(<main class="page [^"]*"[^>]*)>', rf"\1{style}>", unscaled, count=1)


def print_pdf(page: str, size: str, workdir: Path) -> Path:
    """Print ``page`` (HTML text) to a PDF on paper of ``size``; return the PDF."""
    source = workdir / f"page-{size}.html"
    source.write_text(with_page_size(page, size), encoding="utf-8")
    pdf = workdir / f"page-{size}.pdf"
    _run([f"--print-to-pdf={pdf}", "--no-pdf-header-footer", source.as_uri()], workdir)
    assert pdf.is_file() and pdf.stat().st_size > 0
    return pdf


def screenshot(page: str, workdir: Path, width: int = 900, height: int = 1300) -> Path:
    """A screenshot of ``page`` in a window of ``width`` x ``height`` pixels."""
    source = workdir / "page-screen.html"
    source.write_text(page, encoding="utf-8")
    png = workdir / "page.png"
    _run([f"--screenshot={png}", f"--window-size={width},{height}", source.as_uri()], workdir)
    assert png.is_file()
    return png


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF, with every run of white space made one space."""
    from pypdf import PdfReader

    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages]
