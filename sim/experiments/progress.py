"""Progress of long work on standard error: one line redrawn in place on a terminal, whole lines in a log.

The rate and the time left count from the first update on: the work before it (the first chunk
loads or compiles the kernel) would make them far too slow.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

TTY_INTERVAL = 0.2
"""Seconds between two redraws on a terminal."""

LOG_INTERVAL = 10.0
"""Seconds between two progress lines when standard error is not a terminal (the last one is always written)."""


class Progress:
    """Progress over ``total`` units, ``initial`` of them done already; ``enabled=False`` shows nothing.

    On a terminal the line is redrawn in place at most every :data:`TTY_INTERVAL` seconds; otherwise
    one line is written at most every :data:`LOG_INTERVAL` seconds, and one by :meth:`close`.
    """

    def __init__(
        self,
        total: int,
        desc: str,
        initial: int = 0,
        unit: str = "rep",
        *,
        enabled: bool = True,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total, self.desc, self.unit, self.enabled, self.clock = total, desc, unit, enabled, clock
        self.stream = sys.stderr if stream is None else stream
        self.tty = self.stream.isatty()
        self.interval = TTY_INTERVAL if self.tty else LOG_INTERVAL
        self.done = initial
        self.start = clock()
        self.first: tuple[float, int] | None = None  # time and units done at the first update
        self.shown: tuple[float, int] | None = None  # time and units done at the last line written
        self.width = 0

    def update(self, count: int) -> None:
        """Count ``count`` more units done; write a line if the last one is old enough."""
        self.done += count
        now = self.clock()
        if self.first is None:
            self.first = (now, self.done)
        if self.shown is None or now - self.shown[0] >= self.interval:
            self._show(now)

    def close(self) -> None:
        """Write the last line (unless a log already has it) and end a terminal's line."""
        if self.tty or self.shown is None or self.shown[1] != self.done:
            self._show(self.clock())
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()

    def rate(self, now: float) -> float | None:
        """Units per second since the first update (``None`` before a second one)."""
        if self.first is None or now <= self.first[0] or self.done <= self.first[1]:
            return None
        return (self.done - self.first[1]) / (now - self.first[0])

    def line(self, now: float) -> str:
        """The progress line at time ``now``: done, total, rate and time left, elapsed time."""
        share = self.done / self.total if self.total else 1.0
        text = f"{self.desc}: {share:.0%} {self.done:,}/{self.total:,} {self.unit}"
        rate = self.rate(now)
        if rate is not None and self.done < self.total:
            text += f", {rate:,.0f} {self.unit}/s, {duration((self.total - self.done) / rate)} left"
        return f"{text}, {duration(now - self.start)} elapsed"

    def _show(self, now: float) -> None:
        self.shown = (now, self.done)
        if not self.enabled:
            return
        text = self.line(now)
        if self.tty:
            self.stream.write("\r" + text.ljust(self.width))
            self.width = len(text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def duration(seconds: float) -> str:
    """``seconds`` as ``M:SS`` or ``H:MM:SS``."""
    minutes, second = divmod(round(seconds), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}" if hours else f"{minute}:{second:02d}"


@contextmanager
def step(
    message: str, enabled: bool = True, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic
) -> Iterator[None]:
    """Write ``message ...`` before a long step and how long it took after it."""
    stream = sys.stderr if stream is None else stream
    tty = stream.isatty()
    start = clock()
    if enabled:
        stream.write(f"{message} ..." + ("" if tty else "\n"))
        stream.flush()
    yield
    if enabled:
        stream.write(f"{' ' if tty else message + ': '}done in {duration(clock() - start)}\n")
        stream.flush()
