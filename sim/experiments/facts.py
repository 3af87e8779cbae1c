"""The stylised facts S1-S9 of DESIGN.md section 3, each measured by a small experiment.

Every fact has a reader of its table of ``experiments/validation.toml`` (validated by
:mod:`sim.schema.validation`) and a measurement that returns a :class:`Finding`: a headline
effect with its 95 % CI and the replications it rests on, the criterion stated before the run,
the verdict, and a table of the quantities behind it. No
fact is made to hold by the code: the criteria are fixed here and in the file, and the verdict is
whatever the simulation gives.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.concepts import Phase
from sim.config import InputError
from sim.experiments.design import DesignPoint, load_named
from sim.experiments.measures import (
    alone,
    first_exit,
    first_onset,
    histories,
    influence_ci,
    isolate,
    median_ci,
    onset_rate,
    paired,
    part,
    parts_frame,
    rate_ratio,
    reduction,
)
from sim.experiments.runner import Measure, outcomes
from sim.experiments.statistics import wilson_ci
from sim.experiments.tail import fit_tail
from sim.scenario import StateSpec, load_scenario, parse_state
from sim.schema.validation import FactS1, FactS2, FactS3, FactS4, FactS5, FactS6, FactS7, FactS8, FactS9, StateChanges
from sim.strategy import Strategy, load_strategy

HOLDS, PARTLY, FAILS = "holds", "partly", "does not hold"

CLAIMS = {
    "S1": "earlier response -> fewer expected deaths, with diminishing returns once killing is under way",
    "S2": "Pillar II works where leadership is divided/uncertain, little where it is determined",
    "S3": "veto restraint matters where a P5 patron exists, not elsewhere",
    "S4": "noisier or more selective early warning -> later response -> more deaths",
    "S5": "contagion: an atrocity raises neighbours' onset hazard",
    "S6": "heavy-tailed death tolls across replications",
    "S7": "typical-risk state, no response: onset near 1.2-1.4 % per year; about 3x with armed conflict, "
    "prior atrocity or discrimination",
    "S8": "protection presence cuts killings, less so against a determined state perpetrator",
    "S9": "without effective response, episodes last years, not weeks",
}
"""The stylised facts, as DESIGN.md section 3 states them."""


@dataclass(frozen=True)
class Finding:
    """The measured result for one stylised fact."""

    fact: str
    measure: str
    effect: float
    low: float
    high: float
    n: int
    verdict: str
    criterion: str
    note: str
    parts: pd.DataFrame
    sample: np.ndarray | None = None

    @property
    def claim(self) -> str:
        """The fact as DESIGN.md states it (S10-S13: as :mod:`sim.experiments.trade_offs` does)."""
        from sim.experiments.trade_offs import CLAIMS as TRADE_OFFS  # that module imports this one

        return {**CLAIMS, **TRADE_OFFS}[self.fact]


def verdict(*checks: bool) -> str:
    """``holds`` if every check passes, ``does not hold`` if none does, else ``partly``."""
    return HOLDS if all(checks) else FAILS if not any(checks) else PARTLY


# --- reading the file ------------------------------------------------------------------------


def state_with(spec: StateSpec, changes: StateChanges, file: str | Path, where: str) -> StateSpec:  # type: ignore[valid-type]
    """``spec`` with the fields ``changes`` sets, checked as a scenario's ``[[states]]`` table is
    (``where``: the field of ``changes`` in ``file``)."""
    data = spec.as_table()
    for key, value in dict(changes).items():
        if value is not None:
            data[key] = dict(value) if key == "patrons" else list(value) if isinstance(value, tuple) else value
    if changes.patrons is not None:  # new patrons replace the old ones
        data["patron"] = ""
    elif changes.patron is not None:
        data["patrons"] = {}
    return parse_state(data, file, where)


def _scenario(name: str, file: str | Path, where: str) -> Any:
    return load_named(load_scenario, name, file, where)


def _strategy(name: str, file: str | Path, where: str) -> Strategy:
    return load_named(load_strategy, name, file, where)


def _state(scenario: Any, name: str, file: str | Path, where: str) -> StateSpec:
    if name not in scenario.state_names:
        raise InputError(file, where, f"{name!r} is not allowed", ", ".join(scenario.state_names))
    return next(s for s in scenario.states if s.name == name)


def parse_s1(t: FactS1, typical: StateSpec, file: str | Path, where: str) -> dict:
    return {"scenario": _scenario(t.scenario, file, f"{where}.scenario"),
            "strategy": _strategy(t.strategy, file, f"{where}.strategy"), "pillar": t.pillar,
            "delays": list(t.delays)}  # fmt: skip


def parse_s2(t: FactS2, typical: StateSpec, file: str | Path, where: str) -> dict:
    scenario = _scenario(t.scenario, file, f"{where}.scenario")
    return {"scenario": scenario, "state": _state(scenario, t.state, file, f"{where}.state").name,
            "strategy": _strategy(t.strategy, file, f"{where}.strategy"),
            "baseline": _strategy(t.baseline, file, f"{where}.baseline")}  # fmt: skip


def parse_s3(t: FactS3, typical: StateSpec, file: str | Path, where: str) -> dict:
    return {"scenario": _scenario(t.scenario, file, f"{where}.scenario"),
            "strategy": _strategy(t.strategy, file, f"{where}.strategy")}  # fmt: skip


def parse_s4(t: FactS4, typical: StateSpec, file: str | Path, where: str) -> dict:
    scenario = _scenario(t.scenario, file, f"{where}.scenario")
    spec = state_with(_state(scenario, t.state, file, f"{where}.state"), t.start, file, f"{where}.start")
    return {"scenario": isolate(scenario.with_state(spec.name, **_fields(spec)), [spec.name]),
            "strategy": _strategy(t.strategy, file, f"{where}.strategy"), "noise": t.noise,
            "selectivity": t.selectivity}  # fmt: skip


def parse_s5(t: FactS5, typical: StateSpec, file: str | Path, where: str) -> dict:
    scenario = _scenario(t.scenario, file, f"{where}.scenario")
    source = state_with(_state(scenario, t.source, file, f"{where}.source"), t.start, file, f"{where}.start")
    return {"source": source, "neighbour": typical, "weeks": t.weeks}


def parse_s6(t: FactS6, typical: StateSpec, file: str | Path, where: str) -> dict:
    return {"scenario": _scenario(t.scenario, file, f"{where}.scenario"),
            "strategy": _strategy(t.strategy, file, f"{where}.strategy")}  # fmt: skip


def parse_s7(t: FactS7, typical: StateSpec, file: str | Path, where: str) -> dict:
    return {"state": typical, "weeks": t.weeks, "factors": list(t.risk_factors), "rate_band": t.rate_band,
            "ratio_band": t.ratio_band, "capacities": list(t.capacities)}  # fmt: skip


def parse_s8(t: FactS8, typical: StateSpec, file: str | Path, where: str) -> dict:
    return {"state": state_with(typical, t.start, file, f"{where}.start"), "weeks": t.weeks,
            "instrument": t.instrument, "delay": t.delay}  # fmt: skip


def parse_s9(t: FactS9, typical: StateSpec, file: str | Path, where: str) -> dict:
    return {"state": state_with(typical, t.start, file, f"{where}.start"), "weeks": t.weeks,
            "min_weeks": t.min_weeks}  # fmt: skip


def _fields(spec: StateSpec) -> dict[str, Any]:
    return {f.name: getattr(spec, f.name) for f in dataclasses.fields(spec) if f.name != "name"}


# --- measurements ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Arm:
    """One simulated arm of a fact's experiment: a scenario under a strategy, measured per replication."""

    scenario: Any
    strategy: Strategy
    measure: Measure = outcomes


Runs = dict[str, pd.DataFrame]
"""Per arm label, one row per replication (in replication order)."""


def phase_weeks(point: DesignPoint, first: int, count: int, seed: int, weeks: int | None) -> pd.DataFrame:
    """A chunk measure: per replication, the phase state 0 starts in, and the weeks until its first
    onset and its first exit from atrocity (-1: none), from the per-week trajectories."""
    phase = histories(point.scenario, point.strategy, count, seed, 0, ("phase",), first, point.posterior)["phase"]
    return pd.DataFrame({"replication": np.arange(first, first + count, dtype=np.int64),
                         "start_phase": phase[:, 0].astype(np.int64), "first_onset": first_onset(phase),
                         "first_exit": first_exit(phase)})  # fmt: skip


def arms_s1(c: dict) -> dict[str, Arm]:
    """S1: one arm per delay of the pillar's instruments."""
    return {f"delay {d}": Arm(c["scenario"], c["strategy"].with_pillar(c["pillar"], delay=d)) for d in c["delays"]}


def measure_s1(c: dict, reps: int, runs: Runs) -> Finding:
    """Deaths against the delay of one pillar's instruments; marginal deaths per week of delay."""
    runs = {d: runs[f"delay {d}"]["deaths"] for d in c["delays"]}
    rows = [part(f"deaths, pillar {c['pillar']} delay {d} weeks", (*_mean(runs[d]), reps), "deaths") for d in runs]
    delays = c["delays"]
    first, last = (delays[0], delays[1]), (delays[-2], delays[-1])
    slopes = {}
    for a, b in itertools.pairwise(delays):
        slope = (runs[b] - runs[a]).to_numpy() / (b - a)
        slopes[(a, b)] = slope
        rows.append(part(f"marginal deaths per week of delay, {a}-{b} weeks", paired(slope, 0 * slope), "deaths/week"))
    total = paired(runs[delays[-1]].to_numpy(), runs[0].to_numpy())
    bend = paired(slopes[first], slopes[last])
    rows.append(part(f"diminishing returns: marginal {first[0]}-{first[1]} minus {last[0]}-{last[1]}", bend,
                     "deaths/week"))  # fmt: skip
    return Finding(
        "S1",
        f"paired extra deaths, delay {delays[-1]} vs 0 weeks ({c['scenario'].name}, {c['strategy'].name})",
        *total,
        verdict(total[1] > 0, bend[1] > 0),
        f"extra deaths CI above 0, and marginal deaths per week of delay at {first[0]}-{first[1]} weeks above "
        f"that at {last[0]}-{last[1]} weeks (CI of the difference above 0)",
        f"diminishing returns: {bend[0]:.3g} [{bend[1]:.3g}, {bend[2]:.3g}] deaths/week",
        parts_frame(rows),
    )


def _mean(series: pd.Series) -> tuple[float, float, float]:
    from sim.experiments.statistics import mean_ci

    return mean_ci(series.to_numpy(dtype=np.float64))


def _isolated(c: dict, leadership: str) -> Any:
    return isolate(c["scenario"].with_state(c["state"], leadership=leadership), [c["state"]])


def arms_s2(c: dict) -> dict[str, Arm]:
    """S2: baseline and strategy, divided and determined leadership (isolated state)."""
    return {f"{leadership} {who}": Arm(_isolated(c, leadership), c[who]) for leadership in ("divided", "determined")
            for who in ("baseline", "strategy")}  # fmt: skip


def measure_s2(c: dict, reps: int, runs: Runs) -> Finding:
    """Relative cut in onset probability by Pillar II, divided vs determined leadership (isolated state)."""
    rows, cuts = [], {}
    for leadership in ("divided", "determined"):
        base = runs[f"{leadership} baseline"]["onset"].to_numpy(dtype=np.float64)
        treated = runs[f"{leadership} strategy"]["onset"].to_numpy(dtype=np.float64)
        for label, x in ((c["baseline"].name, base), (c["strategy"].name, treated)):
            rows.append(part(f"onset probability, {leadership}, {label}", (*wilson_ci(int(x.sum()), reps), reps)))
        cuts[leadership] = reduction(treated, base)
        rows.append(part(f"relative cut in onset, {leadership}", influence_ci(*cuts[leadership]), "share"))
    gap = influence_ci(cuts["divided"][0] - cuts["determined"][0], cuts["divided"][1] - cuts["determined"][1])
    rows.append(part("relative cut, divided minus determined", gap, "share"))
    divided = influence_ci(*cuts["divided"])
    return Finding(
        "S2",
        f"relative cut in onset by {c['strategy'].name}, divided minus determined ({c['state']} alone)",
        *gap,
        verdict(divided[1] > 0, gap[1] > 0),
        "cut under divided leadership CI above 0, and divided minus determined CI above 0",
        f"cut divided {cuts['divided'][0]:.0%}, determined {cuts['determined'][0]:.0%}",
        parts_frame(rows),
    )


def _without_patrons(scenario: Any) -> Any:
    without = scenario
    for s in scenario.states:
        if s.interests():
            without = without.with_state(s.name, patron="", patrons=())
    return without


def arms_s3(c: dict) -> dict[str, Arm]:
    """S3: with and without veto restraint, with the scenario's patrons and with none."""
    strategy = c["strategy"]
    return {f"{label} {held}": Arm(sc, strategy.replace(veto_restraint=held))
            for label, sc in (("with P5 patrons", c["scenario"]), ("no patron", _without_patrons(c["scenario"])))
            for held in (False, True)}  # fmt: skip


def measure_s3(c: dict, reps: int, runs: Runs) -> Finding:
    """Deaths saved by veto restraint with the scenario's patrons and with every patron removed."""
    scenario, strategy = c["scenario"], c["strategy"]
    rows, saved = [], {}
    for label in ("with P5 patrons", "no patron"):
        plain, held = runs[f"{label} False"], runs[f"{label} True"]
        saved[label] = paired(plain["deaths"].to_numpy(), held["deaths"].to_numpy())
        rows.append(part(f"deaths saved by veto restraint, {label}", saved[label], "deaths"))
        rows.append(part(f"vetoes per run without restraint, {label}", (*_mean(plain["vetoes"]), reps)))
    with_patron, no_patron = saved["with P5 patrons"], saved["no patron"]
    return Finding(
        "S3",
        f"deaths saved by veto restraint where a patron exists ({scenario.name}, {strategy.name})",
        *with_patron,
        verdict(with_patron[1] > 0, no_patron[1] <= 0 <= no_patron[2]),
        "saving CI above 0 with the patrons, and CI containing 0 once every patron is removed",
        f"without patrons: {no_patron[0]:.3g} [{no_patron[1]:.3g}, {no_patron[2]:.3g}]",
        parts_frame(rows),
    )


_WARNING = (("noise", "warning_noise"), ("selectivity", "selectivity"))


def arms_s4(c: dict) -> dict[str, Arm]:
    """S4: the good and the poor value of warning noise and of selectivity."""
    return {f"{key} {value:g}": Arm(c["scenario"].with_params(**{param: value}), c["strategy"])
            for key, param in _WARNING for value in c[key]}  # fmt: skip


def measure_s4(c: dict, reps: int, runs: Runs) -> Finding:
    """Response week and deaths under a noisier and under a more selective early warning."""
    rows, checks, heads = [], [], {}
    for key, _ in _WARNING:
        low, high = c[key]
        good, poor = runs[f"{key} {low:g}"], runs[f"{key} {high:g}"]
        later = paired(poor["first_response_week"].to_numpy(dtype=float, na_value=np.nan),
                       good["first_response_week"].to_numpy(dtype=float, na_value=np.nan))  # fmt: skip
        more = paired(poor["deaths"].to_numpy(), good["deaths"].to_numpy())
        for label, run in ((f"{key} {low:g}", good), (f"{key} {high:g}", poor)):
            responded = int(run["first_response_week"].notna().sum())
            rows.append(part(f"share of runs with any response, {label}", (*wilson_ci(responded, reps), reps)))
        rows.append(part(f"later first response, {key} {high:g} vs {low:g} (runs with both)", later, "weeks"))
        rows.append(part(f"more deaths, {key} {high:g} vs {low:g}", more, "deaths"))
        checks += [later[1] > 0 and more[1] > 0]
        heads[key] = more
    noise = heads["noise"]
    return Finding(
        "S4",
        f"paired extra deaths, warning noise {c['noise'][1]:g} vs {c['noise'][0]:g} "
        f"({c['scenario'].name}, {c['strategy'].name})",
        *noise,
        verdict(*checks),
        "for noise and for selectivity alike: later first response (CI above 0) and more deaths (CI above 0)",
        "noise: {}; selectivity: {}".format(*("yes" if ok else "no" for ok in checks)),
        parts_frame(rows),
    )


def arms_s5(c: dict) -> dict[str, Arm]:
    """S5: the typical state beside the source in atrocity, without and with a border to it."""
    source, neighbour = c["source"], dataclasses.replace(c["neighbour"], neighbours=())
    arms = {}
    for label, border in (("no border", ()), ("border", (neighbour.name,))):
        scenario = alone(neighbour, c["weeks"], "contagion").replace(
            states=(neighbour, dataclasses.replace(source, neighbours=border))
        )
        arms[label] = Arm(scenario, load_strategy("no_response"), phase_weeks)
    return arms


def measure_s5(c: dict, reps: int, runs: Runs) -> Finding:
    """Onset rate of a typical-risk state with and without a border to a state in atrocity."""
    source = c["source"]
    rows, rates = [], {}
    for label in ("no border", "border"):
        weeks = runs[label]["first_onset"].to_numpy()
        rates[label] = onset_rate(weeks > 0, np.where(weeks > 0, weeks, c["weeks"]))
        rows.append(part(f"onset rate of the typical state, {label} with {source.name} in atrocity",
                         (*rates[label][:3], rates[label][3]), "per state-year"))  # fmt: skip
    ratio = rate_ratio(rates["border"], rates["no border"])
    rows.append(part("rate ratio, border vs no border", (*ratio, rates["border"][3]), "x"))
    return Finding(
        "S5",
        f"onset rate ratio of a typical-risk state next to {source.name} in atrocity (vs no border)",
        *ratio,
        rates["border"][3],
        verdict(ratio[1] > 1),
        "rate ratio CI above 1 (n: onsets with the border)",
        f"{rates['no border'][0]:.2%} -> {rates['border'][0]:.2%} per year over {c['weeks']} weeks",
        parts_frame(rows),
    )


def arms_s6(c: dict) -> dict[str, Arm]:
    """S6: one arm."""
    return {"deaths": Arm(c["scenario"], c["strategy"])}


def measure_s6(c: dict, reps: int, runs: Runs) -> Finding:
    """Power-law fit of deaths across replications, compared with lognormal and exponential."""
    deaths = runs["deaths"]["deaths"].to_numpy()
    fit = fit_tail(deaths)
    rows = [
        part("power-law alpha (pdf exponent) above xmin", (fit.alpha, fit.alpha_low, fit.alpha_high, fit.n_tail),
             reference="Clauset 2018: alpha about 1.5 (pdf exponent) for interstate wars"),
        part("xmin", (fit.xmin, np.nan, np.nan, fit.n), "deaths"),
        part("normalised loglikelihood ratio R, power law vs lognormal", (fit.r_lognormal, np.nan, np.nan,
             fit.n_tail), reference=f"p = {fit.p_lognormal:.2g}; R > 0: power law fits better"),
        part("normalised loglikelihood ratio R, power law vs exponential", (fit.r_exponential, np.nan, np.nan,
             fit.n_tail), reference=f"p = {fit.p_exponential:.2g}; R > 0: power law fits better"),
    ]  # fmt: skip
    return Finding(
        "S6",
        f"power-law alpha of deaths above xmin ({c['scenario'].name}, {c['strategy'].name})",
        fit.alpha,
        fit.alpha_low,
        fit.alpha_high,
        fit.n_tail,
        verdict(fit.heavy),
        "the power law beats the exponential (R > 0, p < 0.05): a tail heavier than exponential",
        f"xmin {fit.xmin:,.0f}; vs lognormal R {fit.r_lognormal:.2f} (p {fit.p_lognormal:.2g}); "
        f"vs exponential R {fit.r_exponential:.2f} (p {fit.p_exponential:.2g})",
        parts_frame(rows),
        deaths,
    )


EWP = {
    "armed_conflict": (0.032, 0.010),
    "prior_atrocity": (0.021, 0.007),
    "coup": (0.030, 0.009),
    "discrimination": (0.023, 0.008),
}
"""Early Warning Project onset rates next year, factor present vs absent (DESIGN.md section 3)."""


def _typical(state: StateSpec, factor: str, weeks: int) -> Arm:
    spec = state if factor == "none" else dataclasses.replace(state, risk_factors=(factor,))
    return Arm(alone(spec, weeks, f"typical+{factor}"), load_strategy("no_response"))


def base_rate(run: pd.DataFrame, weeks: int) -> tuple[float, float, float, int, float]:
    """Onset rate per state-year of a one-state arm (see :func:`sim.experiments.measures.onset_rate`)."""
    onset = run["onset"].to_numpy()
    at_risk = np.where(onset, run["onset_week"].to_numpy(dtype=float, na_value=0.0) + 1, weeks)
    return onset_rate(onset, at_risk)


def arms_s7(c: dict) -> dict[str, Arm]:
    """S7: the typical state alone, with each risk factor added, and at each other capacity."""
    arms = {factor: _typical(c["state"], factor, c["weeks"]) for factor in ["none", *c["factors"]]}
    for capacity in c["capacities"]:
        arms[f"capacity {capacity:g}"] = _typical(dataclasses.replace(c["state"], capacity=capacity), "none",
                                                  c["weeks"])  # fmt: skip
    return arms


def measure_s7(c: dict, reps: int, runs: Runs) -> Finding:
    """Base rate of a typical-risk state and the rate ratios of single risk factors."""
    rates = {factor: base_rate(runs[factor], c["weeks"]) for factor in ["none", *c["factors"]]}
    base = rates["none"]
    rows = [part("onset rate, typical-risk state", (*base[:3], base[3]), "per state-year",
                 "EWP: about 1.35 % overall (0.5-0.9 % in the 2000s-2020s)")]  # fmt: skip
    ratios_ok = []
    for factor in c["factors"]:
        ratio = rate_ratio(rates[factor], base)
        ewp = EWP.get(factor)
        ref = f"EWP: {ewp[0]:.1%} vs {ewp[1]:.1%} = {ewp[0] / ewp[1]:.1f}x" if ewp else ""
        rows.append(part(f"onset rate with {factor}", (*rates[factor][:3], rates[factor][3]), "per state-year"))
        rows.append(part(f"rate ratio, {factor}", (*ratio, rates[factor][3]), "x", ref))
        ratios_ok.append(ratio[1] <= c["ratio_band"][1] and ratio[2] >= c["ratio_band"][0])
    for capacity in c["capacities"]:
        rate = base_rate(runs[f"capacity {capacity:g}"], c["weeks"])
        rows.append(part(f"onset rate, typical-risk state with capacity {capacity:g}", (*rate[:3], rate[3]),
                         "per state-year", "sensitivity to the choice of typical state"))  # fmt: skip
    low, high = c["rate_band"]
    main = [ok for f, ok in zip(c["factors"], ratios_ok, strict=True)
            if f in ("armed_conflict", "prior_atrocity", "discrimination")]  # fmt: skip
    return Finding(
        "S7",
        "onset rate per state-year, typical-risk state alone, no response",
        *base[:3],
        base[3],
        verdict(base[1] <= high and base[2] >= low, *main),
        f"rate CI overlaps {low:.1%}-{high:.1%}, and each ratio CI for armed conflict, prior atrocity and "
        f"discrimination overlaps {c['ratio_band'][0]:g}-{c['ratio_band'][1]:g}x (n: onsets)",
        ", ".join(f"{f} {rate_ratio(rates[f], base)[0]:.2f}x" for f in c["factors"]),
        parts_frame(rows),
    )


_PERPETRATORS = (
    ("non-state perpetrator, divided", {"perpetrator": "non_state", "leadership": "divided"}),
    ("state perpetrator, determined", {"perpetrator": "state", "leadership": "determined"}),
)


def arms_s8(c: dict) -> dict[str, Arm]:
    """S8: no response and the protection presence, against either perpetrator."""
    strategy = load_strategy("no_response").with_instrument(c["instrument"], enabled=True, trigger=0.0,
                                                            delay=c["delay"])  # fmt: skip
    arms = {}
    for label, changes in _PERPETRATORS:
        scenario = alone(dataclasses.replace(c["state"], **changes), c["weeks"], "protection")
        arms[f"{label} base"] = Arm(scenario, load_strategy("no_response"))
        arms[f"{label} treated"] = Arm(scenario, strategy)
    return arms


def measure_s8(c: dict, reps: int, runs: Runs) -> Finding:
    """Relative cut in deaths by a protection presence, non-state vs determined state perpetrator."""
    rows, cuts = [], {}
    for label, _ in _PERPETRATORS:
        base = runs[f"{label} base"]["deaths"].to_numpy()
        treated = runs[f"{label} treated"]["deaths"].to_numpy()
        cuts[label] = reduction(treated, base)
        rows.append(part(f"deaths without response, {label}", (*_mean(pd.Series(base)), reps), "deaths"))
        rows.append(part(f"relative cut in deaths by {c['instrument']}, {label}", influence_ci(*cuts[label]), "share"))
    (a, ia), (b, ib) = cuts.values()
    gap = influence_ci(a - b, ia - ib)
    rows.append(part("relative cut, non-state minus determined state", gap, "share"))
    first = influence_ci(a, ia)
    return Finding(
        "S8",
        f"relative cut in deaths by {c['instrument']}, non-state minus determined state perpetrator",
        *gap,
        verdict(first[1] > 0, gap[1] > 0),
        "cut against the non-state perpetrator CI above 0, and the difference CI above 0",
        f"cut non-state {a:.0%}, determined state {b:.0%}",
        parts_frame(rows),
    )


def arms_s9(c: dict) -> dict[str, Arm]:
    """S9: the state that starts in atrocity, alone, without response."""
    return {"episode": Arm(alone(c["state"], c["weeks"], "episode"), load_strategy("no_response"), phase_weeks)}


def measure_s9(c: dict, reps: int, runs: Runs) -> Finding:
    """Length of an episode without response: weeks until a state that starts in atrocity leaves it."""
    run = runs["episode"]
    if run["start_phase"].iloc[0] != Phase.ATROCITY:
        raise InputError("S9", "start", "the state must start in atrocity", 'phase = "atrocity"')
    weeks = run["first_exit"].to_numpy().astype(np.float64)
    weeks[weeks < 0] = np.inf  # still in atrocity at the horizon (censored above the median if < 50 %)
    median = median_ci(weeks)
    quartiles = np.quantile(weeks, [0.25, 0.75])
    short = int(np.sum(weeks <= 26))
    rows = [
        part("median episode length", tuple(x / 52 if i < 3 else x for i, x in enumerate(median)), "years",
             "EWP median 9 years (IQR 4-16); PITF median 4.5 years (IQR 2-10)"),
        part("quartiles of episode length", (np.nan, *(quartiles / 52), reps), "years"),
        part("share of episodes over within 26 weeks", (*wilson_ci(short, reps), reps)),
        part("share still under way at the horizon", (*wilson_ci(int(np.isinf(weeks).sum()), reps), reps)),
    ]  # fmt: skip
    return Finding(
        "S9",
        "median episode length without response, typical-risk state starting in atrocity (years)",
        *(x / 52 for x in median[:3]),
        median[3],
        verdict(median[1] >= c["min_weeks"]),
        f"lower CI bound of the median at least {c['min_weeks']} weeks",
        f"IQR {quartiles[0] / 52:.1f}-{quartiles[1] / 52:.1f} years; {short / reps:.1%} end within 26 weeks",
        parts_frame(rows),
        weeks,
    )


Parse = Callable[[Any, StateSpec, "str | Path", str], dict]
"""Reads a fact's validated table: ``(table, typical state, file, field) -> conditions``."""

FACTS: dict[str, tuple[Parse, Callable[[dict, int, Runs], Finding]]] = {
    "S1": (parse_s1, measure_s1),
    "S2": (parse_s2, measure_s2),
    "S3": (parse_s3, measure_s3),
    "S4": (parse_s4, measure_s4),
    "S5": (parse_s5, measure_s5),
    "S6": (parse_s6, measure_s6),
    "S7": (parse_s7, measure_s7),
    "S8": (parse_s8, measure_s8),
    "S9": (parse_s9, measure_s9),
}
"""Per fact: the parser of its table in the validation file and its measurement."""


ARMS: dict[str, Callable[[dict], dict[str, Arm]]] = {
    "S1": arms_s1,
    "S2": arms_s2,
    "S3": arms_s3,
    "S4": arms_s4,
    "S5": arms_s5,
    "S6": arms_s6,
    "S7": arms_s7,
    "S8": arms_s8,
    "S9": arms_s9,
}
"""Per fact: the arms its measurement (in :data:`FACTS`) needs, by label, each run for the same replications."""
