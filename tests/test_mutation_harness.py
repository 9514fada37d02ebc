"The mutation check's own machinery: the declared equivalents, the proof on the boundary grid, the verdict line."
import sys
from pathlib import Path

import os

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import mutation as mu  # noqa: E402


@pytest.fixture(scope="module")
def mutants_by_key():
    return {m.key: m for m in mu.all_mutants()}


def test_declared_equivalents_parse_and_name_existing_mutants(mutants_by_key):
    declared = mu.load_equivalents()
    assert all(len(r) >= mu.REASON_AT_LEAST for r in declared.values())
    assert [k for k in declared if k not in mutants_by_key] == []


@pytest.mark.slow  # proofs over the possible points: the full run
def test_declared_equivalents_are_not_proven(mutants_by_key):
    "A mutant the grid proves equivalent needs no declaration: a declared one that is proven is stale."
    assert [k for k in mu.load_equivalents() if mu.proof(mutants_by_key[k])] == []


def test_equivalents_file_rejects_vague_or_malformed_entries(tmp_path):
    bad = tmp_path / "eq.yaml"
    bad.write_text('- key: "t|r|add-value|x -> y"\n  reason: equivalent\n')
    with pytest.raises(ValueError, match="reason"): mu.load_equivalents(bad)
    bad.write_text('- key: "t|r|add-value"\n  reason: "a reason long enough to pass the length check here"\n')
    with pytest.raises(ValueError, match="table\\|rule\\|kind\\|detail"): mu.load_equivalents(bad)
    bad.write_text('- keys: ["a|b|c|d", "a|b|c|d"]\n  reason: "a reason long enough to pass the length check here"\n')
    with pytest.raises(ValueError, match="twice"): mu.load_equivalents(bad)


def test_equivalents_folder_reads_every_file_and_rejects_a_key_in_two(tmp_path):
    entry = '- key: "a|b|c|d"\n  reason: "a reason long enough to pass the length check here"\n'
    (tmp_path / "one.yaml").write_text(entry)
    (tmp_path / "two.yaml").write_text(entry.replace("a|b|c|d", "e|f|g|h"))
    assert sorted(mu.load_equivalents(tmp_path)) == ["a|b|c|d", "e|f|g|h"]
    (tmp_path / "three.yaml").write_text(entry)
    with pytest.raises(ValueError, match="twice"): mu.load_equivalents(tmp_path)


def _mutant(table_name, predicate):
    return next(m for m in mu.all_mutants(table_name) if predicate(m))


def test_a_moved_cut_is_never_proven_equivalent():
    "WHO 2019 G2 from Ki-67 3.0 (clinical_facts 1.1): moving that cut changes the grade of a patient, so no proof may hold."
    m = _mutant("grade_who2019", lambda m: m.rule == "GR2019-G2" and m.kind == "threshold-down" and "Ki-67 ≥ 3" in m.detail)
    assert mu.proof(m) == ""


def test_a_shadowed_rule_change_is_proven():
    "Under hit policy first GR2019-G3 comes before GR2019-G2, so raising G2's upper Ki-67 cut changes no grade."
    m = _mutant("grade_who2019", lambda m: m.rule == "GR2019-G2" and m.kind == "threshold-up" and "Ki-67 ≤ 20" in m.detail)
    assert mu.proof(m) != ""


def test_proof_grid_splits_every_cut_and_keeps_unknown():
    m = _mutant("grade_who2019", lambda m: m.rule == "GR2019-G1" and m.kind == "threshold-up" and "Ki-67" in m.detail)
    grid = mu.proof_grid([c for c in m.table.conditions] + [r.when for r in m.rules])
    ki67 = set(grid["ki67_pct"].dropna())
    assert {3.0, 3.1} <= ki67 and any(2.9 < x < 3.0 for x in ki67) and any(3.0 < x < 3.1 for x in ki67)
    assert grid["ki67_pct"].isna().any() and grid["differentiation"].isna().any()


def test_judge_counts_stale_declarations():
    m = _mutant("n_from_nodes", lambda m: True)
    other = "n_from_nodes|N-N0|drop-rule|no such change"
    v = mu.judge([m], {m.key: "vignette X"}, {m.key: "x" * 50, other: "y" * 50})
    assert m.key in v.killed and set(v.stale) == {m.key, other}
    assert v.line.endswith("2 unexplained")


@pytest.mark.slow
def test_a_small_table_leaves_nothing_unexplained():
    "The full check on one small table: every mutant of `n_from_nodes` is killed, proven or declared."
    runner = mu.Runner()
    ms = mu.all_mutants("n_from_nodes")
    v = mu.judge(ms, {m.key: mu.run_mutant(runner, m) for m in ms}, mu.load_equivalents(), {"n_from_nodes"})
    assert not v.unexplained and not v.stale, v.line


def test_grade_agrees_with_class_on_the_grading_grid():
    """The invariant the proofs may rest on (`mutation.INVARIANTS`): whatever differentiation, indices and recorded grade
    a patient brings, the grading steps never write a G1-G3 beside NEC or MiNEN, nor NEC or MiNEN beside NET."""
    import itertools
    import pandas as pd
    from pannet_guideline.cohort import assess_frame
    axes = dict(differentiation=[None, "well", "poor", "mixed", "NEC"], ki67_pct=[None, 2.9, 3.0, 20.0, 20.1, 55.0],
                mitoses_per_2mm2=[None, 1, 2, 20, 21], recorded_grade=[None, "G1", "G2", "G3", "NET G3", "NEC", "MiNEN"],
                recorded_grade_edition=[None, "who-2010", "who-2019"])
    df = pd.DataFrame(list(itertools.product(*axes.values())), columns=list(axes), dtype=object)
    for grading in ("who-2019", "who-2010"):
        out = assess_frame(df, grading=grading)
        net = out["nen_class"] == "NET"
        graded = out["who_grade"].isin(["G1", "G2", "G3"])
        bad = (graded & out["nen_class"].isin(["NEC", "MiNEN"])) | (net & out["who_grade"].isin(["NEC", "MiNEN"])) \
            | ((out["who_grade"] == "NEC") & out["nen_class"].isin(["NET", "MiNEN"])) \
            | ((out["who_grade"] == "MiNEN") & out["nen_class"].isin(["NET", "NEC"]))
        assert not bad.any(), out.loc[bad, ["nen_class", "who_grade"]].join(df).head()
        # a grade is never known without the class (declared: WU-STAGING-CLASS is covered by WU-STAGING-GRADE)
        assert not ((out["nen_class"] == "unknown") & (out["who_grade"] != "unknown")).any()
        # a carcinoma or a mixed neoplasm is always graded as such: only a NET waits for its indices
        assert not (out["nen_class"].isin(["NEC", "MiNEN"]) & (out["who_grade"] == "unknown")).any()


UNREACHABLE = ("GEA-G1-G2", "GEA-G1-G3", "GEA-G1-NEC", "GEA-G2-G3", "GEA-G2-NEC", "GEA-G3-G1", "GEA-G3-G2", "GEA-G3-NEC",
               "GEA-NEC-G1", "GEA-NEC-G2", "RGA-G1-NEC", "RGA-G2-NEC", "RGA-G3-NEC", "RGA-NEC-G3",
               "RGA-G2-G1", "RGA-G3-G1", "RGA-G3-G2", "RGA-NEC-G1", "RGA-NEC-G2")


def test_rules_declared_unreachable_never_fire_on_the_grading_grid():
    "The rules whose removal tools/mutation_equivalents/ declares invisible never fire for any grading input class."
    import itertools
    import pandas as pd
    from pannet_guideline.cohort import assess_frame
    declared = " ".join(mu.load_equivalents())
    assert all(f"|{r}|drop-rule|" in declared for r in UNREACHABLE)
    axes = dict(differentiation=[None, "well", "poor", "mixed", "NEC", "NET G3"], ki67_pct=[None, 0.5, 2.0, 2.5, 3.0, 20.0, 20.1, 55.0],
                mitoses_per_2mm2=[None, 1, 2, 20, 21], recorded_grade=[None, "G1", "G2", "G3", "NEC", "NET G3"],
                recorded_grade_edition=[None, "who-2010", "who-2017", "who-2019", "who-2022"])
    df = pd.DataFrame(list(itertools.product(*axes.values())), columns=list(axes), dtype=object)
    df["tumor_size_cm"], df["metastatic_sites"], df["nodal_status"], df["local_invasion"] = 1.5, "none", "N0", "none"
    for grading in ("who-2010", "who-2019"):
        fired = {r for ids in assess_frame(df, grading=grading)["rule_ids"] for r in str(ids).split(";")}
        assert fired.isdisjoint(UNREACHABLE), sorted(fired & set(UNREACHABLE))
        assert {"GEA-G2-G1", "GEA-NEC-G3"} <= fired or grading == "who-2019"  # the grid does reach the edition alerts


def test_possible_points_are_the_ones_the_grading_steps_reach():
    """A NEC never carries a NET grade nor a NET the label NEC (WHO 2019, clinical_facts 1.1 R-GR-01); nor does a G1 sit
    beside a Ki-67 of 3 % (no G1 record stands beside it, R-GR-02), while a G1 beside 2.9 % is reachable."""
    import pandas as pd
    from pannet_guideline.guideline import assess
    classes = pd.DataFrame([("NEC", "G1"), ("NET", "NEC"), ("NET", "G1")], columns=["nen_class", "who_grade"], dtype=object)
    assert mu._possible(classes).tolist() == [False, False, True]
    assert assess({"ki67_pct": 2.9, "recorded_grade": "G1"}).who_grade == "G1"
    assert assess({"ki67_pct": 3.0, "recorded_grade": "G1"}).who_grade == "unknown"  # no G1 has a Ki-67 of 3 % (R-GR-02)
    grades = pd.DataFrame([("G1", 3.0), ("G1", 2.9), (None, 3.0)], columns=["who_grade", "ki67_pct"], dtype=object)
    assert mu._possible(grades).tolist() == [False, True, True]


def test_a_proof_on_the_possible_points_can_fail():
    """`WHO grade is G2 or Ki-67 ≥ 3 %` -> `... > 3 %` differs for a grade other than G2 beside a Ki-67 of exactly 3 %, which a
    tumour whose grade is unknown for want of a morphology reaches: no proof, on any grid, may hide it."""
    m = _mutant("localized_ki67_alerts", lambda m: m.rule == "ALL-SURVEILLANCE-G2" and m.kind == "threshold-op")
    assert mu._proof(m, (), possible=True) == "" and mu.proof(m) == ""


def test_merged_outputs_hide_a_weaker_copy_only():
    """SC-UNENCODED-SYNDROME gives SYNDROME_CONTROL as `consider`: adding insulinoma to it changes nothing once merged, as
    the insulinoma rule already recommends it; adding another syndrome to the gastrinoma PPI rule raises an unencoded
    syndrome's `consider` to `recommended` and must stay unproven (clinical_facts 13.2: no medical control found for
    somatostatinoma)."""
    hidden = _mutant("syndrome_control", lambda m: m.rule == "SC-UNENCODED-SYNDROME" and m.kind == "add-value" and m.detail.endswith("insulinoma"))
    assert mu._proof(hidden, ()) == "" and mu.proof(hidden).startswith("same merged outputs")
    shown = _mutant("syndrome_control", lambda m: m.rule == "SC-GASTRINOMA-PPI" and m.kind == "add-value" and m.detail.endswith("somatostatinoma"))
    assert mu.proof(shown) == ""


@pytest.mark.slow  # proofs over the possible points: the full run
def test_a_mutant_a_vignette_kills_is_not_proven_on_the_possible_points():
    "PIN-FUN-GASTRINOMA-TAIL excludes everolimus for a gastrinoma (clinical_facts 5.1, 13.2): no proof may hide that mutant."
    m = _mutant("syndrome_control", lambda m: m.rule == "SC-INSULINOMA-EVEROLIMUS" and m.kind == "add-value" and m.detail.endswith("gastrinoma"))
    assert mu.run_mutant(mu.Runner(), m).startswith("vignette ")
    assert mu.proof(m) == ""


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("PANNET_MUTATION_SOUNDNESS"), reason="minutes of mutants: run with PANNET_MUTATION_SOUNDNESS=1 "
                    "after changing a proof in tools/mutation.py")
def test_no_mutant_a_vignette_kills_is_proven():
    """Soundness of every proof, the possible points and the merged outputs included: on a table that reads a grade beside
    its Ki-67, and on one whose codes it and other tables give at several strengths, no mutant a vignette kills is proven."""
    runner = mu.Runner()
    for name in ("localized_ki67_alerts", "syndrome_control"):
        killed = [m for m in mu.all_mutants(name) if mu.run_mutant(runner, m).startswith("vignette ")]
        assert killed and [m.key for m in killed if mu.proof(m)] == []


def test_a_recorded_high_grade_beside_poor_morphology_adds_nothing():
    "The claim behind the declared RG-HIGH-POOR removal: on the grading grid no output but the rule trail changes."
    import itertools
    import pandas as pd
    from pannet_guideline.cohort import assess_frame
    m = _mutant("grade_from_record", lambda m: m.rule == "RG-HIGH-POOR" and m.kind == "drop-rule")
    assert m.key in mu.load_equivalents()
    axes = dict(differentiation=[None, "well", "poor", "mixed", "NEC", "NET G3"], ki67_pct=[None, 2.0, 10.0, 30.0, 60.0],
                mitoses_per_2mm2=[None, 1, 30], recorded_grade=[None, "G1", "G2", "G3", "NEC", "NET G3"],
                recorded_grade_edition=[None, "who-2010", "who-2017", "who-2019"])
    df = pd.DataFrame(list(itertools.product(*axes.values())), columns=list(axes), dtype=object)
    df["tumor_size_cm"], df["metastatic_sites"], df["nodal_status"], df["local_invasion"] = 1.5, "none", "N0", "none"
    for grading in ("who-2019", "who-2010"):
        before = assess_frame(df, grading=grading)
        with mu.applied(m): after = assess_frame(df, grading=grading)
        assert (before["rule_ids"].astype(str) != after["rule_ids"].astype(str)).any()  # the rule does fire on this grid
        cols = [c for c in before.columns if c != "rule_ids"]
        assert before[cols].astype(str).equals(after[cols].astype(str))
