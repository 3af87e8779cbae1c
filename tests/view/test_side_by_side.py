"""Side-by-side mode: one seed under two strategies with common random numbers."""

from __future__ import annotations

import numpy as np

from sim.view.session import Settings
from sim.view.side_by_side import pair


def test_the_same_strategy_never_diverges():
    done = pair(Settings(strategy="early_prevention", seed="5"), "early_prevention")
    assert done.response_week is None and done.situation_week is None
    assert all(diff == 0 for *_, diff in done.differences())


def test_histories_agree_until_the_responses_differ():
    done = pair(Settings(strategy="no_response", seed="1"), "three_pillar_flexible")
    assert done.a.finished and done.b.finished
    week, situation = done.response_week, done.situation_week
    assert week is not None and situation is not None, "three_pillar_flexible responds and changes the situation"
    assert 1 <= week <= situation <= done.a.weeks
    assert done.a.deaths[:week] == done.b.deaths[:week]
    ta, tb = done.a.tension_history(), done.b.tension_history()
    assert np.array_equal(ta[:situation], tb[:situation]) and not np.array_equal(ta[situation], tb[situation])
    rows = {name: (a, b, diff) for name, a, b, diff in done.differences()}
    assert rows["instruments_used"][0] == 0 and rows["instruments_used"][1] > 0
    assert rows["deaths"][2] == rows["deaths"][1] - rows["deaths"][0]
