"""The page's figures: who and where (measures on their state's line, a lasting atrocity mark)."""

from __future__ import annotations

import pytest

from sim.concepts import Phase
from sim.view import charts
from sim.view.session import Settings, start


@pytest.fixture(scope="module")
def finished():
    """fragile_region, seed 1, three_pillar_flexible to the horizon: measures for four states; one
    state had an atrocity from week 5 and has left it by the end."""
    run = start(Settings(scenario="fragile_region", seed="1"))
    while not run.finished:
        run.step()
    return run


def test_a_measure_is_marked_on_its_own_states_line(finished):
    series = charts.tension_chart(finished)["series"]
    history = finished.tension_history()
    marked = {i for i, s in enumerate(series) if s["markPoint"]["data"]}
    assert marked == {e.state for e in finished.markers()} and len(marked) < len(series)
    for i in marked:
        for point in series[i]["markPoint"]["data"]:
            week, tension = point["coord"]
            assert tension == round(float(history[week, i]), 4), "the marker sits on the state's own line"
            assert point["name"].startswith(f"{finished.names[i]}, week {week}: ")
    assert all("markLine" not in s for s in series), "no region-wide lines"


def test_every_state_line_is_named_and_told_apart(finished):
    series = charts.tension_chart(finished)["series"]
    assert [s["endLabel"]["show"] for s in series] == [True] * len(series)
    styles = {(s["color"], s["lineStyle"]["type"]) for s in series}
    assert len(styles) == len(series) == 12


def test_deaths_and_displaced_have_their_own_axes(finished):
    option = charts.harm_chart(finished)
    assert [y["name"] for y in option["yAxis"]] == ["deaths", "displaced"]
    assert [(s["xAxisIndex"], s["yAxisIndex"]) for s in option["series"]] == [(0, 0), (1, 1)]
    assert option["series"][0]["data"][-1][1] == round(finished.deaths[-1])


def test_a_state_that_had_an_atrocity_keeps_a_mark(finished):
    scarred = [i for i, w in enumerate(finished.atrocity_week) if w is not None]
    assert scarred == [4] and finished.atrocity_week[4] == 5
    assert finished.model.world["phase"][4] != Phase.ATROCITY
    option = charts.region_map(finished, charts.layout(finished))
    nodes = option["series"][-1]["data"]
    assert nodes[4]["itemStyle"]["borderColor"] == charts.PHASE_COLOURS[Phase.ATROCITY]
    assert "atrocity from week 5" in nodes[4]["label"]["formatter"]
    assert all("atrocity from" not in n["label"]["formatter"] for i, n in enumerate(nodes) if i != 4)
    legend = [c["style"]["text"] for g in option["graphic"] if g["type"] == "group" for c in g["children"][1:]]
    assert legend == [p.name.lower() for p in Phase]


def test_phase_colours_are_told_apart_by_lightness():
    """Atrocity is the darkest phase colour by far, so it reads in any colour vision."""

    def lightness(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    others = [lightness(c) for p, c in charts.PHASE_COLOURS.items() if p != Phase.ATROCITY]
    assert lightness(charts.PHASE_COLOURS[Phase.ATROCITY]) < min(others) - 0.3


def test_a_veto_is_marked_on_its_states_line():
    from sim.view.lessons import BY_KEY

    lesson = BY_KEY["veto"]
    run = start(lesson.settings(lesson.seed)[0])
    while not run.finished:
        run.step()
    vetoes = [e for e in run.events if e.kind == "veto"]
    assert vetoes, "the veto lesson's run has a veto"
    series = charts.tension_chart(run)["series"]
    for event in vetoes:
        marks = [p for p in series[event.state]["markPoint"]["data"] if p["coord"][0] == event.week]
        diamonds = [p for p in marks if p.get("symbol") == "diamond"]
        assert len(diamonds) == 1 and diamonds[0]["label"]["formatter"] == charts.VETO_MARK
        assert "veto" in diamonds[0]["name"]


def test_every_chart_saves_as_png_in_the_browser(finished):
    for option in charts.frame(finished, charts.layout(finished)):
        assert option["toolbox"]["feature"]["saveAsImage"]
