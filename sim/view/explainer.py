"""The explainer panel: the three pillars and the four crimes, paraphrased from the 2009 report.

Source: summary of the UN Secretary-General's report "Implementing the Responsibility to
Protect" (A/63/677, 30 January 2009), ``shared/seed/r2p-2009-report-summary.txt``.
"""

from __future__ import annotations

PILLARS = (
    (
        "Pillar I: the protection responsibilities of the State",
        "Every State has the primary responsibility to protect its population from genocide, war "
        "crimes, ethnic cleansing and crimes against humanity; the report calls this the bedrock of "
        "the Responsibility to Protect. It means working mechanisms for domestic disputes, respect "
        "for the rights of minorities, women and youth, and a police, judiciary and security sector "
        "that protect everyone.",
    ),
    (
        "Pillar II: international assistance and capacity-building",
        "Other States, the UN and regional and sub-regional bodies commit to help States meet that "
        "responsibility: encouraging them, building their capacity, and assisting those under stress "
        "before a crisis breaks out, through good offices and mediation, standby civilian and police "
        "capacity, consent-based preventive deployment and funding. Such help is most likely to work "
        "where the leadership is weak, divided or uncertain, not where it is determined to commit "
        "these crimes.",
    ),
    (
        "Pillar III: timely and decisive response",
        "When a State is manifestly failing to protect its population, the international community "
        "has a responsibility to respond in a timely and decisive way: pacific measures under "
        "Chapter VI, work with regional bodies under Chapter VIII, and, with Security Council "
        "authorisation, coercive measures under Chapter VII such as targeted sanctions and arms "
        "embargoes. The report asks the five permanent members to refrain from the veto in such "
        "situations; if the Council is deadlocked, the General Assembly can act under "
        '"Uniting for Peace".',
    ),
)
"""(title, text) for each pillar."""

CRIMES = (
    "The Responsibility to Protect applies to four crimes and violations only: genocide, war crimes, "
    "ethnic cleansing and crimes against humanity (paragraphs 138 and 139 of the 2005 World Summit "
    'Outcome). It rests on "sovereignty as responsibility", which reinforces sovereignty rather than '
    "undermining it.",
    "The three pillars are of equal weight and follow no set sequence: any pillar or measure may be "
    "used first, so that the response can be early and flexible. Early warning, timely and reliable "
    "information without selective reporting, is what makes that possible.",
)
"""Paragraphs on the four crimes and on how the pillars fit together."""

MODEL_NOTE = (
    "This is a model for exploring policy logic, not a forecast. The region and its states are "
    "fictional or stylised; numbers are illustrative."
)
"""What the page is and is not."""
