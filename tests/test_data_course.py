"""The course's data: the flare-up plan and the check-in's measures in routine.yaml, with
their sources, and the loader refusing a block that breaks the measures."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hipguide.dataset import Dataset, load_dataset_uncached
from hipguide.errors import DataError


def test_the_measures_are_the_peg_and_the_pgic(dataset: Dataset) -> None:
    checkin = dataset.rules.checkin
    assert [item.id for item in checkin.peg.items] == ["pain", "enjoyment", "activity"]
    assert all("past week" in item.text for item in checkin.peg.items)
    assert [c.value for c in checkin.pgic.choices] == list(range(1, 8))
    labels = {c.value: c.label for c in checkin.pgic.choices}
    assert (labels[1], labels[4], labels[7]) == (
        "Very much improved",
        "No change",
        "Very much worse",
    )


def test_the_measures_cite_their_references(dataset: Dataset) -> None:
    checkin = dataset.rules.checkin
    cited = {
        ref: dataset.source(ref)
        for ref in (*checkin.peg.sources, *checkin.pgic.sources, *checkin.change_sources)
    }
    assert set(cited) == {"krebs-2009", "guy-1976", "hurst-bolton-2004", "dworkin-2008"}
    assert "Krebs" in cited["krebs-2009"].title and "2009" in cited["krebs-2009"].title
    assert "IMMPACT" in cited["dworkin-2008"].title
    assert all(source.kind == "measure" and source.url for source in cited.values())
    for name in ("Krebs", "Guy 1976", "Hurst and Bolton", "IMMPACT", "Dworkin"):
        assert name in checkin.citation


def test_the_flare_plan_is_light_half_and_at_least_15_seconds(dataset: Dataset) -> None:
    flare = dataset.rules.flare
    assert (flare.pressure, flare.seconds_percent, flare.min_seconds) == ("light", 50, 15)
    for measure in ("relative rest", "heat", "cold", "gentle movement"):
        assert measure in flare.meanwhile
    assert "hipguide check" in flare.check_again and "{emergency}" in flare.check_again
    assert "seed-acupressure-easy" in flare.sources


def broken(data_copy: Path, change: dict[str, object]) -> Path:
    path = data_copy / "routine.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    for dotted, value in change.items():
        *parents, last = dotted.split(".")
        node = document
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = value
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return data_copy


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"flare.sources": ["nowhere"]}, "unknown source 'nowhere'"),
        ({"flare.seconds_percent": 150}, "seconds_percent"),
        ({"flare.min_seconds": 0}, "min_seconds"),
        ({"flare.pressure": "crushing"}, "pressure"),
        ({"checkin.change_sources": ["nowhere"]}, "unknown source 'nowhere'"),
        (
            {"checkin.peg.items": [{"id": "pain", "text": "T", "low": "a", "high": "b"}]},
            "exactly three items",
        ),
        ({"checkin.pgic.choices": [{"value": 1, "label": "Better"}]}, "seven answers"),
        ({"checkin.citation": ""}, "citation"),
    ],
)
def test_a_broken_course_block_is_refused(
    data_copy: Path, change: dict[str, object], named: str
) -> None:
    with pytest.raises(DataError) as raised:
        load_dataset_uncached(broken(data_copy, change))
    assert "routine.yaml" in str(raised.value)
    assert named in str(raised.value)
