"""``hipguide report``: a one-page summary of the history for a doctor or physiotherapist."""

from __future__ import annotations

import typer

from hipguide.cli._app import HipguideCommand, command_app, examples
from hipguide.cli._options import ForceOption, NameOption, OutOption

app = command_app()


@app.command(
    "report",
    cls=HipguideCommand,
    epilog=examples(
        "hipguide report --out report.html",
        "hipguide report --name 'A. Smith' --out - > report.html",
    ),
)
def report_command(
    ctx: typer.Context,
    out: OutOption,
    name: NameOption = None,
    force: ForceOption = False,
) -> None:
    """A one-page summary of your history to show a doctor or physiotherapist.

    The pain before and after every session as a chart, the latest sessions and the
    totals, every red-flag check with what it found, and what the guide advised. One
    HTML file: open it in a browser and print it on A4 or Letter.
    """
    from hipguide import config
    from hipguide.cli._runtime import runtime
    from hipguide.dataset import load_dataset
    from hipguide.flows.report import ReportRequest, read_report
    from hipguide.ui import html, text
    from hipguide.ui.console import stdout_console

    html.check_name(name)
    html.check_target(out, force, example="report.html")
    dataset = load_dataset()
    number = config.emergency_number()
    ports = runtime(ctx)
    store = ports.open_store()
    try:
        outcome = read_report(ReportRequest(), dataset=dataset, clock=ports.clock, store=store)
    finally:
        store.close()
    page = html.report_page(outcome, dataset, number, name=name)
    html.write_page(out, page, force, example="report.html")
    if out != html.STDOUT:
        console = stdout_console()
        console.print(
            text.REPORT_WRITTEN.format(path=html.shown_path(out)), soft_wrap=True, markup=False
        )
