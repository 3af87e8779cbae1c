"""What a fit found: posterior summaries, predictive checks against every target and episode, prior
beside posterior, and the report of a posterior folder (``report.md``, ``posterior.png``).

Predictive draws: parameter sets, from the posterior by weight or from the prior, each
simulated with its own seed derived from the root seed (so prior and posterior draw k share dice).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from sim.experiments.calibration import Episode
from sim.experiments.fit import (
    GENERATIONS,
    PREDICTIVE,
    Fit,
    Target,
    derived_seed,
    simulated,
    toll,
)
from sim.experiments.posterior_folder import read_posterior
from sim.experiments.scores import crps, log_score, toll_scale
from sim.experiments.store import read_manifest, write_atomically, write_table

EPISODE_REPS = 50
"""Replications per drawn parameter set of an episode's predictive toll distribution."""
REPORT = "report.md"
PLOT = "posterior.png"


def prior_draws(spec: Fit, n: int, seed: int) -> pd.DataFrame:
    """``n`` parameter sets from the prior (one column per key)."""
    rng = np.random.default_rng(derived_seed(seed, "fit-prior"))
    columns = {}
    for p in spec.priors:
        u = rng.random(n)
        columns[p.key] = np.exp(np.log(p.low) + u * (np.log(p.high) - np.log(p.low))) if p.log else p.low + u * (
            p.high - p.low)  # fmt: skip
    return pd.DataFrame(columns)


def posterior_draws(posterior: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """``n`` parameter sets drawn by weight from the particles of ``posterior``."""
    rng = np.random.default_rng(derived_seed(seed, "fit-posterior"))
    weights = posterior["weight"].to_numpy(dtype=float)
    rows = rng.choice(len(posterior), size=n, p=weights / weights.sum())
    return posterior.drop(columns="weight").iloc[rows].reset_index(drop=True)


def predictive(spec: Fit, draws: pd.DataFrame) -> pd.DataFrame:
    """Each target's simulated value at every drawn parameter set: one row per draw, one column per target."""
    rows = [simulated(spec, row.to_dict(), derived_seed(spec.seed, "fit-predictive", k))
            for k, (_, row) in enumerate(draws.iterrows())]  # fmt: skip
    return pd.DataFrame(rows)


def target_check(spec: Fit, values: pd.DataFrame) -> pd.DataFrame:
    """Per target: reference, tolerance, predictive median and 90 % interval, share of draws within
    the tolerance, and whether the median is within it."""
    rows = []
    for t in spec.targets:
        x = values[t.label].to_numpy(dtype=float)
        q05, q50, q95 = np.quantile(x, [0.05, 0.5, 0.95])
        rows.append({"target": t.label, "reference": t.value, "tolerance": t.tolerance, "median": q50, "q05": q05,
                     "q95": q95, "within": float(np.mean(np.abs(x - t.value) <= t.tolerance)),
                     "inside": bool(abs(q50 - t.value) <= t.tolerance), "source": t.source})  # fmt: skip
    return pd.DataFrame(rows)


def episode_check(spec: Fit, draws: pd.DataFrame, episodes: list[tuple[Episode, bool]]) -> pd.DataFrame:
    """Per episode: the focal state's predictive toll (median, 90 % interval over draws and
    replications) and whether the documented ``[low, high]`` overlaps that interval."""
    rows = []
    for episode, held_in in episodes:
        target = Target("episode_toll", toll_scale(episode.deaths), 1.0, EPISODE_REPS, episode.scenario.weeks, "",
                        episode=episode)  # fmt: skip
        tolls = np.concatenate([toll(spec, row.to_dict(), target, derived_seed(spec.seed, "fit-episode", k))
                                for k, (_, row) in enumerate(draws.iterrows())])  # fmt: skip
        q05, q25, q50, q75, q95 = np.quantile(tolls, [0.05, 0.25, 0.5, 0.75, 0.95])
        low, high = episode.deaths
        scale = np.log10(1.0 + tolls)
        record = toll_scale(episode.deaths)
        rows.append({"episode": episode.scenario.name, "state": episode.state, "fitted": held_in, "record_low": low,
                     "record_high": high, "median": q50, "q05": q05, "q95": q95,
                     "covered": bool(q05 <= high and low <= q95), "in_50": bool(q25 <= high and low <= q75),
                     "crps": crps(scale, record), "log_score": log_score(scale, record)})  # fmt: skip
    return pd.DataFrame(rows)


def check(spec: Fit, folder: Path, draws: int) -> pd.DataFrame:
    """Prior and posterior predictive checks of every target and episode, written to ``predictive.csv``."""
    posterior = read_posterior(folder)
    episodes = [(t.episode, True) for t in spec.targets if t.episode is not None] + [(e, False) for e in spec.held_out]
    tables = []
    for name, sample in (("prior", prior_draws(spec, draws, spec.seed)),
                         ("posterior", posterior_draws(posterior, draws, spec.seed))):  # fmt: skip
        targets = target_check(spec, predictive(spec, sample)).assign(kind="target")
        cases = episode_check(spec, sample, episodes).assign(kind="episode")
        tables.append(pd.concat([targets, cases], ignore_index=True).assign(distribution=name, draws=draws))
    table = pd.concat(tables, ignore_index=True)
    write_table(table, folder / PREDICTIVE)
    return table


def summary(spec: Fit, posterior: pd.DataFrame) -> pd.DataFrame:
    """Per parameter: prior range, weighted posterior mean and 90 % credible interval."""
    weights = posterior["weight"].to_numpy(dtype=float)
    weights = weights / weights.sum()
    rows = []
    for p in spec.priors:
        x = posterior[p.key].to_numpy(dtype=float)
        order = np.argsort(x)
        cumulative = np.cumsum(weights[order])
        q05, q50, q95 = (float(x[order][np.searchsorted(cumulative, q)]) for q in (0.05, 0.5, 0.95))
        rows.append({"parameter": p.name, "prior_low": p.low, "prior_high": p.high, "scale": "log" if p.log else
                     "linear", "mean": float(np.sum(weights * x)), "median": q50, "q05": q05, "q95": q95,
                     "source": p.source})  # fmt: skip
    return pd.DataFrame(rows)


def plot(spec: Fit, posterior: pd.DataFrame, path: Path) -> Path:
    """Weighted marginal histograms (diagonal) and pairwise scatter plots of the posterior particles."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(spec.priors)
    figure, axes = plt.subplots(n, n, figsize=(2.2 * n, 2.2 * n), squeeze=False)
    weights = posterior["weight"].to_numpy(dtype=float)
    for i, pi in enumerate(spec.priors):
        for j, pj in enumerate(spec.priors):
            ax = axes[i][j]
            if i == j:
                bins = np.geomspace(pi.low, pi.high, 25) if pi.log else np.linspace(pi.low, pi.high, 25)
                ax.hist(posterior[pi.key], bins=bins, weights=weights, color="tab:blue")
                ax.set_xscale("log" if pi.log else "linear")
            elif i > j:
                ax.scatter(posterior[pj.key], posterior[pi.key], s=4 + 200 * weights / weights.max(), alpha=0.4)
                ax.set_xscale("log" if pj.log else "linear")
                ax.set_yscale("log" if pi.log else "linear")
                ax.set_xlim(pj.low, pj.high)
                ax.set_ylim(pi.low, pi.high)
            else:
                ax.axis("off")
            if i == n - 1:
                ax.set_xlabel(pj.name, fontsize=8)
            if j == 0 and i > 0:
                ax.set_ylabel(pi.name, fontsize=8)
            ax.tick_params(labelsize=6)
    figure.suptitle(f"{spec.name}: posterior of {len(posterior)} particles (axes: prior ranges)")
    figure.tight_layout()
    write_atomically(path, lambda tmp: figure.savefig(tmp, format="png", dpi=110))
    plt.close(figure)
    return path


def _prior_and_posterior(checks: pd.DataFrame, column: str, name: str) -> tuple[pd.Series, pd.Series]:
    """The prior's and the posterior's row of the check of ``name`` (in ``column``)."""
    rows = checks[checks[column] == name].set_index("distribution")
    return rows.loc["prior"], rows.loc["posterior"]


def _g(x: float) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3g}"


def report(spec: Fit, folder: Path, checks: pd.DataFrame, seconds: float, command: str) -> Path:
    """Write ``report.md`` and ``posterior.png`` of a finished fit; return the report's path."""
    posterior = read_posterior(folder)
    manifest = read_manifest(folder)
    generations = pd.read_csv(folder / GENERATIONS)
    table = summary(spec, posterior)
    plot(spec, posterior, folder / PLOT)
    evaluations = int(generations["evaluations"].sum())
    reps = sum(t.reps for t in spec.targets)
    lines = [f"# Fit `{spec.name}`", "", spec.description, "",
             f"ABC-SMC (pyabc), {len(generations)} generations of {spec.population} particles, root seed {spec.seed}; "
             f"{evaluations:,} candidate particles simulated, {reps:,} replications each "
             f"({evaluations * reps:,} in all); fit from {manifest['started']} to {manifest['finished']} UTC, "
             f"{seconds:.0f} s for this command. Reproduce: `{command}`.", "",
             "Distance: root mean square over targets of (simulated - reference) / tolerance.", "",
             "## Generations", "", "| t | epsilon | evaluations | acceptance | ESS |",
             "|---|---|---|---|---|"]  # fmt: skip
    lines += [f"| {int(r.t)} | {r.epsilon:.3g} | {int(r.evaluations):,} | {r.acceptance:.1%} | {r.ess:.0f} |"
              for r in generations.itertuples()]  # fmt: skip
    lines += ["", "## Posterior", "", f"![posterior]({PLOT})", "",
              "| parameter | prior | posterior median | 90 % credible interval | source of the prior |",
              "|---|---|---|---|---|"]  # fmt: skip
    lines += [f"| `{r.parameter}` | {_g(r.prior_low)}-{_g(r.prior_high)} ({r.scale}) | {_g(r.median)} | "
              f"{_g(r.q05)}-{_g(r.q95)} | {r.source} |" for r in table.itertuples()]  # fmt: skip
    lines += ["", "## Predictive check of the targets", "",
              f"{int(checks['draws'].iloc[0])} parameter sets drawn from the prior and from the posterior.", "",
              "| target | reference | tolerance | prior median (90 %) | posterior median (90 %) | posterior within "
              "tolerance | inside |", "|---|---|---|---|---|---|---|"]  # fmt: skip
    targets = checks[checks["kind"] == "target"]
    for label in targets["target"].drop_duplicates():
        pr, po = _prior_and_posterior(targets, "target", label)
        lines.append(f"| {label} | {_g(po.reference)} | {_g(po.tolerance)} | {_g(pr['median'])} ({_g(pr.q05)}-"
                     f"{_g(pr.q95)}) | {_g(po['median'])} ({_g(po.q05)}-{_g(po.q95)}) | {po.within:.0%} | "
                     f"{'yes' if po.inside else '**missed**'} |")  # fmt: skip
    lines += ["", "Episode tolls are in decades: log10(1 + median focal-state deaths).", "",
              "## Historical episodes: the focal state's toll", "",
              f"Per episode, {EPISODE_REPS} replications at each drawn parameter set; covered: the documented range "
              "overlaps the predictive 90 % interval.", "",
              "| episode | fitted? | record | prior median (90 %) | covered (prior) | posterior median (90 %) | "
              "covered (posterior) |", "|---|---|---|---|---|---|---|"]  # fmt: skip
    episodes = checks[checks["kind"] == "episode"]
    covered = {"prior": 0, "posterior": 0}
    for name in episodes["episode"].drop_duplicates():
        pr, po = _prior_and_posterior(episodes, "episode", name)
        covered["prior"] += bool(pr.covered)
        covered["posterior"] += bool(po.covered)
        lines.append(f"| {name} | {'fitted' if po.fitted else 'held out'} | {po.record_low:,.0f}-"
                     f"{po.record_high:,.0f} | {pr['median']:,.0f} ({pr.q05:,.0f}-{pr.q95:,.0f}) | "
                     f"{'yes' if pr.covered else 'no'} | {po['median']:,.0f} ({po.q05:,.0f}-{po.q95:,.0f}) | "
                     f"{'yes' if po.covered else 'no'} |")  # fmt: skip
    n = episodes["episode"].nunique()
    lines += [
        "",
        f"Covered: {covered['posterior']} of {n} episodes under the posterior, {covered['prior']} of {n} "
        "under the prior.",
    ]
    lines += ["", "## Scores of the toll forecasts", "",
              "Per episode, on the log10(1 + deaths) scale against the log of the record's middle: the continuous "
              "ranked probability score (CRPS, in decades) and the log score (negative log predictive density); "
              "lower is better. Coverage: share of episodes whose record overlaps the predictive interval.", "",
              "| episode | CRPS prior | CRPS posterior | log score prior | log score posterior |",
              "|---|---|---|---|---|"]  # fmt: skip
    for name in episodes["episode"].drop_duplicates():
        pr, po = _prior_and_posterior(episodes, "episode", name)
        lines.append(f"| {name} | {pr.crps:.3f} | {po.crps:.3f} | {pr.log_score:.2f} | {po.log_score:.2f} |")
    for level, column in (("50 %", "in_50"), ("90 %", "covered")):
        share = {d: episodes.loc[episodes["distribution"] == d, column].mean() for d in ("prior", "posterior")}
        lines.append(f"\nCoverage of the {level} interval: prior {share['prior']:.0%}, posterior "
                     f"{share['posterior']:.0%}.")  # fmt: skip
    lines += ["", "These are stylised episodes of a model built to explore policy logic, not forecasts of real "
              "countries; a fit to them says which parameter values are consistent with the record under the "
              "model's assumptions, nothing more.", ""]  # fmt: skip
    path = folder / REPORT
    text = "\n".join(lines)
    write_atomically(path, lambda tmp: tmp.write_text(text))
    return path
