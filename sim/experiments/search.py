"""Many-objective robust search over strategy levers with pymoo (NSGA-II or NSGA-III).

Encoding: each lever is one variable in ``[0, 1]``, decoded as a sampled uncertain input is
(:meth:`sim.experiments.sampling.Uncertain.value`): a range uniformly, an integer range in whole
steps, a list of values in equal parts. Candidates with the same decoded values are one candidate,
evaluated once.

Scores: a candidate's per-future means (one per objective and future, over the same replications
everywhere: common random numbers) become one score per objective by :data:`ROBUST` statistics:

- ``mean``: the mean over the futures;
- ``p90``: the 90th percentile over the futures (linear interpolation between futures);
- ``regret``: the largest amount, over the futures, by which the candidate's mean exceeds the best
  mean of that future among a reference set of candidates. During the search the reference set is
  the initial population (fixed once it is evaluated, so the search is deterministic and a resumed
  search replays it); for the final table and the Pareto set it is every candidate evaluated.

The Pareto set is the non-dominated set of every candidate evaluated (not only the last
population). The hypervolume after each generation is that of the non-dominated set of the
candidates evaluated so far, with each objective scaled to ``[0, 1]`` by its least and greatest
score among all candidates evaluated, the reference point at 1.1 in each objective, and divided by
the hypervolume of the whole box up to it (1.1 to the number of objectives): it lies in ``[0, 1)``.

Resuming: the search is run with pymoo's ask-and-tell interface from the root seed. A resumed
search replays the recorded generations (:class:`Generation`: the candidates pymoo asked for and
their per-future means) through a new algorithm seeded alike, which asks for the same candidates,
then goes on evaluating. So it ends as an uninterrupted search would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.experiments.sampling import Uncertain

ROBUST = ("mean", "p90", "regret")
REFERENCE = 1.1
"""Reference point of the hypervolume in every scaled objective."""

Values = tuple[Any, ...]
"""A candidate: the decoded value of each lever, in lever order."""

Evaluate = Callable[[int, list[Values]], np.ndarray]
"""Evaluates candidates new in generation ``g``: their per-future means, shape (candidates, futures, objectives)."""


@dataclass(frozen=True)
class Generation:
    """One finished generation: the encoded candidates pymoo asked for (one row each) and their
    per-future means (candidates x futures x objectives)."""

    encoded: np.ndarray
    means: np.ndarray


def decode(levers: Sequence[Uncertain], x: np.ndarray) -> Values:
    """The lever values of the encoded candidate ``x`` (one coordinate in [0, 1] per lever)."""
    return tuple(lever.value(min(max(float(u), 0.0), 1.0)) for lever, u in zip(levers, x, strict=True))


def scores(means: np.ndarray, robust: str, best: np.ndarray) -> np.ndarray:
    """Robust scores (candidates x objectives) of per-future ``means`` (candidates x futures x
    objectives); ``best`` (futures x objectives) is the reference of ``regret``."""
    if robust == "mean":
        return means.mean(axis=1)
    if robust == "p90":
        return np.quantile(means, 0.9, axis=1)
    if robust == "regret":
        return (means - best[None]).max(axis=1)
    raise ValueError(f"unknown robust statistic {robust!r}")


def non_dominated(points: np.ndarray) -> np.ndarray:
    """Indices (ascending) of the rows of ``points`` (minimised) that no other row dominates."""
    keep = [i for i, p in enumerate(points) if not np.any(np.all(points <= p, axis=1) & np.any(points < p, axis=1))]
    return np.array(keep, dtype=int)


def hypervolume(points: np.ndarray, low: np.ndarray, high: np.ndarray) -> float:
    """Share of the box up to :data:`REFERENCE` dominated by ``points`` scaled to [0, 1] by ``low`` and ``high``."""
    from pymoo.indicators.hv import HV

    span = np.where(high > low, high - low, 1.0)
    scaled = (points[non_dominated(points)] - low) / span
    m = points.shape[1]
    return float(HV(ref_point=np.full(m, REFERENCE))(scaled)) / REFERENCE**m


@dataclass(frozen=True)
class Archive:
    """Every candidate evaluated, in order of first evaluation: values, generation, per-future means."""

    values: tuple[Values, ...]
    generation: np.ndarray
    means: np.ndarray

    def scores(self, robust: str) -> np.ndarray:
        """Final robust scores (regret against the best of every candidate evaluated)."""
        return scores(self.means, robust, self.means.min(axis=0))


def archive(levers: Sequence[Uncertain], generations: Sequence[Generation]) -> Archive:
    """The unique candidates of ``generations`` with the generation each first appeared in."""
    seen: dict[Values, tuple[int, np.ndarray]] = {}
    for g, gen in enumerate(generations):
        for x, means in zip(gen.encoded, gen.means, strict=True):
            seen.setdefault(decode(levers, x), (g, means))
    values = tuple(seen)
    return Archive(values, np.array([seen[v][0] for v in values], dtype=int), np.stack([seen[v][1] for v in values]))


def convergence(robust: str, arch: Archive, generations: int) -> list[dict[str, float]]:
    """Per generation: candidates evaluated so far, Pareto set size and hypervolume (module docstring)."""
    final = arch.scores(robust)
    low, high = final.min(axis=0), final.max(axis=0)
    rows = []
    for g in range(generations):
        so_far = final[arch.generation <= g]
        rows.append({"generation": g, "candidates": len(so_far), "pareto": len(non_dominated(so_far)),
                     "hypervolume": hypervolume(so_far, low, high)})  # fmt: skip
    return rows


def algorithm(name: str, population: int, objectives: int) -> Any:
    """pymoo's NSGA-II or NSGA-III (Das-Dennis reference directions, at most ``population`` of them)."""
    if name == "nsga2":
        from pymoo.algorithms.moo.nsga2 import NSGA2

        return NSGA2(pop_size=population)
    from pymoo.algorithms.moo.nsga3 import NSGA3
    from pymoo.util.ref_dirs import get_reference_directions

    partitions = 1
    while _directions(objectives, partitions + 1) <= population:
        partitions += 1
    ref_dirs = get_reference_directions("das-dennis", objectives, n_partitions=partitions)
    return NSGA3(ref_dirs=ref_dirs, pop_size=population)


def _directions(objectives: int, partitions: int) -> int:
    from math import comb

    return comb(partitions + objectives - 1, objectives - 1)


class ReplayError(RuntimeError):
    """A recorded generation is not what the seeded search asks for (another pymoo version)."""


def search(
    levers: Sequence[Uncertain],
    objectives: int,
    robust: str,
    method: str,
    population: int,
    generations: int,
    seed: int,
    evaluate: Evaluate,
    recorded: Sequence[Generation] = (),
    finished: Callable[[Generation], None] | None = None,
) -> list[Generation]:
    """Run the search for ``generations`` generations, replaying the ``recorded`` ones first.

    Parameters
    ----------
    evaluate
        Simulates the candidates first seen in a generation (see :data:`Evaluate`).
    finished
        Called with each newly evaluated generation before the algorithm goes on (to checkpoint it).

    Returns
    -------
    list[Generation]
        Every generation, the recorded ones first.

    Raises
    ------
    ReplayError
        If the seeded search does not ask for the recorded candidates.
    """
    from pymoo.core.evaluator import Evaluator
    from pymoo.core.problem import Problem
    from pymoo.problems.static import StaticProblem

    problem = Problem(n_var=len(levers), n_obj=objectives, xl=0.0, xu=1.0)
    algo = algorithm(method, population, objectives)
    algo.setup(problem, termination=("n_gen", generations), seed=seed, verbose=False)
    done: list[Generation] = []
    known: dict[Values, np.ndarray] = {}
    best = np.empty(0)
    for g in range(generations):
        pop = algo.ask()
        encoded = np.asarray(pop.get("X"), dtype=float)
        if g < len(recorded):
            gen = recorded[g]
            if gen.encoded.shape != encoded.shape or not np.array_equal(gen.encoded, encoded):
                raise ReplayError(f"generation {g} does not replay")
        else:
            gen = Generation(encoded, _means(levers, encoded, g, known, evaluate))
        for x, means in zip(gen.encoded, gen.means, strict=True):
            known.setdefault(decode(levers, x), means)
        if g == 0:
            best = gen.means.min(axis=0)
        if g >= len(recorded) and finished is not None:
            finished(gen)
        done.append(gen)
        Evaluator().eval(StaticProblem(problem, F=scores(gen.means, robust, best)), pop)
        algo.tell(infills=pop)
    return done


def _means(levers: Sequence[Uncertain], encoded: np.ndarray, g: int, known: dict[Values, np.ndarray],
           evaluate: Evaluate) -> np.ndarray:  # fmt: skip
    """Per-future means of the ``encoded`` candidates: the new ones evaluated, the others as known.
    (pymoo draws from its own generator, seeded by :func:`search`, so evaluation cannot change its draws.)"""
    values = [decode(levers, x) for x in encoded]
    new = list(dict.fromkeys(v for v in values if v not in known))
    fresh = dict(zip(new, np.asarray(evaluate(g, new), dtype=float), strict=True)) if new else {}
    return np.stack([known[v] if v in known else fresh[v] for v in values])
