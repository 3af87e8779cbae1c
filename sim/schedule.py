"""The weekly schedule, defined once: which stage comes when, who acts in it, which rule it runs.

Both engines derive their week from :data:`STAGES`. The Numba kernel chains the stages' region
functions (``Stage.run``, all with the signature of :func:`shocks`) into one compiled
``step_week``; the Mesa model lets the agents named by ``Stage.actor`` run ``Stage.method``,
which calls the same rule for the agent's own states or pairs. Each stage runs completely before
the next starts; within a stage, the order in which states, pairs or agents act changes nothing
(``docs/ODD.md``, section 3).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.jit import rule
from sim.rules.capacity import allocate
from sim.rules.effects import apply_effects
from sim.rules.escalation import any_in_atrocity, change_phase, draw_shocks, update_tension
from sim.rules.events import undergo_events
from sim.rules.harm import suffer_harm
from sim.rules.response import (
    agenda_cutoff,
    comes_before,
    consents,
    council_ballots,
    draft_due,
    offer_due,
    propose,
    propose_portfolio,
    settle_offer,
    take_up_draft,
)
from sim.rules.warning import observe
from sim.state import Region, World, lowest


@rule
def next_pending(start: int, w: World) -> int:
    """The first state from ``start`` on with an instrument waiting for a decision (``len(w)`` if none).

    The Council and consent stages step from one such state to the next with it: over a plain
    loop of states, LLVM would advance every instrument's random-number key at each state,
    skipped ones included.
    """
    i = start
    while i < w.shape[0] and w[i].pending == 0:
        i += 1
    return i


@rule
def events(
    week: int,
    key: np.uint64,
    region: Region,
    w: World,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
    pairs: np.ndarray,
    runs: np.ndarray,
    votes: np.ndarray,
) -> None:
    """Stage 0 for every state with scheduled events. ``pairs``, ``runs``: the (state, instrument)
    pairs grouped by decider (:class:`sim.deciders.Deciders`); ``votes``: room for the Council's 15
    ballots."""
    for i in range(region.shape[0]):
        if region[i].n_events > 0:
            undergo_events(i, week, region, w, p)


@rule
def shocks(
    week: int,
    key: np.uint64,
    region: Region,
    w: World,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
    pairs: np.ndarray,
    runs: np.ndarray,
    votes: np.ndarray,
) -> None:
    """Stage 1 for every state."""
    for i in range(region.shape[0]):
        draw_shocks(i, week, key, w)


@rule
def dynamics(
    week: int,
    key: np.uint64,
    region: Region,
    w: World,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
    pairs: np.ndarray,
    runs: np.ndarray,
    votes: np.ndarray,
) -> None:
    """Stage 2 for every state, with the neighbours of the scenario's border list (none while no state
    is in atrocity: then no neighbour adds contagion)."""
    unrest = any_in_atrocity(w)
    for i in range(region.shape[0]):
        update_tension(i, region[i].neighbours[: region[i].degree if unrest else 0], week, region, w, p)


@rule
def phase_changes(
    week: int,
    key: np.uint64,
    region: Region,
    w: World,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
    pairs: np.ndarray,
    runs: np.ndarray,
    votes: np.ndarray,
) -> None:
    """Stage 3 for every state."""
    for i in range(region.shape[0]):
        change_phase(i, week, key, region, w, p)


@rule
def harm(
    week: int,
    key: np.uint64,
    region: Region,
    w: World,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
    pairs: np.ndarray,
    runs: np.ndarray,
    votes: np.ndarray,
) -> None:
    """Stage 4 for every state."""
    for i in range(region.shape[0]):
        suffer_harm(i, region, w, p)


@rule
def observation(
    week: int,
    key: np.uint64,
    region: Region,
    w: World,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
    pairs: np.ndarray,
    runs: np.ndarray,
    votes: np.ndarray,
) -> None:
    """Stage 5: the Joint Office observes every state."""
    for i in range(region.shape[0]):
        observe(i, week, region, w, p)


@rule
def proposals(
    week: int,
    key: np.uint64,
    region: Region,
    w: World,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
    pairs: np.ndarray,
    runs: np.ndarray,
    votes: np.ndarray,
) -> None:
    """Stage 6: every pair decided by its decider (the kernel passes them state by state,
    ``Deciders.by_state``)."""
    propose_portfolio(pairs, runs, week, region, w, p, strategy, table)


@rule
def council_votes(
    week: int,
    key: np.uint64,
    region: Region,
    w: World,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
    pairs: np.ndarray,
    runs: np.ndarray,
    votes: np.ndarray,
) -> None:
    """Stage 7: the Council takes up the due draft resolutions, at most ``council_drafts_per_week``
    in agenda order (the rest wait a week)."""
    last_i, last_k = agenda_cutoff(week, region, w, p, table)
    i = next_pending(0, w)
    while i < w.shape[0]:
        under_way = w[i].underway
        while under_way:
            k, under_way = lowest(under_way)
            if draft_due(i, k, week, region, w, p, table) and (last_i < 0 or not comes_before(last_i, last_k, i, k, w)):
                take_up_draft(i, k, week, key, region, w, p, table, votes)
        i = next_pending(i + 1, w)


@rule
def consent(
    week: int,
    key: np.uint64,
    region: Region,
    w: World,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
    pairs: np.ndarray,
    runs: np.ndarray,
    votes: np.ndarray,
) -> None:
    """Stage 8: every host state answers the offers of help due this week."""
    i = next_pending(0, w)
    while i < w.shape[0]:
        under_way = w[i].underway
        while under_way:
            k, under_way = lowest(under_way)
            if offer_due(i, k, week, w, table):
                settle_offer(i, k, week, consents(i, k, week, key, region, w, p), w, p, table)
        i = next_pending(i + 1, w)


@rule
def allocation(
    week: int,
    key: np.uint64,
    region: Region,
    w: World,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
    pairs: np.ndarray,
    runs: np.ndarray,
    votes: np.ndarray,
) -> None:
    """Stage 9: the Joint Office shares the region's peacekeepers and mediators among the states."""
    allocate(region, w, p, strategy, table)


@rule
def effects(
    week: int,
    key: np.uint64,
    region: Region,
    w: World,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
    pairs: np.ndarray,
    runs: np.ndarray,
    votes: np.ndarray,
) -> None:
    """Stage 10 for every state."""
    for i in range(region.shape[0]):
        apply_effects(i, region, w, p, strategy, table)


@dataclass(frozen=True)
class Stage:
    """One stage of the week.

    Attributes
    ----------
    name
        Short name, as the ODD's schedule table gives it.
    rule
        The model rule the stage is about (``docs/ODD.md`` section 7 names it).
    actor
        Which Mesa agents act: ``"StateAgent"``, ``"JointOffice"``, ``"SecurityCouncil"``, or
        ``"Decider"`` (every agent that decides pairs).
    method
        The method those agents run.
    run
        The kernel's function that runs the stage for the whole region.
    """

    name: str
    rule: Callable[..., object]
    actor: str
    method: str
    run: Callable[..., None]


STAGES: tuple[Stage, ...] = (
    Stage("events", undergo_events, "StateAgent", "undergo_events", events),
    Stage("shocks", draw_shocks, "StateAgent", "draw_shocks", shocks),
    Stage("dynamics", update_tension, "StateAgent", "update_tension", dynamics),
    Stage("phase changes", change_phase, "StateAgent", "change_phase", phase_changes),
    Stage("harm", suffer_harm, "StateAgent", "suffer_harm", harm),
    Stage("observation", observe, "JointOffice", "assess", observation),
    Stage("proposals", propose, "Decider", "propose", proposals),
    Stage("Council votes", council_ballots, "SecurityCouncil", "vote", council_votes),
    Stage("consent", consents, "StateAgent", "answer_offers", consent),
    Stage("allocation", allocate, "JointOffice", "allocate", allocation),
    Stage("effects", apply_effects, "StateAgent", "absorb_effects", effects),
)
"""The week, in order."""
