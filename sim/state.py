"""Memory layout shared by both engines: the scenario's fixed records and one replication's state.

``Region`` is a structured array with one record per state holding what the scenario fixes;
``World`` is one with what changes during a replication. The same Numba rules read and write them
in the Monte Carlo kernel and behind the Mesa agents. A rule takes the whole array and a state
index, so one argument carries everything (cheap to pass, nothing to keep in step).
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
from numba.cpython.unsafe.numbers import trailing_zeros

from sim.concepts import COUNCIL_SEATS, N_INSTRUMENTS, N_P5, Phase, Status
from sim.jit import rule
from sim.parameters import P

HISTORY = 32
"""Weeks of tension history kept for the delayed early-warning signal (> largest delay)."""

RISK_FACTORS = ("prior_atrocity", "discrimination", "coup", "armed_conflict", "autocracy")
"""Risk factors, in the order of their odds ratios in :mod:`sim.parameters`."""

MAX_NEIGHBOURS = 32
"""Most borders one state may have."""

STRATEGY_INTENSITY = -1.0
"""``World.intensity`` of an instrument that acts at the strategy's intensity."""

MAX_EVENTS = 16
"""Most scheduled events one state may have."""


class EventCol(IntEnum):
    """Columns of a state's rows of scheduled events (``Region.events``)."""

    WEEK = 0
    KIND = 1
    VALUE = 2
    INSTRUMENT = 3
    MEMBER = 4


REGION_FIELDS = (
    ("population", np.float64, (), "persons"),
    ("vulnerable_share", np.float64, (), "share of the population in the targeted group"),
    ("capacity0", np.float64, (), "initial Pillar I protective capacity, 0..1"),
    ("tension0", np.float64, (), "initial tension, 0..1"),
    ("severity0", np.float64, (), "episode severity of a state that starts in atrocity"),
    ("phase0", np.int64, (), "initial Phase code"),
    ("leadership", np.int64, (), "Leadership code"),
    ("crime", np.int64, (), "Crime code committed if atrocities start"),
    ("state_led", np.int64, (), "1 if the state would be a perpetrator (alone or with a group), 0 if not"),
    ("salience", np.float64, (), "international salience, 0..1 (low: selective reporting)"),
    ("civil_society", np.float64, (), "civil-society strength, 0..1"),
    ("risk", np.int64, (len(RISK_FACTORS),), "risk-factor flags in RISK_FACTORS order"),
    ("body_capacity", np.float64, (), "capacity of the body that delivers Pillar II help, 0..1"),
    ("degree", np.int64, (), "number of neighbours"),
    ("neighbours", np.int64, (MAX_NEIGHBOURS,), "neighbour indices, ascending, first `degree` used"),
    # scenarios that can say what happened (measures in force, events, ends, displacement, perpetrators)
    ("measure", np.float64, (N_INSTRUMENTS,), "intensity of each instrument in force at week 0 (0: none)"),
    ("n_events", np.int64, (), "scheduled events of the state, the first `n_events` rows of `events`"),
    ("events", np.float64, (MAX_EVENTS, len(EventCol)), "scheduled events by week, columns in EventCol order"),
    ("military_end", np.float64, (), "weekly probability that an episode ends by military defeat or victory"),
    ("refugee_share", np.float64, (), "share of the displaced who cross a border"),
    ("inflow_share", np.float64, (MAX_NEIGHBOURS,), "share of neighbour e's displaced arriving here (<0: 1/degree)"),
    ("non_state_share", np.float64, (), "share of the killing by a non-state group (0: state, 1: non-state)"),
    # --- Security Council politics (issue 10, section 2) ---
    ("patrons", np.float64, (N_P5,), "interest of each P5 member (concepts.P5 order) as the state's patron, 0..1"),
    ("penholder", np.int64, (), "index in concepts.P5 of the member that holds the pen on the state, or -1"),
    ("bloc", np.int64, (COUNCIL_SEATS - N_P5,), "Stance code of the body each elected seat follows, or -1"),
    # --- actors that adapt (issue 10) ---
    ("article_4h", np.int64, (), "1 if the body that decides the state's regional instruments holds Article 4(h)"),
)

WORLD_FIELDS = (
    ("tension", np.float64, (), "latent escalation pressure, 0..1"),
    ("capacity", np.float64, (), "Pillar I protective capacity, 0..1"),
    ("phase", np.int64, (), "Phase code"),
    ("phase_weeks", np.int64, (), "weeks spent in the current phase"),
    ("severity", np.float64, (), "severity of the current or last episode"),
    ("deaths", np.float64, (), "cumulative deaths"),
    ("displaced", np.float64, (), "cumulative displaced persons"),
    ("weekly_displaced", np.float64, (), "persons displaced this week"),
    ("perceived", np.float64, (), "perceived risk (smoothed early-warning signal), 0..1"),
    ("pressure", np.float64, (), "public pressure on the Council, 0..1"),
    ("reported", np.float64, (), "deaths as reported (selective reporting) when `unmoved` was computed"),
    ("unmoved", np.float64, (), "share of the public the reported deaths leave unmoved"),
    ("shock", np.float64, (), "this week's standard normal tension shock"),
    ("warning_noise", np.float64, (), "this week's standard normal warning noise"),
    ("risk_multiplier", np.float64, (), "product of the odds ratios of the state's risk factors"),
    ("baseline", np.float64, (), "tension the state reverts to, raised by its risk factors"),
    ("relief", np.float64, (), "weekly tension relief from active instruments"),
    ("protection", np.float64, (), "protection dose from active instruments"),
    ("deterrence", np.float64, (), "deterrence from active instruments"),
    ("information", np.float64, (), "warning-noise reduction from active instruments"),
    ("cost", np.float64, (), "cumulative cost of measures, US$ million"),
    ("history", np.float64, (HISTORY,), "ring buffer of tension, indexed by week % HISTORY"),
    ("warned_week", np.int64, (), "week of the Joint Office's first warning, -1 if none"),
    ("onset_week", np.int64, (), "week of the first atrocity onset, -1 if none"),
    ("episodes", np.int64, (), "atrocity onsets so far (a start in atrocity counts as none)"),
    ("atrocity_weeks", np.int64, (), "weeks spent in atrocity"),
    ("atrocity_weeks_any", np.int64, (), "weeks that ended with any state in atrocity (the same in every row)"),
    ("peak_phase", np.int64, (), "highest phase reached (recovery not counted)"),
    ("first_response", np.int64, (3,), "first week an instrument of each pillar was active, -1 if none"),
    ("vetoes", np.int64, (), "vetoes cast on drafts about the state"),
    ("assembly", np.int64, (), "1 once Uniting for Peace was invoked for the state"),
    ("underway", np.uint64, (), "instruments of the state that are not idle: bit k for instrument k"),
    ("pending", np.int64, (), "instruments of the state waiting for a decision (PENDING)"),
    ("used", np.int64, (N_INSTRUMENTS,), "1 once an instrument was active for the state"),
    ("status", np.int64, (N_INSTRUMENTS,), "Status code of each instrument"),
    ("timer", np.int64, (N_INSTRUMENTS,), "week of the next event of a waiting instrument"),
    ("scale", np.float64, (N_INSTRUMENTS,), "effect scale (1 for a resolution, less for the Assembly)"),
    # costs and side effects, the perpetrator's calculus
    ("grievance", np.float64, (), "weekly tension from backlash, sanctions and mobilisation"),
    ("resentment", np.float64, (), "the host's resentment of intrusive measures (decaying stock)"),
    ("backlash", np.float64, (), "cumulative intrusive dose applied while not in atrocity"),
    ("resolve", np.float64, (), "multiplier of killing intensity from the perpetrator's calculus"),
    ("restraint", np.float64, (), "multiplier of the onset hazard from the perpetrator's calculus"),
    ("alert_week", np.int64, (), "week the open alert was raised, -1 if none"),
    ("alert_episodes", np.int64, (), "atrocity onsets so far when the open alert was raised"),
    ("false_alarms", np.int64, (), "alerts that lapsed without an atrocity onset"),
    ("credibility", np.float64, (), "weight of warnings about the state, 0..1"),
    ("pool_share", np.float64, (2,), "share of demand the peacekeeping and mediation pools meet"),
    ("shortfall", np.float64, (), "cumulative dose not delivered for lack of capacity"),
    # scenarios that can say what happened
    ("intensity", np.float64, (N_INSTRUMENTS,), "intensity of a measure in force (< 0: the strategy's)"),
    ("military_ends", np.int64, (), "episodes ended by military defeat or victory"),
    ("refugees", np.float64, (), "cumulative displaced persons who crossed a border"),
    # --- Security Council politics (issue 10, section 2) ---
    ("withdrawn", np.int64, (), "drafts about the state withdrawn under a veto threat"),
    ("watered_down", np.int64, (), "drafts about the state watered down under a veto threat"),
)

REGION = np.dtype([(name, kind, shape) for name, kind, shape, _ in REGION_FIELDS], align=True)
"""One record per state: what the scenario fixes."""
WORLD = np.dtype([(name, kind, shape) for name, kind, shape, _ in WORLD_FIELDS], align=True)
"""One record per state: what changes during a replication."""

Region = np.ndarray
World = np.ndarray


@rule
def bit(k: int) -> np.uint64:
    """Instrument ``k``'s bit in a set of instruments such as ``World.underway``."""
    return np.uint64(1) << np.uint64(k)


@rule
def lowest(bits: np.uint64) -> tuple[int, np.uint64]:
    """The lowest instrument of the set ``bits`` and the set without it: ``while bits: k, bits =
    lowest(bits)`` visits the set in ascending ``k``."""
    return trailing_zeros(bits), bits & (bits - np.uint64(1))


@rule
def stand_down(i: int, k: int, w: World) -> None:
    """Instrument ``k`` of state ``i`` becomes idle again, at the strategy's intensity when next used."""
    w[i].status[k] = Status.IDLE
    w[i].scale[k] = 0.0
    w[i].underway &= ~bit(k)
    w[i].intensity[k] = STRATEGY_INTENSITY


def new_world(n: int) -> World:
    """Allocate the state records of one replication for ``n`` states."""
    return np.zeros(n, WORLD)


@rule
def set_risk(i: int, region: Region, p: np.ndarray, w: World) -> None:
    """Risk multiplier and baseline tension of state ``i`` from its risk factors."""
    multiplier = 1.0
    for f in range(len(RISK_FACTORS)):
        if region[i].risk[f]:
            multiplier *= p[P.OR_PRIOR_ATROCITY + f]
    w[i].risk_multiplier = multiplier
    w[i].baseline = p[P.BASELINE_TENSION] + p[P.RISK_BASELINE_WEIGHT] * np.log(multiplier)


@rule
def reset_world(region: Region, p: np.ndarray, w: World) -> None:
    """Set ``w`` to the scenario's initial state (week 0)."""
    for i in range(region.shape[0]):
        s = region[i]
        x = w[i]
        x.tension = s.tension0
        x.capacity = s.capacity0
        x.phase = s.phase0
        x.phase_weeks = 0
        x.severity = s.severity0
        x.deaths = 0.0
        x.displaced = 0.0
        x.weekly_displaced = 0.0
        x.perceived = s.tension0
        x.pressure = 0.0
        x.reported = 0.0
        x.unmoved = 1.0
        x.shock = 0.0
        x.warning_noise = 0.0
        set_risk(i, region, p, w)
        x.relief = 0.0
        x.protection = 0.0
        x.deterrence = 0.0
        x.information = 0.0
        x.cost = 0.0
        for h in range(HISTORY):
            x.history[h] = s.tension0
        x.warned_week = -1
        x.onset_week = -1
        x.episodes = 0
        x.atrocity_weeks = 0
        x.atrocity_weeks_any = 0
        x.peak_phase = s.phase0 if s.phase0 != Phase.RECOVERY else Phase.STABLE
        x.vetoes = 0
        x.assembly = 0
        x.underway = 0
        x.pending = 0
        for pillar in range(3):
            x.first_response[pillar] = -1
        for k in range(N_INSTRUMENTS):
            x.used[k] = 0
            x.status[k] = 0
            x.timer[k] = 0
            x.scale[k] = 0.0
            x.intensity[k] = STRATEGY_INTENSITY
            if s.measure[k] > 0.0:  # a measure in force at week 0
                x.status[k] = Status.ACTIVE
                x.scale[k] = 1.0
                x.intensity[k] = s.measure[k]
                x.underway |= bit(k)
        x.grievance = 0.0
        x.resentment = 0.0
        x.backlash = 0.0
        x.resolve = 1.0
        x.restraint = 1.0
        x.alert_week = -1
        x.alert_episodes = 0
        x.false_alarms = 0
        x.credibility = 1.0
        x.pool_share[0] = 1.0
        x.pool_share[1] = 1.0
        x.shortfall = 0.0
        x.military_ends = 0
        x.refugees = 0.0
        x.withdrawn = 0
        x.watered_down = 0
