"""The lookup flow: what a query found, and what it says when it found nothing."""

from __future__ import annotations

import pytest

from dataset_variants import variant
from hipguide.dataset import Dataset
from hipguide.errors import NoMatchError
from hipguide.flows.lookup import PointsOutcome, PointsRequest, find_points


def test_one_point_named_shows_its_card(dataset: Dataset) -> None:
    outcome = find_points(PointsRequest("GB30"), dataset)
    assert outcome.one
    assert (outcome.kind, outcome.matched_name) == ("exact", "GB30")


@pytest.mark.parametrize("kind", ["region", "condition", "use"])
def test_a_plain_word_is_a_list_even_of_one_point(dataset: Dataset, kind: str) -> None:
    outcome = PointsOutcome(PointsRequest("knee"), (dataset.point("BL40"),), kind, "knee")  # type: ignore[arg-type]
    assert not outcome.one


@pytest.mark.parametrize("kind", ["exact", "partial", "fuzzy"])
def test_one_point_found_by_its_names_is_one(dataset: Dataset, kind: str) -> None:
    outcome = PointsOutcome(PointsRequest("x"), (dataset.point("BL40"),), kind)  # type: ignore[arg-type]
    assert outcome.one


def test_no_query_is_a_list(dataset: Dataset) -> None:
    outcome = find_points(PointsRequest("  ", region="knee"), dataset)
    assert [p.code for p in outcome.points] == ["BL40"]
    assert not outcome.one


def test_a_region_word_through_the_flow(dataset: Dataset) -> None:
    outcome = find_points(PointsRequest("Knees"), dataset)
    assert (outcome.kind, outcome.matched_name, [p.code for p in outcome.points]) == (
        "region",
        "knee",
        ["BL40"],
    )


@pytest.mark.parametrize(
    ("query", "message", "hint"),
    [
        (
            "ST16",
            "No point matches 'ST16': ST16 is not one of the points in this guide.",
            "Did you mean one of these other points: ST31 (Bìguān), ST36 (Zúsānlǐ)?",
        ),
        (
            "GB45",
            "No point matches 'GB45': the points of the Gallbladder channel are numbered 1 to 44, "
            "so GB45 is not a point.",
            "Did you mean one of these other points: GB34 (Yánglíngquán)?",
        ),
        ("LU7", "No point matches 'LU7': LU7 is not one of the points in this guide.",
         "Run 'hipguide points' to list every point."),
        ("xyzzy", "No point matches 'xyzzy'.", "Run 'hipguide points' to list every point."),
        ("kne", "No point matches 'kne'.", "Did you mean: knee, Kidney 3 (KI3)?"),
    ],
)  # fmt: skip
def test_what_no_match_says(dataset: Dataset, query: str, message: str, hint: str) -> None:
    with pytest.raises(NoMatchError) as caught:
        find_points(PointsRequest(query), dataset)
    assert (caught.value.message, caught.value.hint) == (message, hint)


def test_a_channel_without_a_last_number_never_says_it(dataset: Dataset) -> None:
    channels = tuple(c._replace(last=0) if c.id == "GB" else c for c in dataset.channels)
    with pytest.raises(NoMatchError) as caught:
        find_points(PointsRequest("GB0"), variant(dataset, channels=channels))
    assert (
        caught.value.message
        == "No point matches 'GB0': GB0 is not one of the points in this guide."
    )


def test_found_but_filtered_out(dataset: Dataset) -> None:
    with pytest.raises(NoMatchError) as caught:
        find_points(PointsRequest("GB30", region="hand"), dataset)
    assert caught.value.hint == "GB30 exists but not with these filters."


def test_an_unknown_condition_is_named_without_a_placeholder(dataset: Dataset) -> None:
    from hipguide.errors import UnknownChoice
    from hipguide.flows.lookup import find_condition

    with pytest.raises(UnknownChoice) as raised:
        find_condition("sciatika", dataset)
    said = str(raised.value)
    assert said.startswith("Unknown condition 'sciatika'. Did you mean sciatica?")
    assert "for ID" not in said
