"""The classroom page (Solara): watch a crisis unfold week by week and try strategies.

Start it with ``r2p view`` (or ``solara run sim.view.app``). Changing any control starts the
run again at week 0 with the new settings; Step, +10 weeks and Play advance it. Every value
typed on the page is checked, and a bad one is shown as a one-line message.
"""

from __future__ import annotations

import html
import time
import traceback
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import parse_qsl

import solara
import solara.lab

from sim.concepts import Phase, Pillar
from sim.config import InputError
from sim.engines.mesa_model import OUTSIDE
from sim.schema.registry import lookup
from sim.view import charts, explainer
from sim.view.address import SPEEDS, decode, encode
from sim.view.class_session import ClassSession, open_session
from sim.view.council_cards import ClassPanel, StudentPage, use_session_updates
from sim.view.lesson_cards import DebriefCard, InfoTab, LessonCard, LessonPicker
from sim.view.lessons import BY_KEY, LESSONS, Lesson
from sim.view.many_runs import RUNS, Spread, many_runs, spread_chart
from sim.view.session import PILLARS, Run, Settings, choices, pillar_defaults, start, warning_noise
from sim.view.side_by_side import Pair, pair

PLAY_SECONDS = SPEEDS["normal"]
"""Pause between weeks while playing at normal speed."""

DELAY_SLIDER_WEEKS = 52
"""The delay sliders stop at a year (the files allow up to ``MAX_DELAY``)."""
NOISE_SLIDER_MAX = 0.5
"""The warning-noise slider stops at 0.5 (the files allow up to the registry's bound)."""
OPENING = LESSONS[0]
"""The lesson the page opens in (an address without settings)."""

CSS = """
.v-application { font-size: 17px; }
.v-application p, .v-application li, .v-application td, .v-application th { font-size: 17px; }
.v-card__title { word-break: normal; overflow-wrap: normal; line-height: 1.3; }
"""
"""Text readable at the back of a classroom (17 px), and card titles that wrap between words."""


def _attempt(action: Callable[[], Any], error: solara.Reactive[str]) -> Any:
    """Run ``action``; on a bad value show its one-line message in the page and return ``None``."""
    try:
        result = action()
    except ValueError as problem:  # sim.config.InputError and other bad values
        error.set(_friendly(problem))
        return None
    error.set("")
    return result


def _friendly(problem: ValueError) -> str:
    """The first line of a bad value's message, without the "page: " prefix and capitalised."""
    line = str(problem).splitlines()[0].removeprefix("page: ")
    return line[:1].upper() + line[1:]


def _opening(search: str | None) -> tuple[Settings, str, str, str, Run]:
    """Settings, lesson key, speed, a message (``""``: none) and the run at week 0 for the page's
    address: its settings, or the opening lesson if it has none or a bad value (named in the message)."""
    try:
        settings, key, speed = decode(search)
        if key and key not in BY_KEY:
            raise InputError("page address", "lesson", f"{key!r} is not allowed", ", ".join(BY_KEY))
        if key:
            settings = BY_KEY[key].settings(BY_KEY[key].seed)[0]
        elif not search:
            settings, key = OPENING.settings(OPENING.seed)[0], OPENING.key
        return settings, key, speed, "", start(settings)
    except InputError as problem:
        opening = OPENING.settings(OPENING.seed)[0]
        return opening, OPENING.key, "normal", f"{_friendly(problem)} (the page opened a lesson)", start(opening)


def _label(html: str) -> None:
    """A control's label with its current value, on its own line above the control."""
    solara.HTML(tag="div", unsafe_innerHTML=html, style="margin-top: 8px; font-size: 1em")


def _controls(settings: solara.Reactive[Settings], run: Run, restart: Callable[[Settings], None]) -> None:
    """Scenario and strategy pickers, timing sliders, veto restraint, warning noise and seed."""
    s = settings.value

    def choose_strategy(name: str) -> None:
        restart(s.replace(strategy=name, trigger=(None,) * 3, delay=(None,) * 3, veto_restraint=None))

    solara.Select(
        "Scenario",
        values=choices("scenarios"),
        value=s.scenario,
        on_value=lambda v: restart(s.replace(scenario=v, warning_noise=None)),
    )
    solara.Select("Strategy", values=choices("strategies"), value=s.strategy, on_value=choose_strategy)
    solara.HTML(tag="div", unsafe_innerHTML=f"<i>{html.escape(run.strategy.description)}</i>",
                classes=["r2p-strategy-text"], style="font-size: 0.9em; margin-bottom: 6px")  # fmt: skip
    solara.HTML(
        tag="div",
        unsafe_innerHTML="<b>Perceived risk</b> is what the early warning shows of a state's tension (0 calm to 1 "
        "extreme), noisy and late; a pillar acts once it passes the trigger, after the delay.",
        style="font-size: 0.9em",
    )
    start_values = pillar_defaults(run.strategy)
    for pillar in PILLARS:
        roman = Pillar(pillar).name
        trigger_range, delay_range = (
            lookup(f"strategy.pillar{pillar}.trigger"),
            lookup(f"strategy.pillar{pillar}.delay"),
        )
        trigger, delay = start_values["trigger"][pillar - 1], int(start_values["delay"][pillar - 1])
        _label(f"Pillar {roman} trigger (perceived risk): <b>{trigger:.2f}</b>")
        solara.SliderFloat(
            "",
            value=trigger,
            min=float(trigger_range.low),
            max=float(trigger_range.high),
            step=0.05,
            on_value=lambda v, p=pillar: restart(s.with_pillar(p, trigger=v)),
        )
        _label(f"Pillar {roman} delay: <b>{delay} week{'' if delay == 1 else 's'}</b>")
        solara.SliderInt(
            "",
            value=delay,
            min=int(delay_range.low),
            max=min(int(delay_range.high), DELAY_SLIDER_WEEKS),
            on_value=lambda v, p=pillar: restart(s.with_pillar(p, delay=v)),
        )
    solara.Switch(
        label="Veto restraint (P5 refrain from the veto)",
        value=bool(run.strategy.veto_restraint),  # a list of members shows as on; switching sets all five
        on_value=lambda v: restart(s.replace(veto_restraint=v)),
    )
    noise = warning_noise(run.scenario)
    noise_range = lookup("scenario.warning.noise")
    _label(f"Early-warning noise: <b>{noise:.2f}</b>")
    solara.SliderFloat(
        "",
        value=noise,
        min=float(noise_range.low),
        max=min(float(noise_range.high), NOISE_SLIDER_MAX),
        step=0.01,
        on_value=lambda v: restart(s.replace(warning_noise=v)),
    )
    solara.InputText("Seed (whole number)", value=s.seed, on_value=lambda v: restart(s.replace(seed=v)))
    solara.HTML(tag="p", unsafe_innerHTML="<i>Changing a control starts the run again at week 0.</i>")


def _buttons(
    run: Run,
    advance: Callable[[int], None],
    reset: Callable[[], None],
    playing: solara.Reactive[bool],
    speed: str,
    choose_speed: Callable[[str], None],
    council: bool = False,
) -> None:
    """Reset, Step, +10 weeks, Play and Pause, and the playback speed (with students on the
    ``council``, only Play advances the run, since it waits for their votes)."""
    with solara.Row(style={"flex-wrap": "wrap", "gap": "6px", "align-items": "center"}):
        solara.Button("Reset", on_click=reset, color="secondary")
        busy = run.finished or playing.value or council
        solara.Button("Step", on_click=lambda: advance(1), color="primary", disabled=busy)
        solara.Button("+10 weeks", on_click=lambda: advance(10), disabled=busy)
        if playing.value:
            solara.Button("Pause", on_click=lambda: playing.set(False), color="warning")
        else:
            solara.Button("Play", on_click=lambda: playing.set(True), color="success", disabled=run.finished)
        solara.Text("Speed:", style={"margin-left": "12px"})
        solara.ToggleButtonsSingle(value=speed, values=list(SPEEDS), on_value=choose_speed)
    if council:
        solara.Text("Students sit on the Council: press Play; the run waits at each draft for their votes.")


def _headline(run: Run) -> None:
    """Week counter and running totals, large enough for a projector."""
    world = run.model.world
    counts = {phase: int((world["phase"] == phase).sum()) for phase in Phase}
    phases = ", ".join(f"{n} {p.name.lower()}" for p, n in counts.items() if n)
    with solara.Row(style={"align-items": "baseline", "gap": "28px", "flex-wrap": "wrap"}):
        solara.HTML(
            tag="div",
            unsafe_innerHTML=f"Week {run.week} of {run.weeks}",
            classes=["r2p-week"],
            style="font-size: 2em; font-weight: bold",
        )
        solara.HTML(tag="div", unsafe_innerHTML=f"Deaths: {run.deaths[-1]:,.0f}", style="font-size: 1.4em")
        solara.HTML(tag="div", unsafe_innerHTML=f"Displaced: {run.displaced[-1]:,.0f}", style="font-size: 1.4em")
        solara.Text(f"States: {phases}", style={"font-size": "1.1em"})
        if run.scenario.start is not None:
            solara.Text(f"({run.date(run.week)})", classes=["r2p-date"], style={"font-size": "1.1em"})
    solara.Text(
        f"{run.scenario.title} | strategy {run.strategy.name} | "
        f"veto restraint {'on' if run.strategy.veto_restraint else 'off'} | seed {run.seed}"
    )


@solara.component
def EventLogCard(run: Run, week: int) -> None:
    """The event log, newest first: key events (warnings, onsets, deaths, votes, measures), or every
    event; repeats folded into one line; the whole run downloadable as CSV. ``week`` re-renders it."""
    everything = solara.use_reactive(False)
    with solara.Card("What happened, week by week (newest first)"):
        with solara.Row(style={"align-items": "center", "gap": "12px", "flex-wrap": "wrap"}):
            solara.Switch(label="Every event (also drafts tabled, offers declined)", value=everything)
            solara.FileDownload(
                lambda: run.log.csv(run.names),
                filename=f"r2p-events-{run.scenario.name}-{run.strategy.name}-seed{run.seed}-week{week}.csv",
                label="Download the log (CSV)",
            )
        lines = run.log.shown(everything.value)
        if not run.events:
            solara.Text("Nothing has happened yet. Press Step or Play.", classes=["r2p-log-empty"])
        elif not lines:
            solara.Text(f"No key events yet ({len(run.log)} other events: switch on every event to see them).",
                        classes=["r2p-log-empty"])  # fmt: skip
        items = "".join(f"<li class='{'r2p-key' if line.event.key else ''}'>{line.text}</li>" for line in lines)
        solara.HTML(
            tag="ul",
            unsafe_innerHTML=items,
            classes=["r2p-log"],
            style="max-height: 460px; overflow-y: auto; font-size: 1.1em; line-height: 1.5; color: #212121",
        )


@solara.component
def Explainer() -> None:
    """The three pillars and the four crimes, from the 2009 report."""
    with solara.Card("The Responsibility to Protect in brief"):
        for title, text in explainer.PILLARS:
            solara.HTML(tag="p", unsafe_innerHTML=f"<b>{title}.</b> {text}")
        for text in explainer.CRIMES:
            solara.HTML(tag="p", unsafe_innerHTML=text)
        solara.HTML(tag="p", unsafe_innerHTML=f"<i>{explainer.MODEL_NOTE}</i>")


@solara.component
def SideBySide(settings: Settings) -> None:
    """The same seed under the current strategy (A) and a second one (B)."""
    other = solara.use_reactive("no_response" if settings.strategy != "no_response" else "three_pillar_flexible")
    result = solara.use_reactive(None)
    error = solara.use_reactive("")

    def compare() -> None:
        result.set(_attempt(lambda: pair(settings, other.value), error))

    with solara.Card("Side by side: one seed, two strategies (common random numbers)"):
        solara.HTML(
            tag="p",
            unsafe_innerHTML=f"Strategy A is the one chosen on the left (<b>{html.escape(settings.strategy)}</b> "
            "with your slider settings). Strategy B uses the same settings with another preset. Both runs share every "
            "random shock, so any difference comes from the strategies alone.",
        )
        with solara.Row(style={"align-items": "center", "gap": "12px"}):
            solara.Select("Strategy B", values=choices("strategies"), value=other)
            solara.Button("Run side by side", on_click=compare, color="primary")
        if error.value:
            solara.Error(error.value)
        done: Pair | None = result.value
        if done is not None:
            _pair_result(done)


@solara.component
def ManyRuns(settings: Settings) -> None:
    """Strategies A and B over :data:`~sim.view.many_runs.RUNS` paired runs: fan chart, histogram of
    the paired differences, median, spread and share of runs with an atrocity."""
    other = solara.use_reactive("no_response" if settings.strategy != "no_response" else "three_pillar_flexible")
    asked = solara.use_reactive(0)
    error = solara.use_reactive("")

    def compute() -> Spread | None:
        return _attempt(lambda: many_runs(settings, other.value), error) if asked.value else None

    result = solara.lab.use_task(compute, dependencies=[asked.value])
    with solara.Card(f"Many runs: {RUNS} seeds of chance, two strategies"):
        solara.HTML(
            tag="p",
            unsafe_innerHTML="One run is one roll of the dice. This runs strategy A "
            f"(<b>{html.escape(settings.strategy)}</b> with your slider settings) and strategy B {RUNS} times each. "
            "Run <i>r</i> meets the same shocks under both, and run 0 is the one the Crisis tab shows; "
            "the spread is what chance alone does.",
        )
        with solara.Row(style={"align-items": "center", "gap": "12px"}):
            solara.Select("Strategy B", values=choices("strategies"), value=other)
            solara.Button(
                f"Run {RUNS} times", on_click=lambda: asked.set(asked.value + 1), color="primary",
                disabled=result.pending,
            )  # fmt: skip
        solara.ProgressLinear(result.pending)
        if error.value:
            solara.Error(error.value)
        spread: Spread | None = result.value if result.finished else None
        if spread is not None:
            figure = charts.png(spread_chart(spread))
            solara.Image(figure, width="100%")
            name = f"r2p-{RUNS}-runs-seed{spread.seed}"
            with solara.Row(style={"gap": "12px"}):
                solara.FileDownload(figure, filename=f"{name}.png", label="Download the chart (PNG)")
                solara.FileDownload(spread.csv(), filename=f"{name}.csv", label="Download the runs (CSV)")
            rows = "".join(f"<tr><td>{m}</td><td>{a}</td><td>{b}</td></tr>" for m, a, b in spread.summary())
            solara.HTML(
                tag="table",
                classes=["r2p-spread"],
                style="font-size: 1.1em; border-spacing: 18px 4px",
                unsafe_innerHTML=f"<tr><th></th><th>A: {html.escape(spread.names[0])}</th>"
                f"<th>B: {html.escape(spread.names[1])}</th></tr>{rows}",
            )
            solara.HTML(tag="p", classes=["r2p-paired"], unsafe_innerHTML=spread.paired(), style="font-size: 1.1em")


def _pair_result(done: Pair) -> None:
    """Divergence weeks, the deaths chart and the outcome table of a finished pair."""
    a, b = done.a, done.b

    def when(week: int | None, what: str) -> str:
        return f"{what} first differ in week {week}." if week is not None else f"{what} never differ."

    solara.HTML(
        tag="p",
        classes=["r2p-divergence"],
        unsafe_innerHTML=f"<b>A: {a.strategy.name}</b> vs <b>B: {b.strategy.name}</b>, seed {a.seed}, "
        f"{a.weeks} weeks. {when(done.response_week, 'The responses')} "
        f"{when(done.situation_week, 'The situations on the ground')}",
        style="font-size: 1.1em",
    )
    solara.Image(charts.png(charts.paired_chart(a, b, done.response_week)), width="100%")
    rows = "".join(
        f"<tr><td>{key.replace('_', ' ')}</td><td>{va:,.0f}</td><td>{vb:,.0f}</td><td>{d:+,.0f}</td></tr>"
        for key, va, vb, d in done.differences()
    )
    solara.HTML(
        tag="table",
        classes=["r2p-pair"],
        style="font-size: 1.1em; border-spacing: 18px 4px",
        unsafe_innerHTML=f"<tr><th>outcome</th><th>A</th><th>B</th><th>B - A</th></tr>{rows}",
    )


def _page_open() -> Callable[[], bool]:
    """A test of whether the browser tab that runs this page is still connected (always true outside
    a Solara server), so that Play stops when the tab closes."""
    from solara.server import kernel_context
    from solara.server.kernel_context import PageStatus

    try:
        context = kernel_context.get_current_context()
    except Exception:  # no server (a test rendering the page)
        return lambda: True
    return lambda: PageStatus.CONNECTED in tuple(context.page_status.values())


@solara.component
def Page() -> None:
    """The classroom page: the teacher's page, or a student's (``?join=CODE``)."""
    router = solara.use_router()
    code = solara.use_memo(lambda: dict(parse_qsl(router.search or "")).get("join"), [])
    page_open = solara.use_memo(_page_open, [])
    solara.Style(CSS)
    if code is not None:
        with solara.Column(style={"padding": "16px 24px"}):
            StudentPage(code, page_open)
    else:
        Classroom(router, page_open)


@solara.component
def Classroom(router: Any, page_open: Callable[[], bool]) -> None:
    """The teacher's page."""
    first_settings, first_lesson, first_speed, first_message, first_run = solara.use_memo(
        lambda: _opening(router.search), []
    )
    settings = solara.use_reactive(first_settings)
    lesson_key = solara.use_reactive(first_lesson)
    speed = solara.use_reactive(first_speed)
    run = solara.use_reactive(first_run)
    error = solara.use_reactive(first_message)
    playing = solara.use_reactive(False)
    size_by = solara.use_reactive("deaths")
    tick = solara.use_reactive(0)
    asked = solara.use_reactive(frozenset())
    question = solara.use_reactive("")
    council = solara.use_reactive(cast(ClassSession | None, None))
    use_session_updates(council.value, page_open)
    solara.use_effect(lambda: lambda: council.value.end() if council.value else None, [])  # the tab closed

    def seat_class(on: Run) -> None:
        if council.value is not None:
            council.value.take_over(on.model)
        else:
            for decision in OUTSIDE:
                on.model.hand_over(decision, None)

    def open_class() -> None:
        opened = _attempt(open_session, error)
        if opened is not None:
            playing.set(False)
            council.set(opened)
            seat_class(run.value)

    def end_class() -> None:
        playing.set(False)
        council.value.end()
        council.set(None)
        seat_class(run.value)

    def remember(new: Settings, key: str, pace: str | None = None) -> None:
        """Write the settings into the page's address (a reload or a shared link shows this run)."""
        router.push(f"{router.path}?{encode(new, key, pace or speed.value)}")

    def choose_speed(pace: str) -> None:
        speed.set(pace)
        remember(settings.value, lesson_key.value, pace)

    def restart(new: Settings, key: str = "") -> None:
        """Start again at week 0 with ``new`` (in lesson ``key``; a changed control leaves the lesson)."""
        playing.set(False)
        asked.set(frozenset())
        question.set("")
        settings.set(new)
        fresh = _attempt(lambda: start(new), error)
        if fresh is not None:
            seat_class(fresh)
            lesson_key.set(key)
            run.set(fresh)
            remember(new, key)

    def choose_lesson(key: str) -> None:
        if key:
            lesson = BY_KEY[key]
            restart(lesson.settings(lesson.seed)[0], key)
        else:
            lesson_key.set("")
            remember(settings.value, "")

    def pause_at(events: list) -> bool:
        """Stop at the first event of a lesson's pause kind not asked yet; show its question."""
        lesson = BY_KEY.get(lesson_key.value)
        kinds = {e.kind for e in events}
        for pause in lesson.pauses if lesson else ():
            if pause.kind in kinds and pause.kind not in asked.value:
                asked.set(asked.value | {pause.kind})
                question.set(f"Week {run.value.week}: {pause.question}")
                playing.set(False)
                return True
        return False

    def advance(weeks: int) -> None:
        question.set("")
        for _ in range(weeks):
            if pause_at(run.value.step()):
                break
        tick.set(tick.value + 1)

    def play() -> None:
        try:
            while playing.value and not run.value.finished and page_open():
                time.sleep(SPEEDS[speed.value])
                if playing.value:  # not paused meanwhile
                    advance(1)
        except Exception as problem:  # shown in the page; the server keeps serving
            error.set(f"The run stopped: {problem}")
            traceback.print_exc()
        playing.set(False)

    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)

    def resume() -> None:
        question.set("")
        playing.set(True)

    current: Run = run.value
    lesson: Lesson | None = BY_KEY.get(lesson_key.value)
    positions = solara.use_memo(lambda: charts.layout(current), [current.scenario.name])
    shown = [current, tick.value, size_by.value]
    figures = solara.use_memo(lambda: charts.frame(current, positions, size_by.value), shown)
    solara.Title("R2P classroom")
    with solara.Sidebar():
        LessonPicker(lesson_key.value, choose_lesson)
        solara.HTML(tag="h2", unsafe_innerHTML="Controls")
        _controls(settings, current, restart)
        ClassPanel(council.value, open_class, end_class)
    with solara.Column(style={"padding": "8px"}):
        solara.HTML(tag="h1", unsafe_innerHTML="Responsibility to Protect: a crisis week by week")
        if error.value:
            solara.Error(f"{error.value} (the run shown still uses the last valid settings)", classes=["r2p-error"])
        _headline(current)
        reset = lambda: restart(settings.value, lesson_key.value)  # noqa: E731
        _buttons(current, advance, reset, playing, speed.value, choose_speed, council.value is not None)
        if lesson is not None:
            LessonCard(lesson, question.value, resume)
            if current.finished:
                decisions = tuple(council.value.decisions) if council.value else ()
                DebriefCard(lesson, lesson.seed, current, decisions)
        with solara.lab.Tabs():
            with solara.lab.Tab("Crisis"), solara.Columns([3, 2]):
                with solara.Column():
                    solara.ToggleButtonsSingle(value=size_by, values=["deaths", "displaced"])
                    for figure, height in zip(figures, (560, 380, 340), strict=True):
                        solara.FigureEcharts(option=figure, attributes={"style": f"height: {height}px; width: 100%"})
                with solara.Column():
                    EventLogCard(current, current.week)
                    Explainer()
            with solara.lab.Tab("Side by side"):
                SideBySide(settings.value)
            with solara.lab.Tab(f"{RUNS} runs"):
                ManyRuns(settings.value)
            with solara.lab.Tab("Info"):
                InfoTab()
