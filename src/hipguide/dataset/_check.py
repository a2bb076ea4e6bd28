"""Cross-references between the files of a dataset: every id named must exist."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from itertools import pairwise
from typing import TYPE_CHECKING

from hipguide.dataset import normalize_code
from hipguide.dataset._build import Where, check_unique
from hipguide.models import CAUTION, CHOICES, MODIFIER
from hipguide.untrusted import quote

if TYPE_CHECKING:
    from hipguide.dataset import Dataset
    from hipguide.models import Question, Tier

#: The verdict tiers of DESIGN.md section 3, from the most serious: each one's exit
#: code and whether a routine may start after it. A dataset may word them as it likes,
#: but not change what they do.
TIER_CONTRACT: tuple[tuple[str, int, str], ...] = (
    ("emergency", 5, "refuse"),
    ("urgent", 4, "refuse"),
    ("soon", 3, "confirm"),
    ("self-care", 0, "go"),
)
#: The least that "not sure" gives on a question of each flag tier.
UNSURE_AT_LEAST = {"emergency": "urgent", "urgent": "urgent", "soon": "soon"}
#: Questions where "not sure" gives emergency whatever their tier: cauda equina cannot
#: wait for a same-day appointment.
UNSURE_IS_EMERGENCY = ("saddle_numbness", "both_legs")
#: The questions of DESIGN.md section 3 (version 2): each one's tier (a verdict tier,
#: ``caution`` or ``modifier``), whether it is a background question (one that
#: ``assessed`` may keep from counting on its own), and the question it is asked only
#: after. A dataset may word them as it likes and add questions of its own, and make one
#: count for more (a graver tier, not background, asked always), never for less.
_TABLE = (  # each tier and its questions, in the table's order
    ("emergency", "injury cannot_bear_weight deformity saddle_numbness both_legs sepsis_signs"),
    ("emergency", "chest_symptoms groin_lump pregnancy_warning"),
    ("urgent", "fever hot_swollen calf_swelling leg_weakness sudden_severe weight_loss"),
    ("urgent", "under_16 hip_replacement"),
    ("soon", "cancer_history night_pain night_sweats immunosuppressed iv_drug_use"),
    ("soon", "recent_procedure worsening persistent morning_stiffness over_50_new"),
    ("soon", "no_improvement"),
    (CAUTION, "pregnant anticoagulant older_or_fragile skin_problem"),
    (MODIFIER, "assessed"),
)
#: The table's background questions ("bg"), and the questions asked only after another.
_BACKGROUND = frozenset(
    {
        "hip_replacement",
        "cancer_history",
        "immunosuppressed",
        "iv_drug_use",
        "recent_procedure",
        "persistent",
        "morning_stiffness",
        "over_50_new",
    }
)
_AFTER = {"pregnancy_warning": "pregnant"}
QUESTION_CONTRACT: dict[str, tuple[str, bool, str]] = {
    question_id: (tier, question_id in _BACKGROUND, _AFTER.get(question_id, ""))
    for tier, ids in _TABLE
    for question_id in ids.split()
}
#: The combinations of DESIGN.md section 3 that escalate: each one's id in the shipped
#: data, the least tier it gives, and its groups (it applies when every group has a yes
#: or unsure). A dataset may add combinations, give one a graver tier or widen its
#: groups, never weaken one: each of these must be covered by one of its combinations.
_COMBINATIONS = (  # id, tier, then each group's questions
    (
        "fever_infection_risk",
        "emergency",
        "fever",
        "hot_swollen immunosuppressed sudden_severe hip_replacement recent_procedure "
        "iv_drug_use under_16",
    ),
    (
        "hot_joint_infection_risk",
        "emergency",
        "hot_swollen",
        "immunosuppressed hip_replacement recent_procedure iv_drug_use",
    ),
    ("night_pain_red_flags", "urgent", "night_pain", "weight_loss cancer_history night_sweats"),
    (
        "cancer_history_red_flags",
        "urgent",
        "cancer_history",
        "night_sweats weight_loss leg_weakness",
    ),
    ("night_sweats_illness", "urgent", "night_sweats", "fever weight_loss"),
)
COMBINATION_CONTRACT: dict[str, tuple[str, tuple[tuple[str, ...], ...]]] = {
    combo_id: (tier, tuple(tuple(group.split()) for group in groups))
    for combo_id, tier, *groups in _COMBINATIONS
}
#: What each value of a tier's ``routine`` means, for a message.
_GATES = {
    "refuse": "no routine may start after this verdict",
    "confirm": "a routine starts after this verdict only once the person agrees",
    "go": "a routine may start after this verdict without asking",
}


def _need(
    file: str, entry: str, field: str, ref: object, known: Collection[object], kind: str
) -> None:
    if ref not in known:
        raise Where(file, entry, field).fail(f"unknown {kind} {quote(ref)}")


def check_references(ds: Dataset, figures: Mapping[str, tuple[float, float]]) -> None:
    """Raise DataError for the first reference to a point, source, region, channel, role,
    effect, tier, question or figure that the dataset does not have, for a figure
    position outside its figure, and for rules that contradict each other (two tiers of
    one rank, a caution without its effect). ``figures`` maps each figure's file stem
    to the width and height of its viewBox."""
    _check_rules(ds)
    _check_tiers(ds)
    _check_points(ds)
    _check_figures(ds, figures)
    _check_routines(ds)
    _check_questions(ds)


def _check_rules(ds: Dataset) -> None:
    rules = ds.rules
    check_unique("routine.yaml", rules.pressures, "pressure")
    check_unique("routine.yaml", (r.id for r in rules.roles), "role id")
    check_unique("routine.yaml", (e.id for e in rules.effects), "effect id")
    check_unique("channels.yaml", (c.name for c in ds.channels), "channel name")
    if not rules.roles:
        raise Where("routine.yaml", "", "roles").fail("at least one role is needed")
    if rules.pressures != CHOICES["Pressure"]:
        raise Where("routine.yaml", "", "pressures").fail(
            f"must be {', '.join(CHOICES['Pressure'])}, from the lightest, in that order"
        )
    sources = {s.id for s in ds.sources}
    for ref in rules.course.sources:
        _need("routine.yaml", "course", "sources", ref, sources, "source")
    _check_course(ds, sources)
    safely = ds.triage.pressing_safely
    for ref in safely.sources if safely is not None else ():
        _need("triage.yaml", "pressing_safely", "sources", ref, sources, "source")


def _check_course(ds: Dataset, sources: Collection[str]) -> None:
    """The flare-up plan and the check-in's measures: their sources exist, the PEG has
    its three items and the PGIC its seven answers, 1 to 7 in order."""
    rules = ds.rules
    flare, checkin = rules.flare, rules.checkin
    for ref in flare.sources:
        _need("routine.yaml", "flare", "sources", ref, sources, "source")
    if not 1 <= flare.seconds_percent <= 100:
        raise Where("routine.yaml", "flare", "seconds_percent").fail("must be from 1 to 100")
    if flare.min_seconds < 1:
        raise Where("routine.yaml", "flare", "min_seconds").fail("must be at least 1")
    if flare.pressure not in rules.pressures:
        raise Where("routine.yaml", "flare", "pressure").fail(
            f"unknown pressure '{flare.pressure}'"
        )
    for field, refs in (
        ("peg.sources", checkin.peg.sources),
        ("pgic.sources", checkin.pgic.sources),
        ("change_sources", checkin.change_sources),
    ):
        for ref in refs:
            _need("routine.yaml", "checkin", field, ref, sources, "source")
    if len(checkin.peg.items) != 3:
        raise Where("routine.yaml", "checkin", "peg.items").fail(
            "the PEG has exactly three items (pain, enjoyment of life, general activity)"
        )
    check_unique("routine.yaml", (item.id for item in checkin.peg.items), "PEG item id")
    if [c.value for c in checkin.pgic.choices] != list(range(1, 8)):
        raise Where("routine.yaml", "checkin", "pgic.choices").fail(
            "the PGIC has seven answers, valued 1 to 7 in order"
        )


def _check_tiers(ds: Dataset) -> None:
    tiers = ds.triage.tiers
    check_unique("triage.yaml", (t.id for t in tiers), "tier id")
    check_unique("triage.yaml", (str(t.rank) for t in tiers), "tier rank")
    check_unique("triage.yaml", (str(t.exit_code) for t in tiers), "tier exit code")
    ids = [t.id for t in tiers]
    for reserved in (CAUTION, MODIFIER):
        if reserved in ids:
            raise Where("triage.yaml", reserved, "id").fail(
                f"'{reserved}' names a kind of question, not a verdict tier"
            )
    if not any(t.rank == 0 for t in tiers):
        raise Where("triage.yaml", "", "tiers").fail(
            "one tier must have rank 0: the verdict when nothing is flagged"
        )
    for tier in tiers:
        if tier.unsure is not None:
            _need("triage.yaml", tier.id, "unsure", tier.unsure, ids, "tier")
    _check_tier_contract(tiers)


def _check_tier_contract(tiers: tuple[Tier, ...]) -> None:
    """The tiers are the four of DESIGN.md section 3, ranked in order, each with its own
    exit code and gate; "not sure" never gives less than it should; and a soon verdict
    caps the pressure below firm."""
    by_id = {t.id: t for t in tiers}
    wanted = [tier_id for tier_id, _, _ in TIER_CONTRACT]
    for tier in tiers:
        if tier.id not in wanted:
            raise Where("triage.yaml", tier.id, "id").fail(
                f"the verdict tiers are {_spelled(wanted)}; there is no other"
            )
    for tier_id in wanted:
        if tier_id not in by_id:
            raise Where("triage.yaml", "", "tiers").fail(
                f"the tier {tier_id!r} is missing (the verdict tiers are {_spelled(wanted)})"
            )
    for higher, lower in pairwise(wanted):
        if not by_id[higher].rank > by_id[lower].rank:
            raise Where("triage.yaml", lower, "rank").fail(
                f"{lower} must rank below {higher}: {by_id[lower].rank} is not below "
                f"{by_id[higher].rank}"
            )
    for tier_id, exit_code, gate in TIER_CONTRACT:
        tier = by_id[tier_id]
        if tier.exit_code != exit_code:
            raise Where("triage.yaml", tier_id, "exit_code").fail(
                f"{_a(tier_id)} verdict exits with {exit_code}, not {tier.exit_code}"
            )
        if tier.routine != gate:
            raise Where("triage.yaml", tier_id, "routine").fail(
                f"{_GATES[gate]}: must be {gate!r}, not {tier.routine!r}"
            )
        if tier.unsure is not None:
            _unsure_at_least("triage.yaml", tier_id, tier_id, tier.unsure, by_id)
    soon = by_id["soon"]
    if soon.cap is None or soon.cap == CHOICES["Pressure"][-1]:
        raise Where("triage.yaml", "soon", "cap").fail(
            "a soon verdict presses nothing firmly while waiting for the doctor: "
            f"the cap must be below {CHOICES['Pressure'][-1]}"
        )


def _unsure_at_least(
    file: str, entry: str, tier_id: str, unsure: str, tiers: Mapping[str, Tier]
) -> None:
    """DataError when "not sure" on a question of ``tier_id`` would give ``unsure``,
    a lower tier than DESIGN.md section 3 allows."""
    least = UNSURE_AT_LEAST.get(tier_id)
    if least is not None and tiers[unsure].rank < tiers[least].rank:
        raise Where(file, entry, "unsure").fail(
            f"'not sure' on {_a(tier_id)} question gives at least {least}, not {unsure!r}"
        )


def _a(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def _spelled(names: list[str]) -> str:
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _check_points(ds: Dataset) -> None:
    sources = {s.id for s in ds.sources}
    regions = {r.id for r in ds.regions}
    channels = {c.name for c in ds.channels}
    claimed: dict[str, str] = {}
    for p in ds.points:
        for ref in p.sources:
            _need("points.yaml", p.code, "sources", ref, sources, "source")
        _need("points.yaml", p.code, "region", p.region, regions, "region")
        _need("points.yaml", p.code, "channel", p.channel, channels, "channel")
        for name in (p.code, *p.aliases):
            key = normalize_code(name)
            owner = claimed.setdefault(key, p.code)
            if owner != p.code:
                raise Where("points.yaml", p.code, "aliases").fail(
                    f"{quote(name)} is already the code or an alias of {owner}"
                )


def _check_figures(ds: Dataset, figures: Mapping[str, tuple[float, float]]) -> None:
    for p in ds.points:
        view, x, y = p.figure
        if view not in figures:
            from hipguide.suggest import close_matches

            close = close_matches(view, list(figures), n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            known = ", ".join(figures) or "none: the dataset has no figures folder"
            raise Where("points.yaml", p.code, "figure.view").fail(
                f"unknown figure '{view}' ({hint}figures: {known})"
            )
        width, height = figures[view]
        if not (x <= width and y <= height):
            raise Where("points.yaml", p.code, "figure").fail(
                f"position ({x}, {y}) lies outside the {view} figure, whose viewBox is "
                f"{width:g} x {height:g}"
            )


def _check_routines(ds: Dataset) -> None:
    sources = {s.id for s in ds.sources}
    points = {p.code for p in ds.points}
    roles = {r.id for r in ds.rules.roles}
    channels = {c.id for c in ds.channels}
    for c in ds.conditions:
        for ref in c.sources:
            _need("conditions.yaml", c.id, "sources", ref, sources, "source")
        for entry in c.points:
            _need("conditions.yaml", c.id, "points", entry.point, points, "point")
            _need("conditions.yaml", c.id, "points.role", entry.role, roles, "role")
    for a in ds.areas:
        for ref in a.sources:
            _need("areas.yaml", a.id, "sources", ref, sources, "source")
        for ref in a.channels:
            _need("areas.yaml", a.id, "channels", ref, channels, "channel")
        for entry in a.points:
            _need("areas.yaml", a.id, "points", entry.point, points, "point")
            _need("areas.yaml", a.id, "points.role", entry.role, roles, "role")


def _check_questions(ds: Dataset) -> None:
    sources = {s.id for s in ds.sources}
    triage = ds.triage
    tiers = [t.id for t in triage.tiers]
    by_tier = {t.id: t for t in triage.tiers}
    flag_tiers = [t.id for t in triage.tiers if t.rank > 0]
    effects = {e.id for e in ds.rules.effects}
    questions = {q.id for q in triage.questions}
    check_unique("triage.yaml", (q.id for q in triage.questions), "question id")
    for q in triage.questions:
        for ref in q.sources:
            _need("triage.yaml", q.id, "sources", ref, sources, "source")
        _need("triage.yaml", q.id, "tier", q.tier, [*flag_tiers, CAUTION, MODIFIER], "tier")
        if (q.tier == CAUTION) != (q.effect is not None):
            raise Where("triage.yaml", q.id, "effect").fail(
                "a caution question needs an effect, and only a caution question has one"
            )
        if q.effect is not None:
            _need("triage.yaml", q.id, "effect", q.effect, effects, "effect")
        if q.unsure is not None:
            _need("triage.yaml", q.id, "unsure", q.unsure, tiers, "tier")
        _check_unsure(q, by_tier)
    for combo in triage.combinations:
        for ref in combo.sources:
            _need("triage.yaml", combo.id, "sources", ref, sources, "source")
        _need("triage.yaml", combo.id, "tier", combo.tier, flag_tiers, "tier")
        if not combo.groups or not all(combo.groups):
            raise Where("triage.yaml", combo.id, "groups").fail(
                "a combination needs at least one group, and no group may be empty"
            )
        for group in combo.groups:
            for ref in group:
                _need("triage.yaml", combo.id, "groups", ref, questions, "question")
    _check_question_contract(ds)
    _check_combination_contract(ds)


def _check_question_contract(ds: Dataset) -> None:
    """Every question of :data:`QUESTION_CONTRACT` is there, and counts for no less than
    DESIGN.md section 3 says: its tier no milder, background only where the table says
    so, and asked after another only where the table says so."""
    triage = ds.triage
    ranks = {t.id: t.rank for t in triage.tiers}
    given = {q.id: q for q in triage.questions}
    for question_id, (tier, background, after) in QUESTION_CONTRACT.items():
        question = given.get(question_id)
        if question is None:
            raise Where("triage.yaml", "", "questions").fail(
                f"the question {question_id!r} is missing: every red-flag question of the "
                "check must be asked"
            )
        where = Where("triage.yaml", question_id, "tier")
        if tier in ranks:
            if question.tier not in ranks or ranks[question.tier] < ranks[tier]:
                raise where.fail(f"this question gives at least {tier}, not {question.tier!r}")
        elif question.tier != tier:
            raise where.fail(f"this question is a {tier}, not {question.tier!r}")
        if question.background and not background:
            raise Where("triage.yaml", question_id, "background").fail(
                "this question counts on its own whoever has examined the pain: it cannot "
                "be a background question"
            )
        if question.after and question.after != after:
            raise Where("triage.yaml", question_id, "after").fail(
                f"this question is asked {'after ' + repr(after) if after else 'always'}, "
                f"not only after {question.after!r}"
            )


def _check_combination_contract(ds: Dataset) -> None:
    """Every combination of :data:`COMBINATION_CONTRACT` still escalates as DESIGN.md
    section 3 says: some combination of the dataset gives at least its tier whenever it
    applies (:func:`_covers`). When none does, the one of that id is named with what
    weakened it (a milder tier, a group that lost questions, a group added), or the
    combination is missing."""
    combinations = ds.triage.combinations
    ranks = {t.id: t.rank for t in ds.triage.tiers}
    for combo_id, (tier, groups) in COMBINATION_CONTRACT.items():
        if any(_covers(c.groups, groups) and ranks[c.tier] >= ranks[tier] for c in combinations):
            continue
        same = next((c for c in combinations if c.id == combo_id), None)
        if same is None:
            raise Where("triage.yaml", "", "combinations").fail(
                f"the combination {combo_id!r} is missing: {_spoken(groups)} must give at "
                f"least {tier}"
            )
        if ranks[same.tier] < ranks[tier]:
            raise Where("triage.yaml", combo_id, "tier").fail(
                f"this combination gives at least {tier}, not {same.tier!r}"
            )
        for number, group in enumerate(same.groups, 1):
            if any(set(wanted) <= set(group) for wanted in groups):
                continue
            where = Where("triage.yaml", combo_id, "groups")
            closest = max(groups, key=lambda wanted: len(set(wanted) & set(group)))
            if not set(closest) & set(group):
                if number > len(groups):
                    raise where.fail(
                        f"group {number} is one more than this combination has ({len(groups)}): a "
                        "dataset may widen a combination's groups, not add one (it would "
                        "escalate less often)"
                    )
                closest = groups[number - 1]
            lacking = [q for q in closest if q not in group]
            raise where.fail(
                f"group {number} must hold at least {', '.join(closest)} (it lacks "
                f"{', '.join(lacking)}): a dataset may widen a combination's groups, not "
                "narrow them"
            )


def _covers(given: tuple[tuple[str, ...], ...], wanted: tuple[tuple[str, ...], ...]) -> bool:
    """Whether a combination of groups ``given`` applies whenever one of groups ``wanted``
    does: each of its groups holds every question of one of the wanted groups."""
    return all(any(set(w) <= set(group) for w in wanted) for group in given)


def _spoken(groups: tuple[tuple[str, ...], ...]) -> str:
    """A combination's groups as a message says them: "fever with any of a, b"."""
    return " with ".join(
        group[0] if len(group) == 1 else f"any of {', '.join(group)}" for group in groups
    )


def _check_unsure(question: Question, tiers: Mapping[str, Tier]) -> None:
    """What "not sure" gives on ``question`` (as :mod:`hipguide.triage` reckons it) is
    never less than DESIGN.md section 3 allows."""
    if question.tier not in tiers:  # a caution or the modifier: no tier to give
        return
    unsure = question.unsure or tiers[question.tier].unsure or question.tier
    if question.id in UNSURE_IS_EMERGENCY and unsure != "emergency":
        raise Where("triage.yaml", question.id, "unsure").fail(
            f"'not sure' here gives emergency (cauda equina cannot wait), not {unsure!r}"
        )
    _unsure_at_least("triage.yaml", question.id, question.tier, unsure, tiers)
