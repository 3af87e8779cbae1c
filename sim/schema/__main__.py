"""``python -m sim.schema``: write ``schemas/KIND.json`` and the field tables of ``docs/user-guide.md``."""

from __future__ import annotations

import json

from sim.config import REPO_ROOT
from sim.schema import KINDS, json_schema
from sim.schema.guide import update

SCHEMAS = REPO_ROOT / "schemas"
GUIDE = REPO_ROOT / "docs" / "user-guide.md"


def schema_text(kind: str) -> str:
    """The text of ``schemas/KIND.json``."""
    return json.dumps(json_schema(kind), indent=2) + "\n"


def main() -> None:
    """Rewrite the schema files and the guide's tables."""
    SCHEMAS.mkdir(exist_ok=True)
    for kind in KINDS:
        (SCHEMAS / f"{kind}.json").write_text(schema_text(kind), encoding="utf-8")
    GUIDE.write_text(update(GUIDE.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
