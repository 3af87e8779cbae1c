"""``sim.posterior``: replications over a posterior, paired across strategies, equal on both engines."""

from __future__ import annotations

import numpy as np
import pandas as pd

import sim
from sim.parameters import BY_NAME
from sim.posterior import Posterior

KEYS = ("scenario.model.onset_hazard", "scenario.model.kill_rate")
THREE = Posterior(KEYS, np.array([[0.004, 0.0001], [0.008, 0.0002], [0.016, 0.0008]]), np.array([0.2, 0.5, 0.3]))


def test_a_posterior_of_the_defaults_changes_nothing() -> None:
    defaults = Posterior(KEYS, np.array([[BY_NAME[k.split(".")[-1]].default for k in KEYS]]), np.array([1.0]))
    plain = sim.simulate("fragile_region", "three_pillar_flexible", 40, seed=3)
    over = sim.simulate("fragile_region", "three_pillar_flexible", 40, seed=3, posterior=defaults)
    assert (over.pop("particle") == 0).all()
    pd.testing.assert_frame_equal(over, plain)


def test_draws_follow_the_weights_and_depend_on_seed_and_replication_only() -> None:
    draws = THREE.draws(5, 0, 20_000)
    assert np.allclose(np.bincount(draws, minlength=3) / 20_000, THREE.weights, atol=0.015)
    assert (THREE.draws(5, 700, 300) == draws[700:1000]).all()
    assert not (THREE.draws(6, 0, 1000) == draws[:1000]).all()


def test_each_replication_runs_with_its_particle_on_both_engines() -> None:
    numba = sim.simulate("kenya_2008", "historical/kenya_2008", 6, seed=2, posterior=THREE, first=10)
    mesa = sim.simulate("kenya_2008", "historical/kenya_2008", 6, seed=2, posterior=THREE, first=10, engine="mesa")
    pd.testing.assert_frame_equal(numba, mesa)
    scenario, strategy = sim.load_scenario("kenya_2008"), sim.load_strategy("historical/kenya_2008")
    for row in numba.itertuples():
        alone = sim.simulate(
            THREE.scenario(scenario, strategy, row.particle), strategy, 1, seed=2, first=row.replication
        )
        assert alone["deaths"].iloc[0] == row.deaths


def test_strategies_see_the_same_particles() -> None:
    a = sim.simulate("fragile_region", "no_response", 30, seed=4, posterior=THREE)
    b = sim.simulate("fragile_region", "early_prevention", 30, seed=4, posterior=THREE)
    assert (a["particle"] == b["particle"]).all() and a["particle"].nunique() > 1


def test_a_posterior_without_a_parameter_draws_the_same_particles_and_keeps_the_scenarios_value() -> None:
    scenario, strategy = sim.load_scenario("fragile_region"), sim.load_strategy("no_response")
    kept = THREE.without({"scenario.model.onset_hazard"}).scenario(scenario.with_params(onset_hazard=0.03), strategy, 2)
    assert kept.params["onset_hazard"] == 0.03 and kept.params["kill_rate"] == 0.0008
    assert (THREE.without({"scenario.model.onset_hazard"}).draws(1, 0, 50) == THREE.draws(1, 0, 50)).all()
