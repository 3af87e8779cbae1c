"""Who decides what: the (state, instrument) -> actor assignment both engines use.

Actors are numbered once: the states (``0 .. n - 1``, in scenario order), the regional and
sub-regional bodies (``n .. n + b - 1``, in file order), then the Security Council, the
Secretary-General and Joint Office, and civil society. Each (state, instrument) pair has exactly
one deciding actor, fixed by the instrument's actor kind (:data:`sim.concepts.INSTRUMENTS`):

* ``STATE``: the state itself (Pillar I);
* ``REGIONAL_BODY``: the most capable body the state belongs to (:func:`most_capable_body`), or
  the Joint Office for a state that belongs to none;
* ``SECURITY_COUNCIL``, ``JOINT_OFFICE``, ``CIVIL_SOCIETY``: the one actor of that kind.

The deciding actor proposes an instrument and stands it down; whoever proposed it, a draft
resolution is voted on by the Council and offered help is accepted or refused by the host state
(:mod:`sim.rules.response`). The Numba kernel loops over :attr:`Deciders.pairs`; each Mesa agent
gets its own rows of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from sim.concepts import INSTRUMENTS, N_INSTRUMENTS, Actor, Strat

if TYPE_CHECKING:
    from sim.scenario import BodySpec

UN_ACTORS = (Actor.SECURITY_COUNCIL, Actor.JOINT_OFFICE, Actor.CIVIL_SOCIETY)
"""The single actors numbered after the bodies, in this order."""


def most_capable_body(state: str, bodies: Sequence[BodySpec]) -> int:
    """Index in ``bodies`` of the most capable body ``state`` belongs to (the first on a tie), or -1."""
    best = -1
    for b, body in enumerate(bodies):
        if state in body.members and (best < 0 or body.capacity > bodies[best].capacity):
            best = b
    return best


def delivery_capacity(state: str, bodies: Sequence[BodySpec], un_capacity: float) -> float:
    """Capacity with which Pillar II help and Chapter VIII action reach ``state``.

    That of its most capable body, or ``un_capacity`` (``un_delivery_capacity``) when the UN
    system delivers because the state belongs to no body.
    """
    b = most_capable_body(state, bodies)
    return bodies[b].capacity if b >= 0 else un_capacity


class Deciders(NamedTuple):
    """The actors of a scenario and the pairs each one decides.

    Attributes
    ----------
    kind
        ``(n_actors,)`` :class:`~sim.concepts.Actor` code of each actor.
    body
        ``(n_actors,)`` index in the scenario's bodies of a body actor, -1 for the others.
    decider
        ``(n_states, N_INSTRUMENTS)`` the actor deciding each (state, instrument) pair.
    pairs
        ``(n_pairs, 2)`` every (state, instrument) pair of a targeted state, grouped by decider,
        then by state, then in ascending ``rank`` of the instrument.
    start
        ``(n_actors + 1,)``: actor ``a`` decides ``pairs[start[a]:start[a + 1]]``.
    runs
        ``(n_runs, 4)``: (state, first row, end row, instruments) of each stretch of ``pairs`` one
        actor decides for one state, grouped by actor like ``pairs``; ``instruments`` holds bit
        ``k`` for each instrument ``k`` of the stretch (:func:`sim.state.bit`).
    run_start
        ``(n_actors + 1,)``: actor ``a``'s runs are ``runs[run_start[a]:run_start[a + 1]]``.
    rank
        ``(N_INSTRUMENTS,)`` position of each instrument in the order its pairs take within a
        run (:func:`trigger_rank`; instrument order if no strategy was given).
    """

    kind: np.ndarray
    body: np.ndarray
    decider: np.ndarray
    pairs: np.ndarray
    start: np.ndarray
    runs: np.ndarray
    run_start: np.ndarray
    rank: np.ndarray

    def actor(self, kind: Actor) -> int:
        """Number of the single actor of ``kind`` (Security Council, Joint Office or civil society)."""
        return len(self.kind) - len(UN_ACTORS) + UN_ACTORS.index(kind)

    def portfolio(self, actor: int) -> np.ndarray:
        """The (state, instrument) rows that ``actor`` decides."""
        return self.pairs[self.start[actor] : self.start[actor + 1]]

    def actor_runs(self, actor: int) -> np.ndarray:
        """The rows of ``runs`` of ``actor``."""
        return self.runs[self.run_start[actor] : self.run_start[actor + 1]]

    def by_state(self) -> tuple[np.ndarray, np.ndarray]:
        """``pairs`` sorted by state, then ``rank``, and one run a state over them.

        The kernel decides the pairs in this order (:func:`sim.rules.response.propose_portfolio`):
        a pair's decision does not depend on which actor makes it or on the other pairs' decisions
        of the week, so the order changes nothing, and a quiet state is passed over once a week,
        not once for each of its deciders.

        Returns
        -------
        pairs : ``(n_pairs, 2)`` int array
        runs : ``(n_states_decided, 4)`` int array, as ``runs``
        """
        pairs = np.ascontiguousarray(self.pairs[np.lexsort((self.rank[self.pairs[:, 1]], self.pairs[:, 0]))])
        return pairs, stretches(pairs, np.flatnonzero(np.r_[True, pairs[1:, 0] != pairs[:-1, 0]]))


def stretches(pairs: np.ndarray, first: np.ndarray) -> np.ndarray:
    """The ``runs`` rows of the stretches of ``pairs`` starting at rows ``first``: (state, first
    row, end row, the stretch's instruments as bits)."""
    if len(pairs) == 0:
        return np.zeros((0, 4), np.int64)
    end = np.r_[first[1:], len(pairs)]
    instruments = np.bitwise_or.reduceat(np.left_shift(1, pairs[:, 1]), first)
    return np.ascontiguousarray(np.stack([pairs[first, 0], first, end, instruments], axis=1).astype(np.int64))


def trigger_rank(strategy: np.ndarray) -> np.ndarray:
    """Position of each instrument when ordered by the trigger of ``strategy`` (the strategy array),
    enabled instruments first, ties by instrument index.

    :func:`sim.rules.response.propose_portfolio` reads a run's pairs in this order, so that it can
    stop at the first idle instrument whose trigger perceived risk has not reached.
    """
    key = np.where(strategy[:, Strat.ENABLED] > 0, strategy[:, Strat.TRIGGER], np.inf)
    rank = np.empty(N_INSTRUMENTS, np.int64)
    rank[np.lexsort((np.arange(N_INSTRUMENTS), key))] = np.arange(N_INSTRUMENTS)
    return rank


def assign(
    states: Sequence[str], bodies: Sequence[BodySpec], targets: Sequence[str] = (), rank: np.ndarray | None = None
) -> Deciders:
    """Number the actors of a region and give each (state, instrument) pair its decider.

    With ``targets`` (a strategy's targeted states), only their pairs are decided (in ``pairs``
    and ``runs``): no instrument is proposed for another state. ``rank``: the order of the
    instruments within a run (:func:`trigger_rank`; default: instrument order).
    """
    rank = np.arange(N_INSTRUMENTS, dtype=np.int64) if rank is None else rank
    n, b = len(states), len(bodies)
    kind = np.array([Actor.STATE] * n + [Actor.REGIONAL_BODY] * b + list(UN_ACTORS), np.int64)
    body = np.array([-1] * n + list(range(b)) + [-1] * len(UN_ACTORS), np.int64)
    single = {actor: n + b + j for j, actor in enumerate(UN_ACTORS)}
    decider = np.empty((n, N_INSTRUMENTS), np.int64)
    for i, name in enumerate(states):
        home = most_capable_body(name, bodies)
        for k, ins in enumerate(INSTRUMENTS):
            if ins.actor == Actor.STATE:
                decider[i, k] = i
            elif ins.actor == Actor.REGIONAL_BODY:
                decider[i, k] = n + home if home >= 0 else single[Actor.JOINT_OFFICE]
            else:
                decider[i, k] = single[ins.actor]
    flat = decider.ravel()
    cells = np.arange(flat.size)
    order = np.lexsort((rank[cells % N_INSTRUMENTS], cells // N_INSTRUMENTS, flat))
    if targets:
        targeted = np.array([name in targets for name in states])
        order = order[targeted[order // N_INSTRUMENTS]]
    pairs = np.stack([order // N_INSTRUMENTS, order % N_INSTRUMENTS], axis=1).astype(np.int64)
    start = np.searchsorted(flat[order], np.arange(len(kind) + 1)).astype(np.int64)
    owner = flat[order]
    new_run = np.flatnonzero(np.r_[True, (owner[1:] != owner[:-1]) | (pairs[1:, 0] != pairs[:-1, 0])])
    run_start = np.searchsorted(owner[new_run], np.arange(len(kind) + 1)).astype(np.int64)
    return Deciders(kind, body, decider, np.ascontiguousarray(pairs), start, stretches(pairs, new_run), run_start, rank)
