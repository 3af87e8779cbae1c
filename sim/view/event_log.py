"""The page's event log: every event of a run kept, repeats folded into one line, key events first.

A draft vetoed week after week, or an offer declined again and again, is one line that lists the
weeks it happened again (:meth:`EventLog.add`); the fold closes when the measure takes effect or
ends, so a later round starts a line of its own. Measures that take effect for one state in one week
share a line. Nothing is dropped: :meth:`EventLog.csv` exports
every event with the weeks folded into it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sim.view.narrative import Event

FOLDED = frozenset({"proposed", "veto", "withdrawn", "failed", "refused"})
"""Kinds of event a repeat of which (same state and instrument) joins the first one's line."""

CLOSES = frozenset({"active", "assembly", "ended"})
"""Kinds of event after which a repeat about the same state starts a new line."""


def weeks_text(weeks: Sequence[int]) -> str:
    """``[3, 4, 5, 9]`` -> ``"3-5, 9"``."""
    runs: list[list[int]] = []
    for week in weeks:
        if runs and week == runs[-1][-1] + 1:
            runs[-1].append(week)
        else:
            runs.append([week])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else f"{r[0]}" for r in runs)


@dataclass
class Line:
    """One line of the log: an event, the later weeks it happened again, and the other measures
    that took effect for the same state in the same week."""

    event: Event
    again: list[int] = field(default_factory=list)
    also: list[Event] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The event's sentence, joined by those of :attr:`also`, with the weeks it happened again."""
        text = self.event.text[:-1]
        for other in self.also:
            clause = other.text[other.text.index(": ") + 2 : -1]
            text += f"; {clause.replace('The ', 'the ', 1) if clause.startswith('The ') else clause}"
        if self.again:
            text += f" (again in week{'s' if len(self.again) > 1 else ''} {weeks_text(self.again)})"
        return f"{text}."

    @property
    def events(self) -> list[Event]:
        """Every event of the line, the repeats' weeks aside."""
        return [self.event, *self.also]


class EventLog:
    """Every event of a run, in the order they happened, with repeats folded."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._open: dict[tuple[int, str, str], Line] = {}
        self._taking_effect: dict[tuple[int, int], Line] = {}

    def add(self, events: Iterable[Event]) -> None:
        """Append one week's events, folding repeats into their open line."""
        for event in events:
            if event.kind in CLOSES:
                closed = [k for k in self._open if k[0] == event.state and event.instrument in ("", k[1])]
                for k in closed:
                    del self._open[k]
            if event.kind == "active":
                shared = self._taking_effect.get((event.week, event.state))
                if shared is not None:
                    shared.also.append(event)
                    continue
            fold = (event.state, event.instrument, event.kind)
            line = self._open.get(fold) if event.kind in FOLDED else None
            if line is not None:
                line.again.append(event.week)
                continue
            line = Line(event)
            self.lines.append(line)
            if event.kind in FOLDED:
                self._open[fold] = line
            if event.kind == "active":
                self._taking_effect = {(event.week, event.state): line}

    def __len__(self) -> int:
        return len(self.lines)

    def shown(self, everything: bool = False) -> list[Line]:
        """Lines newest first: the key events only (:attr:`Event.key`), or every line."""
        return [line for line in reversed(self.lines) if everything or line.event.key]

    def csv(self, states: Sequence[str]) -> str:
        """Every event as CSV, one row each: week, state, kind, instrument, key, the weeks it happened
        again (folded repeats), text."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["week", "state", "kind", "instrument", "key", "again_in_weeks", "text"])
        for line in self.lines:
            again = " ".join(map(str, line.again))
            for e in line.events:
                writer.writerow([e.week, states[e.state], e.kind, e.instrument, int(e.key), again if e is line.event
                                 else "", e.text])  # fmt: skip
        return out.getvalue()
