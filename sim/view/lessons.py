"""Lessons: a scenario, a seed and two strategies chosen so that a run shows one point of the 2009
report, with discussion questions at the moments that matter and a debrief at the end.

A lesson names strategy A (the run the class watches) and how strategy B differs from it; its
:attr:`Lesson.shows` test says, from the two finished runs, whether a seed shows the point. The
seeds are not picked by hand: ``python -m sim.view.lesson_seeds`` searches them and writes
``lesson_seeds.json`` beside this module, and must be run again whenever the model changes (a test
fails when a recorded seed no longer shows its lesson's point). A pause is tied to the first event
of a kind (the first warning, the first veto), not to a week, so it stays at the right moment when
the model changes.

The scenarios are fictional or stylised; a lesson shows the logic of the model, not what will or
would have happened in a real country.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sim.view.session import Run, Settings
from sim.view.side_by_side import Pair, pair

SEEDS_FILE = Path(__file__).with_name("lesson_seeds.json")
"""The seed of each lesson, as found by :mod:`sim.view.lesson_seeds`."""

LEAVES_OUT = (
    "The model leaves out most of what decides real crises: the people and their history, the "
    "politics inside each government and each capital, the media, money and arms flows, and chance "
    "events that no model foresees. Its numbers come from a few stylised rules; they show how the "
    "parts of the 2009 report fit together, not what will happen anywhere."
)
"""What every debrief says the model leaves out (a lesson may add its own caveat)."""


@dataclass(frozen=True)
class Pause:
    """A discussion question, asked when the first event of ``kind`` happens in run A."""

    kind: str
    question: str


def _atrocity(run: Run, state: int) -> bool:
    return run.atrocity_week[state] is not None


def _kinds(run: Run) -> set[str]:
    return {e.kind for e in run.events}


def _warned_before_onset(a: Run, b: Run) -> bool:
    """A warning in A for a state that B leaves to an atrocity and A spares, and fewer deaths in A."""
    warned = {e.state for e in a.events if e.kind == "warning"}
    spared = [i for i in warned if _atrocity(b, i) and not _atrocity(a, i)]
    return bool(spared) and a.deaths[-1] < b.deaths[-1]


def _veto_then_assembly(a: Run, b: Run) -> bool:
    """A veto and a referral to the General Assembly in A; no veto in B (restraint)."""
    return {"veto", "assembly"} <= _kinds(a) and "veto" not in _kinds(b)


def _early_beats_late(a: Run, b: Run) -> bool:
    """The late strategy B ends with at least twice A's deaths (and at least 5,000 more)."""
    return b.deaths[-1] >= 2 * a.deaths[-1] and b.deaths[-1] - a.deaths[-1] >= 5_000


def _leadership_matters(a: Run, b: Run) -> bool:
    """Pillar II spares a divided state that has an atrocity without it, but not a determined one."""
    helped = {e.state for e in a.events if e.kind == "active"}
    leadership = [s.leadership for s in a.scenario.states]
    spared = [i for i in helped if leadership[i] == "divided" and _atrocity(b, i) and not _atrocity(a, i)]
    hardened = [i for i in helped if leadership[i] == "determined" and _atrocity(a, i)]
    return bool(spared) and bool(hardened)


def _counterfactual_fewer(a: Run, b: Run) -> bool:
    """The counterfactual B ends with fewer deaths than the record A."""
    return b.deaths[-1] < a.deaths[-1]


@dataclass(frozen=True)
class Lesson:
    """One lesson.

    Attributes
    ----------
    key, title
        Identifier and heading.
    point
        What the lesson shows, in one or two sentences.
    a
        The settings of the run the class watches (its seed comes from :data:`SEEDS_FILE`).
    b
        How strategy B differs from A (fields of :class:`~sim.view.session.Settings`).
    shows
        Whether two finished runs (A, B) of one seed show the point.
    typical
        Whether the seed must also be a typical draw: its paired difference in deaths within the
        middle half of those of the seed's 200 runs (:attr:`~sim.view.many_runs.Spread.typical`), so
        that a lesson on how much a strategy changes does not rest on a lucky run.
    pauses
        Questions at the first event of a kind.
    caveat
        What this lesson's scenario adds to :data:`LEAVES_OUT`.
    """

    key: str
    title: str
    point: str
    a: Settings
    b: dict[str, object]
    shows: Callable[[Run, Run], bool]
    pauses: tuple[Pause, ...]
    typical: bool = True
    caveat: str = ""

    @property
    def seed(self) -> int:
        """The lesson's seed, from :data:`SEEDS_FILE`."""
        return recorded_seeds()[self.key]

    def settings(self, seed: int) -> tuple[Settings, Settings]:
        """Settings of runs A and B with ``seed``."""
        a = self.a.replace(seed=str(seed))
        return a, a.replace(**self.b)


LESSONS = (
    Lesson(
        "early_warning",
        "An early warning, heeded",
        "The Joint Office warns about a state before mass killing begins there. Early prevention, which acts "
        "on the first signs of risk, spares that state; with no response the same shocks end in atrocity there.",
        Settings(scenario="fragile_region", strategy="early_prevention"),
        {"strategy": "no_response"},
        _warned_before_onset,
        (
            Pause("warning", "The Joint Office has just warned about a state. What could be done now, and by whom?"),
            Pause("active", "A first measure has taken effect. Which pillar is it, and why would it come first?"),
        ),
    ),
    Lesson(
        "veto",
        "A veto, and Uniting for Peace",
        "A permanent member vetoes a draft resolution, and the General Assembly is asked to act under "
        "'Uniting for Peace'. Under veto restraint (the report asks the P5 not to use the veto in these "
        "situations) the same draft is not vetoed.",
        Settings(scenario="fragile_region", strategy="three_pillar_flexible"),
        {"veto_restraint": True},
        _veto_then_assembly,
        (
            Pause("veto", "A permanent member has vetoed. Why might it? What can other members do now?"),
            Pause("assembly", "The General Assembly has acted. What can it do that the Council cannot, and not do?"),
        ),
        typical=False,
    ),
    Lesson(
        "early_vs_late",
        "Early and flexible, or late and coercive",
        "The same crisis under a flexible three-pillar response and under a response that waits until the "
        "situation looks grave and then uses Council coercion: the late strategy ends with far more deaths.",
        Settings(scenario="fragile_region", strategy="three_pillar_flexible"),
        {"strategy": "reactive_coercion"},
        _early_beats_late,
        (
            Pause("active", "A first measure has taken effect. What would waiting for a clearer picture cost?"),
            Pause("onset", "Mass killing has begun somewhere. Which tools are left now that were not before?"),
        ),
    ),
    Lesson(
        "leadership",
        "Pillar II: divided or determined leadership",
        "International assistance (Pillar II) helps a state whose leadership is divided, not one whose "
        "leadership is determined to commit these crimes, as the 2009 report says. With assistance only, "
        "a divided state is spared an atrocity it has without help, while a determined one is not.",
        Settings(scenario="fragile_region", strategy="pillar2_only"),
        {"strategy": "no_response"},
        _leadership_matters,
        (
            Pause("active", "Assistance has begun. Whose consent does it need, and what happens if it is refused?"),
            Pause("onset", "Killing has begun despite assistance. What kind of leadership does this state have?"),
        ),
        "Leadership is one of three types in the model; real leaderships change, split and bargain.",
    ),
    Lesson(
        "rwanda",
        "Rwanda 1994: as it happened, and a counterfactual",
        "The stylised Rwanda 1994 episode with what was done, when (the historical strategy), against a "
        "flexible three-pillar response on the same shocks: how much could earlier, broader action have "
        "changed once the killing had begun? The debrief sets this run among 200 others. Week 0 is 28 March 1994.",
        Settings(scenario="rwanda_1994", strategy="historical/rwanda_1994"),
        {"strategy": "three_pillar_flexible"},
        _counterfactual_fewer,
        (
            Pause("onset", "The genocide has begun (week 1 is the first week of April 1994). What was known, by whom?"),
            Pause("active", "A measure has taken effect. Compare its timing with the killing so far."),
        ),
        "The episode is stylised: a handful of states, one killing profile, calendar weeks approximate; "
        "a counterfactual in a model is a what-if of the model, not a finding about history.",
    ),
)
"""The shipped lessons, in the order the page lists them."""

BY_KEY = {lesson.key: lesson for lesson in LESSONS}


@functools.cache
def recorded_seeds() -> dict[str, int]:
    """The seed of each lesson from :data:`SEEDS_FILE` (read once per process)."""
    return {key: int(entry["seed"]) for key, entry in json.loads(SEEDS_FILE.read_text())["lessons"].items()}


def play(lesson: Lesson, seed: int) -> Pair:
    """Runs A and B of ``lesson`` with ``seed``, both to the horizon."""
    return pair(*lesson.settings(seed))
