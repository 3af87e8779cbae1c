"""Stage 6: decisions. Each instrument for each state follows one life cycle.

``IDLE`` -> (perceived risk reaches the strategy's trigger) -> ``PENDING`` for the strategy's
delay (plus Council deliberation) -> a decision: a Council vote (P5 veto), the host state's
consent, or none -> ``ACTIVE``; a veto or refusal -> ``BLOCKED`` until the draft or offer can be
made again, or, with Uniting for Peace, ``ASSEMBLY_PENDING`` -> a weaker General Assembly
recommendation. An active instrument stands down when the state is stable and perceived risk
is below its trigger again.
"""

from __future__ import annotations

import numpy as np

from sim.concepts import (
    AFFIRMATIVE_VOTES_NEEDED,
    COUNCIL_SEATS,
    N_INSTRUMENTS,
    N_P5,
    Col,
    Phase,
    Status,
    Strat,
)
from sim.jit import rule
from sim.parameters import P
from sim.rng import Purpose, uniform
from sim.state import Region, World


@rule
def council_vote(
    i: int, k: int, week: int, key: np.uint64, region: Region, w: World, p: np.ndarray, table: np.ndarray
) -> tuple[bool, int]:
    """Vote of the 15 Council members on a draft resolution for instrument ``k`` on state ``i``.

    Only a P5 patron of the state considers a veto; public pressure and, in manifest failure, the
    veto-restraint norm make it less likely. A patron that does not veto abstains. Other P5
    members abstain with probability ``p5_abstain``; elected members vote yes with a probability
    that grows with public pressure. Adoption needs nine yes votes and no veto.

    Returns
    -------
    adopted, vetoes
    """
    pressure = w[i].pressure
    yes_elected = min(p[P.ELECTED_YES] + p[P.PRESSURE_YES] * pressure, 1.0)
    veto = table[k, Col.VETO_BASE] * (1.0 - p[P.VETO_PRESSURE_CUT] * pressure)
    if p[P.VETO_RESTRAINT] > 0 and w[i].perceived >= p[P.MANIFEST_FAILURE]:
        veto *= 1.0 - p[P.VETO_RESTRAINT_STRENGTH]
    yes = 0
    vetoes = 0
    for seat in range(COUNCIL_SEATS):
        u = uniform(key, week, i, Purpose.VOTE, k * COUNCIL_SEATS + seat)
        if seat >= N_P5:
            yes += u < yes_elected
        elif seat == region[i].patron:
            vetoes += u < veto
        else:
            yes += u >= p[P.P5_ABSTAIN]
    return vetoes == 0 and yes >= AFFIRMATIVE_VOTES_NEEDED, vetoes


@rule
def _activate(i: int, k: int, week: int, scale: float, w: World, table: np.ndarray) -> None:
    w[i].status[k] = Status.ACTIVE
    w[i].scale[k] = scale
    w[i].used[k] = 1
    pillar = int(table[k, Col.PILLAR]) - 1
    if w[i].first_response[pillar] < 0:
        w[i].first_response[pillar] = week


@rule
def _triggered(i: int, k: int, w: World, strategy: np.ndarray) -> bool:
    return strategy[k, Strat.ENABLED] > 0 and w[i].perceived >= strategy[k, Strat.TRIGGER]


@rule
def _resolve(
    i: int,
    k: int,
    week: int,
    key: np.uint64,
    region: Region,
    w: World,
    p: np.ndarray,
    table: np.ndarray,
) -> None:
    """The decision that ends a wait: a Council vote, the host state's consent, or none."""
    status = w[i].status[k]
    if status == Status.BLOCKED:
        w[i].status[k] = Status.IDLE
    elif status == Status.ASSEMBLY_PENDING:
        _activate(i, k, week, p[P.ASSEMBLY_EFFECT], w, table)
    elif table[k, Col.COUNCIL] > 0:
        adopted, vetoes = council_vote(i, k, week, key, region, w, p, table)
        w[i].vetoes += vetoes
        if adopted:
            _activate(i, k, week, 1.0, w, table)
        elif vetoes > 0 and p[P.UNITING_FOR_PEACE] > 0 and table[k, Col.ASSEMBLY] > 0:
            w[i].status[k] = Status.ASSEMBLY_PENDING
            w[i].timer[k] = week + int(p[P.ASSEMBLY_DELAY])
            w[i].assembly = 1
        else:
            w[i].status[k] = Status.BLOCKED
            w[i].timer[k] = week + int(p[P.RETABLE_WEEKS])
    elif table[k, Col.CONSENT] > 0:
        consent = p[P.CONSENT_RESILIENT + region[i].leadership]
        if uniform(key, week, i, Purpose.CONSENT, k) < consent:
            _activate(i, k, week, 1.0, w, table)
        else:
            w[i].status[k] = Status.BLOCKED
            w[i].timer[k] = week + int(p[P.RETABLE_WEEKS])
    else:
        _activate(i, k, week, 1.0, w, table)


@rule
def decide(
    i: int,
    k: int,
    week: int,
    key: np.uint64,
    region: Region,
    w: World,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
) -> None:
    """Advance instrument ``k`` for state ``i`` by one week of its life cycle."""
    status = w[i].status[k]
    if status == Status.ACTIVE:
        if w[i].phase == Phase.STABLE and not _triggered(i, k, w, strategy):
            w[i].status[k] = Status.IDLE
            w[i].scale[k] = 0.0
    elif status == Status.IDLE:
        council = table[k, Col.COUNCIL] > 0
        if _triggered(i, k, w, strategy) and (not council or w[i].warned_week >= 0):
            w[i].status[k] = Status.PENDING
            wait = int(strategy[k, Strat.DELAY])
            if council:
                wait += int(p[P.DELIBERATION_WEEKS])
            w[i].timer[k] = week + wait
    elif week >= w[i].timer[k]:
        _resolve(i, k, week, key, region, w, p, table)


@rule
def lowest_trigger(strategy: np.ndarray) -> float:
    """Lowest trigger among enabled instruments (2.0 if none is enabled)."""
    low = 2.0
    for k in range(N_INSTRUMENTS):
        if strategy[k, Strat.ENABLED] > 0 and strategy[k, Strat.TRIGGER] < low:
            low = strategy[k, Strat.TRIGGER]
    return low


@rule
def decide_portfolio(
    pairs: np.ndarray,
    week: int,
    key: np.uint64,
    region: Region,
    w: World,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
) -> None:
    """:func:`decide` for each (state, instrument) row of ``pairs``, as one actor does in a week."""
    for row in range(pairs.shape[0]):
        decide(pairs[row, 0], pairs[row, 1], week, key, region, w, p, strategy, table)
