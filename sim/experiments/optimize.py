"""``r2p optimize``: robust many-objective search for strategy settings, written to a results folder.

An optimisation file (``experiments/optimize_timing.toml``) names a scenario, a base strategy,
the levers (strategy fields searched over a range or a list of values), the objectives (deaths,
cost, intrusiveness, false alarms: the mean per replication of the outcome columns of
:data:`sim.schema.optimize.OBJECTIVES`), and optionally uncertain futures (``[uncertain]``,
sampled by Latin hypercube from the seed) with a robust statistic. :mod:`sim.experiments.search`
runs pymoo; each generation's new candidates x futures are one design of the runner
(:func:`sim.experiments.runner.evaluate`: every core or a Dask cluster, the same root seed at every
point, so every candidate in every future meets the same shocks).

The results folder holds ``checkpoint.json`` (every finished generation, written atomically with
the SHA-256 of its contents, which a resumed run checks), ``pareto.csv`` and ``pareto.png`` (the
Pareto set and its parallel-coordinates plot), ``candidates.csv`` (every candidate evaluated),
``convergence.csv`` and ``convergence.png`` (hypervolume per generation), ``strategies/pareto_NN.toml``
(each Pareto strategy as a strategy file ``r2p run`` accepts), ``report.md`` and ``manifest.json``.
A killed run resumes from its last finished generation and ends with the same files.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.concepts import INSTRUMENT_NAMES
from sim.config import InputError
from sim.experiments.design import DesignPoint, apply_setting, load_file, load_named, uncertain_input
from sim.experiments.progress import Progress
from sim.experiments.sampling import Uncertain, sample
from sim.experiments.search import (
    Archive,
    Evaluate,
    Generation,
    ReplayError,
    archive,
    convergence,
    non_dominated,
    search,
)
from sim.experiments.store import (
    CHUNKS,
    check_target,
    claim,
    git_revision,
    read_manifest,
    remove_results,
    update_manifest,
    versions,
    write_atomically,
    write_json,
    write_table,
)
from sim.scenario import Scenario, load_scenario
from sim.schema import KINDS
from sim.schema.experiment import UncertainInput
from sim.schema.optimize import OBJECTIVES, OptimizeFile
from sim.schema.registry import FAMILIES
from sim.schema.rules import validate
from sim.strategy import Strategy, load_strategy

CHECKPOINT = "checkpoint.json"
PARETO = "pareto.csv"
CANDIDATES = "candidates.csv"
CONVERGENCE = "convergence.csv"
STRATEGIES = "strategies"
REPORT = "report.md"
GENERATIONS = "generations"
"""Folder of the runner's results of the generation under way (removed once it is checkpointed)."""


@dataclass(frozen=True)
class Optimisation:
    """A validated optimisation file."""

    name: str
    description: str
    scenario: Scenario
    strategy: Strategy
    seed: int
    reps: int
    weeks: int | None
    algorithm: str
    population: int
    generations: int
    objectives: tuple[str, ...]
    robust: str
    futures: int
    levers: tuple[Uncertain, ...]
    uncertain: tuple[Uncertain, ...]
    digest: str
    source: str

    @property
    def columns(self) -> tuple[str, ...]:
        """The outcome column of each objective."""
        return tuple(OBJECTIVES[o] for o in self.objectives)

    def future_settings(self) -> list[tuple[tuple[str, object], ...]]:
        """The settings of each future: ``futures`` Latin hypercube draws of ``[uncertain]`` (one
        empty future without it)."""
        return sample(self.uncertain, "latin_hypercube", self.futures, 0, self.seed)

    def candidate(self, values: Sequence[object], scenario: Scenario | None = None,
                  strategy: Strategy | None = None) -> tuple[Scenario, Strategy]:  # fmt: skip
        """Scenario and strategy (default: the file's) with the levers set to ``values``."""
        scenario = self.scenario if scenario is None else scenario
        strategy = self.strategy if strategy is None else strategy
        for lever, value in zip(self.levers, values, strict=True):
            scenario, strategy = apply_setting(scenario, strategy, lever.key, value, self.source)
        return scenario, strategy


# --- the file -------------------------------------------------------------------------------------


def _lever(key: str, table: UncertainInput, scenario: Scenario, strategy: Strategy, file: str | Path) -> Uncertain:
    """One lever: a strategy field (:func:`~sim.experiments.design.uncertain_input` checks its values)."""
    if not key.startswith("strategy."):
        strategy_keys = ", ".join(f for f in FAMILIES if f.startswith("strategy."))
        raise InputError(file, f'levers."{key}"', "is not a strategy field", strategy_keys)
    return uncertain_input(key, table, (scenario,), strategy, file, "levers")


def parse_optimize(data: dict, file: str | Path, text: bytes = b"") -> Optimisation:
    """Validate a parsed optimisation TOML document (``text``: the file's bytes, for its digest)."""
    other = next((kind for kind in KINDS if kind != "optimize" and kind in data), None)
    if "optimize" not in data and other is not None:
        raise InputError(file, "", f"is {'an' if other[0] in 'aeiou' else 'a'} {other} file, not an optimisation file",
                         "a file with an [optimize] table, e.g. optimize_timing")  # fmt: skip
    checked = validate(OptimizeFile, data, file)
    head = checked.optimize
    scenario = load_named(load_scenario, head.scenario, file, "optimize.scenario")
    strategy = load_named(load_strategy, head.strategy, file, "optimize.strategy")
    levers = tuple(_lever(key, table, scenario, strategy, file) for key, table in checked.levers.items())
    uncertain = tuple(uncertain_input(k, t, (scenario,), strategy, file) for k, t in checked.uncertain.items())
    return Optimisation(head.name, head.description, scenario, strategy, head.seed, head.reps, head.weeks,
                        head.algorithm, head.population, head.generations, head.objectives, head.robust,
                        head.futures, levers, uncertain, hashlib.sha256(text).hexdigest(), str(file))  # fmt: skip


def load_optimize(name_or_path: str | Path) -> Optimisation:
    """Load and validate a shipped optimisation file (by name, from ``experiments/``) or a path."""
    return load_file(parse_optimize, name_or_path)


# --- evaluation by the runner ---------------------------------------------------------------------


def runner_evaluator(spec: Optimisation, folder: Path, workers: int | None = None,
                     scheduler: str | None = None) -> Evaluate:  # fmt: skip
    """Evaluate candidates with :func:`sim.experiments.runner.evaluate`: each candidate in each future
    is a design point of ``spec.reps`` replications from the root seed; the generation's folder
    (``generations/NNNN``) resumes if the run is killed while it runs."""
    from sim.experiments.runner import evaluate, read_column

    futures = []
    for settings in spec.future_settings():
        scenario, strategy = spec.scenario, spec.strategy
        for key, value in settings:
            scenario, strategy = apply_setting(scenario, strategy, key, value, spec.source)
        futures.append((scenario, strategy, settings))

    def run(g: int, candidates: list[tuple[object, ...]]) -> np.ndarray:
        points = []
        for values in candidates:
            for scenario, strategy, settings in futures:
                scenario, strategy = spec.candidate(values, scenario, strategy)
                lever_settings = tuple((lever.key, v) for lever, v in zip(spec.levers, values, strict=True))
                points.append(DesignPoint(len(points), scenario, strategy, (*settings, *lever_settings)))
        means = np.empty((len(candidates), len(futures), len(spec.columns)))
        place = generation_folder(folder, g)

        def finished(p: int) -> None:
            c, f = divmod(p, len(futures))
            means[c, f] = [read_column(place, p, column)[0].mean() for column in spec.columns]

        place.parent.mkdir(exist_ok=True)
        evaluate(points, spec.reps, spec.seed, place, identity={"optimize": spec.name, "digest": spec.digest,
                 "generation": g}, weeks=spec.weeks, workers=workers, scheduler=scheduler, progress=False,
                 finished=finished)  # fmt: skip
        return means

    return run


def generation_folder(folder: Path, g: int) -> Path:
    """The runner's results folder of generation ``g``."""
    return folder / GENERATIONS / f"{g:04d}"


def _remove_generations(folder: Path, finished: int) -> None:
    """Delete the runner's folders of the ``finished`` generations checkpointed (what r2p wrote there only)."""
    place = folder / GENERATIONS
    for g in range(finished):
        sub = generation_folder(folder, g)
        if not sub.is_dir():
            continue
        remove_results(sub)
        if not any(sub.iterdir()):
            sub.rmdir()
    if place.is_dir() and not any(place.iterdir()):
        place.rmdir()


# --- the checkpoint -------------------------------------------------------------------------------


def _identity(spec: Optimisation) -> dict[str, object]:
    from sim.experiments.runner import code_digest

    return {"optimize": spec.name, "digest": spec.digest, "reps": spec.reps, "seed": spec.seed, "chunk": None,
            "model": code_digest()}  # fmt: skip


def _checksum(body: dict[str, object]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def write_checkpoint(folder: Path, spec: Optimisation, generations: Sequence[Generation]) -> None:
    """Write every finished generation (encoded candidates and per-future means) atomically, with
    the run's identity and the SHA-256 of the contents."""
    body = {
        **_identity(spec),
        "generations": [{"X": g.encoded.tolist(), "means": g.means.tolist()} for g in generations],
    }
    write_json({**body, "sha256": _checksum(body)}, folder / CHECKPOINT)


def read_checkpoint(folder: Path, spec: Optimisation) -> list[Generation]:
    """The finished generations of the checkpoint in ``folder`` (none if there is no checkpoint).

    Raises
    ------
    InputError
        If the checkpoint is unreadable, its contents do not match its SHA-256, or it belongs to
        another run.
    """
    path = folder / CHECKPOINT
    if not path.is_file():
        return []
    again = "delete it to start the optimisation again"
    try:
        body = json.loads(path.read_text())
        stored = body.pop("sha256")
    except (OSError, ValueError, KeyError, AttributeError, TypeError):
        raise InputError(path, "", "unreadable", again) from None
    if stored != _checksum(body):
        raise InputError(path, "", "damaged (its contents do not match its SHA-256)", again)
    identity = _identity(spec)
    differs = [key for key in identity if body.get(key) != identity[key]]
    if differs:
        raise InputError(path, "", f"belongs to another run (different {', '.join(differs)})", again)
    return [Generation(np.array(g["X"], dtype=float), np.array(g["means"], dtype=float)) for g in body["generations"]]


# --- running --------------------------------------------------------------------------------------


def optimize(
    spec: Optimisation,
    folder: Path,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
    evaluate: Evaluate | None = None,
) -> Archive:
    """Run (or resume) the optimisation into ``folder`` and write its outputs (module docstring).

    Parameters
    ----------
    workers, scheduler
        Where the runner simulates (results do not depend on it).
    evaluate
        Replaces the runner (tests plant a known objective function with it).

    Returns
    -------
    Archive
        Every candidate evaluated.

    Raises
    ------
    InputError
        If the folder cannot be written, holds another run, or its checkpoint is damaged.
    """
    check_target(folder)
    identity = _identity(spec)
    manifest = {**identity, "source": str(Path(spec.source).resolve()), "versions": versions(),
                "git_revision": git_revision(), "started": _now(), "finished": None}  # fmt: skip
    resumed = claim(folder, identity, manifest)
    if (folder / CHUNKS).is_dir() and not any((folder / CHUNKS).iterdir()):
        (folder / CHUNKS).rmdir()  # made by claim for the runner's results folders; this one has none
    done = read_checkpoint(folder, spec) if resumed else []
    _remove_generations(folder, len(done))  # a run killed just after its checkpoint leaves them
    per_generation = spec.population * spec.futures * spec.reps  # replications scored (a repeated candidate's reused)
    meter = Progress(spec.generations * per_generation, spec.name, min(len(done), spec.generations) * per_generation,
                     enabled=progress)  # fmt: skip
    run = evaluate or runner_evaluator(spec, folder, workers, scheduler)

    def finished(generation: Generation) -> None:
        done.append(generation)
        write_checkpoint(folder, spec, done)
        _remove_generations(folder, len(done))
        meter.update(per_generation)

    try:
        generations = search(spec.levers, len(spec.objectives), spec.robust, spec.algorithm, spec.population,
                             spec.generations, spec.seed, run, recorded=list(done), finished=finished)  # fmt: skip
    except ReplayError as error:
        raise InputError(folder / CHECKPOINT, "", f"cannot be resumed ({error}: another pymoo version?)",
                         "delete it to start the optimisation again") from None  # fmt: skip
    finally:
        meter.close()
    found = archive(spec.levers, generations)
    write_outputs(spec, folder, found)
    replications = len(found.values) * spec.futures * spec.reps
    update_manifest(folder, finished=read_manifest(folder).get("finished") or _now(), candidates=len(found.values),
                    replications=replications)  # fmt: skip
    return found


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


# --- outputs --------------------------------------------------------------------------------------


def score_columns(spec: Optimisation) -> list[str]:
    """Names of the score columns: ``OBJECTIVE_ROBUST``, e.g. ``deaths_mean``."""
    return [f"{o}_{spec.robust}" for o in spec.objectives]


def candidate_table(spec: Optimisation, found: Archive) -> pd.DataFrame:
    """Every candidate evaluated: number, first generation, lever values and robust scores."""
    frame = pd.DataFrame({"candidate": np.arange(len(found.values)), "generation": found.generation})
    for k, lever in enumerate(spec.levers):
        frame[lever.key] = [values[k] for values in found.values]
    for name, column in zip(score_columns(spec), found.scores(spec.robust).T, strict=True):
        frame[name] = column
    return frame


def pareto_table(spec: Optimisation, found: Archive) -> pd.DataFrame:
    """The Pareto set of every candidate evaluated, sorted by its scores, with its strategy file's name."""
    scores = found.scores(spec.robust)
    front = non_dominated(scores)
    order = front[np.lexsort(scores[front].T[::-1])]
    table = candidate_table(spec, found).iloc[order].reset_index(drop=True)
    table.insert(0, "strategy", [f"pareto_{n:02d}" for n in range(len(table))])
    return table


def write_outputs(spec: Optimisation, folder: Path, found: Archive) -> None:
    """Write the tables, plots, strategy files and report of a finished optimisation."""
    from sim.experiments.optimize_report import convergence_plot, parallel_plot, report

    pareto = pareto_table(spec, found)
    steps = pd.DataFrame(convergence(spec.robust, found, spec.generations))
    steps.insert(2, "replications", steps["candidates"] * spec.futures * spec.reps)
    write_table(candidate_table(spec, found), folder / CANDIDATES)
    write_table(pareto, folder / PARETO)
    write_table(steps, folder / CONVERGENCE)
    (folder / STRATEGIES).mkdir(exist_ok=True)
    for old in (folder / STRATEGIES).glob("pareto_*.toml"):
        old.unlink()
    for _, row in pareto.iterrows():
        scores = {name: float(row[name]) for name in score_columns(spec)}
        write_strategy(spec, folder / STRATEGIES / f"{row['strategy']}.toml", str(row["strategy"]),
                       found.values[int(row["candidate"])], scores)  # fmt: skip
    parallel_plot(spec, pareto, folder / "pareto.png")
    convergence_plot(spec, steps, folder / "convergence.png")
    text = report(spec, pareto, steps)
    write_atomically(folder / REPORT, lambda tmp: tmp.write_text(text))


def write_strategy(spec: Optimisation, path: Path, label: str, values: Sequence[object],
                   scores: dict[str, float]) -> None:  # fmt: skip
    """Write the base strategy with the levers set to ``values`` as a strategy file."""
    _, strategy = spec.candidate(values)
    name = f"{spec.name}_{label}"
    summary = ", ".join(f"{key} {value:.6g}" for key, value in scores.items())
    strategy = strategy.replace(name=name, description=f"Pareto strategy of r2p optimize {spec.name}: {summary}")
    text = strategy_toml(strategy, f"Written by r2p optimize {spec.name} from {spec.strategy.name} (scores over "
                                   f"{spec.futures} future(s) on {spec.scenario.name}).")  # fmt: skip
    write_atomically(path, lambda tmp: tmp.write_text(text))


def strategy_toml(strategy: Strategy, comment: str) -> str:
    """``strategy`` as the text of a strategy file: every instrument's setting spelled out."""
    lines = [f"# {comment}", "[strategy]", "schema_version = 1", f"name = {_toml(strategy.name)}",
             f"description = {_toml(strategy.description)}"]  # fmt: skip
    if strategy.targets:
        lines.append(f"targets = {_toml(strategy.targets)}")
    lines += [f"veto_restraint = {_toml(strategy.veto_restraint)}",
              f"uniting_for_peace = {_toml(strategy.uniting_for_peace)}"]  # fmt: skip
    for name, s in zip(INSTRUMENT_NAMES, strategy.settings, strict=True):
        lines += ["", f"[instruments.{name}]", f"enabled = {_toml(s.enabled)}", f"trigger = {_toml(float(s.trigger))}",
                  f"delay = {_toml(int(s.delay))}", f"intensity = {_toml(float(s.intensity))}"]  # fmt: skip
    return "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    """A TOML value: booleans, integers, floats (shortest exact form), strings, lists of them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")
