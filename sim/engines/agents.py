"""Mesa agents: the actors of the 2009 report, one per decider, each owning its decisions.

Who decides what (:mod:`sim.deciders` assigns the pairs, :mod:`sim.schedule` orders the stages):

* :class:`StateAgent` - its scheduled events (stage 0), its tension, phase and harm (stages 1-4,
  10), its own Pillar I measures (stage 6), and its consent to offered help (stage 8);
* :class:`RegionalOrganisation` - Pillar II help and Chapter VIII action for the member states
  of which it is the most capable body (stage 6);
* :class:`SecurityCouncil` - Chapter VI and VII measures (stage 6), and the vote of its 15
  members on every due draft resolution, whoever tabled it (stage 7);
* :class:`JointOffice` - the Secretary-General and Joint Office: early warning for every state
  (stage 5), the sharing of the region's peacekeepers and mediators (stage 9), Human Rights
  Council fact-finding, peacebuilding funds, and Pillar II help and Chapter VIII action for
  states that belong to no body (stage 6);
* :class:`CivilSociety` - divestment campaigns (stage 6).

Each stage method calls the compiled rule of :mod:`sim.rules` for the agent's own states or
pairs. The numbers those rules read and write stay in the model's shared structured arrays
(``model.world``, ``model.region``), the layout the Numba kernel uses, so both engines run the
same rules on the same numbers; the agents' properties read them. The agents hold what is
theirs: identity, membership, capacity, patrons, portfolio of pairs, the Council's record.

A decision a person can take instead of the rule goes through one method: the Council's
:meth:`SecurityCouncil.ballots` and a host's :meth:`StateAgent.consents`. Override it in a
subclass (see ``R2PModel``'s ``*_class`` attributes), or hand it over at run time with
:meth:`sim.engines.mesa_model.R2PModel.hand_over`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import mesa
import numpy as np
from mesa.discrete_space import FixedAgent

from sim.concepts import COUNCIL_SEATS, N_INSTRUMENTS, P5, Col, Crime, Leadership, Phase, Tabling, Vote
from sim.parameters import P
from sim.rules.capacity import allocate
from sim.rules.effects import apply_effects
from sim.rules.escalation import change_phase, draw_shocks, update_tension
from sim.rules.events import undergo_events
from sim.rules.harm import suffer_harm
from sim.rules.response import (
    consents,
    council_ballots,
    due_drafts,
    due_offers,
    penholder_choice,
    propose_portfolio,
    settle_draft,
    settle_offer,
    settle_threat,
    settle_weaker,
    tally,
    threatened,
)
from sim.rules.warning import observe

if TYPE_CHECKING:
    from sim.engines.mesa_model import R2PModel


class Decider(mesa.Agent):
    """An actor that decides a portfolio of (state, instrument) pairs: it proposes, stands down."""

    model: R2PModel

    def __init__(self, model: R2PModel, actor: int, name: str) -> None:
        super().__init__(model)
        self.actor = actor
        """Number of the actor in ``model.deciders``."""
        self.name = name
        self.portfolio = model.deciders.portfolio(actor)
        """The (state, instrument) rows this actor decides."""
        self._runs = model.deciders.actor_runs(actor)

    def propose(self) -> None:
        """Stage 6: table, start, re-table or stand down each pair of the portfolio."""
        m = self.model
        propose_portfolio(m.deciders.pairs, self._runs, m.week, m.region, m.world, m.params, m.strategy, m.table)


class StateAgent(Decider, FixedAgent):
    """A state: its tension, phase and harm, its own Pillar I measures, its consent to help.

    The numeric properties read the state's row of ``model.world`` and ``model.region``.
    """

    def __init__(self, model: R2PModel, index: int, name: str) -> None:
        super().__init__(model, index, name)
        self.index = index
        self.cell = model.grid[index]
        self.borders = np.array(sorted(c.coordinate for c in self.cell.neighborhood), np.int64)
        """Indices of the neighbouring states on the border network, ascending."""
        self._offers = np.empty(N_INSTRUMENTS, np.int64)

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
        """Name of the state's most interested P5 patron (ties: ``concepts.P5`` order), or an empty string."""
        interest = self.model.region[self.index]["patrons"]
        return P5[int(np.argmax(interest))] if interest.max() > 0 else ""

    @property
    def patrons(self) -> dict[str, float]:
        """The state's P5 patrons and the interest of each (0..1 scales its veto propensity)."""
        interest = self.model.region[self.index]["patrons"]
        return {P5[j]: float(x) for j, x in enumerate(interest) if x > 0}

    @property
    def penholder(self) -> str:
        """Name of the P5 member that holds the pen on the state, or an empty string."""
        j = int(self.model.region[self.index]["penholder"])
        return P5[j] if j >= 0 else ""

    def undergo_events(self) -> None:
        """Stage 0: the scenario's events for this state that fall in this week."""
        m = self.model
        undergo_events(self.index, m.week, m.region, m.world, m.params)

    def draw_shocks(self) -> None:
        """Stage 1: the week's tension shock and warning noise."""
        m = self.model
        draw_shocks(self.index, m.week, m.key, m.world)

    def update_tension(self) -> None:
        """Stage 2: tension dynamics, with contagion from the neighbours on the network."""
        m = self.model
        update_tension(self.index, self.borders, m.week, m.region, m.world, m.params)

    def change_phase(self) -> None:
        """Stage 3: a step on the escalation ladder."""
        m = self.model
        change_phase(self.index, m.week, m.key, m.region, m.world, m.params)

    def suffer_harm(self) -> None:
        """Stage 4: killing and displacement."""
        m = self.model
        suffer_harm(self.index, m.region, m.world, m.params)

    def offers(self) -> list[int]:
        """Instruments offered to this state whose answer is due this week."""
        m = self.model
        return self._offers[: due_offers(self.index, m.week, m.world, m.table, self._offers)].tolist()

    def consents(self, instrument: int) -> bool:
        """Whether the state accepts the offered ``instrument``: the rule, or whoever it was handed to."""
        outside = self.model.outside.get("consent")
        if outside is not None:
            return bool(outside(self, instrument))
        return self.rule_consents(instrument)

    def rule_consents(self, instrument: int) -> bool:
        """The model's rule for the answer to an offer (a stand-in's advice; asking changes nothing)."""
        m = self.model
        return bool(consents(self.index, instrument, m.week, m.key, m.region, m.world, m.params))

    def answer_offers(self) -> None:
        """Stage 8: accept or refuse each offer of help due this week."""
        m = self.model
        for k in self.offers():
            settle_offer(self.index, k, m.week, self.consents(k), m.world, m.params, m.table)

    def absorb_effects(self) -> None:
        """Stage 10: the channels of all active instruments take effect on the state."""
        m = self.model
        apply_effects(self.index, m.region, m.world, m.params, m.strategy, m.table)


class RegionalOrganisation(Decider):
    """A regional or sub-regional body: good offices, Pillar II help and Chapter VIII action.

    It decides for the member states of which it is the most capable body (its ``portfolio``);
    its ``capacity`` is the ``body_capacity`` that scales what it delivers to them.
    """

    def __init__(self, model: R2PModel, actor: int, name: str, kind: str, capacity: float, members: list[int]) -> None:
        super().__init__(model, actor, name)
        self.kind = kind
        self.capacity = capacity
        self.members = members

    @property
    def serves(self) -> list[int]:
        """Member states for which this body decides (those of which it is the most capable body)."""
        return sorted({int(i) for i in self.portfolio[:, 0]})


class Draft(NamedTuple):
    """A draft resolution put to the vote, as the Council's record keeps it."""

    week: int
    state: int
    instrument: int
    votes: np.ndarray
    """One :class:`~sim.concepts.Vote` per seat; seats 0 to 4 are the P5 in ``concepts.P5`` order."""
    adopted: bool
    vetoes: int
    tabling: Tabling = Tabling.VOTED
    """What became of the draft: voted on, or withdrawn or watered down under a veto threat (then
    ``votes`` are the ballots the threat foresaw, and a watered-down draft's weaker measure has
    its own record right after it)."""


class SecurityCouncil(Decider):
    """The Council: 15 seats, P5 veto; decides Chapter VI and VII measures and votes on every draft.

    A draft is tabled by the pair's decider (stage 6: the Council itself, or a regional body for
    Chapter VIII action); after its deliberation the Council puts it on its :meth:`agenda`,
    collects the :meth:`ballots`, tallies them and acts on the result (stage 7). Each vote is
    kept in ``record``.
    """

    def __init__(self, model: R2PModel, actor: int, name: str) -> None:
        super().__init__(model, actor, name)
        self.record: list[Draft] = []
        """Every draft voted on so far, in order."""
        self._due = np.empty((model.region.shape[0] * N_INSTRUMENTS, 2), np.int64)

    def agenda(self) -> list[tuple[int, int]]:
        """(state, instrument) of the drafts the Council takes up this week: the due drafts, at most
        ``council_drafts_per_week``, highest perceived risk first (ties by state, then instrument)."""
        m = self.model
        n = due_drafts(m.week, m.region, m.world, m.params, m.table, self._due)
        due = sorted(((int(i), int(k)) for i, k in self._due[:n]), key=lambda d: (-m.world[d[0]]["perceived"], d))
        return due[: int(m.params[P.COUNCIL_DRAFTS_PER_WEEK])]

    def ballots(self, state: int, instrument: int) -> np.ndarray:
        """The 15 members' votes on a draft: the rule, or whoever the vote was handed to."""
        outside = self.model.outside.get("ballots")
        if outside is not None:
            votes = np.asarray(outside(self, state, instrument), dtype=np.int64)
            if votes.shape != (COUNCIL_SEATS,) or not np.isin(votes, list(Vote)).all():
                raise ValueError(f"ballots: {votes!r}; allowed: {COUNCIL_SEATS} votes, each one of {list(Vote)}")
            return votes
        return self.rule_ballots(state, instrument)

    def rule_ballots(self, state: int, instrument: int) -> np.ndarray:
        """The 15 members' votes on a draft by the model's rule (what a stand-in is offered as advice;
        the draws depend on the week, state and instrument only, so asking twice changes nothing)."""
        m = self.model
        votes = np.empty(COUNCIL_SEATS, np.int64)
        council_ballots(state, instrument, m.week, m.key, m.region, m.world, m.params, m.table, votes)
        return votes

    def vote(self) -> None:
        """Stage 7: take up each draft on the agenda; under a veto threat the penholder forces the
        vote, withdraws the draft or waters it down to its weaker measure; act on the result."""
        m = self.model
        for i, k in self.agenda():
            votes = self.ballots(i, k)
            tabling = Tabling.VOTED
            if threatened(votes):
                tabling = Tabling(penholder_choice(i, k, m.week, m.key, m.world, m.params, m.table))
            if tabling == Tabling.VOTED:
                adopted, vetoes = tally(votes)
                settle_draft(i, k, m.week, adopted, vetoes, m.world, m.params, m.table)
                self.record.append(Draft(m.week, i, k, votes, bool(adopted), int(vetoes)))
                continue
            settle_threat(i, k, m.week, tabling, m.world, m.params)
            self.record.append(Draft(m.week, i, k, votes, False, 0, tabling))
            if tabling == Tabling.WATERED_DOWN:
                weaker = int(m.table[k, Col.WEAKER])
                votes = self.ballots(i, weaker)
                again = Tabling.WITHDRAWN if threatened(votes) else Tabling.VOTED
                adopted, _ = tally(votes)
                settle_weaker(i, weaker, m.week, again, adopted, m.world, m.table)
                self.record.append(Draft(m.week, i, weaker, votes, bool(adopted and not again), 0, again))


class JointOffice(Decider):
    """Secretary-General and Joint Office: aggregates warnings, briefs the Council, dispatches
    Human Rights Council fact-finding, and channels UN help to states without a regional body."""

    def assess(self) -> None:
        """Stage 5: update every state's perceived risk, pressure and warning."""
        m = self.model
        for i in range(len(m.states)):
            observe(i, m.week, m.region, m.world, m.params)

    def allocate(self) -> None:
        """Stage 9: share the region's peacekeeping and mediation pools among the states."""
        m = self.model
        allocate(m.region, m.world, m.params, m.strategy, m.table)


class CivilSociety(Decider):
    """Civil society: decides divestment campaigns.

    Its monitoring (less warning noise), advocacy (Council pressure) and survivor networks (less
    recurrence) act through each state's fixed ``civil_society`` strength in the rules.
    """
