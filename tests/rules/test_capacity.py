"""Finite capacity: a region's peacekeepers and mediators are shared, the same share for every state."""

from __future__ import annotations

import numpy as np

import sim
from sim.concepts import INSTRUMENT_NAMES, Status
from sim.model_inputs import model_inputs
from sim.parameters import first_version
from sim.rules.capacity import allocate
from sim.state import new_world, reset_world

REPS = 2000


def _deploy(scenario: sim.Scenario) -> tuple[np.ndarray, ...]:
    strategy = sim.load_strategy("no_response").with_instrument("preventive_deployment", enabled=True)
    inputs = model_inputs(scenario, strategy, None)
    w = new_world(inputs.region.shape[0])
    reset_world(inputs.region, inputs.params, w)
    k = INSTRUMENT_NAMES.index("preventive_deployment")
    for i in range(w.shape[0]):
        w[i]["status"][k] = Status.ACTIVE
        w[i]["scale"][k] = 1.0
        w[i]["underway"] = 1 << k
    return inputs, w


def test_demand_beyond_the_pool_is_shared_equally(fragile_region) -> None:
    inputs, w = _deploy(fragile_region)
    allocate(inputs.region, w, inputs.params, inputs.strategy, inputs.table)
    demand = float(inputs.region["body_capacity"].sum())
    pool = inputs.params[sim.parameters.P.PEACEKEEPING_POOL]
    assert demand > pool
    assert np.all(w["pool_share"][:, 0] == pool / demand)
    assert np.all(w["pool_share"][:, 1] == 1.0)


def test_the_off_pool_never_binds(fragile_region) -> None:
    inputs, w = _deploy(fragile_region.with_params(**first_version()))
    allocate(inputs.region, w, inputs.params, inputs.strategy, inputs.table)
    assert np.all(w["pool_share"] == 1.0)


def test_a_binding_pool_costs_protection_and_records_the_shortfall(fragile_region, report) -> None:
    strategy = "three_pillar_flexible"
    old = sim.simulate(fragile_region.with_params(**first_version()), strategy, REPS, seed=4)
    on = {k: v for k, v in first_version().items() if k not in ("peacekeeping_pool", "mediation_pool")}
    new = sim.simulate(fragile_region.with_params(**on), strategy, REPS, seed=4)
    report(
        f"deaths {old['deaths'].mean():.0f} -> {new['deaths'].mean():.0f}, shortfall "
        f"{new['capacity_shortfall'].mean():.2f} dose-weeks with finite pools"
    )
    assert old["capacity_shortfall"].max() == 0.0
    assert new["capacity_shortfall"].mean() > 0.0
    assert new["deaths"].mean() > old["deaths"].mean()
