"""The model's rules, written once as Numba-compilable functions and run by both engines.

Stages of a week, in order: :mod:`escalation` (shocks, tension, phase changes), :mod:`harm`,
:mod:`warning` (observation), :mod:`response` (decisions), :mod:`effects`; :mod:`outcomes`
summarises a replication.
"""
