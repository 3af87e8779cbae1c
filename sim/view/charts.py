"""Figures of the page: the region map and the charts over weeks as ECharts options (drawn in the
browser, so a step costs the server only the data), and the side-by-side chart (matplotlib).

Colours and labels are chosen to be read from the back of a classroom and by colour-blind pupils:
every node carries its state's name and phase in words beside the phase legend, every tension line
its state's name, and a state that has had an atrocity keeps a dark ring and says since when.
"""

from __future__ import annotations

import io

import networkx as nx
import numpy as np
from matplotlib.figure import Figure

from sim.concepts import Phase
from sim.view.narrative import Event
from sim.view.session import Run

PHASE_COLOURS = {
    Phase.STABLE: "#56b4e9",
    Phase.TENSION: "#f0e442",
    Phase.CRISIS: "#e69f00",
    Phase.ATROCITY: "#5c0a12",
    Phase.RECOVERY: "#cc79a7",
}
"""Node colour of each phase: Okabe and Ito's colour-blind-safe sky blue, yellow and orange, a dark
wine for atrocity (told from the rest by lightness in any colour vision) and reddish purple for
recovery (an aftermath, not calm)."""

STATE_COLOURS = ("#332288", "#88ccee", "#44aa99", "#117733", "#999933", "#ddcc77", "#cc6677", "#882255", "#aa4499")
"""Line colours of the states (Paul Tol's colour-blind-safe "muted" scheme); beyond nine states the
colours repeat with dashed lines, and every line carries its state's name at its end."""

SAVE_AS_PNG = {"right": 6, "bottom": 2, "feature": {"saveAsImage": {"title": "Save as PNG", "pixelRatio": 2}}}
"""ECharts' own button that saves a chart as a PNG file (drawn in the browser; nothing reaches the server)."""

A_COLOUR, B_COLOUR = "#0072b2", "#d55e00"
"""Strategies A and B wherever they are drawn together (Okabe-Ito blue and vermilion)."""

BODY_COLOURS = ("#7e57c2", "#00897b", "#6d4c41", "#546e7a")
"""Outline colours of the regional bodies, in scenario order."""


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes."""
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def layout(run: Run) -> dict[int, np.ndarray]:
    """Fixed node positions of the border network (the same for every week and seed)."""
    graph = run.model.grid.G
    if not graph.number_of_edges() or graph.number_of_nodes() < 3:
        return nx.circular_layout(graph)
    raw = nx.kamada_kawai_layout(graph)
    xy = np.array([raw[i] for i in range(graph.number_of_nodes())])
    xy -= xy.mean(axis=0)
    _, _, axes = np.linalg.svd(xy, full_matrices=False)
    xy = xy @ axes.T  # longest extent horizontal
    xy /= np.maximum(np.abs(xy).max(axis=0), 1e-9)  # fill the frame in both directions
    return {i: xy[i] for i in range(len(xy))}


def _turn(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """Cross product of ``a - o`` and ``b - o``: positive for a counter-clockwise turn."""
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _hull(points: np.ndarray) -> np.ndarray:
    """Convex hull of 2-D points (Andrew's monotone chain), counter-clockwise."""
    pts = sorted(map(tuple, points))
    if len(pts) < 3:
        return np.array(pts)

    def half(seq: list[tuple[float, float]]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for p in seq:
            while len(out) >= 2 and _turn(out[-2], out[-1], p) <= 0:
                out.pop()
            out.append(p)
        return out

    lower, upper = half(pts), half(pts[::-1])
    return np.array(lower[:-1] + upper[:-1])


def _padded(points: np.ndarray, pad: float) -> np.ndarray:
    """Points pushed out from their centre by ``pad`` (so outlines clear the nodes)."""
    centre = points.mean(axis=0)
    offset = points - centre
    norm = np.maximum(np.linalg.norm(offset, axis=1, keepdims=True), 1e-9)
    return points + offset / norm * pad


VETO_MARK = "X"
"""Label of the mark on a state's tension line in a week a draft on it was vetoed."""


def _state_markers(run: Run, state: int, events: list[Event], history: np.ndarray) -> dict:
    """ECharts ``markPoint``s on ``state``'s tension line from its marked ``events``
    (:meth:`Run.markers`): a triangle in each week a measure took effect for it and a labelled
    diamond in each week a draft on it was vetoed, the measures or the vetoing members named when
    hovered (no labels to pile up)."""
    weeks: dict[tuple[int, bool], list[str]] = {}
    for event in events:
        text = event.instrument.replace("_", " ") if event.kind != "veto" else event.text.split(": ", 1)[1]
        weeks.setdefault((event.week, event.kind == "veto"), []).append(text)
    return {
        "symbol": "triangle",
        "symbolSize": 14,
        "label": {"show": False},
        "tooltip": {"formatter": "{b}"},
        "itemStyle": {"borderColor": "#000", "borderWidth": 1},
        "data": [
            {
                "coord": [week, round(float(history[week, state]), 4)],
                "name": f"{run.names[state]}, week {week}: " + ", ".join(texts),
                **(
                    {
                        "symbol": "diamond",
                        "symbolSize": 22,
                        "itemStyle": {"color": "#000"},
                        "label": {
                            "show": True,
                            "formatter": VETO_MARK,
                            "color": "#fff",
                            "fontSize": 12,
                            "fontWeight": "bold",
                        },
                    }
                    if veto
                    else {}
                ),
            }
            for (week, veto), texts in weeks.items()
        ],
    }


def _axes(run: Run, name: str, top: float | None) -> dict:
    """Week axis and value axis shared by the charts over weeks."""
    return {
        "xAxis": {
            "type": "value",
            "min": 0,
            "max": run.weeks,
            "name": "week",
            "nameLocation": "middle",
            "nameGap": 26,
            "axisLabel": {"fontSize": 13, "showMaxLabel": False},
        },
        "yAxis": {
            "type": "value",
            "min": 0,
            "max": top,
            "name": name,
            "nameTextStyle": {"fontSize": 13},
            "axisLabel": {"fontSize": 13},
        },
    }


def region_map(run: Run, positions: dict[int, np.ndarray], size_by: str = "deaths") -> dict:
    """ECharts option of the region: states coloured by phase and sized by cumulative ``deaths`` or
    ``displaced``, borders as lines, regional bodies as labelled dashed outlines."""
    world = run.model.world
    xy = np.array([positions[i] for i in range(len(run.names))])
    series: list[dict] = []
    for a, b in run.model.grid.G.edges:
        series.append(
            {
                "type": "line",
                "data": [xy[a].tolist(), xy[b].tolist()],
                "symbol": "none",
                "silent": True,
                "lineStyle": {"color": "#9e9e9e", "width": 2},
                "z": 1,
            }
        )
    graphic = []
    for n, body in enumerate(run.model.bodies):
        members = xy[body.members]
        colour = BODY_COLOURS[n % len(BODY_COLOURS)]
        if len(members) >= 3:
            corners = _padded(_hull(members), 0.22 + 0.07 * n)
            ring = [*corners.tolist(), corners[0].tolist()]
            series.append(
                {
                    "type": "line",
                    "data": ring,
                    "symbol": "none",
                    "silent": True,
                    "z": 0,
                    "lineStyle": {"color": colour, "type": "dashed", "width": 2.5},
                }
            )
        graphic.append(
            {
                "type": "text",
                "left": 10 + 380 * n,
                "bottom": 6,
                "style": {"text": f"- - {body.name} ({body.kind})", "fill": colour, "font": "bold 15px sans-serif"},
            }
        )
    values = world[size_by]
    scale = values / values.max() if values.max() > 0 else np.zeros_like(values)
    points = []
    for i, name in enumerate(run.names):
        phase = Phase(int(world["phase"][i]))
        count = f"\n{values[i]:,.0f} {size_by}" if values[i] >= 0.5 else ""
        since = run.atrocity_week[i]
        scarred = since is not None and phase != Phase.ATROCITY
        ring, width = (PHASE_COLOURS[Phase.ATROCITY], 5) if scarred else ("#000", 1.2)
        history = f"\natrocity from week {since}" if scarred else ""
        points.append(
            {
                "value": xy[i].tolist(),
                "symbolSize": float(24 + 56 * np.sqrt(scale[i])),
                "itemStyle": {"color": PHASE_COLOURS[phase], "borderColor": ring, "borderWidth": width, "opacity": 1},
                "label": {"formatter": f"{name}\n{phase.name.lower()}{history}{count}"},
            }
        )
    series.append(
        {
            "type": "scatter",
            "data": points,
            "z": 3,
            "label": {
                "show": True,
                "position": "bottom",
                "fontSize": 14,
                "color": "#212121",
                "backgroundColor": "rgba(255,255,255,0.75)",
                "lineHeight": 17,
            },
        }
    )
    for n, phase in enumerate(Phase):
        graphic.append(
            {
                "type": "group",
                "left": 10 + 98 * n,
                "top": 34,
                "children": [
                    {
                        "type": "rect",
                        "shape": {"width": 18, "height": 18},
                        "style": {"fill": PHASE_COLOURS[phase], "stroke": "#000"},
                    },
                    {
                        "type": "text",
                        "left": 24,
                        "top": 1,
                        "style": {"text": phase.name.lower(), "font": "14px sans-serif", "fill": "#212121"},
                    },
                ],
            }
        )
    return {
        "animation": False,
        "toolbox": SAVE_AS_PNG,
        "title": {
            "text": f"Week {run.week}: colour = phase, size = {size_by}; dark ring = had an atrocity",
            "left": "center",
            "textStyle": {"fontSize": 17},
        },
        "grid": {"left": 40, "right": 40, "top": 70, "bottom": 70},
        "xAxis": {"type": "value", "show": False, "min": -1.3, "max": 1.3},
        "yAxis": {"type": "value", "show": False, "min": -1.45, "max": 1.3},
        "series": series,
        "graphic": graphic,
    }


def tension_chart(run: Run) -> dict:
    """ECharts option: tension of every state over the weeks so far, each line named at its end, with
    a marker on a state's line in each week a measure took effect for that state."""
    history = run.tension_history()
    marked: dict[int, list[Event]] = {}
    for event in run.markers():
        marked.setdefault(event.state, []).append(event)
    series = []
    for i, name in enumerate(run.names):
        colour = STATE_COLOURS[i % len(STATE_COLOURS)]
        series.append(
            {
                "type": "line",
                "name": name,
                "showSymbol": False,
                "color": colour,
                "lineStyle": {"width": 2.5, "type": "solid" if i < len(STATE_COLOURS) else "dashed"},
                "endLabel": {"show": True, "formatter": "{a}", "fontSize": 13, "color": colour},
                "labelLayout": {"moveOverlap": "shiftY"},
                "data": [[w, round(float(v), 4)] for w, v in enumerate(history[:, i])],
                "markPoint": _state_markers(run, i, marked.get(i, []), history),
            }
        )
    return {
        "animation": False,
        "toolbox": SAVE_AS_PNG,
        "title": {
            "text": "Tension per state (triangle: a measure starts; X: a veto)",
            "textStyle": {"fontSize": 16},
        },
        "grid": {"left": 55, "right": 110, "top": 50, "bottom": 45},
        "tooltip": {"trigger": "axis"},
        **_axes(run, "tension (0-1)", 1),
        "series": series,
    }


def harm_chart(run: Run) -> dict:
    """ECharts option: cumulative deaths (top) and displaced (bottom) in the whole region, each on its
    own axis (a few thousand deaths are otherwise a flat line under a million displaced)."""
    weeks = _axes(run, "", None)["xAxis"]
    panels = (("deaths", run.deaths, PHASE_COLOURS[Phase.ATROCITY]), ("displaced", run.displaced, "#6a1b9a"))
    return {
        "animation": False,
        "toolbox": SAVE_AS_PNG,
        "title": {"text": "Cumulative deaths and displaced in the region", "textStyle": {"fontSize": 16}},
        "grid": [
            {"left": 90, "right": 30, "top": 60, "height": "30%"},
            {"left": 90, "right": 30, "bottom": 45, "height": "30%"},
        ],
        "tooltip": {"trigger": "axis"},
        "axisPointer": {"link": [{"xAxisIndex": "all"}]},
        "xAxis": [
            {**weeks, "gridIndex": 0, "name": "", "axisLabel": {"show": False}},
            {**weeks, "gridIndex": 1},
        ],
        "yAxis": [
            {**_axes(run, name, None)["yAxis"], "gridIndex": n, "nameLocation": "end"}
            for n, (name, _, _) in enumerate(panels)
        ],
        "series": [
            {
                "type": "line",
                "name": name,
                "xAxisIndex": n,
                "yAxisIndex": n,
                "showSymbol": False,
                "color": colour,
                "lineStyle": {"width": 3},
                "data": [[w, round(v)] for w, v in enumerate(values)],
            }
            for n, (name, values, colour) in enumerate(panels)
        ],
    }


def frame(run: Run, positions: dict[int, np.ndarray], size_by: str = "deaths") -> tuple[dict, dict, dict]:
    """What the page redraws after a step: the map, the tension chart and the harm chart."""
    return region_map(run, positions, size_by), tension_chart(run), harm_chart(run)


def paired_chart(a: Run, b: Run, diverged: int | None) -> Figure:
    """Cumulative deaths under strategies A and B, with the week their responses first differ."""
    fig = Figure(figsize=(7.5, 3.4), dpi=90, layout="constrained")
    ax = fig.add_subplot()
    ax.plot(np.arange(len(a.deaths)), a.deaths, lw=2.5, color=A_COLOUR, label=f"A: {a.strategy.name}")
    ax.plot(np.arange(len(b.deaths)), b.deaths, lw=2.5, ls="--", color=B_COLOUR, label=f"B: {b.strategy.name}")
    if diverged is not None:
        ax.axvline(diverged, color="black", lw=1, ls=":")
        ax.text(diverged, ax.get_ylim()[1], f" responses differ from week {diverged}", va="top", fontsize=10)
    ax.set_xlim(0, a.weeks)
    ax.set_xlabel("week", fontsize=11)
    ax.set_ylabel("cumulative deaths", fontsize=11)
    ax.yaxis.set_major_formatter("{x:,.0f}")
    ax.set_title("Same seed, same shocks, two strategies", fontsize=12)
    ax.legend(fontsize=10, loc="center left")
    return fig
