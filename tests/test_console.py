"""The consoles' output path: look-alikes for what an encoding cannot carry, JSON that
reads back the same, and a device that cannot take the output (DESIGN.md section 6)."""

from __future__ import annotations

import errno
import io
import json
import sys
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from hipguide.ui import console as module
from hipguide.ui.console import json_for, look_alike, output_failure, output_stream


@pytest.mark.parametrize(
    ("character", "shown"),
    [
        ("á", "a"),
        ("ǎ", "a"),
        ("ī", "i"),
        ("ü", "u"),
        ("Ǜ", "U"),
        ("—", "-"),
        ("’", "'"),
        ("“", '"'),
        ("·", "-"),
        ("━", "-"),
        ("╸", "-"),
        ("│", "|"),
        ("╷", "|"),
        ("┼", "+"),
        ("╭", "+"),
        ("●", "*"),
        ("→", "->"),
        ("▀", "#"),
        ("⣿", "."),
        ("\u2800", " "),
        ("\u200b", ""),
        ("\u0301", ""),
        ("环", "??"),
        ("環", "??"),
        ("\U0001f600", "??"),
        ("\udcff", "?"),
    ],
)
def test_look_alikes(character: str, shown: str) -> None:
    assert look_alike(character) == shown
    assert shown.isascii()


def test_a_letter_the_encoding_has_is_kept_by_it() -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    out = output_stream(stream)
    out.write("Huántiào Jūliáo 环跳")
    out.flush()
    assert stream.buffer.getvalue().decode("latin-1") == "Huántiào Juliáo ????"  # type: ignore[attr-defined]


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp437", "cp1252"])
def test_a_table_with_hanzi_stays_aligned_on_a_narrow_encoding(encoding: str) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding)
    console = Console(file=output_stream(stream), width=60, color_system=None)
    table = Table("Code", "Pinyin", "Hanzi", "English")
    table.add_row("GB30", "Huántiào", "环跳", "Jumping Circle")
    table.add_row("ST36", "Zúsānlǐ", "足三里", "Leg Three Miles")
    console.print(table)
    stream.flush()
    lines = raw.getvalue().decode(encoding).splitlines()
    assert len({cell_len(line) for line in lines}) == 1, lines  # every border lines up
    assert "Zusanli" in "".join(lines) or "Zúsanli" in "".join(lines)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "utf-8"])
def test_json_reads_back_the_same_in_any_encoding(encoding: str) -> None:
    document = {"pinyin": "Huántiào", "hanzi": "环跳", "emoji": "\U0001f600", "q": '"\\'}
    text = json_for(json.dumps(document, ensure_ascii=False), encoding)
    text.encode(encoding)
    assert json.loads(text) == document


class FullDevice(io.StringIO):
    """A stream whose writes fail the way ``/dev/full`` does (or a closed pipe's)."""

    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error
        self.attempts = 0

    def write(self, text: str) -> int:
        self.attempts += 1
        raise self.error

    def flush(self) -> None:
        raise self.error


def test_a_full_device_is_remembered_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    full = FullDevice(OSError(errno.ENOSPC, "No space left on device"))
    monkeypatch.setattr(sys, "stdout", full)
    assert output_failure() is None
    out = output_stream(full)
    assert out.write("the verdict\n") == len("the verdict\n")
    out.write("more\n")
    out.flush()
    assert full.attempts == 1  # after the first failure, the rest is dropped
    failure = output_failure()
    assert failure is not None and failure.errno == errno.ENOSPC


def test_a_failure_on_another_stream_is_not_this_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    full = FullDevice(OSError(errno.ENOSPC, "No space left on device"))
    output_stream(full).write("lost")
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert output_failure() is None


def test_a_closed_pipe_still_ends_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    gone = FullDevice(BrokenPipeError(errno.EPIPE, "Broken pipe"))
    monkeypatch.setattr(sys, "stdout", gone)
    with pytest.raises(BrokenPipeError):
        output_stream(gone).write("x")
    assert output_failure() is None


def test_a_full_stderr_is_only_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    full = FullDevice(OSError(errno.ENOSPC, "No space left on device"))
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    out = output_stream(full, stdout=False)
    out.write("Error: something\n")
    out.flush()
    assert output_failure() is None


def test_finish_output_finds_a_buffered_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    class FailsOnFlush(io.StringIO):
        def flush(self) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

    stream = FailsOnFlush()
    monkeypatch.setattr(sys, "stdout", stream)
    stream.write("buffered by someone else")
    failure = module.finish_output()
    assert failure is not None and failure.errno == errno.ENOSPC


def test_a_closed_stdout_takes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    assert output_stream(None) is None
    module.print_json({"a": 1})  # nowhere to write, and no error
    assert module.finish_output() is None


def test_the_stream_answers_as_its_file_does() -> None:
    stream: Any = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    out = output_stream(stream)
    assert out.encoding == "ascii"
    assert out.isatty() is False
    assert out.errors == module.TRANSLITERATE
