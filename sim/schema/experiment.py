"""The experiment file: ``[experiment]``, an optional ``[grid]`` and optional ``[uncertain]`` inputs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, model_validator

from sim.config import quote
from sim.limits import MAX_REPS, MAX_SEED, MAX_WEEKS
from sim.schema.registry import ENTRIES, json_pattern
from sim.schema.rules import VERSION, VERSION_TEXT, Choice, Doc, FieldError, Names, Number, Rule, Table, Text

MAX_POINTS = 100_000
"""Most design points in one experiment."""

SAMPLERS = ("latin_hypercube",)
"""Ways to sample the ``[uncertain]`` inputs."""

_BOUND = 1e12


@dataclass(frozen=True)
class Values(Rule):
    """A non-empty list of values for one key (each is checked against its field later)."""

    kind = "list"

    def check(self, value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list) or not value:
            raise FieldError("expected a non-empty list of values")
        return tuple(value)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "array", "minItems": 1}


class ExperimentHead(Table):
    """The ``[experiment]`` table."""

    schema_version: VERSION = Field(1, description=VERSION_TEXT)
    name: Annotated[str, Text()] = Field(description="name; the default results folder is `results/NAME`")
    description: Annotated[str, Text()] = Field("", description="one line, for the report")
    seed: Annotated[int, Number(0, MAX_SEED, integer=True)] = Field(
        description="root seed of every design point (and of the Latin hypercube)"
    )
    reps: Annotated[int, Number(1, MAX_REPS, integer=True)] = Field(
        description="replications per design point (`r2p sweep --reps` overrides it)"
    )
    weeks: Annotated[int | None, Number(1, MAX_WEEKS, integer=True), Doc(default="each scenario's `weeks`")] = Field(
        None, description="horizon for every design point"
    )
    scenarios: Annotated[tuple[str, ...], Names(), Doc(allowed="shipped scenario names or paths, at least one")] = (
        Field(description="scenarios of the design")
    )
    strategies: Annotated[
        tuple[str, ...], Names(), Doc(allowed="preset names (with suffixes) or paths, at least one")
    ] = Field(description="strategies of the design")
    samples: Annotated[int | None, Number(1, MAX_POINTS, integer=True), Doc(default="none (no `[uncertain]`)")] = Field(
        None, description="samples of the `[uncertain]` inputs per scenario, strategy and grid point"
    )
    sampler: Annotated[str, Choice(SAMPLERS)] = Field(
        "latin_hypercube", description="how the `[uncertain]` inputs are sampled (scipy.stats.qmc.LatinHypercube)"
    )

    @model_validator(mode="after")
    def _some_of_each(self) -> ExperimentHead:
        if not self.scenarios or not self.strategies:
            raise FieldError("needs at least one scenario and one strategy", "", ("scenarios",))
        return self


class UncertainInput(Table):
    """One ``[uncertain]`` input: a range (``low``, ``high``) or a list of ``values``."""

    low: Annotated[float | None, Number(-_BOUND, _BOUND), Doc(allowed="a value the field allows")] = Field(
        None, description="lower end of a numeric input (uniform; whole values for an integer field)"
    )
    high: Annotated[float | None, Number(-_BOUND, _BOUND), Doc(allowed="as `low`, and greater than `low`")] = Field(
        None, description="upper end of a numeric input"
    )
    values: Annotated[tuple[Any, ...] | None, Values(), Doc(allowed="values the field allows")] = Field(
        None, description="the values of a categorical input, equally likely"
    )

    @model_validator(mode="after")
    def _range_or_values(self) -> UncertainInput:
        ranged = self.low is not None or self.high is not None
        if ranged == (self.values is not None):
            raise FieldError("needs either low and high, or values", "{ low = A, high = B } or { values = [...] }")
        for name in ("low", "high"):
            if ranged and getattr(self, name) is None:
                raise FieldError("missing", "", (name,))
        if ranged and not self.low < self.high:
            raise FieldError(f"{quote(self.high)} is not greater than low ({quote(self.low)})", "high > low", ("high",))
        return self


def _grid_schema(schema: dict[str, Any]) -> None:
    """JSON Schema of ``[grid]``: one property pattern per settable field, each a list of its values."""
    schema.pop("additionalProperties", None)
    schema["patternProperties"] = {
        json_pattern(e): {"type": "array", "minItems": 1, "items": e.rule.json_schema(), "description": e.description}
        for e in ENTRIES
    }
    schema["additionalProperties"] = False


def _uncertain_schema(schema: dict[str, Any]) -> None:
    """JSON Schema of ``[uncertain]``: keys of settable fields, each an :class:`UncertainInput`."""
    inner = schema.pop("additionalProperties")
    schema["patternProperties"] = {json_pattern(e): inner for e in ENTRIES}
    schema["additionalProperties"] = False


class ExperimentFile(Table):
    """An experiment file."""

    experiment: ExperimentHead = Field(description="name, seed, replications, scenarios and strategies")
    grid: dict[str, Annotated[tuple[Any, ...], Values()]] = Field(
        {}, description="dotted keys of settable fields, each with a list of values", json_schema_extra=_grid_schema
    )
    uncertain: dict[str, UncertainInput] = Field(
        {},
        description="dotted keys of settable fields, each with a range or values, sampled `samples` times",
        json_schema_extra=_uncertain_schema,
    )

    @model_validator(mode="after")
    def _samples_with_uncertain(self) -> ExperimentFile:
        if self.uncertain and self.experiment.samples is None:
            raise FieldError("missing", "the number of samples of the [uncertain] inputs", ("experiment", "samples"))
        if self.experiment.samples is not None and not self.uncertain:
            raise FieldError("needs an [uncertain] table", "leave samples out", ("experiment", "samples"))
        for key in self.uncertain:
            if key in self.grid:
                raise FieldError("is also a [grid] key", "a key in [grid] or in [uncertain], not both",
                                 ("uncertain", key))  # fmt: skip
        return self
