"""Mesa agents: the actors of the 2009 report, each acting through the shared Numba rules.

An agent's state lives in the model's arrays (``model.world``), the layout the Numba kernel
uses, so both engines run literally the same rule functions on the same numbers. Agents hold
their identity, their relations (border network, membership, patronage) and their behaviour:
which rules they apply, to whom, and in which stage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np
from mesa.discrete_space import FixedAgent

from sim.concepts import P5, Crime, Leadership, Phase
from sim.rules.effects import apply_effects
from sim.rules.escalation import change_phase, draw_shocks, update_tension
from sim.rules.harm import suffer_harm
from sim.rules.response import decide_portfolio
from sim.rules.warning import observe

if TYPE_CHECKING:
    from sim.engines.mesa_model import R2PModel


class Decider(mesa.Agent):
    """An actor that takes decisions on a portfolio of (state, instrument) pairs."""

    model: R2PModel

    def __init__(self, model: R2PModel, name: str) -> None:
        super().__init__(model)
        self.name = name
        self.portfolio = np.zeros((0, 2), np.int64)

    def take_on(self, state: int, instrument: int) -> None:
        """Make this actor the one that decides ``instrument`` for ``state``."""
        self.portfolio = np.vstack([self.portfolio, [[state, instrument]]])

    def decide(self) -> None:
        """Stage 6: advance every (state, instrument) pair this actor is responsible for."""
        m = self.model
        decide_portfolio(self.portfolio, m.week, m.key, m.region, m.world, m.params, m.strategy, m.table)


class StateAgent(Decider, FixedAgent):
    """A state: its tension, phase, harm and its own Pillar I protection measures."""

    def __init__(self, model: R2PModel, index: int, name: str) -> None:
        super().__init__(model, name)
        self.index = index
        self.cell = model.grid[index]

    @property
    def neighbours(self) -> list[StateAgent]:
        """States sharing a border."""
        return [a for cell in self.cell.neighborhood for a in cell.agents]

    def _get(self, field: str) -> float:
        return self.model.world[self.index][field]

    tension = property(lambda self: float(self._get("tension")), doc="Latent escalation pressure, 0..1.")
    capacity = property(lambda self: float(self._get("capacity")), doc="Pillar I protective capacity, 0..1.")
    phase = property(lambda self: Phase(int(self._get("phase"))), doc="Position on the escalation ladder.")
    deaths = property(lambda self: float(self._get("deaths")), doc="Cumulative deaths.")
    displaced = property(lambda self: float(self._get("displaced")), doc="Cumulative displaced persons.")
    perceived = property(lambda self: float(self._get("perceived")), doc="Perceived risk (early warning).")
    leadership = property(lambda self: Leadership(int(self.model.region[self.index]["leadership"])))
    crime = property(lambda self: Crime(int(self.model.region[self.index]["crime"])))

    @property
    def patron(self) -> str:
        """Name of the state's P5 patron, or an empty string."""
        j = int(self.model.region[self.index]["patron"])
        return P5[j] if j >= 0 else ""

    def draw_shocks(self) -> None:
        """Stage 1."""
        m = self.model
        draw_shocks(self.index, m.week, m.key, m.world)

    def update_tension(self) -> None:
        """Stage 2."""
        m = self.model
        update_tension(self.index, m.week, m.region, m.world, m.params)

    def change_phase(self) -> None:
        """Stage 3."""
        m = self.model
        change_phase(self.index, m.week, m.key, m.region, m.world, m.params)

    def suffer_harm(self) -> None:
        """Stage 4."""
        m = self.model
        suffer_harm(self.index, m.region, m.world, m.params)

    def absorb_effects(self) -> None:
        """Stage 7: the channels of all active instruments take effect on the state."""
        m = self.model
        apply_effects(self.index, m.region, m.world, m.params, m.strategy, m.table)


class RegionalOrganisation(Decider):
    """A regional or sub-regional body: good offices, Pillar II help and Chapter VIII action.

    It delivers for the member states for which it is the most capable body.
    """

    def __init__(self, model: R2PModel, name: str, kind: str, capacity: float, members: list[int]) -> None:
        super().__init__(model, name)
        self.kind = kind
        self.capacity = capacity
        self.members = members


class SecurityCouncil(Decider):
    """The Council: 15 seats, P5 veto, Chapter VI and VII measures; deadlock may go to the Assembly."""

    seats = 15
    permanent_members = P5

    @property
    def vetoes(self) -> int:
        """Vetoes cast so far."""
        return int(self.model.world["vetoes"].sum())


class JointOffice(Decider):
    """Secretary-General and Joint Office: aggregates warnings, briefs the Council, dispatches
    Human Rights Council fact-finding, and channels UN help to states without a regional body."""

    def assess(self) -> None:
        """Stage 5: update every state's perceived risk, pressure and warning."""
        m = self.model
        for i in range(len(m.states)):
            observe(i, m.week, m.region, m.world, m.params)


class CivilSociety(Decider):
    """Civil society: decides divestment campaigns.

    Its monitoring (less warning noise), advocacy (Council pressure) and survivor networks (less
    recurrence) act through each state's fixed ``civil_society`` strength in the rules.
    """
