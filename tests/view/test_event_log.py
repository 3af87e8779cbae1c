"""The page's event log: repeats folded, measures of one week joined, key events first, CSV export."""

from __future__ import annotations

import csv
import io

from sim.view.event_log import EventLog, weeks_text
from sim.view.narrative import Event
from sim.view.session import Settings, start

STATES = ["Northland", "Southland"]


def _e(week: int, kind: str, text: str, state: int = 0, instrument: str = "arms_embargo") -> Event:
    return Event(week, state, kind, f"Week {week}: {text}.", instrument)


def test_weeks_are_told_as_ranges():
    assert weeks_text([3, 4, 5, 9, 11, 12]) == "3-5, 9, 11-12"


def test_a_repeated_veto_is_one_line_until_the_measure_takes_effect():
    log = EventLog()
    for week in (10, 11, 12, 14):
        log.add([_e(week, "veto", "Russia vetoes the draft resolution on an arms embargo for Northland")])
    assert [line.text for line in log.lines] == [
        "Week 10: Russia vetoes the draft resolution on an arms embargo for Northland (again in weeks 11-12, 14)."
    ]
    log.add([_e(15, "assembly", "The General Assembly recommends an arms embargo for Northland")])
    log.add([_e(30, "veto", "Russia vetoes the draft resolution on an arms embargo for Northland")])
    assert len(log) == 3 and not log.lines[-1].again, "a later round starts its own line"


def test_other_states_and_instruments_do_not_fold():
    log = EventLog()
    log.add([_e(10, "refused", "A declines"), _e(10, "refused", "B declines", state=1)])
    log.add([_e(11, "refused", "A declines", instrument="mediation")])
    assert len(log) == 3


def test_measures_of_one_week_and_state_share_a_line():
    log = EventLog()
    log.add([
        _e(8, "active", "Lake Basin Community sends a mediator to Northland", instrument="mediation"),
        _e(8, "active", "The Security Council imposes an arms embargo on Northland"),
        _e(8, "active", "Lake Basin Community sends a mediator to Southland", state=1, instrument="mediation"),
    ])  # fmt: skip
    assert [line.text for line in log.lines] == [
        "Week 8: Lake Basin Community sends a mediator to Northland; the Security Council imposes an arms embargo "
        "on Northland.",
        "Week 8: Lake Basin Community sends a mediator to Southland.",
    ]


def test_key_events_come_without_the_routine_and_newest_first():
    log = EventLog()
    log.add([_e(3, "proposed", "A draft is tabled"), _e(3, "warning", "A warning", instrument="")])
    log.add([_e(5, "onset", "Killing begins", instrument="")])
    assert [line.event.kind for line in log.shown()] == ["onset", "warning"]
    assert [line.event.kind for line in log.shown(everything=True)] == ["onset", "warning", "proposed"]


def test_a_whole_run_is_kept_and_exported_event_by_event():
    run = start(Settings(scenario="fragile_region", strategy="three_pillar_flexible", seed="9"))
    while not run.finished:
        run.step()
    assert len(run.log) < len(run.events), "repeats and same-week measures are folded"
    rows = list(csv.DictReader(io.StringIO(run.log.csv(run.names))))
    folded = sum(len(line.again) for line in run.log.lines)
    assert len(rows) + folded == len(run.events), "every event is exported, repeats as weeks of their line"
    assert [int(r["week"]) for r in rows] == sorted(int(r["week"]) for r in rows)
    vetoes = [e for e in run.events if e.kind == "veto"]
    assert vetoes and all(e.text.split(": ", 1)[1].startswith("United States vetoes") for e in vetoes), (
        "the vetoing member is named from the Council's record"
    )
    assert any(e.kind == "stopped" and "people have been killed there so far" in e.text for e in run.events)
