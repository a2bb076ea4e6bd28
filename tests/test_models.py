"""The record base of the dataset's models behaves like a NamedTuple."""

from __future__ import annotations

import pickle

import pytest

from hipguide.models import Figure, Source, Technique


def test_fields_defaults_and_access() -> None:
    source = Source("who-2008", "standard", "WHO 2008")
    assert Source._fields == ("id", "kind", "title", "url", "file", "note", "publisher")
    assert (source.id, source.url, source.note) == ("who-2008", "", "")
    assert Source(id="a", kind="nhs", title="T", url="u").url == "u"


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("a",), {}, "missing field 'kind'"),
        (("a", "nhs", "T"), {"colour": "red"}, "has no field 'colour'"),
        (("a", "nhs", "T", "u", "f", "n", "p", "extra"), {}, "takes 7 fields, got 8"),
    ],
)
def test_wrong_construction_is_a_type_error(
    args: tuple[str, ...], kwargs: dict[str, str], message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        Source(*args, **kwargs)


def test_records_are_immutable_hashable_and_comparable() -> None:
    figure = Figure("back", 3, 4)
    with pytest.raises(AttributeError):
        figure.x = 5  # type: ignore[misc]
    assert figure == Figure(view="back", x=3, y=4)
    assert len({figure, Figure("back", 3, 4)}) == 1
    assert repr(figure) == "Figure(view='back', x=3, y=4)"


def test_replace_asdict_and_pickle() -> None:
    technique = Technique("firm", 60, "thumb")
    assert technique._replace(seconds=30) == Technique("firm", 30, "thumb")
    assert technique._asdict() == {"pressure": "firm", "seconds": 60, "method": "thumb"}
    copy = pickle.loads(pickle.dumps(technique))
    assert copy == technique and type(copy) is Technique


def test_records_carry_no_instance_dictionary_as_a_named_tuple() -> None:
    from hipguide.dataset import RECORDS

    source = Source("id", "seed", "Title")
    with pytest.raises(AttributeError):
        source.extra = 1  # type: ignore[attr-defined]
    assert not hasattr(source, "__dict__")
    for record_type in RECORDS.values():
        assert record_type.__dict__["__slots__"] == (), record_type
        assert record_type.__dict__["_fields"] == tuple(record_type.__annotations__)
