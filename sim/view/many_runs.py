"""Many runs at once: strategies A and B over a few hundred replications on the Numba engine.

One run is one draw: under no response, the median of 40 seeds of the classroom region is about
a tenth of the mean. :func:`many_runs` runs replications ``0 .. reps - 1`` of the page's seed under
both strategies with common random numbers (replication *r* meets the same shocks under A and
B, and replication 0 is the run the Crisis tab shows), so the spread of each and the paired
differences can be shown side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from sim.rules.outcomes import TRAJECTORY
from sim.simulate import simulate
from sim.view.charts import A_COLOUR, B_COLOUR
from sim.view.session import Settings, build_inputs, label

RUNS = 200
"""Replications per strategy the page runs."""

BANDS = (0.05, 0.25, 0.5, 0.75, 0.95)
"""Quantiles of cumulative deaths per week drawn in the fan chart (90 % and 50 % bands, median)."""


@dataclass(frozen=True)
class Spread:
    """Outcomes of ``reps`` paired replications under strategies A and B.

    Attributes
    ----------
    names
        Names of strategies A and B.
    seed
        Root seed (the page's).
    deaths
        Deaths by the horizon, shape ``(2, reps)``: row 0 A, row 1 B, column *r* replication *r*.
    atrocity
        Whether any state was in atrocity in any week, shape ``(2, reps)``.
    fan
        Quantiles :data:`BANDS` of cumulative deaths per week, shape ``(2, len(BANDS), weeks + 1)``.
    """

    names: tuple[str, str]
    seed: int
    deaths: np.ndarray
    atrocity: np.ndarray
    fan: np.ndarray

    @property
    def reps(self) -> int:
        """Replications per strategy."""
        return int(self.deaths.shape[1])

    @property
    def typical(self) -> bool:
        """Whether replication 0 (the run the Crisis tab shows) has a paired difference within the
        middle half of all the replications' (neither a lucky nor an unlucky draw)."""
        low, high = np.quantile(self.differences, (0.25, 0.75))
        return bool(low <= self.differences[0] <= high)

    @property
    def differences(self) -> np.ndarray:
        """Paired differences of deaths, B - A, per replication."""
        return self.deaths[1] - self.deaths[0]

    def summary(self) -> list[tuple[str, str, str]]:
        """Rows ``(measure, A, B)`` of the table under the charts."""
        return [
            ("median deaths", *(f"{np.median(d):,.0f}" for d in self.deaths)),
            ("mean deaths", *(f"{d.mean():,.0f}" for d in self.deaths)),
            (
                "90 % of runs between",
                *(f"{np.quantile(d, 0.05):,.0f} and {np.quantile(d, 0.95):,.0f}" for d in self.deaths),
            ),
            ("runs with an atrocity", *(f"{a.mean():.0%}" for a in self.atrocity)),
        ]

    def csv(self) -> str:
        """Deaths and atrocity per replication under A and B, and their paired difference, as CSV."""
        rows = ["replication,deaths_a,deaths_b,difference_b_minus_a,atrocity_a,atrocity_b"]
        rows += [
            f"{r},{a:.0f},{b:.0f},{b - a:.0f},{int(x)},{int(y)}"
            for r, (a, b, x, y) in enumerate(zip(*self.deaths, *self.atrocity, strict=True))
        ]
        return "\n".join(rows) + "\n"

    def paired(self) -> str:
        """One sentence on the paired differences: how often B did better, worse or the same, and the
        mean difference with its 95 % confidence interval (normal approximation)."""
        d = self.differences
        fewer, more = int((d < 0).sum()), int((d > 0).sum())
        half = 1.96 * d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else 0.0
        return (
            f"In {fewer} of {len(d)} runs B ({self.names[1]}) ended with fewer deaths than A ({self.names[0]}), "
            f"in {more} with more and in {len(d) - fewer - more} with the same number. Mean difference B - A: "
            f"{d.mean():+,.0f} deaths (95 % confidence interval {d.mean() - half:+,.0f} to {d.mean() + half:+,.0f})."
        )


def many_runs(settings: Settings, b: Settings | str, reps: int = RUNS) -> Spread:
    """Replications ``0 .. reps - 1`` of ``settings`` (strategy A) and of ``b`` (B: its own settings,
    or a preset name for A's settings with that preset), on the Numba engine (raises
    :class:`sim.config.InputError` on bad settings)."""
    deaths, atrocity, fans, names = [], [], [], []
    deaths_index = TRAJECTORY.index("deaths")
    for chosen in (settings, settings.replace(strategy=b) if isinstance(b, str) else b):
        scenario, strategy, seed = build_inputs(chosen)
        table, paths = simulate(scenario, strategy, reps, seed, trajectories=True)
        deaths.append(table["deaths"].to_numpy(float))
        atrocity.append(table["atrocity_weeks_any"].to_numpy() > 0)
        fans.append(np.quantile(paths[:, :, deaths_index, :].sum(axis=2), BANDS, axis=0))
        names.append(label(strategy))
    return Spread((names[0], names[1]), seed, np.array(deaths), np.array(atrocity), np.array(fans))


def spread_chart(spread: Spread) -> Figure:
    """Fan chart of cumulative deaths per week under A and B, and a histogram of the paired
    differences B - A."""
    fig = Figure(figsize=(11, 4), dpi=90, layout="constrained")
    fan, hist = fig.subplots(1, 2, width_ratios=(3, 2))
    weeks = np.arange(spread.fan.shape[2])
    for row, (name, colour, letter) in enumerate(zip(spread.names, (A_COLOUR, B_COLOUR), "AB", strict=True)):
        q = spread.fan[row]
        style = "-" if letter == "A" else "--"
        fan.fill_between(weeks, q[1], q[3], color=colour, alpha=0.25, lw=0)
        for edge in (q[0], q[4]):
            fan.plot(weeks, edge, color=colour, lw=1, ls=style)
        fan.plot(weeks, q[2], color=colour, lw=2.5, ls=style, label=f"{letter}: {name}")
    fan.set_xlim(0, weeks[-1])
    fan.set_xlabel("week", fontsize=12)
    fan.set_ylabel("cumulative deaths", fontsize=12)
    fan.yaxis.set_major_formatter("{x:,.0f}")
    fan.set_title(f"{spread.reps} runs each: median, middle half (shaded), middle 90 % (thin lines)", fontsize=13)
    fan.legend(fontsize=11, loc="upper left")
    d = spread.differences
    hist.hist(d, bins=min(40, max(10, spread.reps // 5)), color="#555555")
    hist.axvline(0, color="black", lw=1)
    hist.set_xlabel("deaths under B minus deaths under A (same run)", fontsize=12)
    hist.set_ylabel("runs", fontsize=12)
    hist.xaxis.set_major_formatter("{x:,.0f}")
    hist.set_title("Paired differences: left of 0, B did better", fontsize=13)
    for axes in (fan, hist):
        axes.tick_params(labelsize=11)
    return fig
