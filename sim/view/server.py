"""Serve the classroom page in this process (Solara's Starlette app on uvicorn).

The server runs in the calling process, so SIGTERM or SIGINT (Ctrl-C) sent to ``r2p view``
stops it and frees the port; nothing is left running behind it.
"""

from __future__ import annotations

import os
import socket
import warnings

from sim.config import InputError

APP = "sim.view.app"
"""The Solara app module."""

GRACE_SECONDS = 3
"""How long a stop waits for open pages (websockets) to close before cutting them off."""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
    "loggers": {
        name: {"handlers": ["stderr"], "level": "WARNING", "propagate": False}
        for name in ("solara", "reacton", "uvicorn", "uvicorn.error", "uvicorn.access")
    },
}
"""Warnings and errors of the server and of Solara (a failed asset fetch, say) go to stderr."""


def _listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (one-line :class:`InputError` if that is not possible)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        reason = error.strerror or str(error)
        raise InputError(
            "command line", "--host/--port", f"cannot listen on {host}:{port} ({reason})", "a free port on this machine"
        ) from None
    sock.set_inheritable(True)
    return sock


def prepare(progress: bool = True) -> None:
    """Compile or load the simulation before the page is served: the Numba kernel of the many-runs
    tab and the rules the Mesa model of the Crisis tab calls (a pair of runs of the page's defaults
    to the horizon), so that neither a first Step nor a first many-runs waits for the compiler. The
    first start after installing compiles them (about a minute); later starts load them from
    Numba's cache in a few seconds."""
    from sim.experiments.progress import step
    from sim.experiments.runner import warm_up
    from sim.view.session import Settings
    from sim.view.side_by_side import pair

    with step("r2p view: preparing the simulation (the first start after installing compiles it)", enabled=progress):
        warm_up()
        pair(Settings(), "no_response")


def serve(host: str, port: int) -> int:
    """Serve the page on ``host:port`` until SIGTERM or SIGINT; return 0 once it has stopped.

    Parameters
    ----------
    host
        Interface to bind (``127.0.0.1``: this machine only).
    port
        TCP port.

    Returns
    -------
    int
        0 after a stop. A signal that stopped the server is raised again once it has shut down
        (uvicorn's behaviour), so SIGTERM ends the process and SIGINT raises ``KeyboardInterrupt``.

    Raises
    ------
    InputError
        The address cannot be bound (port in use, unknown interface).
    """
    sock = _listen(host, port)
    prepare()
    # solara.server.app registers the default app from SOLARA_APP when it is first imported.
    os.environ["SOLARA_APP"] = APP
    os.environ["SERVER_NAME"] = host
    os.environ["SERVER_PORT"] = str(port)
    import uvicorn
    from solara.server import settings

    settings.main.mode = "production"
    settings.telemetry.mixpanel_enable = False  # a classroom page sends nothing off the machine
    settings.theme.show_banner = False  # Solara's banner covered the page's corner; the Info tab credits it
    # Solara's advice on cookies for pages embedded in an iframe over plain http does not apply here.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)
    config = uvicorn.Config(
        "solara.server.starlette:app",
        host=host,
        port=port,
        log_config=LOGGING,
        timeout_graceful_shutdown=GRACE_SECONDS,
    )
    print(f"r2p view: open http://{host}:{port}/ in a browser (Ctrl-C stops the server)", flush=True)
    uvicorn.Server(config).run(sockets=[sock])
    return 0
