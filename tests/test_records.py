"""hipguide's records behave as the standard library's frozen data classes do, for every
use hipguide makes of them."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, NamedTuple

import pytest

from hipguide import records


def pair(module: Any) -> tuple[Any, Any]:
    """The same two classes made by ``module``'s decorator: a frozen one with a default,
    a factory and a nested record, and a plain (unfrozen) one."""

    @module.dataclass(frozen=True)
    class Step:
        code: str
        seconds: int = 30

    @module.dataclass(frozen=True)
    class Plan:
        steps: tuple[Any, ...]
        minutes: float
        notes: list[str] = module.field(default_factory=list)
        tags: ClassVar[tuple[str, ...]] = ("a",)

        @property
        def count(self) -> int:
            return len(self.steps)

    @module.dataclass
    class Mutable:
        clock: object = None

    return (Step, Plan), Mutable


class Named(NamedTuple):
    x: int
    y: list[int]


@pytest.fixture(params=["standard", "hipguide"])
def made(request: pytest.FixtureRequest) -> Any:
    module = dataclasses if request.param == "standard" else records
    return module, *pair(module)


def test_fields_defaults_and_factories(made: Any) -> None:
    _, (Step, Plan), _ = made
    step = Step("GB30")
    assert (step.code, step.seconds) == ("GB30", 30)
    assert Step("GB30", 45).seconds == Step(code="GB30", seconds=45).seconds == 45
    first, second = Plan((step,), 1.5), Plan((step,), 1.5)
    assert first.notes == [] and first.notes is not second.notes
    assert first.count == 1 and Plan.tags == ("a",)
    assert "tags" not in repr(first)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, "code"),
        (("GB30", 1, 2), {}, "3"),
        (("GB30",), {"code": "x"}, "code"),
        (("GB30",), {"depth": 1}, "depth"),
    ],
)
def test_wrong_arguments_are_type_errors(
    made: Any, args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    _, (Step, _), _ = made
    with pytest.raises(TypeError, match=message):
        Step(*args, **kwargs)


def test_frozen_records_refuse_changes_and_hash_by_value(made: Any) -> None:
    module, (Step, _), Mutable = made
    step = Step("GB30")
    with pytest.raises(module.FrozenInstanceError):
        step.code = "GB31"
    with pytest.raises(AttributeError):
        del step.code
    assert step == Step("GB30") and step != Step("GB31") and step != ("GB30", 30)
    assert hash(step) == hash(Step("GB30")) and len({step, Step("GB30"), Step("GB31")}) == 2
    loose = Mutable()
    loose.clock = 1
    assert loose.clock == 1 and loose == Mutable(1)
    with pytest.raises(TypeError):
        hash(loose)


def test_repr_names_each_field(made: Any) -> None:
    _, (Step, _), _ = made
    assert repr(Step("GB30")).endswith("Step(code='GB30', seconds=30)")


def test_replace_makes_a_changed_copy(made: Any) -> None:
    module, (Step, _), _ = made
    step = Step("GB30")
    assert module.replace(step, seconds=10) == Step("GB30", 10)
    assert step.seconds == 30
    with pytest.raises(TypeError):
        module.replace(step, depth=1)


def test_asdict_goes_all_the_way_down(made: Any) -> None:
    module, (Step, Plan), _ = made
    plan = Plan((Step("GB30"), Step("BL40", 20)), 2.0, ["x"])
    assert module.asdict(plan) == {
        "steps": ({"code": "GB30", "seconds": 30}, {"code": "BL40", "seconds": 20}),
        "minutes": 2.0,
        "notes": ["x"],
    }
    inner = module.asdict(Plan((Named(1, [2]),), 0))["steps"][0]
    assert type(inner) is Named and inner == (1, [2])
    with pytest.raises(TypeError):
        module.asdict(("not", "a", "record"))


def test_a_subclass_keeps_its_bases_fields(made: Any) -> None:
    module, (Step, _), _ = made

    @module.dataclass(frozen=True)
    class Timed(Step):
        rest: int = 5

    timed = Timed("GB30", 10, 2)
    assert (timed.code, timed.seconds, timed.rest) == ("GB30", 10, 2)
    assert module.replace(timed, rest=1).rest == 1


def test_a_required_field_after_a_default_is_refused(made: Any) -> None:
    module, _, _ = made
    with pytest.raises(TypeError, match="non-default argument"):

        @module.dataclass(frozen=True)
        class Bad:
            a: int = 1
            b: int  # type: ignore[misc]


def test_both_a_default_and_a_factory_is_refused(made: Any) -> None:
    module, _, _ = made
    with pytest.raises(ValueError, match="both default and default_factory"):
        module.field(default=1, default_factory=list)


def test_a_field_left_out_of_comparing_is_left_out_of_hashing_too(made: Any) -> None:
    module, _, _ = made

    @module.dataclass(frozen=True)
    class Found:
        value: str
        line: int | None = module.field(default=None, compare=False)

    assert Found("x", 1) == Found("x", 2) != Found("y", 1)
    assert hash(Found("x", 1)) == hash(Found("x", 2))
    assert Found("x").line is None and "line=3" in repr(Found("x", 3))
