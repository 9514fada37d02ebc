"""The flowcharts are the tables: following a diagram from every boundary-grid point reaches exactly the rules the table fires."""
import numpy as np
import pytest

from pannet_guideline.guideline import POLICIES, chapter_tables
from pannet_guideline.pathway import (Leaf, chapter_flowcharts, chapter_names, cohort_pathway, pathways, patient_pathway,
                                      recommendation_counts, walk)
from conftest import boundary_grid_of, grid_size

pytestmark = pytest.mark.xdist_group("pathways")  # with --dist loadgroup, one worker draws the pathways once for all these tests

TABLES = {t.name: t for p in POLICIES for t in chapter_tables(p)}
DIAGRAM_QUICK_UP_TO = 100_000  # grid points: larger tables' diagrams walked in the full run only; every smaller one in the quick run


def _walked(table, cols):
    "Fired-rule mask and blocked flag per row, read off the table's diagrams alone."
    ids = [r.id for r in table.rules]
    fired, blocked = np.zeros(cols.n, np.uint64), np.zeros(cols.n, bool)
    for p in pathways(table):
        where, leaves, _ = walk(p, cols)
        fired |= np.array([sum(1 << ids.index(r) for r in lf.fired) for lf in leaves], np.uint64)[where]
        blocked |= np.array([lf.blocked for lf in leaves])[where]
    return fired, blocked


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if grid_size(TABLES[n]) > DIAGRAM_QUICK_UP_TO else n
                                  for n in sorted(TABLES)])
def test_diagram_matches_table_on_boundary_grid(name):
    table = TABLES[name]
    cols = boundary_grid_of(table, with_unknown=True, assume=False).cols  # `boundary_grid` row for row, unknowns included, built per axis
    fd = table.decide_frame(cols)
    fired, blocked = _walked(table, cols)
    np.testing.assert_array_equal(fired, fd.fired.astype(np.uint64))
    open_ = fd.pending != 0 if table.hit_policy == "collect" else fd.gaps != 0
    np.testing.assert_array_equal(blocked, open_)


def test_grid_points_counted():
    "How many points the test above walks (every table of both policies, unknowns included)."
    total = sum(grid_size(t) for t in TABLES.values())
    print(f"\nequivalence tested on {total:,} grid points over {len(TABLES)} tables")
    assert total > 1_000_000


def test_every_chapter_has_diagrams_under_both_policies():
    for ch in chapter_names():
        for pol in POLICIES:
            assert len(chapter_flowcharts(ch, pol)) >= 1


SMALL_NF = dict(differentiation="well", ki67_pct=2, tumor_size_cm=1.5, local_invasion="none", nodal_status="N0",
                metastatic_sites="none", functional_syndrome="none", resectable="yes", symptomatic=False)


def _reached(dot):
    "The leaf a route ends at (drawn bold)."
    hot = [line for line in dot.splitlines() if line.lstrip().startswith("L") and "penwidth=3" in line]
    assert len(hot) <= 1
    return hot[0] if hot else ""


def _surveillance_chart(charts):
    "The localised-NET diagram that can reach surveillance (the whole table, or its surveillance diagram)."
    return next(d for t, d in charts.items if t.startswith("Localised") and "Active surveillance" in d)  # items drawn by their labels


def test_patient_route_small_nonfunctioning_reaches_surveillance():
    "seed.10: a non-functioning G1/G2 NET under 2 cm may be watched (clinical_facts 4.1)."
    dot = _surveillance_chart(patient_pathway(SMALL_NF, "localized", "seed-2025"))
    assert "Active surveillance" in _reached(dot) and "ACTIVE_SURVEILLANCE" not in dot
    assert "patient: G1" in dot and "missing: WHO grade" not in dot


def test_patient_route_marks_missing_ki67():
    "Without Ki-67 a well-differentiated NET has no WHO grade: the route is marked at the grade node."
    rec = {k: v for k, v in SMALL_NF.items() if k != "ki67_pct"}
    dot = _surveillance_chart(patient_pathway(rec, "localized", "seed-2025"))
    missing = [line for line in dot.splitlines() if "missing:" in line]
    assert any("WHO grade" in line for line in missing), missing  # the node where the route stops names the missing grade
    assert "undecided" in _reached(dot) and "Active surveillance" not in _reached(dot)


def test_patient_route_rejects_bad_value():
    with pytest.raises(Exception, match="tumor_size_cm"):
        patient_pathway({**SMALL_NF, "tumor_size_cm": -3}, "localized")


def test_cohort_counts_add_up():
    from pannet_guideline.datasets import demo_cohort
    demo = demo_cohort()
    fc = cohort_pathway(demo, "localized", "seed-2025")
    assert f"n = {len(demo):,} (100.0%)" in fc.items[0][1]
    counts = recommendation_counts(demo)
    assert list(counts.columns) == list(POLICIES) and (counts.to_numpy() <= len(demo)).all()
