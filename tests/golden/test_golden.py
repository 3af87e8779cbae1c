"""Golden test: the first model version is one point of today's model.

``golden.json`` was made by ``make_golden.py`` from the revision it names, before the
architecture redesign (issue 9), on every scenario x strategy shipped then (copied in
``inputs/``). With every mechanism added since switched off (``sim.parameters.first_version``),
both engines must still reproduce it bit for bit. The Numba
engine is checked at 200 replications with trajectories; the Mesa engine, about a hundred times
slower, on the first replications of every case, recorded apart (a replication's numbers do not
depend on how many run beside it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from golden_fingerprint import MESA_REPS, REPS, SEED, cases, fingerprint, load_case

import sim

GOLDEN = json.loads((Path(__file__).with_name("golden.json")).read_text())


def _check(got: dict, want: dict, case: str) -> None:
    differing = [key for key, value in want.items() if got.get(key, {}).get("sha256") != value["sha256"]]
    detail = "; ".join(
        f"{key}: mean {got.get(key, {}).get('mean')} vs golden {want[key]['mean']}" for key in differing[:6]
    )
    assert not differing, f"{case}: {len(differing)} results differ from golden.json: {detail}"


def test_golden_covers_every_case() -> None:
    assert (GOLDEN["reps"], GOLDEN["head_reps"], GOLDEN["seed"]) == (REPS, MESA_REPS, SEED)
    assert sorted(GOLDEN["cases"]) == sorted(f"{sc}|{st}" for sc, st in cases())


@pytest.mark.parametrize(("scenario", "strategy"), cases())
def test_numba_matches_golden(scenario: str, strategy: str) -> None:
    outcomes, paths = sim.simulate(*load_case(scenario, strategy), REPS, seed=SEED, trajectories=True)
    case = f"{scenario}|{strategy}"
    _check(fingerprint(outcomes, paths), GOLDEN["cases"][case]["all"], f"numba {case}")


@pytest.mark.parametrize(("scenario", "strategy"), cases())
def test_mesa_matches_golden(scenario: str, strategy: str) -> None:
    outcomes, paths = sim.simulate(
        *load_case(scenario, strategy), MESA_REPS, seed=SEED, engine="mesa", trajectories=True
    )
    case = f"{scenario}|{strategy}"
    _check(fingerprint(outcomes, paths), GOLDEN["cases"][case]["head"], f"mesa {case}")
