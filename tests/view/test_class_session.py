"""Students on the Security Council: the class's votes replace the model's in the teacher's run."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import numpy as np
import pytest

from sim.concepts import INSTRUMENTS, Vote
from sim.config import InputError
from sim.view import class_session
from sim.view.class_session import SEATS, ClassSession, find, open_session
from sim.view.lessons import BY_KEY
from sim.view.session import start

VETO = BY_KEY["veto"]
OFFERED = {ins.name for ins in INSTRUMENTS if ins.consent}
"""Instruments that need the host's consent."""


@contextlib.contextmanager
def _seated(seat: str, vote: Vote | None) -> Iterator[ClassSession]:
    """An open session with a student in ``seat`` who casts ``vote`` on every draft as soon as it is
    shown (``None``: never votes); the session ends afterwards."""
    session = open_session()
    session.join(seat, "a student")
    stop = threading.Event()

    def act() -> None:
        seen = None
        while not stop.is_set():
            ballot = session.ballot
            if ballot is not None and ballot is not seen:
                seen = ballot
                session.cast(seat, vote)
            stop.wait(0.005)

    if vote is not None:
        threading.Thread(target=act, daemon=True).start()
    try:
        yield session
    finally:
        stop.set()
        session.end()


def _played(session: ClassSession | None = None, until_a_vote: bool = False):
    """The veto lesson's run A, with ``session`` on the Council, to the horizon (or the first vote)."""
    run = start(VETO.settings(VETO.seed)[0])
    if session is not None:
        session.take_over(run.model)
    while not run.finished and not (until_a_vote and session.decisions):
        run.step()
    return run


def test_a_student_veto_blocks_every_draft():
    with _seated("China", Vote.NO) as session:
        run = _played(session)
    assert session.decisions, "the veto lesson has drafts before the Council"
    assert all(d.votes[0] == Vote.NO and not d.adopted for d in session.decisions)
    assert all(not draft.adopted for draft in run.model.council.record), "no draft passes a Chinese veto"
    assert any(d.model_adopted for d in session.decisions), "the model would have adopted some of them"
    assert any("China" in e.text for e in run.events if e.kind in ("veto", "withdrawn"))
    assert "China voting no: a veto" in session.decisions[0].text()
    assert run.deaths[-1] != _played().deaths[-1], "the class changed the run"


def test_the_model_votes_for_seats_nobody_took_and_for_students_who_do_not_vote(monkeypatch):
    monkeypatch.setattr(class_session, "VOTE_SECONDS", 0.01)
    with _seated("Elected members, first bloc", None) as session:
        run = _played(session)
    assert session.decisions and all(np.array_equal(d.votes, d.suggested) for d in session.decisions)
    assert all(not d.by_class for d in session.decisions)
    assert run.deaths == _played().deaths, "the model's own votes give the model's run"


def test_a_bloc_votes_for_its_five_seats():
    with _seated("Elected members, second bloc", Vote.ABSTAIN) as session:
        _played(session, until_a_vote=True)
    votes = session.decisions[0].votes
    assert (votes[list(SEATS["Elected members, second bloc"])] == Vote.ABSTAIN).all()
    assert np.array_equal(votes[:10], session.decisions[0].suggested[:10])


def test_codes_seats_and_ending():
    session = open_session()
    assert len(session.code) == class_session.CODE_LENGTH and set(session.code) <= set(class_session.CODE_LETTERS)
    assert find(f" {session.code.lower()} ") is session
    session.join("France", "Dee")
    with pytest.raises(InputError, match="France is taken by Dee"):
        session.join("France", "Eve")
    with pytest.raises(InputError, match="'Mars' is not a seat"):
        session.join("Mars", "Eve")
    assert "France" not in session.free()
    session.end()
    with pytest.raises(InputError, match="is not an open class session; allowed: the code on the teacher's screen"):
        find(session.code)


def test_the_host_governments_seat_answers_every_offer_of_help():
    with _seated(class_session.GOVERNMENTS, Vote.NO) as session:
        run = _played(session)
    answers = [d for d in session.decisions if isinstance(d, class_session.Answer)]
    assert answers and not any(a.accepted for a in answers), "every offer refused"
    assert any(a.suggested for a in answers), "the model's governments would have accepted some"
    assert not any(e.kind == "active" and e.instrument in OFFERED for e in run.events), "no consent, no help"
    assert sum(e.kind == "refused" for e in run.events) >= len(answers) - 1
    assert "refused" in answers[0].text() and "offered by" in answers[0].text()
    assert not any(isinstance(d, class_session.Decision) for d in session.decisions), "the Council voted alone"
