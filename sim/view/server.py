"""Serve the classroom page (Solara) on this machine."""

from __future__ import annotations

import subprocess
import sys

APP = "sim.view.app"
"""The Solara app module."""


def command_line(host: str, port: int) -> list[str]:
    """The ``solara run`` command that serves the page."""
    return [sys.executable, "-m", "solara", "run", APP, "--host", host, "--port", str(port), "--production"]


def serve(host: str, port: int) -> int:
    """Serve the page on ``host:port`` until interrupted; return the server's exit status."""
    return subprocess.call(command_line(host, port))
