"""Start ``r2p view`` as a separate process on a free loopback port, for the server and browser tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
START_SECONDS = 180
"""How long the server may take to answer its first request (it compiles the simulation first in a fresh clone)."""


def free_port() -> int:
    """A TCP port nobody listens on at the moment."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def launch_view(tmp_path_factory) -> Iterator[Callable[[], tuple[subprocess.Popen, str, Path]]]:
    """A function starting ``r2p view --port P`` and waiting until it answers HTTP.

    It returns the process, the page's URL and the file holding the server's output. At the end of
    the module each process group started is killed, so a test that fails leaves nothing running.
    """
    started: list[subprocess.Popen] = []

    def launch() -> tuple[subprocess.Popen, str, Path]:
        port = free_port()
        log = tmp_path_factory.mktemp("view") / "server.log"
        command = [sys.executable, "-m", "sim.cli", "view", "--host", "127.0.0.1", "--port", str(port)]
        with log.open("w") as out:
            process = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        started.append(process)
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return process, url, log
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the view server did not start:\n{log.read_text()}")
                time.sleep(0.3)

    yield launch
    for process in started:  # the process and anything it started
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("R2P_ARTIFACTS", REPO / "test-artifacts" / "view"))


def _require_browser() -> None:
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing (install Debian's chromium: apt-get install -y chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is missing (pip install -e '.[test]')"
    if problem is None:
        return
    if os.environ.get("R2P_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (R2P_REQUIRE_BROWSER=1) but {problem}")
    pytest.skip(f"browser tests skipped: {problem}")


@pytest.fixture(scope="module")
def browser_available() -> None:
    """Nothing, where Chromium and Playwright are installed; else a skip (a failure under
    ``R2P_REQUIRE_BROWSER=1``), as for the other browser tests."""
    _require_browser()


@pytest.fixture(scope="module")
def server(launch_view):
    _require_browser()
    process, url, log = launch_view()
    yield url, log
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def chromium():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The folder for the browser tests' screenshots (``test-artifacts/view/`` or ``$R2P_ARTIFACTS``)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
