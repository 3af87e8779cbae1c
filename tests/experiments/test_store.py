"""``sim.experiments.store``: outcome tables written with their column descriptions."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

import sim
from sim.experiments.store import read_description, write_table
from sim.outcome_columns import OUTCOME_TABLE, describe


def test_parquet_outcome_columns_carry_unit_and_meaning(tmp_path: Path) -> None:
    table = sim.simulate("fragile_region", "no_response", 4, seed=1, weeks=3, by_state=True)
    table.insert(0, "point", 0)
    path = tmp_path / "t.parquet"
    write_table(table, path, {"seed": 1})
    schema = pq.read_schema(path)
    for column in table.columns:
        meta = schema.field(column).metadata
        outcome = describe(column)
        if outcome is None:
            assert column == "point" and not meta
        else:
            assert meta == {b"unit": outcome.unit.encode(), b"meaning": outcome.meaning.encode()}, column
    assert schema.field("cost").metadata[b"unit"] == b"US$ million"
    assert len(OUTCOME_TABLE) + 2 < len(table.columns), "per-state columns are described too"
    assert read_description(path) == {"seed": 1}
    assert pq.read_table(path).to_pandas().equals(table)
