"""The strategy file: ``[strategy]``, ``[pillar1]`` to ``[pillar3]`` and ``[instruments.NAME]``."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, create_model

from sim.concepts import INSTRUMENTS
from sim.limits import MAX_DELAY
from sim.parameters import BY_NAME
from sim.schema.rules import VERSION, VERSION_TEXT, Boolean, Doc, FlagOrNames, Names, Number, Table, Text
from sim.schema.scenario import PATRONS


class StrategyHead(Table):
    """The ``[strategy]`` table."""

    schema_version: VERSION = Field(1, description=VERSION_TEXT)
    name: Annotated[str, Text()] = Field(description="short name, used in results and labels")
    description: Annotated[str, Text()] = Field("", description="one line, shown by `r2p strategies`")
    targets: Annotated[tuple[str, ...], Names(), Doc(allowed="names of states of the scenario it runs on")] = Field(
        (),
        description="the states instruments are proposed for (e.g. the focal state); empty: every state of the "
        "region. Checked against the scenario's state names when both are combined",
    )
    veto_restraint: Annotated[bool | tuple[str, ...], FlagOrNames(PATRONS)] = Field(
        False,
        description="the P5 refrain from the veto once failure is manifest (perceived risk at least "
        "`manifest_failure`): a patron's veto propensity is cut by `veto_restraint_strength`; `true`: all "
        'five hold the norm, a list: only those named, e.g. `["france", "united_kingdom", "united_states"]` '
        f"(source: {BY_NAME['veto_restraint'].source})",
    )
    uniting_for_peace: Annotated[bool, Boolean()] = Field(
        False,
        description="a vetoed matter passes to the General Assembly, which after `assembly_delay` weeks recommends "
        "the measure at `assembly_effect` strength (only instruments marked so below) "
        f"(source: {BY_NAME['uniting_for_peace'].source})",
    )


class SettingTable(Table):
    """An instrument setting: ``[pillarN]`` (every instrument of the pillar) or ``[instruments.NAME]``.

    A field left out keeps the value the instrument had: the defaults below, or for an instrument
    table the setting its pillar table gave.
    """

    enabled: Annotated[bool, Boolean(), Doc(default="`true` (a table enables what it sets)")] = Field(
        True, description="whether the instrument is used"
    )
    trigger: Annotated[float | None, Number(0, 1), Doc(default="0.5")] = Field(
        None, description="perceived risk at which the instrument is triggered"
    )
    delay: Annotated[int | None, Number(0, MAX_DELAY, integer=True), Doc(default="0")] = Field(
        None, description="weeks from the trigger to the decision (Council instruments add `deliberation_weeks`)"
    )
    intensity: Annotated[float | None, Number(0, 1), Doc(default="1")] = Field(
        None, description="scales the instrument's effects and its cost"
    )


class _InstrumentTables(Table):
    unknown = "unknown instrument"


InstrumentsTable = create_model(
    "InstrumentsTable",
    __base__=_InstrumentTables,
    __doc__="The ``[instruments.NAME]`` tables: the setting of one instrument each.",
    **{
        ins.name: (SettingTable | None, Field(None, description=f"pillar {int(ins.pillar)}: {ins.description}"))
        for ins in INSTRUMENTS
    },
)


class StrategyFile(Table):
    """A strategy file."""

    strategy: StrategyHead = Field(description="name, description and the two switches")
    pillar1: SettingTable | None = Field(None, description="one setting for every instrument of Pillar I")
    pillar2: SettingTable | None = Field(None, description="one setting for every instrument of Pillar II")
    pillar3: SettingTable | None = Field(None, description="one setting for every instrument of Pillar III")
    instruments: InstrumentsTable = Field(  # type: ignore[valid-type]
        InstrumentsTable(), description="the setting of one instrument each, starting from its pillar's"
    )
