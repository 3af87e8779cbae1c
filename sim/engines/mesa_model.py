"""The Mesa engine: one replication as a steppable Mesa model (readable; drives the browser view).

The weekly schedule runs the same seven stages as the Numba kernel. Agents act in random order
within a stage (``shuffle_do``); the rules are synchronous, so the order changes nothing.
"""

from __future__ import annotations

import mesa
import networkx as nx
import numpy as np
from mesa.discrete_space import Network

from sim.concepts import INSTRUMENTS, Actor
from sim.engines.agents import (
    CivilSociety,
    Decider,
    JointOffice,
    RegionalOrganisation,
    SecurityCouncil,
    StateAgent,
)
from sim.model_inputs import model_inputs
from sim.rng import replication_key
from sim.rules.outcomes import OUTCOMES, TRAJECTORY, summarise
from sim.scenario import Scenario
from sim.state import new_world, reset_world
from sim.strategy import Strategy


class R2PModel(mesa.Model):
    """One replication of a scenario under a strategy.

    Parameters
    ----------
    scenario, strategy
        Validated inputs (see :func:`sim.load_scenario`, :func:`sim.load_strategy`).
    seed
        Root seed; with ``replication`` it fixes every random number.
    replication
        Replication number; replication *r* matches replication *r* of the Numba engine.
    weeks
        Horizon; defaults to the scenario's.
    collect
        Record every state's variables each week in ``datacollector`` (needed by
        :meth:`trajectory`; off, a replication runs about 1.5x faster).
    """

    def __init__(
        self,
        scenario: Scenario,
        strategy: Strategy,
        seed: int = 0,
        replication: int = 0,
        weeks: int | None = None,
        collect: bool = True,
    ) -> None:
        super().__init__(rng=np.random.default_rng([seed, replication]))
        self.scenario_spec = scenario
        self.strategy_spec = strategy
        self.region, self.params, self.strategy, self.table, self.weeks = model_inputs(scenario, strategy, weeks)
        self.key = replication_key(seed, replication)
        self.week = 0
        n = len(scenario.states)
        self.world = new_world(n)
        reset_world(self.region, self.params, self.world)

        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        for i in range(n):
            for j in self.region[i]["neighbours"][: self.region[i]["degree"]]:
                graph.add_edge(i, int(j))
        self.grid = Network(graph, capacity=1, random=self.random)
        self.states = [StateAgent(self, i, s.name) for i, s in enumerate(scenario.states)]
        index = {s.name: i for i, s in enumerate(scenario.states)}
        self.bodies = [
            RegionalOrganisation(self, b.name, b.kind, b.capacity, [index[m] for m in b.members])
            for b in scenario.bodies
        ]
        self.council = SecurityCouncil(self, "Security Council")
        self.joint_office = JointOffice(self, "Secretary-General and Joint Office")
        self.civil_society = CivilSociety(self, "Civil society")
        self._assign_portfolios()

        self.collect = collect
        self.datacollector = mesa.DataCollector(
            model_reporters={"week": "week", "deaths": lambda m: float(m.world["deaths"].sum())},
            agenttype_reporters={StateAgent: {name: name for name in TRAJECTORY}},
        )
        if collect:
            self.datacollector.collect(self)

    def _assign_portfolios(self) -> None:
        """Give each (state, instrument) pair to the one actor that decides it."""
        for i in range(len(self.states)):
            for k, ins in enumerate(INSTRUMENTS):
                self.responsible(i, ins.actor).take_on(i, k)

    def responsible(self, state: int, actor: Actor) -> Decider:
        """The agent that decides an instrument of kind ``actor`` for ``state``.

        Pillar II help and Chapter VIII action come from the most capable regional body the state
        belongs to, or from the UN system (the Joint Office) if it belongs to none.
        """
        if actor == Actor.STATE:
            return self.states[state]
        if actor == Actor.REGIONAL_BODY:
            bodies = [b for b in self.bodies if state in b.members]
            return max(bodies, key=lambda b: b.capacity) if bodies else self.joint_office
        if actor == Actor.SECURITY_COUNCIL:
            return self.council
        if actor == Actor.JOINT_OFFICE:
            return self.joint_office
        return self.civil_society

    def step(self) -> None:
        """One week: shocks, dynamics, phase changes, harm, observation, decisions, effects."""
        states = self.agents_by_type[StateAgent]
        states.shuffle_do("draw_shocks")
        states.shuffle_do("update_tension")
        states.shuffle_do("change_phase")
        states.shuffle_do("suffer_harm")
        self.joint_office.assess()
        self.agents.shuffle_do("decide")
        states.shuffle_do("absorb_effects")
        self.week += 1
        if self.collect:
            self.datacollector.collect(self)
        if self.week >= self.weeks:
            self.running = False

    def outcomes(self) -> dict[str, float]:
        """Outcomes of the replication so far, keyed by :data:`sim.rules.outcomes.OUTCOMES`."""
        out = np.empty(len(OUTCOMES))
        summarise(self.world, out)
        return dict(zip(OUTCOMES, out.tolist(), strict=True))

    def trajectory(self) -> np.ndarray:
        """Collected weeks as an array ``(weeks + 1, len(TRAJECTORY), n_states)``."""
        if not self.collect:
            raise ValueError("this model was built with collect=False, so it has no trajectory")
        table = self.datacollector.get_agenttype_vars_dataframe(StateAgent).sort_index()
        values = table[list(TRAJECTORY)].to_numpy(dtype=np.float64)
        return values.reshape(-1, len(self.states), len(TRAJECTORY)).transpose(0, 2, 1)
