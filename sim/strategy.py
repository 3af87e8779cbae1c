"""Pillar strategies: per instrument, whether it is used, its trigger, delay and intensity.

A strategy file has a ``[strategy]`` table (name, description, ``veto_restraint``,
``uniting_for_peace``), optional ``[pillar1]``/``[pillar2]``/``[pillar3]`` tables that set all of a
pillar's instruments at once, and ``[instruments.NAME]`` tables that set one instrument. Triggers
are thresholds on *perceived* risk (the early-warning signal), never on true tension. There is
no fixed sequence of pillars: each instrument fires on its own trigger. A pillar table gives
the instruments of :data:`sim.concepts.NAMED_ONLY` (``regional_intervention``) its trigger, delay
and intensity but does not enable them: only their own ``[instruments.NAME]`` table does.

A preset may be named with suffixes: ``early_prevention+veto_restraint`` or
``reactive_coercion+uniting_for_peace``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.concepts import INSTRUMENT_NAMES, INSTRUMENTS, N_INSTRUMENTS, N_P5, NAMED_ONLY, Pillar, Strat
from sim.config import InputError, quote, read_toml, resolve, shipped
from sim.limits import MAX_DELAY  # noqa: F401  (re-exported: sim.view and facts import it from here)
from sim.parameters import STRATEGY_SWITCHES, P
from sim.schema.rules import validate
from sim.schema.scenario import PATRONS
from sim.schema.strategy import SettingTable, StrategyFile


@dataclass(frozen=True)
class Setting:
    """How a strategy uses one instrument."""

    enabled: bool = False
    trigger: float = 0.5
    delay: int = 0
    intensity: float = 1.0


@dataclass(frozen=True)
class Strategy:
    """A validated pillar strategy."""

    name: str
    description: str
    settings: tuple[Setting, ...]
    veto_restraint: bool | tuple[str, ...] = False
    """The veto-restraint norm: held by all five (``True``), by none, or by the members named."""
    uniting_for_peace: bool = False
    source: str = ""
    targets: tuple[str, ...] = ()

    def replace(self, **changes: object) -> Strategy:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def with_instrument(self, name: str, **changes: object) -> Strategy:
        """A copy in which instrument ``name`` has some settings changed."""
        if name not in INSTRUMENT_NAMES:
            raise InputError(
                self.source or self.name, "instruments", f"no instrument {quote(name)}", ", ".join(INSTRUMENT_NAMES)
            )
        k = INSTRUMENT_NAMES.index(name)
        settings = list(self.settings)
        settings[k] = dataclasses.replace(settings[k], **changes)
        return self.replace(settings=tuple(settings))

    def with_pillar(self, pillar: int, **changes: object) -> Strategy:
        """A copy in which every instrument of ``pillar`` (1, 2 or 3) has some settings changed;
        ``enabled`` is left alone for the instruments of :data:`~sim.concepts.NAMED_ONLY`."""
        named_only = {key: value for key, value in changes.items() if key != "enabled"}
        settings = tuple(
            dataclasses.replace(s, **(named_only if INSTRUMENT_NAMES[k] in NAMED_ONLY else changes))
            if INSTRUMENTS[k].pillar == pillar
            else s
            for k, s in enumerate(self.settings)
        )
        return self.replace(settings=settings)

    def array(self) -> np.ndarray:
        """The settings as the float array the Numba rules read (one row per instrument)."""
        table = np.zeros((N_INSTRUMENTS, 4))
        for k, s in enumerate(self.settings):
            table[k, Strat.ENABLED] = s.enabled
            table[k, Strat.TRIGGER] = s.trigger
            table[k, Strat.DELAY] = s.delay
            table[k, Strat.INTENSITY] = s.intensity
        return table

    def apply_switches(self, p: np.ndarray) -> np.ndarray:
        """A copy of parameter vector ``p`` with this strategy's switches set."""
        p = p.copy()
        p[P.VETO_RESTRAINT] = float(restraint_mask(self.veto_restraint))
        p[P.UNITING_FOR_PEACE] = float(self.uniting_for_peace)
        return p

    @property
    def enabled(self) -> list[str]:
        """Names of the instruments this strategy uses."""
        return [INSTRUMENT_NAMES[k] for k, s in enumerate(self.settings) if s.enabled]


def restraint_mask(members: bool | tuple[str, ...]) -> int:
    """The ``veto_restraint`` parameter of a strategy's switch: bit ``s`` set if seat ``s`` (in
    ``concepts.P5`` order) holds the norm."""
    if isinstance(members, bool):
        return (1 << N_P5) - 1 if members else 0
    return sum(1 << PATRONS.index(m) for m in set(members))


def _setting(table: SettingTable, base: Setting) -> Setting:
    """The setting a validated table gives; fields it leaves out keep their value in ``base``."""
    changes = {key: value for key, value in dict(table).items() if value is not None}
    return dataclasses.replace(base, **changes)


def parse_strategy(data: dict, file: str | Path) -> Strategy:
    """Validate a parsed strategy TOML document."""
    checked = validate(StrategyFile, data, file)
    head = checked.strategy
    settings = [Setting()] * N_INSTRUMENTS
    for pillar in Pillar:
        table = getattr(checked, f"pillar{int(pillar)}")
        if table is not None:
            pillar_setting = _setting(table, Setting())
            for k, ins in enumerate(INSTRUMENTS):
                if ins.pillar == pillar:
                    named_only = ins.name in NAMED_ONLY
                    settings[k] = dataclasses.replace(pillar_setting, enabled=False) if named_only else pillar_setting
    for k, name in enumerate(INSTRUMENT_NAMES):
        table = getattr(checked.instruments, name)
        if table is not None:
            settings[k] = _setting(table, settings[k])
    switches = {key: getattr(head, key) for key in STRATEGY_SWITCHES}
    return Strategy(head.name, head.description, tuple(settings), source=str(file), targets=head.targets, **switches)


def load_strategy(name_or_path: str | Path) -> Strategy:
    """Load and validate a preset (by name, optionally with ``+veto_restraint`` or
    ``+uniting_for_peace``) or a strategy file (by path).

    Raises
    ------
    InputError
        With one line naming the file, the field and what is allowed.
    """
    base, suffixes = _split_suffixes(str(name_or_path))
    path = resolve(base, "strategies")
    strategy = parse_strategy(read_toml(path), path)
    for suffix in suffixes:
        strategy = strategy.replace(**{suffix: True}, name=f"{strategy.name}+{suffix}")
    return strategy


def _split_suffixes(text: str) -> tuple[str, list[str]]:
    """``text`` without its ``+veto_restraint`` and ``+uniting_for_peace`` suffixes at the end, and
    those suffixes in written order (a ``+`` elsewhere, as in a path, is part of the name)."""
    suffixes: list[str] = []
    while found := next((s for s in STRATEGY_SWITCHES if text.endswith(f"+{s}")), None):
        text = text.removesuffix(f"+{found}")
        suffixes.insert(0, found)
    if "+" in text and "/" not in text and "\\" not in text and not text.endswith(".toml"):
        allowed = ", ".join(f"+{s}" for s in STRATEGY_SWITCHES)
        raise InputError(text, "", f"unknown suffix {quote(text[text.index('+') :])}", allowed)
    return text, suffixes


def presets() -> list[str]:
    """Names of the shipped strategy presets."""
    return shipped("strategies")


def historical() -> list[str]:
    """Names of the shipped "what was done" strategies of the historical scenarios (``historical/NAME``)."""
    return [f"historical/{name}" for name in shipped("strategies/historical")]
