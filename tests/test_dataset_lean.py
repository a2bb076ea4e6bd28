"""The cached load stays lean (DESIGN.md section 5) and its shortcuts stay exact: the
hand-written code spelling, the Literal choices kept as plain tuples, the type hints read
without typing's walk, and a cache that holds only plain data in the shape written."""

from __future__ import annotations

import ast
import json
import marshal
import os
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from hipguide import cachefile, config, models
from hipguide.dataset import FILES, RECORDS, load_dataset, normalize_code

#: What a cached load must not import: each costs more than the whole load may.
HEAVY = ("typing", "pathlib", "re", "enum", "functools", "yaml", "collections", "zlib")
#: Nor any of the validating loader: a cached load does not parse.
PARSING = ("hipguide.dataset._build", "hipguide.dataset._yaml", "hipguide.untrusted")

#: Run in a fresh process: what ``load_dataset()`` imports (json only after, as it
#: imports re and more).
PROBE = """
import sys
before = set(sys.modules)
from hipguide.dataset import load_dataset
dataset = load_dataset()
found = sorted(set(sys.modules) - before)
import json
sys.stdout.write(json.dumps({"new": found, "points": len(dataset.points)}))
"""


def _probe(env: dict[str, str]) -> dict[str, typing.Any]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("own_data", [False, True], ids=["shipped", "HIPGUIDE_DATA"])
def test_a_cached_load_imports_nothing_heavy(
    own_data: bool, tmp_path: Path, data_copy: Path
) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("HIPGUIDE_DATA", None)
    if own_data:
        env["HIPGUIDE_DATA"] = str(data_copy)
    first = _probe(env)  # no cache yet: writes the cache
    if own_data:  # a dataset of one's own is parsed
        assert "yaml" in first["new"] and "hipguide.dataset._build" in first["new"]
    else:  # the shipped one comes from its snapshot (tests/test_dataset_snapshot.py)
        assert "hipguide.dataset._snapshot" in first["new"]
        assert sorted(set(first["new"]) & {*HEAVY, *PARSING}) == []
    assert list((tmp_path / "cache" / "hipguide").glob("dataset-*.cache"))
    cached = _probe(env)
    assert cached["points"] == first["points"] > 0
    loaded = set(cached["new"])
    assert "hipguide.dataset" in loaded  # the probe did import afresh
    assert sorted(loaded & {*HEAVY, *PARSING}) == []
    assert not [name for name in loaded if name.startswith(("yaml.", "typing.", "re."))]


def test_the_dataset_folder_is_a_path_whichever_way_it_is_given(data_copy: Path) -> None:
    assert load_dataset().directory == config.shipped_data_dir()
    for given_as in (data_copy, str(data_copy)):
        load_dataset(given_as)  # the first writes the cache, the second reads it
        directory = load_dataset(given_as).directory
        assert isinstance(directory, Path) and directory == data_copy


def test_the_folders_as_text_are_the_folders_as_paths(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert Path(config.cache_folder()) == config.cache_dir()
    assert Path(config.shipped_data_folder()) == config.shipped_data_dir()
    assert Path(config.data_folder()) == config.data_dir() == config.shipped_data_dir()
    assert config.data_folder_override() is config.data_dir_override() is None
    monkeypatch.setenv(config.DATA_ENV, "~/elsewhere")
    assert config.data_dir() == Path.home() / "elsewhere" == Path(config.data_folder())


# --- point codes: the hand-written spelling is the pattern's ---------------------------------

_SEPARATORS = re.compile(r"[\s\-_]+")
_CODE = re.compile(r"([A-Z]+)0*(\d+)")


def _by_pattern(text: str) -> str:
    compact = _SEPARATORS.sub("", text).upper()
    match = _CODE.fullmatch(compact)
    return f"{match.group(1)}{match.group(2)}" if match else compact


_CODE_TEXT = st.text(
    st.one_of(
        st.sampled_from("GBSTLIKDRNgbstlik0123456789 -_\t\n\u00a0\u3000\u2009\u0663\uff10ßﬀıé"),
        st.characters(),
    ),
    max_size=12,
)


@given(_CODE_TEXT)
@example("gb-30")
@example("GB 030")
@example("GB000")
@example("gb-0")
@example("GB")
@example("30")
@example("ST\u00a036")
@example("GB\u0663\u0660")
@example("Ext-17")
@example("ﬀ1")
@example("")
def test_a_code_is_spelled_as_the_pattern_spells_it(text: str) -> None:
    assert normalize_code(text) == _by_pattern(text)


def test_whitespace_and_digits_are_what_the_pattern_takes_them_for() -> None:
    """``str.split`` and ``str.isdecimal`` agree with ``\\s`` and ``\\d`` on every
    character (the hand-written spelling relies on it)."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert set(every) - set("".join(every.split())) == set(re.findall(r"\s", every))
    assert {c for c in every if c.isdecimal()} == set(re.findall(r"\d", every))


# --- models: the choices kept at run time are the Literal aliases ----------------------------


def _aliases_in_source() -> dict[str, tuple[str, ...]]:
    tree = ast.parse(Path(models.__file__).read_text(encoding="utf-8"))
    found: dict[str, tuple[str, ...]] = {}
    checking = [
        node
        for block in tree.body
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for node in block.body
    ]
    for node in checking:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Subscript)
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "Literal"
        ):
            (target,) = node.targets
            assert isinstance(target, ast.Name)
            found[target.id] = tuple(ast.literal_eval(node.value.slice))
    return found


def test_the_runtime_choices_are_the_literal_aliases() -> None:
    aliases = _aliases_in_source()
    assert aliases == models.CHOICES
    for name, choices in models.CHOICES.items():
        alias = getattr(models, name)  # made on first use, as it always was
        assert typing.get_origin(alias) is typing.Literal
        assert typing.get_args(alias) == choices


def test_an_unknown_attribute_of_the_models_is_still_an_error() -> None:
    with pytest.raises(AttributeError, match="Pressures"):
        models.Pressures  # noqa: B018


def test_type_hints_are_what_typing_makes_of_them() -> None:
    names: dict[str, typing.Any] = {"Any": typing.Any, "ClassVar": typing.ClassVar}
    names["Literal"] = typing.Literal
    names.update((name, getattr(models, name)) for name in models.CHOICES)
    for name, cls in RECORDS.items():
        full = typing.get_type_hints(cls, localns=names)
        assert models.type_hints(cls) == {f: full[f] for f in cls._fields}, name  # type: ignore[attr-defined]


def test_the_cache_layout_changes_with_an_annotation(monkeypatch: pytest.MonkeyPatch) -> None:
    from hipguide.dataset import _layout_fingerprint

    before = _layout_fingerprint()
    annotations = models.Source.__dict__["__annotations__"]  # noqa: RUF063
    monkeypatch.setitem(annotations, "url", "int")
    assert _layout_fingerprint() != before
    monkeypatch.undo()
    monkeypatch.setitem(models.CHOICES, "Depth", ("superficial", "deep", "deeper"))
    assert _layout_fingerprint() != before


# --- the cache: only plain data, in the shape written, and undamaged ------------------------


def _cache_path() -> Path:
    (path,) = config.cache_dir().glob("dataset-*.cache")
    return path


def _rewrite_cache(change: typing.Callable[[dict[str, typing.Any]], None]) -> None:
    """Change the stored form, and store it again under its key with a good checksum."""
    path = _cache_path()
    data = path.read_bytes()
    key, check = marshal.loads(data)
    document = marshal.loads(data[len(data) - cachefile.body_length(check) :])
    change(document)
    assert cachefile.write(path, key, marshal.dumps(document))


def _class(document: dict[str, typing.Any], name: str) -> list[typing.Any]:
    return next(list(entry) for entry in document["classes"] if entry[0] == name)


def _set_class(document: dict[str, typing.Any], entry: list[typing.Any]) -> None:
    document["classes"] = tuple(
        tuple(entry) if old[0] == entry[0] else old for old in document["classes"]
    )


def _first_point_field(document: dict[str, typing.Any], field: str, value: object) -> None:
    entry = _class(document, "Point")
    index = models.Point._fields.index(field)
    rows = list(entry[3])
    rows[0] = (*rows[0][:index], value, *rows[0][index + 1 :])
    entry[3] = tuple(rows)
    _set_class(document, entry)


def _parses(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether loading ``data_copy`` now parses the YAML (the cache refused)."""
    from hipguide import dataset as module

    calls: list[object] = []
    real = module.load_dataset_uncached

    def counting(folder: typing.Any) -> typing.Any:
        calls.append(folder)
        return real(folder)

    monkeypatch.setattr(module, "load_dataset_uncached", counting)
    loaded = load_dataset(data_copy)
    assert loaded.point("GB30").code == "GB30"
    for attribute, _, _ in FILES.values():
        _assert_plain(getattr(loaded, attribute))
    return bool(calls)


def _assert_plain(value: object) -> None:
    assert type(value) in (str, int, bool, float, type(None)) or isinstance(value, tuple), value
    if isinstance(value, tuple):
        for item in value:
            _assert_plain(item)


def test_a_rewritten_cache_in_the_shape_written_is_used(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_dataset(data_copy)
    _rewrite_cache(lambda document: _first_point_field(document, "english", "From The Cache"))
    assert not _parses(data_copy, monkeypatch)  # the rewriting itself is sound
    assert load_dataset(data_copy).points[0].english == "From The Cache"


@pytest.mark.parametrize(
    "value",
    [
        compile("print('run')", "cache", "exec"),
        b"bytes",
        ["a", "list"],
        {"a": "dict"},
        frozenset({"a"}),
        ("inside", ("a", compile("1", "cache", "eval"))),
        1j,
        ...,
    ],
    ids=lambda value: type(value).__name__,
)
def test_a_cache_holding_anything_but_plain_data_is_not_used(
    value: object, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_dataset(data_copy)
    _rewrite_cache(lambda document: _first_point_field(document, "english", value))
    assert _parses(data_copy, monkeypatch)


@pytest.mark.parametrize(
    ("field", "number"),
    [("location", -1), ("location", 10_000), ("location", "0"), ("location", True),
     ("reach", -1), ("figure", None)],
)  # fmt: skip
def test_a_cache_with_a_bad_row_number_is_not_used(
    field: str, number: object, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_dataset(data_copy)
    _rewrite_cache(lambda document: _first_point_field(document, field, number))
    assert _parses(data_copy, monkeypatch)


def _drop_a_field(document: dict[str, typing.Any]) -> None:
    entry = _class(document, "Figure")
    entry[3] = tuple(row[:-1] for row in entry[3])
    _set_class(document, entry)


def _claim_fewer_fields(document: dict[str, typing.Any]) -> None:
    entry = _class(document, "Figure")
    entry[1] -= 1
    entry[3] = tuple(row[:-1] for row in entry[3])
    _set_class(document, entry)


def _text_for_a_row(document: dict[str, typing.Any]) -> None:
    entry = _class(document, "Figure")
    entry[3] = ("abc", *entry[3][1:])
    _set_class(document, entry)


def _unknown_class(document: dict[str, typing.Any]) -> None:
    entry = _class(document, "Figure")
    entry[0] = "Picture"
    document["classes"] = (tuple(entry), *document["classes"])


def _out_of_order(document: dict[str, typing.Any]) -> None:
    document["classes"] = tuple(reversed(document["classes"]))


def _missing_top(document: dict[str, typing.Any]) -> None:
    document["top"] = document["top"][1:]


def _unknown_kind(document: dict[str, typing.Any]) -> None:
    entry = _class(document, "Point")
    entry[2] = tuple((index, "x", target) for index, _, target in entry[2])
    _set_class(document, entry)


@pytest.mark.parametrize(
    "change",
    [
        _drop_a_field,
        _claim_fewer_fields,
        _text_for_a_row,
        _unknown_class,
        _out_of_order,
        _missing_top,
        _unknown_kind,
    ],
)
def test_a_cache_of_another_shape_is_not_used(
    change: typing.Callable[[dict[str, typing.Any]], None],
    data_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_dataset(data_copy)
    _rewrite_cache(change)
    assert _parses(data_copy, monkeypatch)


def test_a_damaged_cache_is_not_used_and_is_written_again(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_dataset(data_copy)
    path = _cache_path()
    data = bytearray(path.read_bytes())
    data[-100] ^= 0x01  # one bit, deep in the body
    path.write_bytes(bytes(data))
    assert _parses(data_copy, monkeypatch)
    assert not _parses(data_copy, monkeypatch)  # written again, and used


@pytest.mark.parametrize(
    "damage",
    [
        lambda body: body[:-1],
        lambda body: body + b"\x00",
        lambda body: b"\x00" + body[1:],
        lambda body: body[:10] + bytes([body[10] ^ 0x80]) + body[11:],
        lambda body: body[:20] + body[21:22] + body[20:21] + body[22:],
        lambda body: body[:30] + bytes(b ^ 0xFF for b in body[30:37]) + body[37:],
        lambda body: body[:40] + bytes(8) + body[48:],
    ],
    ids=["cut", "longer", "first byte", "one bit", "two bytes swapped", "56 bits", "8 zeros"],
)
def test_the_checksum_finds_damage(damage: typing.Callable[[bytes], bytes]) -> None:
    body = marshal.dumps(("some", "plain", 1, ("data",)) * 40)
    assert damage(body) != body
    assert cachefile.checksum(damage(body)) != cachefile.checksum(body)


def test_the_checksum_is_the_body_modulo_the_hash_prime_with_its_length() -> None:
    body = bytes(range(256)) * 40
    number = int.from_bytes(body, "little")
    stored = cachefile.checksum(body)
    assert cachefile.body_length(stored) == len(body)
    assert stored - (len(body) << 64) == number % sys.hash_info.modulus


def test_a_cache_file_reads_back_only_under_its_key(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "entry.cache"
    assert cachefile.write(str(path), "key", b"body")
    assert cachefile.read(path, "key", 1000) == b"body"
    assert cachefile.read(str(path), "other key", 1000) is None
    assert cachefile.read(path, "key", 10) is None  # larger than allowed
    path.write_bytes(marshal.dumps(("key", cachefile.checksum(b"body"))) + b"bod")
    assert cachefile.read(path, "key", 1000) is None
    assert (tmp_path / "cache").stat().st_mode & 0o777 == 0o700
