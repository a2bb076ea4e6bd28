"""``hipguide history``: past sessions and checks, the pain trend, and forgetting it all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from hipguide.cli._app import HipguideCommand, command_app, examples

if TYPE_CHECKING:
    from hipguide.dataset import Dataset

app = command_app()


@app.command(
    "history",
    cls=HipguideCommand,
    epilog=examples(
        "hipguide history",
        "hipguide history --all",
        "hipguide history --json > history.json",
        "hipguide history --csv > sessions.csv",
        "hipguide history --forget",
    ),
)
def history_command(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the sessions as CSV.")] = False,
    forget: Annotated[
        bool, typer.Option("--forget", help="Delete the whole history, for real.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --forget: do not ask.")] = False,
    everything: Annotated[
        bool,
        typer.Option("--all", help="List every session and check, not only the latest 20 of each."),
    ] = False,
) -> None:
    """Your sessions, checks and check-ins, pain and PEG trends, and whether pressing helps.

    With two check-ins 28 days or more apart, the check-ins decide: a PEG score not 30 %
    lower than at the first, or an impression of change of 'no change' or worse, advises
    a professional assessment. Without them, after 8 or more sessions over 28 days or
    more, if pain before pressing has not dropped by 2 points or 30 %, it advises one.
    Either way the check then counts 'no better after 4 to 6 weeks' as yes.

    Shows the latest 20 sessions and checks (--all: every one), with the pain trend
    drawn from all of them; --json and --csv always hold every one.
    """
    from hipguide.cli._runtime import runtime
    from hipguide.errors import UsageError
    from hipguide.flows.history import HistoryRequest, forget_history, read_history
    from hipguide.ui.console import print_json, stdout_console

    if as_json and as_csv:
        raise UsageError("Choose one of --json and --csv.")
    if yes and not forget:
        raise UsageError("--yes only goes with --forget.")
    if forget and as_csv:
        raise UsageError("--csv does not go with --forget (--json does).")
    ports = runtime(ctx)
    console = stdout_console()
    if forget:  # never opened as a database: nothing is created, a damaged one goes too
        from hipguide import config
        from hipguide.store import history_path

        prompter = ports.prompter_for(no_input=False, console=console)
        done = forget_history(history_path(config.history_home()), prompter, confirmed=yes)
        if as_json:
            from hipguide.ui import json

            print_json(json.forgotten(done.deleted, done.path))
        elif done.deleted:
            typer.echo(f"History deleted ({done.path}).")
        elif done.found:
            typer.echo("Nothing deleted.")
        else:
            typer.echo(f"There was no history to delete ({done.path}).")
        return
    store = ports.open_store()
    try:
        request = HistoryRequest(everything=True)  # a machine's copy is always whole
        if not (as_json or as_csv):
            from hipguide.ui.historyview import trend_columns

            width = console.width
            request = HistoryRequest(everything, lambda checkins: trend_columns(width, checkins))
        outcome = read_history(store, request)
    finally:
        store.close()
    if as_json:
        from hipguide.ui import json
        from hipguide.ui.console import print_json_text

        rest = json.history_rest(
            outcome.checks,
            outcome.progress,
            outcome.checkins,
            outcome.by_checkins,
            _dataset() if outcome.checkins else None,
        )
        print_json_text(json.history_text(outcome.sessions, rest))
    elif as_csv:
        from hipguide.ui.historyview import write_csv

        write_csv(outcome.sessions)
    else:
        from hipguide.ui.historyview import history_view

        view = history_view(
            outcome,
            plain=not console.is_terminal,
            width=console.width,
            dataset=_dataset() if outcome.checkins else None,
        )
        console.print(view)


def _dataset() -> Dataset | None:
    """The dataset, for the words of the PGIC answers; None if it cannot load (the
    history is shown all the same)."""
    from hipguide.dataset import load_dataset
    from hipguide.errors import HipguideError

    try:
        return load_dataset()
    except HipguideError:
        return None
