"""The consoles every command prints through, and the one way JSON reaches stdout.

Output never fails on the way to the person (DESIGN.md section 6):

- **Encoding.** On a stream whose encoding cannot carry every character (``LANG`` with
  latin-1, ``PYTHONIOENCODING=ascii``), what it cannot carry is transliterated by the
  ``hipguide-transliterate`` error handler: pinyin loses its tone marks (``Huántiào``
  becomes ``Huantiao``), dashes, quotes and line drawing become their ASCII look-alikes,
  and the rest (hanzi) becomes ``?``, as wide as the character it stands for, so tables
  stay aligned. JSON carries such characters as ``\\u`` escapes instead, which loses
  nothing.
- **A device that cannot take the output** (``> /dev/full``, a disk quota): the first
  failed write is remembered (:func:`output_failure`), the rest of the output is dropped
  and the command goes on to its end, so that the CLI can say so in one line on stderr
  and still end with a verdict's exit code. A reader that has gone (a closed pipe) is
  not this: it ends the command at once, as before.
"""

from __future__ import annotations

import contextlib
import os
import sys
from functools import cache
from typing import TYPE_CHECKING, Any, TextIO

from hipguide import config

if TYPE_CHECKING:
    from rich.console import Console

#: The codec error handler that writes what an encoding cannot carry as look-alikes.
TRANSLITERATE = "hipguide-transliterate"

#: The first failed write to stdout (other than to a closed pipe), with the stream it
#: failed on: a later run in the same process, on another stream, starts afresh.
_failure: list[tuple[Any, OSError]] = []


def _console_options() -> dict[str, Any]:
    """Plain output with NO_COLOR (no colour, bold or italic codes either), and the real
    width on a dumb terminal (Rich assumes 80 columns there)."""
    # No emoji codes: none are used, and the table of them costs start-up time.
    options: dict[str, Any] = {"highlight": False, "emoji": False}
    if config.no_color():
        options["color_system"] = None
    if config.dumb_terminal():
        import shutil

        size = shutil.get_terminal_size()
        options["width"], options["height"] = size.columns, size.lines
    return options


@cache
def _console_class() -> type[Console]:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # Rich would exit 1 here; the CLI ends quietly with the command's own code.
            self.quiet = True
            raise BrokenPipeError

    return _Console


def stdout_console() -> Console:
    """The console for results: colour only on a terminal and never with NO_COLOR."""
    return _console_class()(file=output_stream(sys.stdout), **_console_options())


def stderr_console() -> Console:
    """The console for messages and warnings, with the same rules as stdout's."""
    return _console_class()(
        stderr=True, file=output_stream(sys.stderr, stdout=False), **_console_options()
    )


def print_json(document: Any) -> None:
    """Write one JSON document on stdout, and nothing else."""
    from hipguide.ui.json import dumps

    print_json_text(dumps(document))


def print_json_text(text: str) -> None:
    """Write one JSON document, already made into ``text``, on stdout, and nothing else."""
    stream = output_stream(sys.stdout)
    if stream is None:  # stdout closed: there is nowhere to write
        return
    stream.write(json_for(text, stream.encoding))
    stream.flush()


def json_for(text: str, encoding: str | None) -> str:
    """JSON ``text`` with every character ``encoding`` cannot carry written as a ``\\u``
    escape (JSON's own), so the document reads back the same."""
    if _carries(encoding or "utf-8", text):
        return text
    import json

    return "".join(
        ch if ch.isascii() or _carries(encoding or "ascii", ch) else json.dumps(ch)[1:-1]
        for ch in text
    )


def output_failure() -> OSError | None:
    """The first write to stdout that failed (other than to a closed pipe), if any."""
    return _failed_on(sys.stdout)


def finish_output() -> OSError | None:
    """Flush stdout, and say whether any output was lost: the first failed write."""
    stream = sys.stdout
    if stream is not None and _failed_on(stream) is None:
        try:
            stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            _failed(stream, error)
    return output_failure()


# --- writing what the stream can carry ----------------------------------------------------


class OutputStream:
    """A text stream for a console: what its encoding cannot carry is transliterated, and
    a device that cannot take the output is remembered rather than raised (on stderr it
    is only dropped: there is nowhere left to say it)."""

    def __init__(self, stream: TextIO, *, stdout: bool = True) -> None:
        self._stream = stream
        self._stdout = stdout
        self._dropped = False

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        if self._dropped or (self._stdout and _failed_on(self._stream)):
            return len(text)
        try:
            return self._stream.write(text)
        except UnicodeEncodeError:  # an error handler the stream does not let us set
            return self._write_encodable(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            self._drop(error)
            return len(text)

    def flush(self) -> None:
        if self._dropped or (self._stdout and _failed_on(self._stream)):
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            self._drop(error)

    def isatty(self) -> bool:
        try:
            return bool(self._stream.isatty())
        except (AttributeError, ValueError):
            return False

    def fileno(self) -> int:
        return self._stream.fileno()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def _write_encodable(self, text: str) -> int:
        """Write ``text`` as the encoding can carry it, on a stream whose error handler
        could not be set."""
        encoding = self.encoding
        _register()
        safe = text.encode("ascii", "replace").decode("ascii")
        for errors in (TRANSLITERATE, "replace"):
            try:
                safe = text.encode(encoding, errors).decode(encoding)
                break
            except (UnicodeError, LookupError):
                continue
        try:
            self._stream.write(safe)
        except BrokenPipeError:
            raise
        except OSError as error:
            self._drop(error)
        except UnicodeError:
            pass  # not even the replacement fits: drop the text rather than fail
        return len(text)

    def _drop(self, error: OSError) -> None:
        if self._stdout:
            _failed(self._stream, error)
        else:
            self._dropped = True


def output_stream(stream: TextIO | None, *, stdout: bool = True) -> Any:
    """``stream`` as a console should write to it: transliterating what its encoding
    cannot carry (see :data:`TRANSLITERATE`), and not failing on a full device. None
    (a closed stream) stays None: Rich then writes nowhere."""
    if stream is None:
        return None
    _transliterate_on(stream)
    return OutputStream(stream, stdout=stdout)


def transliterate_streams() -> None:
    """Make stdout and stderr write look-alikes for what their encoding cannot carry, for
    everything that prints on them (help texts included)."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            _transliterate_on(stream)


def _transliterate_on(stream: TextIO) -> None:
    """Make a text stream whose encoding is not UTF write look-alikes for what it cannot
    carry (a UTF one carries everything)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    if _is_utf(encoding) or getattr(stream, "errors", None) == TRANSLITERATE:
        return
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return
    _register()
    with contextlib.suppress(OSError, ValueError):  # a stream that cannot change
        reconfigure(errors=TRANSLITERATE)


def _failed_on(stream: Any) -> OSError | None:
    if _failure and _failure[0][0] is stream:
        return _failure[0][1]
    return None


def _failed(stream: Any, error: OSError) -> None:
    """Remember the first failed write, and point the stream's file at the null device so
    that what is still buffered cannot fail again when Python exits."""
    if _failed_on(stream) is None:
        _failure[:] = [(stream, error)]
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, stream.fileno())
        finally:
            os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def _is_utf(encoding: str) -> bool:
    import codecs

    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def _carries(encoding: str, text: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


# --- look-alikes --------------------------------------------------------------------------

#: Characters with a plain look-alike (the rest: see :func:`look_alike`).
LOOK_ALIKES = {
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u2026": "...",
    "\u00b7": "-",
    "\u2022": "*",
    "\u2023": "*",
    "\u2219": "*",
    "\u25cf": "*",
    "\u25cb": "o",
    "\u25e6": "o",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2191": "^",
    "\u2193": "v",
    "\u00d7": "x",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u00b1": "+/-",
    "\u00b0": " deg",
    "\u00a0": " ",
    "\u2713": "v",
    "\u2717": "x",
}


def look_alike(character: str, encoding: str = "ascii") -> str:
    """What to write for ``character`` where ``encoding`` cannot carry it: a plain
    look-alike, the letter without its accent or tone mark, or ``?`` as wide as the
    character (nothing for one of no width)."""
    import unicodedata

    found = LOOK_ALIKES.get(character)
    if found is not None:
        return found
    code = ord(character)
    if 0x2500 <= code <= 0x257F:  # box drawing: a line across, a line down, or a joint
        words = set(unicodedata.name(character, "").split())
        across = "HORIZONTAL" in words or bool(words & {"LEFT", "RIGHT"})
        down = "VERTICAL" in words or bool(words & {"UP", "DOWN"})
        return "-" if across and not down else "|" if down and not across else "+"
    if 0x2580 <= code <= 0x259F:  # block elements (pictures)
        return "#"
    if 0x2800 <= code <= 0x28FF:  # braille (pictures)
        return " " if code == 0x2800 else "."
    if unicodedata.category(character) in ("Mn", "Me", "Cf") or character == "\u200b":
        return ""  # combining marks and zero-width characters take no room
    bare = "".join(
        c for c in unicodedata.normalize("NFKD", character) if not unicodedata.combining(c)
    )
    if bare and bare != character and _carries(encoding, bare):
        return bare
    return "?" * (2 if unicodedata.east_asian_width(character) in ("W", "F") else 1)


def _transliterate(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    return "".join(look_alike(ch, error.encoding) for ch in text), error.end


@cache
def _register() -> None:
    import codecs

    codecs.register_error(TRANSLITERATE, _transliterate)
