"""``hipguide history``: past sessions and checks, the pain trend, and forgetting it all."""

from __future__ import annotations

from typing import Annotated

import typer

from hipguide.cli._app import command_app

app = command_app()


@app.command("history")
def history_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the sessions as CSV.")] = False,
    forget: Annotated[
        bool, typer.Option("--forget", help="Delete the whole history, for real.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --forget: do not ask.")] = False,
) -> None:
    """Your sessions and checks, a pain trend, and whether pressing is helping.

    After 8 or more sessions over 28 days or more, if pain before pressing has not
    dropped by 2 points or 30 %, it advises a professional assessment, and the
    check then counts 'no better after 4 to 6 weeks' as yes.
    """
    from hipguide.cli._history import open_store
    from hipguide.cli._output import print_json, stdout_console
    from hipguide.errors import UsageError
    from hipguide.progress import assess_progress, progress_to_dict

    if as_json and as_csv:
        raise UsageError("Choose one of --json and --csv.")
    if yes and not forget:
        raise UsageError("--yes only goes with --forget.")
    store = open_store()
    try:
        if forget:
            _forget(store, yes)
            return
        sessions = store.sessions()
        checks = store.checks()
    finally:
        store.close()
    progress = assess_progress(sessions)
    if as_json:
        print_json(
            {
                "sessions": [s.to_dict() for s in sessions],
                "checks": [c.to_dict() for c in checks],
                "progress": progress_to_dict(progress),
            }
        )
    elif as_csv:
        _write_csv(sessions)
    else:
        from hipguide.ui.historyview import history_view

        console = stdout_console()
        view = history_view(
            sessions, checks, progress, plain=not console.is_terminal, width=console.width
        )
        console.print(view)


def _forget(store: object, yes: bool) -> None:
    from hipguide.store import Store

    assert isinstance(store, Store)
    if not yes:
        from hipguide.ui import prompts

        prompts.require_terminal("Add --yes to delete without asking.", what="the confirmation")
        if not prompts.ask_yes_no(f"Delete the whole history in {store.path}?", default=False):
            typer.echo("Nothing deleted.")
            return
    store.forget()
    typer.echo(f"History deleted ({store.path}).")


def _write_csv(sessions: list) -> None:  # type: ignore[type-arg]
    import csv
    import sys

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(
        [
            "started_at",
            "ended_at",
            "minutes",
            "points",
            "pain_before",
            "pain_after",
            "completed",
            "ended_by",
        ]
    )
    for s in sessions:
        row = s.to_dict()
        writer.writerow(
            [
                row["started_at"],
                row["ended_at"] or "",
                row["minutes"] if row["minutes"] is not None else "",
                " ".join(row["points"]),
                _blank(row["pain_before"]),
                _blank(row["pain_after"]),
                str(row["completed"]).lower(),
                row["ended_by"] or "",
            ]
        )


def _blank(value: object) -> str:
    return "" if value is None else str(value)
