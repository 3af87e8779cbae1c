"""Trade-off checks S10-S13: statements about the costs, side effects and Council politics of the
second model version (ODD 7.9-7.15) that the first version could not produce.

Each check has a reader of its table of ``experiments/validation.toml`` (validated by
:mod:`sim.schema.validation`), the arms it simulates and a measurement that returns a
:class:`sim.experiments.facts.Finding`, as the facts S1-S9 of :mod:`sim.experiments.facts` do.
Every arm uses the same root seed (common random numbers), so the differences are paired
replication by replication. The criteria are fixed here before any run; nothing is tuned to pass.

- S10, coercion short of force emboldens a determined leadership (Wood, Kathman & Gent 2012;
  Krain 2005): paired extra deaths of coercion without force over the same strategy without its
  coercive instruments, larger under a determined than under a divided leadership.
- S11, false alarms are costly (Mueller & Rauh 2022): the expected loss of early prevention
  (deaths plus false alarms, backlash and money at declared prices) against its trigger, at two or
  more false-alarm prices; where its minimum lies is the finding.
- S12, two patrons (ODD 7.15): with two P5 patrons, veto restraint by one of them is not enough:
  paired extra deaths with restraint by one patron over restraint by all five, and vetoes left.
- S13, capacity is finite (ODD 7.13): acting in every state costs deaths in the focal state
  against targeting it alone, more so than when the pools never bind.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.concepts import INSTRUMENTS
from sim.config import InputError
from sim.experiments.design import DesignPoint
from sim.experiments.facts import (
    Arm,
    Finding,
    Runs,
    _fields,
    _scenario,
    _state,
    _strategy,
    _without_patrons,
    state_with,
    verdict,
)
from sim.experiments.measures import isolate, paired, part, parts_frame
from sim.experiments.statistics import mean_ci
from sim.parameters import BY_NAME
from sim.scenario import StateSpec
from sim.schema.validation import FactS10, FactS11, FactS12, FactS13
from sim.simulate import simulate
from sim.strategy import Strategy

CLAIMS = {
    "S10": "coercion short of force raises deaths against a determined leadership, less so against a divided one",
    "S11": "the expected loss of early prevention (deaths, false alarms, backlash and money priced) against its "
    "trigger has its minimum inside the range once false alarms are dear",
    "S12": "with two P5 patrons, veto restraint by one of them is not enough",
    "S13": "finite capacity: acting in every state costs deaths in the focal state against targeting it",
}
"""The trade-off checks of the second model version (issue 10), as they are stated before a run."""

POOLS = ("peacekeeping_pool", "mediation_pool")
"""The parameters of the finite capacity pools (ODD 7.13)."""


def by_state(point: DesignPoint, first: int, count: int, seed: int, weeks: int | None) -> pd.DataFrame:
    """A chunk measure: the outcomes with the per-state columns (``deaths[NAME]`` and so on)."""
    return simulate(point.scenario, point.strategy, count, seed, first=first, weeks=weeks, by_state=True,
                    posterior=point.posterior)  # fmt: skip


# --- reading the file ------------------------------------------------------------------------


def parse_s10(t: FactS10, typical: StateSpec, file: str | Path, where: str) -> dict:
    scenario = _without_patrons(_scenario(t.scenario, file, f"{where}.scenario"))
    spec = state_with(_state(scenario, t.state, file, f"{where}.state"), t.start, file, f"{where}.start")
    return {"scenario": scenario.with_state(spec.name, **_fields(spec)), "state": spec.name,
            "strategy": _strategy(t.strategy, file, f"{where}.strategy"), "without": list(t.without)}  # fmt: skip


def parse_s11(t: FactS11, typical: StateSpec, file: str | Path, where: str) -> dict:
    return {"scenario": _scenario(t.scenario, file, f"{where}.scenario"),
            "strategy": _strategy(t.strategy, file, f"{where}.strategy"), "triggers": list(t.triggers),
            "false_alarm_prices": list(t.false_alarm_prices), "backlash_price": t.backlash_price,
            "money_price": t.money_price}  # fmt: skip


def parse_s12(t: FactS12, typical: StateSpec, file: str | Path, where: str) -> dict:
    scenario = _scenario(t.scenario, file, f"{where}.scenario")
    state = _state(scenario, t.state, file, f"{where}.state")
    patrons = [name for name, interest in state.interests().items() if interest > 0]
    if len(patrons) < 2:
        raise InputError(file, f"{where}.state", f"{t.state} has patrons {', '.join(patrons) or 'none'}",
                         "a state with two or more patrons")  # fmt: skip
    if t.restrained not in patrons:
        raise InputError(file, f"{where}.restrained", f"{t.restrained!r} is no patron of {t.state}", ", ".join(patrons))
    return {"scenario": scenario, "state": state.name, "strategy": _strategy(t.strategy, file, f"{where}.strategy"),
            "restrained": t.restrained}  # fmt: skip


def parse_s13(t: FactS13, typical: StateSpec, file: str | Path, where: str) -> dict:
    scenario = _scenario(t.scenario, file, f"{where}.scenario")
    return {"scenario": scenario, "state": _state(scenario, t.state, file, f"{where}.state").name,
            "strategy": _strategy(t.strategy, file, f"{where}.strategy")}  # fmt: skip


# --- S10: hollow threats -----------------------------------------------------------------------


def without_coercion(strategy: Strategy) -> Strategy:
    """``strategy`` with every coercive instrument (catalogue column ``coercive``) switched off."""
    for ins in INSTRUMENTS:
        if ins.coercive:
            strategy = strategy.with_instrument(ins.name, enabled=False)
    return strategy.replace(name=f"{strategy.name}-coercion")


_LEADERSHIPS = ("determined", "divided")


def arms_s10(c: dict) -> dict[str, Arm]:
    """S10: coercion without force and the same without coercion, for either leadership (state alone)."""
    coercion = c["strategy"]
    for name in c["without"]:
        coercion = coercion.with_instrument(name, enabled=False)
    coercion = coercion.replace(name=f"{coercion.name}-{'-'.join(c['without'])}")
    arms = {}
    for leadership in _LEADERSHIPS:
        scenario = isolate(c["scenario"].with_state(c["state"], leadership=leadership), [c["state"]])
        arms[f"{leadership} coercion"] = Arm(scenario, coercion)
        arms[f"{leadership} none"] = Arm(scenario, without_coercion(coercion))
    return arms


def measure_s10(c: dict, reps: int, runs: Runs) -> Finding:
    """Paired extra deaths from coercion short of force, determined vs divided leadership."""
    rows, extra = [], {}
    for leadership in _LEADERSHIPS:
        treated = runs[f"{leadership} coercion"]["deaths"].to_numpy(dtype=np.float64)
        base = runs[f"{leadership} none"]["deaths"].to_numpy(dtype=np.float64)
        rows.append(part(f"deaths without coercion, {leadership}", (*mean_ci(base), reps), "deaths"))
        rows.append(part(f"deaths with coercion short of force, {leadership}", (*mean_ci(treated), reps), "deaths"))
        extra[leadership] = treated - base
        rows.append(part(f"extra deaths from coercion, {leadership}", paired(treated, base), "deaths"))
    gap = paired(extra["determined"], extra["divided"])
    rows.append(part("extra deaths from coercion, determined minus divided", gap, "deaths"))
    determined = paired(extra["determined"], 0 * extra["determined"])
    return Finding(
        "S10",
        f"paired extra deaths from coercion without {', '.join(c['without'])}, determined leadership "
        f"({c['state']} alone, {c['strategy'].name})",
        *determined,
        verdict(determined[1] > 0, gap[1] > 0),
        "extra deaths under determined leadership CI above 0, and determined minus divided CI above 0",
        f"determined minus divided: {gap[0]:.3g} [{gap[1]:.3g}, {gap[2]:.3g}] deaths",
        parts_frame(rows),
    )


# --- S11: the cost of false alarms ---------------------------------------------------------------


def shifted(strategy: Strategy, by: float) -> Strategy:
    """``strategy`` with every trigger moved by ``by`` (kept in [0, 1])."""
    settings = tuple(s.__class__(s.enabled, min(max(s.trigger + by, 0.0), 1.0), s.delay, s.intensity)
                     for s in strategy.settings)  # fmt: skip
    return strategy.replace(settings=settings, name=f"{strategy.name}{by:+.2f}")


def lowest_trigger(strategy: Strategy) -> float:
    """The lowest trigger of the instruments ``strategy`` enables."""
    return min(s.trigger for s in strategy.settings if s.enabled)


def arms_s11(c: dict) -> dict[str, Arm]:
    """S11: the strategy with its lowest trigger at each value (its other triggers moved with it)."""
    low = lowest_trigger(c["strategy"])
    return {f"trigger {t:g}": Arm(c["scenario"], shifted(c["strategy"], t - low)) for t in c["triggers"]}


def _losses(c: dict, runs: Runs, price: float) -> dict[float, np.ndarray]:
    """Per trigger, each replication's loss: deaths plus priced false alarms, backlash and money."""
    losses = {}
    for t in c["triggers"]:
        r = runs[f"trigger {t:g}"]
        losses[t] = (r["deaths"].to_numpy(dtype=np.float64) + price * r["false_alarms"].to_numpy(dtype=np.float64)
                     + c["backlash_price"] * r["backlash"].to_numpy(dtype=np.float64)
                     + c["money_price"] * r["cost"].to_numpy(dtype=np.float64))  # fmt: skip
    return losses


def _curve(c: dict, reps: int, runs: Runs, price: float) -> tuple[list[dict], dict]:
    """Rows of one loss-against-trigger curve at one false-alarm price, and where its minimum lies."""
    triggers, losses = c["triggers"], _losses(c, runs, price)
    label = f"false alarm priced {price:g}"
    rows = [part(f"expected loss, trigger {t:g}, {label}", (*mean_ci(losses[t]), reps), "deaths-equivalent")
            for t in triggers]  # fmt: skip
    best = min(triggers[1:-1], key=lambda t: losses[t].mean())
    low = paired(losses[triggers[0]], losses[best])
    high = paired(losses[triggers[-1]], losses[best])
    rows.append(part(f"loss at trigger {triggers[0]:g} minus at {best:g} (best interior), {label}", low,
                     "deaths-equivalent"))  # fmt: skip
    rows.append(part(f"loss at trigger {triggers[-1]:g} minus at {best:g} (best interior), {label}", high,
                     "deaths-equivalent"))  # fmt: skip
    lowest = min(triggers, key=lambda t: losses[t].mean())
    return rows, {"best": best, "low": low, "high": high, "lowest": lowest}


def measure_s11(c: dict, reps: int, runs: Runs) -> Finding:
    """Where the expected loss against the trigger is lowest, at each false-alarm price; the dearest decides."""
    rows = []
    for t in c["triggers"]:
        r = runs[f"trigger {t:g}"]
        for column, unit in (("deaths", "deaths"), ("false_alarms", ""), ("backlash", "dose-weeks"),
                             ("cost", "US$ million")):  # fmt: skip
            rows.append(part(f"{column.replace('_', ' ')} per run, trigger {t:g}",
                             (*mean_ci(r[column].to_numpy(dtype=np.float64)), reps), unit))  # fmt: skip
    curves = {}
    for price in c["false_alarm_prices"]:
        price_rows, curves[price] = _curve(c, reps, runs, price)
        rows += price_rows
    dear = max(c["false_alarm_prices"])
    low, high = curves[dear]["low"], curves[dear]["high"]
    first, last = c["triggers"][0], c["triggers"][-1]
    where = "; ".join(f"priced {p:g}: at {curves[p]['lowest']:g}" for p in c["false_alarm_prices"])
    return Finding(
        "S11",
        f"paired extra loss at trigger {first:g} over the best interior trigger, false alarm priced {dear:g} "
        f"({c['scenario'].name}, {c['strategy'].name})",
        *low,
        verdict(low[1] > 0, high[1] > 0),
        f"at the dearest false-alarm price, loss at the lowest trigger ({first:g}) minus at the interior trigger "
        f"with the lowest loss CI above 0, and at the highest ({last:g}) minus at it CI above 0",
        f"lowest expected loss {where}",
        parts_frame(rows),
    )


# --- S12: two patrons --------------------------------------------------------------------------


def arms_s12(c: dict) -> dict[str, Arm]:
    """S12: the strategy with no veto restraint, restraint by one patron, and by all five members."""
    strategy = c["strategy"]
    return {label: Arm(c["scenario"], strategy.replace(veto_restraint=restraint, name=f"{strategy.name}-{label}"))
            for label, restraint in (("none", False), ("one", (c["restrained"],)), ("all", True))}  # fmt: skip


def measure_s12(c: dict, reps: int, runs: Runs) -> Finding:
    """Paired extra deaths with restraint by one patron against restraint by all, and the vetoes left."""
    deaths = {label: runs[label]["deaths"].to_numpy(dtype=np.float64) for label in ("none", "one", "all")}
    vetoes = {label: runs[label]["vetoes"].to_numpy(dtype=np.float64) for label in ("none", "one", "all")}
    rows = []
    for label, what in (("none", "no restraint"), ("one", f"restraint by {c['restrained']} only"),
                        ("all", "restraint by all P5")):  # fmt: skip
        rows.append(part(f"deaths, {what}", (*mean_ci(deaths[label]), reps), "deaths"))
        rows.append(part(f"vetoes per run, {what}", (*mean_ci(vetoes[label]), reps), "vetoes"))
    saved = paired(deaths["none"], deaths["one"])
    rows.append(part(f"deaths saved by restraint of {c['restrained']} only", saved, "deaths"))
    main = paired(deaths["one"], deaths["all"])
    rows.append(part("extra deaths, restraint by one patron minus by all", main, "deaths"))
    left = mean_ci(vetoes["one"])
    return Finding(
        "S12",
        f"paired extra deaths with veto restraint by {c['restrained']} only against all P5 "
        f"({c['scenario'].name}[{c['state']}], {c['strategy'].name})",
        *main,
        verdict(main[1] > 0, left[1] > 0),
        "extra deaths, restraint by one patron minus by all, CI above 0, and vetoes with one restrained CI above 0",
        f"vetoes left with {c['restrained']} restrained: {left[0]:.3g} [{left[1]:.3g}, {left[2]:.3g}] per run",
        parts_frame(rows),
    )


# --- S13: finite capacity ------------------------------------------------------------------------


def arms_s13(c: dict) -> dict[str, Arm]:
    """S13: the strategy targeted at the focal state and in every state, with the pools and without."""
    unbounded = c["scenario"].with_params(**{name: BY_NAME[name].off for name in POOLS})
    arms = {}
    for label, scenario in (("pools", c["scenario"]), ("no pools", unbounded)):
        arms[f"{label} targeted"] = Arm(scenario, c["strategy"].replace(targets=(c["state"],)), by_state)
        arms[f"{label} everywhere"] = Arm(scenario, c["strategy"].replace(targets=()), by_state)
    return arms


def measure_s13(c: dict, reps: int, runs: Runs) -> Finding:
    """Paired extra deaths in the focal state from acting in every state, with and without finite pools."""
    column, rows, extra = f"deaths[{c['state']}]", [], {}
    for label in ("pools", "no pools"):
        targeted = runs[f"{label} targeted"][column].to_numpy(dtype=np.float64)
        everywhere = runs[f"{label} everywhere"][column].to_numpy(dtype=np.float64)
        rows.append(part(f"deaths in {c['state']}, targeted, {label}", (*mean_ci(targeted), reps), "deaths"))
        rows.append(part(f"deaths in {c['state']}, every state, {label}", (*mean_ci(everywhere), reps), "deaths"))
        extra[label] = everywhere - targeted
        rows.append(part(f"extra deaths in {c['state']} from acting everywhere, {label}",
                         paired(everywhere, targeted), "deaths"))  # fmt: skip
        shortfall = runs[f"{label} everywhere"]["capacity_shortfall"].to_numpy(dtype=np.float64)
        rows.append(part(f"capacity shortfall per run, every state, {label}", (*mean_ci(shortfall), reps),
                         "dose-weeks"))  # fmt: skip
    gap = paired(extra["pools"], extra["no pools"])
    rows.append(part("extra deaths from acting everywhere, pools minus no pools", gap, "deaths"))
    main = paired(extra["pools"], 0 * extra["pools"])
    return Finding(
        "S13",
        f"paired extra deaths in {c['state']} from acting in every state rather than targeting it "
        f"({c['scenario'].name}, {c['strategy'].name})",
        *main,
        verdict(main[1] > 0, gap[1] > 0),
        "extra deaths in the focal state CI above 0, and the extra with the pools minus without CI above 0",
        f"pools minus no pools: {gap[0]:.3g} [{gap[1]:.3g}, {gap[2]:.3g}] deaths",
        parts_frame(rows),
    )


FACTS = {"S10": (parse_s10, measure_s10), "S11": (parse_s11, measure_s11), "S12": (parse_s12, measure_s12),
         "S13": (parse_s13, measure_s13)}  # fmt: skip
"""Per check: the parser of its table in the validation file and its measurement."""

ARMS = {"S10": arms_s10, "S11": arms_s11, "S12": arms_s12, "S13": arms_s13}
"""Per check: the arms its measurement needs, by label."""
