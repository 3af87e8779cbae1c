"""The calibration file: ``[calibration]`` and one ``[[episodes]]`` table per historical episode."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, field_validator

from sim.limits import MAX_REPS, MAX_SEED, MIN_CALIBRATION_REPS
from sim.schema.rules import VERSION, VERSION_TEXT, Doc, Number, Pair, Table, Text, tables


class CalibrationHead(Table):
    """The ``[calibration]`` table."""

    schema_version: VERSION = Field(1, description=VERSION_TEXT)
    name: Annotated[str, Text()] = Field(description="name of the calibration")
    description: Annotated[str, Text()] = Field("", description="one line, for the report")
    seed: Annotated[int, Number(0, MAX_SEED, integer=True)] = Field(description="root seed of every arm")
    reps: Annotated[int, Number(MIN_CALIBRATION_REPS, MAX_REPS, integer=True)] = Field(
        description="replications per arm"
    )
    counterfactual: Annotated[str, Text(), Doc(allowed="a preset name (with suffixes) or a path")] = Field(
        description="a strategy every episode is also run under"
    )


class EpisodeTable(Table):
    """One ``[[episodes]]`` table."""

    scenario: Annotated[str, Text(), Doc(allowed="a shipped scenario name or a path")] = Field(
        description="the episode's scenario"
    )
    state: Annotated[str, Text(), Doc(allowed="a state of the scenario")] = Field(description="the focal state")
    strategy: Annotated[str, Text(), Doc(allowed="a strategy name or a path")] = Field(
        description="what was done, e.g. `historical/rwanda_1994`"
    )
    deaths: Annotated[tuple[float, float], Pair(0, 1e10, strict=False)] = Field(
        description="the documented toll of the focal state, `[low, high]` (persons)"
    )
    record: Annotated[str, Text()] = Field(description="the source of the documented toll, in words")
    comment: Annotated[str, Text()] = Field("", description="notes printed under the episode in the report")


class CalibrationFile(Table):
    """A calibration file."""

    calibration: CalibrationHead = Field(description="name, seed, replications and the counterfactual strategy")
    episodes: tuple[EpisodeTable, ...] = Field(description="the historical episodes")

    @field_validator("episodes", mode="before")
    @classmethod
    def _some_episodes(cls, value: Any) -> Any:
        return tables(value, "episodes")
