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
from hipguide.triage import (
    Answer,
    Reason,
    assess,
    combination_met,
    flagged,
    is_decisive,
    lowest_tier,
    missing,
    ordered_questions,
    relevant,
    top_tier,
)

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
    kinds = ["emergency", "urgent", "soon", "caution", "modifier"]

    def kind(question_id: str) -> int:  # a question goes with the gravest one it opens
        opened = [q.tier for q in TRIAGE.questions if q.after == question_id]
        return min(map(kinds.index, [BY_ID[question_id].tier, *opened]))

    main = [kind(i) for i in order if not BY_ID[i].after]
    assert main == sorted(main)
    assert order[order.index("pregnant") + 1] == "pregnancy_warning"
    assert order[-1] == "assessed"


def _order(triage: Triage) -> list[str]:
    return [q.id for q in ordered_questions(triage)]


def _with_tier(question_id: str, tier: str) -> Triage:
    questions = tuple(q._replace(tier=tier) if q.id == question_id else q for q in TRIAGE.questions)
    return TRIAGE._replace(questions=questions)


def _last_of(order: list[str], tier: str) -> int:
    return max(order.index(q.id) for q in TRIAGE.questions if q.tier == tier and not q.after)


def test_a_caution_that_opens_an_emergency_is_asked_straight_after_the_emergencies() -> None:
    order = _order(TRIAGE)
    first_urgent = min(order.index(q.id) for q in TRIAGE.questions if q.tier == "urgent")
    assert order.index("pregnant") == _last_of(order, "emergency") + 1
    assert order.index("pregnancy_warning") == order.index("pregnant") + 1 < first_urgent
    # it follows the gravest question it opens: with an urgent one, after the urgent ones
    order = _order(_with_tier("pregnancy_warning", "urgent"))
    assert order.index("pregnant") == _last_of(order, "urgent") + 1
    # and a follow-up no graver than its question leaves it where it was
    order = _order(_with_tier("pregnancy_warning", "caution"))
    assert order.index("pregnant") == _last_of(order, "soon") + 1
    assert order[-3:] == ["older_or_fragile", "skin_problem", "assessed"]


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


# --- every field of every decision ---------------------------------------------------------

EXIT_CODE = {"self-care": 0, "soon": 3, "urgent": 4, "emergency": 5}
COMBO_IDS = [c.id for c in TRIAGE.combinations]


@pytest.mark.parametrize("question_id", RED_FLAGS)
def test_a_lone_yes_is_one_reason_with_the_question_its_tier_and_yes(question_id: str) -> None:
    answers = lone(question_id, "yes")
    verdict = assess(TRIAGE, answers)
    tier = DESIGN[question_id][0]
    assert verdict.reasons == (Reason(question_id, tier, "yes"),)
    assert (verdict.tier, verdict.exit_code) == (tier, EXIT_CODE[tier])
    assert (verdict.cautions, verdict.notes, dict(verdict.derived)) == ((), (), {})
    assert dict(verdict.answers) == answers


@pytest.mark.parametrize("question_id", RED_FLAGS)
def test_a_lone_unsure_is_one_reason_with_the_tier_unsure_gives(question_id: str) -> None:
    verdict = assess(TRIAGE, lone(question_id, "unsure"))
    tier = unsure_tier(question_id)
    assert verdict.reasons == (Reason(question_id, tier, "unsure"),)
    assert (verdict.tier, verdict.exit_code) == (tier, EXIT_CODE[tier])


@pytest.mark.parametrize("question_id", RED_FLAGS)
@pytest.mark.parametrize("answer", ["no", "unsure", "yes"])
def test_a_derived_answer_is_one_reason_with_the_question_tier_and_derived(
    question_id: str, answer: Answer
) -> None:
    why = object()
    verdict = assess(TRIAGE, lone(question_id, answer), derived={question_id: why})
    tier = DESIGN[question_id][0]
    assert verdict.reasons == (Reason(question_id, tier, "derived"),)
    assert (verdict.tier, verdict.exit_code) == (tier, EXIT_CODE[tier])
    assert verdict.answers[question_id] == "yes"
    assert dict(verdict.derived) == {question_id: why}


@pytest.mark.parametrize("question_id", BACKGROUND)
def test_a_derived_background_answer_counts_even_when_assessed(question_id: str) -> None:
    verdict = assess(TRIAGE, no_except(assessed="yes"), derived={question_id: "from the history"})
    assert verdict.reasons == (Reason(question_id, DESIGN[question_id][0], "derived"),)
    assert verdict.notes == ()


def test_combinations_come_first_at_their_rank_in_data_order_then_the_questions() -> None:
    answers = no_except(fever="yes", hot_swollen="yes", immunosuppressed="yes")
    verdict = assess(TRIAGE, answers)
    assert COMBO_IDS[:2] == ["fever_infection_risk", "hot_joint_infection_risk"]
    assert verdict.reasons == (
        Reason("fever_infection_risk", "emergency", "combination"),
        Reason("hot_joint_infection_risk", "emergency", "combination"),
        Reason("fever", "urgent", "yes"),
        Reason("hot_swollen", "urgent", "yes"),
        Reason("immunosuppressed", "soon", "yes"),
    )
    assert (verdict.tier, verdict.exit_code) == ("emergency", 5)


def test_a_question_comes_before_a_combination_of_its_rank() -> None:
    verdict = assess(TRIAGE, no_except(injury="yes", fever="unsure", hot_swollen="yes"))
    assert [(r.id, r.tier, r.cause) for r in verdict.reasons] == [
        ("injury", "emergency", "yes"),
        ("fever_infection_risk", "emergency", "combination"),
        ("fever", "urgent", "unsure"),
        ("hot_swollen", "urgent", "yes"),
    ]


def test_an_urgent_combination_sits_among_the_urgent_answers() -> None:
    verdict = assess(TRIAGE, no_except(night_pain="yes", weight_loss="yes"))
    assert verdict.reasons == (
        Reason("weight_loss", "urgent", "yes"),
        Reason("night_pain_red_flags", "urgent", "combination"),
        Reason("night_pain", "soon", "yes"),
    )


def test_cautions_and_notes_come_in_asking_order() -> None:
    verdict = assess(
        TRIAGE,
        no_except(
            skin_problem="yes",
            pregnant="unsure",
            anticoagulant="yes",
            over_50_new="yes",
            cancer_history="unsure",
            assessed="yes",
        ),
    )
    assert verdict.cautions == ("pregnant", "anticoagulant", "skin_problem")
    assert verdict.notes == ("cancer_history", "over_50_new")
    assert verdict.reasons == ()


def test_a_modifier_alone_changes_nothing() -> None:
    verdict = assess(TRIAGE, no_except(assessed="yes"))
    assert (verdict.tier, verdict.reasons, verdict.cautions, verdict.notes) == (
        "self-care",
        (),
        (),
        (),
    )


def test_the_verdict_cannot_be_changed_and_keeps_its_own_copy() -> None:
    answers = no_except(fever="yes")
    derived = {"no_improvement": "history"}
    verdict = assess(TRIAGE, answers, derived=derived)
    answers["injury"] = "yes"
    derived["worsening"] = "later"
    assert verdict.answers["injury"] == "no"
    assert dict(verdict.derived) == {"no_improvement": "history"}
    with pytest.raises(TypeError):
        verdict.answers["injury"] = "yes"  # type: ignore[index]
    with pytest.raises(TypeError):
        verdict.derived["x"] = 1  # type: ignore[index]


def test_unanswered_questions_count_for_nothing() -> None:
    verdict = assess(TRIAGE, {"worsening": "yes"})
    assert verdict.reasons == (Reason("worsening", "soon", "yes"),)
    assert dict(verdict.answers) == {"worsening": "yes"}


def test_an_unknown_id_names_itself_in_the_error() -> None:
    with pytest.raises(ValueError, match=r"^not a question id: 'injjury'$"):
        assess(TRIAGE, {"injury": "no", "injjury": "yes"})


def test_top_and_lowest_tier_follow_rank_not_data_order() -> None:
    reversed_tiers = TRIAGE._replace(tiers=tuple(reversed(TRIAGE.tiers)))
    for triage in (TRIAGE, reversed_tiers):
        assert (top_tier(triage).id, lowest_tier(triage).id) == ("emergency", "self-care")
        assert assess(triage, {}).tier == "self-care"
        assert assess(triage, {"injury": "yes"}).exit_code == 5


def test_unsure_falls_back_to_the_question_tier_when_its_tier_says_nothing() -> None:
    tiers = tuple(t._replace(unsure=None) if t.id == "soon" else t for t in TRIAGE.tiers)
    triage = TRIAGE._replace(tiers=tiers)
    assert assess(triage, {"worsening": "unsure"}).reasons == (
        Reason("worsening", "soon", "unsure"),
    )
    questions = tuple(
        q._replace(unsure="urgent") if q.id == "worsening" else q for q in TRIAGE.questions
    )
    overridden = TRIAGE._replace(questions=questions)
    assert assess(overridden, {"worsening": "unsure"}).reasons == (
        Reason("worsening", "urgent", "unsure"),
    )
    assert assess(overridden, {"worsening": "yes"}).reasons == (Reason("worsening", "soon", "yes"),)


def test_a_combination_needs_every_group_and_at_least_one() -> None:
    combo = TRIAGE.combinations[0]
    assert combination_met(combo, {"fever", "under_16"})
    assert not combination_met(combo, {"fever"})
    assert not combination_met(combo, {"under_16"})
    assert not combination_met(combo._replace(groups=()), {"fever", "under_16"})


def test_a_question_after_a_missing_one_goes_last() -> None:
    questions = tuple(
        q._replace(after="nothing_like_it") if q.id == "pregnancy_warning" else q
        for q in TRIAGE.questions
    )
    order = [q.id for q in ordered_questions(TRIAGE._replace(questions=questions))]
    assert order[-1] == "pregnancy_warning"
    assert order[-2] == "assessed"
    assert len(order) == len(TRIAGE.questions)


def test_asking_order_by_tier_rank_then_cautions_then_modifiers() -> None:
    order = [q.id for q in ordered_questions(TRIAGE)]
    assert order[:3] == ["injury", "cannot_bear_weight", "deformity"]
    assert order.index("groin_lump") < order.index("fever") < order.index("cancer_history")
    cautions = [q.id for q in TRIAGE.questions if q.tier == "caution"]
    assert cautions[0] == "pregnant"
    assert order[-4:] == [*cautions[1:], "assessed"]
    reordered = TRIAGE._replace(questions=tuple(reversed(TRIAGE.questions)))
    reverse = [q.id for q in ordered_questions(reordered)]
    assert reverse[0] == "groin_lump" and reverse[-1] == "assessed"
    assert reverse[reverse.index("pregnant") + 1] == "pregnancy_warning"


def test_relevant_without_after_or_modifier_is_always_asked() -> None:
    assert relevant(BY_ID["injury"], TRIAGE, {})
    assert not relevant(BY_ID["pregnancy_warning"], TRIAGE, {"pregnant": "no"})
    assert relevant(BY_ID["pregnancy_warning"], TRIAGE, {"pregnant": "unsure"})
    assert not relevant(BY_ID["assessed"], TRIAGE, {"injury": "yes", "cancer_history": "no"})
    assert relevant(BY_ID["assessed"], TRIAGE, {"cancer_history": "yes"})


def test_flagged_is_yes_or_unsure_only() -> None:
    assert [flagged(a) for a in ("yes", "unsure", "no", None, "YES")] == [
        True,
        True,
        False,
        False,
        False,
    ]


def test_is_decisive_ignores_unknown_ids_and_answers() -> None:
    assert is_decisive(TRIAGE, {"injury": "yes", "not_a_question": "yes"})
    assert not is_decisive(TRIAGE, {"injury": "maybe"})
    assert not is_decisive(TRIAGE, {"not_a_question": "yes"})


def test_an_answer_asked_after_the_modifier_still_counts() -> None:
    # a follow-up whose question is missing is asked last, after "assessed"
    questions = tuple(
        q._replace(after="nothing_like_it") if q.id == "pregnancy_warning" else q
        for q in TRIAGE.questions
    )
    triage = TRIAGE._replace(questions=questions)
    for assessed in ("yes", "unsure"):
        verdict = assess(triage, no_except(assessed=assessed, pregnancy_warning="yes"))
        assert verdict.reasons == (Reason("pregnancy_warning", "emergency", "yes"),)


def test_questions_are_ordered_even_without_tiers() -> None:
    triage = TRIAGE._replace(tiers=())
    order = [q.id for q in ordered_questions(triage)]
    assert sorted(order) == sorted(BY_ID)
    assert order[-1] == "assessed"
    assert order.index("skin_problem") < order.index("assessed")
