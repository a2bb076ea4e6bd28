"""Speaking the session's cues through the platform's own speech program, where there is
one (``espeak-ng`` or ``espeak`` on Linux, ``say`` on macOS).

Speaking never blocks the countdown: each cue starts the program and returns at once;
a cue that comes while the last one is still being spoken replaces it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence

#: Speech programs to look for, in order, by platform.
PROGRAMS: dict[str, tuple[str, ...]] = {
    "linux": ("espeak-ng", "espeak"),
    "darwin": ("say",),
}


class Speaker:
    """Says texts aloud with ``command`` (the program and its options) followed by the text."""

    def __init__(self, command: Sequence[str]) -> None:
        self.command = list(command)
        self._speaking: subprocess.Popen[bytes] | None = None

    def say(self, text: str) -> None:
        """Start saying ``text``; stop the cue before it if it is still going."""
        self._stop()
        try:
            self._speaking = subprocess.Popen(
                [*self.command, text],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:  # the program went away meanwhile: carry on without speech
            self._speaking = None

    def close(self) -> None:
        """Let the last cue finish on its own; nothing is left waiting."""
        speaking, self._speaking = self._speaking, None
        if speaking is not None and speaking.poll() is None:
            try:
                speaking.wait(timeout=3)
            except subprocess.TimeoutExpired:
                speaking.kill()

    def _stop(self) -> None:
        speaking, self._speaking = self._speaking, None
        if speaking is not None and speaking.poll() is None:
            speaking.terminate()
            try:
                speaking.wait(timeout=1)
            except subprocess.TimeoutExpired:
                speaking.kill()


def find_speaker(
    which: Callable[[str], str | None] = shutil.which, platform: str = sys.platform
) -> Speaker | None:
    """A speaker for the first speech program found on this platform, or None."""
    key = "darwin" if platform == "darwin" else "linux" if platform.startswith("linux") else ""
    for name in PROGRAMS.get(key, ()):
        path = which(name)
        if path:
            return Speaker([path])
    return None
