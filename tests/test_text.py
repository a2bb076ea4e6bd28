"""The words built from codes: reasons, advice, exclusions, progress, the emergency number."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from hipguide.config import shipped_data_dir
from hipguide.dataset import Dataset, load_dataset
from hipguide.planner import Exclusion, Why
from hipguide.progress import Progress, assess_progress
from hipguide.triage import Reason, Verdict, assess
from hipguide.ui import text


def _all_no(dataset: Dataset, **answers: str) -> dict[str, str]:
    return {**{q.id: "no" for q in dataset.triage.questions}, **answers}


def test_a_yes_reason_quotes_the_question_and_its_advice(dataset: Dataset) -> None:
    verdict = assess(dataset.triage, _all_no(dataset, fever="yes"))  # type: ignore[arg-type]
    (reason,) = verdict.reasons
    question = dataset.question("fever")
    assert text.reason_text(reason, verdict, dataset, None) == f"You answered yes: {question.text}"
    assert text.reason_advice(reason, dataset, "112") == question.advice.replace(
        "{emergency}", "112"
    )


def test_unsure_on_an_emergency_question_advises_a_same_day_check(dataset: Dataset) -> None:
    verdict = assess(dataset.triage, _all_no(dataset, injury="unsure"))  # type: ignore[arg-type]
    (reason,) = verdict.reasons
    said = text.reason_text(reason, verdict, dataset, None)
    advice = text.reason_advice(reason, dataset, None)
    assert said.startswith("You were not sure: ")
    assert "Not being sure is reason enough" in said
    own = text.fill(dataset.question("injury").advice, dataset, None)
    assert advice == dataset.tier("urgent").unsure_advice.replace("{advice}", own)
    assert "today" in advice


def test_unsure_on_a_soon_question_keeps_its_own_advice(dataset: Dataset) -> None:
    verdict = assess(dataset.triage, _all_no(dataset, worsening="unsure"))  # type: ignore[arg-type]
    (reason,) = verdict.reasons
    assert text.reason_advice(reason, dataset, None) == dataset.question("worsening").advice


def test_a_combination_speaks_its_own_text(dataset: Dataset) -> None:
    combo = dataset.triage.combinations[0]
    answers = _all_no(dataset, **{group[0]: "yes" for group in combo.groups})
    verdict = assess(dataset.triage, answers)  # type: ignore[arg-type]
    reason = next(r for r in verdict.reasons if r.cause == "combination")
    assert text.reason_text(reason, verdict, dataset, "000") == text.fill(
        combo.text, dataset, "000"
    )
    assert text.reason_advice(reason, dataset, "000") == text.fill(combo.advice, dataset, "000")
    assert text.reason_sources(reason, dataset) == combo.sources


@pytest.mark.parametrize(("override", "expected"), [(None, "999"), ("000 (Australia)", "000")])
def test_the_emergency_number_is_filled_in(
    dataset: Dataset, override: str | None, expected: str
) -> None:
    verdict = assess(dataset.triage, _all_no(dataset, injury="yes"))  # type: ignore[arg-type]
    assert expected in text.action(verdict, dataset, override)
    assert expected in text.reason_advice(verdict.reasons[0], dataset, override)
    assert expected in text.reminder(dataset, override)
    assert "{emergency}" not in text.action(verdict, dataset, override)


def test_a_history_answer_says_why(dataset: Dataset) -> None:
    progress = Progress(9, 30.0, 6.0, 5.8, "stalled")
    verdict = assess(dataset.triage, {}, derived={"no_improvement": progress})
    said = text.reason_text(verdict.reasons[0], verdict, dataset, None)
    assert said.startswith("Counted as yes from your history (")
    assert text.progress_message(progress) in said


@pytest.mark.parametrize(
    ("why", "expected"),
    [
        (Why("caution", effect="no_pregnancy_avoid", rule=0), "traditionally avoided in pregnancy"),
        (Why("skin", region="thigh"), "skin problem in the thigh area"),
        (Why("skipped"), "skipped at your request"),
        (Why("budget", minutes=2.5), "left out to fit the 2.5-minute budget"),
    ],
)
def test_each_reason_a_point_was_left_out(dataset: Dataset, why: Why, expected: str) -> None:
    assert text.why_text(why, dataset) == expected


def test_several_reasons_are_joined(dataset: Dataset) -> None:
    exclusion = Exclusion("GB30", (Why("skin", region="buttock"), Why("skipped")))
    assert text.exclusion_text(exclusion, dataset) == (
        "skin problem in the buttock area; skipped at your request"
    )


def _sessions(pains: list[int], days: int) -> list[object]:
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    step = timedelta(days=days) / max(1, len(pains) - 1)

    class S:
        def __init__(self, at: datetime, pain: int) -> None:
            self.started_at, self.pain_before = at, pain

    return [S(start + step * i, pain) for i, pain in enumerate(pains)]


@pytest.mark.parametrize(
    ("pains", "days", "fragment"),
    [
        ([5, 5], 40, "Progress is judged after 8 sessions with a pain score before pressing; 2"),
        ([5] * 8, 10, "Progress is judged over at least 28 days; these sessions span 10 days"),
        ([0] * 8, 30, "No pain before pressing in the first or the last three sessions."),
        ([6, 6, 6, 5, 5, 4, 3, 3, 3], 30, "has eased from 6 to 3 on average"),
        ([6, 6, 6, 6, 6, 6, 6, 5, 5], 30, "was 6 on average at the start and is 5.3 lately"),
    ],
)
def test_progress_messages(pains: list[int], days: int, fragment: str) -> None:
    message = text.progress_message(assess_progress(_sessions(pains, days)))  # type: ignore[arg-type]
    assert fragment in message


# --- every reason's words, compared with the data -------------------------------------------

_DATA = load_dataset(shipped_data_dir())
FLAG_IDS = [q.id for q in _DATA.triage.questions if q.tier in ("emergency", "urgent", "soon")]
COMBOS = [c.id for c in _DATA.triage.combinations]


def _filled(value: str, number: str = "000") -> str:
    return value.replace("{emergency}", number)


def _reason(verdict: Verdict, reason_id: str) -> Reason:
    return next(r for r in verdict.reasons if r.id == reason_id)


@pytest.mark.parametrize("question_id", FLAG_IDS)
def test_a_yes_reason_says_the_question_and_its_own_advice(
    dataset: Dataset, question_id: str
) -> None:
    verdict = assess(dataset.triage, _all_no(dataset, **{question_id: "yes"}))  # type: ignore[arg-type]
    reason = _reason(verdict, question_id)
    question = dataset.question(question_id)
    assert text.reason_text(reason, verdict, dataset, "000") == (
        "You answered yes: " + _filled(question.text)
    )
    assert text.reason_advice(reason, dataset, "000") == _filled(question.advice)
    assert text.reason_sources(reason, dataset) == question.sources


@pytest.mark.parametrize("question_id", FLAG_IDS)
def test_an_unsure_reason_says_why_and_what_to_do(dataset: Dataset, question_id: str) -> None:
    verdict = assess(dataset.triage, _all_no(dataset, **{question_id: "unsure"}))  # type: ignore[arg-type]
    reason = _reason(verdict, question_id)
    question = dataset.question(question_id)
    assert text.reason_text(reason, verdict, dataset, "000") == (
        f"You were not sure: {_filled(question.text)} "
        "Not being sure is reason enough to be checked."
    )
    given, asked = dataset.tier(reason.tier), dataset.tier(question.tier)
    advice = _filled(question.advice)
    if given.rank < asked.rank:
        assert given.unsure_advice, question_id
        advice = _filled(given.unsure_advice).replace("{advice}", advice)
    assert text.reason_advice(reason, dataset, "000") == advice
    assert text.reason_sources(reason, dataset) == question.sources


def test_unsure_on_an_emergency_question_wraps_its_advice_in_the_urgent_tiers(
    dataset: Dataset,
) -> None:
    verdict = assess(dataset.triage, _all_no(dataset, injury="unsure"))  # type: ignore[arg-type]
    advice = text.reason_advice(verdict.reasons[0], dataset, "000")
    assert advice.startswith("Have it checked by a doctor today. If it turns out to be yes: ")
    assert advice.endswith(_filled(dataset.question("injury").advice))


@pytest.mark.parametrize("question_id", FLAG_IDS)
def test_a_derived_reason_says_where_it_came_from(dataset: Dataset, question_id: str) -> None:
    verdict = assess(dataset.triage, {}, derived={question_id: "no better after 8 sessions"})
    reason = _reason(verdict, question_id)
    question = dataset.question(question_id)
    assert text.reason_text(reason, verdict, dataset, "000") == (
        f"Counted as yes from your history (no better after 8 sessions): {_filled(question.text)}"
    )
    assert text.reason_advice(reason, dataset, "000") == _filled(question.advice)
    assert text.reason_sources(reason, dataset) == question.sources


@pytest.mark.parametrize("combo_id", COMBOS)
def test_each_combination_has_its_own_text_advice_and_sources(
    dataset: Dataset, combo_id: str
) -> None:
    combo = next(c for c in dataset.triage.combinations if c.id == combo_id)
    answers = _all_no(dataset, **{group[-1]: "yes" for group in combo.groups})
    verdict = assess(dataset.triage, answers)  # type: ignore[arg-type]
    reason = _reason(verdict, combo_id)
    assert (reason.tier, reason.cause) == (combo.tier, "combination")
    assert text.reason_text(reason, verdict, dataset, "000") == _filled(combo.text)
    assert text.reason_advice(reason, dataset, "000") == _filled(combo.advice)
    assert text.reason_sources(reason, dataset) == combo.sources


def test_combination_reasons_keep_their_order_and_each_its_own_words(dataset: Dataset) -> None:
    answers = _all_no(dataset, fever="yes", hot_swollen="yes", immunosuppressed="yes")
    verdict = assess(dataset.triage, answers)  # type: ignore[arg-type]
    combos = [r for r in verdict.reasons if r.cause == "combination"]
    first, second = dataset.triage.combinations[:2]
    assert [r.id for r in combos] == [first.id, second.id]
    assert [text.reason_text(r, verdict, dataset, None) for r in combos] == [
        _filled(first.text, dataset.triage.emergency_number),
        _filled(second.text, dataset.triage.emergency_number),
    ]
    assert [text.reason_advice(r, dataset, None) for r in combos] == [
        _filled(first.advice, dataset.triage.emergency_number),
        _filled(second.advice, dataset.triage.emergency_number),
    ]
    assert first.text != second.text and first.advice != second.advice


def test_a_caution_says_the_questions_advice_and_names_its_effect(dataset: Dataset) -> None:
    for question in dataset.triage.questions:
        if question.tier != "caution":
            continue
        label = dataset.effect(question.effect).label  # type: ignore[arg-type]
        said = text.caution_text(question.id, dataset, "000")
        assert said == f"{label[:1].upper()}{label[1:]}. {_filled(question.advice)}"
        assert said.lower().count(label.lower()) == 1
        assert text.caution_effect(question.id, dataset) == question.effect
        assert text.effect_label(question.id, dataset) == dataset.effect(question.effect).label  # type: ignore[arg-type]


def test_a_note_says_the_answer_the_question_and_why_it_did_not_count(dataset: Dataset) -> None:
    answers = _all_no(dataset, cancer_history="yes", over_50_new="unsure", assessed="yes")
    verdict = assess(dataset.triage, answers)  # type: ignore[arg-type]
    why = _filled(dataset.question("assessed").advice)
    cancer = _filled(dataset.question("cancer_history").text)
    over_50 = _filled(dataset.question("over_50_new").text)
    assert text.note_text("cancer_history", verdict, dataset, "000") == (
        f"You answered yes: {cancer} Not counted on its own: {why}"
    )
    assert text.note_text("over_50_new", verdict, dataset, "000") == (
        f"Not sure: {over_50} Not counted on its own: {why}"
    )


# --- looking points up -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "matched", "title"),
    [
        ("region", "hip", "Points for the hip region"),
        ("region", "lower-back", "Points for the lower back region"),
        ("region", "ankle-foot", "Points for the ankle and foot region"),
        ("condition", "sciatica", "Points used for sciatica"),
        ("condition", "osteoarthritis", "Points used for osteoarthritis of the hip"),
        (
            "condition",
            "sacroiliac-joint-dysfunction",
            "Points used for sacroiliac joint dysfunction",
        ),
        ("use", "tired legs", "Points used for tired legs"),
    ],
)
def test_a_plain_word_title_names_what_matched(
    dataset: Dataset, kind: str, matched: str, title: str
) -> None:
    assert text.plain_word_title(kind, matched, dataset) == title


def test_an_acronym_keeps_its_capitals_in_a_title(dataset: Dataset) -> None:
    from dataset_variants import variant

    conditions = tuple(
        c._replace(name="SI joint pain") if c.id == "sciatica" else c for c in dataset.conditions
    )
    changed = variant(dataset, conditions=conditions)
    assert (
        text.plain_word_title("condition", "sciatica", changed) == "Points used for SI joint pain"
    )


def test_the_order_of_a_plain_word_list(dataset: Dataset) -> None:
    knee = [dataset.point("BL40")]
    hip = [dataset.point("GB29"), dataset.point("GB34")]
    assert text.plain_word_order("region", "knee", knee, dataset) == ""
    assert text.plain_word_order("region", "hip", hip, dataset) == (
        "First the points that lie in the hip region, then those pressed elsewhere for it."
    )
    assert text.plain_word_order("condition", "sciatica", hip, dataset) == (
        "In the order the sciatica routine uses them; 'hipguide conditions sciatica' says more."
    )
    assert text.plain_word_order("use", "tension", hip, dataset) == ""


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "now", "shown"),
    [
        (datetime(2024, 3, 4, 9, 30), datetime(2024, 12, 31, 23), "Mon 04 Mar 09:30"),
        (datetime(2023, 12, 31, 22, 0), datetime(2024, 1, 1, 6), "Sun 31 Dec 2023 22:00"),
        (datetime(2025, 3, 4, 9, 30), datetime(2024, 3, 4, 9), "Tue 04 Mar 2025 09:30"),
    ],
    ids=["this-year", "last-year", "a-clock-ahead"],
)
def test_a_date_carries_its_year_when_it_is_not_this_one(
    moment: datetime, now: datetime, shown: str
) -> None:
    local = moment.astimezone()  # local times, whatever the machine's zone
    assert text.when(local, now=now.astimezone()) == shown


def test_by_default_the_year_is_the_real_clocks() -> None:
    from hipguide.clock import SystemClock

    now = SystemClock().now()
    assert len(text.when(now).split()) == 4  # day, date, month, time: no year
    assert str(now.year - 1) in text.when(now - timedelta(days=366))


# --- the plan's pressure caps --------------------------------------------------------------

PREGNANCY_CARE = "at most light pressure on points marked for care in pregnancy"
EVERY_MODERATE = "at most moderate pressure on every point"
EVERY_LIGHT = "at most light pressure on every point"
DEEP_LIGHT = "at most light pressure on deep points"
PREGNANCY = "pregnancy, or a chance of it"
THINNERS = "blood thinners, a bleeding disorder or easy bruising"
OLDER = "age 65 or over, or thin bones"
SOON = "the check's advice: see a doctor or physiotherapist soon"


@pytest.mark.parametrize(
    ("cautions", "tier", "flare", "expected"),
    [
        ((), "self-care", False, []),
        (("anticoagulant",), "self-care", False, [f"{EVERY_LIGHT} (GB29, GB34), for {THINNERS}"]),
        # blood thinners' light cap on every point leaves nothing for the others to say
        (
            ("anticoagulant", "older_or_fragile"),
            "soon",
            False,
            [f"{EVERY_LIGHT} (GB29, GB34), for {THINNERS}"],
        ),
        # GB30 is light, so "nothing firm" decides no pressure here and is not listed
        (
            ("pregnant", "older_or_fragile"),
            "soon",
            False,
            [f"{PREGNANCY_CARE} (GB30), for {PREGNANCY}", f"{DEEP_LIGHT} (GB30), for {OLDER}"],
        ),
        # the same cap from three places is one line that names them all (ST36 is firm)
        (
            ("pregnant", "older_or_fragile", "bursitis"),
            "soon",
            False,
            [
                f"{PREGNANCY_CARE} (GB30, GB29), for {PREGNANCY}",
                f"{EVERY_MODERATE} (ST36), for {PREGNANCY}; {OLDER}; {SOON}",
                f"{DEEP_LIGHT} (GB30), for {OLDER}",
            ],
        ),
        (("older_or_fragile",), "self-care", True, [f"{EVERY_LIGHT} (GB30, GB34), for a flare-up"]),
        ((), "soon", False, [f"{EVERY_MODERATE} (GB30), for {SOON}"]),
    ],
)
def test_the_plan_lists_each_cap_that_decides_once_with_what_set_it(
    dataset: Dataset, cautions: tuple[str, ...], tier: str, flare: bool, expected: list[str]
) -> None:
    from hipguide.planner import PlanRequest, plan_routine

    condition = next((c for c in cautions if c == "bursitis"), None)  # a longer plan
    cautions = tuple(c for c in cautions if c != condition)
    request = PlanRequest(
        ("outer",), "left", condition=condition, minutes=10 if condition else 4, flare=flare
    )
    plan = plan_routine(dataset, request, tier=tier, cautions=cautions)
    assert text.cap_lines(plan, dataset) == expected
    # each point named is pressed at the most its line allows: the line decides it
    pressed = {step.point: step.pressure for step in plan.steps}
    for line in expected:
        most = line.split()[2]
        named = line[line.index("(") + 1 : line.index(")")].split(", ")
        assert all(pressed[code] == most for code in named), line


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0, "0 presses"),
        (1, "1 press"),
        (2, "2 presses"),
        (12, "12 presses"),
        (1234, "1,234 presses"),
    ],
)
def test_a_count_takes_the_singular_for_one_only(number: int, expected: str) -> None:
    assert text.counted(number, "press", "presses") == expected
    assert text.counted(number, "week") == expected.replace("presses", "weeks").replace(
        "press", "week"
    )


@pytest.mark.parametrize("pressure", ["light", "moderate", "firm"])
def test_a_standing_way_under_a_light_cap_says_to_lean_only_a_little(
    dataset: Dataset, pressure: str
) -> None:
    from hipguide.planner import Step

    point = dataset.point("GB30")
    assert point.reach is not None and point.reach.instead is not None
    standing = Step("GB30", "left", 60, pressure, "local", instead=True)  # type: ignore[arg-type]
    lying = Step("GB30", "left", 60, pressure, "local")  # type: ignore[arg-type]
    said = text.method_words(point, standing)
    assert said.startswith(point.reach.instead.method)
    assert (text.LEAN_LIGHTLY in said) is (pressure == "light")
    assert text.method_words(point, lying) == point.technique.method


def test_a_stalled_history_counts_its_sessions_with_thousands_separated() -> None:
    from hipguide.progress import Progress

    stalled = Progress(100_000, 1095.0, 6.0, 6.0, "stalled")
    assert "after 100,000 sessions over 1095 days" in text.progress_message(stalled)
