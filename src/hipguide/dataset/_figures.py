"""The figures of a dataset: the SVG files in its ``figures`` folder.

A point's ``figure.view`` names one of them by file stem, so a new figure is a new
file, not new code. The loader reads only what it checks: that each file is a small,
regular file holding a drawing and nothing else, and its ``viewBox`` (the room a
position must lie in). See ``docs/figures.md`` for the layout of a figure.

A figure goes inline into the card's HTML and into ``points --picture`` files, so it
is checked as text first, the way an HTML page would read it as well as an SVG viewer:
drawing elements only (no script, picture, animation or foreign content), no event
handler, no link or ``url(...)`` out of the file, no declaration or processing
instruction (a DOCTYPE's entities could expand to gigabytes when drawn). Only then is
it parsed, to check that it is well-formed XML, which the renderer needs.
"""

from __future__ import annotations

import os
import stat

# Listed by the package itself, which lists them on every load.
from hipguide.dataset import FIGURES as FOLDER
from hipguide.dataset import figure_names

__all__ = ["FOLDER", "figure_names", "is_stem", "read_figures"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from pathlib import PurePath

    from hipguide.errors import DataError

#: A figure's file stem: lower-case letters, digits and hyphens (``body-back``).
#: (Patterns are compiled when first used: a cached dataset never needs them.)
STEM = r"[a-z0-9][a-z0-9-]{0,40}"
#: No figure comes near this; a larger file is a mistake, not a drawing.
MAX_FIGURE_BYTES = 256_000
#: Control and format characters: a figure's words reach the terminal in captions.
_CONTROL = (
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e"
    r"\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)
#: The root element's viewBox, which must start at 0 0.
VIEWBOX = r'<svg\b[^>]*?\bviewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"'


#: The elements a figure may hold, in lower case: drawing only. Nothing that runs, shows
#: a picture, fetches, or changes the drawing once shown (an animation can set any
#: attribute, an event handler or a link among them).
_ELEMENTS = frozenset(
    (
        "svg", "g", "defs", "symbol", "use", "title", "desc", "style",
        "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "textpath", "lineargradient", "radialgradient", "stop",
        "clippath", "mask", "pattern", "marker",
    )
)  # fmt: skip
#: The namespaces a figure may declare: SVG's own, and XLink's for ``xlink:href``.
_NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")
#: Where markup starts: a tag, a comment, a declaration or a processing instruction.
_MARKUP = r"<([/!?]?)([^\s/>]*)"
# The patterns below are searched in the lower-cased text, and each starts with its
# literal word, which the regular expression engine finds fast; what must not stand
# before that word is checked after it.
#: An attribute named ``on...``: an event handler, wherever it stands (an HTML page
#: reads ``<svg/onload=...>`` and ``x="1"onclick=...`` as handlers too).
_HANDLER = r"on(?<![\w.:-]on)[\w.:-]*\s*="
#: A link or ``url(...)``, with the first character it points to (``#``: inside the file).
_LINKS = (r"href\s*=\s*(['\"]?)\s*([^'\"\s)]?)", r"url\(\s*(['\"]?)\s*([^'\"\s)]?)")
#: An address that runs or embeds something, anywhere in the file.
_SCHEMES = tuple(rf"{word}(?<![\w.+-]{word})\s*:" for word in ("javascript", "vbscript", "data"))
#: A namespace declaration, with its name in one of three groups (by its quotes).
_NAMESPACE = r"xmlns(?::[\w.-]+)?\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]*))"
#: An ``&``: a character reference, one of XML's five entities, or something else.
_REFERENCE = r"&(?:#(x?)([0-9a-f]{1,8});|(?:amp|lt|gt|quot|apos);)?"
#: Text a figure may not hold: an import or image in a stylesheet, or a backslash (a
#: CSS escape could spell either out of sight).
_FORBIDDEN_TEXT = ("@import", "image-set(", "\\")


def _forbidden(text: str) -> str | None:
    """What is wrong with a figure's text, if anything: markup other than drawing, an
    event handler, a link out of the file, a declaration (entities above all: they
    could expand to gigabytes when drawn). Every pattern is linear in the text, and
    nothing is expanded: this runs before any XML parser sees the file."""
    import re

    root_seen = False
    for markup in re.finditer(_MARKUP, text):
        kind, name, shown = markup[1], markup[2].lower(), markup[0][:40]
        if kind == "!":
            if not name.startswith("--"):
                return f"a figure may not hold a declaration such as DOCTYPE or ENTITY ({shown!r})"
        elif kind == "?":
            if markup.start() != 0 or name != "xml":
                return f"a figure may not hold a processing instruction ({shown!r})"
        elif name not in _ELEMENTS:
            return f"a figure holds only drawing, not {shown!r}"
        elif not root_seen and not kind:
            if markup[2] != "svg":  # as written: a root <SVG> is no SVG
                return f"a figure's first element is <svg>, not {shown!r}"
            root_seen = True
    lower = text.lower()
    # As written, where lower-casing kept every character in its place.
    source = text if len(lower) == len(text) else lower
    handler = re.search(_HANDLER, lower)
    if handler:
        attribute = source[handler.start() : handler.end()].rstrip("= \t\r\n")
        return f"a figure holds only drawing, not the event handler {attribute[:40]!r}"
    for pattern in _LINKS:
        for link in re.finditer(pattern, lower):
            if link[2] != "#":
                return f"a figure holds only drawing, not {link[0].strip()[:40]!r}"
    for pattern in _SCHEMES:
        scheme = re.search(pattern, lower)
        if scheme:
            return f"a figure holds only drawing, not the address {scheme[0][:40]!r}"
    for found in re.finditer(_NAMESPACE, text):
        uri = next(part for part in found.groups() if part is not None)
        if uri not in _NAMESPACES:
            return f"a figure declares only the SVG and XLink namespaces, not {uri[:60]!r}"
    for reference in re.finditer(_REFERENCE, lower):
        problem = _bad_reference(reference)
        if problem:
            return problem
    for piece in _FORBIDDEN_TEXT:
        if piece in lower:
            return f"a figure holds only drawing, not {piece!r}"
    return _at_rule(lower)


def _at_rule(lower: str) -> str | None:
    """Whether a stylesheet of the figure holds an @-rule: the card scopes a figure's
    rules to the figure, which it can do only to plain rules. Each part of the text is
    looked at once, however many ``<style>`` tags it holds."""
    start = lower.find("<style")
    while start != -1:
        end = lower.find("</style", start)
        if "@" in lower[start : len(lower) if end == -1 else end]:
            return "a figure's stylesheet holds plain rules only, not an @-rule"
        start = -1 if end == -1 else lower.find("<style", end)
    return None


def _bad_reference(reference: re.Match[str]) -> str | None:
    """What is wrong with one ``&`` of a figure, if anything: only XML's own five
    entities and character references are known without a declaration, and a
    character reference may not spell a control or format character."""
    import re

    if reference[0] == "&":
        shown = reference.string[reference.start() : reference.start() + 12].split("<")[0]
        return f"{shown!r}: a figure names no entities but &amp; &lt; &gt; &quot; &apos;"
    if reference[2] is None:
        return None
    hexadecimal = bool(reference[1])
    if not hexadecimal and not reference[2].isdecimal():
        return f"{reference[0]!r} is not a character reference"
    code = int(reference[2], 16 if hexadecimal else 10)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or re.match(_CONTROL, chr(code)):
        return f"control or format character {reference[0]!r} is not allowed"
    return None


def _malformed(text: str) -> str | None:
    """Why a figure is not well-formed XML (which the renderer needs), if it is not.
    Called only once :func:`_forbidden` found no declaration: there is nothing for the
    parser to expand."""
    import pyexpat

    parser = pyexpat.ParserCreate("UTF-8", " ")  # namespaces on: a prefix must be bound
    try:
        parser.Parse(text.encode("utf-8"), True)
    except pyexpat.ExpatError as error:
        return f"line {error.lineno}: not well-formed XML ({pyexpat.ErrorString(error.code)})"
    return None


def _problem(text: str) -> str | None:
    """The first thing wrong with a figure's text, checked as text, if any."""
    import re

    control = re.search(_CONTROL, text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        return f"line {line}: control or format character {control[0]!r} is not allowed"
    return _forbidden(text)


def is_stem(name: str) -> bool:
    """Whether ``name`` is a possible figure name (no path, no dots)."""
    import re

    return re.fullmatch(STEM, name) is not None


def _fail(name: str, problem: str) -> DataError:
    from hipguide.dataset._yaml import HINT
    from hipguide.errors import DataError

    return DataError(f"{FOLDER}/{name}: {problem}.", HINT)


def read_figures(folder: str | PurePath) -> dict[str, tuple[float, float]]:
    """Every figure of the dataset in ``folder``: file stem -> (width, height) of its
    viewBox. DataError for a file that is not a figure the renderer can draw safely."""
    import re

    boxes: dict[str, tuple[float, float]] = {}
    for name in figure_names(folder):
        stem = name.removesuffix(".svg")
        if not is_stem(stem):
            raise _fail(name, "a figure's name is lower-case letters, digits and hyphens")
        path = os.path.join(folder, FOLDER, name)
        try:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode):
                raise _fail(name, "not a regular file")
            if info.st_size > MAX_FIGURE_BYTES:
                raise _fail(
                    name, f"{info.st_size:,} bytes is too large for a figure "
                    f"(limit {MAX_FIGURE_BYTES:,})"
                )  # fmt: skip
            with open(path, "rb") as handle:  # no more than the limit, should it grow
                content = handle.read(MAX_FIGURE_BYTES + 1)
            if len(content) > MAX_FIGURE_BYTES:
                raise _fail(name, f"too large for a figure (limit {MAX_FIGURE_BYTES:,} bytes)")
            text = content.decode("utf-8")
        except OSError as error:
            raise _fail(name, f"cannot be read ({error.strerror or error})") from None
        except UnicodeDecodeError:
            raise _fail(name, "not UTF-8 text") from None
        problem = _problem(text)
        if problem:
            raise _fail(name, problem)
        box = re.search(VIEWBOX, text[:2000])
        if box is None:
            raise _fail(name, 'its <svg> element needs a viewBox="0 0 WIDTH HEIGHT"')
        width, height = float(box[1]), float(box[2])
        if not (0 < width <= 10_000 and 0 < height <= 10_000):
            raise _fail(name, "its viewBox must be between 1 and 10000 units each way")
        malformed = _malformed(text)
        if malformed:
            raise _fail(name, malformed)
        boxes[stem] = (width, height)
    return boxes
