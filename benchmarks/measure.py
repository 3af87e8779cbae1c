"""Helpers shared by the benchmark scripts: side-by-side repeats, progress lines, durations, the machine and
the report."""

from __future__ import annotations

import datetime
import math
import os
import platform
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path


def best_of(repeats: int, measures: dict[str, Callable[[], float]]) -> dict[str, float]:
    """Run the measures in turn ``repeats`` times; the smallest result of each."""
    best = {name: math.inf for name in measures}
    for _ in range(repeats):
        for name, measure in measures.items():
            best[name] = min(best[name], measure())
    return best


def progress(message: str) -> None:
    """Say on stderr what is being measured (reports go to stdout)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def resized(source: Path, folder: Path, **sizes: int) -> Path:
    """A copy of the shipped file ``source`` in ``folder`` whose lines ``KEY = ...`` for the keys of
    ``sizes`` are set to their values (a smaller run of the same file, for ``--quick``)."""
    lines = [next((f"{key} = {value}" for key, value in sizes.items() if line.startswith(f"{key} =")), line)
             for line in source.read_text().splitlines()]  # fmt: skip
    path = folder / f"{source.stem}_quick.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def kill_once_written(command: list[str], written: Path, cwd: Path, poll: float = 0.2) -> None:
    """Start ``command`` and kill it with SIGKILL as soon as ``written`` exists (or let it end first)."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while process.poll() is None and not written.is_file():
        time.sleep(poll)
    process.send_signal(signal.SIGKILL)
    process.wait()


def publish(text: str, out: Path | None) -> None:
    """Print the report; also write it to ``out`` (atomically) if given."""
    print(text)
    if out is not None:
        from sim.experiments.store import write_atomically

        write_atomically(out, lambda temporary: temporary.write_text(text))


def fmt_time(seconds: float) -> str:
    """A duration with a unit that suits it."""
    if seconds >= 1.0:
        return f"{seconds:.1f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.1f} µs"


def machine_info() -> dict[str, str]:
    """CPU model, cores, memory, library versions and today's date."""
    import numba  # here, not at the top: a script imports sim (which configures Numba) first

    cpu = _cpuinfo()
    model = cpu.get("model name", platform.processor() or "unknown")
    if "cpu family" in cpu:
        model += f" (family {cpu['cpu family']}, model {cpu.get('model', '?')})"
    return {
        "date": datetime.date.today().isoformat(),
        "CPU": model,
        "cores": f"{os.cpu_count()} (Numba threads available: {numba.config.NUMBA_NUM_THREADS})",
        "RAM": _memory(),
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "versions": ", ".join(f"{name} {_version(name)}" for name in ("numpy", "numba", "llvmlite", "mesa")),
    }


def _cpuinfo() -> dict[str, str]:
    """Fields of the first processor in ``/proc/cpuinfo`` (empty where there is none)."""
    info: dict[str, str] = {}
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return info
    for line in text.split("\n\n")[0].splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"
