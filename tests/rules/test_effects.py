"""Effects: who Pillar II helps (the seed: divided leadership, not a determined one)."""

from __future__ import annotations

import sim
from sim.experiments.statistics import wilson_ci

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
