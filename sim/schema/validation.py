"""The validation file: ``[validation]``, ``[typical_state]`` and one table per stylised fact, S1 to S9,
and per trade-off check of the second model version, S10 to S13."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, create_model, model_validator

from sim.concepts import INSTRUMENT_NAMES
from sim.limits import MAX_DELAY, MAX_REPS, MAX_SEED, MAX_WEEKS, MIN_VALIDATION_REPS
from sim.schema.rules import (
    VERSION,
    VERSION_TEXT,
    Choice,
    Doc,
    FieldError,
    Names,
    Number,
    Numbers,
    Pair,
    Table,
    Text,
)
from sim.schema.scenario import PATRONS, StateTable
from sim.state import RISK_FACTORS

_SCENARIO = Annotated[str, Text(), Doc(allowed="a shipped scenario name or a path")]
_STRATEGY = Annotated[str, Text(), Doc(allowed="a strategy name or a path")]
_STATE = Annotated[str, Text(), Doc(allowed="a state of the scenario")]
_COMMENT = Annotated[str, Text()]
_COMMENT_TEXT = "notes written after a run, printed under the fact in the report"


def _weeks(default: int) -> Any:
    return Field(default, description="horizon of each run (weeks)")


class ValidationHead(Table):
    """The ``[validation]`` table."""

    schema_version: VERSION = Field(1, description=VERSION_TEXT)
    name: Annotated[str, Text()] = Field(description="name of the validation")
    description: Annotated[str, Text()] = Field("", description="one line, for the report")
    seed: Annotated[int, Number(0, MAX_SEED, integer=True)] = Field(description="root seed of every arm")
    reps: Annotated[int, Number(MIN_VALIDATION_REPS, MAX_REPS, integer=True)] = Field(
        description="replications per arm"
    )


StateChanges = create_model(
    "StateChanges",
    __base__=Table,
    __doc__="Changes to a state: any fields of a ``[[states]]`` table but its name (absent: unchanged).",
    **{
        name: (Annotated[info.annotation | None, *info.metadata], Field(None, description=info.description))
        for name, info in StateTable.model_fields.items()
        if name != "name"
    },
)

_START = Field(StateChanges(), description="changes to the state at week 0 (fields of a [[states]] table)")


class FactS1(Table):
    """S1: deaths against the delay of one pillar's measures."""

    scenario: _SCENARIO = Field(description="the scenario")
    strategy: _STRATEGY = Field(description="the strategy whose pillar is delayed")
    pillar: Annotated[int, Number(1, 3, integer=True)] = Field(3, description="the pillar delayed")
    delays: Annotated[tuple[int, ...], Numbers(0, MAX_DELAY, integer=True, least=3)] = Field(
        description="delays (weeks), from 0 and increasing, e.g. [0, 4, 8, 16, 26]"
    )
    comment: _COMMENT = Field("", description=_COMMENT_TEXT)

    @model_validator(mode="after")
    def _increasing(self) -> FactS1:
        if list(self.delays) != sorted(set(self.delays)) or self.delays[0] != 0:
            raise FieldError("must start at 0 and increase", "e.g. [0, 4, 8, 16, 26]", ("delays",))
        return self


class FactS2(Table):
    """S2: Pillar II alone against a baseline for one state taken out of its region, by leadership."""

    scenario: _SCENARIO = Field(description="the scenario")
    state: _STATE = Field(description="the state")
    strategy: _STRATEGY = Field(description="the Pillar II strategy")
    baseline: _STRATEGY = Field(description="the baseline strategy")
    comment: _COMMENT = Field("", description=_COMMENT_TEXT)


class FactS3(Table):
    """S3: veto restraint on and off, with the scenario's patrons and without any."""

    scenario: _SCENARIO = Field(description="the scenario")
    strategy: _STRATEGY = Field(description="the strategy")
    comment: _COMMENT = Field("", description=_COMMENT_TEXT)


class FactS4(Table):
    """S4: one state alone under early warning of two noise and two selectivity levels."""

    scenario: _SCENARIO = Field(description="the scenario")
    state: _STATE = Field(description="the state")
    start: StateChanges = _START  # type: ignore[valid-type]
    strategy: _STRATEGY = Field(description="the strategy")
    noise: Annotated[tuple[float, float], Pair(0, 1)] = Field(description="low and high warning noise")
    selectivity: Annotated[tuple[float, float], Pair(0, 1)] = Field(description="low and high selectivity")
    comment: _COMMENT = Field("", description=_COMMENT_TEXT)


class FactS5(Table):
    """S5: the typical state with and without a border to a state in atrocity."""

    scenario: _SCENARIO = Field(description="the scenario the source state comes from")
    source: _STATE = Field(description="the state in atrocity")
    start: StateChanges = _START  # type: ignore[valid-type]
    weeks: Annotated[int, Number(1, MAX_WEEKS, integer=True)] = _weeks(104)
    comment: _COMMENT = Field("", description=_COMMENT_TEXT)


class FactS6(Table):
    """S6: power-law fit of region-wide deaths across replications."""

    scenario: _SCENARIO = Field(description="the scenario")
    strategy: _STRATEGY = Field(description="the strategy")
    comment: _COMMENT = Field("", description=_COMMENT_TEXT)


class FactS7(Table):
    """S7: onset rate of the typical state alone, and with one risk factor added."""

    weeks: Annotated[int, Number(1, MAX_WEEKS, integer=True)] = _weeks(520)
    risk_factors: Annotated[tuple[str, ...], Names(tuple(RISK_FACTORS))] = Field(description="risk factors added")
    rate_band: Annotated[tuple[float, float], Pair(0, 1)] = Field(description="band of the onset rate per year")
    ratio_band: Annotated[tuple[float, float], Pair(0, 100)] = Field(description="band of the rate ratios")
    capacities: Annotated[tuple[float, ...], Numbers(0, 1)] = Field((), description="other capacities reported")
    comment: _COMMENT = Field("", description=_COMMENT_TEXT)


class FactS8(Table):
    """S8: a protection presence from the first week, for the typical state starting in atrocity."""

    start: StateChanges = _START  # type: ignore[valid-type]
    instrument: Annotated[str, Choice(INSTRUMENT_NAMES)] = Field(description="the protection instrument")
    delay: Annotated[int, Number(0, MAX_DELAY, integer=True)] = Field(0, description="its delay (weeks)")
    weeks: Annotated[int, Number(1, MAX_WEEKS, integer=True)] = _weeks(26)
    comment: _COMMENT = Field("", description=_COMMENT_TEXT)


class FactS9(Table):
    """S9: how long an episode lasts without response."""

    start: StateChanges = _START  # type: ignore[valid-type]
    weeks: Annotated[int, Number(1, MAX_WEEKS, integer=True)] = _weeks(1040)
    min_weeks: Annotated[int, Number(1, MAX_WEEKS, integer=True)] = Field(
        52, description="episodes should last at least this many weeks (median)"
    )
    comment: _COMMENT = Field("", description=_COMMENT_TEXT)


class FactS10(Table):
    """S10: coercion short of force against a determined and a divided leadership (isolated state)."""

    scenario: _SCENARIO = Field(description="the scenario")
    state: _STATE = Field(description="the state (its patrons are removed, so that the Council can act)")
    start: StateChanges = _START  # type: ignore[valid-type]
    strategy: _STRATEGY = Field(description="the coercive strategy")
    without: Annotated[tuple[str, ...], Names(INSTRUMENT_NAMES)] = Field(
        ("chapter7_force",), description="instruments taken out of the strategy (credible force)"
    )
    comment: _COMMENT = Field("", description=_COMMENT_TEXT)


class FactS11(Table):
    """S11: the expected loss of a strategy against its trigger, false alarms, backlash and money priced."""

    scenario: _SCENARIO = Field(description="the scenario")
    strategy: _STRATEGY = Field(description="the strategy (early prevention)")
    triggers: Annotated[tuple[float, ...], Numbers(0, 1, least=3)] = Field(
        description="the strategy's lowest trigger, increasing (its other triggers move with it), "
        "e.g. [0.1, 0.2, 0.3, 0.4, 0.5]"
    )
    false_alarm_prices: Annotated[tuple[float, ...], Numbers(0, 1e9, least=2)] = Field(
        description="prices of one false alarm in deaths-equivalent, at least two (the modeller's valuation)"
    )
    backlash_price: Annotated[float, Number(0, 1e9)] = Field(
        description="price of one dose-week of backlash (outcome `backlash`) in deaths-equivalent"
    )
    money_price: Annotated[float, Number(0, 1e9)] = Field(
        description="price of US$ 1 million (outcome `cost`) in deaths-equivalent"
    )
    comment: _COMMENT = Field("", description=_COMMENT_TEXT)

    @model_validator(mode="after")
    def _increasing(self) -> FactS11:
        if list(self.triggers) != sorted(set(self.triggers)):
            raise FieldError("must increase", "e.g. [0.1, 0.2, 0.3, 0.4, 0.5]", ("triggers",))
        return self


class FactS12(Table):
    """S12: veto restraint by one of a state's two patrons, by both, and by none."""

    scenario: _SCENARIO = Field(description="the scenario")
    state: _STATE = Field(description="a state with two or more patrons")
    strategy: _STRATEGY = Field(description="the strategy (its own veto_restraint is replaced)")
    restrained: Annotated[str, Choice(PATRONS)] = Field(description="the one patron that restrains its veto")
    comment: _COMMENT = Field("", description=_COMMENT_TEXT)


class FactS13(Table):
    """S13: deaths in a focal state, the strategy targeted at it or acting in every state."""

    scenario: _SCENARIO = Field(description="the scenario")
    state: _STATE = Field(description="the focal state")
    strategy: _STRATEGY = Field(description="the strategy")
    comment: _COMMENT = Field("", description=_COMMENT_TEXT)


class ValidationFile(Table):
    """A validation file."""

    validation: ValidationHead = Field(description="name, seed and replications")
    typical_state: StateTable = Field(description="the typical-risk state (fields of a [[states]] table)")
    S1: FactS1
    S2: FactS2
    S3: FactS3
    S4: FactS4
    S5: FactS5
    S6: FactS6
    S7: FactS7
    S8: FactS8
    S9: FactS9
    S10: FactS10
    S11: FactS11
    S12: FactS12
    S13: FactS13
