"""The EMA Workbench adapter: parameter types and names from the registry, experiments that give the
runner's numbers bit for bit, one-line errors, a picklable model function, PRIM and optimize."""

from __future__ import annotations

import importlib.util
import pickle
import sys
from pathlib import Path

import ema_workbench
import numpy as np
import pytest

import sim
from sim.ema import Input, ema_model, statistic
from sim.experiments import ema_versions
from sim.experiments.design import DesignPoint, apply_setting
from sim.experiments.runner import evaluate, read_point
from sim.outcome_columns import OUTCOMES

REPS, SEED, WEEKS = 12, 5, 30
UNCERTAINTIES = {
    "scenario.warning.noise": {"low": 0.04, "high": 0.2},
    "scenario.states.Eastmarch.leadership": {"values": ("divided", "determined")},  # a tuple as a list
}
LEVERS = {"strategy.pillar3.delay": {"low": 0, "high": 12}, "strategy.veto_restraint": {"values": [False, True]}}


def _model(**changes: object) -> ema_workbench.Model:
    options = {"uncertainties": UNCERTAINTIES, "levers": LEVERS, "reps": REPS, "seed": SEED, "weeks": WEEKS,
               "statistics": ("mean", "p90"), **changes}  # fmt: skip
    return ema_model("fragile_region", "early_prevention", **options)


@pytest.fixture(scope="module")
def model() -> ema_workbench.Model:
    return _model()


@pytest.fixture(scope="module")
def results(model: ema_workbench.Model) -> tuple:
    return ema_versions.perform_experiments(model, 6, 2, evaluator=ema_workbench.SequentialEvaluator(model), seed=3)


def test_parameters_take_their_type_and_name_from_the_registry(model: ema_workbench.Model) -> None:
    kinds = {p.name: type(p) for p in [*model.uncertainties, *model.levers]}
    assert kinds == {
        "scenario_warning_noise": ema_workbench.RealParameter,
        "scenario_states_Eastmarch_leadership": ema_workbench.CategoricalParameter,
        "strategy_pillar3_delay": ema_workbench.IntegerParameter,
        "strategy_veto_restraint": ema_workbench.BooleanParameter,
    }
    delay = next(p for p in model.levers if p.name == "strategy_pillar3_delay")
    assert (delay.lower_bound, delay.upper_bound) == (0, 12)
    assert [o.name for o in model.outcomes] == ["deaths_mean", "deaths_p90", "cost_mean", "cost_p90"]


def test_integer_choices_index_the_values() -> None:
    model = _model(integer_choices=True)
    parameters = {p.name: p for p in [*model.uncertainties, *model.levers]}
    assert type(parameters["strategy_veto_restraint"]) is ema_workbench.IntegerParameter
    assert parameters["scenario_states_Eastmarch_leadership"].upper_bound == 1
    assert parameters["strategy_veto_restraint"].upper_bound == 1
    settings = model.function.settings(
        {"scenario_states_Eastmarch_leadership": np.int64(1), "strategy_veto_restraint": 0}
    )
    assert settings == (("scenario.states.Eastmarch.leadership", "determined"), ("strategy.veto_restraint", False))


def test_experiments_give_the_runners_numbers_bit_for_bit(model: ema_workbench.Model, results: tuple,
                                                         tmp_path: Path) -> None:  # fmt: skip
    experiments, outcomes = results
    assert len(experiments) == 12 and experiments["scenario_warning_noise"].nunique() == 6
    scenario, strategy = sim.load_scenario("fragile_region"), sim.load_strategy("early_prevention")
    points = []
    for row in experiments.itertuples():
        settings = tuple((i.key, i.value(getattr(row, i.name))) for i in model.function.inputs)
        case = (scenario, strategy)
        for key, value in settings:
            case = apply_setting(*case, key, value)
        points.append(DesignPoint(len(points), *case, settings))
    folder = evaluate(points, REPS, SEED, tmp_path / "run", identity={"test": "ema"}, weeks=WEEKS, progress=False)
    for p in points:
        table = read_point(folder, p.index)
        assert outcomes["deaths_mean"][p.index] == np.mean(table["deaths"].to_numpy())
        assert outcomes["cost_p90"][p.index] == np.quantile(table["cost"].to_numpy(), 0.9)
    assert len(set(outcomes["deaths_mean"])) > 1


def test_same_seed_same_experiments(model: ema_workbench.Model, results: tuple) -> None:
    again = ema_versions.perform_experiments(model, 6, 2, evaluator=ema_workbench.SequentialEvaluator(model), seed=3)
    inputs = [frame.drop(columns=list(ema_versions.DESIGN_COLUMNS)) for frame in (results[0], again[0])]
    assert inputs[0].equals(inputs[1])  # the scenario and policy columns number EMA's points, counting on
    assert all(np.array_equal(results[1][k], again[1][k]) for k in results[1])


def test_the_model_function_pickles(model: ema_workbench.Model) -> None:
    function = model.function
    copy = pickle.loads(pickle.dumps(function))
    assert copy == function
    values = {"scenario_warning_noise": 0.1, "strategy_pillar3_delay": 3}
    assert copy(**values) == function(**values)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"uncertainties": {"scenario.warning.nosie": {"low": 0, "high": 1}}}, "is not a [warning] field"),
        ({"levers": {"strategy.pillar3.delay": {"low": 0, "high": 900}}}, "is out of range"),
        ({"levers": {"strategy.pillar3.delay": {"low": 0.5, "high": 4}}}, "is not a whole number"),
        ({"levers": {"strategy.veto_restraint": {"low": 0, "high": 1}}}, "takes no numbers"),
        ({"levers": {"strategy.veto_restraint": {"values": [True, True]}}}, "has one value"),
        ({"levers": {"scenario.warning.noise": {"low": 0.1, "high": 0.2}}}, "has the EMA name"),
        ({"uncertainties": {"scenario.warning.noise": [0.1, 0.2]}}, "expected a table"),
        ({"outcomes": ("deaths", "casualties")}, "is not an outcome"),
        ({"statistics": ("mean", "p100")}, "is not a statistic"),
        ({"reps": 0}, "reps"),
        ({"name": "r2p-model"}, "letters and digits"),
    ],
)
def test_bad_arguments_give_one_line(changes: dict, message: str) -> None:
    with pytest.raises(sim.InputError, match="ema_model") as error:
        _model(**changes)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_an_unknown_input_name_gives_one_line(model: ema_workbench.Model) -> None:
    with pytest.raises(sim.InputError, match="'strategy_pillar2_delay' is not an input of the model"):
        model.function(strategy_pillar2_delay=3)


def test_statistics_leave_out_what_never_happened() -> None:
    weeks = np.array([4.0, np.nan, 8.0, np.nan])
    assert statistic("mean", weeks) == 6.0 and statistic("p50", weeks) == 6.0 and statistic("max", weeks) == 8.0
    assert np.isnan(statistic("mean", np.full(3, np.nan))) and np.isnan(statistic("std", np.ones(1)))
    assert set(OUTCOMES) >= {"deaths", "cost", "first_response_week"}


def test_prim_runs_on_the_experiments(results: tuple) -> None:
    experiments, outcomes = results
    x = ema_versions.prim_inputs(experiments)
    assert {str(t) for t in x.dtypes} == {"float64", "category"} and "policy" not in x
    y = outcomes["deaths_mean"] > np.median(outcomes["deaths_mean"])
    box = ema_versions.prim(x, y, threshold=0.5, peel_alpha=0.1).find_box()
    assert len(box.peeling_trajectory) > 1
    assert box.peeling_trajectory["density"].iloc[-1] >= box.peeling_trajectory["density"].iloc[0]


def test_optimize_finds_a_pareto_set_from_its_seed() -> None:
    model = _model(statistics=("mean",), integer_choices=True, reps=4)
    runs = [ema_versions.optimize(model, 16, [1000.0, 10.0], evaluator=ema_workbench.SequentialEvaluator(model),
                                  seed=11, population_size=4) for _ in range(2)]  # fmt: skip
    front = runs[0]
    assert list(front.columns) == ["strategy_pillar3_delay", "strategy_veto_restraint", "deaths_mean", "cost_mean"]
    assert len(front) >= 1 and front["strategy_pillar3_delay"].between(0, 12).all()
    assert front.equals(runs[1])
    assert isinstance(model.function.inputs[0], Input)


def test_the_benchmark_reports_every_row(tmp_path: Path) -> None:
    """``benchmarks/ema.py`` at a tiny size (a smoke test: no timing is checked)."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "ema.py"
    spec = importlib.util.spec_from_file_location("r2p_benchmarks_ema", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up while the class is built
    spec.loader.exec_module(bench)
    rows = bench.main(["--experiments", "3", "--reps", "4", "--repeats", "1", "--processes", "0",
                       "--out", str(tmp_path / "ema.md")])  # fmt: skip
    assert rows[3].label == "**EMA overhead per experiment (EMA - floor)**"
    assert len(rows) == 5 and all(r.value.endswith(" ms") for r in rows)
    assert (tmp_path / "ema.md").read_text().startswith("| EMA Workbench route | result |")


def test_given_points_run_as_given(model: ema_workbench.Model) -> None:
    future = {"scenario_warning_noise": 0.1, "scenario_states_Eastmarch_leadership": "determined"}
    policies = [{"strategy_pillar3_delay": d, "strategy_veto_restraint": v} for d, v in ((0, True), (9, False))]
    experiments, outcomes = ema_versions.perform_experiments(
        model,
        [ema_versions.point("future", future)],
        [ema_versions.point(f"policy{k}", p, "policy") for k, p in enumerate(policies)],
        evaluator=ema_workbench.SequentialEvaluator(model),
    )
    assert experiments["strategy_pillar3_delay"].tolist() == [0, 9]
    for k, policy in enumerate(policies):
        assert outcomes["deaths_p90"][k] == model.function(**future, **policy)["deaths_p90"]
