"""Figures of the page: the region map and the charts over weeks as ECharts options (drawn in the
browser, so a step costs the server only the data), and the side-by-side chart (matplotlib).

Colours and labels are chosen to be read from the back of a classroom: every node carries its
state's name and phase in words, so the map needs no legend.
"""

from __future__ import annotations

import io

import networkx as nx
import numpy as np
from matplotlib.figure import Figure

from sim.concepts import Phase
from sim.view.session import Run

PHASE_COLOURS = {
    Phase.STABLE: "#4caf50",
    Phase.TENSION: "#fbc02d",
    Phase.CRISIS: "#f57c00",
    Phase.ATROCITY: "#b71c1c",
    Phase.RECOVERY: "#42a5f5",
}
"""Node colour of each phase (green, yellow, orange, dark red, blue)."""

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


def _marker_lines(run: Run) -> dict:
    """ECharts ``markLine`` at the weeks instruments took effect, labelled by the instrument."""
    seen: dict[int, list[str]] = {}
    for event in run.markers():
        seen.setdefault(event.week, []).append(f"{event.instrument.replace('_', ' ')} ({run.names[event.state]})")
    lines = [
        {"xAxis": week, "label": {"formatter": labels[0] if len(labels) == 1 else f"{len(labels)} measures"}}
        for week, labels in seen.items()
    ]
    return {
        "symbol": "none",
        "silent": True,
        "lineStyle": {"color": "#1565c0", "type": "dotted", "width": 1.5},
        "label": {"position": "insideEndTop", "color": "#1565c0", "fontSize": 11},
        "data": lines,
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
        points.append(
            {
                "value": xy[i].tolist(),
                "symbolSize": float(24 + 56 * np.sqrt(scale[i])),
                "itemStyle": {"color": PHASE_COLOURS[phase], "borderColor": "#000", "borderWidth": 1.2, "opacity": 1},
                "label": {"formatter": f"{name}\n{phase.name.lower()}{count}"},
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
    return {
        "animation": False,
        "title": {
            "text": f"Week {run.week}: colour = phase, size = {size_by}",
            "left": "center",
            "textStyle": {"fontSize": 17},
        },
        "grid": {"left": 40, "right": 40, "top": 60, "bottom": 70},
        "xAxis": {"type": "value", "show": False, "min": -1.3, "max": 1.3},
        "yAxis": {"type": "value", "show": False, "min": -1.45, "max": 1.3},
        "series": series,
        "graphic": graphic,
    }


def tension_chart(run: Run) -> dict:
    """ECharts option: tension of every state over the weeks so far, with instrument markers."""
    history = run.tension_history()
    series = [
        {
            "type": "line",
            "name": name,
            "showSymbol": False,
            "lineStyle": {"width": 2.5},
            "data": [[w, round(float(v), 4)] for w, v in enumerate(history[:, i])],
        }
        for i, name in enumerate(run.names)
    ]
    series[0]["markLine"] = _marker_lines(run)
    return {
        "animation": False,
        "title": {"text": "Tension per state (dotted lines: a measure takes effect)", "textStyle": {"fontSize": 16}},
        "legend": {"type": "scroll", "orient": "vertical", "right": 0, "top": 40, "textStyle": {"fontSize": 13}},
        "grid": {"left": 55, "right": 130, "top": 50, "bottom": 45},
        "tooltip": {"trigger": "axis"},
        **_axes(run, "tension (0-1)", 1),
        "series": series,
    }


def harm_chart(run: Run) -> dict:
    """ECharts option: cumulative deaths and displaced in the whole region, with instrument markers."""
    deaths = {
        "type": "line",
        "name": "deaths",
        "showSymbol": False,
        "color": "#b71c1c",
        "lineStyle": {"width": 3},
        "data": [[w, round(v)] for w, v in enumerate(run.deaths)],
        "markLine": _marker_lines(run),
    }
    displaced = {
        "type": "line",
        "name": "displaced",
        "showSymbol": False,
        "color": "#6a1b9a",
        "lineStyle": {"width": 3, "type": "dashed"},
        "data": [[w, round(v)] for w, v in enumerate(run.displaced)],
    }
    return {
        "animation": False,
        "title": {"text": "Cumulative deaths and displaced in the region", "textStyle": {"fontSize": 16}},
        "legend": {"top": 28, "textStyle": {"fontSize": 14}},
        "grid": {"left": 90, "right": 30, "top": 70, "bottom": 45},
        "tooltip": {"trigger": "axis"},
        **_axes(run, "persons (cumulative)", None),
        "series": [deaths, displaced],
    }


def frame(run: Run, positions: dict[int, np.ndarray], size_by: str = "deaths") -> tuple[dict, dict, dict]:
    """What the page redraws after a step: the map, the tension chart and the harm chart."""
    return region_map(run, positions, size_by), tension_chart(run), harm_chart(run)


def paired_chart(a: Run, b: Run, diverged: int | None) -> Figure:
    """Cumulative deaths under strategies A and B, with the week their responses first differ."""
    fig = Figure(figsize=(7.5, 3.4), dpi=90, layout="constrained")
    ax = fig.add_subplot()
    ax.plot(np.arange(len(a.deaths)), a.deaths, lw=2.5, color="#1565c0", label=f"A: {a.strategy.name}")
    ax.plot(np.arange(len(b.deaths)), b.deaths, lw=2.5, ls="--", color="#e65100", label=f"B: {b.strategy.name}")
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
