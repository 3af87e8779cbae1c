"""Scalar model parameters: defaults, units, allowed ranges and sources.

This table is the single source of every scalar parameter. Scenario files may override any of
them in their ``[model]`` table (and the early-warning ones in ``[warning]``); strategy files set
the two strategy switches. ``docs/ODD.md`` reproduces the table. Parameters that come in
families indexed by leadership type or crime are stored consecutively, in the order of
:class:`sim.concepts.Leadership` and :class:`sim.concepts.Crime`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np


@dataclass(frozen=True)
class Param:
    """One scalar parameter of the model."""

    name: str
    default: float
    unit: str
    low: float
    high: float
    source: str
    description: str
    integer: bool = False
    off: float | None = None
    """The value that switches this parameter's mechanism off, for parameters of mechanisms added
    after the first model version: with every such parameter at its ``off`` value, the model is the
    first version (the golden test holds it to that)."""


_A = "assumption"
_EWP = "Early Warning Project 2025 risk model (DESIGN.md s3)"

PARAMETERS: tuple[Param, ...] = (
    # --- tension dynamics -------------------------------------------------------------------
    Param("tension_reversion", 0.04, "1/week", 0, 1, _A, "pull of tension toward its baseline"),
    Param("baseline_tension", 0.22, "0..1", 0, 1, _A, "baseline tension of a state with no risk factor"),
    Param("risk_baseline_weight", 0.015, "per unit log-odds", 0, 1, _A,
          "rise of baseline tension per unit of risk-factor log-odds"),
    Param("shock_sd", 0.03, "tension/week", 0, 0.5, _A, "standard deviation of weekly exogenous shocks"),
    Param("shock_resilient", 0.8, "x shock_sd", 0, 5, _A, "shock multiplier, resilient leadership"),
    Param("shock_divided", 1.3, "x shock_sd", 0, 5, _A, "shock multiplier, divided leadership"),
    Param("shock_determined", 1.0, "x shock_sd", 0, 5, _A, "shock multiplier, determined leadership"),
    Param("self_reinforcement", 0.04, "1/week", 0, 1, _A,
          "growth of tension above the crisis threshold and during atrocity"),
    Param("incitement", 0.004, "tension/week", 0, 0.1, _A,
          "drift added by a determined leadership once tension exceeds the tension threshold"),
    Param("capacity_damping", 0.02, "1/week", 0, 1, _A, "tension damping per unit Pillar I capacity"),
    Param("contagion_atrocity", 0.003, "tension/week", 0, 0.1, _A,
          "tension added per neighbour in atrocity (spill-over, S5)"),
    Param("contagion_refugees", 1.0, "tension per population share", 0, 100, _A,
          "tension added per refugee arrival as a share of the host population"),
    # --- phase changes ----------------------------------------------------------------------
    Param("threshold_tension", 0.35, "0..1", 0, 1, _A, "tension at which a stable state enters 'tension'"),
    Param("threshold_crisis", 0.60, "0..1", 0, 1, _A, "tension at which a state enters 'crisis'"),
    Param("hysteresis", 0.05, "0..1", 0, 0.5, _A, "drop below a threshold needed to step down the ladder"),
    Param("threshold_end", 0.40, "0..1", 0, 1, _A, "tension below which an atrocity episode ends"),
    Param("onset_hazard", 0.008, "1/week", 0, 1,
          "assumption, tuned: a state with no risk factor and divided leadership has ~1.3 %/year (S7)",
          "weekly onset hazard at the crisis threshold, no risk factor, divided leadership"),
    Param("onset_slope", 5.0, "per unit tension", 0, 50, _A, "log-hazard slope in tension"),
    Param("or_prior_atrocity", 1.6, "odds ratio", 0, 20, _EWP, "prior mass killing"),
    Param("or_discrimination", 2.6, "odds ratio", 0, 20, _EWP, "discriminated population"),
    Param("or_coup", 1.9, "odds ratio", 0, 20, _EWP, "coup attempt in the prior five years"),
    Param("or_armed_conflict", 3.2, "odds ratio", 0, 20, "EWP onset rate 3.2 % vs 1.0 % (DESIGN.md s3)",
          "armed conflict (battle deaths)"),
    Param("or_autocracy", 2.3, "odds ratio", 0, 20, "EWP even civil rights OR 0.44, inverted",
          "autocracy (no even civil rights)"),
    Param("hazard_resilient", 0.3, "x hazard", 0, 20, _A, "onset hazard multiplier, resilient leadership"),
    Param("hazard_divided", 1.0, "x hazard", 0, 20, _A, "onset hazard multiplier, divided leadership"),
    Param("hazard_determined", 2.5, "x hazard", 0, 20, _A, "onset hazard multiplier, determined leadership"),
    Param("capacity_hazard_cut", 0.6, "share", 0, 1, _A, "share of onset hazard removed at full capacity"),
    Param("end_hazard", 0.003, "1/week", 0, 1, "PITF median episode 4.5 years: ln 2 / 234 weeks",
          "weekly chance an atrocity episode burns out without response"),
    Param("end_response", 0.05, "1/week", 0, 0.5, _A,
          "added weekly end chance per unit of deterrence plus protection"),
    Param("recovery_weeks", 26, "weeks", 0, 520, _A, "weeks of recovery before a state is stable again",
          integer=True),
    Param("recurrence_factor", 1.5, "x hazard", 0, 20, _A, "onset hazard multiplier during recovery"),
    Param("survivor_networks", 0.5, "share", 0, 1, "seed (survivor networks); size assumption",
          "share of recurrence hazard removed by a fully active civil society"),
    # --- harm ---------------------------------------------------------------------------------
    Param("kill_rate", 2e-4, "1/week", 0, 1, _A, "weekly killing rate of the at-risk group at intensity 1"),
    Param("displace_rate", 2e-3, "1/week", 0, 1, _A, "weekly displacement rate at intensity 1"),
    Param("kill_genocide", 1.0, "x kill_rate", 0, 10, _A, "killing profile, genocide"),
    Param("kill_war_crimes", 0.5, "x kill_rate", 0, 10, _A, "killing profile, war crimes"),
    Param("kill_ethnic_cleansing", 0.3, "x kill_rate", 0, 10, _A, "killing profile, ethnic cleansing"),
    Param("kill_crimes_against_humanity", 0.4, "x kill_rate", 0, 10, _A,
          "killing profile, crimes against humanity"),
    Param("displace_genocide", 0.5, "x displace_rate", 0, 10, _A, "displacement profile, genocide"),
    Param("displace_war_crimes", 1.0, "x displace_rate", 0, 10, _A, "displacement profile, war crimes"),
    Param("displace_ethnic_cleansing", 2.0, "x displace_rate", 0, 10, _A,
          "displacement profile, ethnic cleansing"),
    Param("displace_crimes_against_humanity", 0.6, "x displace_rate", 0, 10, _A,
          "displacement profile, crimes against humanity"),
    Param("intensity_resilient", 0.5, "x intensity", 0, 10, _A, "killing intensity, resilient leadership"),
    Param("intensity_divided", 1.0, "x intensity", 0, 10, _A, "killing intensity, divided leadership"),
    Param("intensity_determined", 1.5, "x intensity", 0, 10, _A, "killing intensity, determined leadership"),
    Param("severity_alpha", 1.5, "tail exponent", 0.5, 10,
          "assumption (Clauset 2018's alpha about 1.5 is a density exponent of war sizes)",
          "survival exponent of episode severity, P(S > s) = s^-alpha (heavy tail, S6)"),
    Param("severity_cap", 200.0, "x", 1, 1e4, _A, "largest episode severity multiplier"),
    Param("max_weekly_share", 0.3, "share", 0, 1, _A, "largest share of the at-risk group harmed in a week"),
    Param("state_perpetrator_protection", 0.5, "x dose", 0, 1, "Hultman, Kathman & Shannon 2013",
          "protection dose effective against a state perpetrator"),
    Param("capacity_protection", 0.5, "dose", 0, 10, _A,
          "protection dose of full Pillar I capacity against a non-state perpetrator"),
    # --- early warning ------------------------------------------------------------------------
    Param("warning_noise", 0.08, "tension sd", 0, 1, _A, "noise of the weekly early-warning signal"),
    Param("warning_delay", 2, "weeks", 0, 26, _A, "reporting delay of the early-warning signal",
          integer=True),
    Param("selectivity", 0.0, "share", 0, 1, "seed (selective reporting); size assumption",
          "share of the signal lost for a state of zero salience"),
    Param("warning_smoothing", 0.3, "share", 0.01, 1, _A, "weight of the newest signal in perceived risk"),
    Param("warning_threshold", 0.5, "0..1", 0, 1, _A,
          "perceived risk at which the Joint Office warns and the Council takes up the state"),
    Param("civil_society_noise_cut", 0.5, "share", 0, 1, _A,
          "share of warning noise removed by a fully active civil society"),
    # --- Security Council and General Assembly ------------------------------------------------
    Param("deliberation_weeks", 2, "weeks", 0, 52, _A, "Council deliberation before a vote", integer=True),
    Param("retable_weeks", 4, "weeks", 0, 52, _A,
          "weeks before a failed draft is tabled again or a refused offer of help is renewed", integer=True),
    Param("assembly_delay", 6, "weeks", 0, 52, _A,
          "weeks from deadlock to a General Assembly recommendation (Uniting for Peace)", integer=True),
    Param("assembly_effect", 0.5, "x effect", 0, 1, _A, "strength of an Assembly recommendation vs a resolution"),
    Param("elected_yes", 0.6, "probability", 0, 1, _A, "chance an elected member votes yes without pressure"),
    Param("pressure_yes", 0.35, "probability", 0, 1, _A, "added chance of a yes vote at full public pressure"),
    Param("p5_abstain", 0.3, "probability", 0, 1, _A, "chance a P5 member without a veto abstains"),
    Param("pressure_scale", 10000.0, "deaths", 1, 1e8, _A, "reported deaths that raise pressure to 63 %"),
    Param("advocacy", 0.5, "share", 0, 1, _A, "pressure from civil-society advocacy at full perceived risk"),
    Param("veto_pressure_cut", 0.3, "share", 0, 1, _A, "share of veto propensity removed at full pressure"),
    Param("veto_restraint_strength", 0.9, "share", 0, 1, "seed (veto restraint); size assumption",
          "share of veto propensity removed by the restraint norm in manifest failure"),
    Param("manifest_failure", 0.7, "0..1", 0, 1, _A, "perceived risk at which failure is 'manifest'"),
    # --- consent and receptiveness --------------------------------------------------------------
    Param("consent_resilient", 0.95, "probability", 0, 1, _A, "consent to Pillar II help, resilient leadership"),
    Param("consent_divided", 0.8, "probability", 0, 1, _A, "consent to Pillar II help, divided leadership"),
    Param("consent_determined", 0.15, "probability", 0, 1, _A, "consent to Pillar II help, determined leadership"),
    Param("pillar1_resilient", 1.0, "x effect", 0, 2, _A, "Pillar I willingness, resilient leadership"),
    Param("pillar1_divided", 0.6, "x effect", 0, 2, _A, "Pillar I willingness, divided leadership"),
    Param("pillar1_determined", 0.05, "x effect", 0, 2, _A, "Pillar I willingness, determined leadership"),
    Param("pillar2_resilient", 0.5, "x effect", 0, 2, "seed (Pillar II), size assumption",
          "Pillar II receptiveness, resilient leadership"),
    Param("pillar2_divided", 1.0, "x effect", 0, 2, "seed: Pillar II suits weak, divided or uncertain leaders",
          "Pillar II receptiveness, divided leadership"),
    Param("pillar2_determined", 0.15, "x effect", 0, 2, "seed: little use against a determined state",
          "Pillar II receptiveness, determined leadership"),
    Param("pillar3_resilient", 1.0, "x effect", 0, 2, _A, "Pillar III coercive effect, resilient leadership"),
    Param("pillar3_divided", 1.0, "x effect", 0, 2, _A, "Pillar III coercive effect, divided leadership"),
    Param("pillar3_determined", 0.6, "x effect", 0, 2, _A, "Pillar III coercive effect, determined leadership"),
    Param("un_delivery_capacity", 0.6, "0..1", 0, 1, _A,
          "delivery capacity of the UN system for a state without a regional body"),
    # --- costs and side effects, the perpetrator's calculus (issue 10, part "costs") ------------
    Param("backlash_tension", 0.002, "tension/week", 0, 0.1,
          "assumption (rally round the flag: Galtung 1967; no effect size found)",
          "tension added per unit of intrusive dose in a state not in atrocity", off=0.0),
    Param("resentment_consent", 0.05, "per unit stock", 0, 10, _A,
          "fall of the log consent probability per unit of the host's resentment stock", off=0.0),
    Param("resentment_decay", 0.05, "1/week", 0.001, 1, _A,
          "weekly decay of the resentment stock (half-life about 14 weeks)"),
    Param("alert_hysteresis", 0.05, "0..1", 0, 0.5, _A,
          "fall of perceived risk below the warning threshold at which an alert lapses"),
    Param("cry_wolf_cost", 0.1, "share", 0, 1,
          "assumption (Breznitz 1984: credibility falls with each false alarm; no transferable size)",
          "share of the credibility of warnings about a state lost per false alarm", off=0.0),
    Param("sanction_grievance", 0.002, "tension/week", 0, 0.1,
          "Peksen 2009, Wood 2008 (direction: sanctions deepen hardship and unrest); size assumption",
          "tension added per unit of active sanction dose", off=0.0),
    Param("sanction_repression", 0.2, "x intensity", 0, 5,
          "Carneiro & Apolinario 2016: integrity rights 1.74x as likely to worsen under targeted sanctions;"
          " size assumption",
          "rise of a state perpetrator's killing intensity per unit of sanction dose", off=0.0),
    Param("force_deterrence", 0.3, "share", 0, 1,
          "Krain 2005 (challenging interventions cut severity); size assumption",
          "share of a determined state perpetrator's onset hazard and killing removed by credible force",
          off=0.0),
    Param("icc_deterrence", 0.15, "share", 0, 1,
          "Jo & Simmons 2016 (ICC action deters government killing); size assumption",
          "share of a determined state perpetrator's onset hazard and killing removed by an ICC referral",
          off=0.0),
    Param("hollow_threat_killing", 0.4, "x intensity", 0, 5,
          "Wood, Kathman & Gent 2012: interventions against the government raise its civilian killing ~40 %",
          "rise of a determined state perpetrator's killing per unit of coercion without credible force",
          off=0.0),
    Param("moral_hazard_tension", 0.003, "tension/week", 0, 0.1,
          "Kuperman 2008 (expected intervention emboldens rebels; no effect size); size assumption",
          "tension added while an outside force is expected, where a non-state group can mobilise", off=0.0),
    Param("peacekeeping_pool", 2.0, "dose units", 0.01, 1e9, _A,
          "protection deployments the region can field at once, in units of full intensity", off=1e9),
    Param("mediation_pool", 3.0, "dose units", 0.01, 1e9, _A,
          "mediation efforts the region can staff at once, in units of full intensity", off=1e9),
    # --- Security Council politics: veto threats, finite agenda, penholder (issue 10, section 2) ---
    Param("threat_public_veto", 0.3, "probability", 0, 1,
          "assumption (threatened drafts that are dropped before a vote leave no public record to count)",
          "chance the penholder forces a public vote on a draft a patron would veto, rather than drop or "
          "weaken it", off=1.0),
    Param("threat_water_down", 0.5, "probability", 0, 1, _A,
          "chance a threatened draft that is not forced to a vote is watered down to its weaker measure "
          "(if any), rather than withdrawn", off=0.0),
    Param("council_drafts_per_week", 2, "drafts/week", 1, 1000, "assumption (the Council adopted about 50-75 "
          "resolutions a year in 2010-2019, about 1.2 a week on its whole agenda; UN resolution lists)",
          "most drafts about the region's states that come to the vote in a week", integer=True, off=1000),
    Param("penholder_pressure", 0.2, "0..1", 0, 1, _A,
          "public pressure at which a state's penholder tables a due draft", off=0.0),
    # --- strategy switches (set by strategy files) ---------------------------------------------
    Param("veto_restraint", 0, "bitmask", 0, 31, "seed (P5 veto restraint)",
          "the P5 members that hold the veto-restraint norm (bit s: seat s in concepts.P5 order; 31 all five)",
          integer=True),
    Param("uniting_for_peace", 0, "0/1", 0, 1, "seed (Uniting for Peace)",
          "a deadlocked Council passes the matter to the General Assembly", integer=True),
)  # fmt: skip

P = IntEnum("P", [(p.name.upper(), i) for i, p in enumerate(PARAMETERS)])
"""Index of each parameter in the packed parameter vector (``p[P.SHOCK_SD]``)."""

BY_NAME: dict[str, Param] = {p.name: p for p in PARAMETERS}
STRATEGY_SWITCHES = ("veto_restraint", "uniting_for_peace")


def first_version() -> dict[str, float]:
    """Overrides that switch off every mechanism added after the first model version."""
    return {p.name: p.off for p in PARAMETERS if p.off is not None}


def default_vector() -> np.ndarray:
    """Return the packed parameter vector holding every default."""
    return np.array([p.default for p in PARAMETERS], dtype=np.float64)
