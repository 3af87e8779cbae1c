"""End-to-end: the real page in headless Chromium (Debian's ``/usr/bin/chromium``) via Playwright.

Skipped with a reason where Chromium or Playwright is missing, unless ``R2P_REQUIRE_BROWSER=1``
(set by ``.ci/run``), where that is a failure. The screenshot after 20 steps is written to
``test-artifacts/view/`` (or ``$R2P_ARTIFACTS``) and its path is printed.
"""

from __future__ import annotations

import signal
import socket
import time
from urllib.parse import urlsplit

import pytest

from sim.concepts import Phase
from sim.view.app import PLAY_SECONDS
from sim.view.charts import PHASE_COLOURS
from sim.view.many_runs import RUNS
from sim.view.server import GRACE_SECONDS

WAIT_MS = 30_000
LOAD: dict[str, str] = {}
"""Why the page failed to load, once it has (so that later tests fail at once)."""


@pytest.fixture(scope="module")
def page(server, chromium):
    from playwright.sync_api import Error

    url, log = server
    if "failed" in LOAD:
        pytest.fail(LOAD["failed"])  # do not wait again for each test
    hosts: set[str] = set()
    tab = chromium.new_page(viewport={"width": 1600, "height": 1100})
    tab.on("request", lambda request: hosts.add(request.url.split("/")[2]) if "://" in request.url else None)
    tab.set_default_timeout(WAIT_MS)
    try:
        tab.goto(url)
        tab.get_by_text("Week 0 of").wait_for(timeout=90_000)  # a first load may compile the Numba rules
    except Error as error:
        LOAD["failed"] = f"the page did not load: {error.message.splitlines()[0]}\n{log.read_text()[-3000:]}"
        pytest.fail(LOAD["failed"])
    tab.hosts = hosts
    yield tab
    tab.close()


PIXELS = """([colour]) => [...document.querySelectorAll(".solara-echarts canvas")].map(canvas => {
    const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    const target = [1, 3, 5].map(i => parseInt(colour.slice(i, i + 2), 16));
    let hits = 0, checksum = 0;
    for (let i = 0; i < data.length; i += 4) {
        if (target.every((t, c) => Math.abs(data[i + c] - t) < 10)) hits++;
        checksum = (checksum * 31 + data[i] + 7 * data[i + 1] + 13 * data[i + 2]) % 1000000007;
    }
    return [checksum, hits / (data.length / 4)];
})"""
"""Per chart on the page (ECharts canvases): a checksum of its pixels and the share of one colour."""


def _charts(tab, colour: str) -> list[tuple[int, float]]:
    tab.wait_for_function("() => document.querySelectorAll('.solara-echarts canvas').length === 3")
    return [tuple(x) for x in tab.evaluate(PIXELS, [colour])]


def _choose(tab, label: str, option: str) -> None:
    tab.locator(".v-select").filter(has_text=label).first.click()
    tab.locator(".menuable__content__active .v-list-item").filter(has_text=option).first.click()


def _log_lines(tab) -> list[str]:
    return tab.locator("ul.r2p-log li").all_inner_texts()


def _step(tab, times: int, expected_week: int) -> None:
    for _ in range(times):
        tab.get_by_role("button", name="Step", exact=True).click()
    tab.get_by_text(f"Week {expected_week} of", exact=False).wait_for()


def test_a_class_runs_a_crisis(page, capsys, artifacts):
    _choose(page, "Scenario", "rwanda_1994")
    page.get_by_text("Rwanda 1994", exact=False).first.wait_for()
    slider = page.get_by_role("slider").nth(5)  # Pillar III delay
    before = slider.get_attribute("aria-valuenow")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "([v]) => document.querySelectorAll('[role=slider]')[5].getAttribute('aria-valuenow') !== v", arg=[before]
    )
    page.get_by_text("Week 0 of").wait_for()
    red = PHASE_COLOURS[Phase.ATROCITY]
    start = _charts(page, red)
    page.get_by_text("Nothing has happened yet").wait_for()

    _step(page, 20, 20)
    page.wait_for_function("([n]) => document.querySelectorAll('ul.r2p-log li').length > n", arg=[0])
    lines = _log_lines(page)
    weeks = [int(line.split()[1].rstrip(":")) for line in lines]
    assert weeks == sorted(weeks, reverse=True) and weeks[0] <= 20, "newest first"
    assert any("Rwanda" in line for line in lines)
    deadline = time.monotonic() + 20
    while (after := _charts(page, red)) and any(a[0] == b[0] for a, b in zip(after, start, strict=True)):
        assert time.monotonic() < deadline, "the map and both charts change after 20 steps"
        time.sleep(0.3)
    assert len(after) == 3
    assert after[0][1] > start[0][1], "the map shows a state in atrocity in dark red"

    shot = artifacts / "view-after-20-steps.png"
    page.set_viewport_size({"width": 1600, "height": 2300})  # the whole page, charts included
    page.screenshot(path=str(shot))
    page.set_viewport_size({"width": 1600, "height": 1100})
    with capsys.disabled():
        print(f"\nclassroom view screenshot after 20 steps: {shot}")

    page.get_by_role("button", name="Reset", exact=True).click()
    page.get_by_text("Week 0 of").wait_for()
    page.get_by_text("Nothing has happened yet").wait_for()

    _play_then_pause(page)


WEEK_JS = "parseInt(document.querySelector('.r2p-week').innerText.split(' ')[1])"
"""The week on the counter, in the page's JavaScript."""


def _week(tab) -> tuple[int, int]:
    """The week counter: (week, horizon)."""
    words = tab.locator(".r2p-week").inner_text().split()  # "Week 7 of 104"
    return int(words[1]), int(words[3])


def _play_then_pause(tab) -> None:
    """Play advances the weeks at some rate; after Pause the counter settles and then stays put
    for as long as Play would have needed to advance it three weeks."""
    tab.get_by_role("button", name="Play", exact=True).click()
    tab.wait_for_function(f"([w]) => {WEEK_JS} >= w", arg=[1])
    first, since = _week(tab)[0], time.monotonic()
    tab.wait_for_function(f"([w]) => {WEEK_JS} >= w", arg=[first + 3])
    weeks_per_second = (_week(tab)[0] - first) / (time.monotonic() - since)
    tab.get_by_role("button", name="Pause", exact=True).click()
    tab.get_by_role("button", name="Play", exact=True).wait_for()

    settle = 3 * PLAY_SECONDS  # a week under way when Pause was pressed may still be drawn
    deadline = time.monotonic() + 15
    (paused, horizon), steady_since = _week(tab), time.monotonic()
    while time.monotonic() - steady_since < settle:
        assert time.monotonic() < deadline and paused < horizon, f"the weeks go on after Pause (week {paused})"
        time.sleep(0.1)
        if (now := _week(tab)[0]) != paused:
            paused, steady_since = now, time.monotonic()

    watch = max(3 / weeks_per_second, 1.0)  # Play would have advanced three weeks or more by then
    time.sleep(watch)
    week = _week(tab)[0]
    assert paused < horizon, "the run was still under way when paused (else the counter stops anyway)"
    rate = f"Play: {weeks_per_second:.1f} weeks/s"
    assert week == paused, f"Pause stops the weeks: {paused} -> {week} in {watch:.1f} s ({rate})"


def test_a_bad_seed_is_a_message_and_the_page_keeps_working(page, server):
    seed = page.get_by_label("Seed (whole number)")
    seed.fill("abc")
    seed.press("Enter")
    page.get_by_text("'abc' is not allowed", exact=False).first.wait_for()
    assert "Traceback" not in page.inner_text("body")
    week = int(page.locator(".r2p-week").inner_text().split()[1])
    _step(page, 2, week + 2)
    seed.fill("2")
    seed.press("Enter")
    page.get_by_text("seed 2", exact=False).first.wait_for()
    page.wait_for_function("() => !document.body.innerText.includes('is not allowed')")  # the message goes
    _, log = server
    assert "Traceback" not in log.read_text()


def test_side_by_side_shows_where_histories_diverge(page, artifacts):
    page.get_by_role("tab", name="Side by side").click()
    _choose(page, "Strategy B", "no_response")
    page.get_by_role("button", name="Run side by side").click()
    summary = page.locator(".r2p-divergence")
    summary.wait_for()
    assert "differ" in summary.inner_text()
    rows = page.locator("table.r2p-pair tr").all_inner_texts()
    assert rows[0].split() == ["outcome", "A", "B", "B", "-", "A"] and any(r.startswith("deaths") for r in rows)
    page.screenshot(path=str(artifacts / "view-side-by-side.png"))


def test_many_runs_show_a_distribution(page, artifacts):
    page.get_by_role("tab", name=f"{RUNS} runs").click()
    page.get_by_role("button", name=f"Run {RUNS} times").click()
    table = page.locator("table.r2p-spread")
    table.wait_for()
    rows = table.locator("tr").all_inner_texts()
    head = rows[0].split()
    assert head[0] == "A:" and head[2:] == ["B:", "no_response"]
    measures = [r.split("\t")[0] for r in rows[1:]]
    assert measures == ["median deaths", "mean deaths", "90 % of runs between", "runs with an atrocity"]
    assert f"of {RUNS} runs B (no_response)" in page.locator(".r2p-paired").inner_text()
    page.screenshot(path=str(artifacts / "view-many-runs.png"), full_page=True)


def test_everything_is_served_from_this_machine(page, server):
    url, log = server
    assert page.hosts == {url.split("/")[2]}, f"requests left the machine: {page.hosts}"
    assert "Could not load URL" not in log.read_text(), "the server tried to fetch assets from the internet"


def test_sigterm_stops_the_server_with_a_page_open(launch_view, chromium):
    process, url, log = launch_view()
    tab = chromium.new_page()
    tab.goto(url)
    tab.get_by_text("Week 0 of").wait_for(timeout=90_000)
    process.send_signal(signal.SIGTERM)  # to r2p view alone; the page stays connected meanwhile
    deadline = time.monotonic() + GRACE_SECONDS + 5
    try:
        while process.poll() is None or _answers(url):
            assert time.monotonic() < deadline, f"{url} still served after SIGTERM with a page open"
            time.sleep(0.1)
    finally:
        tab.close()
    assert process.returncode == -signal.SIGTERM, log.read_text()


def _answers(url: str) -> bool:
    """Something accepts connections at ``url``'s host and port."""
    with socket.socket() as s:
        return s.connect_ex((urlsplit(url).hostname, urlsplit(url).port)) == 0
