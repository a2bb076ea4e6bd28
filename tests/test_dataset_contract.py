"""A dataset from ``HIPGUIDE_DATA`` is input from outside (DESIGN.md section 6): it may
word its verdicts as it likes, but not change what they do (section 3), and its
figures, which go inline into the card and into picture files, hold drawing only.

Each fault is one line naming the file, through the loader and through the program
alike (exit 2, no traceback)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from conftest import answer_items
from hipguide.cli import app
from hipguide.dataset import load_dataset_uncached
from hipguide.errors import DataError, ExitCode

Tiers = dict[str, dict[str, Any]]
#: The root of a small figure, as the shipped ones begin.
ROOT = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
#: Nine levels of ten entities each: a few hundred bytes that expand to 10**9 copies.
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY a "lol">\n'
    + "".join(
        f'<!ENTITY {level} "{f"&{previous};" * 10}">\n'
        for previous, level in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "]>\n"
)


def _load_error(folder: Path) -> str:
    with pytest.raises(DataError) as caught:
        load_dataset_uncached(folder)
    assert caught.value.exit_code == ExitCode.USAGE
    message = str(caught.value)
    assert "\n" not in message
    return message


def _one_line(result: Result) -> str:
    """The one line a refused dataset gives on stderr, with exit 2 and nothing else."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error:")
    return " ".join(lines[0].split())


def _edit_tiers(folder: Path, change: Callable[[Tiers], object]) -> None:
    path = folder / "triage.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    tiers = {tier["id"]: tier for tier in document["tiers"]}
    change(tiers)
    document["tiers"] = list(tiers.values())
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")


def _edit_question(folder: Path, question_id: str, **fields: Any) -> None:
    path = folder / "triage.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    question = next(q for q in document["questions"] if q["id"] == question_id)
    question.update(fields)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")


def _swap_exit_codes(tiers: Tiers) -> None:
    tiers["emergency"]["exit_code"], tiers["self-care"]["exit_code"] = 0, 5


def _swap_ranks(tiers: Tiers) -> None:
    tiers["emergency"]["rank"], tiers["urgent"]["rank"] = 2, 3


def _add_tier(tiers: Tiers) -> None:
    tiers["watch"] = {**tiers["soon"], "id": "watch", "rank": 9, "exit_code": 6}


# --- the verdict tiers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "where", "fragment"),
    [
        (
            lambda t: t["emergency"].update(exit_code=99),
            "entry emergency, field 'exit_code'",
            "an emergency verdict exits with 5, not 99",
        ),
        (
            lambda t: t["emergency"].update(exit_code=1000),
            "entry emergency, field 'exit_code'",
            "not 1000",
        ),
        (_swap_exit_codes, "entry emergency, field 'exit_code'", "exits with 5, not 0"),
        (
            lambda t: t["soon"].update(exit_code=1),
            "entry soon, field 'exit_code'",
            "a soon verdict exits with 3, not 1",
        ),
        (
            lambda t: t["emergency"].update(routine="go"),
            "entry emergency, field 'routine'",
            "no routine may start after this verdict: must be 'refuse', not 'go'",
        ),
        (
            lambda t: t["urgent"].update(routine="confirm"),
            "entry urgent, field 'routine'",
            "must be 'refuse', not 'confirm'",
        ),
        (
            lambda t: t["soon"].update(routine="go"),
            "entry soon, field 'routine'",
            "only once the person agrees: must be 'confirm', not 'go'",
        ),
        (
            lambda t: t["self-care"].update(routine="refuse"),
            "entry self-care, field 'routine'",
            "must be 'go', not 'refuse'",
        ),
        (_swap_ranks, "entry urgent, field 'rank'", "urgent must rank below emergency"),
        (
            lambda t: t["soon"].update(rank=5),
            "entry soon, field 'rank'",
            "soon must rank below urgent: 5 is not below 2",
        ),
        (_add_tier, "entry watch, field 'id'", "urgent, soon and self-care; there is no other"),
        (lambda t: t.pop("soon"), "field 'tiers'", "the tier 'soon' is missing"),
        (
            lambda t: t["emergency"].update(unsure="soon"),
            "entry emergency, field 'unsure'",
            "'not sure' on an emergency question gives at least urgent, not 'soon'",
        ),
        (
            lambda t: t["emergency"].update(unsure="self-care"),
            "entry emergency, field 'unsure'",
            "gives at least urgent, not 'self-care'",
        ),
        (
            lambda t: t["urgent"].update(unsure="soon"),
            "entry urgent, field 'unsure'",
            "'not sure' on an urgent question gives at least urgent, not 'soon'",
        ),
        (
            lambda t: t["soon"].update(unsure="self-care"),
            "entry soon, field 'unsure'",
            "'not sure' on a soon question gives at least soon, not 'self-care'",
        ),
        (
            lambda t: t["soon"].pop("cap"),
            "entry soon, field 'cap'",
            "presses nothing firmly",
        ),
        (lambda t: t["soon"].update(cap="firm"), "entry soon, field 'cap'", "below firm"),
    ],
    ids=[
        "exit-99",
        "exit-1000",
        "exit-codes-swapped",
        "soon-exit-1",
        "emergency-go",
        "urgent-confirm",
        "soon-go",
        "self-care-refuse",
        "ranks-swapped",
        "soon-above-urgent",
        "fifth-tier",
        "tier-missing",
        "emergency-unsure-soon",
        "emergency-unsure-self-care",
        "urgent-unsure-soon",
        "soon-unsure-self-care",
        "soon-without-cap",
        "soon-cap-firm",
    ],
)
def test_a_tier_that_breaks_the_contract_is_refused(
    data_copy: Path, change: Callable[[Tiers], object], where: str, fragment: str
) -> None:
    _edit_tiers(data_copy, change)
    message = _load_error(data_copy)
    assert message.startswith("triage.yaml, ")
    assert where in message and fragment in message


@pytest.mark.parametrize(
    ("question_id", "unsure", "fragment"),
    [
        ("injury", "soon", "'not sure' on an emergency question gives at least urgent"),
        ("fever", "self-care", "'not sure' on an urgent question gives at least urgent"),
        ("night_pain", "self-care", "'not sure' on a soon question gives at least soon"),
        ("saddle_numbness", "urgent", "gives emergency (cauda equina cannot wait), not 'urgent'"),
        ("both_legs", "urgent", "gives emergency (cauda equina cannot wait)"),
    ],
)
def test_what_not_sure_gives_on_a_question_is_never_less_than_design_says(
    data_copy: Path, question_id: str, unsure: str, fragment: str
) -> None:
    _edit_question(data_copy, question_id, unsure=unsure)
    message = _load_error(data_copy)
    assert message.startswith(f"triage.yaml, entry {question_id}")
    assert "field 'unsure'" in message and fragment in message


def test_a_question_may_raise_what_not_sure_gives(data_copy: Path) -> None:
    _edit_question(data_copy, "fever", unsure="emergency")
    _edit_tiers(data_copy, lambda t: t["soon"].update(unsure="urgent"))
    loaded = load_dataset_uncached(data_copy)
    assert loaded.question("fever").unsure == "emergency"


def test_the_pressures_keep_their_order(data_copy: Path) -> None:
    path = data_copy / "routine.yaml"
    text = path.read_text(encoding="utf-8")
    assert "pressures: [light, moderate, firm]" in text
    path.write_text(text.replace("[light, moderate, firm]", "[firm, moderate, light]"), "utf-8")
    message = _load_error(data_copy)
    assert message.startswith("routine.yaml, field 'pressures'")
    assert "light, moderate, firm, from the lightest" in message


@pytest.mark.parametrize(
    ("change", "args"),
    [
        (lambda t: t["emergency"].update(exit_code=99), ["check", "--no-input"]),
        (_swap_exit_codes, ["check", "--no-input"]),
        (
            lambda t: t["emergency"].update(routine="go"),
            ["routine", "--plan", "--no-input", "--area", "outer", "--side", "left"],
        ),
        (
            lambda t: t["emergency"].update(routine="go"),
            ["card", "--no-input", "--area", "outer", "--side", "left", "--out", "card.html"],
        ),
    ],
    ids=["check-exit-99", "check-codes-swapped", "routine-plan-go", "card-go"],
)
def test_the_program_refuses_a_broken_contract_in_one_line(
    runner: CliRunner,
    data_copy: Path,
    all_no: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[Tiers], object],
    args: list[str],
) -> None:
    _edit_tiers(data_copy, change)
    monkeypatch.chdir(data_copy.parent)
    monkeypatch.setenv("HIPGUIDE_DATA", str(data_copy))
    answers = answer_items({**all_no, "injury": "yes"})
    line = _one_line(runner.invoke(app, [*args, *answers]))
    assert "triage.yaml, entry emergency" in line
    assert not (data_copy.parent / "card.html").exists()


# --- the questions -------------------------------------------------------------------------


def test_the_shipped_questions_are_the_contract_exactly(data_copy: Path) -> None:
    from hipguide.dataset._check import QUESTION_CONTRACT

    questions = load_dataset_uncached(data_copy).triage.questions
    assert {q.id: (q.tier, q.background, q.after) for q in questions} == QUESTION_CONTRACT


def _drop_question(folder: Path, question_id: str) -> None:
    path = folder / "triage.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["questions"] = [q for q in document["questions"] if q["id"] != question_id]
    for combination in document.get("combinations", []):  # keep the references whole
        combination["groups"] = [
            [ref for ref in group if ref != question_id] for group in combination["groups"]
        ]
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")


@pytest.mark.parametrize(
    ("question_id", "fields", "where", "fragment"),
    [
        ("injury", {"tier": "soon"}, "entry injury, field 'tier'",
         "at least emergency, not 'soon'"),
        ("fever", {"tier": "soon"}, "entry fever, field 'tier'", "at least urgent, not 'soon'"),
        ("worsening", {"tier": "caution", "effect": "fragile"}, "entry worsening, field 'tier'",
         "at least soon, not 'caution'"),
        ("pregnant", {"tier": "urgent", "effect": None}, "entry pregnant, field 'tier'",
         "is a caution, not 'urgent'"),
        ("injury", {"background": True}, "entry injury, field 'background'",
         "cannot be a background question"),
        ("fever", {"after": "pregnant"}, "entry fever, field 'after'",
         "asked always, not only after 'pregnant'"),
        ("pregnancy_warning", {"after": "anticoagulant"}, "entry pregnancy_warning, field 'after'",
         "asked after 'pregnant', not only after 'anticoagulant'"),
    ],
)  # fmt: skip
def test_a_question_that_counts_for_less_than_design_says_is_refused(
    data_copy: Path, question_id: str, fields: dict[str, Any], where: str, fragment: str
) -> None:
    _edit_question(data_copy, question_id, **fields)
    message = _load_error(data_copy)
    assert where in message and fragment in message


def test_a_missing_question_is_refused(data_copy: Path) -> None:
    _drop_question(data_copy, "saddle_numbness")
    message = _load_error(data_copy)
    assert "the question 'saddle_numbness' is missing" in message


def test_a_question_may_count_for_more(data_copy: Path) -> None:
    _edit_question(data_copy, "worsening", tier="urgent")
    path = data_copy / "triage.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(q for q in document["questions"] if q["id"] == "pregnancy_warning").pop("after")
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    _edit_question(data_copy, "hip_replacement", background=False)  # type: ignore[arg-type]
    questions = {q.id: q for q in load_dataset_uncached(data_copy).triage.questions}
    assert questions["worsening"].tier == "urgent"
    assert not questions["pregnancy_warning"].after
    assert not questions["hip_replacement"].background


def test_the_program_refuses_a_demoted_question_in_one_line(
    runner: CliRunner,
    data_copy: Path,
    all_no: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _edit_question(data_copy, "injury", tier="soon")
    monkeypatch.setenv("HIPGUIDE_DATA", str(data_copy))
    line = _one_line(runner.invoke(app, ["check", "--no-input", *answer_items(all_no)]))
    assert "triage.yaml, entry injury, field 'tier'" in line


# --- the combinations ----------------------------------------------------------------------

Combinations = list[dict[str, Any]]


def _edit_combinations(folder: Path, change: Callable[[Combinations], object]) -> None:
    path = folder / "triage.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document["combinations"])
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")


def _combination(combinations: Combinations, combo_id: str) -> dict[str, Any]:
    return next(c for c in combinations if c["id"] == combo_id)


def _drop_combination(combo_id: str) -> Callable[[Combinations], None]:
    def change(combinations: Combinations) -> None:
        combinations.remove(_combination(combinations, combo_id))

    return change


def _set_combination(combo_id: str, **fields: Any) -> Callable[[Combinations], None]:
    return lambda combinations: _combination(combinations, combo_id).update(fields)


def _drop_from_group(combo_id: str, index: int, question_id: str) -> Callable[[Combinations], None]:
    return lambda combinations: _combination(combinations, combo_id)["groups"][index].remove(
        question_id
    )


def test_the_shipped_combinations_are_the_contract_exactly(data_copy: Path) -> None:
    from hipguide.dataset._check import COMBINATION_CONTRACT

    combinations = load_dataset_uncached(data_copy).triage.combinations
    assert {c.id: (c.tier, c.groups) for c in combinations} == COMBINATION_CONTRACT


@pytest.mark.parametrize(
    ("change", "where", "fragment"),
    [
        (_drop_combination("fever_infection_risk"), "triage.yaml, field 'combinations'",
         "the combination 'fever_infection_risk' is missing: fever with any of hot_swollen, "
         "immunosuppressed, sudden_severe, hip_replacement, recent_procedure, iv_drug_use, "
         "under_16 must give at least emergency"),
        (_drop_combination("night_sweats_illness"), "field 'combinations'",
         "'night_sweats_illness' is missing: night_sweats with any of fever, weight_loss must "
         "give at least urgent"),
        (_set_combination("fever_infection_risk", tier="soon"),
         "entry fever_infection_risk, field 'tier'",
         "this combination gives at least emergency, not 'soon'"),
        (_set_combination("hot_joint_infection_risk", tier="urgent"),
         "entry hot_joint_infection_risk, field 'tier'", "at least emergency, not 'urgent'"),
        (_set_combination("cancer_history_red_flags", tier="soon"),
         "entry cancer_history_red_flags, field 'tier'", "at least urgent, not 'soon'"),
        (_drop_from_group("fever_infection_risk", 1, "hot_swollen"),
         "entry fever_infection_risk, field 'groups'",
         "group 2 must hold at least hot_swollen, immunosuppressed, sudden_severe, "
         "hip_replacement, recent_procedure, iv_drug_use, under_16 (it lacks hot_swollen)"),
        (_drop_from_group("night_sweats_illness", 1, "weight_loss"),
         "entry night_sweats_illness, field 'groups'", "(it lacks weight_loss)"),
        (_set_combination("hot_joint_infection_risk", groups=[["hot_swollen", "fever"]] * 1
                          + [["immunosuppressed", "hip_replacement"]]),
         "entry hot_joint_infection_risk, field 'groups'",
         "group 2 must hold at least immunosuppressed, hip_replacement, recent_procedure, "
         "iv_drug_use (it lacks recent_procedure, iv_drug_use)"),
        (_set_combination("night_pain_red_flags", groups=[
            ["night_pain"], ["weight_loss", "cancer_history", "night_sweats"], ["worsening"]]),
         "entry night_pain_red_flags, field 'groups'",
         "group 3 is one more than this combination has (2): a dataset may widen a combination's "
         "groups, not add one"),
        (_set_combination("fever_infection_risk", id="fever_and_more", tier="urgent"),
         "field 'combinations'", "the combination 'fever_infection_risk' is missing"),
    ],
    ids=[
        "fever-infection-dropped",
        "night-sweats-dropped",
        "fever-infection-soon",
        "hot-joint-urgent",
        "cancer-soon",
        "fever-group-shrunk",
        "night-sweats-group-shrunk",
        "hot-joint-group-shrunk",
        "group-added",
        "renamed-and-milder",
    ],
)  # fmt: skip
def test_a_combination_weaker_than_design_says_is_refused(
    data_copy: Path, change: Callable[[Combinations], object], where: str, fragment: str
) -> None:
    _edit_combinations(data_copy, change)
    message = _load_error(data_copy)
    assert message.startswith("triage.yaml, ")
    assert where in message and fragment in message


def _add_combination(combinations: Combinations) -> None:
    combinations.append(
        {**combinations[-1], "id": "worse_at_night", "groups": [["worsening"], ["night_pain"]]}
    )


def _rename_and_merge(combinations: Combinations) -> None:
    """The fever combination under another id, its groups swapped, and the hot joint one
    as a single wider group (it then applies on a hot, swollen hip alone)."""
    fever = _combination(combinations, "fever_infection_risk")
    fever["id"] = "joint_or_bone_infection"
    fever["groups"].reverse()
    hot = _combination(combinations, "hot_joint_infection_risk")
    hot["groups"] = [[q for group in hot["groups"] for q in group]]


@pytest.mark.parametrize(
    "change",
    [
        _add_combination,
        _set_combination("night_sweats_illness", tier="emergency"),
        lambda c: _combination(c, "night_sweats_illness")["groups"][1].append("worsening"),
        lambda c: _combination(c, "fever_infection_risk")["groups"][0].append("calf_swelling"),
        _rename_and_merge,
    ],
    ids=["added", "graver-tier", "widened-group", "widened-first-group", "renamed-and-merged"],
)
def test_a_combination_may_count_for_more(
    data_copy: Path, change: Callable[[Combinations], object]
) -> None:
    _edit_combinations(data_copy, change)
    assert load_dataset_uncached(data_copy).triage.combinations


@pytest.mark.parametrize(
    "change",
    [
        _drop_combination("fever_infection_risk"),
        _set_combination("fever_infection_risk", tier="soon"),
        _drop_from_group("fever_infection_risk", 1, "hot_swollen"),
    ],
    ids=["dropped", "soon", "group-shrunk"],
)
def test_the_program_refuses_a_weakened_combination_in_one_line(
    runner: CliRunner,
    data_copy: Path,
    all_no: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    change: Callable[[Combinations], object],
) -> None:
    _edit_combinations(data_copy, change)
    monkeypatch.setenv("HIPGUIDE_DATA", str(data_copy))
    answers = answer_items({**all_no, "fever": "yes", "hot_swollen": "yes"})
    line = _one_line(runner.invoke(app, ["check", "--no-input", *answers]))
    assert line.startswith("Error: triage.yaml, ")
    assert "fever_infection_risk" in line


# --- the figures ---------------------------------------------------------------------------


def _figure(body: str, root: str = ROOT) -> str:
    return f"{root}{body}</svg>"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (_figure("", ROOT.replace(">", ' onload="alert(1)">')), "the event handler 'onload'"),
        (_figure('<rect width="9" onclick="alert(1)"/>'), "the event handler 'onclick'"),
        (_figure('<rect OnMouseOver="alert(1)"/>'), "the event handler 'OnMouseOver'"),
        (_figure("", '<svg/onload=alert(1) viewBox="0 0 100 100">'), "handler 'onload'"),
        (_figure('<rect x="1"onfocus="alert(1)"/>'), "the event handler 'onfocus'"),
        (_figure('<set attributeName="onmouseover" to="alert(1)"/>'), "not '<set'"),
        (_figure('<animate attributeName="href" values="javascript:x"/>'), "not '<animate'"),
        (_figure('<animateTransform attributeName="transform"/>'), "'<animateTransform'"),
        (_figure('<animateMotion path="M0 0"/>'), "not '<animateMotion'"),
        (_figure('<s:script xmlns:s="http://www.w3.org/2000/svg"/>'), "not '<s:script'"),
        (_figure('<a href="javascript:alert(1)"><text>x</text></a>'), "not '<a'"),
        (_figure("<text>javascript:alert(1)</text>"), "not the address 'javascript:'"),
        (_figure("<text>see data:text/html,x</text>"), "not the address 'data:'"),
        (_figure("<style>.a{fill:u\\72l(x)}</style>"), "not '\\\\'"),
        (_figure("<style>@media print{.a{fill:red}}</style>"), "plain rules only"),
        (_figure("<!--><img src=x onerror=alert(1)>-->"), "not '<img'"),
        (
            _figure("", ROOT.replace("2000/svg", "1999/xhtml")),
            "only the SVG and XLink namespaces, not 'http://www.w3.org/1999/xhtml'",
        ),
        ("<g>" + _figure("") + "</g>", "first element is <svg>, not '<g'"),
        (_figure("", ROOT.replace("<svg", "<SVG")).replace("</svg>", "</SVG>"), "not '<SVG'"),
        (LAUGHS + _figure("<title>&i;</title>"), "declaration such as DOCTYPE or ENTITY"),
        (_figure("<!ENTITY a 'b'>"), "('<!ENTITY')"),
        (_figure("<![CDATA[x]]>"), "('<![CDATA[x]]')"),
        ('<?xml-stylesheet href="x.css"?>' + _figure(""), "instruction ('<?xml-stylesheet')"),
        (_figure("<?php echo 1 ?>"), "processing instruction ('<?php')"),
        (_figure("<text>&nbsp;</text>"), "'&nbsp;': a figure names no entities but &amp;"),
        (_figure("<text>&#x1b;]0;owned&#7;</text>"), "control or format character '&#x1b;'"),
        (_figure("<text>&#8238;reversed</text>"), "control or format character '&#8238;'"),
        (ROOT + "<g><rect/>", "line 1: not well-formed XML (no element found)"),
        (_figure("<g>"), "not well-formed XML (mismatched tag)"),
        (_figure("<x:rect/>"), "not '<x:rect'"),
    ],
)
def test_a_figure_holds_drawing_only(data_copy: Path, content: str, fragment: str) -> None:
    (data_copy / "figures" / "extra.svg").write_text(content, encoding="utf-8")
    message = _load_error(data_copy)
    assert message.startswith("figures/extra.svg: ")
    assert fragment in message


@pytest.mark.parametrize(
    "content",
    [
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ROOT + "</svg>",
        _figure("<!-- a note --><text>Hip &amp; knee &lt;1&gt; &#233;&#x2014;</text>"),
        _figure('<rect data-on="1" class="icon"/><text>Press on the bone</text>'),
        _figure(
            '<defs><path id="p" d="M0 0"/></defs><use xlink:href="#p"/><use href="#p"/>'
            '<rect style="fill:url(#p)"/>',
            ROOT.replace("<svg", '<svg xmlns:xlink="http://www.w3.org/1999/xlink"'),
        ),
    ],
    ids=["declaration", "entities", "words-with-on", "links-inside"],
)
def test_a_plain_figure_is_still_accepted(data_copy: Path, content: str) -> None:
    (data_copy / "figures" / "extra.svg").write_text(content, encoding="utf-8")
    load_dataset_uncached(data_copy)


@pytest.mark.parametrize(
    "content",
    [
        ROOT + "<style>" * 35_000,
        ROOT + "<g " + " " * 250_000,
        ROOT + '<g xmlns="' * 25_000,
        ROOT + "<text>" + "&#x41;" * 40_000,
        ROOT + "<g>" * 80_000,
    ],
    ids=["open-styles", "open-tag", "open-quotes", "references", "deep"],
)
def test_a_hostile_figure_is_refused_in_bounded_time(data_copy: Path, content: str) -> None:
    (data_copy / "figures" / "extra.svg").write_text(content, encoding="utf-8")
    start = time.perf_counter()
    assert _load_error(data_copy).startswith("figures/extra.svg: ")
    assert time.perf_counter() - start < 5  # a quadratic pattern takes minutes


def _spoil_figure(folder: Path, view: str, head: str = "", attribute: str = "") -> None:
    path = folder / "figures" / f"{view}.svg"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<svg ")
    path.write_text(head + text.replace("<svg ", f"<svg {attribute}", 1), "utf-8")


def test_an_entity_bomb_figure_is_refused_before_any_picture(
    runner: CliRunner, data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _spoil_figure(data_copy, "body-left", head=LAUGHS)
    path = data_copy / "figures" / "body-left.svg"
    path.write_text(path.read_text("utf-8").replace("</title>", "&i;</title>", 1), "utf-8")
    monkeypatch.setenv("HIPGUIDE_DATA", str(data_copy))
    out = tmp_path / "gb29.png"
    line = _one_line(runner.invoke(app, ["points", "GB29", "--picture", str(out)]))
    assert "figures/body-left.svg: a figure may not hold a declaration" in line
    assert "'<!DOCTYPE'" in line
    assert not out.exists()


@pytest.mark.parametrize(
    "args", [["points", "GB30", "--picture", "gb30.svg"], ["card", "--out", "card.html"]]
)
def test_a_figure_with_an_event_handler_never_reaches_an_output(
    runner: CliRunner,
    data_copy: Path,
    all_no: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
) -> None:
    _spoil_figure(data_copy, "body-back", attribute='onload="alert(1)" ')
    monkeypatch.chdir(data_copy.parent)
    monkeypatch.setenv("HIPGUIDE_DATA", str(data_copy))
    if args[0] == "card":
        args = [*args, "--no-input", "--area", "outer", "--side", "left", *answer_items(all_no)]
    line = _one_line(runner.invoke(app, args))
    assert "figures/body-back.svg: a figure holds only drawing, not the event handler" in line
    assert not list(data_copy.parent.glob("*.svg")) and not list(data_copy.parent.glob("*.html"))
