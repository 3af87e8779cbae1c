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
    Stance,
    Status,
    Strat,
    Tabling,
    Vote,
)
from sim.jit import rule
from sim.parameters import P
from sim.rng import Purpose, uniform
from sim.rules.backlash import consent_factor
from sim.state import Region, World, bit, lowest, stand_down


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
def propose(
    i: int, k: int, week: int, region: Region, w: World, p: np.ndarray, strategy: np.ndarray, table: np.ndarray
) -> None:
    """The deciding actor's week for instrument ``k`` on state ``i`` (stage 6).

    Stand down an active instrument; table a triggered idle one (a Council draft only once the
    Joint Office has warned; an intervention under Article 4(h) only if the state's body holds
    that right); when a wait ends, make a blocked pair idle again, take up an Assembly
    recommendation, or start an instrument that needs neither a vote nor consent.
    """
    status = w[i].status[k]
    if status == Status.ACTIVE:
        if w[i].phase == Phase.STABLE and not _triggered(i, k, w, strategy, table):
            stand_down(i, k, w)
    elif status == Status.IDLE:
        council = table[k, Col.COUNCIL] > 0
        allowed = table[k, Col.ARTICLE_4H] == 0 or region[i].article_4h > 0
        if allowed and _triggered(i, k, w, strategy, table) and (not council or w[i].warned_week >= 0):
            w[i].status[k] = Status.PENDING
            w[i].underway |= bit(k)
            w[i].pending += 1
            wait = int(strategy[k, Strat.DELAY])
            if council:
                wait += int(p[P.DELIBERATION_WEEKS])
            w[i].timer[k] = week + max(wait, 1)
    elif week >= w[i].timer[k]:
        if status == Status.BLOCKED:
            stand_down(i, k, w)
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
    region: Region,
    w: World,
    p: np.ndarray,
    strategy: np.ndarray,
    table: np.ndarray,
) -> None:
    """:func:`propose` for each pair of ``runs`` (rows of :class:`sim.deciders.Deciders` ``runs``, or
    of ``Deciders.by_state``: the order of the pairs changes nothing).

    First the idle instruments whose trigger perceived risk has reached, in the run's ascending
    order of trigger (``Deciders.rank``), up to the first that it has not (:func:`propose` would
    change nothing for it or the idle ones after it; credibility only lowers perceived risk);
    then the run's instruments under way (``World.underway``), as they were before.
    """
    low = lowest_trigger(strategy)
    for r in range(runs.shape[0]):
        i = runs[r, 0]
        under_way = w[i].underway & np.uint64(runs[r, 3])
        perceived = w[i].perceived
        if under_way == 0 and perceived < low:
            continue  # the common case, decided without reading the run's pairs
        for row in range(runs[r, 1], runs[r, 2]):
            k = pairs[row, 1]
            if w[i].status[k] == Status.IDLE:
                if strategy[k, Strat.ENABLED] == 0 or perceived < strategy[k, Strat.TRIGGER]:
                    break
                propose(i, k, week, region, w, p, strategy, table)
        while under_way:
            k, under_way = lowest(under_way)
            propose(i, k, week, region, w, p, strategy, table)


@rule
def draft_due(i: int, k: int, week: int, region: Region, w: World, p: np.ndarray, table: np.ndarray) -> bool:
    """A draft resolution on instrument ``k`` for state ``i`` is ready for the vote this week.

    Its deliberation has ended and, if the state has a penholder, the penholder tables it: only
    once public pressure reaches ``penholder_pressure``, and never while it is itself a patron of
    the state (then the draft waits).
    """
    if not (w[i].status[k] == Status.PENDING and table[k, Col.COUNCIL] > 0 and week >= w[i].timer[k]):
        return False
    pen = region[i].penholder
    return pen < 0 or (region[i].patrons[pen] == 0.0 and w[i].pressure >= p[P.PENHOLDER_PRESSURE])


@rule
def due_drafts(week: int, region: Region, w: World, p: np.ndarray, table: np.ndarray, out: np.ndarray) -> int:
    """Write the (state, instrument) rows of this week's due drafts into ``out``; return how many."""
    n = 0
    for i in range(w.shape[0]):
        if w[i].pending == 0:
            continue
        for k in range(N_INSTRUMENTS):
            if draft_due(i, k, week, region, w, p, table):
                out[n, 0] = i
                out[n, 1] = k
                n += 1
    return n


@rule
def comes_before(j: int, m: int, i: int, k: int, w: World) -> bool:
    """Draft (``j``, ``m``) comes before draft (``i``, ``k``) on the agenda: the state of higher
    perceived risk first, ties by state index, then by instrument index."""
    if w[j].perceived != w[i].perceived:
        return w[j].perceived > w[i].perceived
    return j < i or (j == i and m < k)


@rule
def agenda_cutoff(week: int, region: Region, w: World, p: np.ndarray, table: np.ndarray) -> tuple[int, int]:
    """The last due draft the Council takes up this week, at most ``council_drafts_per_week`` in
    agenda order (:func:`comes_before`); (-1, -1) when every due draft is taken up."""
    limit = int(p[P.COUNCIL_DRAFTS_PER_WEEK])
    n = 0
    for i in range(w.shape[0]):
        if w[i].pending > 0:
            for k in range(N_INSTRUMENTS):
                if draft_due(i, k, week, region, w, p, table):
                    n += 1
    if n <= limit:
        return -1, -1
    for i in range(w.shape[0]):
        if w[i].pending > 0:
            for k in range(N_INSTRUMENTS):
                if draft_due(i, k, week, region, w, p, table):
                    rank = 0
                    for j in range(w.shape[0]):
                        if w[j].pending > 0:
                            for m in range(N_INSTRUMENTS):
                                if draft_due(j, m, week, region, w, p, table) and comes_before(j, m, i, k, w):
                                    rank += 1
                    if rank == limit - 1:
                        return i, k
    return -1, -1


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

    Only a P5 patron of the state considers a veto, with a propensity scaled by its interest in
    the state; public pressure and, in manifest failure, the veto-restraint norm (for the members
    that hold it) make it less likely. A patron that does not veto abstains. Other P5 members
    abstain with probability ``p5_abstain``. An elected member that follows a regional body votes
    its body's stance; the others vote yes with a probability that grows with public pressure.
    Seats 0 to 4 are the P5 in the order of ``concepts.P5``.
    """
    pressure = w[i].pressure
    manifest = w[i].perceived >= p[P.MANIFEST_FAILURE]
    restraint = int(p[P.VETO_RESTRAINT])
    yes_elected = min(p[P.ELECTED_YES] + p[P.PRESSURE_YES] * pressure, 1.0)
    veto = table[k, Col.VETO_BASE] * (1.0 - p[P.VETO_PRESSURE_CUT] * pressure)
    for seat in range(COUNCIL_SEATS):
        u = uniform(key, week, i, Purpose.VOTE, k * COUNCIL_SEATS + seat)
        if seat >= N_P5:
            stance = region[i].bloc[seat - N_P5]
            if stance == Stance.SUPPORT or (stance == Stance.MANIFEST_FAILURE and manifest):
                votes[seat] = Vote.YES
            elif stance == Stance.OPPOSE:
                votes[seat] = Vote.NO
            else:
                votes[seat] = Vote.YES if u < yes_elected else Vote.NO
        elif region[i].patrons[seat] > 0.0:
            propensity = veto * region[i].patrons[seat]
            if (restraint >> seat) & 1 and manifest:
                propensity *= 1.0 - p[P.VETO_RESTRAINT_STRENGTH]
            votes[seat] = Vote.NO if u < propensity else Vote.ABSTAIN
        else:
            votes[seat] = Vote.ABSTAIN if u < p[P.P5_ABSTAIN] else Vote.YES


@rule
def threatened(votes: np.ndarray) -> bool:
    """A permanent member would veto the draft (a NO among seats 0 to 4)."""
    noes = 0
    for seat in range(N_P5):
        if votes[seat] == Vote.NO:
            noes += 1
    return noes > 0


@rule
def penholder_choice(i: int, k: int, week: int, key: np.uint64, w: World, p: np.ndarray, table: np.ndarray) -> int:
    """The :class:`~sim.concepts.Tabling` of a draft a patron would veto.

    With probability ``threat_public_veto`` the penholder forces the veto into the open;
    otherwise, with probability ``threat_water_down``, it waters the draft down to the
    instrument's weaker measure (only if there is one and it is idle for the state), else it
    withdraws the draft.
    """
    public = p[P.THREAT_PUBLIC_VETO]
    if public >= 1.0:
        return Tabling.VOTED
    u = uniform(key, week, i, Purpose.THREAT, k)
    if u < public:
        return Tabling.VOTED
    weaker = int(table[k, Col.WEAKER])
    if weaker >= 0 and w[i].status[weaker] == Status.IDLE and u < public + (1.0 - public) * p[P.THREAT_WATER_DOWN]:
        return Tabling.WATERED_DOWN
    return Tabling.WITHDRAWN


@rule
def settle_threat(i: int, k: int, week: int, tabling: int, w: World, p: np.ndarray) -> None:
    """A draft withdrawn or watered down under a veto threat is blocked until it can be tabled again."""
    w[i].pending -= 1
    if tabling == Tabling.WATERED_DOWN:
        w[i].watered_down += 1
    else:
        w[i].withdrawn += 1
    _block(i, k, week, w, p)


@rule
def settle_weaker(i: int, m: int, week: int, tabling: int, adopted: bool, w: World, table: np.ndarray) -> None:
    """Act on the vote on the weaker measure ``m`` of a watered-down draft (idle until now): adopted
    -> active; withdrawn in turn under a veto threat (counted) or failed -> it stays idle."""
    if tabling == Tabling.WITHDRAWN:
        w[i].withdrawn += 1
    elif adopted:
        w[i].underway |= bit(m)
        _activate(i, m, week, 1.0, w, table)


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
def take_up_draft(
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
    """The Council's whole handling of one due draft, as the kernel runs it (the Mesa
    ``SecurityCouncil.vote`` runs the same steps with its own :meth:`ballots`): ballots; under a
    veto threat the penholder's choice; the tally; acting on the result."""
    council_ballots(i, k, week, key, region, w, p, table, votes)
    tabling = penholder_choice(i, k, week, key, w, p, table) if threatened(votes) else Tabling.VOTED
    if tabling == Tabling.VOTED:
        adopted, vetoes = tally(votes)
        settle_draft(i, k, week, adopted, vetoes, w, p, table)
        return
    settle_threat(i, k, week, tabling, w, p)
    if tabling == Tabling.WATERED_DOWN:
        m = int(table[k, Col.WEAKER])
        council_ballots(i, m, week, key, region, w, p, table, votes)
        again = Tabling.WITHDRAWN if threatened(votes) else Tabling.VOTED
        adopted, _ = tally(votes)
        settle_weaker(i, m, week, again, adopted, w, table)


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
