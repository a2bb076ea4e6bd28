"""Integrity of ``data/triage.yaml`` against the DESIGN.md contract, read as plain YAML."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

DATA = Path(__file__).resolve().parents[1] / "data"

# DESIGN.md section 3, version 2, copied by hand: (id, tier, what the table says it asks
# about, background question?). "assessed" is the one modifier; it closes the table.
DESIGN_TABLE = [
    (
        "injury",
        "emergency",
        "this pain began after a fall, accident or knock that no doctor or nurse has checked",
        False,
    ),
    ("cannot_bear_weight", "emergency", "cannot stand, walk or put weight on the leg", False),
    (
        "deformity",
        "emergency",
        "leg looks shorter, turned out, at an odd angle, or badly bruised",
        False,
    ),
    (
        "saddle_numbness",
        "emergency",
        "numbness around genitals, bottom or inner thighs; new bladder, bowel or sexual problems",
        False,
    ),
    ("both_legs", "emergency", "weakness, numbness or pain in both legs", False),
    (
        "sepsis_signs",
        "emergency",
        "very unwell: confused or very drowsy, slurred speech, blue, pale or blotchy skin or "
        "lips, a rash that does not fade under a pressed glass, or very fast breathing",
        False,
    ),
    ("chest_symptoms", "emergency", "new breathlessness, chest pain, or coughing up blood", False),
    (
        "groin_lump",
        "emergency",
        "a lump in the groin that hurts, is hard or tender, or will not go back in; or being "
        "sick with the groin pain",
        False,
    ),
    (
        "pregnancy_warning",
        "emergency",
        "(asked only when `pregnant` is yes or unsure) bleeding, fluid leaking, regular "
        "tightening or contractions, or severe pain low in the belly",
        False,
    ),
    ("fever", "urgent", "high temperature, or feeling hot, shivery or unwell", False),
    ("hot_swollen", "urgent", "hip swollen, hot, or skin colour changed", False),
    (
        "calf_swelling",
        "urgent",
        "one calf or thigh swollen, warm, red or tender (a possible blood clot)",
        False,
    ),
    ("leg_weakness", "urgent", "one leg getting weaker (tripping, foot slapping)", False),
    (
        "sudden_severe",
        "urgent",
        "severe pain started suddenly without injury, or suddenly much worse",
        False,
    ),
    ("weight_loss", "urgent", "weight lost without trying", False),
    ("under_16", "urgent", "the person in pain is under 16 (the guide is for adults)", False),
    ("hip_replacement", "urgent", "a hip replacement on the painful side", True),
    ("cancer_history", "soon", "ever had cancer", True),
    ("night_pain", "soon", "pain at rest or at night that does not ease when moving", False),
    ("night_sweats", "soon", "drenching night sweats", False),
    (
        "immunosuppressed",
        "soon",
        "steroid tablets, immune-suppressing drugs, chemotherapy or HIV",
        True,
    ),
    ("iv_drug_use", "soon", "ever injected drugs", True),
    (
        "recent_procedure",
        "soon",
        "an injection into the hip joint, or an operation on the hip, in the last 3 months",
        True,
    ),
    (
        "worsening",
        "soon",
        "pain getting worse, keeps coming back, or disturbs sleep or daily life",
        False,
    ),
    ("persistent", "soon", "no better after 2 weeks of home care", True),
    (
        "morning_stiffness",
        "soon",
        "stiff for more than 30 minutes after waking, or other joints swollen",
        True,
    ),
    ("over_50_new", "soon", "over 50 and the pain is new with no clear cause", True),
    (
        "no_improvement",
        "soon",
        "no better after 4 to 6 weeks of acupressure (also derived from history)",
        False,
    ),
    ("pregnant", "caution", "pregnant or could be", False),
    (
        "anticoagulant",
        "caution",
        "blood thinners, a bleeding disorder, or bruising easily",
        False,
    ),
    (
        "older_or_fragile",
        "caution",
        "aged 65 or over, or told you have thin bones (osteoporosis)",
        False,
    ),
    (
        "skin_problem",
        "caution",
        "broken, bruised or infected skin, a new scar or a varicose vein where a point lies",
        False,
    ),
    (
        "assessed",
        "modifier",
        "a doctor, nurse or physiotherapist has examined you for this pain since it began and "
        "said self-care is fine",
        False,
    ),
]
CAUTION_EFFECTS = {
    "pregnant": "no_pregnancy_avoid",
    "anticoagulant": "light_no_deep",
    "older_or_fragile": "fragile",
    "skin_problem": "skip_area",
}
#: Questions asked only after another one (``after``).
ASKED_AFTER = {"pregnancy_warning": "pregnant"}
# DESIGN.md's escalations, version 2: (AND-of-ORs groups, tier).
DESIGN_COMBINATIONS = {
    (
        frozenset(
            {
                frozenset({"fever"}),
                frozenset(
                    {
                        "hot_swollen",
                        "immunosuppressed",
                        "sudden_severe",
                        "hip_replacement",
                        "recent_procedure",
                        "iv_drug_use",
                        "under_16",
                    }
                ),
            }
        ),
        "emergency",
    ),
    (
        frozenset(
            {
                frozenset({"hot_swollen"}),
                frozenset(
                    {"immunosuppressed", "hip_replacement", "recent_procedure", "iv_drug_use"}
                ),
            }
        ),
        "emergency",
    ),
    (
        frozenset(
            {
                frozenset({"night_pain"}),
                frozenset({"weight_loss", "cancer_history", "night_sweats"}),
            }
        ),
        "urgent",
    ),
    (
        frozenset(
            {
                frozenset({"cancer_history"}),
                frozenset({"night_sweats", "weight_loss", "leg_weakness"}),
            }
        ),
        "urgent",
    ),
    (
        frozenset({frozenset({"night_sweats"}), frozenset({"fever", "weight_loss"})}),
        "urgent",
    ),
}
ASK_ORDER = ["emergency", "urgent", "soon", "caution", "modifier"]
YES_NO_OPENERS = {"are", "did", "do", "does", "has", "have", "is", "were", "can", "could"}


def _load(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


TRIAGE = _load("triage.yaml")
QUESTIONS: list[dict[str, Any]] = TRIAGE["questions"]
MODIFIERS: list[dict[str, Any]] = [q for q in QUESTIONS if q["tier"] == "modifier"]
ASKED = QUESTIONS
BY_ID = {q["id"]: q for q in ASKED}
SOURCE_IDS = {s["id"] for s in _load("sources.yaml")["sources"]}


def _all_texts() -> list[tuple[str, str]]:
    """Every human-facing text in the file, labelled with where it is."""
    texts = [("reminder", TRIAGE["reminder"])]
    for tier in TRIAGE["tiers"]:
        texts += [(f"tiers.{tier['id']}.{key}", tier[key]) for key in ("headline", "action")]
    for entry in ASKED + TRIAGE["combinations"]:
        for key in ("text", "help", "advice"):
            if key in entry:
                texts.append((f"{entry['id']}.{key}", entry[key]))
    for key, text in TRIAGE["pressing_safely"].items():
        if key != "sources":
            texts.append((f"pressing_safely.{key}", text))
    return texts


def test_top_level_keys() -> None:
    assert set(TRIAGE) == {
        *("emergency_number", "tiers", "questions", "combinations"),
        *("pressing_safely", "reminder"),
    }


@pytest.mark.parametrize("number", ["999", "112", "911"])
def test_emergency_number_names_each_region(number: str) -> None:
    assert number in TRIAGE["emergency_number"]


def test_every_design_id_once_with_its_tier_in_ask_order() -> None:
    assert [(q["id"], q["tier"]) for q in ASKED] == [(i, t) for i, t, _, _ in DESIGN_TABLE]


def test_the_modifier_comes_after_every_red_flag_and_caution() -> None:
    assert [q["id"] for q in MODIFIERS] == ["assessed"]
    assert QUESTIONS[-1]["id"] == "assessed"


def test_questions_are_ordered_by_tier() -> None:
    tiers = [q["tier"] for q in ASKED]
    assert tiers == sorted(tiers, key=ASK_ORDER.index)


@pytest.mark.parametrize(("question_id", "background"), [(i, b) for i, _, _, b in DESIGN_TABLE])
def test_background_flag_matches_design(question_id: str, background: bool) -> None:
    assert BY_ID[question_id].get("background", False) is background


@pytest.mark.parametrize("question", ASKED, ids=lambda q: q["id"])
def test_after_only_where_design_says(question: dict[str, Any]) -> None:
    assert question.get("after") == ASKED_AFTER.get(question["id"])
    if "after" in question:
        assert question["after"] in BY_ID


@pytest.mark.parametrize("question", ASKED, ids=lambda q: q["id"])
def test_effect_only_on_cautions(question: dict[str, Any]) -> None:
    assert question.get("effect") == CAUTION_EFFECTS.get(question["id"])


@pytest.mark.parametrize(("question_id", "tier", "asks_about", "_bg"), DESIGN_TABLE)
def test_question_text_asks_one_yes_no_question(
    question_id: str, tier: str, asks_about: str, _bg: bool
) -> None:
    text = " ".join(BY_ID[question_id]["text"].split())
    assert text.endswith("?") and text.count("?") == 1, text
    assert text.split()[0].lower() in YES_NO_OPENERS, text
    # No more alternatives joined by " or " than the DESIGN row itself lists.
    assert text.count(" or ") <= asks_about.count(" or "), text
    assert " and/or " not in text


@pytest.mark.parametrize("question", ASKED, ids=lambda q: q["id"])
def test_question_has_help_advice_and_sources(question: dict[str, Any]) -> None:
    for key in ("text", "help", "advice"):
        assert isinstance(question[key], str) and len(question[key].split()) >= 4
    assert question["sources"]


def test_no_improvement_says_it_is_also_derived_from_history() -> None:
    assert "history" in BY_ID["no_improvement"]["text"]


def test_every_source_id_exists() -> None:
    entries = ASKED + TRIAGE["combinations"] + [TRIAGE["pressing_safely"]]
    cited = [s for entry in entries for s in entry["sources"]]
    assert set(cited) - SOURCE_IDS == set()


@pytest.mark.parametrize("question", ASKED, ids=lambda q: q["id"])
def test_red_flags_cite_a_health_service_page(question: dict[str, Any]) -> None:
    if question["tier"] != "caution":
        assert any(s.startswith(("nhs-", "nice-")) for s in question["sources"])


def test_tiers_are_the_four_verdicts() -> None:
    assert [t["id"] for t in TRIAGE["tiers"]] == ["emergency", "urgent", "soon", "self-care"]


def test_emergency_placeholder_in_emergency_texts() -> None:
    tiers = {t["id"]: t for t in TRIAGE["tiers"]}
    assert "{emergency}" in tiers["emergency"]["action"]
    assert "{emergency}" in TRIAGE["reminder"]
    for question in QUESTIONS:
        if question["tier"] == "emergency":
            assert "{emergency}" in question["advice"], question["id"]
    for combo in TRIAGE["combinations"]:
        if combo["tier"] == "emergency":
            assert "{emergency}" in combo["advice"], combo["id"]


@pytest.mark.parametrize(("where", "text"), _all_texts())
def test_no_stray_placeholders(where: str, text: str) -> None:
    assert not re.search(r"[{}]", text.replace("{emergency}", "")), where


@pytest.mark.parametrize(("where", "text"), _all_texts())
def test_no_text_promises_a_cure(where: str, text: str) -> None:
    assert not re.search(r"\b(cure[sd]?|guarantee[sd]?|heals?)\b", text, re.IGNORECASE), where


def test_combinations_match_design() -> None:
    found = {
        (frozenset(frozenset(group) for group in combo["groups"]), combo["tier"])
        for combo in TRIAGE["combinations"]
    }
    assert found == DESIGN_COMBINATIONS
    ids = [combo["id"] for combo in TRIAGE["combinations"]]
    assert len(ids) == len(set(ids))
    assert not set(ids) & set(BY_ID)


@pytest.mark.parametrize("combo", TRIAGE["combinations"], ids=lambda c: c["id"])
def test_combination_texts_and_sources(combo: dict[str, Any]) -> None:
    assert combo["text"].strip() and combo["advice"].strip() and combo["sources"]
    assert all(qid in BY_ID for group in combo["groups"] for qid in group)
