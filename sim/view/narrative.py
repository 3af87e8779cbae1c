"""The event log: plain-language sentences from the change in the world record over one week.

Nothing here decides anything: the model's rules have already acted. :func:`narrate` compares a
copy of ``model.world`` taken before a step with the record after it and says what changed —
phase changes, the Joint Office's first warning, and each instrument's life cycle (a draft put
before the Council, a veto, a refusal of consent, a measure taking effect or standing down, a
referral to the General Assembly under "Uniting for Peace"). The Council's record of the week's
drafts names the permanent members that vetoed, or whose veto threat made the penholder withdraw or
water down a draft; the deaths in each state are told when an episode ends and as they pass
:data:`DEATH_MILESTONES`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.concepts import INSTRUMENTS, P5, Actor, Crime, Instrument, Phase, Status, Tabling, Vote
from sim.engines.agents import Draft

ACTION = {
    "dispute_resolution": "the government of {state} opens domestic dispute-resolution talks",
    "security_sector_rule_of_law": "the government of {state} starts security-sector and rule-of-law measures",
    "mediation": "{actor} sends a mediator to {state}",
    "capacity_building": "{actor} starts assistance to build protective capacity in {state}",
    "rapid_civilian_police": "{actor} deploys rapid-response civilian and police staff to {state}",
    "preventive_deployment": "{actor} deploys a consent-based preventive mission to {state}",
    "peacebuilding_funding": "{actor} releases Peacebuilding Fund support for {state}",
    "council_statement": "the Security Council issues a statement on {state} under Chapter VI",
    "fact_finding": "{actor} dispatches a Human Rights Council fact-finding mission to {state}",
    "targeted_sanctions": "the Security Council imposes targeted sanctions (travel bans, asset freezes) on {state}",
    "arms_embargo": "the Security Council imposes an arms embargo on {state}",
    "icc_referral": "the Security Council refers the situation in {state} to the International Criminal Court",
    "chapter7_force": "the Security Council authorises the use of force in {state} under Chapter VII",
    "chapter8_regional": "the Security Council authorises {actor} to act in {state} under Chapter VIII",
    "divestment_campaign": "civil society starts a campaign to withdraw foreign investment from {state}",
    "regional_intervention": "{actor} intervenes in {state} under Article 4(h) of its Constitutive Act, "
    "without a Security Council resolution",
}
"""What happens when an instrument takes effect, by instrument name (see :func:`action`)."""

SUBJECT = {
    "dispute_resolution": "dispute-resolution talks",
    "security_sector_rule_of_law": "security-sector and rule-of-law measures",
    "mediation": "mediation",
    "capacity_building": "capacity-building assistance",
    "rapid_civilian_police": "the civilian and police deployment",
    "preventive_deployment": "the preventive deployment",
    "peacebuilding_funding": "Peacebuilding Fund support",
    "council_statement": "a Council statement",
    "fact_finding": "the fact-finding mission",
    "targeted_sanctions": "targeted sanctions",
    "arms_embargo": "an arms embargo",
    "icc_referral": "a referral to the International Criminal Court",
    "chapter7_force": "the use of force under Chapter VII",
    "chapter8_regional": "regional action under Chapter VIII",
    "divestment_campaign": "the divestment campaign",
    "regional_intervention": "an intervention under Article 4(h)",
}
"""A short noun phrase for each instrument, by instrument name (see :func:`subject`)."""

CRIME_WORDS = {
    Crime.GENOCIDE: "genocide",
    Crime.WAR_CRIMES: "war crimes",
    Crime.ETHNIC_CLEANSING: "ethnic cleansing",
    Crime.CRIMES_AGAINST_HUMANITY: "crimes against humanity",
}
"""How each of the four crimes is called on the page."""

SNAPSHOT_FIELDS = ("phase", "status", "vetoes", "assembly", "warned_week", "deaths")
"""World fields the narration reads."""

DEATH_MILESTONES = (1_000, 10_000, 100_000, 1_000_000)
"""Cumulative deaths in one state that the log tells as they are passed."""

KEY_KINDS = frozenset({"warning", "onset", "stopped", "deaths", "veto", "withdrawn", "failed", "assembly", "active",
                       "ended"})  # fmt: skip
"""Kinds of event the page lists first (the rest: drafts tabled, offers declined, other phase changes)."""


@dataclass(frozen=True)
class Event:
    """One line of the event log.

    Attributes
    ----------
    week
        Week in which it happened (the week the model has just completed, counted from 1).
    state
        Index of the state concerned.
    kind
        ``phase`` (a change that neither starts nor stops the killing), ``onset``, ``stopped``,
        ``deaths`` (a milestone), ``warning``, ``proposed``, ``active``, ``ended``, ``veto``,
        ``withdrawn`` (or watered down, under a veto threat), ``failed``, ``refused`` or
        ``assembly``.
    text
        The sentence, starting with "Week N:".
    instrument
        Instrument name, or an empty string for phase changes, warnings and measures ending.
    """

    week: int
    state: int
    kind: str
    text: str
    instrument: str = ""

    @property
    def key(self) -> bool:
        """True for the events the page lists first (:data:`KEY_KINDS`)."""
        return self.kind in KEY_KINDS


def subject(ins: Instrument) -> str:
    """A noun phrase for ``ins``: the page's wording in :data:`SUBJECT`, else the catalogue's description."""
    return SUBJECT.get(ins.name, ins.description)


def action(ins: Instrument, state: str, actor: str) -> str:
    """What happens when ``ins`` takes effect in ``state``, decided by ``actor``.

    The page's wording in :data:`ACTION`; for an instrument it has no wording for, the
    catalogue's description (so an instrument added to the catalogue is still told).
    """
    template = ACTION.get(ins.name)
    if template is None:
        return f"{ins.description} for {state} takes effect"
    return template.format(state=state, actor=actor)


def snapshot(world: np.ndarray) -> np.ndarray:
    """A copy of the world fields :func:`narrate` compares (take it before ``model.step()``)."""
    return world[list(SNAPSHOT_FIELDS)].copy()


def _names(members: Sequence[str]) -> str:
    """ "Russia", "China and Russia", "China, France and Russia"."""
    return members[0] if len(members) == 1 else f"{', '.join(members[:-1])} and {members[-1]}"


def _vetoes(draft: Draft | None) -> str:
    """ "Russia vetoes", "China and Russia veto"."""
    who = vetoing_members(draft)
    return f"{who} {'veto' if ' and ' in who else 'vetoes'}"


def vetoing_members(draft: Draft | None) -> str:
    """The permanent members that voted no on ``draft`` (its foreseen ballots under a threat), or
    "a permanent member" when the record is not at hand."""
    if draft is None:
        return "a permanent member"
    members = [P5[seat] for seat in range(len(P5)) if draft.votes[seat] == Vote.NO]
    return _names(members) if members else "a permanent member"


def _phase_event(name: str, old: Phase, new: Phase, crime: Crime, deaths: float) -> tuple[str, str]:
    """The (kind, sentence) of a phase change."""
    if new == Phase.ATROCITY:
        return "onset", f"mass atrocity crimes ({CRIME_WORDS[crime]}) begin in {name}"
    toll = f"{deaths:,.0f} people have been killed there so far"
    if new == Phase.RECOVERY:
        return "stopped", f"the killing in {name} stops and the country enters recovery; {toll}"
    if new == Phase.STABLE:
        return "phase", f"{name} returns to stability"
    if old == Phase.ATROCITY:
        return "stopped", f"the killing in {name} stops, but the {new.name.lower()} continues; {toll}"
    if new == Phase.CRISIS:
        return "phase", f"{name} slides into crisis"
    if old == Phase.CRISIS:
        return "phase", f"the crisis in {name} eases to tension"
    return "phase", f"tensions rise in {name}"


def _instrument_event(old: int, new: int, vetoed: bool, name: str, actor: str, k: int,
                      draft: Draft | None) -> tuple[str, str] | None:  # fmt: skip
    """The (kind, sentence) for instrument ``k`` moving from status ``old`` to ``new``, if worth
    saying; ``draft`` is the Council's record of this week's vote on it, if any."""
    ins = INSTRUMENTS[k]
    what = subject(ins)
    if old == Status.IDLE and new == Status.PENDING:
        if ins.council:
            return "proposed", f"a draft resolution on {what} for {name} is put before the Security Council"
        if ins.consent:
            return "proposed", f"{actor} offers {what} to {name}"
        if ins.actor == Actor.STATE:
            return "proposed", f"the government of {name} prepares {what}"
        return "proposed", f"{actor} prepares {what} for {name}"
    if new == Status.ACTIVE and old == Status.ASSEMBLY_PENDING:
        return "assembly", f"the General Assembly recommends {what} for {name} under Uniting for Peace"
    if new == Status.ACTIVE and old != Status.ACTIVE:
        return "active", action(ins, name, actor)
    if new == Status.ASSEMBLY_PENDING and old != Status.ASSEMBLY_PENDING:  # told once, not each week it waits
        return "veto", (
            f"{_vetoes(draft)} the draft resolution on {what} for {name}; "
            "the matter goes to the General Assembly under Uniting for Peace"
        )
    if new == Status.BLOCKED and old == Status.PENDING:
        if draft is not None and draft.tabling != Tabling.VOTED:
            done = "withdrawn" if draft.tabling == Tabling.WITHDRAWN else "watered down to a weaker measure"
            return "withdrawn", (
                f"under a veto threat from {vetoing_members(draft)}, the draft resolution on {what} for {name} "
                f"is {done}"
            )
        if vetoed:
            return "veto", f"{_vetoes(draft)} the draft resolution on {what} for {name}"
        if ins.council:
            return "failed", f"the draft resolution on {what} for {name} fails to gain nine votes"
        return "refused", f"the government of {name} declines {what} offered by {actor}"
    return None


def _event(week: int, state: int, kind: str, text: str, instrument: str = "") -> Event:
    return Event(week, state, kind, f"Week {week}: {text[0].upper()}{text[1:]}.", instrument)


def narrate(
    before: np.ndarray,
    after: np.ndarray,
    week: int,
    states: Sequence[str],
    crimes: Sequence[Crime],
    actors: Sequence[Sequence[str]],
    drafts: Sequence[Draft] = (),
) -> list[Event]:
    """What changed between two snapshots, as events in a fixed order (state, then instrument).

    Parameters
    ----------
    before, after
        :func:`snapshot` of the world before and after one step.
    week
        The week just completed (``model.week`` after the step).
    states
        State names, in index order.
    crimes
        The crime each state would commit, in index order.
    actors
        ``actors[i][k]``: name of the actor that decides instrument ``k`` for state ``i``.
    drafts
        The Council's record of the drafts taken up this week (it names who vetoed); without it
        a veto is told as one by "a permanent member".

    Returns
    -------
    list of Event
        Possibly empty.
    """
    events = []
    voted = {(d.state, d.instrument): d for d in drafts}
    for i, name in enumerate(states):
        b, a = before[i], after[i]
        if a["phase"] != b["phase"]:
            kind, text = _phase_event(name, Phase(int(b["phase"])), Phase(int(a["phase"])), crimes[i], a["deaths"])
            events.append(_event(week, i, kind, text))
        for mark in DEATH_MILESTONES:
            if b["deaths"] < mark <= a["deaths"]:
                events.append(_event(week, i, "deaths", f"deaths in {name} pass {mark:,}"))
        if b["warned_week"] < 0 <= a["warned_week"]:
            text = f"the Secretary-General's Joint Office issues an early warning on {name}"
            events.append(_event(week, i, "warning", text))
        vetoed = bool(a["vetoes"] > b["vetoes"])
        ended = []
        for k, ins in enumerate(INSTRUMENTS):
            if b["status"][k] == Status.ACTIVE and a["status"][k] == Status.IDLE:
                ended.append(subject(ins))
            draft = voted.get((i, k))
            said = _instrument_event(int(b["status"][k]), int(a["status"][k]), vetoed, name, actors[i][k], k, draft)
            if said is not None:
                events.append(_event(week, i, *said, ins.name))
        if ended:
            events.append(_event(week, i, "ended", f"with {name} stable again, these measures end: {', '.join(ended)}"))
    return events
