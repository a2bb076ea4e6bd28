"""Reading outside files: size and file-kind limits, YAML and JSON with their limits,
and the answers-file reader built from them (DESIGN.md section 6).

Probes that would hang or eat memory if a limit broke run in a child process with a
memory ceiling and a timeout, so a regression fails the test instead of the machine.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipguide.config import shipped_data_dir
from hipguide.errors import DataError, ExitCode, UsageError
from hipguide.untrusted import (
    ANSWERS_LIMIT,
    UnsupportedValue,
    decode_text,
    escape,
    load_json_untrusted,
    load_yaml_untrusted,
    quote,
    read_answers,
    read_limited,
)

POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="POSIX file kinds and limits")

#: Nine levels of nine aliases: a few hundred bytes that expand to 9**9 strings.
BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{level}: &{level} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, level in zip("abcdefgh", "bcdefghi", strict=True)
)


def one_line(error: BaseException) -> str:
    text = str(error)
    assert "\n" not in text, text
    return text


def yaml_of(text: str, **options: Any) -> Any:
    return load_yaml_untrusted(text, name="test.yaml", **options)


def json_of(text: str, **options: Any) -> Any:
    return load_json_untrusted(text, name="test.json", **options)


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def run_limited(code: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh Python held to 512 MB of address space and ``timeout`` s."""
    script = textwrap.dedent(
        """
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (512 * 2**20, 512 * 2**20))
        """
    ) + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# --- showing values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain", "plain"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("a\nb\tc\r", "a\\nb\\tc\\r"),
        ("evil\u202etxt.exe", "evil\\u202etxt.exe"),  # a bidi override
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("lone \ud800", "lone \\ud800"),  # cannot be printed in any encoding
        ("héllo 足三里", "héllo 足三里"),
    ],
)
def test_escape_shows_control_and_format_characters(text: str, shown: str) -> None:
    assert escape(text) == shown


def test_quote_keeps_at_most_80_characters() -> None:
    assert quote("x" * 80) == "'" + "x" * 80 + "'"
    long = quote("y" * 5000)
    assert len(long) == 82  # 80 characters and the quotes
    assert long.endswith("...'")
    assert len(quote(list(range(1000)))) <= 80
    assert len(quote("\x1b" * 100)) <= 82  # counted after escaping


def test_an_unsupported_value_describes_itself_briefly() -> None:
    value = UnsupportedValue("a number too large", "9" * 5000)
    assert value.describe().startswith("a number too large ('999")
    assert len(value.describe()) < 120
    assert repr(value) == value.describe()
    assert UnsupportedValue("a date", "2024-01-01", 3) == UnsupportedValue("a date", "2024-01-01")


# --- read_limited -----------------------------------------------------------------------------


def test_reads_a_regular_file_up_to_its_limit(tmp_path: Path) -> None:
    path = write(tmp_path / "exact", b"x" * 100)
    assert read_limited(path, limit=100, what="Test file") == b"x" * 100


def test_a_file_over_the_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "big", b"x" * 101)
    reads: list[int] = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))

    with pytest.raises(UsageError) as caught:
        read_limited(path, limit=100, what="Test file")

    assert reads == []
    assert f"Test file {path} is 101 bytes, more than the limit of 100" in one_line(caught.value)
    assert caught.value.exit_code == ExitCode.USAGE


def test_a_file_that_grows_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "growing", b"x" * 500)
    real_fstat = os.fstat

    def fstat_before_growth(fd: int) -> os.stat_result:  # the size when it was opened
        info = list(real_fstat(fd))
        info[6] = 10
        return os.stat_result(info)

    monkeypatch.setattr(os, "fstat", fstat_before_growth)
    with pytest.raises(UsageError, match="grew past the limit of 100 bytes"):
        read_limited(path, limit=100, what="Test file")


@POSIX_ONLY
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_is_refused_at_once(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    with pytest.raises(UsageError) as caught:
        read_limited(device, limit=64 * 1024, what="Answers file")
    assert f"Answers file {device} is a device, not a regular file" in one_line(caught.value)


@POSIX_ONLY
def test_a_named_pipe_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.yaml"
    os.mkfifo(fifo)
    # Nobody ever writes to it: a reader that opened it the ordinary way would wait forever.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from hipguide.untrusted import read_answers\n"
            "from hipguide.errors import UsageError\n"
            "try:\n    read_answers(Path(sys.argv[1]))\n"
            "except UsageError as error:\n    print(error)",
            str(fifo),
        ],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "is a named pipe (FIFO), not a regular file" in result.stdout


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        read_limited(tmp_path, limit=100, what="Answers file")
    assert "is a folder" in one_line(caught.value)


@POSIX_ONLY
def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(UsageError) as caught:
            read_limited(path, limit=100, what="Answers file")
    assert str(path) in one_line(caught.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not found"):
        read_limited(tmp_path / "nope.yaml", limit=100, what="Answers file")


def test_the_error_class_and_hint_can_be_chosen(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        read_limited(
            write(tmp_path / "points.yaml", "x" * 20),
            limit=10,
            what="Dataset file",
            error=DataError,
            hint="Fix the file.",
        )
    assert caught.value.hint == "Fix the file."
    assert str(caught.value).startswith("Dataset file ")


def test_a_path_with_control_characters_is_shown_escaped(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        read_limited(tmp_path / "a\x1b[2Jb", limit=10, what="Answers file")
    assert "a\\x1b[2Jb" in one_line(caught.value)
    assert "\x1b" not in str(caught.value)


def test_non_utf8_bytes_name_the_line() -> None:
    with pytest.raises(UsageError, match=r"test.yaml, line 3: not UTF-8 text"):
        decode_text(b"a: b\nc: d\ne: caf\xe9\n", name="test.yaml")
    assert decode_text("\ufeffinjury: no".encode(), name="x") == "injury: no"


# --- YAML -------------------------------------------------------------------------------------


def test_plain_yaml_reads_as_the_safe_loader_reads_it() -> None:
    text = "a: 1\nb: [x, 'y', yes, off, ~, '', -7, 0x1F, 017, 1:30]\nc: {d: e}\nf: !!str 12\n"
    assert yaml_of(text) == yaml.safe_load(text)


def test_the_shipped_dataset_reads_as_the_safe_loader_reads_it() -> None:
    for path in sorted(shipped_data_dir().glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert yaml_of(text, aliases=100) == yaml.safe_load(text), path.name


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("injury: yes\ninjury: no\n", 2),
        ("injury: yes\nfever: no\n'injury': no\n", 3),
        ("outer:\n  a: 1\n  b: 2\n  a: 3\n", 4),
        ("{x: 1, x: 1}", 1),
    ],
)
def test_a_duplicate_key_is_an_error_naming_it_and_its_line(text: str, line: int) -> None:
    with pytest.raises(UsageError) as caught:
        yaml_of(text)
    message = one_line(caught.value)
    assert f"test.yaml, line {line}: duplicate key" in message
    assert "'injury'" in message or "'a'" in message or "'x'" in message


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("2024-01-01", "a date"),
        ("2024-01-01 10:30:00", "a date and time"),
        ("!!binary aGVsbG8=", "binary data"),
        ("!!set {a, b}", "a set"),
        ("!!omap [a: 1]", "an ordered mapping"),
        ("!custom 1", "a value tagged !custom"),
        (
            "!!python/object:os.system ls",
            "a value tagged tag:yaml.org,2002:python/object:os.system",
        ),
        ("1.5", "a decimal number"),
        ("9" * 19, "a number too large"),
        ("9" * 5000, "a number too large"),
        ("-0x" + "f" * 40, "a number too large"),
    ],
)
def test_values_that_are_not_plain_come_back_marked(text: str, kind: str) -> None:
    value = yaml_of(f"key: {text}\n")["key"]
    assert isinstance(value, UnsupportedValue)
    assert value.kind == kind
    assert len(value.describe()) <= len(kind) + 90


def test_numbers_within_the_limit_are_numbers() -> None:
    assert yaml_of(f"a: {'9' * 18}\nb: -{'9' * 18}\nc: 1_000\n") == {
        "a": 10**18 - 1,
        "b": -(10**18 - 1),
        "c": 1000,
    }


def test_floats_only_when_asked() -> None:
    assert yaml_of("a: 1.5\nb: -.inf\n", floats=True) == {"a": 1.5, "b": float("-inf")}


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_deep_flow_nesting_is_refused_without_recursion(depth: int) -> None:
    with pytest.raises(UsageError, match="line 1: nested more than 32 levels deep"):
        yaml_of("[" * depth + "]" * depth)
    with pytest.raises(UsageError, match="line 1: nested more than 32 levels deep"):
        yaml_of("{a: " * depth + "}" * depth)


@pytest.mark.parametrize("depth", [33, 1000])
def test_deep_block_nesting_is_refused_without_recursion(depth: int) -> None:
    text = "".join(" " * level + "a:\n" for level in range(depth + 1))
    with pytest.raises(UsageError, match="nested more than 32 levels deep"):
        yaml_of(text)


def test_nesting_up_to_the_limit_is_read() -> None:
    assert yaml_of("[" * 32 + "]" * 32) is not None


def test_aliases_are_refused_when_asked() -> None:
    with pytest.raises(UsageError, match=r"line 2: uses the YAML alias \*x; aliases are not"):
        yaml_of("a: &x yes\nb: *x\n")


def test_aliases_are_counted_when_allowed() -> None:
    uses = "".join(f"k{n}: *x\n" for n in range(5))
    assert yaml_of(f"a: &x 1\n{uses}", aliases=5)["k4"] == 1
    with pytest.raises(UsageError, match="more than 4 YAML aliases"):
        yaml_of(f"a: &x 1\n{uses}", aliases=4)


def test_billion_laughs_is_refused_in_process_too() -> None:
    with pytest.raises(UsageError, match="aliases expand to more than 10,000 values"):
        yaml_of(BILLION_LAUGHS, aliases=100)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: *nowhere\n", "names no anchor defined before it"),
        ("a: &x [1, *x]\n", "names no anchor defined before it"),  # refers to itself
        ("<<: {a: 1}\nb: 2\n", "merge keys"),
        ("? [a]\n: b\n", "a key must be plain text"),
        ("--- 1\n--- 2\n", "more than one YAML document"),
        ("a: !!int x\n", "is tagged !!int but is not a whole number"),
        ("a: !!bool maybe\n", "is tagged !!bool but is not true or false"),
        ("a: [1\n", "not valid YAML"),
        ("a: b\x07\n", "the character 0x07 is not allowed in YAML"),
    ],
)
def test_yaml_problems_are_one_line_errors(text: str, problem: str) -> None:
    with pytest.raises(UsageError) as caught:
        yaml_of(text, aliases=10)
    message = one_line(caught.value)
    assert message.startswith("test.yaml")
    assert problem in message


def test_control_characters_in_values_are_escaped_in_errors() -> None:
    with pytest.raises(UsageError) as caught:
        yaml_of('"\\e[2J\\u202e": 1\n"\\e[2J\\u202e": 2\n')
    message = one_line(caught.value)
    assert "\\x1b[2J\\u202e" in message
    assert "\x1b" not in message
    assert "\u202e" not in message


def test_the_error_class_is_the_callers() -> None:
    with pytest.raises(DataError):
        load_yaml_untrusted("a: 1\na: 2\n", name="points.yaml", error=DataError)


PLAIN = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**18) + 1, max_value=10**18 - 1)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PLAIN, st.sampled_from([None, False, True]))
def test_any_plain_document_reads_back_as_written(value: Any, flow: bool | None) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    assert yaml_of(text) == yaml.load(text, Loader=yaml.CSafeLoader)


# --- JSON -------------------------------------------------------------------------------------


def test_plain_json_reads_as_written() -> None:
    document = {"a": [1, "x", True, None, {"b": -3}], "c": "\u00e9"}
    assert json_of(json.dumps(document)) == document


def test_a_duplicate_json_key_is_an_error() -> None:
    with pytest.raises(UsageError) as caught:
        json_of('{"injury": "yes", "fever": "no", "injury": "no"}')
    assert "test.json: duplicate key 'injury'" in one_line(caught.value)


def test_a_duplicate_key_deep_inside_is_an_error_too() -> None:
    with pytest.raises(UsageError, match="duplicate key 'b'"):
        json_of('[{"a": {"b": 1, "b": 2}}]')


def test_huge_json_numbers_come_back_marked() -> None:
    document = json_of('{"a": ' + "9" * 5000 + ', "b": -' + "1" * 19 + ', "c": 1.5}')
    assert all(isinstance(value, UnsupportedValue) for value in document.values())
    assert document["a"].kind == "a number too large"
    assert document["c"].kind == "a decimal number"
    assert json_of('{"c": 1.5}', floats=True) == {"c": 1.5}


@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(word: str) -> None:
    with pytest.raises(UsageError, match=f"{word} is not a number JSON allows"):
        json_of(f'{{"a": {word}}}')


@pytest.mark.parametrize("depth", [33, 100_000])
def test_deep_json_is_refused_before_parsing(depth: int) -> None:
    with pytest.raises(UsageError, match="nested more than 32 levels deep"):
        json_of("[" * depth + "]" * depth)


def test_brackets_inside_json_strings_do_not_count_as_nesting() -> None:
    text = json.dumps({"a": "[" * 100, "b": '\\"{' * 100})
    assert json_of(text) == json.loads(text)


def test_json_syntax_errors_name_the_line() -> None:
    with pytest.raises(UsageError, match=r"test.json, line 3: not valid JSON"):
        json_of('{\n"a": 1,\n}')


@settings(max_examples=200, deadline=None)
@given(PLAIN)
def test_any_plain_json_document_reads_back_as_written(value: Any) -> None:
    assert json_of(json.dumps(value)) == value


# --- answers files ----------------------------------------------------------------------------


def test_answers_from_yaml_and_json(tmp_path: Path) -> None:
    from_yaml = read_answers(write(tmp_path / "a.yaml", "injury: no\nfever: 'unsure'\n"))
    from_json = read_answers(write(tmp_path / "a.JSON", '{"injury": false, "fever": "yes"}'))
    assert from_yaml == {"injury": False, "fever": "unsure"}
    assert from_json == {"injury": False, "fever": "yes"}
    assert read_answers(write(tmp_path / "empty.yaml", "")) == {}
    assert read_answers(write(tmp_path / "comment.yaml", "# nothing yet\n")) == {}


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("a.yaml", "injury: yes\ninjury: no\n"),
        ("a.yml", "injury: yes\nfever: no\ninjury: no\n"),
        ("a.json", '{"injury": "yes", "injury": "no"}'),
        ("a.txt", '{"injury": "yes", "injury": "no"}'),  # not .json: read as YAML
    ],
)
def test_a_later_no_never_undoes_an_earlier_yes(tmp_path: Path, name: str, body: str) -> None:
    path = write(tmp_path / name, body)
    with pytest.raises(UsageError) as caught:
        read_answers(path)
    message = one_line(caught.value)
    assert str(path) in message
    assert "duplicate key 'injury'" in message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("injury: 2024-01-01\n", "the answer to 'injury' must be yes, no or unsure, not a date"),
        ("injury: [yes]\n", "the answer to 'injury' must be yes, no or unsure, not a list"),
        ("injury: {a: b}\n", "not a mapping"),
        ("injury:\n", "not nothing"),
        ("injury: 5\n", "not a number (5)"),
        ("injury: " + "9" * 5000 + "\n", "not a number too large ('99999"),
        ("injury: !!binary aGVsbG8=\n", "not binary data"),
        ("- injury\n", "must map question ids to answers, not hold a list"),
        ("just text\n", "must map question ids to answers, not hold text ('just text')"),
        ("1: yes\n", "the key 1 is not a question id"),
        ("2024-01-01: yes\n", "the key a date ('2024-01-01') is not a question id"),
        ("a: &x yes\nb: *x\n", "line 2: uses the YAML alias *x"),
        ("[" * 40 + "]" * 40, "nested more than 32 levels deep"),
    ],
)
def test_wrong_answers_name_the_file_and_the_key(tmp_path: Path, body: str, expected: str) -> None:
    path = write(tmp_path / "answers.yaml", body)
    with pytest.raises(UsageError) as caught:
        read_answers(path)
    message = one_line(caught.value)
    assert message.startswith(f"Answers file {path}")
    assert expected in message
    assert len(message) < 400


def test_a_long_value_is_quoted_to_80_characters(tmp_path: Path) -> None:
    path = write(tmp_path / "answers.json", json.dumps({"injury": ["x" * 10_000]}))
    with pytest.raises(UsageError) as caught:
        read_answers(path)
    assert "x" * 81 not in str(caught.value)
    path = write(tmp_path / "answers.json", json.dumps({"k" * 10_000: 1}))
    with pytest.raises(UsageError) as caught:
        read_answers(path)
    assert "k" * 81 not in str(caught.value)


def test_control_characters_in_an_answer_file_key_are_shown_escaped(tmp_path: Path) -> None:
    path = write(tmp_path / "answers.yaml", '"inj\\e]0;owned\\aury": [1]\n')
    with pytest.raises(UsageError) as caught:
        read_answers(path)
    message = one_line(caught.value)
    assert "'inj\\x1b]0;owned\\x07ury'" in message
    assert "\x1b" not in message


def test_an_oversize_answers_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "answers.yaml", "# padding\n" * (ANSWERS_LIMIT // 10 + 1))
    with pytest.raises(UsageError, match=f"more than the limit of {ANSWERS_LIMIT:,}"):
        read_answers(path)
    assert read_answers(write(tmp_path / "fits.yaml", "#" * ANSWERS_LIMIT)) == {}


def test_a_non_utf8_answers_file_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "answers.yaml", b"injury: no\nfever: \xff\n")
    with pytest.raises(UsageError, match=r"line 2: not UTF-8 text"):
        read_answers(path)


@POSIX_ONLY
def test_dev_zero_as_answers_is_refused_at_once() -> None:
    with pytest.raises(UsageError, match="/dev/zero is a device"):
        read_answers(Path("/dev/zero"))


def test_a_folder_as_answers_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a folder"):
        read_answers(tmp_path)


# --- the probes that must not eat the machine -------------------------------------------------

needs_rlimit = pytest.mark.skipif(
    sys.platform != "linux", reason="RLIMIT_AS bounds memory this way on Linux"
)


@needs_rlimit
def test_the_memory_ceiling_is_real() -> None:
    result = run_limited("block = bytearray(600 * 2**20)\nprint('allocated')")
    assert result.returncode != 0
    assert "MemoryError" in result.stderr


@needs_rlimit
@pytest.mark.parametrize(
    "call",
    [
        "read_answers(path)",
        "load_yaml_untrusted(path.read_text(), name='data.yaml', aliases=100)",
        "load_yaml_untrusted(path.read_text(), name='data.yaml', aliases=10**9, alias_nodes=10**6)",
    ],
    ids=["answers", "dataset", "generous-limits"],
)
def test_billion_laughs_is_refused_fast_with_bounded_memory(tmp_path: Path, call: str) -> None:
    path = write(tmp_path / "laughs.yaml", BILLION_LAUGHS)
    assert path.stat().st_size < 512
    result = run_limited(
        f"""
        import sys
        from pathlib import Path
        from hipguide.errors import UsageError
        from hipguide.untrusted import load_yaml_untrusted, read_answers
        path = Path({str(path)!r})
        try:
            {call}
        except UsageError as error:
            print(error)
        else:
            sys.exit("accepted")
        """
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "alias" in result.stdout


@needs_rlimit
def test_a_full_size_flat_document_stays_within_memory(tmp_path: Path) -> None:
    """Two megabytes of tiny values: read event by event, not kept as a node tree."""
    path = write(tmp_path / "wide.yaml", "[" + "a," * 1_000_000 + "a]\n")
    result = run_limited(
        f"""
        from pathlib import Path
        from hipguide.untrusted import load_yaml_untrusted
        value = load_yaml_untrusted(Path({str(path)!r}).read_text(), name="wide.yaml")
        print(len(value))
        """,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "1000001"
