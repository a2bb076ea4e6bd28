"""The red-flag rules of DESIGN.md section 3, run against the real triage data."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from hipguide.config import shipped_data_dir
from hipguide.dataset import load_dataset
from hipguide.errors import ExitCode
from hipguide.models import Triage
from hipguide.triage import Answer, assess, is_decisive, missing, ordered_questions

# DESIGN.md section 3, copied by hand: the verdict tier that a lone "yes" gives
# (a caution leaves the verdict at self-care).
YES_TIER = {
    "injury": "emergency",
    "cannot_bear_weight": "emergency",
    "deformity": "emergency",
    "saddle_numbness": "emergency",
    "both_legs": "emergency",
    "fever": "urgent",
    "hot_swollen": "urgent",
    "leg_weakness": "urgent",
    "sudden_severe": "urgent",
    "weight_loss": "urgent",
    "cancer_history": "urgent",
    "under_16": "urgent",
    "hip_replacement": "urgent",
    "night_pain": "soon",
    "night_sweats": "soon",
    "immunosuppressed": "soon",
    "iv_drug_use": "soon",
    "worsening": "soon",
    "persistent": "soon",
    "morning_stiffness": "soon",
    "over_50_new": "soon",
    "no_improvement": "soon",
    "pregnant": "self-care",
    "anticoagulant": "self-care",
    "skin_problem": "self-care",
}
# A lone "unsure": never self-care for a red flag; emergency questions give urgent.
UNSURE_TIER = {qid: ("urgent" if tier == "emergency" else tier) for qid, tier in YES_TIER.items()}
TRIAGE_BY_ID = {}  # filled below, once the data is loaded
CAUTION_EFFECT = {
    "pregnant": "no_pregnancy_avoid",
    "anticoagulant": "light_no_deep",
    "skin_problem": "skip_area",
}


TRIAGE: Triage = load_dataset(shipped_data_dir()).triage
TRIAGE_BY_ID.update({q.id: q for q in TRIAGE.questions})


def no_except(
    overrides: Mapping[str, Answer] | None = None, /, **more: Answer
) -> dict[str, Answer]:
    """Every question answered no, except the overrides."""
    answers: dict[str, Answer] = {q.id: "no" for q in TRIAGE.questions}
    answers.update(overrides or {})
    answers.update(more)
    return answers


def test_the_data_has_exactly_the_design_ids() -> None:
    assert sorted(q.id for q in TRIAGE.questions) == sorted(YES_TIER)


def test_all_no_is_self_care_with_no_reasons() -> None:
    verdict = assess(TRIAGE, no_except())
    assert verdict.tier == "self-care"
    assert verdict.reasons == ()
    assert verdict.cautions == ()
    assert verdict.exit_code == 0


@pytest.mark.parametrize(("question_id", "expected"), sorted(YES_TIER.items()))
def test_yes_on_one_question_gives_its_tier(question_id: str, expected: str) -> None:
    verdict = assess(TRIAGE, no_except({question_id: "yes"}))
    assert verdict.tier == expected
    if expected == "self-care":
        assert verdict.cautions == (question_id,)
        assert verdict.reasons == ()
    else:
        assert [(r.id, r.tier, r.cause) for r in verdict.reasons] == [
            (question_id, expected, "yes")
        ]


@pytest.mark.parametrize(("question_id", "expected"), sorted(UNSURE_TIER.items()))
def test_unsure_on_one_question(question_id: str, expected: str) -> None:
    verdict = assess(TRIAGE, no_except({question_id: "unsure"}))
    assert verdict.tier == expected
    if question_id in CAUTION_EFFECT:
        assert verdict.cautions == (question_id,)
        assert TRIAGE_BY_ID[question_id].effect == CAUTION_EFFECT[question_id]
    else:
        assert verdict.tier != "self-care"
        assert [(r.id, r.cause) for r in verdict.reasons] == [(question_id, "unsure")]


# (answers that meet the rule, the combination id, its tier) from DESIGN.md.
COMBINATIONS = [
    ({"fever": "yes", "hot_swollen": "yes"}, "fever_hot_swollen", "emergency"),
    ({"fever": "yes", "immunosuppressed": "yes"}, "fever_immunosuppressed", "emergency"),
    ({"night_pain": "yes", "weight_loss": "yes"}, "night_pain_red_flags", "urgent"),
    ({"night_pain": "yes", "cancer_history": "yes"}, "night_pain_red_flags", "urgent"),
    ({"night_pain": "yes", "night_sweats": "yes"}, "night_pain_red_flags", "urgent"),
    ({"night_sweats": "yes", "fever": "yes"}, "night_sweats_illness", "urgent"),
    ({"night_sweats": "yes", "weight_loss": "yes"}, "night_sweats_illness", "urgent"),
    ({"iv_drug_use": "yes", "fever": "yes"}, "injecting_infection", "urgent"),
    ({"iv_drug_use": "yes", "sudden_severe": "yes"}, "injecting_infection", "urgent"),
]


@pytest.mark.parametrize(("pair", "combo_id", "expected"), COMBINATIONS)
def test_combination_escalates(pair: dict[str, Answer], combo_id: str, expected: str) -> None:
    verdict = assess(TRIAGE, no_except(pair))
    assert verdict.tier == expected
    assert combo_id in [r.id for r in verdict.reasons]
    assert verdict.reasons[0].tier == expected


@pytest.mark.parametrize(("pair", "combo_id", "expected"), COMBINATIONS)
def test_combination_counts_unsure_as_yes(
    pair: dict[str, Answer], combo_id: str, expected: str
) -> None:
    unsure: dict[str, Answer] = {key: "unsure" for key in pair}
    verdict = assess(TRIAGE, no_except(unsure))
    assert verdict.tier == expected
    assert combo_id in [r.id for r in verdict.reasons]


@pytest.mark.parametrize(("pair", "combo_id", "expected"), COMBINATIONS)
def test_each_half_alone_stays_at_its_own_tier(
    pair: dict[str, Answer], combo_id: str, expected: str
) -> None:
    for question_id in pair:
        verdict = assess(TRIAGE, no_except({question_id: "yes"}))
        assert verdict.tier == YES_TIER[question_id]
        assert combo_id not in [r.id for r in verdict.reasons]


@pytest.mark.parametrize("caution", sorted(CAUTION_EFFECT))
@pytest.mark.parametrize("red_flag", ["injury", "fever", "worsening"])
def test_cautions_never_change_the_tier(caution: str, red_flag: str) -> None:
    without = assess(TRIAGE, no_except({red_flag: "yes"}))
    with_caution = assess(TRIAGE, no_except({red_flag: "yes", caution: "yes"}))
    assert with_caution.tier == without.tier == YES_TIER[red_flag]
    assert with_caution.reasons == without.reasons
    assert with_caution.cautions == (caution,)


def test_all_cautions_together_are_collected_in_ask_order() -> None:
    verdict = assess(TRIAGE, no_except(pregnant="yes", anticoagulant="unsure", skin_problem="yes"))
    assert verdict.tier == "self-care"
    assert verdict.cautions == ("pregnant", "anticoagulant", "skin_problem")


def test_derived_no_improvement_overrides_a_no() -> None:
    why = "pain scores did not fall over 9 sessions in 30 days"
    verdict = assess(TRIAGE, no_except(), derived={"no_improvement": why})
    assert verdict.tier == "soon"
    assert [(r.id, r.cause) for r in verdict.reasons] == [("no_improvement", "derived")]
    assert verdict.answers["no_improvement"] == "yes"
    assert verdict.derived == {"no_improvement": why}


def test_derived_overrides_when_the_question_was_not_asked() -> None:
    verdict = assess(TRIAGE, {}, derived={"no_improvement": "history"})
    assert verdict.tier == "soon"


def test_reasons_sorted_by_tier_then_ask_order() -> None:
    answers = no_except(worsening="yes", fever="yes", injury="yes", cancer_history="yes")
    verdict = assess(TRIAGE, answers)
    assert verdict.tier == "emergency"
    assert [r.id for r in verdict.reasons] == ["injury", "fever", "cancer_history", "worsening"]
    assert [r.tier for r in verdict.reasons] == ["emergency", "urgent", "urgent", "soon"]


def test_unsure_on_an_emergency_question_gives_urgent() -> None:
    verdict = assess(TRIAGE, no_except(injury="unsure"))
    reason = verdict.reasons[0]
    assert (reason.id, reason.tier, reason.cause) == ("injury", "urgent", "unsure")


def test_partial_answers_are_assessed() -> None:
    verdict = assess(TRIAGE, {"both_legs": "yes"})
    assert verdict.tier == "emergency"


def test_assess_rejects_an_unknown_id() -> None:
    with pytest.raises(ValueError, match="injjury"):
        assess(TRIAGE, {"injjury": "yes"})


def test_assess_rejects_an_unknown_derived_id() -> None:
    with pytest.raises(ValueError, match="no_progress"):
        assess(TRIAGE, {}, derived={"no_progress": "history"})


def test_tiers_rank_and_exit_codes_come_from_the_data() -> None:
    by_rank = sorted(TRIAGE.tiers, key=lambda tier: tier.rank)
    assert [t.id for t in by_rank] == ["self-care", "soon", "urgent", "emergency"]
    assert {t.id: t.exit_code for t in TRIAGE.tiers} == {
        "self-care": ExitCode.OK,
        "soon": ExitCode.SOON,
        "urgent": ExitCode.URGENT,
        "emergency": ExitCode.EMERGENCY,
    }
    for tier in TRIAGE.tiers:
        if tier.rank:
            verdict = assess(
                TRIAGE, {next(q.id for q in TRIAGE.questions if q.tier == tier.id): "yes"}
            )
            assert verdict.exit_code == tier.exit_code


def test_ordered_questions_put_emergency_first_then_urgent_soon_caution() -> None:
    tiers = [q.tier for q in ordered_questions(TRIAGE)]
    assert tiers == sorted(tiers, key=["emergency", "urgent", "soon", "caution"].index)
    assert tiers[0] == "emergency"
    assert tiers[-3:] == ["caution", "caution", "caution"]


def test_ordered_questions_is_stable_and_sorts_a_shuffled_triage() -> None:
    shuffled = TRIAGE._replace(questions=tuple(reversed(TRIAGE.questions)))
    ordered = ordered_questions(shuffled)
    assert [q.tier for q in ordered][:5] == ["emergency"] * 5
    emergency_ids = [q.id for q in ordered if q.tier == "emergency"]
    assert emergency_ids == [q.id for q in reversed(TRIAGE.questions) if q.tier == "emergency"]


def test_missing_lists_unanswered_ids_in_ask_order() -> None:
    answers = no_except()
    for question_id in ("skin_problem", "fever", "injury"):
        del answers[question_id]
    assert missing(TRIAGE, answers) == ["injury", "fever", "skin_problem"]
    assert missing(TRIAGE, no_except()) == []


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, False),
        ({"injury": "no", "both_legs": "no"}, False),
        ({"injury": "yes"}, True),
        ({"saddle_numbness": "yes"}, True),
        # unsure alone gives "urgent"; later answers may still show an emergency
        ({"saddle_numbness": "unsure"}, False),
        ({"injury": "unsure", "fever": "unsure", "hot_swollen": "unsure"}, True),
        ({"fever": "yes"}, False),
        ({"fever": "yes", "hot_swollen": "unsure"}, True),
        ({"worsening": "yes", "pregnant": "yes"}, False),
    ],
)
def test_is_decisive(answers: dict[str, Answer], expected: bool) -> None:
    assert is_decisive(TRIAGE, answers) is expected
