"""The red-flag rules of DESIGN.md section 3, run against the real triage data."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from hipguide.errors import ExitCode, UsageError
from hipguide.models import Combination, Question, TierText, Triage
from hipguide.triage import (
    EXIT_CODES,
    TIER_ORDER,
    Answer,
    assess,
    is_decisive,
    missing,
    ordered_questions,
    parse_answer,
    parse_assignments,
    validate_answers,
    verdict_to_dict,
)

DATA = Path(__file__).resolve().parents[1] / "data"

# DESIGN.md section 3, copied by hand: the verdict tier that a lone "yes" gives
# (a caution leaves the verdict at self-care).
YES_TIER = {
    "injury": "emergency",
    "cannot_bear_weight": "emergency",
    "deformity": "emergency",
    "saddle_numbness": "emergency",
    "both_legs": "emergency",
    "sepsis_signs": "emergency",
    "chest_symptoms": "emergency",
    "groin_lump": "emergency",
    "pregnancy_warning": "emergency",
    "fever": "urgent",
    "hot_swollen": "urgent",
    "calf_swelling": "urgent",
    "leg_weakness": "urgent",
    "sudden_severe": "urgent",
    "weight_loss": "urgent",
    "under_16": "urgent",
    "hip_replacement": "urgent",
    "cancer_history": "soon",
    "night_pain": "soon",
    "night_sweats": "soon",
    "immunosuppressed": "soon",
    "iv_drug_use": "soon",
    "recent_procedure": "soon",
    "worsening": "soon",
    "persistent": "soon",
    "morning_stiffness": "soon",
    "over_50_new": "soon",
    "no_improvement": "soon",
    "pregnant": "self-care",
    "anticoagulant": "self-care",
    "older_or_fragile": "self-care",
    "skin_problem": "self-care",
}
# A lone "unsure": never self-care for a red flag; emergency questions give urgent.
UNSURE_TIER = {qid: ("urgent" if tier == "emergency" else tier) for qid, tier in YES_TIER.items()}
CAUTION_EFFECT = {
    "pregnant": "no_pregnancy_avoid",
    "anticoagulant": "light_no_deep",
    "older_or_fragile": "fragile",
    "skin_problem": "skip_area",
}


def _triage_from_yaml(path: Path) -> Triage:
    """Build the Triage record straight from the YAML file (no cross-file checks)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Triage(
        emergency_number=doc["emergency_number"],
        tiers=tuple(TierText(**t) for t in doc["tiers"]),
        questions=tuple(
            Question(**{**q, "sources": tuple(q["sources"])}) for q in doc["questions"]
        ),
        combinations=tuple(
            Combination(
                **{
                    **c,
                    "groups": tuple(tuple(g) for g in c["groups"]),
                    "sources": tuple(c["sources"]),
                }
            )
            for c in doc["combinations"]
        ),
        reminder=doc["reminder"],
    )


def _load_triage() -> Triage:
    """The shipped triage, through the real loader once the whole dataset exists."""
    if all((DATA / name).is_file() for name in ("points.yaml", "conditions.yaml", "areas.yaml")):
        from hipguide.dataset import load_dataset

        return load_dataset(DATA).triage
    return _triage_from_yaml(DATA / "triage.yaml")


TRIAGE = _load_triage()


def all_no(overrides: Mapping[str, Answer] | None = None, /, **more: Answer) -> dict[str, Answer]:
    """Every question answered no, except the overrides."""
    answers: dict[str, Answer] = {q.id: "no" for q in TRIAGE.questions}
    answers.update(overrides or {})
    answers.update(more)
    return answers


def test_the_data_has_exactly_the_design_ids() -> None:
    assert sorted(q.id for q in TRIAGE.questions) == sorted(YES_TIER)


def test_all_no_is_self_care_with_no_reasons() -> None:
    verdict = assess(TRIAGE, all_no())
    assert verdict.tier == "self-care"
    assert verdict.reasons == ()
    assert verdict.cautions == ()
    assert verdict.exit_code == 0


@pytest.mark.parametrize(("question_id", "expected"), sorted(YES_TIER.items()))
def test_yes_on_one_question_gives_its_tier(question_id: str, expected: str) -> None:
    verdict = assess(TRIAGE, all_no({question_id: "yes"}))
    assert verdict.tier == expected
    if expected == "self-care":
        assert [c.id for c in verdict.cautions] == [question_id]
        assert verdict.reasons == ()
    else:
        assert [r.id for r in verdict.reasons] == [question_id]
        assert verdict.reasons[0].tier == expected
        assert verdict.reasons[0].sources


@pytest.mark.parametrize(("question_id", "expected"), sorted(UNSURE_TIER.items()))
def test_unsure_on_one_question(question_id: str, expected: str) -> None:
    verdict = assess(TRIAGE, all_no({question_id: "unsure"}))
    assert verdict.tier == expected
    if question_id in CAUTION_EFFECT:
        assert [(c.id, c.effect) for c in verdict.cautions] == [
            (question_id, CAUTION_EFFECT[question_id])
        ]
    else:
        assert verdict.tier != "self-care"
        assert "not sure" in verdict.reasons[0].text


# (answers that meet the rule, the combination id, its tier) from DESIGN.md.
FEVER_WITH = [
    *("hot_swollen", "immunosuppressed", "sudden_severe", "hip_replacement"),
    *("recent_procedure", "iv_drug_use", "under_16"),
]
HOT_SWOLLEN_WITH = ["immunosuppressed", "hip_replacement", "recent_procedure", "iv_drug_use"]
COMBINATIONS: list[tuple[dict[str, Answer], str, str]] = [
    *(
        ({"fever": "yes", other: "yes"}, "fever_infection_risk", "emergency")
        for other in FEVER_WITH
    ),
    *(
        ({"hot_swollen": "yes", other: "yes"}, "hot_joint_infection_risk", "emergency")
        for other in HOT_SWOLLEN_WITH
    ),
    ({"night_pain": "yes", "weight_loss": "yes"}, "night_pain_red_flags", "urgent"),
    ({"night_pain": "yes", "cancer_history": "yes"}, "night_pain_red_flags", "urgent"),
    ({"night_pain": "yes", "night_sweats": "yes"}, "night_pain_red_flags", "urgent"),
    ({"cancer_history": "yes", "night_sweats": "yes"}, "cancer_history_red_flags", "urgent"),
    ({"cancer_history": "yes", "weight_loss": "yes"}, "cancer_history_red_flags", "urgent"),
    ({"cancer_history": "yes", "leg_weakness": "yes"}, "cancer_history_red_flags", "urgent"),
    ({"night_sweats": "yes", "fever": "yes"}, "night_sweats_illness", "urgent"),
    ({"night_sweats": "yes", "weight_loss": "yes"}, "night_sweats_illness", "urgent"),
]


@pytest.mark.parametrize(("pair", "combo_id", "expected"), COMBINATIONS)
def test_combination_escalates(pair: dict[str, Answer], combo_id: str, expected: str) -> None:
    verdict = assess(TRIAGE, all_no(pair))
    assert verdict.tier == expected
    assert combo_id in [r.id for r in verdict.reasons]
    assert verdict.reasons[0].tier == expected


@pytest.mark.parametrize(("pair", "combo_id", "expected"), COMBINATIONS)
def test_combination_counts_unsure_as_yes(
    pair: dict[str, Answer], combo_id: str, expected: str
) -> None:
    unsure: dict[str, Answer] = {key: "unsure" for key in pair}
    verdict = assess(TRIAGE, all_no(unsure))
    assert verdict.tier == expected
    assert combo_id in [r.id for r in verdict.reasons]


@pytest.mark.parametrize(("pair", "combo_id", "expected"), COMBINATIONS)
def test_each_half_alone_stays_at_its_own_tier(
    pair: dict[str, Answer], combo_id: str, expected: str
) -> None:
    for question_id in pair:
        verdict = assess(TRIAGE, all_no({question_id: "yes"}))
        assert verdict.tier == YES_TIER[question_id]
        assert combo_id not in [r.id for r in verdict.reasons]


@pytest.mark.parametrize("caution", sorted(CAUTION_EFFECT))
@pytest.mark.parametrize("red_flag", ["injury", "fever", "worsening"])
def test_cautions_never_change_the_tier(caution: str, red_flag: str) -> None:
    without = assess(TRIAGE, all_no({red_flag: "yes"}))
    with_caution = assess(TRIAGE, all_no({red_flag: "yes", caution: "yes"}))
    assert with_caution.tier == without.tier == YES_TIER[red_flag]
    assert with_caution.reasons == without.reasons
    assert [c.id for c in with_caution.cautions] == [caution]


def test_all_cautions_together_are_collected_in_ask_order() -> None:
    verdict = assess(TRIAGE, all_no(pregnant="yes", anticoagulant="unsure", skin_problem="yes"))
    assert verdict.tier == "self-care"
    assert [c.effect for c in verdict.cautions] == [
        "no_pregnancy_avoid",
        "light_no_deep",
        "skip_area",
    ]


def test_derived_no_improvement_overrides_a_no() -> None:
    why = "pain scores did not fall over 9 sessions in 30 days"
    verdict = assess(TRIAGE, all_no(), derived={"no_improvement": why})
    assert verdict.tier == "soon"
    assert [r.id for r in verdict.reasons] == ["no_improvement"]
    assert why in verdict.reasons[0].text
    assert verdict.answers["no_improvement"] == "yes"
    assert verdict.derived == {"no_improvement": why}


def test_derived_overrides_when_the_question_was_not_asked() -> None:
    verdict = assess(TRIAGE, {}, derived={"no_improvement": "history"})
    assert verdict.tier == "soon"


def test_reasons_sorted_by_tier_then_ask_order() -> None:
    answers = all_no(worsening="yes", fever="yes", injury="yes", cancer_history="yes")
    verdict = assess(TRIAGE, answers)
    assert verdict.tier == "emergency"
    assert [r.id for r in verdict.reasons] == ["injury", "fever", "cancer_history", "worsening"]
    assert [r.tier for r in verdict.reasons] == ["emergency", "urgent", "soon", "soon"]


def test_unsure_on_an_emergency_question_advises_a_same_day_check() -> None:
    verdict = assess(TRIAGE, all_no(injury="unsure"))
    reason = verdict.reasons[0]
    assert (reason.id, reason.tier) == ("injury", "urgent")
    assert "today" in reason.advice


def test_partial_answers_are_assessed() -> None:
    verdict = assess(TRIAGE, {"both_legs": "yes"})
    assert verdict.tier == "emergency"


@pytest.mark.parametrize(
    ("override", "expected"),
    [(None, "999"), ("000 (Australia)", "000 (Australia)")],
)
def test_emergency_number_is_filled_in(override: str | None, expected: str) -> None:
    verdict = assess(TRIAGE, all_no(injury="yes"), emergency_number=override)
    assert expected in verdict.action
    assert expected in verdict.reasons[0].advice
    assert expected in verdict.reminder
    assert "{emergency}" not in json.dumps(verdict_to_dict(verdict))


def test_assess_rejects_an_unknown_id() -> None:
    with pytest.raises(UsageError, match="injjury"):
        assess(TRIAGE, {"injjury": "yes"})


def test_assess_rejects_an_unknown_derived_id() -> None:
    with pytest.raises(UsageError, match="no_progress"):
        assess(TRIAGE, {}, derived={"no_progress": "history"})


def test_verdict_to_dict_has_the_documented_shape() -> None:
    verdict = assess(TRIAGE, all_no(fever="yes", hot_swollen="yes", pregnant="yes"))
    data = verdict_to_dict(verdict)
    assert {"tier", "reasons", "cautions", "answers"} <= set(data)
    assert data["tier"] == "emergency"
    assert all(set(r) == {"id", "tier", "text", "advice", "sources"} for r in data["reasons"])
    assert [r["id"] for r in data["reasons"]] == ["fever_infection_risk", "fever", "hot_swollen"]
    assert data["cautions"] == [
        {"id": "pregnant", "text": verdict.cautions[0].text, "effect": "no_pregnancy_avoid"}
    ]
    assert data["answers"]["fever"] == "yes"
    assert json.loads(json.dumps(data)) == data


def test_tier_order_and_exit_codes() -> None:
    assert TIER_ORDER == ("self-care", "soon", "urgent", "emergency")
    assert dict(EXIT_CODES) == {"self-care": 0, "soon": 3, "urgent": 4, "emergency": 5}
    assert EXIT_CODES["emergency"] == ExitCode.EMERGENCY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", "yes"),
        ("Y", "yes"),
        (" YES ", "yes"),
        ("no", "no"),
        ("N", "no"),
        ("unsure", "unsure"),
        ("Not Sure", "unsure"),
        ("not   sure", "unsure"),
        ("?", "unsure"),
    ],
)
def test_parse_answer_accepts(text: str, expected: str) -> None:
    assert parse_answer(text) == expected


@pytest.mark.parametrize("text", ["", "maybe", "yess", "true", "1", "sure"])
def test_parse_answer_rejects_and_lists_the_valid_values(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_answer(text)
    assert "yes, no or unsure" in str(caught.value)
    assert caught.value.exit_code == 2


def test_parse_assignments_reads_pairs() -> None:
    answers = parse_assignments(
        ["injury=no", "Cannot-Bear-Weight = Y", "pregnant=not sure", "injury=?"], TRIAGE
    )
    assert answers == {"injury": "unsure", "cannot_bear_weight": "yes", "pregnant": "unsure"}


def test_parse_assignments_unknown_id_lists_valid_ids_and_a_guess() -> None:
    with pytest.raises(UsageError) as caught:
        parse_assignments(["injry=yes"], TRIAGE)
    message = str(caught.value)
    assert "Did you mean 'injury'?" in message
    for question in TRIAGE.questions:
        assert question.id in message


@pytest.mark.parametrize(
    ("item", "fragment"),
    [("injury", "ID=VALUE"), ("injury=perhaps", "injury"), ("=yes", "not a question id")],
)
def test_parse_assignments_errors(item: str, fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment):
        parse_assignments([item], TRIAGE)


def test_validate_answers_reads_yaml_booleans() -> None:
    raw = yaml.safe_load("injury: no\nfever: yes\npregnant: not sure\nworsening: '?'\n")
    assert validate_answers(raw, TRIAGE) == {
        "injury": "no",
        "fever": "yes",
        "pregnant": "unsure",
        "worsening": "unsure",
    }


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"injury": None}, "injury"),
        ({"injury": 3}, "injury"),
        ({"injury": "perhaps"}, "injury"),
        ({"fevr": "yes"}, "Did you mean 'fever'"),
        ({1: "yes"}, "not a question id"),
        (["injury"], "map of question id"),
    ],
)
def test_validate_answers_errors(raw: Any, fragment: str) -> None:
    with pytest.raises(UsageError, match=fragment):
        validate_answers(raw, TRIAGE)


def test_ordered_questions_put_emergency_first_then_urgent_soon_caution() -> None:
    tiers = [q.tier for q in ordered_questions(TRIAGE)]
    assert tiers == sorted(tiers, key=["emergency", "urgent", "soon", "caution"].index)
    assert tiers[0] == "emergency"
    assert tiers[-3:] == ["caution", "caution", "caution"]


def test_ordered_questions_is_stable_and_sorts_a_shuffled_triage() -> None:
    shuffled = Triage(
        emergency_number=TRIAGE.emergency_number,
        tiers=TRIAGE.tiers,
        questions=tuple(reversed(TRIAGE.questions)),
        combinations=TRIAGE.combinations,
        reminder=TRIAGE.reminder,
    )
    ordered = ordered_questions(shuffled)
    assert [q.tier for q in ordered][:5] == ["emergency"] * 5
    emergency_ids = [q.id for q in ordered if q.tier == "emergency"]
    assert emergency_ids == [q.id for q in reversed(TRIAGE.questions) if q.tier == "emergency"]


def test_missing_lists_unanswered_ids_in_ask_order() -> None:
    answers = all_no()
    for question_id in ("skin_problem", "fever", "injury"):
        del answers[question_id]
    assert missing(TRIAGE, answers) == ["injury", "fever", "skin_problem"]
    assert missing(TRIAGE, all_no()) == []


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
