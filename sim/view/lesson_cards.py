"""The page's lesson components: the lesson picker, the lesson card with its discussion question,
the debrief card at the end of a lesson, and the Info tab."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable

import solara
import solara.lab

from sim.view import charts, info
from sim.view.class_session import Answer, Decision
from sim.view.debrief import Debrief, class_votes, debrief
from sim.view.lessons import BY_KEY, LESSONS, Lesson, play
from sim.view.many_runs import many_runs, spread_chart
from sim.view.session import Run, build_inputs, label
from sim.view.side_by_side import Pair

FREE_PLAY = "Free play (no lesson)"
"""The picker's entry for playing without a lesson."""


def LessonPicker(key: str, choose: Callable[[str], None]) -> None:
    """A menu of the lessons' titles (and free play); ``choose`` gets a lesson key or ``""``."""
    titles = {lesson.title: lesson.key for lesson in LESSONS}
    current = next((title for title, k in titles.items() if k == key), FREE_PLAY)
    solara.Select(
        "Lesson", values=[*titles, FREE_PLAY], value=current, on_value=lambda title: choose(titles.get(title, ""))
    )


@functools.cache
def _b_label(key: str) -> str:
    """How strategy B of lesson ``key`` is named (its files are read once, not at every redraw)."""
    lesson = BY_KEY[key]
    return label(build_inputs(lesson.settings(lesson.seed)[1])[1])


def LessonCard(lesson: Lesson, question: str, resume: Callable[[], None]) -> None:
    """The lesson's title and point, what B is, and the discussion question of a pause."""
    with solara.Card(f"Lesson: {lesson.title}", classes=["r2p-lesson"]):
        solara.HTML(tag="p", unsafe_innerHTML=html.escape(lesson.point))
        solara.HTML(
            tag="p",
            unsafe_innerHTML=f"The class watches <b>A: {html.escape(lesson.a.strategy)}</b>. At the end, the debrief "
            f"compares it with <b>B: {html.escape(_b_label(lesson.key))}</b> on the same shocks. Press Play.",
        )
        if question:
            with solara.Div(
                classes=["r2p-question"],
                style="background: #fff8e1; border-left: 6px solid #e69f00; padding: 10px 14px; margin: 8px 0",
            ):
                solara.HTML(tag="p", unsafe_innerHTML=f"<b>Discuss.</b> {html.escape(question)}")
                solara.Button("Continue", on_click=resume, color="primary")


@solara.component
def DebriefCard(lesson: Lesson, seed: int, watched: Run, decisions: tuple[Decision | Answer, ...] = ()) -> None:
    """The debrief of a finished lesson (runs B and the 200 runs are computed when it is shown);
    after a class session on the Council, A is the run the class ``watched`` (with its votes)."""

    def compute() -> tuple[Debrief, bytes]:
        spread = many_runs(*lesson.settings(seed))
        model = play(lesson, seed)
        runs = Pair(watched, model.b) if decisions else model
        told = debrief(lesson, runs, spread, class_votes(decisions, watched, model.a))
        return told, charts.png(spread_chart(spread))

    result = solara.lab.use_task(compute, dependencies=[lesson.key, seed, watched, len(decisions)])
    with solara.Card(f"Debrief: {lesson.title}", classes=["r2p-debrief"]):
        solara.ProgressLinear(result.pending)
        if not result.finished or result.value is None:
            solara.Text("Preparing the debrief: running B and 200 runs of each ...")
            return
        done, figure = result.value
        events = "".join(f"<li>{html.escape(line)}</li>" for line in done.happened)
        solara.HTML(tag="h3", unsafe_innerHTML="What happened (A)")
        solara.HTML(tag="ul", unsafe_innerHTML=events, classes=["r2p-debrief-events"])
        head, *rows = done.rows
        cells = "".join(f"<tr><td>{m}</td><td>{html.escape(a)}</td><td>{html.escape(b)}</td></tr>" for m, a, b in rows)
        solara.HTML(tag="h3", unsafe_innerHTML="A and B on the same shocks")
        solara.HTML(
            tag="table",
            classes=["r2p-debrief-table"],
            style="border-spacing: 16px 4px",
            unsafe_innerHTML=f"<tr><th></th><th>{html.escape(head[1])}</th><th>{html.escape(head[2])}</th></tr>{cells}",
        )
        solara.HTML(tag="p", unsafe_innerHTML=html.escape(done.changed))
        if done.class_votes:
            solara.HTML(tag="h3", unsafe_innerHTML="What the class decided on the Council")
            items = "".join(f"<li>{html.escape(line)}</li>" for line in done.class_votes)
            solara.HTML(tag="ul", unsafe_innerHTML=items, classes=["r2p-debrief-class"])
        solara.HTML(tag="h3", unsafe_innerHTML="Among 200 runs")
        solara.Image(figure, width="100%")
        solara.HTML(tag="p", unsafe_innerHTML=html.escape(done.spread))
        solara.HTML(tag="h3", unsafe_innerHTML="What the model leaves out")
        solara.HTML(tag="p", unsafe_innerHTML=html.escape(done.leaves_out))
        solara.FileDownload(
            done.markdown(), filename=f"r2p-debrief-{lesson.key}-seed{seed}.md", label="Download the debrief"
        )


def InfoTab() -> None:
    """The Info tab: NetLogo's sections."""
    with solara.Card("About this model", classes=["r2p-info"]):
        for heading, text in info.SECTIONS:
            solara.HTML(tag="h3", unsafe_innerHTML=heading)
            solara.HTML(tag="p", unsafe_innerHTML=text)
