"""The optimisation file: ``[optimize]``, ``[levers]`` (strategy fields searched) and an optional
``[uncertain]`` table (the futures every candidate is scored over)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, model_validator

from sim.limits import MAX_REPS, MAX_SEED, MAX_WEEKS
from sim.schema.experiment import MAX_POINTS, UncertainInput
from sim.schema.registry import ENTRIES, json_pattern
from sim.schema.rules import VERSION, VERSION_TEXT, Choice, Doc, FieldError, Names, Number, Table, Text

OBJECTIVES = {"deaths": "deaths", "cost": "cost", "intrusiveness": "backlash", "false_alarms": "false_alarms"}
"""Objectives (all minimised) and the outcome column each is the mean of: intrusiveness is
``backlash``, the intrusive dose applied while a state was not in atrocity."""

ALGORITHMS = ("nsga2", "nsga3")
"""pymoo's algorithms."""

ROBUST = ("mean", "p90", "regret")
"""How a candidate's per-future means become one score per objective."""

_TWO_OR_MORE = "two or more of " + ", ".join(f"`{o}`" for o in OBJECTIVES)

MAX_POPULATION = 1000
MAX_GENERATIONS = 1000


class OptimizeHead(Table):
    """The ``[optimize]`` table."""

    schema_version: VERSION = Field(1, description=VERSION_TEXT)
    name: Annotated[str, Text()] = Field(description="name; the default results folder is `results/NAME`")
    description: Annotated[str, Text()] = Field("", description="one line, for the report")
    scenario: Annotated[str, Text(), Doc(allowed="a shipped scenario name or a path")] = Field(
        description="the scenario every candidate runs on"
    )
    strategy: Annotated[str, Text(), Doc(allowed="a preset name (with suffixes) or a path")] = Field(
        description="the base strategy: the levers change it, every other field stays"
    )
    seed: Annotated[int, Number(0, MAX_SEED, integer=True)] = Field(
        description="root seed of every simulation (common random numbers), of the futures' Latin hypercube "
        "and of the search"
    )
    reps: Annotated[int, Number(1, MAX_REPS, integer=True)] = Field(description="replications per candidate and future")
    weeks: Annotated[int | None, Number(1, MAX_WEEKS, integer=True), Doc(default="the scenario's `weeks`")] = Field(
        None, description="horizon"
    )
    algorithm: Annotated[str, Choice(ALGORITHMS)] = Field("nsga2", description="pymoo's NSGA-II or NSGA-III")
    population: Annotated[int, Number(4, MAX_POPULATION, integer=True)] = Field(description="candidates per generation")
    generations: Annotated[int, Number(1, MAX_GENERATIONS, integer=True)] = Field(
        description="generations, the first one included"
    )
    objectives: Annotated[tuple[str, ...], Names(tuple(OBJECTIVES)), Doc(allowed=_TWO_OR_MORE)] = Field(
        description="what is minimised: the mean per replication of deaths, cost, intrusiveness (`backlash`) or "
        "false alarms"
    )
    robust: Annotated[str, Choice(ROBUST)] = Field(
        "mean", description="score over the futures: the mean, the 90th percentile, or the regret (the most a "
        "candidate falls behind the best candidate in any one future)"
    )  # fmt: skip
    futures: Annotated[int, Number(1, MAX_POINTS, integer=True), Doc(default="1 (no `[uncertain]`)")] = Field(
        1, description="futures sampled from `[uncertain]` (Latin hypercube); every candidate runs in each"
    )

    @model_validator(mode="after")
    def _two_objectives(self) -> OptimizeHead:
        if len(self.objectives) < 2:
            raise FieldError(f"{len(self.objectives)} objective(s)", "two or more of " + ", ".join(OBJECTIVES),
                             ("objectives",))  # fmt: skip
        if self.population * self.futures > MAX_POINTS:
            raise FieldError(f"{self.population * self.futures} runs per generation (population x futures)",
                             f"at most {MAX_POINTS}", ("population",))  # fmt: skip
        return self


def _keyed(prefix: str) -> Any:
    """JSON Schema of a table of settable keys starting with ``prefix``, each an :class:`UncertainInput`."""

    def schema(json: dict[str, Any]) -> None:
        inner = json.pop("additionalProperties")
        json["patternProperties"] = {json_pattern(e): inner for e in ENTRIES if e.pattern.startswith(prefix)}
        json["additionalProperties"] = False

    return schema


class OptimizeFile(Table):
    """An optimisation file."""

    optimize: OptimizeHead = Field(description="name, scenario, base strategy, search and objectives")
    levers: dict[str, UncertainInput] = Field(
        description="dotted keys of strategy fields, each with a range (`low`, `high`) or `values`: the search space",
        json_schema_extra=_keyed("strategy."),
    )
    uncertain: dict[str, UncertainInput] = Field(
        {}, description="dotted keys of scenario or strategy fields, each with a range or values: the futures",
        json_schema_extra=_keyed(""),
    )  # fmt: skip

    @model_validator(mode="after")
    def _levers_and_futures(self) -> OptimizeFile:
        if not self.levers:
            raise FieldError("is empty", 'one or more strategy keys, e.g. "strategy.pillar3.delay"', ("levers",))
        if self.uncertain and self.optimize.futures < 2:
            raise FieldError(f"{self.optimize.futures} future(s) for an [uncertain] table", "2 or more",
                             ("optimize", "futures"))  # fmt: skip
        if self.optimize.futures > 1 and not self.uncertain:
            raise FieldError("needs an [uncertain] table", "leave futures out", ("optimize", "futures"))
        for key in self.uncertain:
            if key in self.levers:
                raise FieldError("is also a lever", "a key in [levers] or in [uncertain], not both", ("uncertain", key))
        return self
