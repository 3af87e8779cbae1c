"""Lessons: each recorded seed shows its lesson's point, on a typical draw where the lesson needs one."""

from __future__ import annotations

import json
import shutil

import pytest

from sim.experiments.runner import code_digest
from sim.view import lesson_seeds
from sim.view.debrief import MOST_TOLD, debrief
from sim.view.lessons import BY_KEY, LESSONS, SEEDS_FILE, play, recorded_seeds
from sim.view.many_runs import many_runs
from sim.view.session import Settings, build_inputs

RERUN = "run `python -m sim.view.lesson_seeds` after a model change"


@pytest.fixture(scope="module")
def played():
    """Runs A and B and the 200 runs of every lesson with its recorded seed."""
    return {lesson.key: (play(lesson, lesson.seed), many_runs(*lesson.settings(lesson.seed))) for lesson in LESSONS}


def test_every_lesson_has_a_recorded_seed():
    assert set(recorded_seeds()) == set(BY_KEY)
    assert "code" in json.loads(SEEDS_FILE.read_text())


@pytest.mark.parametrize("key", list(BY_KEY))
def test_the_recorded_seed_shows_the_point(played, key):
    lesson, (runs, spread) = BY_KEY[key], played[key]
    assert lesson.shows(runs.a, runs.b), f"lesson {key}, seed {lesson.seed} no longer shows its point: {RERUN}"
    if lesson.typical:
        assert spread.typical, f"lesson {key}, seed {lesson.seed} is no longer a typical draw: {RERUN}"


@pytest.mark.parametrize("key", list(BY_KEY))
def test_every_pause_happens_in_the_lesson(played, key):
    kinds = {e.kind for e in played[key][0].a.events}
    assert {p.kind for p in BY_KEY[key].pauses} <= kinds


def test_lesson_settings_are_valid_page_settings():
    for lesson in LESSONS:
        a, b = lesson.settings(lesson.seed)
        for settings in (a, b):
            assert isinstance(settings, Settings)
            build_inputs(settings)  # raises on a bad name
        assert a.seed == b.seed == str(lesson.seed)


def test_the_seed_search_finds_the_lowest_seed_and_keeps_the_others(tmp_path, monkeypatch):
    copy = tmp_path / "lesson_seeds.json"
    shutil.copy(SEEDS_FILE, copy)
    monkeypatch.setattr(lesson_seeds, "SEEDS_FILE", copy)
    before = json.loads(copy.read_text())["lessons"]
    assert lesson_seeds.main(["--only", "rwanda", "--last", str(BY_KEY["rwanda"].seed)]) == 0
    after = json.loads(copy.read_text())
    assert after["lessons"] == before and after["code"] == code_digest()
    assert lesson_seeds.main(["--only", "rwanda", "--last", str(BY_KEY["rwanda"].seed - 1)]) == 1, "the lowest seed"


def test_a_lesson_with_no_seed_in_range_writes_nothing(tmp_path, monkeypatch, capsys):
    copy = tmp_path / "lesson_seeds.json"
    shutil.copy(SEEDS_FILE, copy)
    monkeypatch.setattr(lesson_seeds, "SEEDS_FILE", copy)
    text = copy.read_text()
    lesson = BY_KEY["veto"]  # its lowest seed is well above 1
    assert lesson.seed > 1 and lesson_seeds.first_seed(lesson, 1) is None
    assert lesson_seeds.main(["--only", "veto", "--last", "1"]) == 1
    assert copy.read_text() == text
    assert "lesson veto: no seed from 1 to 1 shows its point" in capsys.readouterr().err


def test_the_debrief_tells_what_happened_and_what_b_changed(played):
    lesson = BY_KEY["veto"]
    runs, spread = played["veto"]
    told = debrief(lesson, runs, spread)
    assert any("veto" in line for line in told.happened), "the lesson's moments are retold first"
    assert len(told.happened) <= MOST_TOLD + 1
    rows = {row[0]: row[1:] for row in told.rows}
    assert rows["deaths"] == (f"{runs.a.deaths[-1]:,.0f}", f"{runs.b.deaths[-1]:,.0f}")
    assert rows[""] == ("A: three_pillar_flexible", "B: three_pillar_flexible with veto restraint")
    assert "with veto restraint) ends with" in told.changed
    assert f"run 0 of {spread.reps}" in told.spread
    assert ("Its difference is a typical one" in told.spread) == spread.typical
    text = told.markdown()
    for heading in ("## What happened (A)", "## A and B on the same shocks", "## Among 200 runs",
                    "## What the model leaves out"):  # fmt: skip
        assert heading in text
    assert "not what will happen anywhere" in told.leaves_out
