"""``r2p schema KIND``: print the JSON Schema of a kind of input file (for editors and checkers)."""

from __future__ import annotations

import argparse
import json

from sim.schema import KINDS, json_schema


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``schema`` subcommand to the ``r2p`` parser."""
    parser = commands.add_parser("schema", help="print the JSON Schema of a kind of input file")
    parser.add_argument("kind", choices=KINDS, help="kind of input file")
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> None:
    """Print the schema as indented JSON."""
    print(json.dumps(json_schema(args.kind), indent=2))
