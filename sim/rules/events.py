"""Stage 0: what the scenario says happened. Measures in force at week 0 and scheduled events.

A measure in force (``[[measures]]``) is an instrument active from week 0 at its own intensity
(:func:`sim.state.reset_world` sets it); from then on it follows the normal life cycle
(:mod:`sim.rules.response`): it stands down when the state is stable and the strategy does not
trigger it, and it ends or changes when an event says so. A scheduled event (``[[events]]``)
changes, at the start of its week, a fact of its state: the leadership, a risk factor, salience,
tension, a measure's intensity, a permanent member's interest as its patron, or ends the episode
in atrocity by the perpetrator's military defeat or victory. Events change the region records, so
each replication starts from a fresh copy of them (:mod:`sim.engines.kernel`); the strategy does
not change a measure in force.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from sim.concepts import Phase, Status
from sim.jit import rule
from sim.state import EventCol, Region, World, bit, set_risk, stand_down


class Event(IntEnum):
    """Kinds of scheduled event; ``value`` (``EventCol.VALUE``) means what the comment says."""

    LEADERSHIP = 0  # the new Leadership code
    RISK_GAINED = 1  # index of the risk factor in RISK_FACTORS
    RISK_LOST = 2  # index of the risk factor in RISK_FACTORS
    SALIENCE = 3  # the new salience
    TENSION = 4  # a shock added to tension (result kept in 0..1)
    MEASURE = 5  # the measure's new intensity (0: it ends); EventCol.INSTRUMENT names it
    MILITARY_END = 6  # an episode in atrocity ends by the perpetrator's military defeat or victory
    PATRON = 7  # the member's new interest as the state's patron (0: no longer one); EventCol.MEMBER names it


@rule
def set_measure(i: int, k: int, level: float, w: World) -> None:
    """Put instrument ``k`` in force for state ``i`` at intensity ``level``, or end it (``level`` 0).

    An instrument put in force replaces a pending proposal of it; one that ends goes back to the
    strategy's intensity for when the strategy activates it again.
    """
    status = w[i].status[k]
    if level > 0.0:
        if status == Status.IDLE:
            w[i].underway |= bit(k)
        elif status == Status.PENDING:
            w[i].pending -= 1
        w[i].status[k] = Status.ACTIVE
        w[i].scale[k] = 1.0
        w[i].intensity[k] = level
    elif status == Status.ACTIVE:
        stand_down(i, k, w)


@rule
def end_militarily(i: int, w: World) -> None:
    """State ``i``'s episode in atrocity ends by military defeat or victory (the phase becomes recovery)."""
    if w[i].phase == Phase.ATROCITY:
        w[i].phase = Phase.RECOVERY
        w[i].phase_weeks = 0
        w[i].military_ends += 1


@rule
def undergo_events(i: int, week: int, region: Region, w: World, p: np.ndarray) -> None:
    """Stage 0: the scheduled events of state ``i`` that fall in ``week``, in the order written."""
    s = region[i]
    for e in range(s.n_events):
        if int(s.events[e, EventCol.WEEK]) != week:
            continue
        kind = int(s.events[e, EventCol.KIND])
        value = s.events[e, EventCol.VALUE]
        if kind == Event.LEADERSHIP:
            s.leadership = int(value)
        elif kind == Event.RISK_GAINED or kind == Event.RISK_LOST:
            s.risk[int(value)] = 1 if kind == Event.RISK_GAINED else 0
            set_risk(i, region, p, w)
        elif kind == Event.SALIENCE:
            s.salience = value
        elif kind == Event.TENSION:
            w[i].tension = min(max(w[i].tension + value, 0.0), 1.0)
        elif kind == Event.MEASURE:
            set_measure(i, int(s.events[e, EventCol.INSTRUMENT]), value, w)
        elif kind == Event.PATRON:
            s.patrons[int(s.events[e, EventCol.MEMBER])] = value
        else:
            end_militarily(i, w)
