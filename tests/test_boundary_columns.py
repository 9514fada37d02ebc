"""The static analysis reads a table's boundary grid built axis by axis: the store it reads is the one the frame of every
point gives, the points it reports are that frame's rows, and a table with a rule taken out shows the gap where the frame does."""
import numpy as np
import pandas as pd
import pytest

from pannet_guideline.tables import DecisionTable, boundary_axes, boundary_columns, boundary_grid, columns_from_canonical, grid_points

from conftest import all_tables, grid_size

SMALL = [t for t in all_tables() if grid_size(t) <= 50_000]


@pytest.mark.parametrize("table", SMALL, ids=lambda t: t.name)
def test_the_store_built_per_axis_is_the_frame_read_back(table):
    want, got = columns_from_canonical(boundary_grid(table)), boundary_columns(boundary_axes(table))
    assert got.n == want.n and list(got.data) == list(want.data)
    for name in want.data: np.testing.assert_array_equal(got.data[name], want.data[name], err_msg=f"{table.name}: {name}")


@pytest.mark.parametrize("table", SMALL[::7], ids=lambda t: t.name)
def test_points_at_positions_are_the_rows_of_the_frame(table):
    grid = boundary_grid(table)
    at = np.random.default_rng(0).choice(len(grid), size=min(25, len(grid)), replace=False)
    pd.testing.assert_frame_equal(grid_points(boundary_axes(table), at, index=at), grid.iloc[at])


def test_a_rule_taken_out_leaves_the_gap_the_frame_shows():
    table = next(t for t in SMALL if t.complete and len(t.rules) > 2 and t.analysis_assume is None)
    cut = DecisionTable(table.name, table.title, table.rules[1:], table.hit_policy, table.output, table.complete, scope=table.scope)
    grid, cols = boundary_grid(cut), columns_from_canonical(boundary_grid(cut))
    known = ~np.logical_or.reduce([cols.unknown(n) for n in grid.columns])
    inside = cut.scope.frame(cols).t if cut.scope is not None else np.ones(len(grid), bool)
    held = np.logical_or.reduce([c.frame(cols).t for c in cut.conditions]) if cut.rules else np.zeros(len(grid), bool)
    want = grid[known & inside & ~held]
    assert len(want), "taking a rule out of a complete table leaves a gap"
    pd.testing.assert_frame_equal(cut.analyse().gaps, want)
