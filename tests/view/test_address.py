"""The page's settings in its address: a reload or a shared link shows the same run."""

from __future__ import annotations

import pytest

from sim.config import InputError
from sim.view.address import decode, encode
from sim.view.session import Settings


def test_settings_survive_the_round_trip():
    settings = Settings(scenario="rwanda_1994", strategy="historical/rwanda_1994", seed="7", warning_noise=0.12)
    settings = settings.with_pillar(3, trigger=0.35, delay=6).replace(veto_restraint=True)
    query = encode(settings, "rwanda", "fast")
    assert decode(query) == (settings, "rwanda", "fast")
    assert "delay3=6" in query and "trigger1" not in query, "only the settings that were changed"


def test_an_empty_address_gives_the_defaults():
    assert decode("") == (Settings(), "", "normal")
    assert decode(None) == (Settings(), "", "normal")
    assert decode("utm_source=mail") == (Settings(), "", "normal"), "unknown keys are ignored"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("trigger1=high", "page address: trigger1: 'high' is not allowed; allowed: a number"),
        ("trigger2=nan", "page address: trigger2: 'nan' is not allowed; allowed: a number"),
        ("delay3=2.5", "page address: delay3: '2.5' is not allowed; allowed: a whole number"),
        ("veto_restraint=yes", "page address: veto_restraint: 'yes' is not allowed; allowed: on, off"),
        ("speed=warp", "page address: speed: 'warp' is not allowed; allowed: slow, normal, fast"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_key(query, message):
    with pytest.raises(InputError) as error:
        decode(query)
    assert str(error.value) == message
