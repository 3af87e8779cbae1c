"""``r2p scenarios`` and ``r2p strategies``: the shipped scenarios and strategy presets."""

from __future__ import annotations

import argparse

from sim.config import shipped


def add_parsers(commands: argparse._SubParsersAction) -> None:
    """Add the ``scenarios`` and ``strategies`` subcommands to the ``r2p`` subparsers."""
    commands.add_parser("scenarios", help="list the shipped scenarios").set_defaults(handler=run)
    commands.add_parser("strategies", help="list the shipped strategy presets").set_defaults(handler=run)


def run(args: argparse.Namespace) -> None:
    """Print one line per shipped item: name and description."""
    from sim.scenario import load_scenario
    from sim.strategy import load_strategy

    kind = args.command
    loader = load_scenario if kind == "scenarios" else load_strategy
    for name in shipped(kind):
        item = loader(name)
        print(f"{name:<24}{item.description}")
