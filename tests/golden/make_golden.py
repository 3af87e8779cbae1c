"""Write a golden file: fingerprints of every scenario x strategy on both engines.

Run from the repository root, on the code whose results are to be kept::

    python tests/golden/make_golden.py golden_v2.json

``golden.json`` holds the first model version (the files in ``inputs/``, with every later
mechanism off); ``golden_v2.json`` the second (today's shipped files and parameters). Each
records the git revision it was made from. Regenerate one only when a change of results is
intended and explained in the commit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# golden_fingerprint lies beside this script
from golden_fingerprint import GOLDENS, MESA_REPS, REPS, SEED, cases, digests, fingerprint, load_case

import sim

HERE = Path(__file__).resolve().parent


def main(name: str) -> None:
    root = GOLDENS[name]
    revision = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    table = {}
    for scenario, strategy in cases(root):
        inputs = load_case(scenario, strategy, root)
        outcomes, paths = sim.simulate(*inputs, REPS, seed=SEED, trajectories=True)
        mesa, mesa_paths = sim.simulate(*inputs, MESA_REPS, seed=SEED, engine="mesa", trajectories=True)
        head = fingerprint(outcomes.head(MESA_REPS), paths[:MESA_REPS])
        if digests(fingerprint(mesa, mesa_paths)) != digests(head):
            raise SystemExit(f"{scenario}|{strategy}: the engines differ; no golden file written")
        table[f"{scenario}|{strategy}"] = {"all": fingerprint(outcomes, paths), "head": head}
    document = {"revision": revision, "reps": REPS, "head_reps": MESA_REPS, "seed": SEED, "cases": table}
    (HERE / name).write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "golden_v2.json")
