"""``r2p view``: serve the classroom page in the browser."""

from __future__ import annotations

import argparse


def port(text: str) -> int:
    """A TCP port number from 1024 to 65535 (one-line error otherwise)."""
    value = int(text) if text.strip().isdigit() else None
    if value is None or not 1024 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed; allowed: a port number from 1024 to 65535")
    return value


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``view`` subcommand to the ``r2p`` parser."""
    parser = commands.add_parser("view", help="serve the classroom page in the browser (Solara)")
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=port, default=8765, help="port (default 8765)")
    parser.set_defaults(handler=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Serve the page in this process until SIGTERM or Ctrl-C (see :func:`sim.view.server.serve`)."""
    from sim.view.server import serve

    return serve(args.host, args.port)
