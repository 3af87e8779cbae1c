"""One classroom run: the page's settings turned into model inputs, and a model stepped week by week.

:class:`Run` wraps :class:`sim.engines.mesa_model.R2PModel`; each :meth:`Run.step` advances the
model one week and records what the page shows (tension per state, cumulative deaths and
displaced, the weeks instruments took effect, the whole event log). It runs no model logic itself.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

import numpy as np

from sim.concepts import INSTRUMENTS, Crime, Phase, Pillar
from sim.config import InputError, shipped
from sim.engines.mesa_model import R2PModel
from sim.limits import MAX_SEED
from sim.parameters import P
from sim.scenario import Scenario, load_scenario
from sim.strategy import MAX_DELAY, Strategy, historical, load_strategy, presets
from sim.view.event_log import EventLog
from sim.view.narrative import Event, narrate, snapshot

PILLARS = tuple(int(p) for p in Pillar)
"""Pillar numbers, 1 to 3."""


@dataclass(frozen=True)
class Settings:
    """What the page's controls set.

    ``trigger`` and ``delay`` hold one value per pillar, or ``None`` to keep the preset's own
    per-instrument values; ``warning_noise`` is ``None`` to keep the scenario's.
    """

    scenario: str = "fragile_region"
    strategy: str = "three_pillar_flexible"
    trigger: tuple[float | None, ...] = (None, None, None)
    delay: tuple[int | None, ...] = (None, None, None)
    veto_restraint: bool | None = None
    warning_noise: float | None = None
    seed: str = "1"

    def replace(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def with_pillar(self, pillar: int, **changes: float | int | None) -> Settings:
        """A copy with the ``trigger`` and/or ``delay`` of one pillar (1 to 3) set."""
        fields = {}
        for key, value in changes.items():
            values = list(getattr(self, key))
            values[pillar - 1] = value
            fields[key] = tuple(values)
        return self.replace(**fields)


def parse_seed(text: str) -> int:
    """The seed typed on the page as a whole number.

    Raises
    ------
    InputError
        If it is not a whole number from 0 to ``MAX_SEED``.
    """
    cleaned = str(text).strip().replace("_", "")
    if not cleaned.isdigit() or int(cleaned) > MAX_SEED:
        raise InputError("page", "seed", f"{text!r} is not allowed", f"a whole number from 0 to {MAX_SEED}")
    return int(cleaned)


def pillar_defaults(strategy: Strategy) -> dict[str, list[float]]:
    """Per pillar, the trigger and delay the sliders start at: those of the pillar's first
    enabled instrument (or of its first instrument if none is enabled)."""
    out: dict[str, list[float]] = {"trigger": [], "delay": []}
    for pillar in PILLARS:
        rows = [s for k, s in enumerate(strategy.settings) if INSTRUMENTS[k].pillar == pillar]
        chosen = next((s for s in rows if s.enabled), rows[0])
        out["trigger"].append(chosen.trigger)
        out["delay"].append(chosen.delay)
    return out


def choices(kind: str) -> list[str]:
    """What the page offers: the shipped scenarios, or the strategy presets and the historical
    "what was done" strategies (``kind``: ``"scenarios"`` or ``"strategies"``)."""
    return presets() + historical() if kind == "strategies" else shipped(kind)


def shipped_name(kind: str, field: str, value: str) -> str:
    """``value`` if it is the name of a shipped file of ``kind`` (``"scenarios"``, ``"strategies"``).

    A value from the page is only compared with the shipped names, never taken as a path, so a
    browser cannot make the server read a file or learn whether one exists.

    Raises
    ------
    InputError
        If it is not one of the shipped names (the same message whatever the value names).
    """
    names = choices(kind)
    if value not in names:
        raise InputError("page", field, f"{value!r} is not a shipped {field}", ", ".join(names))
    return value


def build_inputs(settings: Settings) -> tuple[Scenario, Strategy, int]:
    """Scenario, strategy and seed for ``settings``.

    Raises
    ------
    InputError
        With one line naming what is wrong (not a shipped scenario or strategy preset, value out of
        range, bad seed).
    """
    scenario = load_scenario(shipped_name("scenarios", "scenario", settings.scenario))
    strategy = load_strategy(shipped_name("strategies", "strategy", settings.strategy))
    for pillar in PILLARS:
        trigger, delay = settings.trigger[pillar - 1], settings.delay[pillar - 1]
        if trigger is not None:
            if not 0 <= trigger <= 1:
                raise InputError("page", f"pillar {pillar} trigger", f"{trigger!r} is not allowed", "0 to 1")
            strategy = strategy.with_pillar(pillar, trigger=float(trigger))
        if delay is not None:
            if not (float(delay).is_integer() and 0 <= delay <= MAX_DELAY):
                raise InputError(
                    "page", f"pillar {pillar} delay", f"{delay!r} is not allowed", f"0 to {MAX_DELAY} weeks"
                )
            strategy = strategy.with_pillar(pillar, delay=int(delay))
    if settings.veto_restraint is not None:
        strategy = strategy.replace(veto_restraint=settings.veto_restraint)
    if settings.warning_noise is not None:
        scenario = scenario.with_params(warning_noise=float(settings.warning_noise))
    return scenario, strategy, parse_seed(settings.seed)


def label(strategy: Strategy) -> str:
    """How the page names a strategy: its name, and "with veto restraint" when the switch is on."""
    return f"{strategy.name} with veto restraint" if strategy.veto_restraint else strategy.name


def warning_noise(scenario: Scenario) -> float:
    """The early-warning noise in force for ``scenario``."""
    return float(scenario.parameter_vector()[P.WARNING_NOISE])


class Run:
    """A model stepped week by week, with everything the page draws.

    Parameters
    ----------
    scenario, strategy, seed
        Model inputs; the replication is always 0, so two runs with the same seed share their
        random numbers (common random numbers).
    """

    def __init__(self, scenario: Scenario, strategy: Strategy, seed: int) -> None:
        self.scenario = scenario
        self.strategy = strategy
        self.seed = seed
        self.model = R2PModel(scenario, strategy, seed=seed, replication=0, collect=False)
        self.names = scenario.state_names
        self.crimes = [Crime(int(c)) for c in self.model.region["crime"]]
        self.actors = [
            [self.model.responsible(i, ins.actor).name for ins in INSTRUMENTS] for i in range(len(self.names))
        ]
        world = self.model.world
        self.tension = [world["tension"].copy()]
        self.deaths = [float(world["deaths"].sum())]
        self.displaced = [float(world["displaced"].sum())]
        self.atrocity_week: list[int | None] = [0 if p == Phase.ATROCITY else None for p in world["phase"]]
        """Per state, the first week it was in atrocity (0: from the start), or ``None``."""
        self.events: list[Event] = []
        """Every event so far, in order."""
        self.log = EventLog()
        """The same events as the page lists them (repeats folded)."""

    @property
    def week(self) -> int:
        """Weeks completed."""
        return self.model.week

    @property
    def weeks(self) -> int:
        """Horizon."""
        return self.model.weeks

    def date(self, week: int) -> str:
        """The calendar week of ``week`` for a historical episode ("week of 4 April 1994"), or ``""``."""
        start = self.scenario.start
        if start is None:
            return ""
        day = start + datetime.timedelta(weeks=week)
        return f"week of {day.day} {day:%B %Y}"

    @property
    def finished(self) -> bool:
        """True once the horizon is reached."""
        return self.model.week >= self.model.weeks

    def step(self) -> list[Event]:
        """Advance one week (no-op at the horizon); return that week's events."""
        if self.finished:
            return []
        world = self.model.world
        before, voted = snapshot(world), len(self.model.council.record)
        self.model.step()
        drafts = self.model.council.record[voted:]
        new = narrate(before, snapshot(world), self.model.week, self.names, self.crimes, self.actors, drafts)
        self.tension.append(world["tension"].copy())
        self.deaths.append(float(world["deaths"].sum()))
        self.displaced.append(float(world["displaced"].sum()))
        for i, phase in enumerate(world["phase"]):
            if phase == Phase.ATROCITY and self.atrocity_week[i] is None:
                self.atrocity_week[i] = self.week
        self.events.extend(new)
        self.log.add(new)
        return new

    def markers(self) -> list[Event]:
        """Events the charts mark: an instrument taking effect, a General Assembly recommendation, a veto."""
        return [e for e in self.events if e.kind in ("active", "assembly", "veto")]

    def tension_history(self) -> np.ndarray:
        """Tension per week (rows, week 0 first) and state (columns)."""
        return np.array(self.tension)

    def outcomes(self) -> dict[str, float]:
        """The model's outcomes so far (see :meth:`R2PModel.outcomes`)."""
        return self.model.outcomes()


def start(settings: Settings) -> Run:
    """A new :class:`Run` at week 0 for ``settings`` (raises :class:`InputError` on bad settings)."""
    scenario, strategy, seed = build_inputs(settings)
    return Run(scenario, strategy, seed)
