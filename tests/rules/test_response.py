"""Decisions: timing of triggers, the veto and the veto-restraint norm."""

from __future__ import annotations

import numpy as np

import sim
from sim.concepts import COUNCIL_SEATS, N_P5, Tabling, Vote
from sim.engines.mesa_model import R2PModel
from sim.experiments.statistics import mean_ci
from sim.parameters import first_version
from sim.rules.response import tally

REPS = 3000


def _paired(scenario: sim.Scenario, a: sim.Strategy, b: sim.Strategy, column: str = "deaths", seed: int = 5):
    """Mean and 95 % CI of outcome(b) - outcome(a) over the same replications."""
    first = sim.simulate(scenario, a, REPS, seed=seed)[column].to_numpy(dtype=float)
    second = sim.simulate(scenario, b, REPS, seed=seed)[column].to_numpy(dtype=float)
    return mean_ci(second - first), first.mean()


def _shift_all(strategy: sim.Strategy, delay: int) -> sim.Strategy:
    for pillar in (1, 2, 3):
        strategy = strategy.with_pillar(pillar, delay=delay)
    return strategy


def test_earlier_response_means_fewer_deaths(fragile_region: sim.Scenario, report) -> None:
    flexible = sim.load_strategy("three_pillar_flexible")
    early, late = _shift_all(flexible, 0), _shift_all(flexible, 12)
    (mean, low, high), early_deaths = _paired(fragile_region, early, late)
    report(f"responding 12 weeks later adds {mean:,.0f} deaths [{low:,.0f}, {high:,.0f}] "
           f"({REPS} paired reps, {mean / early_deaths:+.0%})")  # fmt: skip
    assert low > 0


def test_lower_triggers_mean_fewer_deaths(fragile_region: sim.Scenario, report) -> None:
    flexible = sim.load_strategy("three_pillar_flexible")
    sensitive, hesitant = flexible, flexible
    for k, setting in enumerate(flexible.settings):
        name = sim.strategy.INSTRUMENT_NAMES[k]
        sensitive = sensitive.with_instrument(name, trigger=max(setting.trigger - 0.1, 0.0))
        hesitant = hesitant.with_instrument(name, trigger=min(setting.trigger + 0.1, 1.0))
    (mean, low, high), _ = _paired(fragile_region, sensitive, hesitant)
    report(f"triggers 0.2 higher on perceived risk add {mean:,.0f} deaths [{low:,.0f}, {high:,.0f}]")
    assert low > 0


def test_veto_restraint_matters_only_with_a_patron(single_state, report) -> None:
    coercion = sim.load_strategy("reactive_coercion")
    restrained = coercion.replace(veto_restraint=True)
    client = single_state(leadership="determined", patron="russia", tension=0.6)
    (mean, low, high), base = _paired(client, coercion, restrained)
    (veto_mean, _, veto_high), base_vetoes = _paired(client, coercion, restrained, column="vetoes")
    report(f"with a P5 patron, veto restraint changes deaths by {mean:,.0f} [{low:,.0f}, {high:,.0f}] "
           f"of {base:,.0f}, vetoes by {veto_mean:+.2f} of {base_vetoes:.2f}")  # fmt: skip
    assert high < 0 and veto_high < 0

    unprotected = single_state(leadership="determined", patron="", tension=0.6)
    without = sim.simulate(unprotected, coercion, REPS, seed=5)
    with_norm = sim.simulate(unprotected, restrained, REPS, seed=5)
    assert without.equals(with_norm), "without a patron nobody vetoes, so restraint changes nothing"
    assert (without["vetoes"] == 0).all()


def test_uniting_for_peace_acts_only_after_a_veto(single_state) -> None:
    coercion = sim.load_strategy("reactive_coercion").replace(uniting_for_peace=True)
    client = sim.simulate(single_state(leadership="determined", patron="russia", tension=0.6), coercion, 500, seed=3)
    assert client["uniting_for_peace"].any()
    assert (client.loc[client["uniting_for_peace"], "vetoes"] > 0).all()
    free = sim.simulate(single_state(leadership="determined", tension=0.6), coercion, 500, seed=3)
    assert not free["uniting_for_peace"].any()


def test_council_acts_only_on_states_the_joint_office_warned_about(fragile_region: sim.Scenario) -> None:
    table = sim.simulate(fragile_region, "reactive_coercion", 300, seed=6)
    acted = table.dropna(subset=["first_response_week_pillar3"])
    assert len(acted) > 0
    assert (acted["first_warning_week"].notna()).all()
    assert np.all(acted["first_response_week_pillar3"] >= acted["first_warning_week"])


def _votes(yes: int, p5: tuple[Vote, ...] = (Vote.YES,) * N_P5) -> np.ndarray:
    elected = [Vote.YES] * (yes - sum(v == Vote.YES for v in p5))
    return np.array([*p5, *elected, *[Vote.NO] * (COUNCIL_SEATS - N_P5 - len(elected))], np.int64)


def test_tally_needs_nine_yes_and_no_veto() -> None:
    assert tally(_votes(9)) == (True, 0)
    assert tally(_votes(8)) == (False, 0), "an elected member's no is no veto, but eight yes votes are too few"
    abstaining = (Vote.ABSTAIN, Vote.YES, Vote.YES, Vote.ABSTAIN, Vote.YES)
    assert tally(_votes(9, abstaining)) == (True, 0), "abstention is no veto"
    vetoed = (Vote.YES, Vote.YES, Vote.NO, Vote.YES, Vote.YES)
    assert tally(_votes(14, vetoed)) == (False, 1)


# --- Security Council politics (ODD 7.9) -------------------------------------------------------

OFF = sim.parameters.first_version()
COUNCIL_OFF = {name: OFF[name] for name in ("threat_public_veto", "threat_water_down", "council_drafts_per_week")}


def test_one_patron_of_interest_one_is_the_old_patron(single_state) -> None:
    coercion = sim.load_strategy("reactive_coercion")
    old = sim.simulate(single_state(leadership="determined", patron="russia", tension=0.6), coercion, 300, seed=5)
    new = sim.simulate(single_state(leadership="determined", patrons=(("russia", 1.0),), tension=0.6), coercion, 300,
                       seed=5)  # fmt: skip
    assert old.equals(new)


def test_a_second_patron_vetoes_more_and_interest_scales_the_veto(single_state) -> None:
    coercion = sim.load_strategy("reactive_coercion")

    def vetoes(patrons: tuple[tuple[str, float], ...]) -> float:
        client = single_state(leadership="determined", patrons=patrons, tension=0.6).with_params(**COUNCIL_OFF)
        return sim.simulate(client, coercion, REPS, seed=5)["vetoes"].mean()

    one, two, half = vetoes((("russia", 1.0),)), vetoes((("china", 1.0), ("russia", 1.0))), vetoes((("russia", 0.5),))
    assert two > one > half > 0


def test_restraint_by_one_of_two_patrons_is_not_enough(single_state, report) -> None:
    coercion = sim.load_strategy("reactive_coercion")
    client = single_state(leadership="determined", patrons=(("china", 1.0), ("russia", 1.0)), tension=0.6)

    def run(restraint: bool | tuple[str, ...]):
        return sim.simulate(client, coercion.replace(veto_restraint=restraint), REPS, seed=5)

    west = run(("france", "united_kingdom", "united_states"))
    none, russia, both = run(False), run(("russia",)), run(True)
    report(f"two patrons: deaths {none['deaths'].mean():,.0f} unrestrained, {russia['deaths'].mean():,.0f} with "
           f"Russia's restraint, {both['deaths'].mean():,.0f} with both")  # fmt: skip
    assert west.equals(none), "restraint by members that are no patrons changes nothing"
    assert run(("china", "russia")).equals(both)
    assert none["deaths"].mean() > russia["deaths"].mean() > both["deaths"].mean()


def test_veto_threats_replace_public_vetoes(single_state) -> None:
    coercion = sim.load_strategy("reactive_coercion")
    client = single_state(leadership="determined", patron="russia", tension=0.6)
    threats = sim.simulate(client, coercion, REPS, seed=5)
    public = sim.simulate(client.with_params(threat_public_veto=1.0), coercion, REPS, seed=5)
    assert (public["drafts_withdrawn"] == 0).all() and (public["drafts_watered_down"] == 0).all()
    assert threats["drafts_withdrawn"].sum() > 0 and threats["drafts_watered_down"].sum() > 0
    assert threats["vetoes"].mean() < public["vetoes"].mean()
    never = sim.simulate(client.with_params(threat_public_veto=0.0, threat_water_down=0.0), coercion, REPS, seed=5)
    assert (never["vetoes"] == 0).all(), "a penholder that always withdraws leaves no veto cast"


def _adopted(scenario: sim.Scenario, strategy: sim.Strategy, reps: int = 30) -> int:
    """Council drafts adopted over ``reps`` replications of the Mesa model (its Council's record)."""
    total = 0
    for r in range(reps):
        model = R2PModel(scenario, strategy, seed=5, replication=r, collect=False)
        while model.running:
            model.step()
        total += sum(d.adopted for d in model.council.record)
    return total


def test_elected_members_follow_their_body(single_state) -> None:
    coercion = sim.load_strategy("reactive_coercion")
    state = single_state(leadership="divided", tension=0.6)

    def seated(seats: int, stance: str) -> sim.Scenario:
        body = sim.scenario.BodySpec("Union", "regional", 0.5, (state.states[0].name,), seats, stance)
        return state.replace(bodies=(body,))

    free = seated(0, "oppose")
    assert sim.simulate(free, coercion, 300, seed=5).equals(sim.simulate(seated(0, "support"), coercion, 300, seed=5))
    adopted = _adopted(free, coercion)
    assert adopted > 0
    assert _adopted(seated(10, "oppose"), coercion) == 0, "ten no votes leave at most five yes votes"
    assert _adopted(seated(10, "support"), coercion) > adopted


def test_a_patron_penholder_never_tables_and_a_low_bar_changes_nothing(single_state) -> None:
    coercion = sim.load_strategy("reactive_coercion")
    client = single_state(leadership="determined", patron="russia", tension=0.6)
    assert _adopted(client, coercion) > 0
    blocked = sim.simulate(client.with_state(client.states[0].name, penholder="russia"), coercion, 300, seed=5)
    assert (blocked["vetoes"] == 0).all() and (blocked["drafts_withdrawn"] == 0).all()
    assert _adopted(client.with_state(client.states[0].name, penholder="russia"), coercion) == 0
    france = client.with_state(client.states[0].name, penholder="france")
    base = sim.simulate(client, coercion, 300, seed=5)
    assert sim.simulate(france.with_params(penholder_pressure=0.0), coercion, 300, seed=5).equals(base)
    assert _adopted(france.with_params(penholder_pressure=0.9), coercion) < _adopted(client, coercion)


def test_a_full_agenda_delays_the_council(fragile_region: sim.Scenario) -> None:
    """The agenda's own effect, every other later mechanism off: with the costs of coercion on, a
    slower Council need not cost lives (the delayed measures have side effects of their own)."""
    flexible = sim.load_strategy("three_pillar_flexible")
    first = {**first_version(), "council_drafts_per_week": 1000}
    unlimited = sim.simulate(fragile_region.with_params(**first), flexible, 300, seed=7)
    one = sim.simulate(fragile_region.with_params(**{**first, "council_drafts_per_week": 1}), flexible, 300, seed=7)
    assert not one.equals(unlimited)
    assert one["first_response_week_pillar3"].mean() >= unlimited["first_response_week_pillar3"].mean()
    assert one["deaths"].mean() > unlimited["deaths"].mean()


def test_every_council_mechanism_on_gives_the_same_result_in_both_engines(fragile_region: sim.Scenario) -> None:
    names = fragile_region.state_names
    scenario = fragile_region.with_params(council_drafts_per_week=1)
    scenario = scenario.with_state(names[4], patron="", patrons=(("china", 0.7), ("russia", 1.0)), penholder="france")
    bodies = tuple(sim.scenario.BodySpec(b.name, b.kind, b.capacity, b.members, 3, "manifest_failure")
                   for b in scenario.bodies)  # fmt: skip
    scenario = scenario.replace(bodies=bodies)
    strategy = sim.load_strategy("reactive_coercion").replace(veto_restraint=("russia",))
    numba = sim.simulate(scenario, strategy, 20, seed=11, engine="numba", trajectories=True)
    mesa = sim.simulate(scenario, strategy, 20, seed=11, engine="mesa", trajectories=True)
    assert numba[0].equals(mesa[0]) and np.array_equal(numba[1], mesa[1])
    assert numba[0][["drafts_withdrawn", "drafts_watered_down", "vetoes"]].to_numpy().sum() > 0


def test_the_council_record_keeps_threatened_drafts(single_state) -> None:
    client = single_state(leadership="determined", patron="russia", tension=0.6)
    coercion = sim.load_strategy("reactive_coercion")
    seen = set()
    for r in range(40):
        model = R2PModel(client, coercion, seed=5, replication=r, collect=False)
        while model.running:
            model.step()
        record = model.council.record
        seen |= {d.tabling for d in record}
        world = model.world
        assert sum(d.vetoes for d in record) == int(world["vetoes"].sum())
        assert sum(d.tabling == Tabling.WATERED_DOWN for d in record) == int(world["watered_down"].sum())
        assert sum(d.tabling == Tabling.WITHDRAWN for d in record) == int(world["withdrawn"].sum())
    assert seen == set(Tabling)
