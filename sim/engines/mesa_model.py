"""The Mesa engine: one replication as a steppable Mesa model (readable; drives the browser view).

The week is :data:`sim.schedule.STAGES`, the one the Numba kernel runs: in each stage the agents
it names run its method. Agents act in random order within a stage (``shuffle_do``); the rules
are synchronous, so the order changes nothing. Who decides which pair comes from
``model_inputs`` (:mod:`sim.deciders`), as in the kernel.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import mesa
import networkx as nx
import numpy as np
from mesa.agent import AgentSet
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
from sim.outcome_columns import n_outcomes, outcome_columns
from sim.rng import replication_key
from sim.rules.outcomes import TRAJECTORY, summarise, tally
from sim.scenario import Scenario
from sim.schedule import STAGES
from sim.simulate import load_inputs
from sim.state import new_world, reset_world
from sim.strategy import Strategy

OUTSIDE = {
    "ballots": "the Council's votes on a draft: f(council, state, instrument) -> 15 Vote codes",
    "consent": "a host state's answer to offered help: f(state_agent, instrument) -> bool",
}
"""Decisions that can be handed to someone outside the model, and what the stand-in must be."""


class R2PModel(mesa.Model):
    """One replication of a scenario under a strategy.

    Parameters
    ----------
    scenario, strategy
        Loaded objects (:func:`sim.load_scenario`, :func:`sim.load_strategy`), shipped names or
        paths to TOML files, as in :func:`sim.simulate`.
    seed
        Root seed; with ``replication`` it fixes every random number. None (what Mesa 3.5's
        ``batch_run`` passes when it is given no ``rng``) means 0: a run is always reproducible.
    replication
        Replication number; replication *r* matches replication *r* of the Numba engine.
    weeks
        Horizon; defaults to the scenario's.
    collect
        Record every state's variables each week in ``datacollector`` (needed by
        :meth:`trajectory`; off, a replication runs about 1.5x faster).

    To change how one actor decides, subclass its agent and set the matching class attribute in a
    subclass of the model (``council_class = MyCouncil``).
    """

    state_class: type[StateAgent] = StateAgent
    body_class: type[RegionalOrganisation] = RegionalOrganisation
    council_class: type[SecurityCouncil] = SecurityCouncil
    joint_office_class: type[JointOffice] = JointOffice
    civil_society_class: type[CivilSociety] = CivilSociety

    def __init__(
        self,
        scenario: Scenario | str | Path,
        strategy: Strategy | str | Path,
        seed: int | None = 0,
        replication: int = 0,
        weeks: int | None = None,
        collect: bool = True,
    ) -> None:
        seed = 0 if seed is None else seed
        super().__init__(rng=np.random.default_rng([seed, replication]))
        scenario, strategy = load_inputs(scenario, strategy)
        inputs = model_inputs(scenario, strategy, weeks)
        self.region, self.params, self.strategy, self.table, self.weeks, self.deciders = inputs
        self.key = replication_key(seed, replication)
        self.week = 0
        self.outside: dict[str, Callable[..., object]] = {}
        """Decisions handed over (:meth:`hand_over`), by name in :data:`OUTSIDE`."""
        n = len(scenario.states)
        self.world = new_world(n)
        reset_world(self.region, self.params, self.world)
        self.columns = outcome_columns(scenario.state_names)
        """Names of the :meth:`outcomes`."""

        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        for i in range(n):
            for j in self.region[i]["neighbours"][: self.region[i]["degree"]]:
                graph.add_edge(i, int(j))
        self.grid = Network(graph, capacity=1, random=self.random)
        self.states = [self.state_class(self, i, s.name) for i, s in enumerate(scenario.states)]
        index = {s.name: i for i, s in enumerate(scenario.states)}
        self.bodies = [
            self.body_class(self, n + j, b.name, b.kind, b.capacity, [index[m] for m in b.members])
            for j, b in enumerate(scenario.bodies)
        ]
        d = self.deciders
        self.council = self.council_class(self, d.actor(Actor.SECURITY_COUNCIL), "Security Council")
        self.joint_office = self.joint_office_class(
            self, d.actor(Actor.JOINT_OFFICE), "Secretary-General and Joint Office"
        )
        self.civil_society = self.civil_society_class(self, d.actor(Actor.CIVIL_SOCIETY), "Civil society")
        self.actors: list[Decider] = [*self.states, *self.bodies, self.council, self.joint_office, self.civil_society]
        """Every decider, by its number in ``deciders``."""
        self._acting = {
            "StateAgent": AgentSet(self.states, random=self.random),
            "JointOffice": AgentSet([self.joint_office], random=self.random),
            "SecurityCouncil": AgentSet([self.council], random=self.random),
            "Decider": AgentSet(self.actors, random=self.random),
        }

        self.collect = collect
        self.datacollector = mesa.DataCollector(
            model_reporters={"week": "week", "deaths": lambda m: float(m.world["deaths"].sum())},
            agenttype_reporters={self.state_class: {name: name for name in TRAJECTORY}},
        )
        if collect:
            self.datacollector.collect(self)

    def decider(self, state: int, instrument: int) -> Decider:
        """The agent that decides ``instrument`` (an index in ``INSTRUMENTS``) for ``state``."""
        return self.actors[int(self.deciders.decider[state, instrument])]

    def responsible(self, state: int, actor: Actor) -> Decider:
        """The agent that decides the instruments of kind ``actor`` for ``state``.

        Pillar II help and Chapter VIII action come from the most capable regional body the state
        belongs to, or from the UN system (the Joint Office) if it belongs to none.
        """
        return self.decider(state, next(k for k, ins in enumerate(INSTRUMENTS) if ins.actor == actor))

    def hand_over(self, decision: str, decider: Callable[..., object] | None) -> None:
        """Let ``decider`` take ``decision`` (a name in :data:`OUTSIDE`) instead of the rule; None gives it back."""
        if decision not in OUTSIDE:
            raise ValueError(f"hand_over: {decision!r} is not a decision; allowed: {', '.join(OUTSIDE)}")
        if decider is None:
            self.outside.pop(decision, None)
        else:
            self.outside[decision] = decider

    def step(self) -> None:
        """One week: every stage of :data:`sim.schedule.STAGES`, in order."""
        for stage in STAGES:
            self._acting[stage.actor].shuffle_do(stage.method)
        tally(self.world)
        self.week += 1
        if self.collect:
            self.datacollector.collect(self)
        if self.week >= self.weeks:
            self.running = False

    def outcomes(self) -> dict[str, float]:
        """Outcomes of the replication so far, keyed by :attr:`columns` (region-wide, then per state)."""
        out = np.empty(n_outcomes(len(self.states)))
        summarise(self.world, out)
        return dict(zip(self.columns, out.tolist(), strict=True))

    def trajectory(self) -> np.ndarray:
        """Collected weeks as an array ``(weeks + 1, len(TRAJECTORY), n_states)``."""
        if not self.collect:
            raise ValueError("this model was built with collect=False, so it has no trajectory")
        table = self.datacollector.get_agenttype_vars_dataframe(self.state_class).sort_index()
        values = table[list(TRAJECTORY)].to_numpy(dtype=np.float64)
        return values.reshape(-1, len(self.states), len(TRAJECTORY)).transpose(0, 2, 1)
