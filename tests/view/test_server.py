"""``r2p view`` serves in its own process: SIGTERM or SIGINT sent to it stops the server and frees the port."""

from __future__ import annotations

import http.client
import signal
import socket
import time
from urllib.parse import urlsplit

import pytest

from sim.config import InputError
from sim.view.server import GRACE_SECONDS, serve

STOP_SECONDS = GRACE_SECONDS + 5
"""How long a stopped server may take to exit and free its port."""


def _port_is_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=lambda sig: sig.name)
def test_a_signal_to_r2p_view_stops_the_server(launch_view, sig):
    process, url, log = launch_view()
    port = urlsplit(url).port
    browser = http.client.HTTPConnection("127.0.0.1", port, timeout=5)  # a client that stays connected
    browser.request("GET", "/")
    assert browser.getresponse().read()
    process.send_signal(sig)  # to r2p view alone, not to its process group
    deadline = time.monotonic() + STOP_SECONDS
    while process.poll() is None or not _port_is_free(port):
        assert time.monotonic() < deadline, f"r2p view still serves {url} {STOP_SECONDS} s after {sig.name}"
        time.sleep(0.1)
    browser.close()
    assert process.returncode in (-sig, 130), log.read_text()
    text = log.read_text()
    assert "Traceback" not in text
    prepared, served = text.find("r2p view: preparing the simulation"), text.find("r2p view: open http://")
    assert 0 <= prepared < served, f"the simulation is prepared before the page is served:\n{text}"


def test_a_port_in_use_is_a_one_line_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(InputError, match=f"cannot listen on 127.0.0.1:{port}") as error:
            serve("127.0.0.1", port)
    assert "\n" not in str(error.value)
