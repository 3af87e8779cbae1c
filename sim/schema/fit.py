"""The fit file: ``[fit]``, ``[typical_state]``, one ``[[parameters]]`` table per uncertain model
parameter (its prior) and one ``[[targets]]`` table per reference fact the model should reproduce."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from sim.config import quote
from sim.limits import MAX_REPS, MAX_SEED, MAX_WEEKS
from sim.schema.rules import VERSION, VERSION_TEXT, Choice, Doc, FieldError, Number, Table, Text, tables
from sim.schema.scenario import StateTable

TARGETS = ("onset_rate", "rate_ratio", "episode_years", "episode_toll")
"""Kinds of target: the typical state's onset rate per state-year, the rate ratio of one risk factor,
the median length in years of an episode without response, and the focal state's toll of a
historical episode (log scale)."""

SCALES = ("linear", "log")
"""Scales of a prior: uniform on ``[low, high]`` or on ``[log low, log high]``."""

MAX_POPULATION = 100_000
"""Most particles per generation."""


class FitHead(Table):
    """The ``[fit]`` table."""

    schema_version: VERSION = Field(1, description=VERSION_TEXT)
    name: Annotated[str, Text()] = Field(description="name; the default posterior folder is `results/fit-NAME-...`")
    description: Annotated[str, Text()] = Field("", description="one line, for the report")
    seed: Annotated[int, Number(0, MAX_SEED, integer=True)] = Field(
        description="root seed: every proposal and every simulation of the fit derives from it"
    )
    population: Annotated[int, Number(10, MAX_POPULATION, integer=True)] = Field(
        description="accepted particles per generation"
    )
    generations: Annotated[int, Number(1, 100, integer=True)] = Field(description="most generations (t = 0, 1, ...)")
    min_epsilon: Annotated[float, Number(0, 1e6)] = Field(
        description="stop once the acceptance threshold is at or below this distance (1: every target within "
        "its tolerance on average)"
    )
    calibration: Annotated[str, Text(), Doc(allowed="a calibration file name or path")] = Field(
        "calibration", description="the calibration file whose episodes (scenario, state, strategy, record) "
        "the `episode_toll` targets name"
    )  # fmt: skip


class PriorTable(Table):
    """One ``[[parameters]]`` table: an uncertain model parameter and its prior."""

    key: Annotated[str, Text(), Doc(allowed="`scenario.model.PARAMETER` of a numeric model parameter")] = Field(
        description="the parameter"
    )
    low: Annotated[float, Number(-1e12, 1e12)] = Field(description="lower end of the prior")
    high: Annotated[float, Number(-1e12, 1e12), Doc(allowed="greater than `low`")] = Field(
        description="upper end of the prior"
    )
    scale: Annotated[str, Choice(SCALES)] = Field("linear", description="uniform on this scale (`log`: low > 0)")
    source: Annotated[str, Text()] = Field(description="where the range comes from, or `assumption` and why")


class TargetTable(Table):
    """One ``[[targets]]`` table: a reference fact, its source and how far from it is close enough."""

    kind: Annotated[str, Choice(TARGETS)] = Field(description="what is measured")
    value: Annotated[float | None, Number(0, 1e12), Doc(default="none (`episode_toll`: the record)")] = Field(
        None, description="the reference value (not for `episode_toll`, whose record the calibration file holds)"
    )
    tolerance: Annotated[float, Number(0, 1e12, above=True)] = Field(
        description="distance from the value that counts as close (`episode_toll`: in decades, log10)"
    )
    factor: Annotated[str | None, Text(), Doc(default="none", allowed="a risk factor")] = Field(
        None, description="`rate_ratio`: the risk factor added to the typical state"
    )
    episode: Annotated[str | None, Text(), Doc(default="none", allowed="a scenario of the calibration file")] = Field(
        None, description="`episode_toll`: the episode (its scenario name in the calibration file)"
    )
    weeks: Annotated[int, Number(1, MAX_WEEKS, integer=True), Doc(default="the scenario's (`episode_toll`)")] = Field(
        0, description="horizon of the simulated arm (the typical state's targets)"
    )
    reps: Annotated[int, Number(1, MAX_REPS, integer=True)] = Field(
        description="replications of the arm for each particle"
    )
    source: Annotated[str, Text()] = Field(description="the source of the value")

    @model_validator(mode="after")
    def _fields_of_the_kind(self) -> TargetTable:
        needs = {"rate_ratio": ("factor",), "episode_toll": ("episode",)}.get(self.kind, ())
        for name in needs:
            if getattr(self, name) is None:
                raise FieldError(f"is required for kind {quote(self.kind)}", "", (name,))
        if (self.value is None) != (self.kind == "episode_toll"):
            problem = "is not used by kind 'episode_toll'" if self.value is not None else "is required"
            raise FieldError(f"{problem}", "the calibration file holds an episode's record", ("value",))
        if self.kind != "episode_toll" and not self.weeks:
            raise FieldError(f"is required for kind {quote(self.kind)}", "1 to the most weeks", ("weeks",))
        return self


class FitFile(Table):
    """A fit file."""

    fit: FitHead = Field(description="name, seed, population, generations and stopping threshold")
    typical_state: StateTable = Field(description="the typical-risk state (fields of a [[states]] table)")
    parameters: tuple[PriorTable, ...] = Field(description="the uncertain parameters, each key at most once")
    targets: tuple[TargetTable, ...] = Field(description="the reference facts the model should reproduce")

    @field_validator("parameters", "targets", mode="before")
    @classmethod
    def _some(cls, value: Any, info: Any) -> Any:
        return tables(value, info.field_name)

    @model_validator(mode="after")
    def _once_each(self) -> FitFile:
        for n, item in enumerate(self.parameters):
            if any(item.key == other.key for other in self.parameters[:n]):
                raise FieldError(f"{quote(item.key)} is listed twice", "", ("parameters", n, "key"))
        labels = [(t.kind, t.factor, t.episode) for t in self.targets]
        for n, label in enumerate(labels):
            if label in labels[:n]:
                raise FieldError("repeats an earlier target", "each target once", ("targets", n, "kind"))
        return self
