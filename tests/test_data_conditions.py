"""The conditions and painful areas in ``data/``: ids, points, roles, sources and wording.

Checks on the two files' own content read the YAML directly, so they run even while
another dataset file is being written; checks that need the points go through
:func:`hipguide.dataset.load_dataset`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from hipguide.dataset import Dataset, load_dataset
from hipguide.models import Area, Condition

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

REQUIRED_CONDITIONS = (
    "osteoarthritis",
    "rheumatoid-arthritis",
    "bursitis",
    "tendinitis",
    "strain",
    "injury",
    "sciatica",
    "piriformis-syndrome",
    "labral-tear",
    "sacroiliac-joint-dysfunction",
    "bone-spur",
    "lower-back-pain",
    "upper-back-pain",
)
#: The values of ``hipguide routine --area`` (a public contract).
AREA_IDS = ("outer", "front", "buttock", "leg", "lower-back")
#: The roles of a routine, as routine.yaml defines them.
ROLES = frozenset({"local", "distal", "mirror"})
#: Balance-method points on the arm and shoulder: the only ones that may be a mirror.
BALANCE_POINTS = frozenset({"LI15", "TE14", "HT1", "TE2"})
UPPER_LIMB_REGIONS = frozenset({"shoulder", "armpit", "hand"})
WHO_CHANNELS = frozenset(
    {"LU", "LI", "ST", "SP", "HT", "SI", "BL", "KI", "PC", "TE", "GB", "LR", "GV", "CV"}
)
#: Which seed articles name each point (by code or by name): the support behind the
#: order of an area's points.
SEED_NAMED: dict[str, frozenset[str]] = {
    "GB30": frozenset({"seed-acupuncture-nyc", "seed-acupressure-easy"}),
    "ST36": frozenset({"seed-distal-points"}),
    "KI3": frozenset({"seed-distal-points"}),
    "GB34": frozenset({"seed-distal-points"}),
    "SP12": frozenset({"seed-acupressure-easy"}),
    "BL54": frozenset({"seed-acupressure-easy"}),
    "LI15": frozenset({"seed-acupuncture-nyc"}),
    "TE14": frozenset({"seed-acupuncture-nyc"}),
    "HT1": frozenset({"seed-acupuncture-nyc"}),
    "LR3": frozenset({"seed-acupuncture-nyc"}),
    "TE2": frozenset({"seed-acupuncture-nyc"}),
    "88.12": frozenset({"seed-acupuncture-nyc"}),
}
ROLE_RANK = {"local": 0, "distal": 1, "mirror": 2}
PROMISE = re.compile(r"\b(cur(e|es|ed|ing)|guarantee\w*)\b", re.IGNORECASE)


def _entries(name: str) -> list[dict[str, Any]]:
    """The list under the single top-level key of ``data/<name>.yaml``."""
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    entries = document[name]
    assert isinstance(entries, list)
    return entries


CONDITIONS = {entry["id"]: entry for entry in _entries("conditions")}
AREAS = {entry["id"]: entry for entry in _entries("areas")}
SOURCE_KINDS = {entry["id"]: entry["kind"] for entry in _entries("sources")}


def _texts(value: object) -> Iterator[str]:
    """Every string anywhere inside a parsed YAML value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _roles(entry: dict[str, Any]) -> list[tuple[str, str]]:
    """The (point, role) pairs of a condition or an area."""
    return [(str(item["point"]), str(item["role"])) for item in entry["points"]]


def _channel(code: str) -> str:
    """The channel letters of a WHO code (``GB30`` gives ``GB``)."""
    match = re.match(r"[A-Z]+", code)
    assert match, f"{code} is not a WHO channel point"
    return match.group()


ALL_ENTRIES = [("conditions", c) for c in CONDITIONS] + [("areas", a) for a in AREAS]


def _entry(kind: str, entry_id: str) -> dict[str, Any]:
    return CONDITIONS[entry_id] if kind == "conditions" else AREAS[entry_id]


# --- conditions ------------------------------------------------------------------------------


@pytest.mark.parametrize("condition_id", REQUIRED_CONDITIONS)
def test_every_condition_the_seeds_name_is_present(condition_id: str) -> None:
    assert condition_id in CONDITIONS


def test_condition_ids_are_unique_kebab_case() -> None:
    ids = [entry["id"] for entry in _entries("conditions")]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", i) for i in ids), ids


@pytest.mark.parametrize(
    ("condition_id", "alias"),
    [("osteoarthritis", "hip arthritis"), ("osteoarthritis", "OA"), ("tendinitis", "tendonitis")],
)
def test_required_aliases(condition_id: str, alias: str) -> None:
    assert alias in CONDITIONS[condition_id]["aliases"]


def test_no_alias_or_name_points_at_two_conditions() -> None:
    owners: dict[str, str] = {}
    for condition_id, entry in CONDITIONS.items():
        for label in {condition_id, entry["name"], *entry.get("aliases", [])}:
            owner = owners.setdefault(label.casefold(), condition_id)
            assert owner == condition_id, f"{label!r} names both {owner} and {condition_id}"


@pytest.mark.parametrize("condition_id", sorted(CONDITIONS))
def test_condition_has_three_to_seven_distinct_points(condition_id: str) -> None:
    codes = [code for code, _ in _roles(CONDITIONS[condition_id])]
    assert 3 <= len(codes) <= 7
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("condition_id", sorted(CONDITIONS))
def test_condition_summary_is_one_or_two_sentences(condition_id: str) -> None:
    sentences = re.findall(r"[.!?](?:\s|$)", CONDITIONS[condition_id]["summary"].strip())
    assert 1 <= len(sentences) <= 2


@pytest.mark.parametrize("condition_id", sorted(CONDITIONS))
def test_condition_has_signs_and_self_care(condition_id: str) -> None:
    entry = CONDITIONS[condition_id]
    assert entry["signs"] and entry["self_care"]
    assert entry["can_help"].strip() and entry["limits"].strip()


@pytest.mark.parametrize("condition_id", sorted(CONDITIONS))
def test_condition_cites_a_seed_and_a_health_service_page(condition_id: str) -> None:
    kinds = {SOURCE_KINDS[source] for source in CONDITIONS[condition_id]["sources"]}
    assert "seed" in kinds
    assert kinds & {"nhs", "nice"}


def test_injury_sends_to_a_doctor_and_presses_nothing_near_the_injury() -> None:
    injury = CONDITIONS["injury"]
    assert "local" not in {role for _, role in _roles(injury)}
    limits = injury["limits"].lower()
    assert "doctor first" in limits
    assert "fall" in limits
    assert "check" in limits


@pytest.mark.parametrize(
    ("condition_id", "point"),
    [("bone-spur", "88.12"), ("upper-back-pain", "GB21")],
)
def test_condition_uses_the_point_its_seed_names(condition_id: str, point: str) -> None:
    assert point in {code for code, _ in _roles(CONDITIONS[condition_id])}


def test_osteoarthritis_limits_say_relief_can_be_short_lived() -> None:
    limits = CONDITIONS["osteoarthritis"]["limits"].lower()
    assert "brief" in limits or "short" in limits


# --- areas -----------------------------------------------------------------------------------


def test_areas_are_exactly_the_routine_choices() -> None:
    assert [entry["id"] for entry in _entries("areas")] == list(AREA_IDS)


@pytest.mark.parametrize("area_id", AREA_IDS)
def test_area_has_local_and_distal_points(area_id: str) -> None:
    roles = {role for _, role in _roles(AREAS[area_id])}
    assert {"local", "distal"} <= roles


@pytest.mark.parametrize("area_id", AREA_IDS)
def test_area_points_are_distinct(area_id: str) -> None:
    codes = [code for code, _ in _roles(AREAS[area_id])]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("area_id", AREA_IDS)
def test_area_local_points_lie_on_its_channels(area_id: str) -> None:
    area = AREAS[area_id]
    assert set(area["channels"]) <= WHO_CHANNELS
    for code, role in _roles(area):
        if role == "local":
            assert _channel(code) in area["channels"], code


@pytest.mark.parametrize("area_id", AREA_IDS)
def test_area_points_are_ordered_by_seed_support(area_id: str) -> None:
    keys = [
        (-len(SEED_NAMED.get(code, frozenset())), ROLE_RANK[role])
        for code, role in _roles(AREAS[area_id])
    ]
    assert keys == sorted(keys)


@pytest.mark.parametrize("area_id", AREA_IDS)
def test_area_cites_the_standard_and_a_seed(area_id: str) -> None:
    sources = AREAS[area_id]["sources"]
    assert "who-2008" in sources
    assert any(SOURCE_KINDS[source] == "seed" for source in sources)


# --- both files ------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "entry_id"), ALL_ENTRIES)
def test_every_role_is_valid_and_mirror_is_a_balance_point(kind: str, entry_id: str) -> None:
    for code, role in _roles(_entry(kind, entry_id)):
        assert role in ROLES, (code, role)
        if role == "mirror":
            assert code in BALANCE_POINTS, code


@pytest.mark.parametrize(("kind", "entry_id"), ALL_ENTRIES)
def test_every_source_exists(kind: str, entry_id: str) -> None:
    sources = _entry(kind, entry_id)["sources"]
    assert sources
    assert set(sources) <= set(SOURCE_KINDS), set(sources) - set(SOURCE_KINDS)


@pytest.mark.parametrize(("kind", "entry_id"), ALL_ENTRIES)
def test_no_text_promises_a_cure(kind: str, entry_id: str) -> None:
    for text in _texts(_entry(kind, entry_id)):
        assert not PROMISE.search(text), text


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("This cures hip pain.", True),
        ("A cure at last", True),
        ("Guaranteed relief", True),
        ("Keep the cushion secure", False),
        ("Relief may not last", False),
    ],
)
def test_promise_pattern(text: str, flagged: bool) -> None:
    assert bool(PROMISE.search(text)) is flagged


# --- through the loader ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    """The shipped dataset, loaded and cross-checked by the real loader."""
    if not (DATA_DIR / "points.yaml").exists():
        pytest.skip("data/points.yaml is not written yet")
    return load_dataset(DATA_DIR)


def test_loader_reads_every_condition_and_area(dataset: Dataset) -> None:
    assert [c.id for c in dataset.conditions] == list(CONDITIONS)
    assert [a.id for a in dataset.areas] == list(AREA_IDS)
    assert dataset.condition("bone-spur").points[0].point == "88.12"


def _with_points(dataset: Dataset) -> list[Condition | Area]:
    """Every condition and area of the dataset."""
    return [*dataset.conditions, *dataset.areas]


def test_every_point_reference_exists(dataset: Dataset) -> None:
    known = {point.code for point in dataset.points}
    for entry in _with_points(dataset):
        for role in entry.points:
            assert role.point in known, (entry.id, role.point)


def test_mirror_points_lie_on_the_upper_limb(dataset: Dataset) -> None:
    for entry in _with_points(dataset):
        for role in entry.points:
            if role.role == "mirror":
                assert dataset.point(role.point).region in UPPER_LIMB_REGIONS, role.point
