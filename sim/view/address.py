"""The page's settings in its address (``?lesson=veto&seed=36&...``): a reload or a shared link
shows the same run.

Only the fields of :class:`~sim.view.session.Settings`, the lesson and the playback speed are read;
each value is checked here (numbers) or where it is used (names, the seed), with the same one-line
messages as the controls. Nothing in an address names a file: scenario and strategy names are
compared with the shipped names only.
"""

from __future__ import annotations

import math
from urllib.parse import parse_qsl, urlencode

from sim.config import InputError
from sim.view.session import PILLARS, Settings

SPEEDS = {"slow": 0.8, "normal": 0.4, "fast": 0.15}
"""Seconds between weeks while playing, by the speed buttons' names."""

_FIELD = "page address"


def _number(key: str, text: str, whole: bool) -> float | int:
    """``text`` as a finite number (a whole one if ``whole``), or a one-line :class:`InputError`."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or (whole and not value.is_integer()):
        raise InputError(_FIELD, key, f"{text!r} is not allowed", "a whole number" if whole else "a number")
    return int(value) if whole else value


def encode(settings: Settings, lesson: str = "", speed: str = "normal") -> str:
    """The query string (without ``?``) of ``settings``; fields left at ``None`` are left out."""
    pairs = [("lesson", lesson)] if lesson else []
    pairs += [("scenario", settings.scenario), ("strategy", settings.strategy), ("seed", settings.seed)]
    for pillar in PILLARS:
        for name in ("trigger", "delay"):
            value = getattr(settings, name)[pillar - 1]
            if value is not None:
                pairs.append((f"{name}{pillar}", f"{value:g}" if name == "trigger" else str(value)))
    if settings.veto_restraint is not None:
        pairs.append(("veto_restraint", "on" if settings.veto_restraint else "off"))
    if settings.warning_noise is not None:
        pairs.append(("warning_noise", f"{settings.warning_noise:g}"))
    if speed != "normal":
        pairs.append(("speed", speed))
    return urlencode(pairs)


def decode(search: str | None) -> tuple[Settings, str, str]:
    """Settings, lesson key (``""``: none) and speed from a query string; keys it does not know are
    ignored, and a missing key keeps its default.

    Raises
    ------
    InputError
        A value that is not allowed (one line naming the key and what is allowed).
    """
    given = dict(parse_qsl(search or "", keep_blank_values=True))
    settings = Settings()
    for key in ("scenario", "strategy", "seed"):
        if key in given:
            settings = settings.replace(**{key: given[key]})
    for pillar in PILLARS:
        for name, whole in (("trigger", False), ("delay", True)):
            if f"{name}{pillar}" in given:
                value = _number(f"{name}{pillar}", given[f"{name}{pillar}"], whole)
                settings = settings.with_pillar(pillar, **{name: value})
    if "veto_restraint" in given:
        if given["veto_restraint"] not in ("on", "off"):
            raise InputError(_FIELD, "veto_restraint", f"{given['veto_restraint']!r} is not allowed", "on, off")
        settings = settings.replace(veto_restraint=given["veto_restraint"] == "on")
    if "warning_noise" in given:
        settings = settings.replace(warning_noise=_number("warning_noise", given["warning_noise"], False))
    speed = given.get("speed", "normal")
    if speed not in SPEEDS:
        raise InputError(_FIELD, "speed", f"{speed!r} is not allowed", ", ".join(SPEEDS))
    return settings, given.get("lesson", ""), speed
