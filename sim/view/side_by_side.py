"""Side-by-side mode: one seed under two strategies, with common random numbers.

Both runs use the same seed and replication, so every shock, warning error and vote draw is the
same in both; they differ only where the strategies make them differ.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.view.session import Run, Settings, build_inputs

COMPARED = ("deaths", "displaced", "onset", "atrocity_state_weeks", "vetoes", "instruments_used", "cost")
"""Outcomes shown in the comparison table."""


@dataclass
class Pair:
    """Two runs of one seed under strategies A and B, stepped together to the horizon.

    Attributes
    ----------
    a, b
        The runs.
    response_week
        First week in which the responses (any instrument's status) differ, or ``None``.
    situation_week
        First week in which the situation on the ground (any state's tension) differs, or ``None``.
    """

    a: Run
    b: Run
    response_week: int | None = None
    situation_week: int | None = None

    def step(self) -> None:
        """Advance both runs one week and note the first divergences."""
        self.a.step()
        self.b.step()
        wa, wb = self.a.model.world, self.b.model.world
        if self.response_week is None and not np.array_equal(wa["status"], wb["status"]):
            self.response_week = self.a.week
        if self.situation_week is None and not np.array_equal(wa["tension"], wb["tension"]):
            self.situation_week = self.a.week

    def run_to_end(self) -> None:
        """Step both runs to the horizon."""
        while not self.a.finished:
            self.step()

    def differences(self) -> list[tuple[str, float, float, float]]:
        """Rows ``(outcome, A, B, B - A)`` for the outcomes in :data:`COMPARED`."""
        oa, ob = self.a.outcomes(), self.b.outcomes()
        return [(key, oa[key], ob[key], ob[key] - oa[key]) for key in COMPARED]


def pair(settings: Settings, b: Settings | str) -> Pair:
    """A :class:`Pair` run to the horizon: ``settings`` as strategy A and ``b`` as B, either B's own
    settings or a preset name (A's settings with that preset). Raises
    :class:`sim.config.InputError` on bad settings."""
    b = settings.replace(strategy=b) if isinstance(b, str) else b
    result = Pair(Run(*build_inputs(settings)), Run(*build_inputs(b)))
    result.run_to_end()
    return result
