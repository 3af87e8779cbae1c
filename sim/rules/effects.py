"""Stage 10: effects. Active instruments act on the state through five channels.

Relief lowers tension, capacity gains close part of the gap to full Pillar I capacity,
protection presence prevents killing, deterrence lowers onset hazard and killing intensity, and
information lowers early-warning noise. Relief, capacity and deterrence are scaled by how
receptive the leadership is to the instrument's pillar; Pillar II help and Chapter VIII action
are scaled by the capacity of the body that delivers them, and deployments and mediation by the
share the region's pools can meet (:mod:`sim.rules.capacity`). The same doses drive the side
effects (:mod:`sim.rules.backlash`) and the perpetrator's calculus (:mod:`sim.rules.perpetrator`).
The channels act from next week on.
"""

from __future__ import annotations

import numpy as np

from sim.concepts import Col, Leadership, Pillar, Status
from sim.jit import rule
from sim.parameters import P
from sim.rules.backlash import react
from sim.rules.dose import FORCE, ICC, POOL, dose, level
from sim.rules.perpetrator import weigh_punishment
from sim.state import Region, World, bit, lowest

RECEPTIVENESS = np.array(
    [[P[f"PILLAR{int(pillar)}_{lead.name}"] for lead in Leadership] for pillar in Pillar], np.int64
)
"""Index in the parameter vector of ``pillar<P>_<leadership>``, by pillar (row P - 1) and leadership."""


@rule
def active_instruments(i: int, w: World) -> np.uint64:
    """Bit ``k`` set for each instrument ``k`` active for state ``i``, from its instruments under way.

    The effects loop visits only these, in ascending ``k`` (the order of the channel sums); 64 bits
    hold every instrument.
    """
    active = np.uint64(0)
    under_way = w[i].underway
    while under_way:
        k, under_way = lowest(under_way)
        if w[i].status[k] == Status.ACTIVE:
            active |= bit(k)
    return active


@rule
def apply_effects(i: int, region: Region, w: World, p: np.ndarray, strategy: np.ndarray, table: np.ndarray) -> None:
    """Sum the channels of the instruments active for state ``i``, accrue their cost, and let the
    state and its perpetrator react."""
    lead = region[i].leadership
    relief = 0.0
    capacity = 0.0
    protection = 0.0
    deterrence = 0.0
    information = 0.0
    cost = 0.0
    intrusive = 0.0
    coercion = 0.0
    sanction = 0.0
    force = 0.0
    icc = 0.0
    active = active_instruments(i, w)
    while active:
        k, active = lowest(active)
        d = dose(i, k, region, w, strategy, table)
        pool = POOL[k]
        if pool >= 0 and w[i].pool_share[pool] < 1.0:
            w[i].shortfall += d * (1.0 - w[i].pool_share[pool])
            d *= w[i].pool_share[pool]
        receptive = d * p[RECEPTIVENESS[int(table[k, Col.PILLAR]) - 1, lead]]
        relief += table[k, Col.RELIEF] * receptive
        capacity += table[k, Col.CAPACITY] * receptive
        deterrence += table[k, Col.DETERRENCE] * receptive
        protection += table[k, Col.PROTECTION] * d
        information += table[k, Col.INFORMATION] * d
        cost += table[k, Col.COST] * level(i, k, w, strategy) * w[i].scale[k]
        intrusive += table[k, Col.INTRUSIVE] * d
        coercion += table[k, Col.COERCIVE] * d
        sanction += table[k, Col.SANCTION] * d
        if FORCE[k]:
            force += d
        if k == ICC:
            icc += d
    w[i].relief = relief
    w[i].capacity += min(capacity, 1.0) * (1.0 - w[i].capacity)
    w[i].protection = protection
    w[i].deterrence = deterrence
    w[i].information = information
    w[i].cost += cost
    react(i, intrusive, sanction, region, w, p)
    weigh_punishment(i, force, icc, coercion, sanction, region, w, p)
