"""The red-flag rules of DESIGN.md section 3 (triage version 2), as tables, run against
the shipped data. The tables are copied from the design by hand: the data must agree."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import pytest

from hipguide.config import shipped_data_dir
from hipguide.dataset import load_dataset
from hipguide.errors import ExitCode
from hipguide.models import Triage
from hipguide.triage import Answer, assess, is_decisive, missing, ordered_questions, relevant

TRIAGE: Triage = load_dataset(shipped_data_dir()).triage
BY_ID = {q.id: q for q in TRIAGE.questions}
RANK = {"self-care": 0, "soon": 1, "urgent": 2, "emergency": 3}

# id -> (tier a lone yes gives, background?) from the DESIGN table; cautions give self-care.
DESIGN: dict[str, tuple[str, bool]] = {
    "injury": ("emergency", False),
    "cannot_bear_weight": ("emergency", False),
    "deformity": ("emergency", False),
    "saddle_numbness": ("emergency", False),
    "both_legs": ("emergency", False),
    "sepsis_signs": ("emergency", False),
    "chest_symptoms": ("emergency", False),
    "groin_lump": ("emergency", False),
    "pregnancy_warning": ("emergency", False),
    "fever": ("urgent", False),
    "hot_swollen": ("urgent", False),
    "calf_swelling": ("urgent", False),
    "leg_weakness": ("urgent", False),
    "sudden_severe": ("urgent", False),
    "weight_loss": ("urgent", False),
    "under_16": ("urgent", False),
    "hip_replacement": ("urgent", True),
    "cancer_history": ("soon", True),
    "night_pain": ("soon", False),
    "night_sweats": ("soon", False),
    "immunosuppressed": ("soon", True),
    "iv_drug_use": ("soon", True),
    "recent_procedure": ("soon", True),
    "worsening": ("soon", False),
    "persistent": ("soon", True),
    "morning_stiffness": ("soon", True),
    "over_50_new": ("soon", True),
    "no_improvement": ("soon", False),
    "pregnant": ("self-care", False),
    "anticoagulant": ("self-care", False),
    "older_or_fragile": ("self-care", False),
    "skin_problem": ("self-care", False),
    "assessed": ("self-care", False),
}
RED_FLAGS = [qid for qid, (tier, _) in DESIGN.items() if tier != "self-care"]
BACKGROUND = [qid for qid, (_, bg) in DESIGN.items() if bg]
CAUTION_EFFECT = {
    "pregnant": "no_pregnancy_avoid",
    "anticoagulant": "light_no_deep",
    "older_or_fragile": "fragile",
    "skin_problem": "skip_area",
}


def unsure_tier(question_id: str) -> str:
    """DESIGN: unsure never gives self-care; on an emergency or urgent question at least
    urgent (emergency for saddle_numbness and both_legs); on a soon question, soon."""
    tier = DESIGN[question_id][0]
    if question_id in ("saddle_numbness", "both_legs"):
        return "emergency"
    return "urgent" if tier in ("emergency", "urgent") else tier


# DESIGN's combinations: (the first question, any of these, the tier it gives).
COMBINATIONS = [
    (
        "fever",
        ["hot_swollen", "immunosuppressed", "sudden_severe", "hip_replacement",
         "recent_procedure", "iv_drug_use", "under_16"],
        "emergency",
    ),
    ("hot_swollen", ["immunosuppressed", "hip_replacement", "recent_procedure", "iv_drug_use"],
     "emergency"),
    ("night_pain", ["weight_loss", "cancer_history", "night_sweats"], "urgent"),
    ("cancer_history", ["night_sweats", "weight_loss", "leg_weakness"], "urgent"),
    ("night_sweats", ["fever", "weight_loss"], "urgent"),
]  # fmt: skip
PAIRS = [(a, b, tier) for a, partners, tier in COMBINATIONS for b in partners]


def no_except(answers: Mapping[str, Answer] | None = None, /, **more: Answer) -> dict[str, Answer]:
    """Every question answered no, except the ones given."""
    result: dict[str, Answer] = {q.id: "no" for q in TRIAGE.questions}
    result.update(answers or {})
    result.update(more)
    return result


def lone(question_id: str, answer: Answer) -> dict[str, Answer]:
    return no_except({question_id: answer})


# --- the table ----------------------------------------------------------------------------


def test_the_data_has_exactly_the_design_ids() -> None:
    assert sorted(BY_ID) == sorted(DESIGN)


@pytest.mark.parametrize("question_id", sorted(DESIGN))
def test_each_question_has_its_design_kind_and_background_flag(question_id: str) -> None:
    tier, background = DESIGN[question_id]
    if question_id in CAUTION_EFFECT:
        tier = "caution"
    elif question_id == "assessed":
        tier = "modifier"
    assert (BY_ID[question_id].tier, BY_ID[question_id].background) == (tier, background)


def test_all_no_is_self_care_with_nothing_listed() -> None:
    verdict = assess(TRIAGE, no_except())
    assert (verdict.tier, verdict.exit_code) == ("self-care", 0)
    assert verdict.reasons == verdict.cautions == verdict.notes == ()


@pytest.mark.parametrize("question_id", RED_FLAGS)
def test_yes_on_one_question_gives_its_tier(question_id: str) -> None:
    verdict = assess(TRIAGE, lone(question_id, "yes"))
    assert verdict.tier == DESIGN[question_id][0]
    assert (verdict.reasons[0].id, verdict.reasons[0].cause) == (question_id, "yes")
    assert verdict.exit_code == {"soon": 3, "urgent": 4, "emergency": 5}[verdict.tier]


@pytest.mark.parametrize("question_id", RED_FLAGS)
def test_unsure_on_one_question_is_never_self_care(question_id: str) -> None:
    verdict = assess(TRIAGE, lone(question_id, "unsure"))
    assert verdict.tier == unsure_tier(question_id)
    assert verdict.tier != "self-care"
    assert (verdict.reasons[0].id, verdict.reasons[0].cause) == (question_id, "unsure")


@pytest.mark.parametrize(("caution", "effect"), sorted(CAUTION_EFFECT.items()))
@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_a_caution_applies_on_yes_and_unsure_and_leaves_the_tier(
    caution: str, effect: str, answer: Answer
) -> None:
    verdict = assess(TRIAGE, lone(caution, answer))
    assert (verdict.tier, verdict.cautions) == ("self-care", (caution,))
    assert BY_ID[caution].effect == effect


@pytest.mark.parametrize("caution", sorted(CAUTION_EFFECT))
@pytest.mark.parametrize("red_flag", ["injury", "fever", "worsening"])
def test_cautions_never_change_the_tier(caution: str, red_flag: str) -> None:
    without = assess(TRIAGE, lone(red_flag, "yes"))
    with_caution = assess(TRIAGE, no_except({red_flag: "yes", caution: "yes"}))
    assert with_caution.tier == without.tier == DESIGN[red_flag][0]
    assert with_caution.reasons == without.reasons


# --- combinations -------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "other", "tier"), PAIRS)
@pytest.mark.parametrize(("a", "b"), [("yes", "yes"), ("unsure", "unsure"), ("yes", "unsure")])
def test_every_combination_escalates_on_yes_and_unsure(
    first: str, other: str, tier: str, a: Answer, b: Answer
) -> None:
    verdict = assess(TRIAGE, no_except({first: a, other: b}))
    assert RANK[verdict.tier] >= RANK[tier]
    combos = [r for r in verdict.reasons if r.cause == "combination"]
    assert tier in [r.tier for r in combos]


@pytest.mark.parametrize(("first", "other", "tier"), PAIRS)
def test_a_combination_never_lowers_a_tier(first: str, other: str, tier: str) -> None:
    alone = max(RANK[DESIGN[first][0]], RANK[DESIGN[other][0]])
    assert RANK[assess(TRIAGE, no_except({first: "yes", other: "yes"})).tier] >= alone


@pytest.mark.parametrize(("first", "other", "tier"), PAIRS)
def test_each_half_alone_does_not_meet_the_combination(first: str, other: str, tier: str) -> None:
    for question_id in (first, other):
        verdict = assess(TRIAGE, lone(question_id, "yes"))
        assert all(r.cause != "combination" for r in verdict.reasons)


def test_a_lone_combination_rule_needs_every_group() -> None:
    partners = {b for a, bs, _ in COMBINATIONS for b in bs} | {a for a, _, _ in COMBINATIONS}
    for x, y in itertools.combinations(sorted(partners), 2):
        paired = {(a, b) for a, b, _ in PAIRS} | {(b, a) for a, b, _ in PAIRS}
        if (x, y) in paired:
            continue
        verdict = assess(TRIAGE, no_except({x: "yes", y: "yes"}))
        assert all(r.cause != "combination" for r in verdict.reasons), (x, y)


# --- assessed -----------------------------------------------------------------------------


@pytest.mark.parametrize("question_id", BACKGROUND)
@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_assessed_turns_a_background_answer_into_a_note(question_id: str, answer: Answer) -> None:
    verdict = assess(TRIAGE, no_except({question_id: answer, "assessed": "yes"}))
    assert verdict.tier == "self-care"
    assert verdict.notes == (question_id,)
    assert verdict.reasons == ()


@pytest.mark.parametrize("question_id", BACKGROUND)
@pytest.mark.parametrize("assessed", ["no", "unsure"])
def test_unsure_or_no_on_assessed_changes_nothing(question_id: str, assessed: Answer) -> None:
    verdict = assess(TRIAGE, no_except({question_id: "yes", "assessed": assessed}))
    assert verdict.tier == DESIGN[question_id][0]
    assert verdict.notes == ()


@pytest.mark.parametrize("question_id", [q for q in RED_FLAGS if q not in BACKGROUND])
def test_assessed_leaves_every_other_question_as_it_was(question_id: str) -> None:
    verdict = assess(TRIAGE, no_except({question_id: "yes", "assessed": "yes"}))
    assert verdict.tier == DESIGN[question_id][0]
    assert verdict.notes == ()


@pytest.mark.parametrize(
    ("first", "other", "tier"), [p for p in PAIRS if p[0] in BACKGROUND or p[1] in BACKGROUND]
)
@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_a_background_answer_still_counts_inside_a_combination_when_assessed(
    first: str, other: str, tier: str, answer: Answer
) -> None:
    verdict = assess(TRIAGE, no_except({first: answer, other: answer, "assessed": "yes"}))
    assert RANK[verdict.tier] >= RANK[tier]
    assert tier in [r.tier for r in verdict.reasons if r.cause == "combination"]


# --- the history, order, asking -----------------------------------------------------------


def test_derived_no_improvement_overrides_a_no() -> None:
    why = object()
    verdict = assess(TRIAGE, no_except(), derived={"no_improvement": why})
    assert verdict.tier == "soon"
    assert [(r.id, r.cause) for r in verdict.reasons] == [("no_improvement", "derived")]
    assert verdict.answers["no_improvement"] == "yes"
    assert verdict.derived == {"no_improvement": why}


def test_derived_overrides_when_the_question_was_not_asked() -> None:
    assert assess(TRIAGE, {}, derived={"no_improvement": "history"}).tier == "soon"


def test_reasons_run_from_the_most_serious_then_in_asking_order() -> None:
    verdict = assess(TRIAGE, no_except(worsening="yes", fever="yes", injury="yes"))
    assert [r.id for r in verdict.reasons] == ["injury", "fever", "worsening"]
    assert [r.tier for r in verdict.reasons] == ["emergency", "urgent", "soon"]


def test_unknown_ids_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="injjury"):
        assess(TRIAGE, {"injjury": "yes"})
    with pytest.raises(ValueError, match="no_progress"):
        assess(TRIAGE, {}, derived={"no_progress": "history"})


def test_tiers_rank_and_exit_codes_come_from_the_data() -> None:
    assert {t.id: (t.rank, t.exit_code) for t in TRIAGE.tiers} == {
        "self-care": (0, ExitCode.OK),
        "soon": (1, ExitCode.SOON),
        "urgent": (2, ExitCode.URGENT),
        "emergency": (3, ExitCode.EMERGENCY),
    }


def test_asking_order_is_tiers_then_cautions_with_follow_ups_after_their_question() -> None:
    order = [q.id for q in ordered_questions(TRIAGE)]
    tiers = [BY_ID[i].tier for i in order]
    kinds = ["emergency", "urgent", "soon", "caution", "modifier"]
    main = [t for i, t in zip(order, tiers, strict=True) if not BY_ID[i].after]
    assert main == sorted(main, key=kinds.index)
    assert order[order.index("pregnant") + 1] == "pregnancy_warning"
    assert order[-1] == "assessed"


def test_pregnancy_warning_is_needed_only_after_pregnant_yes_or_unsure() -> None:
    assert BY_ID["pregnancy_warning"].after == "pregnant"
    without = {k: v for k, v in no_except().items() if k != "pregnancy_warning"}
    assert missing(TRIAGE, without) == []
    for answer in ("yes", "unsure"):
        assert missing(TRIAGE, {**without, "pregnant": answer}) == ["pregnancy_warning"]


def test_a_pregnancy_warning_given_anyway_counts() -> None:
    verdict = assess(TRIAGE, no_except(pregnancy_warning="yes"))
    assert verdict.tier == "emergency"


@pytest.mark.parametrize("question_id", BACKGROUND)
def test_assessed_is_needed_only_once_a_background_question_is_flagged(question_id: str) -> None:
    without = {k: v for k, v in no_except().items() if k != "assessed"}
    assert missing(TRIAGE, without) == []
    assert not relevant(BY_ID["assessed"], TRIAGE, without)
    for answer in ("yes", "unsure"):
        assert missing(TRIAGE, {**without, question_id: answer}) == ["assessed"]


def test_missing_lists_unanswered_ids_in_asking_order() -> None:
    answers = no_except()
    for question_id in ("skin_problem", "fever", "injury"):
        del answers[question_id]
    assert missing(TRIAGE, answers) == ["injury", "fever", "skin_problem"]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, False),
        ({"injury": "no", "both_legs": "no"}, False),
        ({"injury": "yes"}, True),
        ({"injury": "unsure"}, False),  # urgent; later answers may still show an emergency
        ({"saddle_numbness": "unsure"}, True),
        ({"both_legs": "unsure"}, True),
        ({"fever": "yes"}, False),
        ({"fever": "yes", "hot_swollen": "unsure"}, True),
        ({"hot_swollen": "yes", "iv_drug_use": "yes", "assessed": "yes"}, True),
        ({"worsening": "yes", "pregnant": "yes"}, False),
        ({"pregnant": "yes", "pregnancy_warning": "yes"}, True),
    ],
)
def test_is_decisive(answers: dict[str, Answer], expected: bool) -> None:
    assert is_decisive(TRIAGE, answers) is expected
