"""Write ``golden.json``: fingerprints of every shipped scenario x strategy on the Numba engine.

Run from the repository root, on the code whose results are to be kept::

    python tests/golden/make_golden.py

It records the git revision it was made from. Regenerate it only when a change of results is
intended and explained in the commit.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from golden_fingerprint import MESA_REPS, REPS, SEED, cases, fingerprint, load_case  # beside this script

import sim

HERE = Path(__file__).resolve().parent


def main() -> None:
    revision = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    table = {}
    for scenario, strategy in cases():
        outcomes, paths = sim.simulate(*load_case(scenario, strategy), REPS, seed=SEED, trajectories=True)
        table[f"{scenario}|{strategy}"] = {
            "all": fingerprint(outcomes, paths),
            "head": fingerprint(outcomes.head(MESA_REPS), paths[:MESA_REPS]),
        }
    document = {"revision": revision, "reps": REPS, "head_reps": MESA_REPS, "seed": SEED, "cases": table}
    (HERE / "golden.json").write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
