"""The Numba cache fingerprint covers every source a compiled function can depend on."""

from __future__ import annotations

from pathlib import Path

import sim.jit

PACKAGE = Path(sim.jit.__file__).parent


def relative(paths: list[Path]) -> set[str]:
    return {str(p.relative_to(PACKAGE)) for p in paths}


def test_compiled_sources_follow_imports_of_the_compiled_modules() -> None:
    sources = relative(sim.jit._compiled_sources(PACKAGE))
    assert {"jit.py", "rng.py", "state.py", "engines/kernel.py", "rules/response.py"} <= sources
    # constants frozen into compiled code come from modules the rules import
    assert {"concepts.py", "parameters.py"} <= sources
    # front ends cannot change compiled code
    assert not sources & {"cli.py", "experiments/sweep.py", "engines/mesa_model.py"}


def test_fingerprint_changes_with_a_compiled_source_only(tmp_path: Path) -> None:
    copy = tmp_path / "sim"
    for path in PACKAGE.rglob("*.py"):
        target = copy / path.relative_to(PACKAGE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())

    def fingerprint() -> str:
        return sim.jit._digest(sim.jit._compiled_sources(copy))

    before = fingerprint()
    (copy / "cli.py").write_text("# edited\n")
    assert fingerprint() == before
    with (copy / "rules" / "harm.py").open("a") as f:
        f.write("# edited\n")
    assert fingerprint() != before
