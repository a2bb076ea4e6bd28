"""``hipguide routine``: the red-flag gate, a plan for where and why it hurts, a timed session."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hipguide.cli._app import command_app
from hipguide.cli._common import complete_condition
from hipguide.cli.check import AnswerOption, AnswersFileOption, EmergencyOption, NoInputOption
from hipguide.models import REGIONS

if TYPE_CHECKING:
    from datetime import datetime

    from rich.console import Console

    from hipguide.dataset import Dataset
    from hipguide.models import Triage
    from hipguide.planner import Plan
    from hipguide.store import CheckRecord, Store
    from hipguide.triage import Verdict


class AreaChoice(str, Enum):
    """Where it hurts."""

    outer = "outer"
    front = "front"
    buttock = "buttock"
    leg = "leg"
    lower_back = "lower-back"


class SideChoice(str, Enum):
    """The painful side."""

    left = "left"
    right = "right"
    both = "both"


NEXT_SESSION = (
    "Next session: in about three or four days. Twice a week suits most people, and a course "
    "is usually 6 to 12 sessions. If the pain is no better after 4 to 6 weeks, ask a GP or "
    "physiotherapist to assess it."
)

app = command_app()


@app.command(
    "routine",
    epilog=(
        "Examples:  hipguide routine   (asks everything)  |  hipguide routine --area outer "
        "--side left --minutes 5 --plan  |  hipguide routine --no-input --area buttock --side "
        "right --answers answers.yaml --pain-before 6 --pain-after 4"
    ),
)
def routine_command(
    area: Annotated[
        list[AreaChoice] | None,
        typer.Option("--area", help="Where it hurts (repeatable).", show_default=False),
    ] = None,
    side: Annotated[
        SideChoice | None,
        typer.Option("--side", help="Which side hurts.", show_default=False),
    ] = None,
    condition: Annotated[
        str | None,
        typer.Option(
            "--condition",
            help="Why it hurts, if known (see 'hipguide conditions').",
            autocompletion=complete_condition,
        ),
    ] = None,
    minutes: Annotated[
        float, typer.Option("--minutes", min=1, max=60, help="Time budget in minutes.")
    ] = 10,
    press_seconds: Annotated[
        int | None,
        typer.Option("--press-seconds", min=1, max=600, help="Seconds for every press."),
    ] = None,
    rest_seconds: Annotated[
        int,
        typer.Option(
            "--rest-seconds",
            min=0,
            max=120,
            help="Rest between two points (a side switch takes at most this too).",
        ),
    ] = 10,
    plan_only: Annotated[
        bool, typer.Option("--plan", help="Show the plan without running it.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (plan or summary).")] = False,
    no_input: NoInputOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No bell at each change.")] = False,
    pain_before: Annotated[
        int | None, typer.Option("--pain-before", min=0, max=10, help="Pain now, 0-10.")
    ] = None,
    pain_after: Annotated[
        int | None, typer.Option("--pain-after", min=0, max=10, help="Pain afterwards, 0-10.")
    ] = None,
    skip_area: Annotated[
        list[str] | None,
        typer.Option(
            "--skip-area",
            metavar="REGION",
            help="Skip points in this region (broken skin, bruise, varicose vein...): "
            + ", ".join(REGIONS)
            + ".",
        ),
    ] = None,
    skip_point: Annotated[
        list[str] | None,
        typer.Option("--skip-point", metavar="CODE", help="Skip this point."),
    ] = None,
    answer: AnswerOption = None,
    answers_file: AnswersFileOption = None,
    accept_risk: Annotated[
        bool,
        typer.Option(
            "--accept-risk",
            help="With --no-input: go on when the check says 'see a doctor soon'.",
        ),
    ] = False,
    emergency: EmergencyOption = None,
) -> None:
    """A guided pressing session for where and why your hip hurts.

    First the red-flag check (or your check from the last 24 hours); it will not
    start past an emergency or urgent sign. Then it picks points along the channel
    through the painful area, distal points far from it and mirror points on the
    opposite shoulder, shows where each point is, and times each press.
    Keys while it runs: space pauses, s skips, q ends.
    """
    from hipguide.cli._history import open_store_or_warn
    from hipguide.cli._output import stderr_console, stdout_console
    from hipguide.dataset import load_dataset

    dataset = load_dataset()
    err = stderr_console()
    out = stdout_console()
    screen = err if as_json else out
    areas = [a.value for a in area or []]
    skip_codes = _check_options(
        dataset,
        areas=areas,
        side=side.value if side else None,
        condition=condition,
        skip_area=skip_area or [],
        skip_point=skip_point or [],
        no_input=no_input,
    )
    store = open_store_or_warn(err)
    try:
        verdict = _gate(
            dataset,
            store,
            screen,
            err,
            answer=answer,
            answers_file=answers_file,
            no_input=no_input,
            accept_risk=accept_risk,
            emergency=emergency,
            as_json=as_json,
        )
        plan = _make_plan(
            dataset,
            verdict,
            screen,
            areas=areas,
            side=side.value if side else None,
            condition=condition,
            minutes=minutes,
            press_seconds=press_seconds,
            rest_seconds=rest_seconds,
            skip_area=skip_area or [],
            skip_codes=skip_codes,
            no_input=no_input,
        )
        if plan_only:
            _show_plan(plan, dataset, out, as_json)
            return
        _show_plan(plan, dataset, screen, False)
        code = _run(
            plan,
            dataset,
            store,
            screen,
            err,
            no_input=no_input,
            quiet=quiet,
            as_json=as_json,
            pain_before=pain_before,
            pain_after=pain_after,
        )
    finally:
        if store is not None:
            store.close()
    raise typer.Exit(code)


# --- the gate --------------------------------------------------------------------------------


def _gate(
    dataset: Dataset,
    store: Store | None,
    screen: Console,
    err: Console,
    *,
    answer: list[str] | None,
    answers_file: Path | None,
    no_input: bool,
    accept_risk: bool,
    emergency: str | None,
    as_json: bool,
) -> Verdict:
    """The red-flag check before any pressing; refuses past an emergency or urgent sign."""
    from hipguide.cli._checkflow import (
        derived_answers,
        emergency_number,
        preset_answers,
        recent_check,
        run_check,
    )
    from hipguide.cli._output import print_json
    from hipguide.triage import assess, verdict_to_dict
    from hipguide.ui.verdict import verdict_view

    triage = dataset.triage
    number = emergency_number(emergency)
    answers = preset_answers(triage, answer, answers_file)
    derived = derived_answers(store)  # read the history once, for reuse or a new check
    verdict = None
    if not answers:
        record = recent_check(store)
        if record is not None:
            known = {q.id for q in triage.questions}
            kept = {k: v for k, v in record.answers.items() if k in known and k not in derived}
            if _incomplete(triage, kept, {**record.derived, **derived}):
                screen.print(
                    f"Your check of {_when(record.at)} does not answer every question asked "
                    "now; it has to be done again."
                )
            elif _reuse(record, screen, no_input):
                verdict = assess(triage, kept, derived=derived, emergency_number=number)  # type: ignore[arg-type]
    if verdict is None:
        verdict = run_check(
            triage,
            answers,
            no_input=no_input,
            store=store,
            console=screen,
            err=err,
            number=number,
            derived=derived,
        )
    if verdict.tier in ("emergency", "urgent"):
        if as_json:
            print_json({**verdict_to_dict(verdict), "started": False})
        else:
            screen.print(verdict_view(verdict, dataset, plain=not screen.is_terminal))
            screen.print("[bold]The routine will not start: please get help first.[/]")
        raise typer.Exit(verdict.exit_code)
    if verdict.tier == "soon":
        screen.print(verdict_view(verdict, dataset, plain=not screen.is_terminal))
        if not _accept(no_input, accept_risk):
            if as_json:
                print_json({**verdict_to_dict(verdict), "started": False})
            screen.print("Not started. Book the appointment; self-care can wait for that advice.")
            raise typer.Exit(verdict.exit_code)
    elif verdict.cautions:
        from hipguide.ui.verdict import EFFECT_LABEL

        for caution in verdict.cautions:
            screen.print(f"[yellow]Caution:[/] {EFFECT_LABEL.get(caution.effect, caution.text)}.")
    return verdict


def _when(moment: datetime) -> str:
    """A recorded time as a person reads it, in local time: ``Mon 03 Mar 09:30``."""
    return moment.astimezone().strftime("%a %d %b %H:%M")


def _incomplete(triage: Triage, answers: dict[str, str], derived: dict[str, str]) -> bool:
    """Whether a recorded check leaves a question open (one added since, say) and is not
    already decisive: reusing it would count that question as answered no."""
    from hipguide.triage import is_decisive, missing

    still_open = [q for q in missing(triage, answers) if q not in derived]
    return bool(still_open) and not is_decisive(triage, answers)


def _reuse(record: CheckRecord, screen: Console, no_input: bool) -> bool:
    """Whether to reuse a check from the last 24 hours (asks unless --no-input)."""
    when = _when(record.at)
    if no_input:
        screen.print(f"Using your check of {when} (verdict: {record.tier}).")
        return True
    from hipguide.ui import prompts

    prompts.require_terminal("Give --answer/--answers, or --no-input to reuse it.")
    changed = prompts.ask_yes_no(
        f"You did the red-flag check on {when} (verdict: {record.tier}). "
        "Has anything changed since then?",
        default=True,
    )
    if not changed:
        screen.print(f"Using your check of {when}.")
    return not changed


def _accept(no_input: bool, accept_risk: bool) -> bool:
    if accept_risk:
        return True
    if no_input:
        return False
    from hipguide.ui import prompts

    prompts.require_terminal("Use --accept-risk with --no-input to go on.")
    return prompts.ask_yes_no(
        "Your answers say: see a doctor soon. Do a gentle routine meanwhile?", default=False
    )


# --- the plan ----------------------------------------------------------------------------------


def _check_options(
    dataset: Dataset,
    *,
    areas: list[str],
    side: str | None,
    condition: str | None,
    skip_area: list[str],
    skip_point: list[str],
    no_input: bool,
) -> list[str]:
    """Reject bad options before any question is asked; return the skipped points' codes."""
    from hipguide.cli._common import choose
    from hipguide.errors import UsageError
    from hipguide.models import REGIONS

    if condition is not None:
        choose(condition, [c.id for c in dataset.conditions], "condition", "--condition")
    for region in skip_area:
        choose(region, REGIONS, "region", "--skip-area")
    codes = sorted(p.code for p in dataset.points)
    skip_codes = []
    for code in skip_point:
        from hipguide.search import find_point

        found = find_point(dataset, code)
        if found.kind != "exact" or len(found.points) != 1:
            choose(code, codes, "point", "--skip-point")
            raise UsageError(f"'{code}' names more than one point.", "Give the point's code.")
        skip_codes.append(found.points[0].code)
    if no_input and (not areas or side is None):
        raise UsageError(
            "--area and --side are required with --no-input.",
            "Example: --area outer --side left.",
        )
    return skip_codes


def _make_plan(
    dataset: Dataset,
    verdict: Verdict,
    screen: Console,
    *,
    areas: list[str],
    side: str | None,
    condition: str | None,
    minutes: float,
    press_seconds: int | None,
    rest_seconds: int,
    skip_area: list[str],
    skip_codes: list[str],
    no_input: bool,
) -> Plan:
    """The plan for the options given, asking where and which side when they are missing."""
    from hipguide.errors import UsageError
    from hipguide.models import REGIONS
    from hipguide.planner import PlanRequest, plan_routine

    if not areas or side is None:
        from hipguide.ui import prompts

        prompts.require_terminal("Give --area and --side (and --no-input to never prompt).")
        if not areas:
            areas = prompts.ask_many(
                "Where does it hurt? (space to choose, enter to confirm)",
                [(a.id, a.name) for a in dataset.areas],
            )
        if side is None:
            side = prompts.ask_choice(
                "Which side hurts?",
                [("left", "Left"), ("right", "Right"), ("both", "Both sides")],
            )
    if any(c.effect == "skip_area" for c in verdict.cautions) and not (skip_area or skip_codes):
        if no_input:
            raise UsageError(
                "You said the skin is broken, bruised or has a varicose vein near a point.",
                "Name the place with --skip-area REGION or --skip-point CODE.",
            )
        from hipguide.ui import prompts

        skip_area = prompts.ask_many(
            "Where is the skin problem? Points there will be skipped.",
            [(r, r) for r in REGIONS],
        )
    request = PlanRequest(
        areas=tuple(areas),
        side=side,  # type: ignore[arg-type]
        condition=condition,
        minutes=minutes,
        press_seconds=press_seconds,
        skip_regions=tuple(skip_area),
        skip_points=tuple(skip_codes),
        rest_seconds=rest_seconds,
    )
    plan = plan_routine(dataset, request, tier=verdict.tier, cautions=verdict.cautions)
    if not plan.steps:
        raise UsageError(
            f"No press fits in {minutes:g} minute(s) with these choices.",
            "Give more --minutes, a shorter --press-seconds, or fewer skipped areas.",
        )
    return plan


def _show_plan(plan: Plan, dataset: Dataset, console: Console, as_json: bool) -> None:
    from hipguide.cli._output import print_json
    from hipguide.planner import plan_to_dict
    from hipguide.ui.render import plan_view

    if as_json:
        print_json(plan_to_dict(plan))
    else:
        console.print(plan_view(plan, dataset, plain=not console.is_terminal))


# --- running -----------------------------------------------------------------------------------


def _run(
    plan: Plan,
    dataset: Dataset,
    store: Store | None,
    screen: Console,
    err: Console,
    *,
    no_input: bool,
    quiet: bool,
    as_json: bool,
    pain_before: int | None,
    pain_after: int | None,
) -> int:
    """Run the session, record it (even when ended early), and show the summary."""
    import sys

    from hipguide.cli._history import now, warn_not_recorded
    from hipguide.clock import SystemClock
    from hipguide.errors import ExitCode, StoreError
    from hipguide.planner import plan_to_dict
    from hipguide.session import SessionEngine
    from hipguide.ui import keys
    from hipguide.ui.sessionview import SessionView

    interactive = not no_input and sys.stdin.isatty() and sys.stdout.isatty()
    if pain_before is None and interactive:
        from hipguide.ui import prompts

        pain_before = prompts.ask_int("Pain right now, 0 (none) to 10 (worst)?", 0, 10)
    started = now()
    session_id = None
    if store is not None:
        try:
            session_id = store.start_session(started, plan_to_dict(plan), pain_before)
        except StoreError as error:
            warn_not_recorded(err, error)
            store = None
    clock = SystemClock()
    reader = keys.NullKeys(clock.sleep) if no_input else keys.key_source(sleep=clock.sleep)
    use_keys = isinstance(reader, keys.KeyReader)
    view = SessionView(screen, dataset, plan.steps, quiet=quiet, interactive_keys=use_keys)
    engine = SessionEngine(
        plan.steps,
        clock,
        rest_seconds=plan.rest_seconds,
        switch_seconds=plan.switch_seconds,
        wait_for_command=lambda t: keys.command_for(reader.wait(t)),
    )
    interrupted = False
    try:
        with reader:
            engine.run(view.handle)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        view.close()
    result = engine.result
    assert result is not None
    points = list(dict.fromkeys(plan.steps[i].point for i in result.steps_done))
    if pain_after is None and interactive and not interrupted:
        from hipguide.errors import Interrupted
        from hipguide.ui import prompts

        try:
            pain_after = prompts.ask_int("Pain now, after the session, 0 to 10?", 0, 10)
        except Interrupted:
            interrupted = True  # the session is still recorded below
    summary: dict[str, object] = {
        "started_at": started.isoformat(timespec="seconds"),
        "ended_at": now().isoformat(timespec="seconds"),
        "points": points,
        "pain_before": pain_before,
        "pain_after": pain_after,
        "completed": result.completed,
        "ended_by": result.ended_by,
    }
    recorded = False
    if store is not None and session_id is not None:
        try:
            store.finish_session(
                session_id,
                now(),
                points,
                pain_after,
                result.completed,
                result.ended_by,
            )
            record = next(s for s in store.sessions() if s.id == session_id)
            summary = record.to_dict()
            recorded = True
        except StoreError as error:
            warn_not_recorded(err, error)
    _summary(summary, result.active_seconds, screen, as_json, recorded=recorded)
    return int(ExitCode.INTERRUPTED) if interrupted else 0


def _summary(
    summary: dict[str, object], active: float, console: Console, as_json: bool, *, recorded: bool
) -> None:
    """The end of a run: what was pressed, for how long, pain before and after."""
    from hipguide.cli._output import print_json

    if as_json:
        print_json(summary)
        return
    done = summary["points"]
    state = "Session complete." if summary["completed"] else "Session ended early."
    note = "Recorded in your history." if recorded else "Not recorded (see the warning above)."
    console.print(f"\n[bold]{state}[/] {note}")
    console.print(f"Points pressed: {', '.join(done) if done else 'none'}")  # type: ignore[arg-type]
    console.print(f"Time pressing and resting: {int(active // 60)} min {int(active % 60)} s")
    before, after = summary["pain_before"], summary["pain_after"]
    if isinstance(before, int) and isinstance(after, int):
        change = after - before
        word = "lower" if change < 0 else "higher" if change > 0 else "the same"
        console.print(f"Pain: {before} -> {after} ({word})")
    console.print(NEXT_SESSION)
