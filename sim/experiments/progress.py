"""Progress of long work on standard error: a tqdm bar on a terminal, one line per update in a log."""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm

LOG_INTERVAL = 10.0
"""Seconds between two progress lines when standard error is not a terminal."""


class _Lines:
    """A stream for tqdm that turns its carriage-return redraws into whole lines (for log files)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> None:
        line = text.replace("\r", "").strip()
        if line:
            self.stream.write(line + "\n")

    def flush(self) -> None:
        self.stream.flush()


def bar(total: int, desc: str, initial: int = 0, unit: str = "rep", enabled: bool = True) -> tqdm:
    """A progress bar over ``total`` units, ``initial`` of them done already.

    On a terminal it redraws in place; otherwise it prints one line every :data:`LOG_INTERVAL`
    seconds and one at the end. ``enabled=False`` shows nothing.
    """
    stream = sys.stderr
    tty = stream.isatty()
    return tqdm(
        total=total,
        initial=initial,
        desc=desc,
        unit=unit,
        unit_scale=True,
        file=stream if tty else _Lines(stream),
        disable=not enabled,
        dynamic_ncols=tty,
        ncols=None if tty else 100,
        ascii=not tty,
        mininterval=0.2 if tty else LOG_INTERVAL,
        maxinterval=LOG_INTERVAL,
        smoothing=0.1,
    )
