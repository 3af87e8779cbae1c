"""``r2p fit``: approximate Bayesian computation of uncertain model parameters against reference facts.

The fit file (``experiments/fit.toml``) declares priors over model parameters (``[[parameters]]``)
and targets (``[[targets]]``): the typical-risk state's onset rate and risk-factor rate ratios,
the length of an episode without response, and the focal state's toll of named historical episodes
of the calibration file. Every other episode of that file is held out: a check, never fitted.

Algorithm: ABC-SMC (Beaumont et al. 2009; Del Moral et al. 2012) as pyabc implements it: adaptive
median thresholds, a multivariate normal perturbation kernel fitted to each generation, importance
weights, and a SQLite history. pyabc is chosen over ELFI because its history is written generation by
generation, so a killed fit resumes from its last finished generation, and it runs on Dask.

Reproducibility: :class:`OrderedSampler` seeds NumPy's global generator (which pyabc's proposals
use) from (root seed, generation, candidate) before each candidate, evaluates candidates in batches
in order (locally or on Dask) and keeps them in candidate order up to the population size. The fit
runs one generation per pyabc call. So the same seed gives the same posterior whatever the workers,
batch boundaries or interruptions.

The distance between a simulation and the targets is the root mean square over targets of
``(simulated - reference) / tolerance``: 1 means every target is within its tolerance on average.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
import math
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.config import InputError
from sim.experiments.calibration import Episode, load_calibration
from sim.experiments.design import apply_setting, load_file, load_named
from sim.experiments.facts import base_rate
from sim.experiments.measures import alone, first_exit, histories
from sim.experiments.posterior_folder import MODEL_KEY, POSTERIOR
from sim.experiments.runner import code_digest
from sim.experiments.scores import toll_scale
from sim.experiments.sensitivity import check_input
from sim.experiments.store import (
    CHUNKS,
    check_target,
    claim,
    read_manifest,
    update_manifest,
    versions,
    write_table,
)
from sim.limits import MAX_SEED
from sim.scenario import Scenario, StateSpec, state_spec
from sim.schema.fit import FitFile, PriorTable, TargetTable
from sim.schema.rules import validate
from sim.simulate import simulate
from sim.state import RISK_FACTORS
from sim.strategy import Strategy, load_strategy

HISTORY = "history.db"
"""pyabc's SQLite history in the posterior folder: every finished generation."""
GENERATIONS = "generations.csv"
PREDICTIVE = "predictive.csv"
BATCH = 16
"""Candidates evaluated at once (results do not depend on it)."""


@dataclass(frozen=True)
class Prior:
    """An uncertain model parameter: uniform on ``[low, high]``, or on its logarithm if ``log``."""

    key: str
    low: float
    high: float
    log: bool
    source: str

    @property
    def name(self) -> str:
        """The parameter's name (the key without ``scenario.model.``)."""
        return self.key.removeprefix(MODEL_KEY)

    def rv(self) -> Any:
        """The pyabc random variable of the prior."""
        import pyabc

        return pyabc.RV("loguniform", self.low, self.high) if self.log else pyabc.RV("uniform", self.low,
                                                                                      self.high - self.low)  # fmt: skip


@dataclass(frozen=True)
class Target:
    """A reference fact: its simulated counterpart should fall within ``tolerance`` of ``value``."""

    kind: str
    value: float
    tolerance: float
    reps: int
    weeks: int
    source: str
    factor: str = ""
    episode: Episode | None = None

    @property
    def label(self) -> str:
        """Name of the target in tables: ``onset_rate``, ``rate_ratio[coup]``, ``episode_toll[rwanda_1994]``."""
        detail = self.factor or (self.episode.scenario.name if self.episode else "")
        return f"{self.kind}[{detail}]" if detail else self.kind


@dataclass(frozen=True)
class Fit:
    """A validated fit specification."""

    name: str
    description: str
    seed: int
    population: int
    generations: int
    min_epsilon: float
    typical: StateSpec
    priors: tuple[Prior, ...]
    targets: tuple[Target, ...]
    held_out: tuple[Episode, ...]
    digest: str
    source: str

    def observed(self) -> dict[str, float]:
        """The reference value of every target, by label."""
        return {t.label: t.value for t in self.targets}


# --- the fit file ---------------------------------------------------------------------------------


def _prior(item: PriorTable, n: int, typical: StateSpec, file: str | Path) -> Prior:
    """A prior checked as a sensitivity file's input is (:func:`sim.experiments.sensitivity.check_input`,
    on the typical state alone), and besides: a continuous model parameter, positive on a log scale."""
    where = f"parameters[{n}]"
    if not item.key.startswith(MODEL_KEY):
        raise InputError(file, f"{where}.key", f"{item.key!r} is not a model parameter",
                         f"{MODEL_KEY}PARAMETER (a parameter every scenario shares)")  # fmt: skip
    checked = check_input(item, n, alone(typical, 1), _no_response(), file)
    if checked.integer:
        raise InputError(file, f"{where}.key", f"{item.key!r} is not a continuous parameter",
                         "a model parameter that takes any number in a range")  # fmt: skip
    if item.scale == "log" and checked.low <= 0:
        raise InputError(file, f"{where}.low", f"{checked.low!r} has no logarithm", "low > 0 with scale = 'log'")
    return Prior(item.key, checked.low, checked.high, item.scale == "log", item.source)


def _target(item: TargetTable, n: int, episodes: dict[str, Episode], file: str | Path) -> Target:
    where = f"targets[{n}]"
    if item.kind == "rate_ratio" and item.factor not in RISK_FACTORS:
        raise InputError(file, f"{where}.factor", f"{item.factor!r} is not a risk factor", ", ".join(RISK_FACTORS))
    if item.kind != "episode_toll":
        return Target(item.kind, float(item.value), item.tolerance, item.reps, item.weeks, item.source,
                      item.factor or "")  # fmt: skip
    episode = episodes.get(item.episode)
    if episode is None:
        raise InputError(file, f"{where}.episode", f"{item.episode!r} is not an episode of the calibration file",
                         ", ".join(episodes))  # fmt: skip
    weeks = item.weeks or episode.scenario.weeks
    return Target(item.kind, toll_scale(episode.deaths), item.tolerance, item.reps, weeks, item.source,
                  episode=episode)  # fmt: skip


def derived_seed(seed: int, purpose: str, k: int = 0) -> int:
    """A root seed for simulation ``k`` of ``purpose`` (e.g. a predictive draw), derived from ``seed``."""
    digest = hashlib.sha256(f"{seed}:{purpose}:{k}".encode()).digest()
    return int.from_bytes(digest[:8], "little") % (MAX_SEED + 1)


def parse_fit(data: dict, file: str | Path, text: bytes = b"") -> Fit:
    """Validate a parsed fit TOML document (``text``: the file's bytes, for its digest)."""
    checked = validate(FitFile, data, file)
    head = checked.fit
    calibration = load_named(load_calibration, head.calibration, file, "fit.calibration")
    episodes = {e.scenario.name: e for e in calibration.episodes}
    typical = state_spec(checked.typical_state)
    priors = tuple(_prior(item, n, typical, file) for n, item in enumerate(checked.parameters))
    targets = tuple(_target(item, n, episodes, file) for n, item in enumerate(checked.targets))
    fitted = {t.episode.scenario.name for t in targets if t.episode is not None}
    held_out = tuple(e for name, e in episodes.items() if name not in fitted)
    return Fit(head.name, head.description, head.seed, head.population, head.generations, head.min_epsilon,
               typical, priors, targets, held_out, hashlib.sha256(text).hexdigest(),
               str(file))  # fmt: skip


def load_fit(name_or_path: str | Path) -> Fit:
    """Load and validate a shipped fit file (by name, from ``experiments/``) or a path."""
    return load_file(parse_fit, name_or_path)


# --- simulated targets ----------------------------------------------------------------------------


def _set(scenario: Scenario, strategy: Strategy, priors: tuple[Prior, ...], theta: dict[str, float]) -> Scenario:
    for prior in priors:
        scenario, strategy = apply_setting(scenario, strategy, prior.key, float(theta[prior.key]))
    return scenario


def _onsets(spec: Fit, theta: dict[str, float], factor: str, target: Target, seed: int) -> tuple[int, float]:
    """First onsets and state-years at risk of the typical state (with ``factor`` added, if any)."""
    state = spec.typical if not factor else dataclasses.replace(spec.typical, risk_factors=(factor,))
    scenario = _set(alone(state, target.weeks, f"typical+{factor or 'none'}"), _no_response(), spec.priors, theta)
    _, _, _, onsets, years = base_rate(simulate(scenario, _no_response(), target.reps, seed), target.weeks)
    return onsets, years


def _episode_years(spec: Fit, theta: dict[str, float], target: Target, seed: int) -> float:
    state = dataclasses.replace(spec.typical, phase="atrocity", tension=0.75)
    scenario = _set(alone(state, target.weeks, "episode"), _no_response(), spec.priors, theta)
    weeks = first_exit(histories(scenario, _no_response(), target.reps, seed, 0, ("phase",))["phase"])
    return float(np.median(np.where(weeks < 0, target.weeks, weeks))) / 52


def toll(spec: Fit, theta: dict[str, float], target: Target, seed: int) -> np.ndarray:
    """The focal state's deaths in each replication of the episode at ``theta``."""
    episode = target.episode
    scenario = _set(episode.scenario, episode.strategy, spec.priors, theta)
    table = simulate(scenario, episode.strategy, target.reps, seed, weeks=target.weeks, by_state=True)
    return table[f"deaths[{episode.state}]"].to_numpy(dtype=float)


@functools.cache
def _no_response() -> Strategy:
    return load_strategy("no_response")


def simulated(spec: Fit, theta: dict[str, float], seed: int) -> dict[str, float]:
    """Every target's simulated value at the parameters ``theta`` (by key), from root seed ``seed``.

    Onset rates are per state-year; a rate ratio is that of (onsets + 0.5) per state-year, so it is
    finite when an arm has no onset (Haldane's correction); tolls are in decades of the median toll.
    """
    out: dict[str, float] = {}
    base = next((t for t in spec.targets if t.kind == "onset_rate"), None)
    typical: tuple[int, float] | None = None
    for target in spec.targets:
        if target.kind in ("onset_rate", "rate_ratio"):
            if typical is None:
                typical = _onsets(spec, theta, "", base or target, seed)
            if target.kind == "onset_rate":
                out[target.label] = typical[0] / typical[1]
            else:
                onsets, years = _onsets(spec, theta, target.factor, target, seed)
                out[target.label] = ((onsets + 0.5) / years) / ((typical[0] + 0.5) / typical[1])
        elif target.kind == "episode_years":
            out[target.label] = _episode_years(spec, theta, target, seed)
        else:
            out[target.label] = toll_scale([np.median(toll(spec, theta, target, seed))])
    return out


def distance(spec: Fit) -> Callable[[dict, dict], float]:
    """The distance of simulated targets from the reference: RMS of ``(simulated - value) / tolerance``."""
    tolerance = {t.label: t.tolerance for t in spec.targets}

    def rms(x: dict, x0: dict) -> float:
        scaled = [((x[k] - x0[k]) / tolerance[k]) ** 2 for k in tolerance]
        return math.sqrt(sum(scaled) / len(scaled))

    return rms


class _Model:
    """The pyabc model: simulated targets at a particle, seeded from NumPy's global generator (which
    :class:`OrderedSampler` seeds per candidate)."""

    def __init__(self, spec: Fit) -> None:
        self.spec = spec

    def __call__(self, theta: dict) -> dict[str, float]:
        return simulated(self.spec, dict(theta), int(np.random.randint(0, MAX_SEED)))


# --- the sampler ----------------------------------------------------------------------------------


def _candidate(simulate_one: Callable[[], Any], seed: tuple[int, int, int]) -> Any:
    np.random.seed(list(seed))
    return simulate_one()


def _make_sampler(seed: int, client: Any, batch: int) -> Any:
    from pyabc.sampler.base import Sampler

    class OrderedSampler(Sampler):
        """Candidates seeded from (root seed, generation, candidate), evaluated in batches (in this
        process or on a Dask client) and kept in candidate order: results depend on neither."""

        def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False,
                                    ana_vars=None):  # type: ignore[no-untyped-def]  # fmt: skip
            sample = self._create_empty_sample()
            done = 0
            while sample.n_accepted < n:
                seeds = [(seed, t + 1, done + j) for j in range(batch)]
                if client is None:
                    results = [_candidate(simulate_one, s) for s in seeds]
                else:
                    results = client.gather(client.map(_candidate, [simulate_one] * batch, seeds, pure=False))
                for result in results:
                    if sample.n_accepted >= n:
                        break
                    sample.append(result)
                    done += 1
            self.nr_evaluations_ = done
            return sample

    return OrderedSampler()


# --- running a fit --------------------------------------------------------------------------------


def _abc(spec: Fit, client: Any) -> Any:
    import pyabc

    logging.getLogger("ABC").setLevel(logging.WARNING)
    prior = pyabc.Distribution(**{p.key: p.rv() for p in spec.priors})
    return pyabc.ABCSMC(_Model(spec), prior, distance(spec), population_size=spec.population,
                        sampler=_make_sampler(spec.seed, client, BATCH))  # fmt: skip


def fit(spec: Fit, folder: Path, scheduler: str | None = None, progress: bool = True) -> Path:
    """Run (or resume) the fit into ``folder``; return the folder.

    Writes ``history.db`` (pyabc's, every finished generation), ``generations.csv`` (threshold,
    acceptance rate and effective sample size per generation), ``posterior.csv`` (the last
    generation's particles and weights) and ``manifest.json``. A killed fit resumes from its last
    finished generation with the same result.

    Raises
    ------
    InputError
        If the folder cannot be written or holds another run.
    """
    from sim.experiments.runner import connect

    check_target(folder)
    identity = {"fit": spec.name, "digest": spec.digest, "reps": sum(t.reps for t in spec.targets),
                "seed": spec.seed, "chunk": None, "model": code_digest()}  # fmt: skip
    manifest = {**identity, "population": spec.population, "versions": versions(), "started": _now(),
                "finished": None}  # fmt: skip
    resumed = claim(folder, identity, manifest)
    if (folder / CHUNKS).is_dir() and not any((folder / CHUNKS).iterdir()):
        (folder / CHUNKS).rmdir()  # made by claim for the runner's results folders; a fit has no chunks
    if resumed and read_manifest(folder).get("finished"):
        _say(progress, f"{folder}: already complete")
        return folder
    client = connect(scheduler) if scheduler is not None else None
    db = f"sqlite:///{(folder / HISTORY).absolute()}"
    start = None
    while True:
        abc = _abc(spec, client)
        if _generations_done(db):
            row = _write_generations(folder, abc.load(db, 1))  # the tables always follow the history
            if start is not None:
                _say(progress, f"{spec.name}: generation {row['t']}: epsilon {row['epsilon']:.3g}, acceptance "
                               f"{row['acceptance']:.1%}, ESS {row['ess']:.0f} of {row['particles']}, "
                               f"{time.perf_counter() - start:.0f} s")  # fmt: skip
            if row["t"] + 1 >= spec.generations or row["epsilon"] <= spec.min_epsilon:
                break
        else:  # nothing finished: start afresh (a fit killed in its first generation leaves a partial history)
            (folder / HISTORY).unlink(missing_ok=True)
            abc.new(db, spec.observed())
        start = time.perf_counter()
        abc.run(max_nr_populations=1)
    update_manifest(folder, finished=_now(), generations=_generations_done(db))
    return folder


def _generations_done(db: str) -> int:
    """Finished generations in the history ``db`` (0 if it has none)."""
    import pyabc

    t = pyabc.History(db).max_t if Path(db.removeprefix("sqlite:///")).is_file() else None
    return 0 if t is None else int(t) + 1


def _write_generations(folder: Path, history: Any) -> dict[str, Any]:
    """Write ``generations.csv`` (one row per finished generation of ``history``) and ``posterior.csv``
    (the last generation's particles); return the last row."""
    from pyabc.weighted_statistics import effective_sample_size

    populations = history.get_all_populations().set_index("t")
    rows = []
    for t in range(history.max_t + 1):
        particles, weights = history.get_distribution(t=t)
        evaluations = int(populations.loc[t, "samples"])
        rows.append({"t": t, "epsilon": float(populations.loc[t, "epsilon"]), "particles": len(weights),
                     "evaluations": evaluations, "acceptance": len(weights) / evaluations,
                     "ess": float(effective_sample_size(weights))})  # fmt: skip
    posterior = particles.reset_index(drop=True)
    posterior.insert(0, "weight", weights)
    write_table(posterior, folder / POSTERIOR)
    write_table(pd.DataFrame(rows), folder / GENERATIONS)
    return rows[-1]


def _now() -> str:
    import datetime

    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def _say(progress: bool, line: str) -> None:
    if progress:
        print(line, file=sys.stderr, flush=True)
