"""Find the seed of each lesson: ``python -m sim.view.lesson_seeds [--last N] [--only KEY ...]``.

For each lesson of :mod:`sim.view.lessons`, seeds 1, 2, ... are tried in turn; the first whose runs
A and B show the lesson's point (:attr:`~sim.view.lessons.Lesson.shows`) is kept. A lesson about
how much a strategy changes also needs a typical seed: one whose paired difference lies within the
middle half of its 200 runs' (so that no lesson rests on a lucky draw). The seeds are written to
:data:`~sim.view.lessons.SEEDS_FILE` with the digest of the model's code they were found with, so
a stale file is told apart. Run it again whenever the model changes. About a second per seed tried
(two Mesa runs to the horizon).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from sim.experiments.runner import code_digest
from sim.experiments.store import write_atomically
from sim.view.lessons import BY_KEY, LESSONS, SEEDS_FILE, Lesson, play
from sim.view.many_runs import many_runs

LAST_SEED = 200
"""Highest seed tried by default."""


def first_seed(lesson: Lesson, last: int = LAST_SEED) -> int | None:
    """The lowest seed from 1 to ``last`` whose runs show ``lesson``'s point, or ``None``."""
    for seed in range(1, last + 1):
        both = play(lesson, seed)
        if lesson.shows(both.a, both.b) and (not lesson.typical or many_runs(*lesson.settings(seed)).typical):
            return seed
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Search the seeds and write :data:`SEEDS_FILE` (exit status 1, nothing written, if a lesson
    has no seed up to ``--last``)."""
    parser = argparse.ArgumentParser(prog="python -m sim.view.lesson_seeds", description=__doc__.splitlines()[0])
    parser.add_argument("--last", type=int, default=LAST_SEED, help=f"highest seed tried (default {LAST_SEED})")
    parser.add_argument("--only", nargs="+", choices=sorted(BY_KEY), help="search these lessons, keep the others")
    args = parser.parse_args(argv)
    kept = json.loads(SEEDS_FILE.read_text())["lessons"] if args.only and SEEDS_FILE.exists() else {}
    found = {}
    for lesson in LESSONS:
        if args.only and lesson.key not in args.only:
            if lesson.key in kept:
                found[lesson.key] = kept[lesson.key]
            continue
        seed = first_seed(lesson, args.last)
        if seed is None:
            print(f"lesson {lesson.key}: no seed from 1 to {args.last} shows its point", file=sys.stderr)
            return 1
        print(f"lesson {lesson.key}: seed {seed}", flush=True)
        found[lesson.key] = {"seed": seed}
    record = {"code": code_digest(), "searched": f"seeds 1 to {args.last}, lowest kept", "lessons": found}
    write_atomically(SEEDS_FILE, lambda path: path.write_text(json.dumps(record, indent=2) + "\n"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
