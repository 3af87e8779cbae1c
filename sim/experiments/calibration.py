"""``r2p calibrate``: the stylised historical episodes under what was done, beside the record.

The calibration file (``experiments/calibration.toml``) has a ``[calibration]`` table (``name``,
``description``, ``seed``, ``reps``, ``counterfactual``: a strategy every episode is also run
under) and one ``[[episodes]]`` table per episode: ``scenario``, ``state`` (the focal state),
``strategy`` (what was done, e.g. ``historical/rwanda_1994``), ``deaths`` (the documented toll as
``[low, high]``), ``record`` (the source of that toll, in words) and an optional ``comment``.

Each episode is run under its historical strategy, the same strategy with the veto-restraint norm,
the counterfactual strategy and no response, all with the same root seed (common random
numbers). Deaths are the focal state's own (from the trajectories), not the region's.

Command line (:mod:`sim.cli.calibrate`):
``r2p calibrate [FILE] [--reps N] [--out DIR | --write-docs] [--results RUNS] [--posterior FIT]``;
the arms run into the resumable results folder ``RUNS`` (over the posterior of the fit in folder
``FIT``, if given); writes ``DIR/calibration.md`` and its plot ``DIR/calibration/episodes.png``
(``DIR``: ``RUNS`` unless given; ``docs`` with ``--write-docs``).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config import InputError
from sim.experiments.design import DesignPoint, load_file, load_named
from sim.experiments.measures import histories, paired
from sim.experiments.posterior_folder import posterior_record, with_posterior
from sim.experiments.runner import CHUNK, Measure, evaluate, read_point
from sim.experiments.scores import crps, log_score, toll_scale
from sim.experiments.statistics import format_number, mean_ci, uncertainty_table
from sim.experiments.store import git_revision, write_atomically
from sim.parameters import PARAMETERS
from sim.scenario import Scenario, load_scenario
from sim.schema.calibration import CalibrationFile, EpisodeTable
from sim.schema.rules import validate
from sim.simulate import simulate
from sim.strategy import Strategy, load_strategy


@dataclass(frozen=True)
class Episode:
    """One calibration episode: a scenario, its focal state, what was done, and the record."""

    scenario: Scenario
    state: str
    strategy: Strategy
    deaths: tuple[float, float]
    record: str
    comment: str


@dataclass(frozen=True)
class Calibration:
    """A validated calibration file."""

    name: str
    description: str
    seed: int
    reps: int
    counterfactual: Strategy
    episodes: tuple[Episode, ...]
    digest: str
    source: str


def _episode(table: EpisodeTable, n: int, file: str | Path) -> Episode:
    where = f"episodes[{n}]"
    scenario = load_named(load_scenario, table.scenario, file, f"{where}.scenario")
    if table.state not in scenario.state_names:
        raise InputError(file, f"{where}.state", f"{table.state!r} is not allowed", ", ".join(scenario.state_names))
    strategy = load_named(load_strategy, table.strategy, file, f"{where}.strategy")
    deaths = (float(table.deaths[0]), float(table.deaths[1]))
    return Episode(scenario, table.state, strategy, deaths, table.record, table.comment)


def parse_calibration(data: dict, file: str | Path, text: bytes = b"") -> Calibration:
    """Validate a parsed calibration TOML document (``text``: the file's bytes, for its digest)."""
    checked = validate(CalibrationFile, data, file)
    head = checked.calibration
    counterfactual = load_named(load_strategy, head.counterfactual, file, "calibration.counterfactual")
    episodes = tuple(_episode(t, n, file) for n, t in enumerate(checked.episodes))
    digest = hashlib.sha256(text).hexdigest()
    return Calibration(head.name, head.description, head.seed, head.reps, counterfactual, episodes, digest, str(file))


def load_calibration(name_or_path: str | Path) -> Calibration:
    """Load and validate a shipped calibration file (by name, from ``experiments/``) or a path; see
    :func:`sim.experiments.design.load_file`."""
    return load_file(parse_calibration, name_or_path)


def arms(episode: Episode, counterfactual: Strategy) -> dict[str, Strategy]:
    """The strategies an episode is run under, by label."""
    return {
        "historical": episode.strategy,
        "historical + veto restraint": episode.strategy.replace(veto_restraint=True),
        counterfactual.name: counterfactual,
        "no_response": load_strategy("no_response"),
    }


def focal(point: DesignPoint, first: int, count: int, seed: int, weeks: int | None, state: int) -> pd.DataFrame:
    """A chunk measure: the outcomes, with the deaths and the displaced of state number ``state``
    at the horizon (from the per-week trajectories) as ``focal_deaths`` and ``focal_displaced``."""
    table = simulate(point.scenario, point.strategy, count, seed, first=first, weeks=weeks, posterior=point.posterior)
    own = histories(point.scenario, point.strategy, count, seed, state, ("deaths", "displaced"), first, point.posterior)
    table["focal_deaths"] = own["deaths"][:, -1]
    table["focal_displaced"] = own["displaced"][:, -1]
    return table


def design(spec: Calibration) -> tuple[list[DesignPoint], list[Measure]]:
    """Every arm of every episode as a design point, in file order, and the measure of each."""
    points, measures = [], []
    for n, episode in enumerate(spec.episodes):
        measure = partial(focal, state=episode.scenario.state_names.index(episode.state))
        for label, strategy in arms(episode, spec.counterfactual).items():
            settings = (("calibration.episode", n), ("calibration.arm", label))
            points.append(DesignPoint(len(points), episode.scenario, strategy, settings))
            measures.append(measure)
    return points, measures


def calibrate(
    spec: Calibration,
    reps: int | None = None,
    progress: bool = True,
    *,
    folder: Path,
    workers: int | None = None,
    scheduler: str | None = None,
    chunk: int = CHUNK,
    posterior: Path | None = None,
) -> list[pd.DataFrame]:
    """Run every arm of every episode into the results folder ``folder`` (resumed if it holds this
    run, see :func:`sim.experiments.runner.evaluate`), over the posterior of the fit in folder
    ``posterior`` if given; one :func:`episode_table` per episode."""
    reps = reps or spec.reps
    points, measures = design(spec)
    points = with_posterior(points, posterior)
    info = {"source": str(Path(spec.source).resolve()), **posterior_record(posterior)}
    evaluate(points, reps, spec.seed, folder, identity={"calibration": spec.name, "digest": spec.digest},
             info=info, measure=measures, workers=workers, chunk=chunk,
             scheduler=scheduler, progress=progress, desc=spec.name)  # fmt: skip
    tables, index = [], 0
    for episode in spec.episodes:
        labels = arms(episode, spec.counterfactual)
        runs = {label: read_point(folder, index + k) for k, label in enumerate(labels)}
        index += len(labels)
        tables.append(episode_table(episode, spec.counterfactual, runs))
    return tables


def episode_table(episode: Episode, counterfactual: Strategy, runs: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per arm (``runs``: the rows of :func:`focal` per arm label): the focal state's deaths
    (median, 90 % interval, mean with CI), the paired difference from the historical arm, the share
    of runs inside the documented range, the median number displaced, vetoes and the median first
    response week per pillar, the scores of the deaths against the record (:mod:`sim.experiments.scores`:
    CRPS and log score, in decades); over a posterior (a ``particle`` column) also the deaths' ``sd`` and
    ``parameter_share`` (:func:`sim.experiments.statistics.uncertainty_table`)."""
    rows, historical = [], None
    for label, strategy in arms(episode, counterfactual).items():
        outcomes = runs[label]
        reps = len(outcomes)
        deaths = outcomes["focal_deaths"].to_numpy()
        historical = deaths if historical is None else historical
        mean, low, high = mean_ci(deaths)
        diff = paired(deaths, historical)
        inside = np.mean((deaths >= episode.deaths[0]) & (deaths <= episode.deaths[1]))
        q05, q25, q50, q75, q95 = np.quantile(deaths, [0.05, 0.25, 0.5, 0.75, 0.95])
        decades, record = np.log10(1.0 + deaths), toll_scale(episode.deaths)
        rows.append({
            "arm": label, "strategy": strategy.name, "median": float(q50),
            "q05": float(q05), "q25": float(q25), "q75": float(q75), "q95": float(q95),
            "crps": crps(decades, record), "log_score": log_score(decades, record),
            "mean": mean, "mean_low": low, "mean_high": high,
            "vs_historical": diff[0], "vs_low": diff[1], "vs_high": diff[2], "n": reps,
            "share_in_record": float(inside), "displaced": float(np.median(outcomes["focal_displaced"])),
            "vetoes": float(outcomes["vetoes"].mean()),
            **{f"pillar{p}_week": _median_week(outcomes[f"first_response_week_pillar{p}"]) for p in (1, 2, 3)},
            **(uncertainty_table(outcomes, ("focal_deaths",)).iloc[0][["sd", "parameter_share"]].to_dict()
               if "particle" in outcomes else {}),
        })  # fmt: skip
    return pd.DataFrame(rows)


def _median_week(series: pd.Series) -> float:
    weeks = series.dropna().to_numpy(dtype=np.float64)
    return float(np.median(weeks)) if len(weeks) * 2 >= len(series) else np.nan


def split(row: pd.Series) -> str:
    """Of an arm run over a posterior: the spread of its deaths and the share of their variance from
    the parameters, as a clause (empty otherwise)."""
    if "parameter_share" not in row:
        return ""
    return f"; sd {format_number(row['sd'])}, {row['parameter_share']:.0%} of the variance from the parameters"


def fit_label(row: pd.Series, record: tuple[float, float]) -> str:
    """Where the documented range lies against the simulated 90 % interval."""
    if record[1] < row["q05"]:
        return "record below the 90 % interval"
    if record[0] > row["q95"]:
        return "record above the 90 % interval"
    if row["q05"] <= record[0] and record[1] <= row["q95"]:
        return "record inside the 90 % interval"
    return "record overlaps the 90 % interval"


def coverage(spec: Calibration, tables: list[pd.DataFrame]) -> str:
    """How many episodes' documented tolls overlap the historical arm's 50 % and 90 % intervals."""
    rows = [(episode.deaths, table.iloc[0]) for episode, table in zip(spec.episodes, tables, strict=True)]
    in_50 = sum(low <= r["q75"] and r["q25"] <= high for (low, high), r in rows)
    in_90 = sum(low <= r["q95"] and r["q05"] <= high for (low, high), r in rows)
    return (f"The record overlaps the simulated 50 % interval in {in_50} of {len(rows)} episodes and the 90 % "
            f"interval in {in_90} of {len(rows)}.")  # fmt: skip


PLOT = "calibration/episodes.png"
"""The report's plot, relative to its folder."""


def plot(spec: Calibration, tables: list[pd.DataFrame], path: Path) -> Path:
    """Per episode, the historical arm's simulated focal deaths (5-25-50-75-95 % quantiles, log
    scale) beside the documented range; written to ``path``."""
    from sim.experiments.plots import new_figure, people_label, save_figure

    fig, (ax,) = new_figure((8.0, 1.4 + 0.6 * len(tables)))
    for y, (episode, table) in enumerate(zip(spec.episodes, tables, strict=True)):
        r = table.iloc[0]
        ax.plot([1.0 + r["q05"], 1.0 + r["q95"]], [y, y], color="#4477aa", lw=1.5)
        ax.plot([1.0 + r["q25"], 1.0 + r["q75"]], [y, y], color="#4477aa", lw=6, solid_capstyle="butt")
        ax.plot(1.0 + r["median"], y, "o", color="white", mec="#4477aa", ms=6)
        low, high = episode.deaths
        ax.fill_betweenx([y - 0.3, y + 0.3], 1.0 + low, 1.0 + high, color="#ee6677", alpha=0.5, lw=0,
                         label="documented toll" if y == 0 else None)  # fmt: skip
        ax.plot([1.0 + low, 1.0 + high], [y, y], "|", color="#ee6677", ms=14)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(people_label)
    ax.set_yticks(range(len(tables)), [e.scenario.name for e in spec.episodes])
    ax.invert_yaxis()
    ax.set_xlabel("focal state's deaths + 1, historical strategy\n(bar: 50 % interval, line: 90 %, dot: median)")
    ax.legend(loc="upper left", frameon=False)
    return save_figure(fig, path)


def write_report(spec: Calibration, tables: list[pd.DataFrame], out: Path, reps: int, seconds: float,
                 command: str) -> Path:  # fmt: skip
    """Write ``out/calibration.md`` and its plot (:data:`PLOT`); return the report's path."""
    out.mkdir(parents=True, exist_ok=True)
    plot(spec, tables, out / PLOT)
    path = out / "calibration.md"
    text = report(spec, tables, reps, seconds, command)
    write_atomically(path, lambda tmp: tmp.write_text(text))
    return path


def _n(x: float) -> str:
    return format_number(x)


PROCEDURE = """## Calibration procedure

The defaults of the model are not fitted by an optimiser; a run of this report at the defaults
shows them, a run over a posterior (`--posterior`, named in the header) shows the fit's. The
defaults are of three kinds:

1. **Set from the literature** (the `source` column of `docs/ODD.md` section 8 names a study):
   the risk-factor odds ratios (Early Warning Project), the end hazard of an episode (PITF median
   episode length 4.5 years) and the weaker protection against a state perpetrator (Hultman,
   Kathman and Shannon 2013). They are listed below; none was changed to improve a fit. The
   Pareto exponent of episode severity is an assumption: it is a survival exponent, while
   Clauset 2018's alpha about 1.5 for war sizes is a density exponent (see `docs/ODD.md`).
2. **Tuned by hand to a reference fact**: `onset_hazard`, so that a state with no risk factor
   and divided leadership has an onset rate near the Early Warning Project's base rate (S7;
   `docs/validation.md` measures the result for the typical-risk state of the validation file).
3. **Assumptions** (every other default): effect sizes of instruments, thresholds, harm rates,
   Council voting. They are not calibrated; the sensitivity analysis (`r2p sensitivity`) shows
   which of them matter.

The historical scenarios add per-episode overrides (`[model]` in the scenario file) and hand-set
initial conditions (tension, phase, severity), chosen by their authors so that the no-response
toll is of the right order of magnitude; they are listed per episode below and are not fitted
values either. The historical strategies (`strategies/historical/`) encode what was done and when,
by calendar week; they were written from the public record before the runs below and not
adjusted afterwards. At the defaults, the check below is therefore an out-of-sample comparison
of orders of magnitude, not a fit: for each episode, the simulated distribution of the focal
state's deaths under the historical strategy is set beside the documented toll, and scored as a
forecast of it (CRPS and log score on the log10(1 + deaths) scale against the log of the record's
middle, lower is better; Gneiting and Raftery 2007).

`r2p fit` (`experiments/fit.toml`) estimates some of these parameters by approximate Bayesian
computation against the reference facts and the tolls of three of the episodes (Rwanda, Bosnia,
Syria; Kenya and Libya are held out). Its report, [`fit.md`](fit.md), gives the posterior, the
predictive check of every target and the same scores and interval coverage prior vs posterior;
over its posterior, the fitted episodes below are in-sample.
"""


def _literature() -> list[str]:
    lines = ["| parameter | default | source |", "|---|---|---|"]
    for p in PARAMETERS:
        if not p.source.startswith(("assumption", "seed")) and p.name not in ("veto_restraint", "uniting_for_peace"):
            lines.append(f"| `{p.name}` | {p.default:g} | {p.source} |")
    return lines


def report(spec: Calibration, tables: list[pd.DataFrame], reps: int, seconds: float, command: str) -> str:
    """The Markdown text of the calibration report."""
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Calibration: stylised historical episodes",
        "",
        f"Generated by `{command}` on {today} in {seconds:.0f} s: {reps:,} replications per arm, root seed "
        f"{spec.seed}, calibration file `{Path(spec.source).name}` (sha256 {spec.digest[:12]}), git revision "
        f"{git_revision() or 'unknown'}. Do not edit by hand; run the command again.",
        "",
        "The episodes are stylised (see each scenario file): they borrow the broad shape of a case to explore "
        "response logic and do not reconstruct what happened. Deaths are model quantities for the focal state; "
        "the documented tolls are those of DESIGN.md section 3 and the scenario files. Every arm uses the same "
        "root seed, so differences between arms are paired (common random numbers).",
        "",
        PROCEDURE,
        "Parameters set from the literature or tuned to a reference fact (defaults):",
        "",
        *_literature(),
        "",
        "## Fit: the historical strategy beside the record",
        "",
        "| episode | focal state | documented deaths | simulated median | 90 % interval | runs inside the "
        "record | where the record lies | CRPS (decades) | log score |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for episode, table in zip(spec.episodes, tables, strict=True):
        row = table.iloc[0]
        lines.append(
            f"| {episode.scenario.name} | {episode.state} | {_n(episode.deaths[0])}-{_n(episode.deaths[1])} | "
            f"{_n(row['median'])} | {_n(row['q05'])}-{_n(row['q95'])} | {row['share_in_record']:.1%} | "
            f"{fit_label(row, episode.deaths)}{split(row)} | {row['crps']:.3f} | {row['log_score']:.2f} |"
        )
    lines += ["", coverage(spec, tables), "", f"![episodes]({PLOT})"]
    for episode, table in zip(spec.episodes, tables, strict=True):
        overrides = ", ".join(f"`{k}` = {v:g}" for k, v in episode.scenario.params.items()) or "none"
        lines += [
            "",
            f"## {episode.scenario.title}",
            "",
            f"Record: {episode.record}. Historical strategy: `{episode.strategy.name}` "
            f"({episode.strategy.description}). Scenario overrides: {overrides}.",
            "",
            "| arm | median deaths | 90 % interval | mean (95 % CI) | paired difference from historical (95 % CI) | "
            "median displaced | vetoes per run | median first response week, pillar I / II / III |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for _, r in table.iterrows():
            weeks = " / ".join(_n(r[f"pillar{p}_week"]) for p in (1, 2, 3))
            lines.append(
                f"| {r['arm']} | {_n(r['median'])} | {_n(r['q05'])}-{_n(r['q95'])} | {_n(r['mean'])} "
                f"({_n(r['mean_low'])}-{_n(r['mean_high'])}) | {_n(r['vs_historical'])} ({_n(r['vs_low'])} to "
                f"{_n(r['vs_high'])}) | {_n(r['displaced'])} | {r['vetoes']:.2g} | {weeks} |"
            )
        lines.append(f"\n{table['n'].iloc[0]:,} replications per arm; a week is '-' if fewer than half the runs "
                     "saw that pillar act.")  # fmt: skip
        if episode.comment:
            lines += ["", f"*Notes*: {episode.comment.strip()}"]
    return "\n".join(lines) + "\n"
