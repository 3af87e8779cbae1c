"""``r2p validate`` and ``r2p calibrate``: tables with CIs and n, reports, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.cli import main
from sim.config import REPO_ROOT, resolve
from sim.experiments.facts import CLAIMS, FAILS, HOLDS, PARTLY
from sim.experiments.measures import first_exit, first_onset, median_ci, onset_rate
from sim.experiments.tail import fit_tail
from sim.experiments.validation import load_validation

REPS = 100
FACTS = sorted(f"S{n}" for n in range(1, 14))
HISTORICAL = sorted(p.stem for p in (REPO_ROOT / "strategies" / "historical").glob("*.toml"))


@pytest.fixture(scope="module")
def validated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("validate")
    import contextlib
    import io

    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        assert main(["validate", "--reps", str(REPS), "--out", str(out), "--results", str(out / "runs")]) == 0
    return out, text.getvalue()


def _number(text: str) -> float:
    """A number as the report writes it ("12,345", "0.0123", "-" for a missing one)."""
    return float("nan") if text == "-" else float(text.replace(",", ""))


def _cells(value: str, ci: str) -> tuple[float, float, float]:
    """(value, low, high) from a report row's value and CI cells."""
    low, high = ci.strip("[]").split(", ") if ci != "-" else ("-", "-")
    return _number(value), _number(low), _number(high)


def _detail_tables(report: str) -> dict[str, dict[str, tuple[tuple[float, float, float], str]]]:
    """Per fact, its detail table in the report: quantity -> ((value, low, high), reference)."""
    tables = {}
    for section in report.split("\n## ")[1:]:
        fact = section.split(":")[0]
        rows, inside = {}, False
        for line in section.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if inside and line.startswith("| "):
                rows[cells[0]] = (_cells(cells[1], cells[2]), cells[5])
            elif not line.startswith("|---"):
                inside = line.startswith("| quantity | value |")
        tables[fact] = rows
    return tables


def _expected_verdicts(out: Path) -> dict[str, str]:
    """Each fact's verdict worked out here from the numbers in the report and the criterion it states.

    ``holds`` if every check of the criterion passes, ``does not hold`` if none does, else ``partly``.
    """
    spec = load_validation("validation")
    head = pd.read_csv(out / "validation" / "summary.csv").set_index("fact")
    rows = _detail_tables((out / "validation.md").read_text())

    def row(fact: str, start: str) -> tuple[float, float, float]:
        (found,) = [v for q, (v, _) in rows[fact].items() if q.startswith(start)]
        return found

    def overlaps(ci: tuple[float, float, float], band: tuple[float, float]) -> bool:
        return ci[1] <= band[1] and ci[2] >= band[0]

    low = head["ci95_low"]
    (r_exp, _, _), p_ref = rows["S6"]["normalised loglikelihood ratio R, power law vs exponential"]
    s7 = spec.facts["S7"]
    no_patron = row("S3", "deaths saved by veto restraint, no patron")
    last, dear = spec.facts["S11"]["triggers"][-1], max(spec.facts["S11"]["false_alarm_prices"])
    (s11_high,) = [v for q, (v, _) in rows["S11"].items()
                   if q.startswith(f"loss at trigger {last:g} minus") and q.endswith(f"priced {dear:g}")]  # fmt: skip
    checks = {
        "S1": [low["S1"] > 0, row("S1", "diminishing returns")[1] > 0],
        "S2": [row("S2", "relative cut in onset, divided")[1] > 0, low["S2"] > 0],
        "S3": [low["S3"] > 0, no_patron[1] <= 0 <= no_patron[2]],
        "S4": [row("S4", f"later first response, {key}")[1] > 0 and row("S4", f"more deaths, {key}")[1] > 0
               for key in ("noise", "selectivity")],
        "S5": [low["S5"] > 1],
        "S6": [r_exp > 0 and float(p_ref.split(";")[0].removeprefix("p = ")) < 0.05],
        "S7": [overlaps(tuple(head.loc["S7", ["effect", "ci95_low", "ci95_high"]]), s7["rate_band"])]
        + [overlaps(row("S7", f"rate ratio, {f}"), s7["ratio_band"])
           for f in ("armed_conflict", "prior_atrocity", "discrimination")],
        "S8": [row("S8", "relative cut in deaths by chapter7_force, non-state")[1] > 0, low["S8"] > 0],
        "S9": [round(low["S9"] * 52, 6) >= spec.facts["S9"]["min_weeks"]],
        "S10": [low["S10"] > 0, row("S10", "extra deaths from coercion, determined minus")[1] > 0],
        "S11": [low["S11"] > 0, s11_high[1] > 0],
        "S12": [low["S12"] > 0, row("S12", "vetoes per run, restraint by russia only")[1] > 0],
        "S13": [low["S13"] > 0, row("S13", "extra deaths from acting everywhere, pools minus")[1] > 0],
    }  # fmt: skip
    return {f: HOLDS if all(c) else FAILS if not any(c) else PARTLY for f, c in checks.items()}


def test_each_verdict_follows_from_the_numbers_and_the_criterion(validated: tuple[Path, str]) -> None:
    out, _ = validated
    expected = _expected_verdicts(out)
    assert sorted(expected) == FACTS
    assert pd.read_csv(out / "validation" / "summary.csv").set_index("fact")["verdict"].to_dict() == expected
    report = (out / "validation.md").read_text()
    for fact, verdict in expected.items():
        row = next(line for line in report.splitlines() if line.startswith(f"| {fact} |"))
        assert row.endswith(f"| **{verdict}** |"), row
        assert f"*Result*: **{verdict}**;" in report.split(f"\n## {fact}: ")[1].split("\n## ")[0]


def test_table_has_one_row_per_fact_with_ci_and_n(validated: tuple[Path, str]) -> None:
    _, printed = validated
    rows = {line.split()[0]: line for line in printed.splitlines() if line[:2] in {f[:2] for f in FACTS}}
    assert sorted(rows) == FACTS
    expected = _expected_verdicts(validated[0])
    for fact, line in rows.items():
        assert line[6:21].strip() == expected[fact] and "[" in line, line


def test_report_lists_every_fact_with_its_ci_n_and_plots(validated: tuple[Path, str]) -> None:
    out, _ = validated
    report = (out / "validation.md").read_text()
    assert f"{REPS:,} replications per simulated arm" in report and "r2p validate" in report
    for fact, claim in CLAIMS.items():
        row = next(line for line in report.splitlines() if line.startswith(f"| {fact} |"))
        assert claim in row and "[" in row and row.rstrip().endswith("** |")
        assert (out / "validation" / f"{fact}.png").is_file()
    assert "EWP onset rate, present vs absent" in report and "| armed_conflict | 3.2% vs 1.0% | 3.2x |" in report
    assert not list(out.rglob(".*.tmp"))
    table = pd.read_csv(out / "validation" / "summary.csv")
    assert sorted(table["fact"]) == FACTS and (table["n"] > 0).all()
    assert (table["ci95_low"] <= table["effect"]).all() and (table["effect"] <= table["ci95_high"]).all()


def test_validation_file_loads_with_every_fact() -> None:
    spec = load_validation("validation")
    assert sorted(spec.facts) == FACTS and spec.reps >= 1000
    assert spec.typical.risk_factors == () and spec.typical.leadership == "divided"


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("rate_band = [0.012, 0.014]", "rate_band = [0.014, 0.012]", "S7.rate_band"),
        ('strategy = "pillar2_only"', 'strategy = "pillar9"', "S2.strategy"),
        ('instrument = "chapter7_force"', 'instrument = "airlift"', "S8.instrument"),
        ('start = { phase = "atrocity", tension = 0.75 }\nweeks = 1040',
         'start = { phase = "atrocity", tension = 7 }\nweeks = 1040', "S9.start.tension"),
        ("[S3]", "[S3]\ncolour = 'red'", "S3.colour"),
    ],
)  # fmt: skip
def test_bad_validation_file_gives_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, field: str
) -> None:
    text = (REPO_ROOT / "experiments" / "validation.toml").read_text()
    assert old in text
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(old, new))
    out = tmp_path / "out"
    assert main(["validate", str(bad), "--out", str(out), "--reps", "100"]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "bad.toml" in lines[0] and field in lines[0], captured.err
    assert not out.exists()


def test_write_docs_is_refused_with_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--only", "S10", "--write-docs", "--results", str(tmp_path / "runs")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "--write-docs" in lines[0] and "--only" in lines[0]
    assert not (tmp_path / "runs").exists()


def test_bad_reps_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["validate", "--reps", "5"])
    assert stop.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.mark.parametrize("name", HISTORICAL)
def test_historical_strategies_load_by_folder_name(name: str) -> None:
    strategy = sim.load_strategy(f"historical/{name}")
    assert strategy.name == f"historical/{name}" and strategy.description and strategy.enabled
    assert resolve(f"historical/{name}", "strategies").is_relative_to(REPO_ROOT / "strategies" / "historical")
    assert sim.load_strategy(f"historical/{name}+veto_restraint").veto_restraint
    assert (REPO_ROOT / "scenarios" / f"{name}.toml").is_file(), "one historical strategy per episode"
    assert "Sources:" in (REPO_ROOT / "strategies" / "historical" / f"{name}.toml").read_text()


def test_run_command_takes_a_historical_strategy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "rwanda_1994", "--strategy", "historical/rwanda_1994", "--reps", "20"]) == 0
    assert "historical/rwanda_1994" in capsys.readouterr().out


def test_calibrate_writes_a_report_for_every_episode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["calibrate", "--reps", "20", "--results", "runs"]) == 0
    report = (tmp_path / "runs" / "calibration.md").read_text()
    assert not (tmp_path / "docs").exists(), "the tracked docs/ is written only on request"
    assert main(["calibrate", "--reps", "20", "--results", "runs", "--write-docs"]) == 0
    assert "r2p calibrate --reps 20 --write-docs" in (tmp_path / "docs" / "calibration.md").read_text()
    for name in HISTORICAL:
        assert f"| {name} |" in report and f"historical/{name}" in report
    assert "early_prevention" in report and "historical + veto restraint" in report
    assert "Calibration procedure" in report and "20 replications per arm" in report
    assert "| CRPS (decades) | log score |" in report and "![episodes](calibration/episodes.png)" in report
    assert (tmp_path / "runs" / "calibration" / "episodes.png").stat().st_size > 0
    assert (tmp_path / "docs" / "calibration" / "episodes.png").is_file()


def test_calibration_coverage_counts_the_records_inside_each_interval() -> None:
    from sim.experiments.calibration import coverage, load_calibration

    spec = load_calibration("calibration")
    rows = []
    for episode in spec.episodes:
        low, high = episode.deaths
        rows.append(pd.DataFrame([{"q05": low / 10, "q25": low / 2, "q75": low * 0.9, "q95": high * 2}]))
    rows[0] = pd.DataFrame([{"q05": 1.0, "q25": 1.0, "q75": 1.0, "q95": 2.0}])  # entirely below the record
    n = len(spec.episodes)
    assert coverage(spec, rows) == (f"The record overlaps the simulated 50 % interval in 0 of {n} episodes and the "
                                    f"90 % interval in {n - 1} of {n}.")  # fmt: skip


def test_power_law_fit_recovers_a_pareto_tail() -> None:
    rng = np.random.default_rng(7)
    sample = 50.0 * (1.0 - rng.random(4000)) ** (-1.0 / 1.5)  # pdf exponent 2.5 above 50
    fit = fit_tail(sample)
    assert abs(fit.alpha - 2.5) < 0.15 and fit.alpha_low < fit.alpha < fit.alpha_high
    assert 40 <= fit.xmin <= 200 and 0 < fit.n_tail <= fit.n == 4000
    assert fit.heavy and fit.r_exponential > 0


def test_measures_on_a_hand_made_history() -> None:
    phase = np.array([[2, 2, 3, 3, 4], [1, 1, 1, 1, 1], [3, 3, 4, 3, 3]])
    assert first_onset(phase).tolist() == [2, -1, 3]
    assert first_exit(phase).tolist() == [1, 1, 2]
    rate, low, high, count, years = onset_rate(np.array([True, False]), np.array([26, 52]))
    assert count == 1 and years == 1.5 and rate == pytest.approx(1 / 1.5) and low < rate < high
    median, low, high, n = median_ci(np.arange(101.0))
    assert median == 50 and low < 50 < high and n == 101


def test_calibration_runs_resume_from_their_results_folder(tmp_path: Path) -> None:
    from sim.experiments.calibration import calibrate, load_calibration

    spec = load_calibration("calibration")
    first = calibrate(spec, 12, progress=False, folder=tmp_path / "runs", chunk=5)
    manifest = json.loads((tmp_path / "runs" / "manifest.json").read_text())
    assert manifest["digest"] == spec.digest and manifest["reps"] == 12 and manifest["finished"]
    files = sorted((tmp_path / "runs" / "chunks").glob("*.parquet"))
    assert len(files) == 4 * len(spec.episodes) * 3
    files[7].unlink()
    again = calibrate(spec, 12, progress=False, folder=tmp_path / "runs", chunk=5)
    for a, b in zip(first, again, strict=True):
        pd.testing.assert_frame_equal(a, b)
    with pytest.raises(sim.InputError, match="holds another run"):
        calibrate(spec, 13, progress=False, folder=tmp_path / "runs", chunk=5)


def test_validation_writes_a_manifest_in_its_results_folder(validated: tuple[Path, str]) -> None:
    out, _ = validated
    manifest = json.loads((out / "runs" / "manifest.json").read_text())
    spec = load_validation("validation")
    assert manifest["digest"] == spec.digest and manifest["reps"] == REPS and manifest["finished"]
    assert manifest["points"] == len(pd.read_csv(out / "runs" / "design.csv"))


def test_validate_over_a_posterior_runs_every_fact_over_its_particles(
    small_fit: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import hashlib

    from sim.experiments.posterior_folder import load_posterior
    from sim.experiments.runner import read_outcomes, read_point
    from sim.experiments.validation import ARMS, validate

    _, out = small_fit
    only = ("S5", "S13")  # S5's arms measure trajectories (histories), S13's per-state outcomes
    over = tmp_path / "over"
    assert main(["validate", "--only", ",".join(only), "--reps", str(REPS), "--posterior", str(out),
                 "--results", str(over), "--out", str(tmp_path / "report")]) == 0  # fmt: skip
    assert "over the posterior" in capsys.readouterr().out
    manifest = json.loads((over / "manifest.json").read_text())
    assert manifest["posterior"] == str(out.resolve())
    assert manifest["posterior_sha256"] == hashlib.sha256((out / "posterior.csv").read_bytes()).hexdigest()
    report = (tmp_path / "report" / "validation.md").read_text()
    assert f"--posterior {out}" in report and "This run is over a posterior" in report
    assert "the 95 % CIs cover the parameters the fit constrains as well as the dice" in report

    spec, posterior = load_validation("validation"), load_posterior(out)
    design = pd.read_csv(over / "design.csv")
    point = int(design.loc[design["validation.fact"] == "S13", "point"].iloc[0])
    rows = read_point(over, point)
    assert (rows["particle"].to_numpy() == posterior.draws(spec.seed, 0, REPS)).all() and rows["particle"].nunique() > 1
    arm = next(iter(ARMS["S13"](spec.facts["S13"]).values()))
    r = rows.iloc[7]
    alone = sim.simulate(posterior.scenario(arm.scenario, arm.strategy, int(r["particle"])), arm.strategy, 1,
                         spec.seed, first=7, by_state=True)  # fmt: skip
    assert alone["deaths"].iloc[0] == r["deaths"], "replication 7 ran with the parameters of its particle"

    again = validate(spec, REPS, progress=False, folder=tmp_path / "again", only=only, posterior=out)
    plain = validate(spec, REPS, progress=False, folder=tmp_path / "plain", only=only)
    pd.testing.assert_frame_equal(read_outcomes(tmp_path / "again"), read_outcomes(over))
    for a, b in zip(again, plain, strict=True):
        assert (a.effect, a.low, a.high) != (b.effect, b.low, b.high), a.fact


def test_validate_over_a_folder_without_a_fit_is_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = tmp_path / "runs"
    assert main(["validate", "--only", "S13", "--posterior", str(tmp_path), "--results", str(runs)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "manifest.json" in lines[0] and not runs.exists()


def test_a_parameter_a_fact_varies_keeps_each_arms_value_over_a_posterior() -> None:
    from sim.experiments.validation import ARMS, held
    from sim.posterior import Posterior

    keys = ("scenario.model.onset_hazard", "scenario.model.warning_noise", "scenario.model.selectivity")
    posterior = Posterior(keys, np.array([[0.01, 0.2, 0.1], [0.02, 0.3, 0.2]]), np.array([0.5, 0.5]))
    spec = load_validation("validation")
    s4 = ARMS["S4"](spec.facts["S4"]).values()
    assert held(s4, posterior) == ["scenario.model.warning_noise", "scenario.model.selectivity"]
    assert held(ARMS["S1"](spec.facts["S1"]).values(), posterior) == [] and held(s4, None) == []
    noisy = next(arm for arm in s4 if arm.scenario.params.get("warning_noise") == spec.facts["S4"]["noise"][1])
    drawn = posterior.without(set(held(s4, posterior))).scenario(noisy.scenario, noisy.strategy, 1)
    assert drawn.params["warning_noise"] == spec.facts["S4"]["noise"][1] and drawn.params["onset_hazard"] == 0.02
