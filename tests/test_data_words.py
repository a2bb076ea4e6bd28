"""The plain words of the dataset: region words and condition aliases each name one thing,
and none of them hides a point's own name or code."""

from __future__ import annotations

from dataset_variants import variant
from hipguide.dataset import Dataset, load_dataset
from hipguide.errors import DataError
from hipguide.search import name_index, phrase, plain_words, read_code


def _claims(dataset: Dataset) -> list[tuple[str, str]]:
    claims = [
        (phrase(word), f"condition {c.id}")
        for c in dataset.conditions
        for word in (c.id, c.name, *c.aliases)
    ]
    claims += [
        (phrase(word), f"region {r.id}")
        for r in dataset.regions
        for word in (r.id, r.name, *r.words)
    ]
    return claims


def test_each_plain_word_names_one_thing(dataset: Dataset) -> None:
    owners: dict[str, set[str]] = {}
    for word, owner in _claims(dataset):
        owners.setdefault(word, set()).add(owner)
    assert {word: names for word, names in owners.items() if len(names) > 1} == {}


def test_no_plain_word_is_a_point_name_or_a_code(dataset: Dataset) -> None:
    from hipguide.search import fold_text

    names = name_index(dataset)
    hidden = [word for word in plain_words(dataset) if fold_text(word) in names]
    assert hidden == []
    assert [word for word in plain_words(dataset) if read_code(dataset, word)] == []


def test_every_region_has_words(dataset: Dataset) -> None:
    assert all(region.words for region in dataset.regions)


def test_region_words_are_read_and_checked(data_copy) -> None:  # type: ignore[no-untyped-def]
    path = data_copy / "regions.yaml"
    path.write_text(
        path.read_text("utf-8").replace("words: [knees, back of the knee]", "words: knees"),
        "utf-8",
    )
    try:
        load_dataset(data_copy)
    except DataError as error:
        assert "regions.yaml" in str(error) and "words" in str(error)
    else:
        raise AssertionError("a region's words must be a list")


def test_a_variant_dataset_keeps_every_table(dataset: Dataset) -> None:
    same = variant(dataset)
    assert (same.points, same.regions, same.triage) == (
        dataset.points,
        dataset.regions,
        dataset.triage,
    )
