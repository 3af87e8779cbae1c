"""The files of ``r2p discover``: tables, plots and a short report of a scenario discovery.

:func:`write_discovery` computes everything first (so a bad input writes nothing), then writes
into ``RESULTS/discovery/`` (or another folder), each file atomically:

- ``cases.csv``: per design point, its inputs, the share of its replications satisfying the
  expression and whether it is of interest;
- ``trajectory.csv``: PRIM's peeling trajectory (coverage, density, mass, restricted inputs);
- ``box.csv``: the chosen box's restrictions with their quasi-p-values;
- ``tradeoff.png``: coverage against density of every box, coloured by restricted inputs;
- ``tree.txt``, ``tree.png``: a shallow CART tree;
- ``scores.csv``, ``scores.png``: extra-trees feature scores of the inputs;
- ``report.md``.

The same results folder gives byte-identical files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.discovery import OF_INTEREST, Cases, Discovery, discover, read_cases, scores, tree
from sim.experiments.plots import new_figure, save_figure
from sim.experiments.statistics import markdown_table
from sim.experiments.store import check_target, read_manifest, write_atomically, write_table

FOLDER = "discovery"
FILES = ("cases.csv", "trajectory.csv", "box.csv", "tradeoff.png", "tree.txt", "tree.png", "scores.csv",
         "scores.png", "report.md")  # fmt: skip


def write_discovery(
    folder: Path,
    expression: str,
    share: float = 0.5,
    density: float = 0.8,
    box: int | None = None,
    out: Path | None = None,
) -> Path:
    """Discover where ``expression`` holds in the results ``folder``; write the files of the
    module's list into ``out`` (default ``folder/discovery``) and return that folder.

    Raises
    ------
    InputError
        One line (nothing written) if the folder, the expression or ``box`` is not usable.
    """
    out = Path(folder) / FOLDER if out is None else Path(out)
    check_target(out)
    cases = read_cases(folder, expression, share)
    found = discover(cases, density, box)
    model, features = tree(cases)
    ranking = scores(cases)
    from sklearn.tree import export_text

    text = export_text(model, feature_names=features, class_names=["other", "of interest"], decimals=3)
    report = _report(read_manifest(Path(folder)), cases, found, ranking, density)
    out.mkdir(parents=True, exist_ok=True)
    write_table(cases.frame, out / "cases.csv")
    write_table(found.trajectory, out / "trajectory.csv")
    write_table(found.restrictions, out / "box.csv")
    write_table(ranking, out / "scores.csv")
    write_atomically(out / "tree.txt", lambda tmp: tmp.write_text(text, encoding="utf-8"))
    _tradeoff(found, out / "tradeoff.png")
    _tree_plot(model, features, out / "tree.png")
    _scores_plot(ranking, out / "scores.png")
    write_atomically(out / "report.md", lambda tmp: tmp.write_text(report, encoding="utf-8"))
    return out


def _tradeoff(found: Discovery, path: Path) -> None:
    """Coverage against density of every box on the trajectory, coloured by restricted inputs."""
    figure, (axes,) = new_figure()
    table = found.trajectory
    dims = table["restricted_dims"].to_numpy()
    colours = axes.scatter(table["coverage"], table["density"], c=dims, cmap="viridis", s=28,
                           vmin=dims.min(), vmax=max(dims.max(), dims.min() + 1))  # fmt: skip
    chosen = table.iloc[found.box]
    axes.scatter([chosen["coverage"]], [chosen["density"]], s=160, facecolors="none", edgecolors="crimson",
                 linewidths=2, label=f"chosen box {found.box}")  # fmt: skip
    bar = figure.colorbar(colours, ax=axes)
    bar.set_label("restricted inputs")
    axes.set(xlabel="coverage (share of the cases of interest inside the box)",
             ylabel="density (share of the box's cases of interest)", xlim=(0, 1.02), ylim=(0, 1.02),
             title="PRIM peeling trajectory")  # fmt: skip
    axes.legend(loc="lower left")
    save_figure(figure, path)


def _tree_plot(model: Any, features: list[str], path: Path) -> None:
    """The CART tree drawn by scikit-learn."""
    from sklearn.tree import plot_tree

    figure, (axes,) = new_figure((14, 7))
    plot_tree(model, feature_names=features, class_names=["other", "of interest"], filled=True, impurity=False,
              proportion=True, precision=3, fontsize=8, ax=axes)  # fmt: skip
    save_figure(figure, path)


def _scores_plot(ranking: pd.DataFrame, path: Path) -> None:
    """Horizontal bars of the feature scores, highest on top."""
    figure, (axes,) = new_figure((8, 1.5 + 0.45 * len(ranking)))
    positions = np.arange(len(ranking))[::-1]
    axes.barh(positions, ranking["importance"], color="steelblue")
    axes.set_yticks(positions, ranking["input"])
    axes.set(xlabel="feature score (extra trees; the scores sum to 1)", title="Which inputs separate the cases")
    save_figure(figure, path)


def _number(value: float) -> str:
    return "" if pd.isna(value) else f"{value:.4g}"


def _report(manifest: dict, cases: Cases, found: Discovery, ranking: pd.DataFrame, density: float) -> str:
    """``report.md``: the question, the chosen box and what its numbers mean, the second views."""
    frame = cases.frame
    count, total = int(frame[OF_INTEREST].sum()), len(frame)
    box = found.trajectory.iloc[found.box]
    lines = [
        f"# Scenario discovery: {manifest.get('experiment', '')}",
        "",
        f"A design point is *of interest* when at least {cases.share:g} of its replications satisfy "
        f"`{cases.where.text}`. {count} of {total} design points ({count / total:.0%}) are; each has "
        f"{int(frame['n'].min()):,} replications. PRIM (EMA Workbench) peeled {len(found.trajectory) - 1} boxes "
        f"from the whole input space over the inputs {', '.join(f'`{c}`' for c in cases.inputs)}.",
        "",
        "## The box",
        "",
        f"Box {found.box}: coverage {box['coverage']:.2f}, density {box['density']:.2f}, mass {box['mass']:.2f} "
        f"({int(box['n'])} points, {int(box['k'])} of them of interest).",
        "",
        "- *coverage*: the share of all points of interest that lie in the box;",
        f"- *density*: the share of the points in the box that are of interest (base rate {count / total:.2f});",
        "- *mass*: the share of all points that lie in the box.",
        "",
    ]
    if not found.meets_density:
        lines += [f"No box on the trajectory reaches density {density:g}; this is the densest.", ""]
    if found.restrictions.empty:
        lines += ["The box restricts no input: no region of the inputs stands out.", ""]
    else:
        rows = []
        for r in found.restrictions.itertuples():
            inside = r.values if r.kind == "categorical" else f"{_number(r.lower)} to {_number(r.upper)}"
            whole = "" if r.kind == "categorical" else f"{_number(r.minimum)} to {_number(r.maximum)}"
            quasi = ", ".join(_number(p) for p in (r.qp_lower, r.qp_upper) if not pd.isna(p))
            rows.append([f"`{r.input}`", inside, whole, quasi])
        lines += markdown_table(["input", "in the box", "sampled", "quasi-p"], rows, left=(0, 1, 2))
        lines += [
            "",
            "Inputs not listed are not restricted. A quasi-p-value (a one-sided binomial test, Bryant & "
            "Lempert 2010) above 0.05 marks a restriction that may be chance.",
            "",
        ]
    top = ", ".join(f"`{r.input}` ({r.importance:.2f})" for r in ranking.head(3).itertuples())
    lines += [
        "## Second views",
        "",
        f"Feature scores (extra trees, `scores.csv`): {top}. A shallow CART tree (`tree.txt`, `tree.png`) "
        "splits the same cases by the inputs that separate them best; where it and the box agree, the "
        "pattern is robust to the method.",
        "",
        "## Reading it",
        "",
        "This is a stylised model, not a forecast. The box describes where in the sampled ranges of the "
        "inputs the model's runs end as the expression says; inputs that were not sampled keep their "
        "files' values, and other ranges can give other boxes. `trajectory.csv` and `tradeoff.png` show "
        "the trade-off between coverage and density; `r2p discover --box N` picks another box.",
        "",
    ]
    return "\n".join(lines)
