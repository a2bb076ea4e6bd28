"""Property-based fuzzing of every command: random command lines, answers, answer files
and damaged datasets must end with a documented exit code, never a traceback.

Run with ``-s`` to see how many cases each property ran (printed after the module).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from hipguide.cli import app
from hipguide.config import shipped_data_dir
from hipguide.dataset import FILES, load_dataset
from hipguide.store import FILE_NAME, Store

DOCUMENTED_EXITS = {0, 1, 2, 3, 4, 5, 130}
VERDICT_EXITS = {0, 3, 4, 5}
TIERS = {"emergency", "urgent", "soon", "self-care"}

_DATA = load_dataset(shipped_data_dir())
REGIONS = tuple(region.id for region in _DATA.regions)
QUESTION_IDS = [q.id for q in _DATA.triage.questions]
#: One "no" for every question, in order.
ALL_NO = ["no"] * len(QUESTION_IDS)
CONDITION_IDS = [c.id for c in _DATA.conditions]
AREA_IDS = ["outer", "front", "buttock", "leg", "lower-back"]
POINT_NAMES = sorted(
    {
        name
        for p in _DATA.points
        for name in (p.code, *p.aliases, p.pinyin, p.hanzi, p.english)
        if name
    }
)
ANSWER_WORDS = ["yes", "no", "unsure", "Y", "n", "NOT SURE", "not  sure", "?", "Yes "]

#: Cases run per property; printed when the module ends (visible with ``pytest -s``).
CASES: Counter[str] = Counter()


def fuzz(max_examples: int) -> settings:
    """Hypothesis settings for these properties: no deadline, a bounded number of cases."""
    return settings(
        deadline=None,
        max_examples=max_examples,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.fixture(scope="module", autouse=True)
def _report_case_counts() -> Iterator[None]:
    yield
    total = sum(CASES.values())
    detail = ", ".join(f"{name}={count}" for name, count in sorted(CASES.items()))
    print(f"\n[test_fuzz] {total} fuzz cases ran ({detail})")


# --- strategies ----------------------------------------------------------------------------

#: What a real argv can hold: any text but NUL, including undecodable bytes
#: (which Python hands over as surrogate escapes).
ARG_TEXT = st.text(alphabet=st.characters(exclude_characters="\x00"), max_size=40)
RAW_BYTES_ARG = st.binary(min_size=1, max_size=12).map(
    lambda raw: os.fsdecode(raw.replace(b"\x00", b"x"))
)
JUNK = st.one_of(
    ARG_TEXT,
    st.sampled_from(["", " ", "--", "-", "-1", "-0", "nan", "inf", "1e309", "=", "==", "-x"]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats().map(str),
    st.integers(min_value=300, max_value=5000).flatmap(
        lambda n: st.sampled_from(["x" * n, "环" * n, "-" * n, "9" * n])
    ),
    RAW_BYTES_ARG,
)


def _values(*valid: str) -> st.SearchStrategy[str]:
    """An option value: usually a valid one, often junk."""
    return st.one_of(st.sampled_from(valid), JUNK)


#: Emergency numbers without undecodable bytes: those are the known bug pinned below.
EMERGENCY_NUMBER = st.one_of(
    st.sampled_from(["112", "999", "911", "", "-1"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00")),
)
ANSWER_ITEM = st.one_of(
    st.builds(
        lambda key, value: f"{key}={value}",
        st.sampled_from(QUESTION_IDS),
        st.sampled_from(ANSWER_WORDS),
    ),
    st.builds(lambda key, value: f"{key}={value}", ARG_TEXT, ARG_TEXT),
    JUNK,
)
NUMBER = st.one_of(
    st.integers(min_value=-5, max_value=700).map(str),
    st.floats(min_value=-10, max_value=100).map(lambda f: f"{f:g}"),
)
#: Placeholders the test swaps for real files before running.
ANSWER_FILES = ["@all-no", "@junk", "@binary", "@folder", "@missing"]

FLAGS: dict[str, list[str]] = {
    "points": ["--json"],
    "check": ["--json", "--questions"],
    "routine": ["--json", "--quiet", "--accept-risk"],
    "conditions": ["--json"],
    "history": ["--json", "--csv", "--forget", "--yes", "-y"],
    "checkin": ["--json"],
    "remind": ["--force"],
}
#: Comma-separated lists of scores or days, well formed or not.
LISTS = st.lists(
    st.one_of(NUMBER, ARG_TEXT, st.sampled_from(["mon", "daily", "Friday"])), max_size=4
)
VALUED: dict[str, dict[str, st.SearchStrategy[str]]] = {
    "points": {
        "--condition": _values(*CONDITION_IDS),
        "-c": _values(*CONDITION_IDS),
        "--region": _values(*REGIONS),
        "-r": _values(*REGIONS),
    },
    "check": {
        "--answer": ANSWER_ITEM,
        "-a": ANSWER_ITEM,
        "--answers": st.sampled_from(ANSWER_FILES),
        "--emergency-number": EMERGENCY_NUMBER,
    },
    "routine": {
        "--area": _values(*AREA_IDS),
        "--side": _values("left", "right", "both"),
        "--condition": _values(*CONDITION_IDS),
        "--minutes": st.one_of(NUMBER, JUNK),
        "--press-seconds": st.one_of(NUMBER, JUNK),
        "--rest-seconds": st.one_of(NUMBER, JUNK),
        "--pain-before": st.one_of(NUMBER, JUNK),
        "--pain-after": st.one_of(NUMBER, JUNK),
        "--skip-area": _values(*REGIONS),
        "--skip-point": _values(*POINT_NAMES),
        "--answer": ANSWER_ITEM,
        "--answers": st.sampled_from(ANSWER_FILES),
        "--emergency-number": EMERGENCY_NUMBER,
    },
    "conditions": {},
    "history": {},
    "checkin": {
        "--peg": st.one_of(LISTS.map(",".join), JUNK),
        "--pgic": st.one_of(NUMBER, JUNK),
    },
    "remind": {
        "--days": st.one_of(LISTS.map(",".join), JUNK),
        "--at": st.one_of(st.sampled_from(["18:00", "7:5", "24:00", "12:60"]), JUNK),
        "--weeks": st.one_of(NUMBER, JUNK),
        "--timezone": st.one_of(st.sampled_from(["Europe/London", "Europe/Londn", "UTC"]), JUNK),
    },
}
#: Tokens every run gets right after the subcommand, so nothing waits or runs a real session.
ALWAYS = {
    "points": [],
    "check": ["--no-input"],
    "routine": ["--plan", "--no-input"],
    "conditions": [],
    "history": [],
    "checkin": ["--no-input"],
    "remind": ["--ics", "-"],  # the calendar goes to stdout, never into a file
}
POSITIONAL = {
    "points": _values(*POINT_NAMES),
    "conditions": _values(*CONDITION_IDS),
}


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """A subcommand, its fixed safety flags, then options and junk in random order."""
    command = draw(st.sampled_from(sorted(FLAGS)))
    args = [command, *ALWAYS[command]]
    if command in ("check", "routine") and draw(st.booleans()):
        args += ["--answers", "@all-no"]  # often reach a verdict and a plan
    if command == "routine" and draw(st.booleans()):
        args += ["--area", draw(st.sampled_from(AREA_IDS)), "--side", "left"]
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        kind = draw(st.sampled_from(["flag", "valued", "valued", "positional", "junk"]))
        if kind == "flag":
            args.append(draw(st.sampled_from(FLAGS[command])))
        elif kind == "valued" and VALUED[command]:
            option = draw(st.sampled_from(sorted(VALUED[command])))
            value = draw(VALUED[command][option])
            if draw(st.booleans()) or not option.startswith("--"):
                args += [option, value]
            else:
                args.append(f"{option}={value}")
        elif kind == "positional" and command in POSITIONAL:
            args.append(draw(POSITIONAL[command]))
        else:
            args.append(draw(JUNK))
    return args


# --- helpers ------------------------------------------------------------------------------


def run(args: list[str], env: dict[str, str] | None = None) -> Result:
    """Run the app in-process, catching what escapes (so it can be asserted on)."""
    return CliRunner().invoke(app, args, env=env, catch_exceptions=True)


def assert_clean_exit(result: Result, allowed: set[int]) -> None:
    """A documented exit code, no traceback, nothing but SystemExit escaping."""
    exception = result.exception
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    assert result.exit_code in allowed, (result.exit_code, result.output[-800:])
    assert result.exit_code != 70, result.output[-800:]
    assert "Traceback" not in result.output


def assert_quoted_briefly(line: str) -> None:
    """An error quotes at most 80 characters of any value (runs of one character show
    a long value that was not cut)."""
    assert not re.search(r"(.)\1{80}", line), line
    assert len(line) < 1200, line


def assert_history_opens() -> None:
    """The history, if any run created it, opens and lists sane rows."""
    home = Path(os.environ["HIPGUIDE_HOME"])
    if not (home / FILE_NAME).exists():
        return
    with Store.open(home) as store:
        for record in store.checks():
            assert record.tier in TIERS
        for session in store.sessions():
            assert session.pain_before is None or 0 <= session.pain_before <= 10


def write_answer_files(folder: Path) -> dict[str, str]:
    """The files behind the ``@name`` placeholders of :data:`ANSWER_FILES`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "all-no.yaml").write_text(
        "".join(f"{question}: 'no'\n" for question in QUESTION_IDS), encoding="utf-8"
    )
    (folder / "junk.yaml").write_text("injury: [no\n  - : :\n", encoding="utf-8")
    (folder / "binary.json").write_bytes(bytes(range(256)))
    (folder / "folder.yaml").mkdir(exist_ok=True)
    return {
        "@all-no": str(folder / "all-no.yaml"),
        "@junk": str(folder / "junk.yaml"),
        "@binary": str(folder / "binary.json"),
        "@folder": str(folder / "folder.yaml"),
        "@missing": str(folder / "missing.yaml"),
    }


def full_answers(draw_values: list[str]) -> list[str]:
    """``--answer`` items answering every question, one word each from ``draw_values``."""
    items: list[str] = []
    for question, word in zip(QUESTION_IDS, draw_values, strict=True):
        items += ["--answer", f"{question}={word}"]
    return items


# --- command lines ------------------------------------------------------------------------


@fuzz(300)
@given(args=command_lines())
@example(args=["routine", "--plan", "--no-input", "--minutes", "-1"])
@example(args=["points", "--", "--json"])
@example(args=["check", "--no-input", "--answers", "@binary", "--json"])
@example(
    args=[
        "routine",
        "--plan",
        "--no-input",
        "--answers",
        "@all-no",
        "--area",
        "leg",
        "--side",
        "both",
        "--minutes",
        "1",
        "--press-seconds",
        "600",
    ]
)
@example(args=["history", "--forget"])
@example(args=["history", "--json", "--csv"])
def test_any_command_line_ends_with_a_documented_exit_code(args: list[str], tmp_path: Path) -> None:
    CASES["command line"] += 1
    files = write_answer_files(tmp_path / "answers")
    real_args = [files.get(token, token) for token in args]
    result = run(real_args)
    assert_clean_exit(result, DOCUMENTED_EXITS)
    if args[0] in ("check", "routine"):
        assert_history_opens()


# --- points queries -----------------------------------------------------------------------


@st.composite
def near_names(draw: st.DrawFn) -> str:
    """A real name, code or alias with a random edit: a typo, a case change, a space."""
    name = draw(st.sampled_from(POINT_NAMES))
    edit = draw(st.sampled_from(["none", "insert", "delete", "upper", "lower", "space"]))
    at = draw(st.integers(min_value=0, max_value=len(name)))
    if edit == "insert":
        return name[:at] + draw(st.characters(exclude_characters="\x00")) + name[at:]
    if edit == "delete":
        return name[:at] + name[at + 1 :]
    if edit == "space":
        return name[:at] + " " + name[at:]
    return {"upper": name.upper(), "lower": name.lower()}.get(edit, name)


@fuzz(200)
@given(
    query=st.one_of(ARG_TEXT, near_names(), JUNK),
    as_json=st.booleans(),
)
@example(query="88.12", as_json=True)
@example(query="Lv3", as_json=False)
@example(query="   ", as_json=True)
@example(query="[bold]GB30[/]", as_json=False)
@example(query="\udcff", as_json=False)
def test_any_points_query_is_a_match_or_no_match(query: str, as_json: bool) -> None:
    CASES["points query"] += 1
    result = run(["points", *(["--json"] if as_json else []), "--", query])
    assert_clean_exit(result, {0, 1})
    if as_json and result.exit_code == 0:
        json.loads(result.stdout)
    if result.exit_code == 1:
        assert result.stdout == ""
        assert "No point matches" in result.stderr


# --- answers on the command line ----------------------------------------------------------


@fuzz(150)
@given(
    words=st.lists(
        st.sampled_from(ANSWER_WORDS), min_size=len(QUESTION_IDS), max_size=len(QUESTION_IDS)
    ),
    complete=st.booleans(),
    extra=st.lists(ANSWER_ITEM, max_size=4),
    command=st.sampled_from(["check", "routine"]),
)
def test_any_answer_values_give_a_verdict_or_a_usage_error(
    words: list[str], complete: bool, extra: list[str], command: str
) -> None:
    CASES["--answer values"] += 1
    items = full_answers(words) if complete else []
    for item in extra:
        items += ["--answer", item]
    if command == "check":
        args = ["check", "--no-input", "--json", *items]
    else:
        args = [
            "routine",
            "--plan",
            "--no-input",
            "--json",
            "--area",
            "outer",
            "--side",
            "right",
            "--accept-risk",
            "--skip-area",
            "hip",
            *items,
        ]
    result = run(args)
    assert_clean_exit(result, {0, 2, 3, 4, 5})
    if result.exit_code in VERDICT_EXITS:
        document = json.loads(result.stdout)
        assert isinstance(document, dict)
    else:
        assert result.stdout == ""
    assert_history_opens()


# --- answers files ------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(ANSWER_WORDS),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(QUESTION_IDS), st.text(max_size=12)), children, max_size=6
        ),
    ),
    max_leaves=20,
)
ANSWER_MAPS = st.dictionaries(
    st.sampled_from(QUESTION_IDS),
    st.one_of(st.sampled_from(ANSWER_WORDS), st.booleans(), SCALARS),
    max_size=len(QUESTION_IDS),
)


@st.composite
def answers_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file suffix and its bytes: YAML, JSON, broken syntax or binary."""
    suffix = draw(st.sampled_from([".yaml", ".yml", ".json", ".txt", ""]))
    shape = draw(st.sampled_from(["yaml", "json", "text", "binary", "cut", "deep"]))
    document: Any = draw(st.one_of(ANSWER_MAPS, DOCUMENTS))
    if shape == "yaml":
        body = yaml.safe_dump(document, allow_unicode=True).encode()
    elif shape == "json":
        body = json.dumps(document, ensure_ascii=False, default=str).encode()
    elif shape == "text":
        body = draw(st.text(max_size=200)).encode("utf-8", "surrogatepass")
    elif shape == "binary":
        body = draw(st.binary(max_size=200))
    elif shape == "cut":
        whole = yaml.safe_dump(document, allow_unicode=True).encode()
        body = whole[: draw(st.integers(min_value=0, max_value=len(whole)))]
    else:
        depth = draw(st.integers(min_value=10, max_value=5000))
        opener = draw(st.sampled_from(["[", "{a: ", "- "]))
        body = (opener * depth).encode()
    return suffix, body


DEEP_JSON = (".json", b"[" * 5000)
DEEP_YAML = (".yaml", b"[" * 5000)


@fuzz(200)
@given(
    file=answers_files(),
    words=st.lists(
        st.sampled_from(ANSWER_WORDS), min_size=len(QUESTION_IDS), max_size=len(QUESTION_IDS)
    ),
    complete=st.booleans(),
)
@example(file=(".yaml", b"injury: no\nfever: yes\n"), words=ALL_NO, complete=False)
@example(file=(".yaml", b"!!python/object:os.system {}"), words=ALL_NO, complete=True)
@example(file=(".yaml", b"a: &a [*a]\n"), words=ALL_NO, complete=True)
@example(file=(".json", b"NaN"), words=ALL_NO, complete=True)
@example(file=(".yaml", b"? [a, b]\n: yes\n"), words=ALL_NO, complete=True)
@example(file=(".yaml", b"2024-01-01: yes\n"), words=ALL_NO, complete=True)
def test_any_answers_file_gives_a_verdict_or_a_usage_error(
    file: tuple[str, bytes], words: list[str], complete: bool, tmp_path: Path
) -> None:
    CASES["--answers file"] += 1
    _check_answers_file(file, words, complete, tmp_path)


@pytest.mark.parametrize("file", [DEEP_JSON, DEEP_YAML], ids=["json", "yaml"])
def test_deeply_nested_answers_file_is_a_usage_error(
    file: tuple[str, bytes], tmp_path: Path
) -> None:
    _check_answers_file(file, ["no"] * len(QUESTION_IDS), True, tmp_path)


def _check_answers_file(
    file: tuple[str, bytes], words: list[str], complete: bool, tmp_path: Path
) -> None:
    suffix, body = file
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    path = folder / f"answers{suffix}"
    path.write_bytes(body)
    # The command-line answers come after the file's and win, so a full set still decides.
    items = full_answers(words) if complete else []
    result = run(["check", "--no-input", "--json", "--answers", str(path), *items])
    assert_clean_exit(result, {0, 2, 3, 4, 5})
    if result.exit_code in VERDICT_EXITS:
        assert json.loads(result.stdout)["tier"] in TIERS
    else:
        assert result.stdout == ""
        assert result.stderr.startswith("Error:")
    assert_history_opens()


# --- damaged dataset files ----------------------------------------------------------------

DATA_FILES = list(FILES)  # every file of the dataset, as the loader knows them
#: Any text, line breaks and control characters included (messages must escape them).
ANY_TEXT = st.text(max_size=30)
#: Whole numbers far longer than any field wants, up to 5000 digits.
HUGE_DIGITS = st.integers(min_value=19, max_value=5000).map(lambda digits: "9" * digits)
#: ... and as numbers (Python turns at most 4300 digits into text).
HUGE_NUMBERS = st.integers(min_value=19, max_value=4000).map(lambda digits: int("9" * digits))
#: Values YAML can spell that no field of the dataset or an answers file wants.
DATES = st.one_of(
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(timezone.utc)),
)
NEW_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.sampled_from([10**30, -1, 0, 999, 1.5, float("inf")]),
    HUGE_NUMBERS,
    DATES,
    ANY_TEXT,
    st.sampled_from(["", " ", "\t", "GB30", "caution", "avoid", "nowhere", "x" * 500]),
    st.lists(ANY_TEXT, max_size=3),
    st.dictionaries(ANY_TEXT, st.integers(), max_size=2),
)


def _containers(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path (keys and indexes) to a mapping or list inside ``node``."""
    if isinstance(node, dict):
        yield path
        for key, value in node.items():
            yield from _containers(value, (*path, key))
    elif isinstance(node, list):
        yield path
        for index, value in enumerate(node):
            yield from _containers(value, (*path, index))


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        node = node[step]
    return node


@st.composite
def dataset_damage(draw: st.DrawFn) -> tuple[str, str, Any]:
    """Which file, what kind of damage, and the draw that shapes it."""
    name = draw(st.sampled_from(DATA_FILES))
    kind = draw(st.sampled_from(["delete", "retype", "retype", "add", "junk", "truncate"]))
    return name, kind, draw(st.data())


def damage(folder: Path, name: str, kind: str, data: Any) -> None:
    """Apply one random fault to ``folder/name``."""
    path = folder / name
    raw = path.read_bytes()
    if kind == "junk":
        at = data.draw(st.integers(min_value=0, max_value=len(raw)))
        junk = data.draw(
            st.one_of(
                st.binary(min_size=1, max_size=16),
                st.sampled_from([b"\t", b": ", b"- ", b"&a *a", b"!!binary", b"\xff\xfe", b"\n  "]),
            )
        )
        path.write_bytes(raw[:at] + junk + raw[at:])
        return
    if kind == "truncate":
        path.write_bytes(raw[: data.draw(st.integers(min_value=0, max_value=len(raw)))])
        return
    document = yaml.safe_load(raw)
    target = _at(document, data.draw(st.sampled_from(list(_containers(document)))))
    keys = list(target) if isinstance(target, dict) else list(range(len(target)))
    if kind == "add" or not keys:
        new = data.draw(NEW_VALUES)
        if isinstance(target, dict):
            target[data.draw(st.one_of(ANY_TEXT, st.sampled_from(keys or ["x"])))] = new
        else:
            target.append(new)
    else:
        key = data.draw(st.sampled_from(keys))
        if kind == "delete":
            del target[key]
        else:
            target[key] = data.draw(NEW_VALUES)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")


@fuzz(120)
@given(case=dataset_damage(), as_json=st.booleans())
def test_a_damaged_dataset_is_reported_in_one_line(
    case: tuple[str, str, Any], as_json: bool, tmp_path: Path
) -> None:
    CASES["dataset damage"] += 1
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    try:
        data = folder / "data"
        shutil.copytree(shipped_data_dir(), data)
        name, kind, draw = case
        damage(data, name, kind, draw)
        result = run(
            ["points", "GB30", *(["--json"] if as_json else [])], env={"HIPGUIDE_DATA": str(data)}
        )
        assert_clean_exit(result, {0, 2})
        if result.exit_code == 2:
            assert result.stdout == ""
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1, result.stderr
            # A damaged file may surface as a dangling reference in another one.
            assert any(file in lines[0] for file in DATA_FILES), lines[0]
            assert_quoted_briefly(lines[0])
        elif as_json:
            assert json.loads(result.stdout)["code"] == "GB30"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("name", DATA_FILES)
@pytest.mark.parametrize("body", [b"[" * 5000, b"- " * 5000], ids=["flow", "block"])
def test_a_deeply_nested_dataset_file_is_a_data_error(
    name: str, body: bytes, data_copy: Path
) -> None:
    (data_copy / name).write_bytes(body)
    result = run(["points", "GB30"], env={"HIPGUIDE_DATA": str(data_copy)})
    assert_clean_exit(result, {2})
    assert name in result.stderr


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x9b"])
def test_a_control_character_in_a_dataset_file_is_one_line_naming_the_line(
    character: str, data_copy: Path
) -> None:
    path = data_copy / "areas.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].rstrip("\n") + character + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    result = run(["points", "GB30"], env={"HIPGUIDE_DATA": str(data_copy)})
    assert_clean_exit(result, {2})
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "areas.yaml, line 3" in result.stderr


def _add_field(document: Any) -> None:
    document["areas"][0]["bad\nfield \x1b[31mred"] = 1


def _bad_reference(document: Any) -> None:
    document["areas"][0]["sources"] = ["nhs\n\x1b[31mred"]


def _bad_id(document: Any) -> None:
    document["areas"][0]["id"] = "outer\n\x1b[2Jcleared"
    document["areas"][0]["extra"] = 1  # an error in that entry, which names it by its id


@pytest.mark.parametrize("change", [_add_field, _bad_reference, _bad_id])
def test_names_from_a_dataset_file_are_escaped_in_the_error(change: Any, data_copy: Path) -> None:
    path = data_copy / "areas.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    result = run(["points", "GB30"], env={"HIPGUIDE_DATA": str(data_copy)})
    assert_clean_exit(result, {2})
    assert "\x1b" not in result.stderr
    assert len(result.stderr.strip().split("\n")) == 1, result.stderr


@pytest.mark.parametrize(
    "body",
    ['"inj\\nury\\e[31m": "yes"\n', 'injury: "y\\ne\\e[31ms"\n'],
    ids=["key", "answer"],
)
def test_text_from_an_answers_file_is_escaped_in_the_error(body: str, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(body, encoding="utf-8")
    result = run(["check", "--no-input", "--answers", str(path)])
    assert_clean_exit(result, {2})
    assert "\x1b" not in result.stderr
    assert len(result.stderr.strip().split("\n")) == 1, result.stderr


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("extra", [[], ["--answer", "injury=yes"]], ids=["self-care", "emergency"])
def test_an_undecodable_emergency_number_still_gives_the_verdict(
    as_json: bool, extra: list[str]
) -> None:
    args = ["check", "--no-input", *full_answers(["no"] * len(QUESTION_IDS)), *extra]
    args += ["--emergency-number", "11\udcff2", *(["--json"] if as_json else [])]
    result = run(args)
    assert_clean_exit(result, {0, 5})
    assert result.exit_code == (5 if extra else 0)


# --- hostile answers files: duplicate keys, anchors, huge numbers, dates, controls ----------

#: Characters text from outside may not hold: controls (C0, DEL, C1, the escape that
#: starts a terminal sequence), bidi controls, zero-width characters, the byte-order mark,
#: line and paragraph separators.
UNSAFE = st.one_of(
    st.characters(min_codepoint=0, max_codepoint=0x1F),
    st.characters(min_codepoint=0x7F, max_codepoint=0x9F),
    st.sampled_from(list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")),
    st.sampled_from(list("\u200b\u200c\u200d\ufeff\u2028\u2029\u00ad\u061c\u200e\u200f")),
)


def spelled(question_id: str, how: str) -> str:
    """Another spelling of a question id that still names it."""
    return {
        "same": question_id,
        "upper": question_id.upper(),
        "title": question_id.title(),
        "dashes": question_id.replace("_", "-"),
        "padded": f" {question_id} ",
    }[how]


def _yaml_text(text: str) -> str:
    """``text`` as a double-quoted YAML scalar, every character escaped that must be."""
    return json.dumps(text)  # JSON strings are YAML double-quoted scalars


@st.composite
def hostile_answers_files(draw: st.DrawFn) -> tuple[str, bytes, str]:
    """A suffix, the bytes of an answers file that must be refused, and what the refusal
    names (a fragment of the one-line error)."""
    kind = draw(st.sampled_from(["duplicate", "anchor", "huge", "date", "control"]))
    question = draw(st.sampled_from(QUESTION_IDS))
    first, second = draw(st.sampled_from(["yes", "unsure"])), draw(st.sampled_from(["no", "n"]))
    others = draw(st.lists(st.sampled_from(QUESTION_IDS), max_size=4, unique=True))
    others = [q for q in others if q != question]
    lines = [f"{q}: 'no'" for q in others]
    if kind == "duplicate":
        how = draw(st.sampled_from(["same", "upper", "title", "dashes", "padded"]))
        same = spelled(question, how) == question
        named = "duplicate key" if same else "both answer"
        if draw(st.booleans()):  # JSON
            pairs = [
                (question, first),
                *((q, "no") for q in others),
                (spelled(question, how), second),
            ]
            body = "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in pairs) + "}"
            return ".json", body.encode(), named
        lines = [f"{question}: {first}", *lines, f"{_yaml_text(spelled(question, how))}: {second}"]
        return ".yaml", "\n".join(lines).encode(), named
    if kind == "anchor":
        anchor = draw(st.from_regex(r"[a-z]{1,8}", fullmatch=True))
        lines = [
            f"{question}: &{anchor} {first}",
            *lines,
            f"{draw(st.sampled_from(QUESTION_IDS))}: *{anchor}",
        ]
        return ".yaml", "\n".join(lines).encode(), "alias"
    if kind == "huge":
        number = draw(HUGE_DIGITS)
        lines.insert(draw(st.integers(0, len(lines))), f"{question}: {number}")
        if draw(st.booleans()):  # JSON
            pairs = [f'"{question}": {number}', *(f'"{q}": "no"' for q in others)]
            return ".json", ("{" + ", ".join(pairs) + "}").encode(), "a number too large"
        return ".yaml", "\n".join(lines).encode(), "a number too large"
    if kind == "date":
        value = draw(DATES).isoformat()
        lines.insert(draw(st.integers(0, len(lines))), f"{question}: {value}")
        return ".yaml", "\n".join(lines).encode(), "a date"
    text = draw(st.text(max_size=6))
    at = draw(st.integers(0, len(text)))
    dirty = text[:at] + draw(UNSAFE) + text[at:]
    if draw(st.booleans()):
        lines.insert(0, f"{_yaml_text(dirty)}: no")  # a key no question has
    else:
        lines.insert(0, f"{question}: {_yaml_text(first + dirty)}")  # not an answer
    return ".yaml", "\n".join(lines).encode("utf-8", "surrogatepass"), "Answers file"


@fuzz(120)
@given(case=hostile_answers_files(), complete=st.booleans())
@example(case=(".yaml", b"injury: yes\nfever: no\ninjury: no\n", "duplicate key"), complete=True)
@example(case=(".yaml", b"injury: yes\nINJURY: no\n", "both answer"), complete=True)
@example(case=(".json", b'{"injury": "yes", "injury": "no"}', "duplicate key"), complete=True)
@example(case=(".yaml", b"injury: &a yes\nfever: *a\n", "alias"), complete=True)
@example(case=(".yaml", b"injury: " + b"9" * 5000, "a number too large"), complete=False)
@example(case=(".yaml", b"injury: 2024-02-30", "Answers file"), complete=False)
@example(case=(".yaml", b'"\\e]0;owned\\a": no', "Answers file"), complete=False)
def test_a_hostile_answers_file_is_always_refused_in_one_line(
    case: tuple[str, bytes, str], complete: bool, tmp_path: Path
) -> None:
    CASES["hostile answers file"] += 1
    suffix, body, named = case
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    path = folder / f"answers{suffix}"
    path.write_bytes(body)
    items = full_answers(ALL_NO) if complete else []  # even a full set never overrides it
    result = run(["check", "--no-input", "--json", "--answers", str(path), *items])
    assert_clean_exit(result, {2})
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert named in lines[0], lines[0]
    assert lines[0].isprintable(), lines[0]
    assert_quoted_briefly(lines[0])
    assert_history_opens()


# --- hostile dataset texts: control and format characters, codes that are not ASCII ---------

TEXT_FILES = ["points.yaml", "conditions.yaml", "areas.yaml", "sources.yaml", "triage.yaml"]


def _text_leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a text value inside ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _text_leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _text_leaves(value, (*path, index))
    elif isinstance(node, str):
        yield path


@fuzz(60)
@given(
    name=st.sampled_from(TEXT_FILES),
    character=UNSAFE,
    data=st.data(),
)
@example(name="triage.yaml", character="\x1b", data=None)
@example(name="points.yaml", character="\u202e", data=None)
@example(name="points.yaml", character="\n", data=None)
def test_a_control_or_format_character_in_any_dataset_text_is_refused(
    name: str, character: str, data: Any, tmp_path: Path
) -> None:
    CASES["dataset control character"] += 1
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    try:
        target = folder / "data"
        shutil.copytree(shipped_data_dir(), target)
        document = yaml.safe_load((target / name).read_text(encoding="utf-8"))
        leaves = list(_text_leaves(document))
        where = data.draw(st.sampled_from(leaves)) if data is not None else leaves[0]
        *parents, last = where
        holder = _at(document, tuple(parents))
        text = holder[last]
        at = data.draw(st.integers(0, len(text))) if data is not None else len(text) // 2
        if not text.strip():
            return
        at = min(max(at, len(text) - len(text.lstrip())), len(text.rstrip()))  # inside it
        if character == "\n":
            # A line break at either end is YAML's own (folded text ends with one) and is
            # dropped with the blanks there: only one inside the text must be refused.
            assume(len(text.strip()) >= 2)
            at = min(max(at, len(text) - len(text.lstrip()) + 1), len(text.rstrip()) - 1)
        holder[last] = dirty = text[:at] + character + text[at:]
        written = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        # YAML reads some of these characters (U+0085, U+2028) as line breaks when they
        # are written raw: only a file that really holds the character tests anything.
        assume(_at(yaml.safe_load(written), where) == dirty)
        (target / name).write_text(written, "utf-8")
        result = run(["points", "GB30"], env={"HIPGUIDE_DATA": str(target)})
        assert_clean_exit(result, {2})
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].isprintable(), lines[0]
        assert any(file in lines[0] for file in DATA_FILES), lines[0]
        assert f"U+{ord(character):04X}" in lines[0] or "is not one of" in lines[0], lines[0]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@fuzz(30)
@given(letter=st.characters(min_codepoint=0x80, max_codepoint=0xFFFF, categories=["L", "N"]))
@example(letter="３")
@example(letter="І")
def test_a_point_code_or_alias_that_is_not_ascii_is_refused(letter: str, tmp_path: Path) -> None:
    CASES["non-ASCII code"] += 1
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    try:
        target = folder / "data"
        shutil.copytree(shipped_data_dir(), target)
        path = target / "points.yaml"
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        document["points"][0]["aliases"] = [f"GB{letter}9"]
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
        result = run(["points", "GB30"], env={"HIPGUIDE_DATA": str(target)})
        assert_clean_exit(result, {2})
        assert "plain ASCII" in result.stderr
        assert f"U+{ord(letter):04X}" in result.stderr
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- output on a terminal that is not UTF-8 -----------------------------------------------

NARROW = ["ascii", "latin-1", "cp437", "cp1252", "iso8859-15", "koi8-r"]


@fuzz(120)
@given(args=command_lines(), encoding=st.sampled_from(NARROW))
@example(args=["points", "GB30"], encoding="ascii")
@example(args=["points"], encoding="ascii")
@example(args=["check", "--no-input", "--answers", "@all-no"], encoding="ascii")
@example(
    args=["routine", "--plan", "--no-input", "--answers", "@all-no", "--area", "outer",
          "--side", "left"],
    encoding="latin-1",
)  # fmt: skip
@example(args=["points", "--json", "环跳"], encoding="ascii")
def test_any_command_prints_on_a_narrow_encoding(
    args: list[str], encoding: str, tmp_path: Path
) -> None:
    CASES["narrow encoding"] += 1
    files = write_answer_files(tmp_path / "answers")
    real_args = [files.get(token, token) for token in args]
    result = CliRunner(charset=encoding).invoke(app, real_args, catch_exceptions=True)
    assert_clean_exit(result, DOCUMENTED_EXITS)
    result.stdout_bytes.decode(encoding)  # every byte is the terminal's own
    result.stderr_bytes.decode(encoding)
    if "--json" in args and result.exit_code in (0, *VERDICT_EXITS) and result.stdout_bytes:
        json.loads(result.stdout_bytes.decode(encoding))
