"""Fixtures of the input fuzz suite."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def fuzz_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the generated files (one per test, rewritten for each example)."""
    return tmp_path_factory.mktemp("fuzz")
