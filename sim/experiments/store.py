"""Results folders: atomic files, a manifest that ties a folder to one experiment, chunk names."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pandas as pd

from sim.config import REPO_ROOT, InputError

MANIFEST = "manifest.json"
CHUNKS = "chunks"
DESIGN = "design.csv"
SUMMARY = "summary.csv"
SAME_AS = "same_as"
"""Column of ``design.csv``: the point whose simulation a design point shares (see ``identical_points``)."""
_UMASK = os.umask(0)
os.umask(_UMASK)
PACKAGES = ("r2p-sim", "numpy", "numba", "mesa", "pandas", "pyarrow")


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(temporary)`` then rename the temporary file to ``path``: all or nothing."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; results are ordinary files
        write(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to a Parquet (or, by suffix, CSV) file atomically."""
    if path.suffix == ".csv":
        write_atomically(path, lambda tmp: frame.to_csv(tmp, index=False))
    else:
        write_atomically(path, lambda tmp: frame.to_parquet(tmp, index=False))


def write_json(data: dict, path: Path) -> None:
    """Write ``data`` as indented JSON atomically."""
    write_atomically(path, lambda tmp: tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n"))


def chunk_path(folder: Path, point: int, first: int, count: int) -> Path:
    """File of the replications ``first .. first + count - 1`` of design point ``point``."""
    return folder / CHUNKS / f"point-{point:05d}-reps-{first:010d}-{first + count - 1:010d}.parquet"


def versions() -> dict[str, str]:
    """Installed versions of the packages results depend on."""
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def git_revision() -> str | None:
    """The source's git revision, if it is a git checkout."""
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def claim(folder: Path, identity: dict[str, object], manifest: dict[str, object]) -> bool:
    """Make ``folder`` the results folder of the run ``identity`` describes.

    A new or empty folder gets ``manifest`` (which includes ``identity``). A folder that already
    holds the same run is kept, to be resumed. A folder that holds another run is refused.

    Returns
    -------
    bool
        True if the folder already held this run.

    Raises
    ------
    InputError
        If the folder belongs to another experiment, or is not an empty folder.
    """
    path = folder / MANIFEST
    if path.is_file():
        existing = read_manifest(folder)
        theirs = {key: existing.get(key) for key in identity}
        if theirs != identity:
            differs = ", ".join(key for key in identity if theirs[key] != identity[key])
            problem = f"holds another run (different {differs})"
            if differs == "model":
                problem = "holds results of another model version or of other scenario or strategy files"
            raise InputError(folder, MANIFEST, problem,
                             "an empty folder, or this folder with the experiment and flags that made it")  # fmt: skip
        return True
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputError(folder, "", "exists and is not an empty folder or a results folder", "a new or empty folder")
    (folder / CHUNKS).mkdir(parents=True, exist_ok=True)
    write_json(manifest, path)
    return False


def read_manifest(folder: Path) -> dict:
    """The manifest of a results folder."""
    try:
        return json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        raise InputError(folder, MANIFEST, "unreadable; this folder is not a results folder of r2p") from None


def source_points(folder: Path) -> dict[int, int]:
    """Each design point of a results folder and the point whose chunks hold its replications
    (``same_as`` of ``design.csv``; itself in a folder written before points were shared).

    Read once per version of ``design.csv`` (its path, modification time and size), since every
    reader of a point's chunks asks for it.
    """
    path = folder / DESIGN
    if not path.is_file():
        read_design(folder)  # raises the one-line error
    stat = path.stat()
    return dict(_source_points(str(path.resolve()), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=16)
def _source_points(path: str, mtime_ns: int, size: int) -> tuple[tuple[int, int], ...]:
    """:func:`source_points` of the ``design.csv`` at ``path`` (the other arguments key the cache)."""
    design = read_design(Path(path).parent)
    sources = design[SAME_AS] if SAME_AS in design.columns else design["point"]
    return tuple((int(p), int(s)) for p, s in zip(design["point"], sources, strict=True))


def chunk_files(folder: Path, point: int) -> list[Path]:
    """The chunk files holding design point ``point``'s replications, in replication order."""
    source = source_points(folder).get(point, point) if (folder / DESIGN).is_file() else point
    return sorted((folder / CHUNKS).glob(f"point-{source:05d}-*.parquet"))


def read_design(folder: Path) -> pd.DataFrame:
    """``design.csv`` of a results folder: grid values as text (as written), point numbers as integers."""
    path = folder / DESIGN
    if not path.is_file():
        raise InputError(folder, "", f"not a results folder (no {DESIGN})", "a folder written by 'r2p sweep'")
    design = pd.read_csv(path, dtype=str, keep_default_na=False)
    design["point"] = design["point"].astype(int)
    return design


def clear_temporary(folder: Path) -> None:
    """Delete temporary files a killed run left behind."""
    for leftover in folder.rglob(".*.tmp"):
        leftover.unlink(missing_ok=True)
