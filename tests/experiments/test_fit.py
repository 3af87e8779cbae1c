"""``r2p fit``: a small fit is reproducible, resumes after a crash, checks its file, writes its report."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.config import REPO_ROOT, InputError
from sim.experiments import fit as fitting
from sim.experiments.fit import GENERATIONS, fit, load_fit, simulated
from sim.experiments.posterior_folder import POSTERIOR, load_posterior


def test_a_fit_writes_its_generations_and_posterior(small_fit: tuple[Path, Path]) -> None:
    _, out = small_fit
    generations = pd.read_csv(out / GENERATIONS)
    assert list(generations["t"]) == [0, 1] and (generations["epsilon"].diff().dropna() < 0).all()
    assert (generations["acceptance"] > 0).all() and (generations["ess"] <= 10 + 1e-9).all()
    posterior = pd.read_csv(out / POSTERIOR)
    assert len(posterior) == 10 and posterior["weight"].sum() == pytest.approx(1.0)
    assert posterior["scenario.model.onset_hazard"].between(0.004, 0.016).all()
    assert not (out / "chunks").exists()


def test_the_same_seed_gives_the_same_posterior_whatever_the_batch(
    small_fit: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, out = small_fit
    monkeypatch.setattr(fitting, "BATCH", 3)
    again = fit(load_fit(path), tmp_path / "again", progress=False)
    pd.testing.assert_frame_equal(pd.read_csv(again / POSTERIOR), pd.read_csv(out / POSTERIOR))


def test_a_crash_after_a_generation_resumes_to_the_same_posterior(
    small_fit: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, out = small_fit
    real = fitting._write_generations

    def crash(folder: Path, history: object) -> dict:
        raise KeyboardInterrupt  # after pyabc committed generation 0, before the tables were written

    monkeypatch.setattr(fitting, "_write_generations", crash)
    with pytest.raises(KeyboardInterrupt):
        fit(load_fit(path), tmp_path / "crashed", progress=False)
    monkeypatch.setattr(fitting, "_write_generations", real)
    resumed = fit(load_fit(path), tmp_path / "crashed", progress=False)
    pd.testing.assert_frame_equal(pd.read_csv(resumed / POSTERIOR), pd.read_csv(out / POSTERIOR))
    pd.testing.assert_frame_equal(pd.read_csv(resumed / GENERATIONS).drop(columns="evaluations"),
                                  pd.read_csv(out / GENERATIONS).drop(columns="evaluations"))  # fmt: skip


def test_rate_ratios_stay_finite_without_onsets(small_fit: tuple[Path, Path]) -> None:
    spec = load_fit(small_fit[0])
    values = simulated(spec, {"scenario.model.onset_hazard": 0.004, "scenario.model.kill_rate": 0.0001}, 1)
    assert set(values) == {"onset_rate", "rate_ratio[armed_conflict]", "episode_toll[bosnia_1995]"}
    assert all(v == v and abs(v) != float("inf") for v in values.values())


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('key = "scenario.model.kill_rate"', 'key = "strategy.pillar3.delay"', "parameters[1].key"),
        ("low = 0.004", "low = 0.0", "parameters[0].low"),
        ('episode = "bosnia_1995"', 'episode = "atlantis"', "targets[2].episode"),
        ('factor = "armed_conflict"\n', "", "targets[1].factor"),
        ("tolerance = 1.0", "tolerance = 0", "targets[1].tolerance"),
    ],
)  # fmt: skip
def test_a_bad_fit_file_is_one_line(
    small_fit: tuple[Path, Path], tmp_path: Path, old: str, new: str, field: str
) -> None:
    text = small_fit[0].read_text()
    assert old in text
    path = tmp_path / "bad.toml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(InputError) as error:
        load_fit(path)
    assert "\n" not in str(error.value) and "bad.toml" in str(error.value) and field in str(error.value)


def test_the_shipped_fit_file_loads_and_holds_out_the_episodes_it_does_not_fit() -> None:
    spec = load_fit("fit")
    fitted = {t.episode.scenario.name for t in spec.targets if t.episode is not None}
    held_out = {e.scenario.name for e in spec.held_out}
    assert fitted and held_out and not fitted & held_out
    text = (REPO_ROOT / "experiments" / "fit.toml").read_text()
    assert all(name in text for name in held_out), "the file names the episodes it holds out"


def test_r2p_fit_writes_a_report_with_checks(small_fit: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    path, out = small_fit
    assert main(["fit", str(path), "--out", str(out), "--draws", "4"]) == 0  # resumes the finished fit, then checks
    report = (out / "report.md").read_text()
    assert "already complete" in capsys.readouterr().err
    assert "| `onset_hazard` |" in report and "held out" in report and (out / "posterior.png").is_file()
    assert re.search(r"Covered: \d of \d episodes under the posterior, \d of \d under the prior", report)
    assert "| bosnia_1995 |" in report.split("## Scores of the toll forecasts")[1]
    assert re.search(r"Coverage of the 50 % interval: prior \d+%, posterior \d+%", report)
    from sim.cli.fit import publish

    page = publish(out / "report.md", out / "docs")
    assert "](fit/posterior.png)" in page.read_text() and (out / "docs" / "fit" / "posterior.png").is_file()
    checks = pd.read_csv(out / "predictive.csv")
    assert set(checks["distribution"]) == {"prior", "posterior"} and not checks["median"].isna().any()


def test_r2p_run_over_a_posterior_reports_the_parameters_share(
    small_fit: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, out = small_fit
    table = tmp_path / "t.parquet"
    assert main(["run", "kenya_2008", "--strategy", "historical/kenya_2008", "--reps", "300", "--posterior", str(out),
                 "--out", str(table)]) == 0  # fmt: skip
    text = capsys.readouterr().out
    assert re.search(r"deaths\s+sd\s+[\d,.]+\s+parameters\s+\d+%", text)
    assert pd.read_parquet(table)["particle"].nunique() > 1


def test_a_folder_without_a_finished_fit_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        load_posterior(tmp_path)
    assert "\n" not in str(error.value) and "manifest.json" in str(error.value)


def test_a_sweep_over_a_posterior_is_paired_and_compare_gives_the_probability_of_fewer_deaths(
    small_fit: tuple[Path, Path], tmp_path: Path
) -> None:
    from sim.experiments.compare import compare, format_comparison
    from sim.experiments.design import load_experiment
    from sim.experiments.runner import read_outcomes
    from sim.experiments.sweep import sweep

    _, out = small_fit
    path = tmp_path / "tiny.toml"
    path.write_text('[experiment]\nname = "tiny"\nseed = 1\nreps = 80\nweeks = 52\nscenarios = ["fragile_region"]\n'
                    'strategies = ["no_response", "early_prevention"]\n')  # fmt: skip
    folder = sweep(load_experiment(path), tmp_path / "res", chunk=40, progress=None, posterior=out)
    table = read_outcomes(folder)
    by_point = [table[table["point"] == p].sort_values("replication")["particle"].to_numpy() for p in (0, 1)]
    assert (by_point[0] == by_point[1]).all() and len(set(by_point[0])) > 1
    result = compare(folder, "no_response")
    p = result.loc[result["outcome"] == "deaths", "p_lower"].iloc[0]
    assert 0.0 <= p <= 1.0
    assert "P(deaths lower)" in format_comparison(result)
    from sim.experiments.findings import findings

    assert any("drew its parameters from the posterior" in line for line in findings(folder))
    with pytest.raises(InputError, match="another model version"):
        sweep(load_experiment(path), tmp_path / "res", chunk=40, progress=None)  # the same folder without it


def test_probability_lower_counts_the_dice_within_particles() -> None:
    import numpy as np

    from sim.experiments.compare import probability_lower

    rng = np.random.default_rng(3)
    particles = np.repeat(np.arange(50), 40)
    sure = probability_lower(rng.normal(-10.0, 1.0, 2000), particles)
    noise = probability_lower(rng.normal(0.0, 1.0, 2000), particles)
    assert sure > 0.99 and 0.3 < noise < 0.7


def test_calibrate_over_a_posterior_runs_into_its_own_folder(
    small_fit: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    _, out = small_fit
    monkeypatch.chdir(tmp_path)
    assert main(["calibrate", "--reps", "10", "--posterior", str(out)]) == 0
    (runs,) = (tmp_path / "results").iterdir()
    assert "-posterior-" in runs.name and (runs / "calibration.md").is_file()
    assert json.loads((runs / "manifest.json").read_text())["posterior"] == str(out.resolve())
    assert pd.read_parquet(next((runs / "chunks").glob("*.parquet")))["particle"].nunique() > 1
