import numpy as np
import pytest
from scipy.stats import norm

from sim.experiments.scores import crps, log_score, toll_scale


def test_crps_and_log_score_match_their_closed_forms_for_a_normal_forecast() -> None:
    sample = norm.ppf((np.arange(20_000) + 0.5) / 20_000)  # a standard normal forecast
    z = 0.7
    exact = z * (2 * norm.cdf(z) - 1) + 2 * norm.pdf(z) - 1 / np.sqrt(np.pi)
    assert crps(sample, z) == pytest.approx(exact, abs=2e-3)
    assert crps(np.full(5, 2.0), 3.5) == pytest.approx(1.5)
    assert log_score(sample, z) == pytest.approx(-norm.logpdf(z), abs=0.02)
    assert log_score(sample, 40.0) == pytest.approx(-np.log(1e-6))
    assert toll_scale([99.0]) == pytest.approx(2.0)
    assert toll_scale([9.0, 999.0]) == pytest.approx(2.0), "a documented range: the geometric middle"
