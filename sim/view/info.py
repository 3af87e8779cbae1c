"""The Info tab, in the manner of a NetLogo model's Info tab: what the model is, how it works, how
to use the page, what to notice and try, how to extend it, credits and references.

The model's authority is ``docs/ODD.md``; this is its summary for a class.
"""

from __future__ import annotations

SECTIONS = (
    (
        "WHAT IS IT?",
        "A simulation of how the risk of mass atrocity crimes (genocide, war crimes, ethnic cleansing "
        "and crimes against humanity) rises and falls, week by week, in a region of states, and of how "
        "the responses described in the UN Secretary-General's 2009 report <i>Implementing the "
        "Responsibility to Protect</i> (A/63/677) change that course. It is a tool for exploring the "
        "logic of those responses: the timing and mix of measures, the veto, early warning, and the kind "
        "of leadership a state has. It does not forecast what will happen in any real country; the "
        "regions are fictional, and the historical episodes are stylised.",
    ),
    (
        "HOW IT WORKS",
        "Each state has a level of <b>tension</b> that moves every week: it drifts back towards calm, "
        "is pushed by random shocks, by trouble in neighbouring states and by refugees, and is damped by "
        "the state's capacity. A state climbs a ladder of phases (stable, tension, crisis, atrocity, "
        "recovery); in atrocity, people are killed and displaced, more so where the leadership is "
        "determined to commit the crimes. Nobody sees tension directly: the Secretary-General's Joint "
        "Office reads a noisy and sometimes selective early-warning signal, the <b>perceived risk</b>, "
        "and may issue a warning. Every measure of the three pillars (the state's own measures, "
        "international assistance, a timely and decisive response) has a <b>trigger</b> (a level of "
        "perceived risk) and a <b>delay</b> (weeks between deciding and acting). Offers of help need the "
        "host state's consent; Council measures need nine votes and no veto from a permanent member, "
        "unless the P5 follow the report's call for veto restraint; a vetoed draft can go to the "
        "General Assembly under 'Uniting for Peace'. Measures work through channels (capacity, "
        "deterrence, protection of civilians) and have costs and side effects: resentment of "
        "intrusive help, lost credibility after false alarms, sanctions that hurt.",
    ),
    (
        "HOW TO USE IT",
        "Choose a <b>lesson</b> (left, at the top) or play freely: pick a scenario and a strategy, move "
        "the triggers and delays, and press <b>Step</b>, <b>+10 weeks</b> or <b>Play</b> (the speed "
        "buttons set how fast). In a lesson the run stops at moments worth discussing and ends with a "
        "<b>debrief</b>. <b>Side by side</b> replays the same seed under a second strategy; "
        "<b>200 runs</b> shows what chance alone does. Changing a control starts the run again; the "
        "page's address keeps the settings, so a reload or a shared link shows the same run. The "
        "<b>seed</b> fixes the random shocks: the same seed gives the same run on every computer.",
    ),
    (
        "THINGS TO NOTICE",
        "Measures are decided on perceived risk, not on what is really happening: watch the warning come "
        "before or after the killing starts. A measure marked on a state's line acts on that state only. "
        "Assistance is refused by some governments. The same shocks can end very differently under two "
        "strategies, and two seeds can end very differently under one: compare the 200 runs with the one "
        "you watched. Most runs have few deaths and a few have very many.",
    ),
    (
        "THINGS TO TRY",
        "Make the Pillar III delay longer and watch when the difference appears. Switch on veto restraint "
        "in a run with a veto. Raise the early-warning noise. Compare a state with a divided leadership "
        "and one with a determined leadership under assistance only. Play a historical episode 'as it "
        "happened' and then with a flexible response, and ask what the model cannot know about it.",
    ),
    (
        "EXTENDING THE MODEL",
        "Every rule is a small function written once and used by both engines (the Mesa agents the page "
        "steps and a fast Numba kernel for thousands of runs). A modeller can subclass one agent to "
        "change one decision, write a scenario or a strategy as a TOML file, and run experiments with the "
        "<code>r2p</code> command (sweeps, sensitivity analysis, calibration against episodes). See "
        "<code>docs/ODD.md</code> for the full description and <code>docs/user-guide.md</code>.",
    ),
    (
        "CREDITS AND REFERENCES",
        "United Nations Secretary-General, <i>Implementing the Responsibility to Protect</i>, A/63/677, "
        "issued 30 January 2009; 2005 World Summit Outcome, paragraphs 138-139. Model description in the ODD "
        "protocol (Grimm et al. 2020) in <code>docs/ODD.md</code>, with every parameter's source. Built "
        "with Mesa, Numba and Solara. Colours: Okabe and Ito (2008), Paul Tol (2021). The Info tab "
        "follows NetLogo's (Wilensky 1999).",
    ),
)
"""(heading, HTML text) of each section, in NetLogo's order."""
