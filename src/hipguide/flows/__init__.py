"""The use cases: check, routine, history, lookups.

Each flow is a function that takes a Request record and is given its ports (a
:class:`~hipguide.flows.ports.Prompter` to ask, a :class:`~hipguide.flows.ports.Screen`
to show what happens on the way, a :class:`~hipguide.clock.Clock` and the history), and
returns an Outcome record for the screens to render. Flows know no framework: no
Typer, Rich, questionary or prompt_toolkit here.
"""
