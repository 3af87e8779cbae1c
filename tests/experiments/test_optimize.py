"""``r2p optimize``: a planted front through the whole command, resuming byte-identical after a
kill, checkpoints checked, strategy files that load and run, bad files in one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.cli import main
from sim.config import InputError
from sim.experiments import optimize as optimizing
from sim.experiments.optimize import CHECKPOINT, STRATEGIES, load_optimize, optimize, parse_optimize
from sim.strategy import load_strategy

FILE = """
[optimize]
name = "toy"
scenario = "fragile_region"
strategy = "three_pillar_flexible"
seed = 7
reps = 3
weeks = 8
population = 12
generations = 5
objectives = ["deaths", "cost"]
robust = "regret"
futures = 2

[levers]
"strategy.pillar3.trigger" = { low = 0.0, high = 1.0 }
"strategy.pillar3.delay" = { low = 0, high = 4 }

[uncertain]
"scenario.warning.noise" = { low = 0.04, high = 0.16 }
"""


def planted(g: int, candidates: list[tuple]) -> np.ndarray:
    """deaths = x + d, cost = 1 - x + d, shifted per future: the front is delay 0."""
    return np.array([[[x + d + 0.1 * f, 1 - x + d + 0.2 * f] for f in range(2)] for x, d in candidates])


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    path = tmp_path / "toy.toml"
    path.write_text(FILE)
    return path


def files(folder: Path) -> dict[str, bytes]:
    """Every file of a results folder but the manifest (which records times), by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "manifest.json"}  # fmt: skip


def test_the_pareto_set_of_a_planted_front_and_its_strategy_files(toy: Path, tmp_path: Path) -> None:
    spec = load_optimize(toy)
    found = optimize(spec, tmp_path / "out", progress=False, evaluate=planted)
    out = tmp_path / "out"
    for name in ("pareto.csv", "pareto.png", "candidates.csv", "convergence.csv", "convergence.png", "report.md"):
        assert (out / name).is_file(), name
    import pandas as pd

    pareto = pd.read_csv(out / "pareto.csv")
    assert len(pareto) >= 2 and (pareto["strategy.pillar3.delay"] == 0).all()
    assert list(pareto.columns[-2:]) == ["deaths_regret", "cost_regret"]
    assert pd.read_csv(out / "convergence.csv")["generation"].tolist() == [0, 1, 2, 3, 4]
    assert len(found.values) == len(pd.read_csv(out / "candidates.csv"))
    written = sorted((out / STRATEGIES).glob("*.toml"))
    assert [p.stem for p in written] == list(pareto["strategy"])
    for path, candidate in zip(written, pareto["candidate"], strict=True):
        strategy = load_strategy(path)
        assert strategy.settings == spec.candidate(found.values[candidate])[1].settings
        assert strategy.uniting_for_peace and strategy.name == f"toy_{path.stem}"
    assert "not a forecast" in (out / "report.md").read_text()


def test_a_killed_run_resumes_to_the_same_files(toy: Path, tmp_path: Path) -> None:
    spec = load_optimize(toy)
    optimize(spec, tmp_path / "direct", progress=False, evaluate=planted)

    def killed(g: int, candidates: list[tuple]) -> np.ndarray:
        if g == 2:
            raise KeyboardInterrupt
        return planted(g, candidates)

    with pytest.raises(KeyboardInterrupt):
        optimize(spec, tmp_path / "resumed", progress=False, evaluate=killed)
    assert not (tmp_path / "resumed" / "pareto.csv").exists()
    evaluated: list[int] = []

    def counting(g: int, candidates: list[tuple]) -> np.ndarray:
        evaluated.append(g)
        return planted(g, candidates)

    optimize(spec, tmp_path / "resumed", progress=False, evaluate=counting)
    assert evaluated == [2, 3, 4]  # the finished generations come from the checkpoint
    assert files(tmp_path / "resumed") == files(tmp_path / "direct")


def test_a_damaged_or_foreign_checkpoint_is_refused(toy: Path, tmp_path: Path) -> None:
    spec = load_optimize(toy)
    out = tmp_path / "out"
    optimize(spec, out, progress=False, evaluate=planted)
    path = out / CHECKPOINT
    path.write_text(path.read_text().replace("[", "[ ", 1).replace("0.", "0.9", 1))
    with pytest.raises(InputError, match="damaged"):
        optimize(spec, out, progress=False, evaluate=planted)
    toy.write_text(FILE.replace("seed = 7", "seed = 8"))
    with pytest.raises(InputError, match="holds another run"):
        optimize(load_optimize(toy), out, progress=False, evaluate=planted)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (('objectives = ["deaths", "cost"]', 'objectives = ["deaths", "votes"]'), "optimize.objectives"),
        (('objectives = ["deaths", "cost"]', 'objectives = ["deaths"]'), "optimize.objectives"),
        (('"strategy.pillar3.trigger"', '"scenario.model.shock_sd"'), 'levers."scenario.model.shock_sd"'),
        (("high = 4 }", "high = 4.5 }"), 'levers."strategy.pillar3.delay".high'),
        (('"strategy.pillar3.trigger" = { low = 0.0, high = 1.0 }',
          '"strategy.veto_restraint" = { low = 0.0, high = 1.0 }'), 'levers."strategy.veto_restraint"'),
        (("futures = 2", "futures = 1"), "optimize.futures"),
        (('robust = "regret"', 'robust = "regret"\nalgorithm = "x"'), "optimize.algorithm"),
        (("[uncertain]", "[uncertain]\n\"strategy.pillar3.delay\" = { low = 0, high = 2 }"),
         'uncertain."strategy.pillar3.delay"'),
    ],
)  # fmt: skip
def test_bad_files_are_refused_in_one_line(change: tuple[str, str], where: str) -> None:
    import tomllib

    old, new = change
    assert old in FILE
    with pytest.raises(InputError) as caught:
        parse_optimize(tomllib.loads(FILE.replace(old, new)), "f.toml")
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"f.toml: {where}: "), message


def test_the_command_runs_the_model_and_its_strategies_run(toy: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture) -> None:  # fmt: skip
    toy.write_text(FILE.replace("population = 12", "population = 4").replace("generations = 5", "generations = 2"))
    out = tmp_path / "out"
    assert main(["optimize", str(toy), "--out", str(out), "--workers", "1"]) == 0
    assert "toy:" in capsys.readouterr().out
    assert not (out / optimizing.GENERATIONS).exists() and not (out / "chunks").exists()
    first = sorted((out / STRATEGIES).glob("*.toml"))[0]
    assert main(["run", "fragile_region", "--strategy", str(first), "--reps", "2", "--weeks", "4"]) == 0
    before = files(out)
    assert main(["optimize", str(toy), "--out", str(out)]) == 0  # finished: replayed, same files
    assert files(out) == before


def test_an_interrupted_command_says_the_finished_generations_are_kept(
    toy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(optimizing, "optimize", interrupted)
    assert main(["optimize", str(toy), "--out", str(tmp_path / "out")]) == 130
    assert "interrupted; finished generations are kept; run the same command to resume" in capsys.readouterr().err
    assert main(["optimize", str(tmp_path / "missing.toml")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert main(["optimize", "intervention_timing"]) == 2
    assert "is an experiment file, not an optimisation file" in capsys.readouterr().err
