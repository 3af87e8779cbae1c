"""The R2P vocabulary: phases, leadership types, crimes, pillars, actors and instruments.

Every concept of the 2009 report that the model represents is named here exactly once. The
integer codes are what the Numba rules see; the names are what scenario and strategy files use.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np


class Phase(IntEnum):
    """Escalation ladder of a state (``docs/ODD.md``, submodel *phase changes*)."""

    STABLE = 0
    TENSION = 1
    CRISIS = 2
    ATROCITY = 3
    RECOVERY = 4


class Leadership(IntEnum):
    """Political leadership: the seed's "weak, divided or uncertain" vs "determined"."""

    RESILIENT = 0
    DIVIDED = 1
    DETERMINED = 2


class Crime(IntEnum):
    """The four crimes of paragraph 138 of the 2005 World Summit Outcome."""

    GENOCIDE = 0
    WAR_CRIMES = 1
    ETHNIC_CLEANSING = 2
    CRIMES_AGAINST_HUMANITY = 3


class Pillar(IntEnum):
    """The three pillars of the 2009 report (equal, no fixed sequence)."""

    I = 1  # noqa: E741 - the report's own numbering
    II = 2
    III = 3


class Actor(IntEnum):
    """Who decides on and delivers an instrument."""

    STATE = 0
    REGIONAL_BODY = 1
    SECURITY_COUNCIL = 2
    JOINT_OFFICE = 3
    CIVIL_SOCIETY = 4


class Status(IntEnum):
    """Life cycle of one instrument for one state (submodel *decisions*)."""

    IDLE = 0
    PENDING = 1
    ACTIVE = 2
    BLOCKED = 3
    ASSEMBLY_PENDING = 4


P5 = ("China", "France", "Russia", "United Kingdom", "United States")
N_P5 = len(P5)
COUNCIL_SEATS = 15
AFFIRMATIVE_VOTES_NEEDED = 9


class Stance(IntEnum):
    """How a body's elected Council members vote on drafts about a member state (``council_seats``)."""

    MANIFEST_FAILURE = 0  # yes once failure is manifest (perceived risk >= manifest_failure), else free
    SUPPORT = 1  # always yes
    OPPOSE = 2  # always no


class Tabling(IntEnum):
    """What became of a due draft resolution (the penholder's answer to a veto threat)."""

    VOTED = 0  # put to the vote (a threatened veto, if any, is cast in the open)
    WITHDRAWN = 1  # not tabled: a patron would veto it
    WATERED_DOWN = 2  # replaced by the instrument's weaker measure, which is put to the vote


class Vote(IntEnum):
    """A Council member's vote on a draft resolution; ``NO`` from a permanent member is a veto."""

    NO = 0
    YES = 1
    ABSTAIN = 2


@dataclass(frozen=True)
class Instrument:
    """One response instrument and its weekly effect at full intensity.

    Effects are per week of activity at intensity 1 (all values are assumptions of this model,
    documented in ``docs/ODD.md``). ``relief`` lowers tension, ``capacity`` closes a share of the
    gap to full Pillar I capacity, ``protection`` is a protection-presence dose (killing falls by
    ``1 - exp(-dose)``), ``deterrence`` lowers onset hazard and killing intensity, ``information``
    lowers early-warning noise. ``cost`` is in US$ million per week.
    """

    name: str
    pillar: Pillar
    actor: Actor
    council: bool  # needs a Security Council resolution (veto applies)
    consent: bool  # needs the host state's consent
    assembly: bool  # the General Assembly can recommend it under "Uniting for Peace"
    relief: float
    capacity: float
    protection: float
    deterrence: float
    information: float
    cost: float
    veto_base: float  # probability a patron P5 member vetoes, before pressure and restraint
    description: str
    intrusive: float = 0.0  # how far it overrides the host's sovereignty, 0..1 (assumption)
    coercive: bool = False  # pressure on the perpetrator without protecting anyone
    sanction: bool = False  # a sanction or embargo: an economic cost to the country
    weaker: str = ""  # the measure a draft is watered down to under a veto threat ("" none)
    article_4h: bool = False  # needs a regional body with the right of Article 4(h) (AU Constitutive Act)


_I, _II, _III = Pillar.I, Pillar.II, Pillar.III
_S, _R, _C, _J, _CS = (
    Actor.STATE,
    Actor.REGIONAL_BODY,
    Actor.SECURITY_COUNCIL,
    Actor.JOINT_OFFICE,
    Actor.CIVIL_SOCIETY,
)

# name, pillar, actor, council, consent, assembly,
#   relief, capacity, protection, deterrence, information, cost, veto_base, description,
#   intrusive, coercive, sanction, weaker, article_4h
INSTRUMENTS: tuple[Instrument, ...] = tuple(
    Instrument(*row)
    for row in (
        ("dispute_resolution", _I, _S, False, False, False,
         0.010, 0.000, 0.00, 0.05, 0.0, 0.5, 0.0,
         "domestic dispute mechanisms and protection of minorities"),
        ("security_sector_rule_of_law", _I, _S, False, False, False,
         0.003, 0.010, 0.30, 0.00, 0.0, 1.0, 0.0,
         "security-sector reform, rule of law and human-rights institutions"),
        ("mediation", _II, _R, False, True, False,
         0.015, 0.000, 0.00, 0.02, 0.0, 0.3, 0.0,
         "good offices and mediation by a regional body or the UN"),
        ("capacity_building", _II, _R, False, True, False,
         0.002, 0.015, 0.00, 0.00, 0.0, 2.0, 0.0,
         "assistance to build the state's protective capacity"),
        ("rapid_civilian_police", _II, _R, False, True, False,
         0.004, 0.000, 0.50, 0.00, 0.2, 3.0, 0.0,
         "standby rapid-response civilian and police capacity"),
        ("preventive_deployment", _II, _R, False, True, False,
         0.006, 0.000, 1.00, 0.10, 0.1, 10.0, 0.0,
         "consent-based preventive deployment (collective military assistance)"),
        ("peacebuilding_funding", _II, _J, False, True, False,
         0.004, 0.008, 0.00, 0.00, 0.0, 1.5, 0.0,
         "Peacebuilding Commission and Fund support"),
        ("council_statement", _III, _C, True, False, True,
         0.003, 0.000, 0.00, 0.05, 0.0, 0.05, 0.3,
         "Council statements and Chapter VI pacific measures",
         0.2, True, False, ""),
        ("fact_finding", _III, _J, False, False, False,
         0.000, 0.000, 0.00, 0.05, 0.4, 0.3, 0.0,
         "Human Rights Council fact-finding mission",
         0.3, False, False, ""),
        ("targeted_sanctions", _III, _C, True, False, True,
         0.004, 0.000, 0.00, 0.15, 0.0, 1.0, 0.7,
         "targeted sanctions: travel bans, asset freezes, luxury goods",
         0.6, True, True, "council_statement"),
        ("arms_embargo", _III, _C, True, False, True,
         0.000, 0.000, 0.30, 0.10, 0.0, 0.5, 0.6,
         "arms embargo",
         0.6, True, True, "council_statement"),
        ("icc_referral", _III, _C, True, False, False,
         0.000, 0.000, 0.00, 0.25, 0.0, 0.5, 0.8,
         "referral to the International Criminal Court",
         0.8, False, False, "council_statement"),
        ("chapter7_force", _III, _C, True, False, False,
         0.010, 0.000, 2.50, 0.30, 0.1, 50.0, 0.95,
         "use of force authorised under Chapter VII",
         1.0, False, False, "arms_embargo"),
        ("chapter8_regional", _III, _R, True, False, False,
         0.006, 0.000, 1.20, 0.10, 0.1, 15.0, 0.8,
         "Chapter VIII action by a regional body with Council authorisation",
         1.0, False, False, "council_statement"),
        ("divestment_campaign", _III, _CS, False, False, False,
         0.001, 0.000, 0.00, 0.05, 0.0, 0.05, 0.0,
         "civil-society campaign to withdraw foreign investment",
         0.3, True, True, ""),
        ("regional_intervention", _III, _R, False, False, False,
         0.006, 0.000, 1.20, 0.10, 0.1, 19.0, 0.0,
         "intervention by a regional body under Article 4(h) of the AU Constitutive Act, without the Council",
         1.0, False, False, "", True),
    )
)  # fmt: skip

INSTRUMENT_NAMES: tuple[str, ...] = tuple(i.name for i in INSTRUMENTS)
N_INSTRUMENTS = len(INSTRUMENTS)
NAMED_ONLY: tuple[str, ...] = tuple(i.name for i in INSTRUMENTS if i.article_4h)
"""Instruments a strategy uses only if it names them: a ``[pillarN]`` table never enables them
(an intervention under Article 4(h) is never part of a pillar's blanket setting)."""


class Col(IntEnum):
    """Columns of the numeric instrument table handed to the Numba rules."""

    PILLAR = 0
    ACTOR = 1
    COUNCIL = 2
    CONSENT = 3
    ASSEMBLY = 4
    RELIEF = 5
    CAPACITY = 6
    PROTECTION = 7
    DETERRENCE = 8
    INFORMATION = 9
    COST = 10
    VETO_BASE = 11
    INTRUSIVE = 12
    COERCIVE = 13
    SANCTION = 14
    WEAKER = 15
    ARTICLE_4H = 16


class Strat(IntEnum):
    """Columns of the strategy array handed to the Numba rules (one row per instrument)."""

    ENABLED = 0
    TRIGGER = 1
    DELAY = 2
    INTENSITY = 3


def instrument_table() -> np.ndarray:
    """Return the instrument catalogue as a float array, one row per instrument."""
    table = np.zeros((N_INSTRUMENTS, len(Col)))
    for k, ins in enumerate(INSTRUMENTS):
        table[k] = (
            int(ins.pillar), int(ins.actor), ins.council, ins.consent, ins.assembly,
            ins.relief, ins.capacity, ins.protection, ins.deterrence, ins.information,
            ins.cost, ins.veto_base, ins.intrusive, ins.coercive, ins.sanction,
            INSTRUMENT_NAMES.index(ins.weaker) if ins.weaker else -1, ins.article_4h,
        )  # fmt: skip
    return table


def names(enum: type[IntEnum]) -> list[str]:
    """Lower-case member names of an enum, as used in TOML files."""
    return [m.name.lower() for m in enum]
