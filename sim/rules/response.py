"""Decisions: each instrument for each state follows one life cycle, each step with its decider.

``IDLE`` -> (perceived risk reaches the strategy's trigger) -> ``PENDING`` for the strategy's
delay (plus Council deliberation) -> a decision: a Council vote (P5 veto), the host state's
consent, or none -> ``ACTIVE``; a veto or refusal -> ``BLOCKED`` until the draft or offer can be
made again, or, with Uniting for Peace, ``ASSEMBLY_PENDING`` -> a weaker General Assembly
recommendation. An active instrument stands down when the state is stable and perceived risk
is below its trigger again.

Three deciders share the life cycle (stages 6 to 8 of :mod:`sim.schedule`, in this order):

* the pair's deciding actor (:mod:`sim.deciders`) in :func:`propose`: tables a draft or an offer
  when triggered, starts an instrument nobody has to approve, re-tables after a failure, takes
  up an Assembly recommendation, stands down;
* the Security Council on every due draft resolution, whoever tabled it (including
  ``chapter8_regional``): :func:`council_ballots` (the members' votes), :func:`tally` and
  :func:`settle_draft`;
* the host state on every due offer of help: :func:`consents` and :func:`settle_offer`.

A proposal's wait is at least one week, so no draft or offer is settled in the week it is made;
each step acts on statuses the later ones leave alone, so a pair changes at most once a week.
"""

from __future__ import annotations

import numpy as np

from sim.concepts import (
    AFFIRMATIVE_VOTES_NEEDED,
    COUNCIL_SEATS,
    N_INSTRUMENTS,
    N_P5,
    Actor,
    Col,
    Phase,
    Status,
    Strat,
    Vote,
)
from sim.jit import rule
from sim.parameters import P
from sim.rng import Purpose, uniform
from sim.rules.backlash import consent_factor
from sim.state import STRATEGY_INTENSITY, Region, World


@rule
def _activate(i: int, k: int, week: int, scale: float, w: World, table: np.ndarray) -> None:
    w[i].status[k] = Status.ACTIVE
    w[i].scale[k] = scale
    w[i].used[k] = 1
    pillar = int(table[k, Col.PILLAR]) - 1
    if w[i].first_response[pillar] < 0:
        w[i].first_response[pillar] = week


@rule
def _block(i: int, k: int, week: int, w: World, p: np.ndarray) -> None:
    w[i].status[k] = Status.BLOCKED
    w[i].timer[k] = week + int(p[P.RETABLE_WEEKS])


@rule
def _triggered(i: int, k: int, w: World, strategy: np.ndarray, table: np.ndarray) -> bool:
    """Perceived risk reaches the trigger; the Council and regional bodies weigh it by the
    credibility of warnings about the state (:mod:`sim.rules.credibility`)."""
    perceived = w[i].perceived
    if w[i].credibility < 1.0:
        actor = int(table[k, Col.ACTOR])
        if actor == Actor.SECURITY_COUNCIL or actor == Actor.REGIONAL_BODY:
            perceived *= w[i].credibility
    return strategy[k, Strat.ENABLED] > 0 and perceived >= strategy[k, Strat.TRIGGER]


@rule
def propose(i: int, k: int, week: int, w: World, p: np.ndarray, strategy: np.ndarray, table: np.ndarray) -> None:
    """The deciding actor's week for instrument ``k`` on state ``i`` (stage 6).

    Stand down an active instrument; table a triggered idle one (a Council draft only once the
    Joint Office has warned); when a wait ends, make a blocked pair idle again, take up an
    Assembly recommendation, or start an instrument that needs neither a vote nor consent.
    """
    status = w[i].status[k]
    if status == Status.ACTIVE:
        if w[i].phase == Phase.STABLE and not _triggered(i, k, w, strategy, table):
            w[i].status[k] = Status.IDLE
            w[i].scale[k] = 0.0
            w[i].busy -= 1
            w[i].intensity[k] = STRATEGY_INTENSITY
    elif status == Status.IDLE:
        council = table[k, Col.COUNCIL] > 0
        if _triggered(i, k, w, strategy, table) and (not council or w[i].warned_week >= 0):
            w[i].status[k] = Status.PENDING
            w[i].busy += 1
            w[i].pending += 1
            wait = int(strategy[k, Strat.DELAY])
            if council:
                wait += int(p[P.DELIBERATION_WEEKS])
            w[i].timer[k] = week + max(wait, 1)
    elif week >= w[i].timer[k]:
        if status == Status.BLOCKED:
            w[i].status[k] = Status.IDLE
            w[i].busy -= 1
        elif status == Status.ASSEMBLY_PENDING:
            _activate(i, k, week, p[P.ASSEMBLY_EFFECT], w, table)
        elif table[k, Col.COUNCIL] == 0 and table[k, Col.CONSENT] == 0:
            w[i].pending -= 1
            _activate(i, k, week, 1.0, w, table)


@rule
def lowest_trigger(strategy: np.ndarray) -> float:
    """Lowest trigger among enabled instruments (2.0 if none is enabled)."""
    low = 2.0
    for k in range(N_INSTRUMENTS):
        if strategy[k, Strat.ENABLED] > 0 and strategy[k, Strat.TRIGGER] < low:
            low = strategy[k, Strat.TRIGGER]
    return low


@rule
def propose_portfolio(
    pairs: np.ndarray,
    runs: np.ndarray,
    week: int,
    w: World,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
) -> None:
    """:func:`propose` for each pair of ``runs`` (rows of :class:`sim.deciders.Deciders` ``runs``).

    A run of a state with no instrument under way and perceived risk below every trigger is
    passed over: :func:`propose` would change nothing for it.
    """
    low = lowest_trigger(strategy)
    for r in range(runs.shape[0]):
        i = runs[r, 0]
        if w[i].busy > 0 or w[i].perceived >= low:
            for row in range(runs[r, 1], runs[r, 2]):
                propose(i, pairs[row, 1], week, w, p, strategy, table)


@rule
def draft_due(i: int, k: int, week: int, w: World, table: np.ndarray) -> bool:
    """A draft resolution on instrument ``k`` for state ``i`` comes to the vote this week."""
    return w[i].status[k] == Status.PENDING and table[k, Col.COUNCIL] > 0 and week >= w[i].timer[k]


@rule
def due_drafts(week: int, w: World, table: np.ndarray, out: np.ndarray) -> int:
    """Write the (state, instrument) rows of this week's due drafts into ``out``; return how many."""
    n = 0
    for i in range(w.shape[0]):
        if w[i].pending == 0:
            continue
        for k in range(N_INSTRUMENTS):
            if draft_due(i, k, week, w, table):
                out[n, 0] = i
                out[n, 1] = k
                n += 1
    return n


@rule
def council_ballots(
    i: int,
    k: int,
    week: int,
    key: np.uint64,
    region: Region,
    w: World,
    p: np.ndarray,
    table: np.ndarray,
    votes: np.ndarray,
) -> None:
    """The 15 members' votes (:class:`~sim.concepts.Vote`) on a draft for instrument ``k`` on state ``i``.

    Only a P5 patron of the state considers a veto; public pressure and, in manifest failure, the
    veto-restraint norm make it less likely. A patron that does not veto abstains. Other P5
    members abstain with probability ``p5_abstain``; elected members vote yes with a probability
    that grows with public pressure. Seats 0 to 4 are the P5 in the order of ``concepts.P5``.
    """
    pressure = w[i].pressure
    yes_elected = min(p[P.ELECTED_YES] + p[P.PRESSURE_YES] * pressure, 1.0)
    veto = table[k, Col.VETO_BASE] * (1.0 - p[P.VETO_PRESSURE_CUT] * pressure)
    if p[P.VETO_RESTRAINT] > 0 and w[i].perceived >= p[P.MANIFEST_FAILURE]:
        veto *= 1.0 - p[P.VETO_RESTRAINT_STRENGTH]
    for seat in range(COUNCIL_SEATS):
        u = uniform(key, week, i, Purpose.VOTE, k * COUNCIL_SEATS + seat)
        if seat >= N_P5:
            votes[seat] = Vote.YES if u < yes_elected else Vote.NO
        elif seat == region[i].patron:
            votes[seat] = Vote.NO if u < veto else Vote.ABSTAIN
        else:
            votes[seat] = Vote.ABSTAIN if u < p[P.P5_ABSTAIN] else Vote.YES


@rule
def tally(votes: np.ndarray) -> tuple[bool, int]:
    """Adoption needs nine yes votes and no veto (a permanent member's no).

    Returns
    -------
    adopted, vetoes
    """
    yes = 0
    vetoes = 0
    for seat in range(COUNCIL_SEATS):
        if votes[seat] == Vote.YES:
            yes += 1
        elif votes[seat] == Vote.NO and seat < N_P5:
            vetoes += 1
    return vetoes == 0 and yes >= AFFIRMATIVE_VOTES_NEEDED, vetoes


@rule
def settle_draft(
    i: int, k: int, week: int, adopted: bool, vetoes: int, w: World, p: np.ndarray, table: np.ndarray
) -> None:
    """Act on a vote: adopted -> active; vetoed, with Uniting for Peace -> the Assembly; else blocked."""
    w[i].vetoes += vetoes
    w[i].pending -= 1
    if adopted:
        _activate(i, k, week, 1.0, w, table)
    elif vetoes > 0 and p[P.UNITING_FOR_PEACE] > 0 and table[k, Col.ASSEMBLY] > 0:
        w[i].status[k] = Status.ASSEMBLY_PENDING
        w[i].timer[k] = week + int(p[P.ASSEMBLY_DELAY])
        w[i].assembly = 1
    else:
        _block(i, k, week, w, p)


@rule
def offer_due(i: int, k: int, week: int, w: World, table: np.ndarray) -> bool:
    """An offer of instrument ``k`` awaits state ``i``'s consent this week."""
    return (
        w[i].status[k] == Status.PENDING
        and table[k, Col.CONSENT] > 0
        and table[k, Col.COUNCIL] == 0
        and week >= w[i].timer[k]
    )


@rule
def due_offers(i: int, week: int, w: World, table: np.ndarray, out: np.ndarray) -> int:
    """Write the instruments offered to state ``i`` and due this week into ``out``; return how many."""
    n = 0
    if w[i].pending == 0:
        return 0
    for k in range(N_INSTRUMENTS):
        if offer_due(i, k, week, w, table):
            out[n] = k
            n += 1
    return n


@rule
def consents(i: int, k: int, week: int, key: np.uint64, region: Region, w: World, p: np.ndarray) -> bool:
    """State ``i`` accepts the offer of instrument ``k``, with the probability of its leadership,
    lowered by its resentment of intrusive measures (:func:`sim.rules.backlash.consent_factor`)."""
    return uniform(key, week, i, Purpose.CONSENT, k) < p[P.CONSENT_RESILIENT + region[i].leadership] * consent_factor(
        i, w, p
    )


@rule
def settle_offer(i: int, k: int, week: int, given: bool, w: World, p: np.ndarray, table: np.ndarray) -> None:
    """Consent -> active; refusal -> blocked until the offer can be renewed."""
    w[i].pending -= 1
    if given:
        _activate(i, k, week, 1.0, w, table)
    else:
        _block(i, k, week, w, p)
