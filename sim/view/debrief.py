"""The debrief at the end of a lesson: what happened, when and to whom, what strategy B would have
changed on the same shocks, how this run sits among 200 others, and what the model leaves out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.view.class_session import Answer, Decision
from sim.view.lessons import LEAVES_OUT, Lesson
from sim.view.many_runs import Spread
from sim.view.session import Run, label
from sim.view.side_by_side import Pair

TOLD = frozenset({"warning", "onset", "stopped", "veto", "withdrawn", "failed", "assembly"})
"""Kinds of event the debrief retells wherever they happen; measures taking effect (``active``) are
retold only for the states concerned (warned, or with an atrocity under A or B)."""

MOST_TOLD = 12
"""Most events the debrief retells (those of the lesson's pause kinds first); the rest are counted."""


def _retold(kind: str, concerned: bool) -> bool:
    """Whether the debrief retells an event of ``kind`` about a state (``concerned``: see :data:`TOLD`)."""
    return kind in TOLD or (kind == "active" and concerned)


def _atrocities(run: Run) -> str:
    """The states that had an atrocity, with the week it began and their deaths, or "none"."""
    told = [
        f"{run.names[i]} (from week {week}, {run.model.world['deaths'][i]:,.0f} killed)"
        for i, week in enumerate(run.atrocity_week)
        if week is not None
    ]
    return "; ".join(told) if told else "none"


@dataclass(frozen=True)
class Debrief:
    """What the debrief card shows (and its Markdown export)."""

    title: str
    point: str
    happened: tuple[str, ...]
    rows: tuple[tuple[str, str, str], ...]
    changed: str
    spread: str
    leaves_out: str
    class_votes: tuple[str, ...] = ()
    """What the class decided on the Council, and what the model's own votes would have given."""

    def markdown(self) -> str:
        """The debrief as Markdown, for the class's notes."""
        table = "\n".join(f"| {m} | {a} | {b} |" for m, a, b in self.rows[1:])
        events = "\n".join(f"- {line}" for line in self.happened)
        head = self.rows[0]
        return (
            f"# {self.title}\n\n{self.point}\n\n## What happened (A)\n\n{events}\n\n"
            f"## A and B on the same shocks\n\n| {head[0]} | {head[1]} | {head[2]} |\n|---|---|---|\n{table}\n\n"
            f"{self.changed}\n\n{self._class_section()}## Among 200 runs\n\n{self.spread}\n\n"
            f"## What the model leaves out\n\n{self.leaves_out}\n"
        )

    def _class_section(self) -> str:
        if not self.class_votes:
            return ""
        lines = "\n".join(f"- {line}" for line in self.class_votes)
        return f"## What the class decided on the Council\n\n{lines}\n\n"


def class_votes(decisions: Sequence[Decision | Answer], with_class: Run, without: Run) -> tuple[str, ...]:
    """The debrief's lines on a class session: each vote, then the run with the class's votes beside
    the same run with the model voting in every seat."""
    if not decisions:
        return ()
    return (
        *(d.text() for d in decisions),
        f"With the class's votes the run ended with {with_class.deaths[-1]:,.0f} deaths; with the model voting in "
        f"every seat (the same shocks) it ends with {without.deaths[-1]:,.0f}.",
    )


def debrief(lesson: Lesson, runs: Pair, spread: Spread, votes: tuple[str, ...] = ()) -> Debrief:
    """The debrief of ``lesson`` from its finished runs A and B, their :class:`Spread` and, after a
    class session, the :func:`class_votes` lines."""
    a, b = runs.a, runs.b
    concerned = {i for run in (a, b) for i, week in enumerate(run.atrocity_week) if week is not None}
    concerned |= {e.state for e in a.events if e.kind == "warning"}
    lines = [line for line in a.log.lines if _retold(line.event.kind, line.event.state in concerned)]
    moments = {pause.kind for pause in lesson.pauses}
    first = [n for n, line in enumerate(lines) if line.event.kind in moments][:MOST_TOLD]
    rest = [n for n in range(len(lines)) if n not in first][: MOST_TOLD - len(first)]
    happened = [lines[n].text for n in sorted(first + rest)]
    if len(lines) > len(happened):
        happened.append(f"... and {len(lines) - len(happened)} more in the log.")
    rows = (
        ("", f"A: {label(a.strategy)}", f"B: {label(b.strategy)}"),
        ("deaths", f"{a.deaths[-1]:,.0f}", f"{b.deaths[-1]:,.0f}"),
        ("displaced", f"{a.displaced[-1]:,.0f}", f"{b.displaced[-1]:,.0f}"),
        ("states with an atrocity", _atrocities(a), _atrocities(b)),
    )
    more = b.deaths[-1] - a.deaths[-1]
    change = "the same number of deaths" if more == 0 else f"{abs(more):,.0f} {'more' if more > 0 else 'fewer'} deaths"
    moved = b.displaced[-1] - a.displaced[-1]
    displaced = "as many displaced" if moved == 0 else f"{abs(moved):,.0f} {'more' if moved > 0 else 'fewer'} displaced"
    name = label(b.strategy)
    changed = f"With the same shocks, warnings and vote draws, B ({name}) ends with {change} and {displaced} than A."
    medians = ", ".join(f"{name} {np.median(d):,.0f}" for name, d in zip(("A", "B"), spread.deaths, strict=True))
    context = (
        f"This run is run 0 of {spread.reps} with other shocks (median deaths: {medians}). {spread.paired()} "
        + ("Its difference is a typical one (within the middle half)." if spread.typical else
           "Its difference is not a typical one (outside the middle half): the lesson shows what can happen, "
           "not what usually does.")
    )  # fmt: skip
    return Debrief(
        f"Debrief: {lesson.title}",
        lesson.point,
        tuple(happened) if happened else ("Nothing the debrief retells happened in this run.",),
        rows,
        changed,
        context,
        f"{LEAVES_OUT} {lesson.caveat}".strip(),
        votes,
    )
