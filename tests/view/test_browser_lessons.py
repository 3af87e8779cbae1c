"""End-to-end: each lesson plays to its debrief in headless Chromium and shows its point, with
screenshots of its start and its debrief at laptop (1366x768) and projector (1920x1080) size."""

from __future__ import annotations

import pytest

from sim.view.lessons import LESSONS

SIZES = {"laptop": (1366, 768), "projector": (1920, 1080)}
"""Screen sizes of the screenshots."""

POINT = {
    "early_warning": ("early warning", "more deaths"),
    "veto": ("vetoes", "General Assembly"),
    "early_vs_late": ("", "more deaths"),
    "leadership": ("assistance", ""),
    "rwanda": ("genocide", "fewer deaths"),
}
"""Per lesson, text its event log and its debrief must show (empty: no check)."""

WEEK_JS = "parseInt(document.querySelector('.r2p-week').innerText.split(' ')[1])"


@pytest.fixture(scope="module")
def tab(server, chromium):
    from playwright.sync_api import Error

    url, log = server
    page = chromium.new_page(viewport={"width": 1366, "height": 768})
    page.set_default_timeout(30_000)
    try:
        page.goto(url)
        page.get_by_text("Week 0 of").wait_for(timeout=90_000)
    except Error as error:
        pytest.fail(f"the page did not load: {error.message.splitlines()[0]}\n{log.read_text()[-3000:]}")
    yield page
    page.close()


def _shoot(tab, artifacts, name: str, at: str = "h1") -> None:
    for size, (width, height) in SIZES.items():
        tab.set_viewport_size({"width": width, "height": height})
        tab.evaluate(f"document.querySelector('{at}').scrollIntoView()")
        tab.wait_for_timeout(800)  # the page is dimmed while the server redraws it
        tab.screenshot(path=str(artifacts / f"lesson-{name}-{size}.png"))
    tab.set_viewport_size({"width": 1366, "height": 768})


def _choose_lesson(tab, title: str) -> None:
    tab.locator(".v-select").filter(has_text="Lesson").first.click()
    tab.locator(".menuable__content__active .v-list-item").filter(has_text=title).first.click()
    tab.locator(".r2p-lesson").filter(has_text=title).wait_for()
    tab.get_by_text("Week 0 of").wait_for()
    tab.locator(".r2p-debrief").wait_for(state="detached")  # the last lesson's debrief has gone


def test_the_page_opens_in_the_first_lesson_and_a_reload_keeps_the_lesson(tab):
    assert LESSONS[0].title in tab.locator(".r2p-lesson").inner_text()
    second = LESSONS[1]
    _choose_lesson(tab, second.title)
    # the address holds the lesson (pushed with history.pushState): a reload or a shared link keeps it
    tab.wait_for_function(f"() => window.location.search.includes('lesson={second.key}')")
    tab.reload()
    tab.locator(".r2p-lesson").filter(has_text=second.title).wait_for()
    assert f"seed {second.seed}" in tab.inner_text("body")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.key)
def test_a_lesson_plays_to_its_debrief_and_shows_its_point(tab, artifacts, lesson):
    _choose_lesson(tab, lesson.title)
    _shoot(tab, artifacts, f"{lesson.key}-start")
    questions = []
    horizon = int(tab.locator(".r2p-week").inner_text().split()[3])
    while (week := tab.evaluate(WEEK_JS)) < horizon:
        tab.get_by_role("button", name="+10 weeks").click()
        tab.wait_for_function(f"() => {WEEK_JS} > {week}")
        reached = tab.evaluate(WEEK_JS)
        if reached - week < 10 and reached < horizon:  # +10 weeks stopped early: at a pause
            tab.locator(".r2p-question").wait_for()
        else:
            tab.wait_for_timeout(300)  # a pause in the tenth week is drawn with the counter or just after
        if tab.locator(".r2p-question").count():
            questions.append(tab.locator(".r2p-question").inner_text())
    assert len(questions) == len(lesson.pauses), f"one question per pause: {questions}"
    for pause in lesson.pauses:  # in the order their events happen
        assert sum(pause.question in question for question in questions) == 1
    debrief = tab.locator(".r2p-debrief")
    try:
        debrief.get_by_text("What the model leaves out").wait_for(timeout=60_000)
    finally:
        tab.screenshot(path=str(artifacts / f"lesson-{lesson.key}-end.png"), full_page=True)
    in_log, in_debrief = POINT[lesson.key]
    log = " ".join(tab.locator("ul.r2p-log li").all_inner_texts())
    assert in_log in log, f"the event log shows {in_log!r}"
    assert in_debrief in debrief.inner_text(), f"the debrief shows {in_debrief!r}"
    assert "Traceback" not in tab.inner_text("body")
    _shoot(tab, artifacts, f"{lesson.key}-debrief", ".r2p-debrief")
