"""The event log: sentences from the change in the world record, without a browser."""

from __future__ import annotations

import pytest

from sim.concepts import INSTRUMENT_NAMES, INSTRUMENTS, Crime, Phase, Status
from sim.state import new_world
from sim.view.narrative import ACTION, SUBJECT, narrate, snapshot
from sim.view.session import Settings, start

STATES = ["Northland", "Southland"]
CRIMES = [Crime.GENOCIDE, Crime.WAR_CRIMES]
ACTORS = [["Lake Basin Community"] * len(INSTRUMENT_NAMES)] * 2


def _k(name: str) -> int:
    return INSTRUMENT_NAMES.index(name)


@pytest.fixture
def world():
    w = new_world(2)
    w["warned_week"] = -1
    return w


def _texts(before, world, week=14):
    return [e.text for e in narrate(before, snapshot(world), week, STATES, CRIMES, ACTORS)]


def test_no_change_says_nothing(world):
    assert _texts(snapshot(world), world) == []


def test_phase_changes_are_plain_sentences(world):
    before = snapshot(world)
    world["phase"][0] = Phase.ATROCITY
    world["phase"][1] = Phase.TENSION
    assert _texts(before, world) == [
        "Week 14: Mass atrocity crimes (genocide) begin in Northland.",
        "Week 14: Tensions rise in Southland.",
    ]


def test_first_warning(world):
    before = snapshot(world)
    world["warned_week"][1] = 13
    assert _texts(before, world) == [
        "Week 14: The Secretary-General's Joint Office issues an early warning on Southland."
    ]


def test_mediator_sent(world):
    world["status"][0, _k("mediation")] = Status.PENDING
    before = snapshot(world)
    world["status"][0, _k("mediation")] = Status.ACTIVE
    assert _texts(before, world) == ["Week 14: Lake Basin Community sends a mediator to Northland."]


def test_draft_tabled_then_vetoed(world):
    before = snapshot(world)
    world["status"][1, _k("arms_embargo")] = Status.PENDING
    assert _texts(before, world) == [
        "Week 14: A draft resolution on an arms embargo for Southland is put before the Security Council."
    ]
    before = snapshot(world)
    world["status"][1, _k("arms_embargo")] = Status.BLOCKED
    world["vetoes"][1] = 1
    assert _texts(before, world, 22) == [
        "Week 22: A permanent member vetoes the draft resolution on an arms embargo for Southland."
    ]


def test_failed_vote_and_refused_consent(world):
    world["status"][0, _k("targeted_sanctions")] = Status.PENDING
    world["status"][0, _k("preventive_deployment")] = Status.PENDING
    before = snapshot(world)
    world["status"][0, _k("targeted_sanctions")] = Status.BLOCKED
    world["status"][0, _k("preventive_deployment")] = Status.BLOCKED
    texts = _texts(before, world)
    assert "fails to gain nine votes" in texts[1]
    assert (
        texts[0]
        == "Week 14: The government of Northland declines the preventive deployment offered by Lake Basin Community."
    )


def test_uniting_for_peace(world):
    world["status"][0, _k("council_statement")] = Status.PENDING
    before = snapshot(world)
    world["status"][0, _k("council_statement")] = Status.ASSEMBLY_PENDING
    world["vetoes"][0] = 1
    world["assembly"][0] = 1
    assert "goes to the General Assembly under Uniting for Peace" in _texts(before, world)[0]
    before = snapshot(world)
    world["status"][0, _k("council_statement")] = Status.ACTIVE
    assert _texts(before, world) == [
        "Week 14: The General Assembly recommends a Council statement for Northland under Uniting for Peace."
    ]


def test_measures_ending_are_one_line(world):
    world["status"][0, [_k("mediation"), _k("capacity_building")]] = Status.ACTIVE
    before = snapshot(world)
    world["status"][0, [_k("mediation"), _k("capacity_building")]] = Status.IDLE
    assert _texts(before, world) == [
        "Week 14: With Northland stable again, these measures end: mediation, capacity-building assistance."
    ]


def test_the_wording_names_only_catalogue_instruments():
    assert set(ACTION) <= set(INSTRUMENT_NAMES) and set(SUBJECT) <= set(INSTRUMENT_NAMES)


def _life_cycle(world, k: int) -> list[tuple[str, str]]:
    """(kind, text) of each event as instrument ``k`` for Southland goes through every step it can take."""
    ins = INSTRUMENTS[k]
    steps = [(Status.IDLE, Status.PENDING), (Status.PENDING, Status.ACTIVE), (Status.ACTIVE, Status.IDLE)]
    steps.append((Status.PENDING, Status.BLOCKED))
    if ins.council:
        steps.append((Status.PENDING, Status.ASSEMBLY_PENDING))
        steps.append((Status.ASSEMBLY_PENDING, Status.ACTIVE))
    said = []
    for old, new in steps:
        world["status"][1, k] = old
        before = snapshot(world)
        world["status"][1, k] = new
        events = narrate(before, snapshot(world), 14, STATES, CRIMES, ACTORS)
        assert len(events) == 1, (old, new, events)
        said.append((events[0].kind, events[0].text))
    return said


@pytest.mark.parametrize("name", INSTRUMENT_NAMES)
def test_every_catalogue_instrument_is_told_at_every_step(world, name):
    said = _life_cycle(world, _k(name))
    kinds = [kind for kind, _ in said]
    ins = INSTRUMENTS[_k(name)]
    blocked = "failed" if ins.council else "refused"
    assert kinds[:4] == ["proposed", "active", "ended", blocked] and kinds[4:] == (["veto", "assembly"] * ins.council)
    for _, text in said:
        assert text.startswith("Week 14: ") and text.endswith(".") and "Southland" in text
        assert "{" not in text and "Northland" not in text


def test_an_instrument_the_page_has_no_wording_for_is_told_from_the_catalogue(world, monkeypatch):
    monkeypatch.delitem(ACTION, "arms_embargo")
    monkeypatch.delitem(SUBJECT, "arms_embargo")
    texts = [text for _, text in _life_cycle(world, _k("arms_embargo"))]
    assert texts[0] == "Week 14: A draft resolution on arms embargo for Southland is put before the Security Council."
    assert texts[1] == "Week 14: Arms embargo for Southland takes effect."
    assert texts[2] == "Week 14: With Southland stable again, these measures end: arms embargo."


def test_a_whole_run_narrates_in_week_order():
    run = start(Settings(scenario="fragile_region", strategy="three_pillar_flexible", seed="1"))
    while not run.finished:
        run.step()
    assert run.events, "a two-year run of the classroom region has events"
    weeks = [e.week for e in run.events]
    assert weeks == sorted(weeks) and weeks[0] >= 1 and weeks[-1] <= run.weeks
    assert all(e.text.startswith(f"Week {e.week}: ") and e.text.endswith(".") for e in run.events)
    assert {e.kind for e in run.events} >= {"phase", "proposed", "active"}


def test_a_draft_waiting_for_the_assembly_is_told_once(world):
    world["status"][0, _k("arms_embargo")] = Status.ASSEMBLY_PENDING
    assert _texts(snapshot(world), world) == []


def test_the_council_record_names_the_vetoing_and_threatening_members(world):
    from sim.concepts import Tabling, Vote
    from sim.engines.agents import Draft

    votes = [Vote.YES] * 15
    votes[0] = votes[2] = Vote.NO  # China and Russia
    world["status"][0, [_k("arms_embargo"), _k("targeted_sanctions")]] = Status.PENDING
    before = snapshot(world)
    world["status"][0, [_k("arms_embargo"), _k("targeted_sanctions")]] = Status.BLOCKED
    world["vetoes"][0] = 2
    drafts = [Draft(13, 0, _k("arms_embargo"), votes, False, 2),
              Draft(13, 0, _k("targeted_sanctions"), votes, False, 0, Tabling.WITHDRAWN)]  # fmt: skip
    texts = [e.text for e in narrate(before, snapshot(world), 14, STATES, CRIMES, ACTORS, drafts)]
    assert texts == [
        "Week 14: Under a veto threat from China and Russia, the draft resolution on targeted sanctions for Northland "
        "is withdrawn.",
        "Week 14: China and Russia veto the draft resolution on an arms embargo for Northland.",
    ]
