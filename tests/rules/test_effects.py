"""Effects: who Pillar II helps (the seed: divided leadership, not a determined one)."""

from __future__ import annotations

from enum import IntEnum

import numpy as np
import pytest

import sim
from sim.concepts import N_INSTRUMENTS, Crime, Leadership, Pillar, Status
from sim.experiments.statistics import wilson_ci
from sim.parameters import PARAMETERS, P
from sim.rules.effects import RECEPTIVENESS, active_instruments
from sim.state import new_world

REPS = 4000


def _onset(scenario: sim.Scenario, strategy: sim.Strategy) -> float:
    return float(sim.simulate(scenario, strategy, REPS, seed=17)["onset"].mean())


def test_pillar2_prevents_far_more_under_divided_than_determined_leadership(single_state, report) -> None:
    nothing = sim.load_strategy("no_response")
    pillar2 = nothing.with_pillar(2, enabled=True, trigger=0.35, delay=1)
    cuts = {}
    for leadership in ("divided", "determined"):
        scenario = single_state(leadership=leadership, tension=0.5)
        before, after = _onset(scenario, nothing), _onset(scenario, pillar2)
        cuts[leadership] = (before - after) / before
        _, low, high = wilson_ci(int(after * REPS), REPS)
        report(f"{leadership}: onset probability {before:.3f} -> {after:.3f} [{low:.3f}, {high:.3f}] with Pillar II")
    report(
        f"Pillar II cuts onset probability by {cuts['divided']:.0%} (divided) vs {cuts['determined']:.0%} (determined)"
    )
    assert cuts["divided"] > 0.5
    assert cuts["divided"] > 3 * cuts["determined"]


def test_receptiveness_is_indexed_by_pillar_and_leadership_name() -> None:
    assert RECEPTIVENESS.shape == (len(Pillar), len(Leadership))
    for pillar in Pillar:
        for lead in Leadership:
            name = PARAMETERS[RECEPTIVENESS[pillar - 1, lead]].name
            assert name == f"pillar{int(pillar)}_{lead.name.lower()}"


@pytest.mark.parametrize(
    ("stem", "members"),
    [("shock", Leadership), ("hazard", Leadership), ("intensity", Leadership), ("consent", Leadership),
     ("kill", Crime), ("displace", Crime)],
)  # fmt: skip
def test_families_the_rules_index_by_code_are_stored_in_code_order(stem: str, members: type[IntEnum]) -> None:
    """``p[P.SHOCK_RESILIENT + leadership]`` and the like hold only while each family is consecutive."""
    first = P[f"{stem}_{next(iter(members)).name}".upper()]
    assert [PARAMETERS[first + m].name for m in members] == [f"{stem}_{m.name.lower()}" for m in members]


def test_active_instruments_has_one_bit_per_active_instrument() -> None:
    w = new_world(1)
    statuses = [Status.ACTIVE, Status.IDLE, Status.PENDING, Status.ACTIVE, Status.BLOCKED, Status.ASSEMBLY_PENDING]
    w[0]["status"][:] = [statuses[k % len(statuses)] for k in range(N_INSTRUMENTS - 1)] + [Status.ACTIVE]
    w[0]["underway"] = sum(1 << int(k) for k in np.flatnonzero(w[0]["status"] != Status.IDLE))
    mask = int(active_instruments(0, w))
    assert [k for k in range(N_INSTRUMENTS) if mask >> k & 1] == list(np.flatnonzero(w[0]["status"] == Status.ACTIVE))
