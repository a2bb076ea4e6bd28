"""The screen of a running session: what to press, where, for how long, and how to breathe.

On a terminal: a card for each point (words and picture) and one live line with a
countdown bar, refreshed on the engine's ticks (at most four a second). Anywhere
else: one plain line per event and no live updates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from hipguide.dataset import Dataset
from hipguide.planner import Step
from hipguide.session import Event
from hipguide.ui.render import figure_block, point_title

if TYPE_CHECKING:
    from rich.live import Live

#: One breath: in for 4 seconds, out for 6.
BREATH_IN, BREATH_OUT = 4.0, 6.0
KEYS_HELP = "space: pause/resume   s: skip   q: end the session"


def breathing_cue(seconds_into_press: float) -> str:
    """Slow breathing cue for the moment: ``breathe in`` or ``breathe out``."""
    phase = seconds_into_press % (BREATH_IN + BREATH_OUT)
    return "breathe in slowly" if phase < BREATH_IN else "breathe out, let the muscle soften"


def _clock(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60}:{whole % 60:02d}"


class SessionView:
    """Shows engine events on ``console``; call :meth:`handle` for each event."""

    def __init__(
        self,
        console: Console,
        dataset: Dataset,
        steps: Sequence[Step],
        *,
        quiet: bool = False,
        interactive_keys: bool = True,
    ) -> None:
        self.console = console
        self.dataset = dataset
        self.steps = list(steps)
        self.quiet = quiet
        self.live_mode = console.is_terminal
        self.keys = interactive_keys
        self._live: Live | None = None
        self._segment_kind = ""
        self._segment_seconds = 0.0
        self._paused = False

    # --- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the live line (safe to call twice)."""
        if self._live is not None:
            self._live.stop()
            self._live = None

    def bell(self) -> None:
        """Ring the terminal bell, unless quiet or not on a terminal."""
        if not self.quiet and self.live_mode:
            self.console.bell()

    # --- events ----------------------------------------------------------------------------

    def handle(self, event: Event) -> None:
        """Show one engine event."""
        handler = getattr(self, f"_on_{event.kind}")
        handler(event)

    def _on_start(self, event: Event) -> None:
        count = len(self.steps)
        self._say(
            f"Session started: {count} press{'es' if count != 1 else ''}, "
            f"about {_clock(event.remaining)} in all."
        )
        if self.live_mode and self.keys:
            self.console.print(Text(KEYS_HELP, style="dim"))

    def _on_segment(self, event: Event) -> None:
        segment = event.segment
        assert segment is not None
        step = self.steps[event.step]
        self._segment_kind = segment.kind
        self._segment_seconds = float(segment.seconds)
        self.close()
        self.bell()
        if segment.kind == "press":
            self._show_step(event.step, step)
        elif segment.kind == "switch":
            self._say(f"Switch side: now the {step.side} side ({step.point}).", style="bold")
        elif segment.seconds:
            nxt = self.dataset.point(step.point)
            self._say(
                f"Rest {segment.seconds} s. Let go, shake out your hand. "
                f"Next: {step.point} {nxt.pinyin}, {step.side} side.",
                style="dim",
            )
        self._start_live(event)

    def _on_tick(self, event: Event) -> None:
        if self._live is not None:
            self._live.update(self._status(event), refresh=True)

    def _on_paused(self, event: Event) -> None:
        self._paused = True
        if self._live is not None:
            self._live.update(self._status(event), refresh=True)
        else:
            self._say("Paused.")

    def _on_resumed(self, event: Event) -> None:
        self._paused = False
        if self._live is None:
            self._say("Resumed.")

    def _on_skipped(self, event: Event) -> None:
        self.close()
        self._say(f"Skipped ({_clock(event.remaining)} left out).", style="dim")

    def _on_done(self, event: Event) -> None:
        self.close()
        step = self.steps[event.step]
        self._say(f"Done: {step.point}, {step.side} side.", style="green")

    def _on_ended(self, event: Event) -> None:
        self.close()
        self.bell()

    # --- drawing ---------------------------------------------------------------------------

    def _say(self, message: str, style: str = "") -> None:
        self.console.print(Text(message, style=style))

    def _show_step(self, index: int, step: Step) -> None:
        point = self.dataset.point(step.point)
        header = Text(f"Step {index + 1}/{len(self.steps)}: ", style="bold")
        header.append_text(point_title(point))
        detail = Text(
            f"{step.side} side · {step.pressure} pressure · {step.seconds} s · {step.role} point",
            style="bold",
        )
        if not self.live_mode:
            self._say(
                f"Press {step.point} ({point.pinyin}), {step.side} side, {step.pressure} "
                f"pressure, {step.seconds} s. {point.location.self_find}"
            )
            return
        where = Text("Find it: ", style="bold")
        where.append(point.location.self_find)
        method = Text("How: ", style="bold")
        method.append(point.technique.method)
        blocks: list[Any] = [Text(), header, detail, where, method]
        if point.cautions:
            blocks.append(Text("Careful: " + " ".join(point.cautions), style="yellow"))
        blocks.append(figure_block(point, side=step.side))
        self.console.print(Group(*blocks))

    def _start_live(self, event: Event) -> None:
        if not self.live_mode:
            return
        from rich.live import Live

        self._live = Live(
            self._status(event),
            console=self.console,
            auto_refresh=False,
            transient=True,
        )
        self._live.start()

    def _status(self, event: Event) -> Table:
        total = self._segment_seconds or 1.0
        remaining = max(0.0, event.remaining)
        done = total - remaining
        label = {"press": "Press", "switch": "Switch side", "rest": "Rest"}.get(
            self._segment_kind, ""
        )
        cue = breathing_cue(done) if self._segment_kind == "press" else "relax"
        if self._paused:
            cue = "PAUSED: press space to go on"
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_column(no_wrap=True)
        grid.add_row(
            Text(f"{label} {_clock(remaining)}", style="bold"),
            ProgressBar(total=total, completed=done),
            Text(cue, style="cyan"),
        )
        return grid
