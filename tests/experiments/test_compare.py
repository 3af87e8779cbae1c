"""Paired comparisons against a baseline strategy: equal to differences of direct simulations."""

from __future__ import annotations

import argparse
import io
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.cli import _Parser
from sim.cli.compare import add_parser, run
from sim.experiments.compare import compare, format_comparison
from sim.experiments.design import load_experiment
from sim.experiments.statistics import mean_ci
from sim.experiments.sweep import sweep

REPS = 300
EXPERIMENT = f"""[experiment]
name = "tiny_compare"
seed = 9
reps = {REPS}
scenarios = ["fragile_region"]
strategies = ["early_prevention", "no_response"]

[grid]
"strategy.veto_restraint" = [false, true]
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[sim.experiments.design.Experiment, Path]:
    tmp = tmp_path_factory.mktemp("compare")
    path = tmp / "tiny_compare.toml"
    path.write_text(EXPERIMENT)
    experiment = load_experiment(path)
    return experiment, sweep(experiment, tmp / "out", chunk=100, progress=None)


def test_compare_gives_the_paired_differences_of_direct_simulations(
    results: tuple[sim.experiments.design.Experiment, Path],
) -> None:
    experiment, folder = results
    points = experiment.points()
    table = compare(folder, "no_response")
    # early_prevention at points 0 (no restraint) and 1 (restraint); no_response at 2 and 3.
    assert sorted(set(table["point"])) == [0, 1]
    assert dict(zip(table["point"], table["baseline_point"], strict=True)) == {0: 2, 1: 3}
    for point, base in ((0, 2), (1, 3)):
        mine = sim.simulate(points[point].scenario, points[point].strategy, REPS, seed=experiment.seed)
        theirs = sim.simulate(points[base].scenario, points[base].strategy, REPS, seed=experiment.seed)
        for outcome in ("deaths", "displaced", "onset"):
            row = table[(table["point"] == point) & (table["outcome"] == outcome)].iloc[0]
            diff = mine[outcome].to_numpy(dtype=float) - theirs[outcome].to_numpy(dtype=float)
            mean, low, high = mean_ci(diff)
            assert row["n"] == REPS
            assert row["difference"] == pytest.approx(mean, rel=1e-12, abs=1e-12)
            assert (row["ci95_low"], row["ci95_high"]) == pytest.approx((low, high), rel=1e-12, abs=1e-12)
            assert row["mean"] == pytest.approx(mine[outcome].astype(float).mean())
    onset = table[table["outcome"] == "onset"]
    assert ((onset["difference"] >= -1) & (onset["difference"] <= 1)).all()


def test_a_missing_chunk_is_refused_in_one_line_not_paired_around(
    results: tuple[sim.experiments.design.Experiment, Path], tmp_path: Path
) -> None:
    _, folder = results
    copy = tmp_path / "partial"
    shutil.copytree(folder, copy)
    lost = next((copy / "chunks").glob("point-00002-reps-0000000100-*.parquet"))  # baseline of point 0
    lost.unlink()
    with pytest.raises(sim.InputError) as caught:
        compare(copy, "no_response")
    message = str(caught.value)
    assert "\n" not in message and lost.name in message and "again to redo it" in message


def test_unknown_baseline_names_folder_flag_and_strategies(
    results: tuple[sim.experiments.design.Experiment, Path],
) -> None:
    _, folder = results
    with pytest.raises(sim.InputError) as caught:
        compare(folder, "pillar1_only")
    message = str(caught.value)
    assert "\n" not in message and str(folder) in message and "--baseline" in message
    assert "early_prevention, no_response" in message


def test_a_folder_without_a_design_is_refused(tmp_path: Path) -> None:
    with pytest.raises(sim.InputError, match="not a results folder"):
        compare(tmp_path, "no_response")


def _command(folder: Path, *flags: str) -> argparse.Namespace:
    parser = _Parser(prog="r2p")
    add_parser(parser.add_subparsers(dest="command", required=True, parser_class=_Parser))
    return parser.parse_args(["compare", str(folder), *flags])


def test_command_prints_one_row_per_point_with_the_replications_it_rests_on(
    results: tuple[sim.experiments.design.Experiment, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, folder = results
    args = _command(folder, "--baseline", "no_response")
    assert args.command == "compare" and args.format == "text"
    run(args)
    text = capsys.readouterr().out
    assert text == format_comparison(compare(folder, "no_response")) + "\n"
    rows = [line for line in text.splitlines() if re.match(r"\s*\d+\s+fragile_region", line)]
    assert [int(r.split()[0]) for r in rows] == [0, 1]  # points, never the baseline points 2 and 3
    assert all(r.rstrip().endswith(f"{REPS:,}") for r in rows)
    assert "n: paired replications" in text and "  2: fragile_region | no_response" in text


def test_a_setting_as_baseline_pairs_each_point_with_its_own_strategy_there(
    results: tuple[sim.experiments.design.Experiment, Path],
) -> None:
    experiment, folder = results
    table = compare(folder, "veto_restraint=false")  # points 1 and 3 (restraint) against 0 and 2
    assert dict(zip(table["point"], table["baseline_point"], strict=True)) == {1: 0, 3: 2}
    assert table.equals(compare(folder, "strategy.veto_restraint=False"))
    points = experiment.points()
    mine = sim.simulate(points[1].scenario, points[1].strategy, REPS, seed=experiment.seed)
    theirs = sim.simulate(points[0].scenario, points[0].strategy, REPS, seed=experiment.seed)
    row = table[(table["point"] == 1) & (table["outcome"] == "deaths")].iloc[0]
    assert row["difference"] == pytest.approx(float((mine["deaths"] - theirs["deaths"]).mean()), rel=1e-12)
    three = table[(table["point"] == 3) & (table["outcome"] == "deaths")].iloc[0]
    assert three["difference"] == 0 and three["n"] == REPS  # restraint does nothing without a response


def test_a_strategy_and_setting_as_baseline_is_one_point_for_all(
    results: tuple[sim.experiments.design.Experiment, Path],
) -> None:
    _, folder = results
    table = compare(folder, "no_response:veto_restraint=false")
    assert sorted(set(table["point"])) == [0, 1, 3] and set(table["baseline_point"]) == {2}


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("pillar1_only:veto_restraint=false", "no strategy 'pillar1_only'"),
        ("delay=0", "'delay' is no grid field of this design; allowed: strategy.veto_restraint"),
        ("veto_restraint=maybe", "strategy.veto_restraint is never 'maybe' in this design; allowed: False, True"),
        ("veto_restraint", "no strategy 'veto_restraint'"),
        ("no_response:veto_restraint", "'veto_restraint' is not FIELD=VALUE"),
    ],
)
def test_a_bad_baseline_is_one_line_naming_what_is_allowed(
    results: tuple[sim.experiments.design.Experiment, Path], spec: str, says: str
) -> None:
    _, folder = results
    with pytest.raises(sim.InputError) as caught:
        compare(folder, spec)
    message = str(caught.value)
    assert "\n" not in message and "--baseline" in message and says in message


def test_csv_and_markdown_hold_one_row_per_point(results: tuple[sim.experiments.design.Experiment, Path]) -> None:
    _, folder = results
    table = compare(folder, "no_response")
    frame = pd.read_csv(io.StringIO(format_comparison(table, "csv")))
    assert list(frame["point"]) == [0, 1] and list(frame["baseline_point"]) == [2, 3]
    deaths = table[table["outcome"] == "deaths"].set_index("point")
    assert np.allclose(frame.set_index("point")["deaths_difference"], deaths["difference"])
    assert {"onset_ci95_low", "displaced_baseline", "n"} <= set(frame.columns)
    markdown = format_comparison(table, "markdown").splitlines()
    rows = [line for line in markdown if line.startswith("| 0 |") or line.startswith("| 1 |")]
    assert len(rows) == 2 and all(r.count(" | ") == 6 for r in rows)  # '|' in labels escaped
