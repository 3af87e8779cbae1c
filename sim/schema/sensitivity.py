"""The sensitivity file: ``[sensitivity]`` and one ``[[parameters]]`` table per uncertain input."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from sim.config import quote
from sim.limits import MAX_REPS, MAX_SEED
from sim.schema.rules import VERSION, VERSION_TEXT, Choice, Doc, FieldError, Names, Number, Table, Text, tables

OUTCOMES = ("deaths", "onset", "displaced", "atrocity_state_weeks")
"""Outcomes a sensitivity analysis can study (mean per sample)."""

METHODS = ("sobol", "morris")
"""SALib methods."""

MAX_SAMPLES = 2**20
"""Largest SALib base sample size and number of Morris trajectories."""

BOUND = 1e12
"""Largest magnitude of an input's bounds (the field's own range applies as well)."""


class SensitivityHead(Table):
    """The ``[sensitivity]`` table."""

    schema_version: VERSION = Field(1, description=VERSION_TEXT)
    name: Annotated[str, Text()] = Field(description="name; the default results folder is `results/NAME`")
    description: Annotated[str, Text()] = Field("", description="one line")
    scenario: Annotated[str, Text(), Doc(allowed="a shipped scenario name or a path")] = Field(
        description="the scenario"
    )
    strategy: Annotated[str, Text(), Doc(allowed="a preset name (with suffixes) or a path")] = Field(
        description="the strategy"
    )
    outcome: Annotated[str, Choice(OUTCOMES)] = Field(
        description="outcome analysed: its mean over `reps_per_sample` replications (for `onset`, the share of "
        "replications with an onset)"
    )
    reps_per_sample: Annotated[int, Number(1, MAX_REPS, integer=True)] = Field(
        description="replications averaged for each sampled input vector"
    )
    samples: Annotated[
        int, Number(2, MAX_SAMPLES, integer=True), Doc(allowed="2 to 1,048,576; a power of 2 if `method` has `sobol`")
    ] = Field(description="SALib base sample size N; Sobol runs `N * (inputs + 2)` samples")
    trajectories: Annotated[int | None, Number(2, MAX_SAMPLES, integer=True), Doc(default="`samples`")] = Field(
        None, description="Morris trajectories; Morris runs `trajectories * (inputs + 1)` samples"
    )
    seed: Annotated[int, Number(0, MAX_SEED, integer=True)] = Field(
        description="root seed of every sample (and of SALib's sampling)"
    )
    method: Annotated[tuple[str, ...], Names(METHODS), Doc(allowed="`sobol`, `morris` (at least one)")] = Field(
        description="methods to run"
    )

    @model_validator(mode="after")
    def _methods(self) -> SensitivityHead:
        if not self.method:
            raise FieldError("is empty", ", ".join(METHODS), ("method",))
        if "sobol" in self.method and self.samples & (self.samples - 1):
            raise FieldError(f"{self.samples} is not a power of 2 (needed by Sobol)", "2, 4, 8, 16, ...", ("samples",))
        return self


class ParameterInput(Table):
    """One ``[[parameters]]`` table: an uncertain input, uniform on ``[low, high]``."""

    key: Annotated[
        str,
        Text(),
        Doc(allowed="a settable key (section 4) of a numeric field, e.g. `strategy.pillarN.delay`, "
            "`scenario.warning.KEY`, `scenario.model.PARAMETER`, `scenario.states.NAME.tension`"),
    ] = Field(description="the input")  # fmt: skip
    low: Annotated[
        float, Number(-BOUND, BOUND), Doc(allowed="a value the field allows; a whole number for an integer field")
    ] = Field(description="lower bound")
    high: Annotated[float, Number(-BOUND, BOUND), Doc(allowed="as `low`, and greater than `low`")] = Field(
        description="upper bound"
    )


class SensitivityFile(Table):
    """A sensitivity file."""

    sensitivity: SensitivityHead = Field(description="scenario, strategy, outcome, sample sizes, seed and methods")
    parameters: tuple[ParameterInput, ...] = Field(description="the uncertain inputs, each key at most once")

    @field_validator("parameters", mode="before")
    @classmethod
    def _some_parameters(cls, value: Any) -> Any:
        return tables(value, "parameters")

    @model_validator(mode="after")
    def _once_each(self) -> SensitivityFile:
        for n, item in enumerate(self.parameters):
            if any(item.key == other.key for other in self.parameters[:n]):
                raise FieldError(f"{quote(item.key)} is listed twice", "", ("parameters", n, "key"))
        return self
