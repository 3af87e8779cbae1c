"""``r2p validate``: measure the stylised facts S1-S9 and the trade-off checks S10-S13 and write a
validation report.

The validation file (``experiments/validation.toml``) has a ``[validation]`` table (``name``,
``description``, ``seed``, ``reps``), a ``[typical_state]`` table (one state, in the fields of a
scenario's ``[[states]]``: the typical-risk state of S5, S7, S8 and S9) and one table per fact,
``[S1]`` to ``[S13]``, whose fields :mod:`sim.experiments.facts` (S1-S9) and
:mod:`sim.experiments.trade_offs` (S10-S13) define. Each fact table may have
a ``comment``: notes written after a run, printed under the fact in the report.

Command line (:mod:`sim.cli.validate`): ``r2p validate [FILE] [--reps N] [--out DIR | --write-docs] [--results RUNS]
[--posterior FIT]``; the arms run into the resumable results folder ``RUNS`` (over the posterior of the
fit in folder ``FIT``, if given); writes ``DIR/validation.md`` (``DIR``: ``RUNS`` unless given; ``docs``
with ``--write-docs``), and plots and ``summary.csv`` in ``DIR/validation/``.
"""

from __future__ import annotations

import datetime
import hashlib
import math
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.experiments import facts, trade_offs
from sim.experiments.design import DesignPoint, load_file
from sim.experiments.facts import Arm, Finding
from sim.experiments.findings import OVER_POSTERIOR
from sim.experiments.posterior_folder import MODEL_KEY, POSTERIOR, load_posterior, posterior_record
from sim.experiments.runner import CHUNK, evaluate, read_point
from sim.experiments.statistics import format_number
from sim.experiments.store import git_revision, write_atomically, write_table
from sim.posterior import Posterior
from sim.scenario import StateSpec, state_spec
from sim.schema import rules
from sim.schema.validation import ValidationFile

FACTS = {**facts.FACTS, **trade_offs.FACTS}
"""Per fact: the parser of its table and its measurement (S1-S9: :mod:`sim.experiments.facts`,
S10-S13: :mod:`sim.experiments.trade_offs`)."""

ARMS = {**facts.ARMS, **trade_offs.ARMS}
"""Per fact: the arms its measurement needs, by label."""

SLOW = ("S6",)
"""Facts whose measurement takes long (S6: the tail fit, about 20 s at 20,000 replications): their
arms are simulated first, so the measurement runs while the kernel simulates the other arms."""


@dataclass(frozen=True)
class Validation:
    """A validated validation file."""

    name: str
    description: str
    seed: int
    reps: int
    typical: StateSpec
    facts: dict[str, dict]
    comments: dict[str, str]
    digest: str
    source: str


def parse_validation(data: dict, file: str | Path, text: bytes = b"") -> Validation:
    """Validate a parsed validation TOML document (``text``: the file's bytes, for its digest)."""
    checked = rules.validate(ValidationFile, data, file)
    head = checked.validation
    typical = state_spec(checked.typical_state)
    facts, comments = {}, {}
    for fact, (parse, _) in FACTS.items():
        table = getattr(checked, fact)
        comments[fact] = table.comment
        facts[fact] = parse(table, typical, file, fact)
    digest = hashlib.sha256(text).hexdigest()
    return Validation(head.name, head.description, head.seed, head.reps, typical, facts, comments, digest, str(file))


def load_validation(name_or_path: str | Path) -> Validation:
    """Load and validate a shipped validation file (by name, from ``experiments/``) or a path; see
    :func:`sim.experiments.design.load_file`."""
    return load_file(parse_validation, name_or_path)


def validate(
    spec: Validation,
    reps: int | None = None,
    progress: bool = True,
    *,
    folder: Path,
    workers: int | None = None,
    scheduler: str | None = None,
    chunk: int = CHUNK,
    only: tuple[str, ...] = (),
    posterior: Path | None = None,
) -> list[Finding]:
    """Measure every fact (or those in ``only``) with ``reps`` replications per arm (default: the file's).

    The arms of all facts are the design points of one run of
    :func:`sim.experiments.runner.evaluate` into the results folder ``folder`` (resumed if it
    holds this run). Each fact is measured from its arms' rows as soon as they are all on disk,
    on a thread of its own while the kernel simulates the next facts' arms (the :data:`SLOW` ones first).

    Over the posterior of the fit in folder ``posterior`` (if given), replication *r* of every arm
    takes the parameters of the same particle, but for a parameter a fact varies between its arms
    (:func:`held`): each arm keeps its own value of that one. The manifest records the posterior.
    """
    reps = reps or spec.reps
    chosen = [fact for fact in FACTS if not only or fact in only]
    order = [*(fact for fact in SLOW if fact in chosen), *(fact for fact in chosen if fact not in SLOW)]
    arms = {fact: ARMS[fact](spec.facts[fact]) for fact in order}
    drawn = load_posterior(Path(posterior)) if posterior is not None else None
    kept = {fact: held(by_label.values(), drawn) for fact, by_label in arms.items()}
    varied = {fact: keys for fact, keys in kept.items() if keys}
    points, measures, owner = [], [], []
    for fact, by_label in arms.items():
        over = drawn.without(set(kept[fact])) if drawn is not None else None
        for label, arm in by_label.items():
            settings = (("validation.fact", fact), ("validation.arm", label))
            points.append(DesignPoint(len(points), arm.scenario, arm.strategy, settings, over))
            measures.append(arm.measure)
            owner.append(fact)
    waiting = Counter(owner)
    first = {fact: owner.index(fact) for fact in order}
    pending: dict[str, Future] = {}

    def measure(fact: str) -> Finding:
        runs = {label: read_point(folder, first[fact] + k) for k, label in enumerate(arms[fact])}
        return FACTS[fact][1](spec.facts[fact], reps, runs)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="r2p-facts") as analyst:

        def finished(index: int) -> None:
            fact = owner[index]
            waiting[fact] -= 1
            if not waiting[fact]:
                pending[fact] = analyst.submit(measure, fact)

        identity = {"validation": spec.name, "digest": spec.digest, **({"facts": chosen} if only else {})}
        info = {"source": str(Path(spec.source).resolve()), **posterior_record(posterior),
                **({"posterior_held": varied} if varied else {})}  # fmt: skip
        evaluate(points, reps, spec.seed, folder, identity=identity, info=info, measure=measures, workers=workers,
                 chunk=chunk, scheduler=scheduler, progress=progress, desc=spec.name, finished=finished)  # fmt: skip
        return [pending[fact].result() for fact in chosen]


def held(arms: Iterable[Arm], posterior: Posterior | None) -> list[str]:
    """The posterior's parameters that a fact's ``arms`` set to different values (S4's warning noise
    and selectivity, S13's capacity pools): each arm keeps its own value of them, or the fact would
    compare nothing."""
    if posterior is None:
        return []
    params = [arm.scenario.params for arm in arms]
    return [key for key in posterior.keys if len({p.get(key.removeprefix(MODEL_KEY)) for p in params}) > 1]


def summary(findings: list[Finding]) -> pd.DataFrame:
    """One row per fact: effect, 95 % CI, n, verdict, what the effect measures."""
    return pd.DataFrame([{"fact": f.fact, "effect": f.effect, "ci95_low": f.low, "ci95_high": f.high, "n": f.n,
                          "verdict": f.verdict, "measure": f.measure} for f in findings])  # fmt: skip


def format_summary(findings: list[Finding]) -> str:
    """Text of the summary table, one line per fact."""
    lines = [f"{'fact':<6}{'verdict':<15}{'effect':>12}{'95% CI':>28}{'n':>9}  measure"]
    for f in findings:
        ci = f"[{format_number(f.low)}, {format_number(f.high)}]"
        lines.append(f"{f.fact:<6}{f.verdict:<15}{format_number(f.effect):>12}{ci:>28}{f.n:>9,}  {f.measure}")
    return "\n".join(lines)


# --- plots and report -----------------------------------------------------------------------


def _plot_parts(finding: Finding, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = finding.parts.dropna(subset=["ci95_low", "ci95_high"])
    units = list(dict.fromkeys(rows["unit"]))
    fig, axes = plt.subplots(len(units), 1, figsize=(9, 1.2 + 0.45 * len(rows) + 0.4 * len(units)), squeeze=False)
    for ax, unit in zip(axes[:, 0], units, strict=True):
        group = rows[rows["unit"] == unit]
        y = np.arange(len(group))[::-1]
        value = group["value"].to_numpy(dtype=float)
        err = np.vstack([value - group["ci95_low"].to_numpy(dtype=float),
                         group["ci95_high"].to_numpy(dtype=float) - value])  # fmt: skip
        ax.errorbar(value, y, xerr=np.abs(err), fmt="o", capsize=3, color="tab:blue")
        ax.axvline(1.0 if unit == "x" else 0.0, color="grey", linewidth=0.8)
        ax.set_yticks(y, group["quantity"], fontsize=8)
        ax.set_xlabel(f"{unit or 'value'} (95 % CI)")
    axes[0, 0].set_title(f"{finding.fact}: {finding.verdict}", fontsize=10)
    fig.tight_layout()
    _save(fig, path)


def _plot_ccdf(finding: Finding, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    deaths = np.sort(finding.sample[finding.sample > 0])
    share = (len(deaths) - np.arange(len(deaths))) / len(finding.sample)
    xmin = float(finding.parts.loc[1, "value"])
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.loglog(deaths, share, ".", markersize=2, label="simulated replications")
    above = deaths[deaths >= xmin]
    tail = np.sum(finding.sample >= xmin) / len(finding.sample)
    ax.loglog(above, tail * (above / xmin) ** (1 - finding.effect), "-", color="tab:red",
              label=f"power law, alpha {finding.effect:.2f} above xmin {xmin:,.0f}")  # fmt: skip
    ax.set_xlabel("deaths per replication (region)")
    ax.set_ylabel("share of replications with at least x")
    ax.set_title(f"S6: death-toll distribution, {len(finding.sample):,} replications")
    ax.legend()
    fig.tight_layout()
    _save(fig, path)


def _plot_survival(finding: Finding, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    weeks = np.sort(finding.sample)
    finite = weeks[np.isfinite(weeks)]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.step(finite / 52, 1.0 - np.arange(1, len(finite) + 1) / len(weeks), where="post")
    ax.axvline(4.5, color="grey", linestyle="--", label="PITF median 4.5 years")
    ax.axvline(9.0, color="grey", linestyle=":", label="EWP median 9 years")
    ax.set_xlabel("years since the episode began")
    ax.set_ylabel("share of episodes still under way")
    ax.set_title(f"S9: episode length without response, {len(weeks):,} replications")
    ax.legend()
    fig.tight_layout()
    _save(fig, path)


def _save(fig: object, path: Path) -> None:
    import matplotlib.pyplot as plt

    try:
        write_atomically(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110))
    finally:
        plt.close(fig)


def plot(findings: list[Finding], folder: Path) -> dict[str, list[str]]:
    """Write the plots of every finding into ``folder``; file names per fact."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[str]] = {}
    for f in findings:
        name = f"{f.fact}.png"
        _plot_parts(f, folder / name)
        files[f.fact] = [name]
        extra = {"S6": _plot_ccdf, "S9": _plot_survival}.get(f.fact)
        if extra is not None and f.sample is not None:
            extra(f, folder / f"{f.fact}_distribution.png")
            files[f.fact].append(f"{f.fact}_distribution.png")
    return files


def _cell(x: float) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else format_number(float(x))


def parts_markdown(parts: pd.DataFrame) -> str:
    """A finding's detail table as Markdown."""
    lines = ["| quantity | value | 95 % CI | n | unit | reference |", "|---|---|---|---|---|---|"]
    for _, r in parts.iterrows():
        ci = (
            "-"
            if math.isnan(r["ci95_low"]) and math.isnan(r["ci95_high"])
            else (f"[{_cell(r['ci95_low'])}, {_cell(r['ci95_high'])}]")
        )
        lines.append(f"| {r['quantity']} | {_cell(r['value'])} | {ci} | {r['n']:,} | {r['unit']} | {r['reference']} |")
    return "\n".join(lines)


def base_rate_markdown(finding: Finding) -> str:
    """S7's rates beside the Early Warning Project's (DESIGN.md section 3), as Markdown."""
    from sim.experiments.facts import EWP
    from sim.parameters import BY_NAME

    rows = finding.parts.set_index("quantity")
    lines = [
        "| risk factor | EWP onset rate, present vs absent | EWP ratio | odds ratio in the model (EWP model) "
        "| simulated onset rate (95 % CI) | simulated ratio to the typical state (95 % CI) |",
        "|---|---|---|---|---|---|",
    ]
    base = rows.loc["onset rate, typical-risk state"]
    lines.append(f"| none (typical-risk state) | about 1.35 % overall | - | - | {base['value']:.2%} "
                 f"({base['ci95_low']:.2%}-{base['ci95_high']:.2%}) | 1 |")  # fmt: skip
    for factor, (present, absent) in EWP.items():
        if f"rate ratio, {factor}" not in rows.index:
            continue
        rate, ratio = rows.loc[f"onset rate with {factor}"], rows.loc[f"rate ratio, {factor}"]
        lines.append(
            f"| {factor} | {present:.1%} vs {absent:.1%} | {present / absent:.1f}x | "
            f"{BY_NAME[f'or_{factor}'].default:g} | {rate['value']:.2%} ({rate['ci95_low']:.2%}-"
            f"{rate['ci95_high']:.2%}) | {ratio['value']:.2f}x ({ratio['ci95_low']:.2f}-{ratio['ci95_high']:.2f}) |"
        )
    return "\n".join(lines)


def report(spec: Validation, findings: list[Finding], reps: int, seconds: float, command: str,
           plots: dict[str, list[str]], plot_dir: str, runs: dict | None = None) -> str:  # fmt: skip
    """The Markdown text of the validation report (``runs``: the manifest of its results folder,
    which says whether the arms ran over a posterior)."""
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    posterior = (runs or {}).get("posterior")
    over = (
        f"over the posterior `{posterior}` (`{POSTERIOR}` sha256 {runs['posterior_sha256'][:12]}), "
        if posterior
        else ""
    )
    lines = [
        "# Validation: the stylised facts S1-S9 and the trade-off checks S10-S13",
        "",
        f"Generated by `{command}` on {today} in {seconds:.0f} s: {reps:,} replications per simulated arm, "
        f"root seed {spec.seed}, validation file `{Path(spec.source).name}` (sha256 {spec.digest[:12]}), "
        f"{over}git revision {git_revision() or 'unknown'}. Do not edit by hand; run the command again.",
        "",
        "The model is a tool for comparing response strategies, not a forecast (see `docs/ODD.md`). Deaths and "
        "onsets here are model quantities. Each fact is measured by a small experiment fixed in the validation "
        "file; the criterion for 'holds' is stated before the run, and a fact that does not hold is reported as "
        "such. Comparisons are paired: every arm of an experiment uses the same root seed, so replication *r* "
        "meets the same shocks in each (common random numbers)"
        + (" and the same parameters" if posterior else "")
        + ". CIs are 95 %; `n` is the number of replications (or, for rates and tails, of events) an estimate "
        "rests on.",
        "",
        *(_over_posterior(posterior, runs.get("posterior_held", {})) if posterior else []),
        "| fact | claim (DESIGN.md s3; S10-S13: issue 10) | measured effect | 95 % CI | n | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for f in findings:
        lines.append(f"| {f.fact} | {f.claim} | {_cell(f.effect)} ({f.measure}) | [{_cell(f.low)}, {_cell(f.high)}] "
                     f"| {f.n:,} | **{f.verdict}** |")  # fmt: skip
    for f in findings:
        lines += ["", f"## {f.fact}: {f.claim}", "", f"*Measure*: {f.measure}.", "",
                  f"*Criterion*: {f.criterion}.", "", f"*Result*: **{f.verdict}**; {f.note}.", "",
                  parts_markdown(f.parts), ""]  # fmt: skip
        if f.fact == "S7":
            note = " (the odds ratios in the model are the defaults; this run drew those the fit covers)"
            lines += [f"Base rates beside the Early Warning Project (DESIGN.md section 3){note if posterior else ''}:",
                      "", base_rate_markdown(f), ""]  # fmt: skip
        if spec.comments[f.fact]:
            lines += [f"*Notes*: {spec.comments[f.fact].strip()}", ""]
        lines += [f"![{f.fact}]({plot_dir}/{name})" for name in plots.get(f.fact, [])]
    return "\n".join(lines) + "\n"


def _over_posterior(posterior: str, kept: dict[str, list[str]]) -> list[str]:
    """The report's paragraph on a run over a posterior: what its CIs cover, and the parameters
    facts held at their arms' values (:func:`held`)."""
    text = f"This run is over a posterior: {OVER_POSTERIOR.format(posterior=posterior)}"
    for fact, keys in kept.items():
        names = ", ".join(f"`{key.removeprefix(MODEL_KEY)}`" for key in keys)
        text += (
            f" {fact} varies {names} between its arms, so each arm keeps its own value of "
            f"{'them' if len(keys) > 1 else 'it'}; the other parameters are drawn."
        )
    return [text, ""]


def write_report(spec: Validation, findings: list[Finding], out: Path, reps: int, seconds: float,
                 command: str, runs: dict | None = None) -> Path:  # fmt: skip
    """Write ``out/validation.md``, and the plots and ``summary.csv`` (one row per fact) in
    ``out/validation/``; return the report's path (``runs``: the manifest of the results folder)."""
    out.mkdir(parents=True, exist_ok=True)
    plots = plot(findings, out / "validation")
    write_table(summary(findings), out / "validation" / "summary.csv")
    path = out / "validation.md"
    text = report(spec, findings, reps, seconds, command, plots, "validation", runs)
    write_atomically(path, lambda tmp: tmp.write_text(text))
    return path
