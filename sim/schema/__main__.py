"""``python -m sim.schema``: write ``schemas/KIND.json``, the field tables of ``docs/user-guide.md``
and the README's outcome table."""

from __future__ import annotations

import json

from sim.config import REPO_ROOT
from sim.schema import KINDS, json_schema
from sim.schema.guide import update

SCHEMAS = REPO_ROOT / "schemas"
GUIDE = REPO_ROOT / "docs" / "user-guide.md"
README = REPO_ROOT / "README.md"
README_TABLES = ("outcomes",)
"""The generated tables the README repeats from the guide."""


def schema_text(kind: str) -> str:
    """The text of ``schemas/KIND.json``."""
    return json.dumps(json_schema(kind), indent=2) + "\n"


def main() -> None:
    """Rewrite the schema files, the guide's tables and the README's copies of them."""
    SCHEMAS.mkdir(exist_ok=True)
    for kind in KINDS:
        (SCHEMAS / f"{kind}.json").write_text(schema_text(kind), encoding="utf-8")
    GUIDE.write_text(update(GUIDE.read_text(encoding="utf-8")), encoding="utf-8")
    README.write_text(update(README.read_text(encoding="utf-8"), README_TABLES), encoding="utf-8")


if __name__ == "__main__":
    main()
