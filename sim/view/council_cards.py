"""The page's components for students on the Security Council: the teacher's class panel and the
student's page (``?join=CODE``)."""

from __future__ import annotations

import html
import time
from collections.abc import Callable

import solara
import solara.lab

from sim.concepts import P5, Vote
from sim.config import InputError
from sim.view.class_session import GOVERNMENTS, SEATS, Ballot, ClassSession, find

POLL_SECONDS = 0.3
"""How often a page looks at its class session for votes and seats."""

VOTE_WORDS = {Vote.YES: "Yes", Vote.NO: "No", Vote.ABSTAIN: "Abstain"}


def use_session_updates(session: ClassSession | None, page_open: Callable[[], bool]) -> int:
    """A counter that changes whenever ``session`` does (polled every :data:`POLL_SECONDS` while the
    page is open), so the component calling it redraws."""
    seen = solara.use_reactive(0)

    def watch() -> None:
        while session is not None and not session.ended and page_open():
            if session.version != seen.value:
                seen.set(session.version)
            time.sleep(POLL_SECONDS)

    solara.lab.use_task(watch, dependencies=[session], prefer_threaded=True)
    return seen.value


def ClassPanel(session: ClassSession | None, start: Callable[[], None], end: Callable[[], None]) -> None:
    """The teacher's panel: open a session, its code and seats, the vote under way."""
    with solara.Card("Students on the Security Council", classes=["r2p-class"]):
        if session is None:
            solara.HTML(
                tag="p",
                unsafe_innerHTML="Let students decide from their own browsers: each takes a permanent member's seat, "
                "a bloc of elected members, or the host governments. At each draft resolution (or offer of help) the "
                "run waits for their answers.",
            )
            solara.Button("Open a class session", on_click=start, color="primary")
            return
        solara.HTML(
            tag="p",
            unsafe_innerHTML=f"Class code <b class='r2p-class-code' style='font-size: 1.6em; letter-spacing: 3px'>"
            f"{session.code}</b>. Students open this page's address with <code>?join={session.code}</code> "
            "(the server must be started with <code>r2p view --host</code> for other devices; see the README).",
        )
        rows = "".join(
            f"<tr><td>{html.escape(seat)}</td><td>{html.escape(session.seats.get(seat, 'the model'))}</td></tr>"
            for seat in (*SEATS, GOVERNMENTS)
        )
        solara.HTML(tag="table", unsafe_innerHTML=f"<tr><th>seat</th><th>voted by</th></tr>{rows}",
                    classes=["r2p-class-seats"])  # fmt: skip
        ballot = session.ballot
        if ballot is not None:
            voted = ", ".join(sorted(ballot.cast)) or "nobody yet"
            asked = sum(ballot.asks(seat) for seat in session.seats)
            what = f"Offer by {ballot.offer}" if ballot.offer else "Vote"
            solara.HTML(
                tag="p",
                classes=["r2p-class-vote"],
                unsafe_innerHTML=f"<b>{html.escape(what)} under way</b> (week {ballot.week}): "
                f"{html.escape(ballot.subject)} for {html.escape(ballot.state)}. Answered: {html.escape(voted)} "
                f"({len(ballot.cast)} of {asked}).",
            )
            solara.Button("Close the vote", on_click=session.close_vote, color="warning")
        elif session.decisions:
            solara.HTML(tag="p", classes=["r2p-class-last"], unsafe_innerHTML=html.escape(session.decisions[-1].text()))
        solara.Button("End the session", on_click=end, color="secondary", text=True)


@solara.component
def StudentPage(code: str, page_open: Callable[[], bool]) -> None:
    """A student's page: take a seat in the class session ``code``, then vote on each draft."""
    seat = solara.use_reactive("")
    name = solara.use_reactive("")
    error = solara.use_reactive("")
    try:
        session = find(code)
    except InputError as problem:
        session, error_text = None, str(problem).removeprefix("page: ")
    else:
        error_text = ""
    use_session_updates(session, page_open)
    solara.Title("R2P classroom: the Security Council")
    solara.HTML(tag="h1", unsafe_innerHTML="You sit on the Security Council")
    if session is None or session.ended:
        solara.Error(error_text or "The teacher has ended this class session.", classes=["r2p-error"])
        return
    if error.value:
        solara.Error(error.value, classes=["r2p-error"])
    mine = seat.value
    if not mine or mine not in session.seats:
        free = session.free()
        if not free:
            solara.Text("Every seat is taken.")
            return

        def take(chosen: str) -> None:
            try:
                session.join(chosen, name.value)
            except InputError as problem:
                error.set(str(problem).removeprefix("page: "))
                return
            error.set("")
            seat.set(chosen)

        solara.InputText("Your name", value=name)
        with solara.Row(style={"flex-wrap": "wrap", "gap": "8px"}):
            for chosen in free:
                solara.Button(f"Sit for {chosen}", on_click=lambda c=chosen: take(c), color="primary", outlined=True)
        return
    solara.HTML(tag="p", classes=["r2p-seat"], unsafe_innerHTML=f"You vote for <b>{html.escape(mine)}</b>.")
    ballot = session.ballot
    if ballot is None or not ballot.asks(mine):
        waiting = "an offer of help" if mine == GOVERNMENTS else "draft resolution"
        solara.Text(f"Waiting for the next {waiting} ...", classes=["r2p-waiting"])
        if session.decisions:
            solara.HTML(tag="p", unsafe_innerHTML=html.escape(session.decisions[-1].text()))
        return
    if ballot.offer:
        _offer(session, ballot)
        return
    permanent = mine in P5
    with solara.Card(f"Week {ballot.week}: a draft resolution", classes=["r2p-ballot"]):
        solara.HTML(
            tag="p",
            unsafe_innerHTML=f"The Council votes on <b>{html.escape(ballot.subject)}</b> for "
            f"<b>{html.escape(ballot.state)}</b>. Public pressure on the Council: <b>{ballot.pressure:.0%}</b>. "
            f"The model would vote: <b>{VOTE_WORDS[ballot.advice(mine)]}</b>."
            + (" As a permanent member, your No is a veto." if permanent else ""),
        )
        if mine in ballot.cast:
            solara.Text(f"You voted: {VOTE_WORDS[ballot.cast[mine]]}. Waiting for the others ...",
                        classes=["r2p-cast"])  # fmt: skip
            return
        with solara.Row(style={"gap": "10px"}):
            for vote, word in VOTE_WORDS.items():
                label = "No (a veto)" if permanent and vote == Vote.NO else word
                solara.Button(label, on_click=lambda v=vote: session.cast(mine, v), color="primary")


def _offer(session: ClassSession, ballot: Ballot) -> None:
    """The host governments' question: accept or refuse an offer of help."""
    advice = "accept" if ballot.advice(GOVERNMENTS) == Vote.YES else "refuse"
    with solara.Card(f"Week {ballot.week}: an offer of help", classes=["r2p-ballot"]):
        solara.HTML(
            tag="p",
            unsafe_innerHTML=f"<b>{html.escape(ballot.offer)}</b> offers <b>{html.escape(ballot.subject)}</b> to the "
            f"government of <b>{html.escape(ballot.state)}</b>. Help of this kind needs the government's consent. "
            f"The model's government would <b>{advice}</b>.",
        )
        if GOVERNMENTS in ballot.cast:
            done = "accepted" if ballot.cast[GOVERNMENTS] == Vote.YES else "refused"
            solara.Text(f"You {done} the offer.", classes=["r2p-cast"])
            return
        with solara.Row(style={"gap": "10px"}):
            solara.Button("Accept", on_click=lambda: session.cast(GOVERNMENTS, Vote.YES), color="primary")
            solara.Button("Refuse", on_click=lambda: session.cast(GOVERNMENTS, Vote.NO), color="primary")
