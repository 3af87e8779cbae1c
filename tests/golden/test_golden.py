"""Golden tests: results that a refactor must keep, bit for bit, on both engines.

``golden.json`` was made by ``make_golden.py`` from the revision it names, before the
architecture redesign (issue 9), on every scenario x strategy shipped then (copied in
``inputs/``): with every mechanism added since switched off (``sim.parameters.first_version``),
the first model version is one point of today's model. ``golden_v2.json`` holds the second model
version (issue 10) on today's shipped files, taken before the kernel's performance work. The
Numba engine is checked at 200 replications with trajectories; the Mesa engine, about a hundred
times slower, on the first replications of every case, recorded apart (a replication's numbers
do not depend on how many run beside it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from golden_fingerprint import GOLDENS, MESA_REPS, REPS, SEED, cases, digests, fingerprint, load_case

import sim

RENAMED = {"atrocity_weeks": "atrocity_state_weeks"}
"""Outcome columns renamed since a golden file was made: old name -> new name (same values)."""

REPLACED = {"warning_response_lag": lambda t: t["first_response_week"] - t["first_warning_week"]}
"""Outcome columns dropped since, and how to recompute their old values from today's columns."""

HERE = Path(__file__).parent
GOLDEN = {name: json.loads((HERE / name).read_text()) for name in GOLDENS}
CASES = [(name, sc, st) for name, root in GOLDENS.items() for sc, st in cases(root)]


def as_golden(outcomes: pd.DataFrame) -> pd.DataFrame:
    """``outcomes`` under the golden files' column names: renamed columns back under their old
    names, dropped ones recomputed, new columns left as they are (the golden files lack them)."""
    old = outcomes.rename(columns={new: old for old, new in RENAMED.items()})
    return old.assign(**{name: derive(outcomes) for name, derive in REPLACED.items()})


def _check(got: dict, want: dict, case: str) -> None:
    found = digests(got)
    differing = [key for key, sha in digests(want).items() if found.get(key) != sha]
    detail = "; ".join(
        f"{key}: mean {got.get(key, {}).get('mean')} vs golden {want[key]['mean']}" for key in differing[:6]
    )
    assert not differing, f"{case}: {len(differing)} results differ from the golden file: {detail}"


@pytest.mark.parametrize("name", list(GOLDENS))
def test_golden_covers_every_case(name: str) -> None:
    golden = GOLDEN[name]
    assert (golden["reps"], golden["head_reps"], golden["seed"]) == (REPS, MESA_REPS, SEED)
    assert sorted(golden["cases"]) == sorted(f"{sc}|{st}" for sc, st in cases(GOLDENS[name]))


@pytest.mark.parametrize(("name", "scenario", "strategy"), CASES)
def test_numba_matches_golden(name: str, scenario: str, strategy: str) -> None:
    inputs = load_case(scenario, strategy, GOLDENS[name])
    outcomes, paths = sim.simulate(*inputs, REPS, seed=SEED, trajectories=True)
    case = f"{name} {scenario}|{strategy}"
    _check(
        fingerprint(as_golden(outcomes), paths), GOLDEN[name]["cases"][f"{scenario}|{strategy}"]["all"], f"numba {case}"
    )


@pytest.mark.parametrize(("name", "scenario", "strategy"), CASES)
def test_mesa_matches_golden(name: str, scenario: str, strategy: str) -> None:
    inputs = load_case(scenario, strategy, GOLDENS[name])
    outcomes, paths = sim.simulate(*inputs, MESA_REPS, seed=SEED, engine="mesa", trajectories=True)
    case = f"{name} {scenario}|{strategy}"
    _check(
        fingerprint(as_golden(outcomes), paths), GOLDEN[name]["cases"][f"{scenario}|{strategy}"]["head"], f"mesa {case}"
    )
