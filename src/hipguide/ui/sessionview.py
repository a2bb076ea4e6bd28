"""The screen of a running session: one steady screen per step.

On a terminal each step is one screen that fits: the step line (n/N, code, name, side,
pressure), the short "find it" text and how to press, the picture in whatever room is
left, and at the bottom a live line with the countdown, its cue and the keys. The
screen for a step appears as soon as it is next (during the rest before it), so the
find step is usually short. A terminal too small for everything drops the picture
first, then the other texts; never the countdown or the keys line. Anywhere else (a
pipe, a file): one plain line per event and no live updates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group, RenderableType
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from hipguide.dataset import Dataset
from hipguide.planner import Step
from hipguide.session import Event
from hipguide.ui.render import point_title

if TYPE_CHECKING:
    from rich.live import Live

    from hipguide.models import Point
    from hipguide.ui.speech import Speaker

#: One breath: in for 4 seconds, out for 6.
BREATH_IN, BREATH_OUT = 4.0, 6.0
#: Rows the live lines take at the bottom: the countdown and the keys.
LIVE_ROWS = 2
#: A picture smaller than this many rows is not worth drawing: the texts keep the room.
MIN_PICTURE_ROWS = 6
#: From this width, a character picture stands beside the words, this many columns wide.
SIDE_BY_SIDE_WIDTH = 72
PICTURE_COLUMNS = 30
#: Renderings that are real images, printed from the left edge of the screen.
IMAGE_MODES = ("kitty", "iterm", "sixel")

KEYS_PRESS = "space: pause   s: skip   q: end the session"
KEYS_PAUSED = "space: go on   s: skip   q: end the session"
KEYS_FIND = "Enter or space: start pressing   s: skip this point   q: end the session"
KEYS_REST = "s: skip the rest   q: end the session"
FIND_PROMPT = "Find the point. When you are on it, press Enter."
FIND_TIMED = "Find the point: pressing starts in {clock}"
PAUSED = "PAUSED: press space to go on"
REST_CUE = "let go and breathe: this point is next"
SWITCH_CUE = "same point, other side: this side is next"
LABELS = {"press": "Press", "switch": "Switch side", "rest": "Rest"}
SAY = {
    "find": "Find {code}, {side} side.",
    "press": "Press.",
    "switch": "Switch to the {side} side.",
    "rest": "Rest.",
    "done": "Session done.",
}


#: The cues of a press, breathing in and out.
PRESS_CUES = ("breathe in slowly", "breathe out, let the muscle soften")


def breathing_cue(seconds_into_press: float) -> str:
    """Slow breathing cue for the moment: ``breathe in`` or ``breathe out``."""
    phase = seconds_into_press % (BREATH_IN + BREATH_OUT)
    return PRESS_CUES[0] if phase < BREATH_IN else PRESS_CUES[1]


def _clock(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60}:{whole % 60:02d}"


class SessionView:
    """Shows engine events on ``console``; call :meth:`handle` for each event.

    ``pictures`` is a ``--pictures`` mode; ``speaker`` (optional) says the cues aloud.
    """

    def __init__(
        self,
        console: Console,
        dataset: Dataset,
        steps: Sequence[Step],
        *,
        quiet: bool = False,
        interactive_keys: bool = True,
        pictures: str = "auto",
        speaker: Speaker | None = None,
    ) -> None:
        self.console = console
        self.dataset = dataset
        self.steps = list(steps)
        self.quiet = quiet
        self.live_mode = console.is_terminal
        self.keys = interactive_keys
        self.pictures = pictures
        self.speaker = speaker
        self._live: Live | None = None
        self._drawn: tuple[int, str] | None = None  # (step, why) of the screen shown
        self._segment_kind = ""
        self._segment_seconds = 0.0
        self._finding = False
        self._paused = False

    # --- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Stop the live line (safe to call twice)."""
        if self._live is not None:
            self._live.stop()
            self._live = None
        if self.speaker is not None:
            self.speaker.close()

    def bell(self) -> None:
        """Ring the terminal bell, unless quiet or not on a terminal."""
        if not self.quiet and self.live_mode:
            self.console.bell()

    def _say(self, key: str, step: Step | None = None) -> None:
        if self.speaker is not None:
            self.speaker.say(
                SAY[key].format(code=step.point if step else "", side=step.side if step else "")
            )

    # --- events ----------------------------------------------------------------------------

    def handle(self, event: Event) -> None:
        """Show one engine event."""
        handler = getattr(self, f"_on_{event.kind}")
        handler(event)

    def _on_start(self, event: Event) -> None:
        count = len(self.steps)
        self._line(
            f"Session started: {count} press{'es' if count != 1 else ''}, "
            f"about {_clock(event.remaining)} in all."
        )

    def _on_find(self, event: Event) -> None:
        step = self.steps[event.step]
        self._finding = True
        self._segment_kind = "find"
        self._segment_seconds = event.remaining
        self._say("find", step)
        if not self.live_mode:
            self._line(
                f"Find {step.point} ({self.dataset.point(step.point).pinyin}), {step.side} "
                f"side: {self._find_text(step)}"
            )
            return
        self._show_step(event.step, "find")
        self._update(event)

    def _on_found(self, event: Event) -> None:
        self._finding = False

    def _on_segment(self, event: Event) -> None:
        segment = event.segment
        assert segment is not None
        step = self.steps[event.step]
        self._segment_kind = segment.kind
        self._segment_seconds = float(segment.seconds)
        self._finding = False
        self.bell()
        self._say(segment.kind, step)
        if not self.live_mode:
            self._plain_segment(segment.kind, step)
            return
        self._show_step(event.step, segment.kind)
        self._update(event)

    def _on_tick(self, event: Event) -> None:
        self._update(event)

    def _on_paused(self, event: Event) -> None:
        self._paused = True
        if self.live_mode:
            self._update(event)
        else:
            self._line("Paused.")

    def _on_resumed(self, event: Event) -> None:
        self._paused = False
        if self.live_mode:
            self._update(event)
        else:
            self._line("Resumed.")

    def _on_skipped(self, event: Event) -> None:
        if not self.live_mode:
            self._line(f"Skipped ({_clock(event.remaining)} left out).", style="dim")

    def _on_done(self, event: Event) -> None:
        if not self.live_mode:
            step = self.steps[event.step]
            self._line(f"Done: {step.point}, {step.side} side.", style="green")
            return
        self._update(event)  # the press at 0:00, its bar full: the last press stays so

    def _on_ended(self, event: Event) -> None:
        self.bell()
        self._say("done")
        self._stop_live()

    # --- plain output (not a terminal) -------------------------------------------------------

    def _line(self, message: str, style: str = "") -> None:
        self.console.print(Text(message, style=style))

    def _plain_segment(self, kind: str, step: Step) -> None:
        point = self.dataset.point(step.point)
        if kind == "press":
            self._line(
                f"Press {step.point} ({point.pinyin}), {step.side} side, {step.pressure} "
                f"pressure, {step.seconds} s. {self._method(step, point)}"
            )
        elif kind == "switch":
            self._line(f"Switch side: now the {step.side} side ({step.point}).")
        elif self._segment_seconds:
            self._line(
                f"Rest {int(self._segment_seconds)} s. Let go, shake out your hand. "
                f"Next: {step.point} {point.pinyin}, {step.side} side.",
                style="dim",
            )

    # --- the steady screen -------------------------------------------------------------------

    def _show_step(self, index: int, why: str) -> None:
        """Draw step ``index``'s screen, unless it is showing already: it appears with the
        first event about that step (the rest or side switch before it, its find step,
        or its press) and stays until the next step's."""
        if self._drawn is not None and self._drawn[0] == index:
            return
        self._stop_live()
        self._drawn = (index, why)
        self.console.clear()
        self.console.print(self._step_screen(index, why))
        self._start_live()

    def _step_screen(self, index: int, why: str) -> RenderableType:
        """The still part of a step's screen, sized to leave room for the live lines.

        On a wide terminal the picture stands beside the words, as tall as the room;
        otherwise (or for real images, which must start at the left edge) below them,
        in whatever rows the words leave.
        """
        step = self.steps[index]
        point = self.dataset.point(step.point)
        width, height = self.console.width, self.console.height
        room = max(0, height - LIVE_ROWS - 1)  # one row spare so nothing scrolls
        title = Text(f"Step {index + 1}/{len(self.steps)}  ", style="bold")
        title.append_text(point_title(point))
        detail = Text(
            f"{step.side} side · {step.pressure} pressure · {step.seconds} s · {step.role} point",
            style="bold",
        )
        words: list[RenderableType] = [
            Text.assemble(("Find it: ", "bold"), self._find_text(step)),
            Text.assemble(("How: ", "bold"), self._method(step, point)),
        ]
        if point.cautions:
            words.append(Text.assemble(("Careful: ", "bold yellow"), point.cautions[0]))
        head = [title, detail]
        room -= self._rows(head, width)
        beside = width >= SIDE_BY_SIDE_WIDTH and self._cells_only()
        text_width = width - PICTURE_COLUMNS - 1 if beside else width
        # Drop texts from the end until the words fit; the picture takes what is left.
        while len(words) > 1 and self._rows(words, text_width) > room:
            words.pop()
        if self.pictures == "none":
            return Group(*head, *words)
        if beside and room >= MIN_PICTURE_ROWS:
            picture = self._picture(point, step.side, PICTURE_COLUMNS, room)
            if picture is not None:
                grid = Table.grid(padding=(0, 1))
                grid.add_column(width=text_width)
                grid.add_column(width=PICTURE_COLUMNS)
                grid.add_row(Group(*words), picture)
                return Group(*head, grid)
        left = room - self._rows(words, width)
        parts: list[RenderableType] = [*head, *words]
        if left >= MIN_PICTURE_ROWS:
            picture = self._picture(point, step.side, width, left)
            if picture is not None:
                parts.append(picture)
        return Group(*parts)

    def _cells_only(self) -> bool:
        """Whether pictures are drawn with characters (which a table cell can hold)."""
        from hipguide.ui.figures import resolve_mode

        try:
            return resolve_mode(self.pictures, console=self.console) not in IMAGE_MODES
        except ValueError:
            return True

    def _rows(self, parts: Sequence[RenderableType], width: int) -> int:
        options = self.console.options.update(width=width)
        return sum(len(self.console.render_lines(part, options, pad=False)) for part in parts)

    def _picture(self, point: Point, side: str, width: int, height: int) -> Any:
        from hipguide.ui.figures import picture_for

        try:
            return picture_for(point, side, self.pictures, width, height)
        except ValueError:  # a mode this terminal cannot take: words only
            return None

    def _find_text(self, step: Step) -> str:
        from hipguide.ui.text import find_words

        return find_words(self.dataset.point(step.point), step, short=True)

    def _method(self, step: Step, point: Point) -> str:
        from hipguide.ui.text import method_words

        return method_words(point, step)

    # --- the live lines ----------------------------------------------------------------------

    def _start_live(self) -> None:
        from rich.live import Live

        self._live = Live(Text(""), console=self.console, auto_refresh=False, transient=False)
        self._live.start()

    def _stop_live(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def _update(self, event: Event) -> None:
        if self._live is not None:
            self._live.update(self._status(event), refresh=True)

    def _status(self, event: Event) -> RenderableType:
        """The countdown and its cue, and the keys that work now."""
        remaining = max(0.0, event.remaining)
        grid = Table.grid(padding=(0, 1))
        if self._finding:
            limited = self._segment_seconds > 0
            line = Text(
                FIND_TIMED.format(clock=_clock(remaining)) if limited else FIND_PROMPT,
                style="bold cyan",
            )
            return Group(line, Text(KEYS_FIND if self.keys else "", style="dim"))
        total = self._segment_seconds or 1.0
        done = total - remaining
        cue = {"press": breathing_cue(done), "switch": SWITCH_CUE}.get(self._segment_kind, REST_CUE)
        if self._paused:
            cue = PAUSED
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        # as wide as the longest cue of this kind of segment, so the bar keeps its length
        # while the breathing cue changes
        cues = PRESS_CUES if self._segment_kind == "press" else (cue,)
        grid.add_column(no_wrap=True, width=max(len(c) for c in (*cues, cue)))
        grid.add_row(
            Text(f"{LABELS.get(self._segment_kind, '')} {_clock(remaining)}", style="bold"),
            ProgressBar(total=total, completed=done),
            Text(cue, style="cyan"),
        )
        keys = KEYS_PRESS if self._segment_kind == "press" else KEYS_REST
        if self._paused:
            keys = KEYS_PAUSED
        return Group(grid, Text(keys if self.keys else "", style="dim"))
