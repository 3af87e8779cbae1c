"""The experiment file: ``[experiment]``, an optional ``[grid]``, optional ``[uncertain]`` inputs and ``[levers]``."""

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

SAMPLERS = ("latin_hypercube", "sobol", "full_factorial")
"""Ways to sample the ``[uncertain]`` inputs and the ``[levers]``."""
MAX_LEVELS = 1_000
"""Most levels of one input of a full factorial design."""

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
        description="root seed of every design point and of the samplers (the levers' seed is derived from it)"
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
        None, description="samples of the `[uncertain]` inputs per scenario, strategy, grid point and policy"
    )
    policies: Annotated[int | None, Number(1, MAX_POINTS, integer=True), Doc(default="none (no `[levers]`)")] = Field(
        None, description="settings of the `[levers]` sampled, each crossed with every sample of `[uncertain]`"
    )
    sampler: Annotated[str, Choice(SAMPLERS)] = Field(
        "latin_hypercube",
        description="how `[uncertain]` and `[levers]` are sampled: scipy.stats.qmc.LatinHypercube, "
        "scipy.stats.qmc.Sobol (scrambled; `samples` and `policies` powers of 2) or every combination of `levels`",
    )
    levels: Annotated[
        int | None, Number(1, MAX_LEVELS, integer=True), Doc(default="none; required by `full_factorial`")
    ] = Field(None, description="values of each numeric input in a `full_factorial` design, evenly spaced low to high")

    @model_validator(mode="after")
    def _some_of_each(self) -> ExperimentHead:
        if not self.scenarios or not self.strategies:
            raise FieldError("needs at least one scenario and one strategy", "", ("scenarios",))
        factorial = self.sampler == "full_factorial"
        for name in ("samples", "policies"):
            count = getattr(self, name)
            if factorial and count is not None:
                raise FieldError("is not used by full_factorial", f"leave {name} out (the levels fix the count)",
                                 (name,))  # fmt: skip
            if self.sampler == "sobol" and count is not None and count & (count - 1):
                raise FieldError(f"{count} is not a power of 2 (needed by sobol)", "1, 2, 4, 8, 16, ...", (name,))
        if factorial and self.levels is None:
            raise FieldError("missing", "the number of levels of each input of a full_factorial design", ("levels",))
        if not factorial and self.levels is not None:
            raise FieldError("is only used by full_factorial", 'leave levels out, or sampler = "full_factorial"',
                             ("levels",))  # fmt: skip
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


def _levers_schema(schema: dict[str, Any]) -> None:
    """JSON Schema of ``[levers]``: keys of settable strategy fields, each an :class:`UncertainInput`."""
    inner = schema.pop("additionalProperties")
    schema["patternProperties"] = {json_pattern(e): inner for e in ENTRIES if json_pattern(e).startswith("^strategy")}
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
    levers: dict[str, UncertainInput] = Field(
        {},
        description="dotted keys of strategy fields (`strategy.*`), each with a range or values, sampled `policies` "
        "times",
        json_schema_extra=_levers_schema,
    )

    @model_validator(mode="after")
    def _samples_with_uncertain(self) -> ExperimentFile:
        for key in self.levers:
            if not key.startswith("strategy."):
                raise FieldError("is not a strategy key", "keys starting strategy. (a lever is a choice of the "
                                 "responders; a scenario key belongs in [uncertain])", ("levers", key))  # fmt: skip
        for table in ("uncertain", "levers"):
            for key in getattr(self, table):
                for other in ("grid", "uncertain", "levers"):
                    if other != table and key in getattr(self, other):
                        raise FieldError(f"is also a [{other}] key", "a key in one of [grid], [uncertain], [levers]",
                                         (table, key))  # fmt: skip
        head = self.experiment
        counted = head.sampler != "full_factorial"
        for table, count, what in (("uncertain", "samples", "an [uncertain]"), ("levers", "policies", "a [levers]")):
            if counted and getattr(self, table) and getattr(head, count) is None:
                raise FieldError("missing", f"the number of samples of the [{table}] inputs", ("experiment", count))
            if getattr(head, count) is not None and not getattr(self, table):
                raise FieldError(f"needs {what} table", f"leave {count} out", ("experiment", count))
        if head.levels is not None and not (self.uncertain or self.levers):
            raise FieldError("needs an [uncertain] or [levers] table", "leave levels out", ("experiment", "levels"))
        return self
