"""Declarative input schema: one pydantic model per kind of input file, and their JSON Schemas.

``json_schema(kind)`` gives the JSON Schema of a kind of file (``r2p schema KIND`` prints it);
:mod:`sim.schema.registry` lists every field an experiment, a sensitivity analysis or a page may
set by a dotted key.
"""

from __future__ import annotations

import importlib
from typing import Any

KINDS = {
    "scenario": ("sim.schema.scenario", "ScenarioFile"),
    "strategy": ("sim.schema.strategy", "StrategyFile"),
    "experiment": ("sim.schema.experiment", "ExperimentFile"),
    "sensitivity": ("sim.schema.sensitivity", "SensitivityFile"),
    "validation": ("sim.schema.validation", "ValidationFile"),
    "calibration": ("sim.schema.calibration", "CalibrationFile"),
    "fit": ("sim.schema.fit", "FitFile"),
    "optimize": ("sim.schema.optimize", "OptimizeFile"),
}
"""Each kind of input file and the module and model that describe it."""


def model(kind: str) -> Any:
    """The pydantic model of a kind of input file (a key of :data:`KINDS`)."""
    module, name = KINDS[kind]
    return getattr(importlib.import_module(module), name)


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a kind of input file (a key of :data:`KINDS`)."""
    from sim.schema.rules import TomlSchema  # pydantic: not loaded to list the kinds (``r2p --help``)

    schema = model(kind).model_json_schema(schema_generator=TomlSchema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": f"r2p {kind} file"}
