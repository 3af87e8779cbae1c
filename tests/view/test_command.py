"""``r2p view``: arguments, defaults and one-line errors."""

from __future__ import annotations

import sys

import pytest

from sim.cli import build_parser
from sim.view.server import command_line


def test_binds_to_localhost_by_default():
    args = build_parser().parse_args(["view"])
    assert (args.host, args.port) == ("127.0.0.1", 8765)


@pytest.mark.parametrize("port", ["abc", "80", "70000"])
def test_bad_port_is_one_line(port, capsys):
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["view", "--port", port])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "port number from 1024 to 65535" in err and err.count("\n") == 1


def test_serves_the_app_with_solara():
    line = command_line("0.0.0.0", 9000)
    assert line[:4] == [sys.executable, "-m", "solara", "run"]
    assert line[4] == "sim.view.app" and "--production" in line
    assert line[line.index("--host") + 1] == "0.0.0.0" and line[line.index("--port") + 1] == "9000"
