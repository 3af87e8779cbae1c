"""Benchmark of the classroom page (``r2p view``): step time, "run 200 times", the first Step after
a cold start, and many clients stepping at once.

    python benchmarks/view.py           # full run (about 10 minutes on 2 cores, most of it the cold start)
    python benchmarks/view.py --quick   # smoke run: one run per scenario, warm cache only, 3 clients

1. Step, server side: for each press of Step the page runs :meth:`sim.view.session.Run.step` (the
   Mesa model's week, its narrative and the event log), lists the log's lines and redraws
   (:func:`sim.view.charts.frame`: map, tension and harm chart data). Timed per step over whole
   runs (seeds 1, 2, ...) of the page's default settings (``fragile_region``, 12 states, 104
   weeks) and of the longest shipped scenario (``syria_2011``, 527 weeks), after a warm-up run.
2. "Run 200 times": :func:`sim.view.many_runs.many_runs` on the default settings against
   ``no_response``, kernel already loaded, and the PNG of its chart.
3. First Step: ``python -m sim.cli view`` in a fresh process, with an empty ``NUMBA_CACHE_DIR``
   (a fresh install: the server compiles before serving) and again with the cache that run left
   (warm). Timed: until the server answers HTTP, until the page in Chromium shows "Week 0 of", and
   from then until the week counter moves after a click on Step.
4. Clients at once: ``--clients`` pages (one Chromium, a browser context each) on one warm
   server, each clicking Step ``--clicks`` times, all at the same time; the time from each click
   to its counter moving.

Medians and 90th percentiles; the machine is shared, so a single slow value may be a pause of it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import sim  # before Numba: it configures Numba's cache folder

# isort: split
import numpy as np

from sim.view import charts
from sim.view.many_runs import RUNS, many_runs, spread_chart
from sim.view.session import Settings, start

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling module, however this file is run
from measure import fmt_time, machine_info, progress, publish

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu"]
START_SECONDS = 600
"""How long a server may take to answer (a cold start compiles the simulation first)."""
WAIT_MS = 120_000
"""How long the browser waits for the page or for a Step (30 clients on 2 cores are slow)."""
WEEK_JS = "parseInt(document.querySelector('.r2p-week').innerText.split(' ')[1])"
"""The week on the page's counter ("Week 7 of 104"), in the page's JavaScript."""
FIRST_STEP_TARGET = "<= 1 s"
LONG = "syria_2011"


@dataclass(frozen=True)
class Config:
    """Sizes of one benchmark run."""

    runs: int = 10
    """Whole runs of the default settings stepped (seeds 1, 2, ...)."""
    long_runs: int = 2
    """Whole runs of ``syria_2011`` stepped."""
    repeats: int = 5
    """Repeats of "run 200 times" and of its chart."""
    cold: bool = True
    """Also start a server on an empty Numba cache."""
    clients: int = 30
    clicks: int = 10


QUICK = Config(runs=1, long_runs=1, repeats=2, cold=False, clients=3, clicks=3)
"""Sizes of ``--quick``."""


@dataclass(frozen=True)
class Row:
    """One row of the table: what was measured, its median and 90th percentile, the target."""

    label: str
    median: str
    p90: str = ""
    target: str = ""


def _row(label: str, seconds: Sequence[float], target: str = "") -> Row:
    values = np.asarray(seconds, dtype=float)
    return Row(label, fmt_time(float(np.median(values))), fmt_time(float(np.quantile(values, 0.9))), target)


# --------------------------------------------------------------------------- 1. and 2.: in this process


def step_times(settings: Settings, runs: int) -> dict[str, np.ndarray]:
    """Seconds per press of Step over ``runs`` whole runs of ``settings`` (seeds 1, 2, ...): the step
    with its narrative and event log and the log's lines (``"step"``), and the redraw (``"frame"``)."""
    times: dict[str, list[float]] = {"step": [], "frame": []}
    for seed in range(1, runs + 1):
        run = start(settings.replace(seed=str(seed)))
        positions = charts.layout(run)  # once per scenario, when the page loads it
        while not run.finished:
            begin = time.perf_counter()
            run.step()
            run.log.shown()
            stepped = time.perf_counter()
            charts.frame(run, positions)
            times["step"].append(stepped - begin)
            times["frame"].append(time.perf_counter() - stepped)
    return {key: np.array(value) for key, value in times.items()}


def step_rows(cfg: Config) -> list[Row]:
    """Rows of 1.: step, redraw and both, on the default settings and on ``syria_2011``."""
    rows = []
    for settings, runs in ((Settings(), cfg.runs), (Settings(scenario=LONG), cfg.long_runs)):
        if not runs:
            continue
        where = f"{settings.scenario} / {settings.strategy}"
        progress(f"Step, server side: {runs} whole runs of {where}")
        step_times(settings.replace(seed="0"), 1)  # warm-up: imports, compilation
        t = step_times(settings, runs)
        n = f"{len(t['step'])} steps"
        rows += [
            _row(f"Step, server side, {where} ({n}): `Run.step` with narrative and event log", t["step"]),
            _row(f"Step, server side, {where}: `charts.frame` (map and charts redrawn)", t["frame"]),
            _row(f"**Step, server side, {where}: both**", t["step"] + t["frame"], "<= 100 ms"),
        ]
    return rows


def many_runs_rows(cfg: Config) -> list[Row]:
    """Rows of 2.: "run 200 times" with the kernel loaded, and its PNG chart."""
    progress(f'"run {RUNS} times": warm-up, then {cfg.repeats} repeats')
    spread = many_runs(Settings(), "no_response")  # loads the kernel
    runs, chart = [], []
    for _ in range(cfg.repeats):
        begin = time.perf_counter()
        spread = many_runs(Settings(), "no_response")
        middle = time.perf_counter()
        charts.png(spread_chart(spread))
        runs.append(middle - begin)
        chart.append(time.perf_counter() - middle)
    label = f'"run {RUNS} times", default settings vs no_response ({cfg.repeats} repeats)'
    return [
        _row(f"{label}: `many_runs`", runs),
        _row(f"{label}: PNG chart (`charts.png(spread_chart(...))`)", chart),
        _row(f"**{label}: both**", np.add(runs, chart)),
    ]


# --------------------------------------------------------------------------- 3. and 4.: server and browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def view_server(cache: Path | None, log: Path) -> Iterator[tuple[str, float, int]]:
    """``r2p view`` in a fresh process with ``NUMBA_CACHE_DIR=cache`` (``None``: this process's
    cache): its URL, the seconds until it answered HTTP and its process id. Its process group is
    killed on leaving."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if cache is not None:
        env["NUMBA_CACHE_DIR"] = str(cache)
    command = [sys.executable, "-m", "sim.cli", "view", "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}/"
    begin = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
    try:
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.perf_counter() - begin > START_SECONDS:
                    raise RuntimeError(f"the view server did not start:\n{log.read_text()[-3000:]}") from None
                time.sleep(0.1)
        yield url, time.perf_counter() - begin, process.pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid`` (all its threads) so far, from ``/proc``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _open(browser, url: str):
    """A page in a new browser context, loaded until it shows week 0; the page and the seconds that took."""
    page = await (await browser.new_context(viewport={"width": 1366, "height": 768})).new_page()
    page.set_default_timeout(WAIT_MS)
    begin = time.perf_counter()
    await page.goto(url)
    await page.get_by_text("Week 0 of").wait_for()
    return page, time.perf_counter() - begin


async def _step(page) -> float:
    """Seconds from a click on Step to the week counter moving (NaN if it did not within ``WAIT_MS``)."""
    from playwright.async_api import TimeoutError as Timeout

    week = await page.evaluate(WEEK_JS)
    begin = time.perf_counter()
    try:
        await page.get_by_role("button", name="Step", exact=True).click()
        await page.wait_for_function(f"([w]) => {WEEK_JS} > w", arg=[week], polling=10)
    except Timeout:
        return math.nan
    return time.perf_counter() - begin


async def _browse(url: str, pid: int, clients: int, clicks: int) -> tuple[float, float, list[float], float, float]:
    """On the server at ``url`` (process ``pid``): page load and first Step of one page; then
    ``clients`` pages clicking Step ``clicks`` times each, at once. The load, the first Step, every
    click's latency, and the wall time and the server's CPU time of all the clicks."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page, load = await _open(browser, url)
        first = await _step(page)
        await page.context.close()
        if not clients:
            await browser.close()
            return load, first, [], 0.0, 0.0
        pages = [(await _open(browser, url))[0] for _ in range(clients)]  # one after another: not timed

        async def click(tab) -> list[float]:
            return [await _step(tab) for _ in range(clicks)]

        begin, cpu = time.perf_counter(), cpu_seconds(pid)
        latencies = await asyncio.gather(*(click(p) for p in pages))
        wall, cpu = time.perf_counter() - begin, cpu_seconds(pid) - cpu
        await browser.close()
    return load, first, [t for one in latencies for t in one], wall, cpu


def server_rows(cfg: Config) -> list[Row]:
    """Rows of 3. (cold cache if asked, then warm) and 4. (on the warm server).

    The cold start gets an empty temporary cache and the warm one the cache it left; without the
    cold start the server uses this process's cache, which 1. and 2. have just filled."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="r2p-bench-view-") as folder:
        cache = Path(folder) / "numba"
        for kind in ("cold", "warm") if cfg.cold else ("warm",):
            clients = cfg.clients if kind == "warm" else 0
            progress(f"{kind} cache: r2p view in a fresh process, first Step in Chromium"
                     + (f", then {clients} clients x {cfg.clicks} Steps" if clients else ""))  # fmt: skip
            with view_server(cache if cfg.cold else None, Path(folder) / f"{kind}.log") as (url, ready, pid):
                load, first, latencies, wall, cpu = asyncio.run(_browse(url, pid, clients, cfg.clicks))
            what = "empty Numba cache (fresh install)" if kind == "cold" else "warm Numba cache"
            rows += [
                Row(f"{what}: `r2p view` started until it answers HTTP (compiles or loads first)", fmt_time(ready)),
                Row(f"{what}: page load in Chromium until it shows week 0", fmt_time(load)),
                Row(f"**{what}: first Step, click to week counter moving**", fmt_time(first), "", FIRST_STEP_TARGET),
            ]
            if latencies:
                label = f"{clients} clients at once, {cfg.clicks} Steps each, one server"
                moved = [t for t in latencies if not math.isnan(t)]
                late = (
                    f", {len(latencies) - len(moved)} not within {WAIT_MS // 1000} s"
                    if len(moved) < len(latencies)
                    else ""
                )
                rows += [
                    _row(
                        f"**{label}: click to week counter moving ({len(latencies)} clicks{late})**",
                        moved or [math.nan],
                    ),
                    Row(f"{label}: wall time of all clicks ({len(latencies) / wall:.1f} Steps/s)", fmt_time(wall)),
                    Row(
                        f"{label}: server's CPU time per Step (the server's share of the 2 cores: "
                        f"{cpu / wall:.0%} of one core)",
                        fmt_time(cpu / len(latencies)),
                    ),
                ]
    return rows


# --------------------------------------------------------------------------- report


def markdown(rows: Sequence[Row], machine: dict[str, str], command: str) -> str:
    """The report: command, machine and the table."""
    lines = [f"Command: `{command}`", "", *(f"- **{key}**: {value}" for key, value in machine.items()), ""]
    lines += ["| classroom page | median | 90th percentile | target |", "|---|---|---|---|"]
    lines += [f"| {r.label} | {r.median} | {r.p90} | {r.target} |" for r in rows]
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None = None) -> tuple[Config, Path | None, bool]:
    """The run's sizes, the optional output file and whether to measure the server and browser."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run per scenario, warm cache only, 3 clients")
    parser.add_argument("--runs", type=int, help="whole runs of the default settings stepped")
    parser.add_argument("--long-runs", type=int, help=f"whole runs of {LONG} stepped (0: skip)")
    parser.add_argument("--repeats", type=int, help='repeats of "run 200 times"')
    parser.add_argument("--clients", type=int, help="browser pages stepping at once (0: skip)")
    parser.add_argument("--clicks", type=int, help="Steps per client")
    parser.add_argument("--no-cold", action="store_true", help="skip the start on an empty Numba cache")
    parser.add_argument("--no-browser", action="store_true", help="measure only 1. and 2. (no server, no Chromium)")
    parser.add_argument("--out", type=Path, help="also write the markdown report to this file")
    args = parser.parse_args(argv)
    cfg = QUICK if args.quick else Config()
    changes = {
        k: v for k in ("runs", "long_runs", "repeats", "clients", "clicks") if (v := getattr(args, k)) is not None
    }
    if args.no_cold:
        changes["cold"] = False
    cfg = replace(cfg, **changes)
    if cfg.runs < 1 or cfg.repeats < 1 or cfg.clicks < 1:
        parser.error("--runs, --repeats and --clicks must be at least 1")
    return cfg, args.out, not args.no_browser


def main(argv: Sequence[str] | None = None) -> list[Row]:
    """Measure, print the report (and write it to ``--out``); the rows."""
    cfg, out, browser = parse_args(argv)
    args = sys.argv[1:] if argv is None else list(argv)
    rows = step_rows(cfg) + many_runs_rows(cfg) + (server_rows(cfg) if browser else [])
    machine = machine_info()
    machine["versions"] += f", sim {sim.__version__}"
    machine["load average"] = ", ".join(f"{x:.1f}" for x in os.getloadavg()) + " (1, 5, 15 min, at the end)"
    text = markdown(rows, machine, " ".join(["python benchmarks/view.py", *args]))
    publish(text, out)
    return rows


if __name__ == "__main__":
    main()
