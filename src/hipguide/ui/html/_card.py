"""What the routine card shows, gathered for its template: the points in order with
their pictures, what shaped the plan, the check it rests on, and when to stop."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hipguide.records import dataclass
from hipguide.ui import text

if TYPE_CHECKING:
    from markupsafe import Markup

    from hipguide.dataset import Dataset
    from hipguide.flows.card import CardOutcome
    from hipguide.models import Point
    from hipguide.planner import Plan, Step

#: Up to this many points are drawn at full size; more (up to the card's most) smaller.
NORMAL = 6


@dataclass(frozen=True)
class PointPanel:
    """One point of the card: its steps, names, dose, picture and how to find it."""

    steps: tuple[int, ...]
    code: str
    pinyin: str
    english: str
    role: str
    sides: tuple[str, ...]
    dose: str
    picture: Markup | None
    caption: str
    find: str


def caution_lines(plan: Plan, dataset: Dataset, number: str | None) -> list[str]:
    """What shaped the plan, one line each: every caution's advice with the pressure caps
    it set, then a cap of the verdict's own (see a doctor soon) with its reason."""
    from hipguide.ui import json

    lines = []
    for caution in json.plan_cautions(plan, dataset, number):
        caps = "; ".join(
            cap["text"] + (f" ({', '.join(cap['lowered'])})" if cap["lowered"] else "")
            for cap in caution["caps"]
        )
        advice = text.sentence(caution["text"])  # a verdict's cap gives its reason as a clause
        lines.append(f"{advice} {text.sentence(caps)}" if caps else advice)
    return lines


def figure_place(point: Point) -> tuple[str, float, float] | None:
    """The point's figure (a file stem of ``data/figures``) and its place in it; None
    when that figure is not among the shipped ones."""
    from hipguide.ui.figures import views

    figure = point.figure
    if figure.view not in views():
        return None
    return str(figure.view), float(figure.x), float(figure.y)


def picture(point: Point, side: str, prefix: str) -> tuple[Markup | None, str]:
    """The point's figure, marked on ``side``, ready to sit inline in the page (its ids
    and styles its own), and the words that say which side is which."""
    from markupsafe import Markup

    from hipguide.ui.figures import mark_position, marked_svg, orientation
    from hipguide.ui.html._figure import crop_tall, fit_width, isolate

    place = figure_place(point)
    if place is None:
        return None, ""
    view, x, y = place
    svg = marked_svg(view, x, y, side, point.code, labels=False)
    mark = mark_position(view, x, y, side)
    svg = fit_width(isolate(crop_tall(svg, mark.x, mark.y), prefix))
    # Drawn from the shipped figures; the point's code in it is escaped.
    return Markup(svg), orientation(view, side)


def _dose(steps: list[Step]) -> str:
    each = text.CARD_EACH if len(steps) > 1 else ""
    return text.CARD_DOSE.format(seconds=steps[0].seconds, each=each, pressure=steps[0].pressure)


def _find(point: Point, step: Step) -> str:
    """How to find the point and, for a standing or seated way, how to press it (the
    card names no method otherwise: the usual one is a fingertip's pressure)."""
    found = text.find_words(point, step)
    if text.standing_way(point, step) is not None:
        return f"{found} {text.method_words(point, step)}"
    return found


def panels(plan: Plan, dataset: Dataset) -> list[PointPanel]:
    """One panel a point, in the order the plan presses them."""
    grouped: dict[str, list[tuple[int, Step]]] = {}
    for number, step in enumerate(plan.steps, 1):
        grouped.setdefault(step.point, []).append((number, step))
    result = []
    for index, (code, numbered) in enumerate(grouped.items()):
        point = dataset.point(code)
        steps = [step for _, step in numbered]
        image, caption = picture(point, steps[0].side, f"fig{index + 1}")
        result.append(
            PointPanel(
                steps=tuple(number for number, _ in numbered),
                code=point.code,
                pinyin=point.pinyin,
                english=point.english,
                role=steps[0].role,
                sides=tuple(step.side for step in steps),
                dose=_dose(steps),
                picture=image,
                caption=caption,
                find=_find(point, steps[0]),
            )
        )
    return result


def emergency_signs(outcome: CardOutcome, dataset: Dataset, number: str | None) -> list[str]:
    """The questions of the most serious tier, in asking order: a yes to any of them
    means call for help. One asked only after another (signs in pregnancy) is listed
    when that one applied in the check."""
    from hipguide.triage import flagged, ordered_questions, top_tier

    triage = dataset.triage
    top = top_tier(triage).id
    answers = outcome.gate.verdict.answers
    return [
        text.fill(q.text, dataset, number)
        for q in ordered_questions(triage)
        if q.tier == top and (not q.after or flagged(answers.get(q.after)))
    ]


def card_context(
    outcome: CardOutcome, dataset: Dataset, number: str | None, name: str | None
) -> dict[str, Any]:
    """Everything the card template shows."""
    from hipguide import __version__

    plan, planned = outcome.plan, outcome.planned
    if plan is None or planned is None:
        raise ValueError("a card is drawn only for a planned routine")
    verdict = outcome.gate.verdict
    point_panels = panels(plan, dataset)
    emergency = number or dataset.triage.emergency_number
    safely = dataset.triage.pressing_safely
    summary = text.CARD_SUMMARY.format(
        areas=text.card_areas(planned.areas, dataset),
        side=text.CARD_SIDE[planned.side],
        presses=text.counted(len(plan.steps), "press", "presses"),
        duration=text.duration(plan.total_seconds).replace(" ", "\u00a0"),  # one piece
    )
    check = text.CARD_CHECK.format(
        when=text.date_time(outcome.checked_at),
        reused=text.CARD_CHECK_REUSED if outcome.gate.reused is not None else "",
        verdict=text.headline(verdict, dataset, number),
    )
    left_out: dict[str, list[str]] = {}
    for item in plan.excluded:
        left_out.setdefault(text.exclusion_text(item, dataset), []).append(item.point)
    count = len(point_panels)
    standing = list(dict.fromkeys(step.point for step in plan.steps if step.instead))
    context: dict[str, Any] = {
        "name": name,
        "made": text.CARD_MADE.format(date=text.date(outcome.made_at)),
        "summary": summary,
        "check": check,
        "tier": verdict.tier,
        "tier_label": text.tier_label(dataset, verdict.tier),
        "tier_action": (
            text.action(verdict, dataset, number)
            if dataset.tier(verdict.tier).routine == "confirm"
            else ""
        ),
        "pace": text.CARD_PACE.format(
            rest=text.duration(plan.rest_seconds), switch=text.duration(plan.switch_seconds)
        ),
        "points": point_panels,
        "density": "normal" if count <= NORMAL else "compact",
        "cautions": caution_lines(plan, dataset, number),
        "left_out": [
            text.CARD_LEFT_OUT.format(reason=reason, points=", ".join(codes))
            for reason, codes in left_out.items()
        ],
        "standing": text.sentence(text.pressed_standing(standing)) if standing else "",
        "emergency": emergency,
        "emergency_signs": emergency_signs(outcome, dataset, number),
        "stop_signs": text.fill(safely.stop_signs, dataset, number) if safely else "",
        "side_effects": text.fill(safely.side_effects, dataset, number) if safely else "",
        "footer": text.CARD_FOOTER.format(version=__version__),
        "check_again": text.CARD_CHECK_AGAIN,
        "stop_call": text.CARD_STOP_CALL.format(emergency=emergency),
    }
    from hipguide.ui.html._fit import card_height, card_scale

    context["scale"] = card_scale(context)
    context["estimate"] = card_height(context)
    return context
