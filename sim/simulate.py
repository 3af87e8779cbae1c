"""``simulate``: run replications of a scenario under a strategy on either engine."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from sim.config import InputError, quote
from sim.engines import kernel
from sim.limits import ENGINES, MAX_SEED, MAX_WEEKS
from sim.model_inputs import model_inputs
from sim.outcome_columns import describe, n_outcomes, outcome_columns
from sim.posterior import Posterior
from sim.rules.outcomes import TRAJECTORY
from sim.scenario import Scenario, load_scenario
from sim.strategy import Strategy, load_strategy

Engine = Literal["numba", "mesa"]
_DTYPES = {"float": np.float64, "integer": np.int64, "boolean": bool, "nullable integer": "Int64"}
"""The column type of each kind of outcome (:attr:`sim.outcome_columns.Outcome.kind`)."""


def load_inputs(scenario: Scenario | str | Path, strategy: Strategy | str | Path) -> tuple[Scenario, Strategy]:
    """A scenario and a strategy from loaded objects, shipped names or paths to TOML files."""
    scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    return scenario, strategy if isinstance(strategy, Strategy) else load_strategy(strategy)


def trajectory_frame(paths: np.ndarray, states: list[str] | tuple[str, ...], first: int = 0) -> pd.DataFrame:
    """The trajectories of ``simulate(..., trajectories=True)`` as a tidy table.

    Parameters
    ----------
    paths
        Array of shape ``(reps, weeks + 1, len(TRAJECTORY), n_states)``.
    states
        The scenario's state names (``Scenario.state_names``), in order.
    first
        Number of the first replication (``simulate``'s ``first``).

    Returns
    -------
    pandas.DataFrame
        One row per replication, week, state and variable of :data:`sim.rules.outcomes.TRAJECTORY`:
        ``replication, week, state, variable, value`` (week 0 is the initial state; ``phase`` is
        the phase code, 0 stable to 4 recovery).
    """
    variables, n = paths.shape[2:]
    if variables != len(TRAJECTORY) or n != len(states):
        raise ValueError(
            f"paths of shape {paths.shape} do not hold {len(TRAJECTORY)} variables of {len(states)} states"
        )
    r, week, v, i = (index.ravel() for index in np.indices(paths.shape))
    return pd.DataFrame(
        {
            "replication": r + first,
            "week": week,
            "state": pd.Categorical.from_codes(i, list(states)),
            "variable": pd.Categorical.from_codes(v, list(TRAJECTORY)),
            "value": paths.ravel(),
        }
    )


def outcome_frame(values: np.ndarray, first: int = 0, states: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """Per-replication outcome table from the engines' outcome vectors (``states``: the scenario's
    state names, for the per-state columns; none: the region-wide columns only)."""
    columns = outcome_columns(states)
    frame = pd.DataFrame(values[:, : len(columns)], columns=columns)
    frame.insert(0, "replication", np.arange(first, first + len(values), dtype=np.int64))
    for column in columns:
        frame[column] = frame[column].astype(_DTYPES[describe(column).kind])
    return frame


def _whole(value: object, low: int, high: int) -> bool:
    """Whether ``value`` is a whole number (not a bool) from ``low`` to ``high``."""
    return not isinstance(value, bool) and isinstance(value, (int, np.integer)) and low <= value <= high


def check_run(reps: int, seed: int, engine: str = "numba", first: int = 0, weeks: int | None = None,
              file: str = "simulate") -> None:  # fmt: skip
    """Check the run arguments of :func:`simulate`; an :class:`InputError` naming ``file`` if one is not allowed."""
    if not _whole(reps, 1, MAX_SEED):
        raise InputError(file, "reps", f"{quote(reps)} is not allowed", "a whole number >= 1")
    if not _whole(seed, 0, MAX_SEED):
        raise InputError(file, "seed", f"{quote(seed)} is not allowed", f"a whole number from 0 to {MAX_SEED}")
    if not _whole(first, 0, MAX_SEED + 1 - reps):
        raise InputError(file, "first", f"{quote(first)} is not allowed",
                         f"a whole number >= 0 with first + reps <= {MAX_SEED + 1}")  # fmt: skip
    if weeks is not None and not _whole(weeks, 1, MAX_WEEKS):
        raise InputError(file, "weeks", f"{quote(weeks)} is not allowed", f"a whole number from 1 to {MAX_WEEKS}")
    if engine not in ENGINES:
        raise InputError(file, "engine", f"{quote(engine)} is not allowed", ", ".join(ENGINES))


def simulate(
    scenario: Scenario | str | Path,
    strategy: Strategy | str | Path,
    reps: int = 100,
    seed: int = 0,
    engine: Engine = "numba",
    *,
    first: int = 0,
    weeks: int | None = None,
    trajectories: bool = False,
    by_state: bool = False,
    posterior: Posterior | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, np.ndarray]:
    """Run replications ``first .. first + reps - 1`` of a scenario under a strategy.

    Parameters
    ----------
    scenario, strategy
        Loaded objects, shipped names or paths to TOML files.
    reps
        Number of replications.
    seed
        Root seed. Replication *r* gives the same result on both engines, in any batch.
    engine
        ``"numba"`` (parallel Monte Carlo kernel) or ``"mesa"`` (one Mesa model per replication).
    first
        Number of the first replication (to continue or split a run).
    weeks
        Horizon in weeks; defaults to the scenario's.
    trajectories
        Also return per-week state variables.
    by_state
        Add the per-state outcome columns ``deaths[NAME]``, ``displaced[NAME]`` and
        ``onset_week[NAME]`` of each state after the region-wide ones.
    posterior
        Parameter uncertainty: replication *r* runs with the model parameters of the particle
        :meth:`sim.posterior.Posterior.draws` gives it (the same under every strategy); the table
        then has a ``particle`` column after ``replication``.

    Returns
    -------
    pandas.DataFrame
        One row per replication: ``replication``, the columns of
        :data:`sim.outcome_columns.OUTCOMES` (with ``by_state``, then the per-state columns);
        weeks are nullable integers (``<NA>``: never).
    numpy.ndarray, optional
        With ``trajectories``: shape ``(reps, weeks + 1, len(TRAJECTORY), n_states)``;
        :func:`trajectory_frame` labels it.
    """
    check_run(reps, seed, engine, first, weeks)
    scenario, strategy = load_inputs(scenario, strategy)
    drawn = posterior.draws(seed, first, reps) if posterior is not None else None
    if engine == "numba":
        inputs = model_inputs(scenario, strategy, weeks)
        particles = (posterior.parameter_rows(scenario, strategy), drawn) if posterior is not None else None
        values, frames = kernel.run(seed, first, reps, inputs, trajectories, particles=particles)
    else:
        from sim.engines.mesa_model import R2PModel  # Mesa loads only when its engine is asked for

        values = np.empty((reps, n_outcomes(len(scenario.states))))
        runs = []
        for r in range(reps):
            case = scenario if posterior is None else posterior.scenario(scenario, strategy, int(drawn[r]))
            model = R2PModel(case, strategy, seed, first + r, weeks, collect=trajectories)
            while model.running:
                model.step()
            values[r] = list(model.outcomes().values())
            if trajectories:
                runs.append(model.trajectory())
        frames = np.stack(runs) if trajectories else None
    table = outcome_frame(values, first, scenario.state_names if by_state else ())
    if drawn is not None:
        table.insert(1, "particle", drawn)
    return (table, frames) if trajectories else table
