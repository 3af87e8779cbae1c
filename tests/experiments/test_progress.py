"""Progress lines: whole lines at a bounded rate in a log, a rate and time left that leave out the first chunk."""

from __future__ import annotations

import io

from sim.experiments.progress import LOG_INTERVAL, Progress, duration, step


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_log_gets_one_whole_line_per_interval_and_the_last_one() -> None:
    log, clock = io.StringIO(), Clock()
    meter = Progress(100, "sweep", stream=log, clock=clock)
    for _ in range(100):  # one unit a second
        clock.now += 1.0
        meter.update(1)
    meter.close()
    text = log.getvalue()
    lines = text.splitlines()
    assert "\r" not in text and text.endswith("\n")
    assert len(lines) == 100 // LOG_INTERVAL + 1  # at 1 s, 11 s, ..., 91 s, and at the end
    assert lines[-1].startswith("sweep: 100% 100/100 rep")


def test_close_does_not_repeat_a_log_line_already_written() -> None:
    log, clock = io.StringIO(), Clock()
    meter = Progress(10, "sweep", stream=log, clock=clock)
    meter.update(10)
    meter.close()
    assert log.getvalue().count("\n") == 1


def test_rate_and_time_left_leave_out_the_first_chunk() -> None:
    log, clock = io.StringIO(), Clock()
    meter = Progress(4000, "sweep", stream=log, clock=clock)
    clock.now = 300.0  # the first chunk compiles the kernel
    meter.update(1000)
    assert meter.rate(clock.now) is None
    clock.now = 310.0  # then 1000 reps in 10 s
    meter.update(1000)
    assert meter.rate(clock.now) == 100.0
    assert meter.line(clock.now) == "sweep: 50% 2,000/4,000 rep, 100 rep/s, 0:20 left, 5:10 elapsed"


def test_terminal_redraws_one_line_in_place() -> None:
    screen, clock = Terminal(), Clock()
    meter = Progress(2, "run", stream=screen, clock=clock)
    for _ in range(2):
        clock.now += 1.0
        meter.update(1)
    meter.close()
    text = screen.getvalue()
    assert text.count("\r") == 3 and text.count("\n") == 1 and text.endswith("\n")


def test_disabled_progress_writes_nothing() -> None:
    log = io.StringIO()
    meter = Progress(5, "sweep", stream=log, enabled=False)
    meter.update(5)
    meter.close()
    assert log.getvalue() == ""


def test_step_says_what_it_does_and_how_long_it_took() -> None:
    log, clock = io.StringIO(), Clock()
    with step("compiling the simulation kernel (first run only)", stream=log, clock=clock):
        clock.now = 75.0
    assert log.getvalue().splitlines() == [
        "compiling the simulation kernel (first run only) ...",
        "compiling the simulation kernel (first run only): done in 1:15",
    ]


def test_duration_is_minutes_or_hours() -> None:
    assert [duration(s) for s in (5, 75, 3725)] == ["0:05", "1:15", "1:02:05"]
