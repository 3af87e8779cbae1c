"""Results folders: atomic files, a manifest that ties a folder to one experiment, and a chunk index
that says which chunk files count and what each must hold.

Every chunk file the runner writes is listed in ``chunks/index.json`` with its design point, its
replications, its row count and the SHA-256 of its bytes. Only listed chunks count: a chunk copied
under another name is not read twice, and a truncated, emptied, replaced or deleted chunk is found
before anything is read from the folder (see :func:`chunk_files` and :func:`verify`). The manifest
also records the SHA-256 of ``design.csv`` and ``summary.csv``, so a replaced table is found too.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.config import REPO_ROOT, InputError

MANIFEST = "manifest.json"
CHUNKS = "chunks"
INDEX = "index.json"
"""The chunk index, in ``chunks/``."""
DESIGN = "design.csv"
SUMMARY = "summary.csv"
REPORT = "report.md"
PLOTS = "plots"
SAME_AS = "same_as"
"""Column of ``design.csv``: the point whose simulation a design point shares (see ``identical_points``)."""
DESIGN_COLUMNS = ("point", "scenario", "strategy", "label")
"""Columns every ``design.csv`` has (grid columns and ``same_as`` come between and after)."""
RUN_KEYS = ("reps", "seed", "chunk", "model")
"""Keys every manifest of a run has."""
METADATA_KEY = b"r2p"
"""Key of the run's description in the Parquet schema metadata of a ``r2p run --out`` file."""
_UMASK = os.umask(0)
os.umask(_UMASK)
_TEMPORARY = re.compile(r"^\..+\.r2p-[a-z0-9_]+\.tmp$")
_CHUNK_NAME = re.compile(r"^point-\d{5}-reps-\d{10}-\d{10}\.parquet$")
_PLOT_NAME = re.compile(r"^(timing_curve|death_ccdf|fan_[A-Za-z0-9_-]+)\.png$")
PACKAGES = ("r2p-sim", "numpy", "numba", "mesa", "pandas", "pyarrow")


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(temporary)`` then rename the temporary file to ``path``: all or nothing."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.r2p-", suffix=".tmp")
    os.close(handle)
    try:
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; results are ordinary files
        write(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_table(frame: pd.DataFrame, path: Path, description: dict[str, object] | None = None) -> None:
    """Write ``frame`` to a Parquet (or, by suffix, CSV) file atomically.

    ``description`` (Parquet only) is stored as JSON in the schema metadata (see :func:`read_description`),
    and each outcome column's unit and meaning in its field metadata (:func:`described`).
    """
    if path.suffix == ".csv":
        write_atomically(path, lambda tmp: frame.to_csv(tmp, index=False))
        return
    table = described(pa.Table.from_pandas(frame, preserve_index=False))
    if description is not None:
        table = table.replace_schema_metadata({**table.schema.metadata, METADATA_KEY: json.dumps(description)})
    write_atomically(path, lambda tmp: pq.write_table(table, tmp))


def described(table: pa.Table) -> pa.Table:
    """``table`` with each outcome column's unit and meaning (:func:`sim.outcome_columns.describe`)
    as field metadata (``unit``, ``meaning``)."""
    from sim.outcome_columns import describe

    fields = []
    for field in table.schema:
        outcome = describe(field.name)
        meta = None if outcome is None else {"unit": outcome.unit, "meaning": outcome.meaning}
        fields.append(field if meta is None else field.with_metadata(meta))
    return table.cast(pa.schema(fields, table.schema.metadata))


def read_description(path: Path) -> dict[str, object]:
    """The run description :func:`write_table` stored in a Parquet file (empty if it has none).

    Raises
    ------
    InputError
        If ``path`` is not a readable Parquet file.
    """
    try:
        stored = pq.read_schema(path).metadata or {}
    except (OSError, pa.ArrowException) as error:
        raise InputError(
            path, "", f"not a readable Parquet file ({error})", "a file written by 'r2p run --out'"
        ) from None
    return json.loads(stored[METADATA_KEY]) if METADATA_KEY in stored else {}


def write_json(data: object, path: Path) -> None:
    """Write ``data`` as indented JSON atomically."""
    write_atomically(path, lambda tmp: tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n"))


def chunk_path(folder: Path, point: int, first: int, count: int) -> Path:
    """File of the replications ``first .. first + count - 1`` of design point ``point``."""
    return folder / CHUNKS / f"point-{point:05d}-reps-{first:010d}-{first + count - 1:010d}.parquet"


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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


# --- where results may go -------------------------------------------------------------------------


def check_target(folder: Path) -> None:
    """Refuse, before anything is computed, a results folder that cannot be written.

    Raises
    ------
    InputError
        If ``folder`` is a file, is named like a file (``.parquet``, ``.csv``), lies under a file,
        or it (or the nearest folder above it that exists) is not writable.
    """
    allowed = "a new or empty folder, or a results folder of this run, in a writable place"
    if folder.suffix in (".parquet", ".csv"):
        raise InputError(
            folder, "", f"is a results folder, not a {folder.suffix} file", f"{allowed}, without {folder.suffix}"
        )
    if folder.exists() and not folder.is_dir():
        raise InputError(folder, "", "is a file, not a folder", allowed)
    existing = next(p for p in (folder, *folder.absolute().parents) if p.exists())
    if not existing.is_dir():
        raise InputError(folder, "", f"lies under {existing}, which is a file", allowed)
    _probe(existing, folder, allowed)


def check_output_file(path: Path, overwrite: bool = False) -> None:
    """Refuse, before anything is computed, an output file that is a folder, exists (unless
    ``overwrite``) or cannot be written.

    Raises
    ------
    InputError
        One line saying which.
    """
    if path.is_dir():
        raise InputError(path, "", "is a folder", "a file name ending in .parquet")
    if path.exists() and not overwrite:
        raise InputError(path, "", "exists; not replaced", "a new file name, or --overwrite to replace it")
    _probe(path.parent, path, "a file in a writable folder")


def _probe(place: Path, target: Path, allowed: str) -> None:
    """Refuse ``target`` if a file cannot be created in the folder ``place``."""
    try:
        handle, probe = tempfile.mkstemp(dir=place, prefix=".write-check.r2p-", suffix=".tmp")
    except OSError as error:
        raise InputError(target, "", f"cannot write in {place} ({error.strerror})", allowed) from None
    os.close(handle)
    os.unlink(probe)


# --- the manifest ---------------------------------------------------------------------------------


def claim(folder: Path, identity: dict[str, object], manifest: dict[str, object], fresh: bool = False) -> bool:
    """Make ``folder`` the results folder of the run ``identity`` describes.

    A new or empty folder gets ``manifest`` (which includes ``identity``). A folder that already
    holds the same run is kept, to be resumed. A folder that holds another run is refused, and so
    is one that holds files r2p did not write, unless ``fresh`` (``--overwrite``: its results were
    just removed, the other files stay).

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
    if folder.exists() and not fresh and any(folder.iterdir()):
        raise InputError(folder, "", "is not an empty folder and holds files r2p did not write (no manifest.json)",
                         "a new or empty folder, or a results folder written by r2p")  # fmt: skip
    (folder / CHUNKS).mkdir(parents=True, exist_ok=True)
    write_json(manifest, path)
    return False


def read_manifest(folder: Path) -> dict:
    """The manifest of a results folder (a JSON object holding at least :data:`RUN_KEYS`)."""
    expected = "a results folder written by r2p"
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        raise InputError(folder, MANIFEST, "missing or unreadable; this folder is not a results folder of r2p",
                         expected) from None  # fmt: skip
    if not isinstance(manifest, dict):
        raise InputError(folder, MANIFEST, f"holds a JSON {type(manifest).__name__}, not a manifest of r2p", expected)
    missing = [key for key in RUN_KEYS if key not in manifest]
    if missing:
        raise InputError(folder, MANIFEST, f"not a manifest of r2p (no {', '.join(missing)})", expected)
    if not isinstance(manifest["reps"], int) or manifest["reps"] < 1:
        raise InputError(folder, MANIFEST, f"reps: {manifest['reps']!r} is not a number of replications", expected)
    return manifest


def update_manifest(folder: Path, **fields: object) -> dict:
    """Set ``fields`` in the manifest of ``folder`` (atomically); returns the new manifest."""
    manifest = {**read_manifest(folder), **fields}
    write_json(manifest, folder / MANIFEST)
    return manifest


def record_file(folder: Path, name: str) -> None:
    """Record the SHA-256 of ``folder/name`` in the manifest, to be checked by :func:`read_design`."""
    files = dict(read_manifest(folder).get("files", {}))
    update_manifest(folder, files={**files, name: file_digest(folder / name)})


def repair_hint(folder: Path, manifest: dict | None = None) -> str:
    """What to run to redo a folder's damaged or missing files."""
    command = (manifest or {}).get("command")
    return f"run `{command}` again to redo it" if command else "run the command that wrote this folder again to redo it"


def folder_repair_hint(folder: Path) -> str:
    """:func:`repair_hint` of ``folder``, whatever state its manifest is in."""
    try:
        return repair_hint(folder, read_manifest(folder))
    except InputError:
        return repair_hint(folder)


# --- design.csv and summary.csv -------------------------------------------------------------------


def read_design(folder: Path, outputs: bool = True) -> pd.DataFrame:
    """``design.csv`` of a results folder: grid values as text (as written), point numbers as integers.

    Checks it against the manifest (its SHA-256, the number of points) and, with ``outputs``, that
    ``summary.csv`` is the one the run wrote.

    Raises
    ------
    InputError
        One line saying what is wrong and how to repair it.
    """
    path = folder / DESIGN
    if not path.is_file():
        raise InputError(folder, "", f"not a results folder (no {DESIGN})", "a folder written by 'r2p sweep'")
    manifest = read_manifest(folder)
    files = manifest.get("files", {})
    if DESIGN in files and _digest_of(path) != files[DESIGN]:
        raise InputError(folder, DESIGN, "changed since r2p wrote it; the design no longer matches the chunks",
                         f"the file as written; {repair_hint(folder, manifest)} with --overwrite")  # fmt: skip
    if outputs:
        _check_outputs(folder, manifest)
    design = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in DESIGN_COLUMNS if c not in design.columns]
    if missing:
        raise InputError(folder, DESIGN, f"has no column {', '.join(missing)}", "a design.csv written by r2p")
    if not design["point"].str.fullmatch(r"\d+").all() or list(design["point"].astype(int)) != list(range(len(design))):
        raise InputError(folder, DESIGN, "point: not the numbers 0, 1, 2, ... in order", "a design.csv written by r2p")
    if "points" in manifest and len(design) != manifest["points"]:
        raise InputError(folder, DESIGN, f"has {len(design)} points, the manifest {manifest['points']}",
                         "a design.csv written by r2p")  # fmt: skip
    design["point"] = design["point"].astype(int)
    return design


def _check_outputs(folder: Path, manifest: dict) -> None:
    """Refuse a recorded output (``summary.csv``) that is gone or is not the one the run wrote."""
    for name, digest in manifest.get("files", {}).items():
        if name == DESIGN:
            continue
        path = folder / name
        if not path.is_file():
            raise InputError(folder, name, "missing", repair_hint(folder, manifest))
        if _digest_of(path) != digest:
            raise InputError(folder, name, "replaced or edited since r2p wrote it", repair_hint(folder, manifest))


def _digest_of(path: Path) -> str:
    """:func:`file_digest`, once per version of the file (path, modification time, size)."""
    stat = path.stat()
    return _cached_digest(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4096)
def _cached_digest(path: str, mtime_ns: int, size: int) -> str:
    return file_digest(Path(path))


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
    design = read_design(Path(path).parent, outputs=False)
    sources = design[SAME_AS] if SAME_AS in design.columns else design["point"]
    return tuple((int(p), int(s)) for p, s in zip(design["point"], sources, strict=True))


# --- the chunk index ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One indexed chunk file: replications ``first .. first + count - 1`` of ``point``."""

    name: str
    point: int
    first: int
    count: int
    sha256: str

    def path(self, folder: Path) -> Path:
        """The chunk's file in ``folder``."""
        return folder / CHUNKS / self.name


def index_entry(folder: Path, point: int, first: int, count: int) -> Entry:
    """The index entry of a chunk file just written."""
    path = chunk_path(folder, point, first, count)
    return Entry(path.name, point, first, count, file_digest(path))


def write_index(folder: Path, entries: Iterable[Entry]) -> None:
    """Write ``chunks/index.json`` atomically: every chunk that counts, in replication order."""
    rows = [{"file": e.name, "point": e.point, "first": e.first, "rows": e.count, "sha256": e.sha256}
            for e in sorted(entries, key=lambda e: (e.point, e.first))]  # fmt: skip
    write_json({"chunks": rows}, folder / CHUNKS / INDEX)


def read_index(folder: Path) -> dict[str, Entry]:
    """The chunk index of ``folder`` by file name (empty if there is none)."""
    path = folder / CHUNKS / INDEX
    if not path.is_file():
        return {}
    stat = path.stat()
    return dict(_read_index(str(path.resolve()), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=16)
def _read_index(path: str, mtime_ns: int, size: int) -> tuple[tuple[str, Entry], ...]:
    try:
        rows = json.loads(Path(path).read_text())["chunks"]
        entries = [Entry(r["file"], int(r["point"]), int(r["first"]), int(r["rows"]), str(r["sha256"])) for r in rows]
    except (OSError, ValueError, KeyError, TypeError):
        folder = Path(path).parent.parent
        raise InputError(
            folder, f"{CHUNKS}/{INDEX}", "unreadable", f"the index as r2p wrote it; {folder_repair_hint(folder)}"
        ) from None
    return tuple((e.name, e) for e in entries)


def chunk_problem(folder: Path, entry: Entry) -> str | None:
    """What is wrong with an indexed chunk's file (missing, empty, changed), or None."""
    path = entry.path(folder)
    if not path.is_file():
        return "missing"
    if path.stat().st_size == 0:
        return "empty (zero bytes)"
    if _digest_of(path) != entry.sha256:
        return "changed since r2p wrote it (truncated, replaced or edited: checksum differs)"
    return None


def coverage_problem(entries: list[Entry], reps: int) -> str | None:
    """What is wrong with a point's chunks (in replication order) as replications ``0 .. reps-1``:
    a gap (a chunk deleted or never written) or an overlap."""
    expected = 0
    for e in entries:
        if e.first != expected:
            what = "overlap" if e.first < expected else "are missing"
            return f"replications {min(e.first, expected)} to {max(e.first, expected) - 1} {what} in the chunk index"
        expected += e.count
    if expected != reps:
        return f"the indexed chunks hold {expected} replications, the manifest {reps} (a chunk is missing)"
    return None


def point_entries(folder: Path, point: int) -> list[Entry]:
    """The indexed chunks of design point ``point`` (of the point it shares), in replication order."""
    source = source_points(folder).get(point, point)
    return sorted((e for e in read_index(folder).values() if e.point == source), key=lambda e: e.first)


def chunk_files(folder: Path, point: int) -> list[Path]:
    """The chunk files holding design point ``point``'s replications, in replication order.

    Only indexed chunks count, and only when all of them are there as written.

    Raises
    ------
    InputError
        One line naming the damaged or missing chunk and how to repair it.
    """
    manifest = read_manifest(folder)
    if not (folder / CHUNKS).is_dir():
        raise InputError(folder, f"{CHUNKS}/", "missing", repair_hint(folder, manifest))
    entries = point_entries(folder, point)
    for entry in entries:
        problem = chunk_problem(folder, entry)
        if problem:
            raise InputError(folder, f"{CHUNKS}/{entry.name}", problem, repair_hint(folder, manifest))
    problem = coverage_problem(entries, manifest["reps"])
    if problem:
        raise InputError(folder, f"{CHUNKS}/ (point {point})", problem, repair_hint(folder, manifest))
    return [e.path(folder) for e in entries]


# --- checking a whole folder ----------------------------------------------------------------------


def verify(folder: Path) -> list[str]:
    """Every problem of a results folder, one line each (none: it is sound).

    Checks the manifest, ``design.csv`` and ``summary.csv`` against their recorded checksums, that
    every point's indexed chunks hold all its replications, and every chunk's file: present,
    not empty, its checksum, its row count, its columns (those of the first chunk) and no NaN.
    Chunk files that are not indexed are reported too: they do not count.
    """
    try:
        manifest = read_manifest(folder)
        sources = sorted(set(source_points(folder).values()))
        read_design(folder)
    except InputError as error:
        return [str(error)]
    if not (folder / CHUNKS).is_dir():
        return [str(InputError(folder, f"{CHUNKS}/", "missing", repair_hint(folder, manifest)))]
    try:
        index = read_index(folder)
    except InputError as error:
        return [str(error)]
    problems, schema = [], None
    for point in sources:
        entries = point_entries(folder, point)
        problem = coverage_problem(entries, manifest["reps"])
        if problem:
            problems.append(f"{folder}: {CHUNKS}/ (point {point}): {problem}")
        for entry in entries:
            problem = chunk_problem(folder, entry) or _content_problem(entry.path(folder), entry.count, schema)
            if problem:
                problems.append(f"{folder}: {CHUNKS}/{entry.name}: {problem}")
            elif schema is None:
                schema = pq.read_schema(entry.path(folder))
    stray = sorted(p.name for p in (folder / CHUNKS).glob("*.parquet") if p.name not in index)
    if stray:
        problems.append(f"{folder}: {CHUNKS}/: {len(stray)} chunk file(s) not in the index, not counted "
                        f"({', '.join(stray[:3])}{', ...' if len(stray) > 3 else ''}); remove them")  # fmt: skip
    return problems


def _content_problem(path: Path, rows: int, schema: pa.Schema | None) -> str | None:
    """What is wrong inside a chunk file: unreadable, row count, columns, NaN."""
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as error:
        return f"unreadable ({error})"
    if table.num_rows != rows:
        return f"holds {table.num_rows} rows, the index {rows}"
    if schema is not None and not table.schema.equals(schema, check_metadata=False):
        return "its columns differ from the other chunks'"
    for name, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_floating(column.type) and bool(np.isnan(column.to_numpy(zero_copy_only=False)).any()):
            return f"column {name} holds NaN"
    return None


# --- the project's own files ----------------------------------------------------------------------


def clear_temporary(folder: Path) -> None:
    """Delete the temporary files a killed run of r2p left in ``folder`` and its ``chunks/`` and
    ``plots/`` (named by :func:`write_atomically`; no other file is touched)."""
    for place in (folder, folder / CHUNKS, folder / PLOTS):
        for leftover in place.glob(".*.tmp") if place.is_dir() else ():
            if _TEMPORARY.match(leftover.name):
                leftover.unlink(missing_ok=True)


def project_files(folder: Path) -> list[Path]:
    """The files of a sweep's results folder that r2p wrote (its own names; nothing else)."""
    named = [folder / name for name in (MANIFEST, DESIGN, SUMMARY, REPORT)] + [folder / CHUNKS / INDEX]
    chunks = [p for p in (folder / CHUNKS).glob("*.parquet") if _CHUNK_NAME.match(p.name)]
    plots = [p for p in (folder / PLOTS).glob("*.png") if _PLOT_NAME.match(p.name)]
    return [p for p in named if p.is_file()] + sorted(chunks) + sorted(plots)


def remove_results(folder: Path) -> None:
    """Delete what r2p wrote in a results folder (:func:`project_files`, its temporary files, then
    ``chunks/`` and ``plots/`` if that leaves them empty); other files stay."""
    clear_temporary(folder)
    for path in project_files(folder):
        path.unlink()
    for place in (folder / CHUNKS, folder / PLOTS):
        if place.is_dir() and not any(place.iterdir()):
            place.rmdir()
