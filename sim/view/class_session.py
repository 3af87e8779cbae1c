"""Students on the Security Council: a class session hands the Council's votes to students'
browsers (a participatory simulation, in the manner of NetLogo's HubNet).

The teacher opens a session and gets a short class code; students open the page with
``?join=CODE`` and take a seat: one of the five permanent members, one of two blocs of five
elected members, or the host governments. When the teacher's run reaches a draft resolution,
:meth:`ClassSession.ballots` (the model's ``ballots`` decision,
:meth:`sim.engines.mesa_model.R2PModel.hand_over`) waits for the students' votes, shown the
model's own vote and the public pressure; a seat nobody took, a student who has not voted when
the teacher closes the vote or when :data:`VOTE_SECONDS` have passed, votes by the model's rule.
A "no" from a permanent member is a veto. Likewise an offer of help waits for the student
answering for the host governments (:meth:`ClassSession.consent`, the model's ``consent``
decision). Every vote and answer is kept with what the model would have done, for the debrief.

Sessions live in this server process only (nothing is written); a code names one session and is
checked against the open ones only.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from sim.concepts import INSTRUMENTS, N_P5, P5, Vote
from sim.config import InputError
from sim.engines.agents import SecurityCouncil, StateAgent
from sim.engines.mesa_model import R2PModel
from sim.rules.response import tally
from sim.view.narrative import SUBJECT

SEATS = {**{member: (n,) for n, member in enumerate(P5)},
         "Elected members, first bloc": tuple(range(N_P5, N_P5 + 5)),
         "Elected members, second bloc": tuple(range(N_P5 + 5, N_P5 + 10))}  # fmt: skip
"""The Council seats students can take, and the Council seats (0-14) each one votes for."""

GOVERNMENTS = "Host governments"
"""The seat that answers offers of help (Pillar II, consent-based deployments) for every state."""

VOTE_SECONDS = 120.0
"""How long a vote waits for students before the seats not voted fall back to the model's rule."""

CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Letters of a class code (no 0/O or 1/I to misread)."""
CODE_LENGTH = 5
MAX_SESSIONS = 50
"""Most class sessions open at once in one server."""


@dataclass
class Ballot:
    """A question before the class: a draft resolution (``offer`` empty) or an offer of help by
    ``offer`` (the actor), what students see and what they have answered."""

    week: int
    state: str
    subject: str
    pressure: float
    suggested: np.ndarray
    """The model's 15 votes (its rule), or for an offer its answer (1 accept, 0 refuse)."""
    offer: str = ""
    cast: dict[str, Vote] = field(default_factory=dict)
    """Votes students have cast, by seat (for an offer: YES accepts, NO refuses)."""

    def asks(self, seat: str) -> bool:
        """Whether ``seat`` answers this question."""
        return (seat == GOVERNMENTS) == bool(self.offer)

    def advice(self, seat: str) -> Vote:
        """The model's vote for ``seat`` (a bloc: its majority; an offer: accept or refuse)."""
        if self.offer:
            return Vote.YES if self.suggested[0] else Vote.NO
        votes = self.suggested[list(SEATS[seat])]
        return Vote(int(np.bincount(votes, minlength=len(Vote)).argmax()))


@dataclass(frozen=True)
class Answer:
    """An offer of help answered by the student for the host governments."""

    week: int
    state: str
    subject: str
    actor: str
    accepted: bool
    suggested: bool

    def text(self) -> str:
        """One sentence for the debrief."""
        done, rule = ("accepted" if self.accepted else "refused"), ("accepted" if self.suggested else "refused")
        return (
            f"Week {self.week}: the class, for the government of {self.state}, {done} {self.subject} offered by "
            f"{self.actor}; the model's rule would have {rule} it."
        )


@dataclass(frozen=True)
class Decision:
    """A draft the class voted on, with what the model would have voted."""

    week: int
    state: str
    subject: str
    votes: np.ndarray
    suggested: np.ndarray
    by_class: frozenset[str]
    """Seats whose votes came from students."""

    @property
    def adopted(self) -> bool:
        """Whether the class's votes adopt the draft (nine yes, no veto)."""
        return bool(tally(self.votes)[0])

    @property
    def model_adopted(self) -> bool:
        """Whether the model's votes would have adopted it."""
        return bool(tally(self.suggested)[0])

    def text(self) -> str:
        """One sentence for the debrief."""
        vetoes = [P5[n] for n in range(N_P5) if self.votes[n] == Vote.NO]
        if self.adopted:
            result = "adopted"
        else:
            result = f"not adopted ({' and '.join(vetoes)} voting no: a veto)" if vetoes else "not adopted"
        model = "adopted" if self.model_adopted else "not adopted"
        return (
            f"Week {self.week}: the draft on {self.subject} for {self.state} was {result} by the class "
            f"({', '.join(sorted(self.by_class))} voting); the model's own votes would have left it {model}."
        )


class ClassSession:
    """One class: its code, who sits where, the draft under vote and the votes taken so far."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.seats: dict[str, str] = {}
        """Seat -> the student's name."""
        self.ballot: Ballot | None = None
        self.decisions: list[Decision | Answer] = []
        self.version = 0
        """Counts changes, so pages polling the session redraw only when something changed."""
        self.ended = False
        self._changed = threading.Condition()
        self._closing = False

    def _touch(self) -> None:
        self.version += 1
        self._changed.notify_all()

    def join(self, seat: str, name: str) -> None:
        """Seat a student (one-line :class:`InputError` if the seat is unknown or taken)."""
        with self._changed:
            if seat not in (*SEATS, GOVERNMENTS):
                raise InputError("page", "seat", f"{seat!r} is not a seat", ", ".join((*SEATS, GOVERNMENTS)))
            if seat in self.seats:
                raise InputError("page", "seat", f"{seat} is taken by {self.seats[seat]}", ", ".join(self.free()))
            self.seats[seat] = name.strip()[:40] or "a student"
            self._touch()

    def leave(self, seat: str) -> None:
        """Free a seat (its vote falls back to the model's rule)."""
        with self._changed:
            self.seats.pop(seat, None)
            self._touch()

    def free(self) -> list[str]:
        """Seats nobody has taken."""
        return [seat for seat in (*SEATS, GOVERNMENTS) if seat not in self.seats]

    def cast(self, seat: str, vote: Vote) -> None:
        """Record the vote of ``seat`` on the draft under vote (ignored if no draft is)."""
        with self._changed:
            if self.ballot is not None and seat in self.seats and self.ballot.asks(seat):
                self.ballot.cast[seat] = Vote(vote)
                self._touch()

    def close_vote(self) -> None:
        """End the vote now: seats that have not voted vote by the model's rule."""
        with self._changed:
            self._closing = True
            self._touch()

    def end(self) -> None:
        """Close the session: a vote waiting returns, and every later vote is the model's."""
        with self._changed:
            self.ended = True
            self._touch()
        with _REGISTRY_LOCK:
            _SESSIONS.pop(self.code, None)

    def take_over(self, model: R2PModel) -> None:
        """Hand ``model``'s Council votes and host consent to this session."""
        model.hand_over("ballots", self.ballots)
        model.hand_over("consent", self.consent)

    def _ask(self, ballot: Ballot) -> Ballot:
        """Put ``ballot`` to the seated students who answer it and wait until all have, the teacher
        closes it, the session ends or :data:`VOTE_SECONDS` pass (call with the lock held)."""
        self.ballot, self._closing = ballot, False
        self._touch()
        asked = {seat for seat in self.seats if ballot.asks(seat)}
        deadline = time.monotonic() + VOTE_SECONDS
        while not (self._closing or self.ended or asked <= set(ballot.cast)):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self._changed.wait(min(left, 0.5))
        self.ballot = None
        return ballot

    def ballots(self, council: SecurityCouncil, state: int, instrument: int) -> np.ndarray:
        """The ``ballots`` decision: wait for the seated students' votes on the draft, then return
        the 15 votes (seats not voted: the model's rule)."""
        suggested = council.rule_ballots(state, instrument)
        m = council.model
        with self._changed:
            if not set(self.seats) & set(SEATS) or self.ended:
                return suggested
            ballot = self._ask(Ballot(m.week + 1, m.states[state].name, _subject(instrument),
                                      float(m.world["pressure"][state]), suggested))  # fmt: skip
            votes = suggested.copy()
            for seat, vote in ballot.cast.items():
                votes[list(SEATS[seat])] = int(vote)
            self.decisions.append(
                Decision(ballot.week, ballot.state, ballot.subject, votes, suggested, frozenset(ballot.cast))
            )
            self._touch()
            return votes

    def consent(self, agent: StateAgent, instrument: int) -> bool:
        """The ``consent`` decision: wait for the answer of the student seated for the host
        governments (none, or no answer: the model's rule)."""
        suggested = agent.rule_consents(instrument)
        m = agent.model
        with self._changed:
            if GOVERNMENTS not in self.seats or self.ended:
                return suggested
            actor = m.responsible(agent.index, INSTRUMENTS[instrument].actor).name
            pressure = float(m.world["pressure"][agent.index])
            question = Ballot(m.week + 1, agent.name, _subject(instrument), pressure, np.array([int(suggested)]), actor)
            ballot = self._ask(question)
            answer = ballot.cast.get(GOVERNMENTS)
            accepted = suggested if answer is None else answer == Vote.YES
            if answer is not None:
                self.decisions.append(Answer(ballot.week, ballot.state, ballot.subject, actor, accepted, suggested))
            self._touch()
            return accepted


def _subject(instrument: int) -> str:
    """The page's noun phrase for an instrument."""
    name = INSTRUMENTS[instrument].name
    return SUBJECT.get(name, name.replace("_", " "))


_SESSIONS: dict[str, ClassSession] = {}
_REGISTRY_LOCK = threading.Lock()


def open_session() -> ClassSession:
    """A new class session with a fresh code (one-line :class:`InputError` if too many are open)."""
    with _REGISTRY_LOCK:
        if len(_SESSIONS) >= MAX_SESSIONS:
            raise InputError("page", "class session", f"{MAX_SESSIONS} sessions are open", "end one first")
        while (code := "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))) in _SESSIONS:
            pass
        _SESSIONS[code] = session = ClassSession(code)
        return session


def find(code: str) -> ClassSession:
    """The open session with ``code`` (case and spaces ignored), or a one-line :class:`InputError`."""
    cleaned = str(code).strip().upper().replace(" ", "")
    with _REGISTRY_LOCK:
        session = _SESSIONS.get(cleaned)
    if session is None:
        raise InputError(
            "page", "class code", f"{code!r} is not an open class session", "the code on the teacher's screen"
        )
    return session
