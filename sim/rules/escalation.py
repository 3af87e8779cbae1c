"""Stages 1-3 of a week: exogenous shocks, tension dynamics, and the escalation ladder.

Each function updates one state ``i`` and writes only that state's entries. Within a stage no
function reads an entry another state writes in the same stage, so the order in which states
(or Mesa agents) act cannot change the result.
"""

from __future__ import annotations

import numpy as np

from sim.concepts import Leadership, Phase
from sim.jit import rule
from sim.parameters import P
from sim.rng import Purpose, normal_pair, uniform
from sim.rules.protection import deterrence, protection_share
from sim.state import HISTORY, Region, World


@rule
def draw_shocks(i: int, week: int, key: np.uint64, w: World) -> None:
    """Stage 1: the week's exogenous tension shock and early-warning noise of state ``i``.

    Keyed by state and week only, so every strategy sees the same shocks (common random numbers).
    """
    shock, noise = normal_pair(key, week, i, Purpose.WEEKLY_NOISE)
    w[i].shock = shock
    w[i].warning_noise = noise


@rule
def any_in_atrocity(w: World) -> bool:
    """Some state of the region is in atrocity."""
    for i in range(w.shape[0]):  # noqa: SIM110 (a loop the rules compile without a generator)
        if w[i].phase == Phase.ATROCITY:
            return True
    return False


@rule
def contagion(i: int, borders: np.ndarray, region: Region, w: World, p: np.ndarray) -> float:
    """Tension flowing into state ``i`` from its neighbours ``borders`` in atrocity and their refugees.

    Refugees leave a neighbour only while it is in atrocity: by default all its displaced, split
    evenly among its neighbours; with the scenario's ``refugee_share`` or ``refugees_to``, the
    share of them arriving here (``Region.inflow_share``). ``borders`` lists the neighbours in
    ascending order (the kernel passes the scenario's list, a Mesa state agent the one of its
    network cell: the same numbers, summed in the same order).
    """
    inflow = 0.0
    for e in range(borders.shape[0]):
        j = borders[e]
        if w[j].phase == Phase.ATROCITY:
            share = region[i].inflow_share[e]
            refugees = w[j].weekly_displaced / region[j].degree if share < 0.0 else w[j].weekly_displaced * share
            inflow += p[P.CONTAGION_ATROCITY] + p[P.CONTAGION_REFUGEES] * refugees / region[i].population
    return inflow


@rule
def update_tension(i: int, borders: np.ndarray, week: int, region: Region, w: World, p: np.ndarray) -> None:
    """Stage 2: mean reversion, self-reinforcement, incitement, contagion, relief, grievance and shock."""
    t = w[i].tension
    lead = region[i].leadership
    drift = p[P.TENSION_REVERSION] * (w[i].baseline - t) - p[P.CAPACITY_DAMPING] * w[i].capacity * t
    if t > p[P.THRESHOLD_CRISIS] or w[i].phase == Phase.ATROCITY:
        drift += p[P.SELF_REINFORCEMENT] * t
    if lead == Leadership.DETERMINED and t > p[P.THRESHOLD_TENSION]:
        drift += p[P.INCITEMENT] * (1.0 - deterrence(i, w))
    drift += contagion(i, borders, region, w, p) - w[i].relief
    if w[i].grievance != 0.0:
        drift += w[i].grievance
    shock = p[P.SHOCK_SD] * p[P.SHOCK_RESILIENT + lead] * w[i].shock
    t = min(max(t + drift + shock, 0.0), 1.0)
    w[i].tension = t
    w[i].history[week % HISTORY] = t


@rule
def onset_hazard(i: int, region: Region, w: World, p: np.ndarray) -> float:
    """Weekly probability that state ``i`` crosses into atrocity (EWP odds ratios on a baseline)."""
    h = (
        p[P.ONSET_HAZARD]
        * w[i].risk_multiplier
        * p[P.HAZARD_RESILIENT + region[i].leadership]
        * np.exp(p[P.ONSET_SLOPE] * (w[i].tension - p[P.THRESHOLD_CRISIS]))
        * (1.0 - p[P.CAPACITY_HAZARD_CUT] * w[i].capacity)
        * (1.0 - deterrence(i, w))
        * w[i].restraint
    )
    if w[i].phase == Phase.RECOVERY:
        h *= p[P.RECURRENCE_FACTOR] * (1.0 - p[P.SURVIVOR_NETWORKS] * region[i].civil_society)
    return min(h, 1.0)


@rule
def episode_severity(i: int, episode: int, key: np.uint64, p: np.ndarray) -> float:
    """Severity of state ``i``'s ``episode``-th episode: Pareto(alpha) above 1, capped (S6).

    Keyed by the episode's number, not its week, so an episode that a strategy delays keeps its
    severity (common random numbers).
    """
    u = uniform(key, 0, i, Purpose.SEVERITY, episode)
    return min((1.0 - u) ** (-1.0 / p[P.SEVERITY_ALPHA]), p[P.SEVERITY_CAP])


@rule
def change_phase(i: int, week: int, key: np.uint64, region: Region, w: World, p: np.ndarray) -> None:
    """Stage 3: move state ``i`` along the ladder stable -> tension -> crisis -> atrocity -> recovery."""
    phase = w[i].phase
    t = w[i].tension
    new = phase
    if phase == Phase.STABLE:
        if t >= p[P.THRESHOLD_TENSION]:
            new = Phase.TENSION
    elif phase == Phase.ATROCITY:
        response = deterrence(i, w) + protection_share(i, region, w, p)
        end = p[P.END_HAZARD] + p[P.END_RESPONSE] * response
        if t < p[P.THRESHOLD_END] or uniform(key, week, i, Purpose.EPISODE_END, 0) < end:
            new = Phase.RECOVERY
        elif region[i].military_end > 0.0 and uniform(key, week, i, Purpose.MILITARY_END, 0) < region[i].military_end:
            new = Phase.RECOVERY
            w[i].military_ends += 1
    elif uniform(key, week, i, Purpose.ONSET, 0) < onset_hazard(i, region, w, p):
        new = Phase.ATROCITY
    elif phase == Phase.TENSION:
        if t >= p[P.THRESHOLD_CRISIS]:
            new = Phase.CRISIS
        elif t < p[P.THRESHOLD_TENSION] - p[P.HYSTERESIS]:
            new = Phase.STABLE
    elif phase == Phase.CRISIS:
        if t < p[P.THRESHOLD_CRISIS] - p[P.HYSTERESIS]:
            new = Phase.TENSION
    elif w[i].phase_weeks >= p[P.RECOVERY_WEEKS] and t < p[P.THRESHOLD_TENSION]:
        new = Phase.STABLE

    if new == Phase.ATROCITY and phase != Phase.ATROCITY:
        w[i].episodes += 1
        w[i].severity = episode_severity(i, w[i].episodes, key, p)
        if w[i].onset_week < 0:
            w[i].onset_week = week
    w[i].phase_weeks = 0 if new != phase else w[i].phase_weeks + 1
    w[i].phase = new
    if new == Phase.ATROCITY:
        w[i].atrocity_weeks += 1
    if new != Phase.RECOVERY and new > w[i].peak_phase:
        w[i].peak_phase = new
