"""Stage 9: effects. Active instruments act on the state through five channels.

Relief lowers tension, capacity gains close part of the gap to full Pillar I capacity,
protection presence prevents killing, deterrence lowers onset hazard and killing intensity, and
information lowers early-warning noise. Relief, capacity and deterrence are scaled by how
receptive the leadership is to the instrument's pillar; Pillar II help and Chapter VIII action
are scaled by the capacity of the body that delivers them. The channels act from next week on.
"""

from __future__ import annotations

import numpy as np

from sim.concepts import N_INSTRUMENTS, Actor, Col, Leadership, Pillar, Status, Strat
from sim.jit import rule
from sim.parameters import P
from sim.state import Region, World

RECEPTIVENESS = np.array(
    [[P[f"PILLAR{int(pillar)}_{lead.name}"] for lead in Leadership] for pillar in Pillar], np.int64
)
"""Index in the parameter vector of ``pillar<P>_<leadership>``, by pillar (row P - 1) and leadership."""


@rule
def apply_effects(i: int, region: Region, w: World, p: np.ndarray, strategy: np.ndarray, table: np.ndarray) -> None:
    """Sum the channels of the instruments active for state ``i`` and accrue their cost.

    An instrument acts at the strategy's intensity, or a measure in force at its own
    (``World.intensity``, :mod:`sim.rules.events`).
    """
    lead = region[i].leadership
    relief = 0.0
    capacity = 0.0
    protection = 0.0
    deterrence = 0.0
    information = 0.0
    cost = 0.0
    for k in range(N_INSTRUMENTS):
        if w[i].status[k] != Status.ACTIVE:
            continue
        level = w[i].intensity[k]
        if level < 0.0:
            level = strategy[k, Strat.INTENSITY]
        dose = level * w[i].scale[k]
        if int(table[k, Col.ACTOR]) == Actor.REGIONAL_BODY:
            dose *= region[i].body_capacity
        receptive = dose * p[RECEPTIVENESS[int(table[k, Col.PILLAR]) - 1, lead]]
        relief += table[k, Col.RELIEF] * receptive
        capacity += table[k, Col.CAPACITY] * receptive
        deterrence += table[k, Col.DETERRENCE] * receptive
        protection += table[k, Col.PROTECTION] * dose
        information += table[k, Col.INFORMATION] * dose
        cost += table[k, Col.COST] * level * w[i].scale[k]
    w[i].relief = relief
    w[i].capacity += min(capacity, 1.0) * (1.0 - w[i].capacity)
    w[i].protection = protection
    w[i].deterrence = deterrence
    w[i].information = information
    w[i].cost += cost
