"""Students on the Security Council: a class session hands the Council's votes to students'
browsers (a participatory simulation, in the manner of NetLogo's HubNet).

The teacher opens a session and gets a short class code; students open the page with
``?join=CODE`` and take a seat: one of the five permanent members, or one of two blocs of five
elected members. When the teacher's run reaches a draft resolution, :meth:`ClassSession.ballots`
(the model's ``ballots`` decision, :meth:`sim.engines.mesa_model.R2PModel.hand_over`) waits for the
students' votes, shown the model's own vote and the public pressure; a seat nobody took, a student
who has not voted when the teacher closes the vote or when :data:`VOTE_SECONDS` have passed, votes
by the model's rule. A "no" from a permanent member is a veto. Every vote is kept with what the
model would have voted, for the debrief.

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
from sim.engines.agents import SecurityCouncil
from sim.rules.response import tally
from sim.view.narrative import SUBJECT

SEATS = {**{member: (n,) for n, member in enumerate(P5)},
         "Elected members, first bloc": tuple(range(N_P5, N_P5 + 5)),
         "Elected members, second bloc": tuple(range(N_P5 + 5, N_P5 + 10))}  # fmt: skip
"""The seats students can take, and the Council seats (0-14) each one votes for."""

VOTE_SECONDS = 120.0
"""How long a vote waits for students before the seats not voted fall back to the model's rule."""

CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Letters of a class code (no 0/O or 1/I to misread)."""
CODE_LENGTH = 5
MAX_SESSIONS = 50
"""Most class sessions open at once in one server."""


@dataclass
class Ballot:
    """A draft resolution before the class: what students see and what they have voted."""

    week: int
    state: str
    subject: str
    pressure: float
    suggested: np.ndarray
    """The model's 15 votes (its rule)."""
    cast: dict[str, Vote] = field(default_factory=dict)
    """Votes students have cast, by seat."""

    def advice(self, seat: str) -> Vote:
        """The model's vote for ``seat`` (a bloc: its majority)."""
        votes = self.suggested[list(SEATS[seat])]
        return Vote(int(np.bincount(votes, minlength=len(Vote)).argmax()))


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
        self.decisions: list[Decision] = []
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
            if seat not in SEATS:
                raise InputError("page", "seat", f"{seat!r} is not a seat", ", ".join(SEATS))
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
        return [seat for seat in SEATS if seat not in self.seats]

    def cast(self, seat: str, vote: Vote) -> None:
        """Record the vote of ``seat`` on the draft under vote (ignored if no draft is)."""
        with self._changed:
            if self.ballot is not None and seat in self.seats:
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

    def ballots(self, council: SecurityCouncil, state: int, instrument: int) -> np.ndarray:
        """The ``ballots`` decision: wait for the seated students' votes on the draft, then return
        the 15 votes (seats not voted: the model's rule)."""
        suggested = council.rule_ballots(state, instrument)
        m = council.model
        with self._changed:
            if not self.seats or self.ended:
                return suggested
            name = INSTRUMENTS[instrument].name
            self.ballot = Ballot(m.week + 1, m.states[state].name, SUBJECT.get(name, name.replace("_", " ")),
                                 float(m.world["pressure"][state]), suggested)  # fmt: skip
            self._closing = False
            self._touch()
            deadline = time.monotonic() + VOTE_SECONDS
            while not (self._closing or self.ended or set(self.seats) <= set(self.ballot.cast)):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(min(left, 0.5))
            votes = suggested.copy()
            for seat, vote in self.ballot.cast.items():
                votes[list(SEATS[seat])] = int(vote)
            ballot, self.ballot = self.ballot, None
            self.decisions.append(
                Decision(ballot.week, ballot.state, ballot.subject, votes, suggested, frozenset(ballot.cast))
            )
            self._touch()
            return votes


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
