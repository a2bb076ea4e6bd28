"""The snapshot of the shipped dataset (``hipguide.dataset._snapshot``): it is what a full
load of ``data/`` gives, it is used only while every file is the one it was made from,
and anything wrong with it costs only the time of parsing the YAML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hipguide import config, dataset
from hipguide.dataset import RECORDS, _snapshot, load_dataset, load_dataset_uncached

REGENERATE = "write it again with: python -m hipguide.dataset._snapshot"


def _fields(loaded: dataset.Dataset) -> dict[str, object]:
    return dataset._fields_of(loaded)


def _key(folder: str) -> str:
    return _snapshot.snapshot_key(
        folder, dataset.dataset_files(folder), dataset._layout_fingerprint()
    )


def test_the_shipped_snapshot_is_a_full_load_of_the_shipped_data() -> None:
    folder = config.shipped_data_folder()
    found = _snapshot.read(_key(folder), RECORDS)
    assert found is not None, f"The snapshot is not of the shipped data or code: {REGENERATE}"
    fields, _body = found
    assert fields == _fields(load_dataset_uncached(folder)), REGENERATE


def test_a_first_run_takes_the_snapshot_and_keeps_it_as_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_parsing(folder: object) -> None:
        raise AssertionError("parsed the YAML")

    monkeypatch.setattr(dataset, "load_dataset_uncached", no_parsing)
    first = load_dataset()
    assert len(first.points) > 0
    (cached,) = Path(config.cache_folder()).glob("dataset-*.cache")
    monkeypatch.setattr(_snapshot, "read", lambda *args: pytest.fail("read the snapshot"))
    assert _fields(load_dataset()) == _fields(first)  # from the user's cache now
    assert cached.exists()


@pytest.fixture
def shipped_copy(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped data copied elsewhere and made the shipped folder, so that a test
    may change its files."""
    monkeypatch.setattr(config, "shipped_data_folder", lambda: str(data_copy))
    return data_copy


def _parsed(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    real = dataset.load_dataset_uncached

    def counting(folder: object) -> dataset.Dataset:
        calls.append(folder)
        return real(folder)  # type: ignore[arg-type]

    monkeypatch.setattr(dataset, "load_dataset_uncached", counting)
    return calls


def test_the_same_files_elsewhere_take_the_snapshot(
    shipped_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = _parsed(monkeypatch)
    load_dataset(shipped_copy)
    assert parsed == []


@pytest.mark.parametrize(
    "changed", ["points.yaml", "triage.yaml", "figures/body-back.svg", "figures/new.svg"]
)
def test_a_changed_file_is_parsed_and_its_change_is_seen(
    changed: str, shipped_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = _parsed(monkeypatch)
    path = shipped_copy / changed
    if path.exists():
        note = b"<!-- edited after installing -->" if path.suffix == ".svg" else b"# edited"
        path.write_bytes(path.read_bytes() + b"\n" + note + b"\n")
    else:
        shutil.copy(shipped_copy / "figures" / "hand.svg", path)
    load_dataset(shipped_copy)
    assert [str(folder) for folder in parsed] == [str(shipped_copy)]


def test_an_edited_text_shows_in_the_load(
    shipped_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    points = shipped_copy / "points.yaml"
    original = load_dataset_uncached(config.shipped_data_folder()).point("GB30").english
    points.write_text(
        points.read_text(encoding="utf-8").replace(original, "Jumping Circle, edited", 1),
        encoding="utf-8",
    )
    assert load_dataset(shipped_copy).point("GB30").english == "Jumping Circle, edited"


def test_a_dataset_of_ones_own_never_takes_the_snapshot(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = _parsed(monkeypatch)
    monkeypatch.setenv(config.DATA_ENV, str(data_copy))
    load_dataset()
    assert [str(folder) for folder in parsed] == [str(data_copy)]


def _damaged_snapshots(good: bytes) -> dict[str, bytes]:
    import marshal

    header = marshal.dumps(("wrong key", 1))
    return {
        "empty": b"",
        "truncated": good[: len(good) // 2],
        "one byte changed": good[:-100] + bytes([good[-100] ^ 1]) + good[-99:],
        "another key": header + good[len(header) :],
        "not marshal": b"\xff" * 500,
        "a code object": marshal.dumps((_key(config.shipped_data_folder()), 0))
        + marshal.dumps(compile("1", "x", "eval")),
    }


@pytest.mark.parametrize(
    "damage",
    ["empty", "truncated", "one byte changed", "another key", "not marshal", "a code object"],
)
def test_a_damaged_snapshot_costs_only_the_parse(
    damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = Path(_snapshot.SNAPSHOT).read_bytes()
    bad = tmp_path / "shipped.snapshot"
    bad.write_bytes(_damaged_snapshots(good)[damage])
    monkeypatch.setattr(_snapshot, "SNAPSHOT", str(bad))
    monkeypatch.setattr(_snapshot.read, "__defaults__", (str(bad),))
    parsed = _parsed(monkeypatch)
    loaded = load_dataset()
    assert parsed == [config.shipped_data_folder()]
    assert _fields(loaded) == _fields(load_dataset_uncached(config.shipped_data_folder()))


def test_writing_the_snapshot_gives_the_shipped_one(tmp_path: Path) -> None:
    written = _snapshot.write(str(tmp_path / "again.snapshot"))
    key = _key(config.shipped_data_folder())
    again, shipped = _snapshot.read(key, RECORDS, written), _snapshot.read(key, RECORDS)
    assert again is not None and shipped is not None, REGENERATE
    assert again[0] == shipped[0]  # the same records (marshal's bytes may differ by Python)
