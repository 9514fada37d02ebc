"""The shortcuts of the cohort reading give the same result as the plain reading they replace.

Not a medical device: these tests check software behaviour only.
"""
import os
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st
from pandas.testing import assert_frame_equal

from pannet_guideline import assess_frame, fast, schema, tables
from pannet_guideline.fast import speed
from pannet_guideline.datasets import synthetic_cohort
from pannet_guideline.policies import POLICIES


def _messy(n, seed):
    "A synthetic cohort with plain text columns and some values of the wrong kind, blanks and boundary numbers."
    df = synthetic_cohort(n, seed=seed, categorical=False)
    rng = np.random.default_rng(seed)
    for col, odd in (("ki67_pct", [3, 20.0, "55", None, "x"]), ("tumor_size_cm", [1.0, 2.0, 4.0, np.nan]),
                     ("mitoses_per_2mm2", [2.0, 20.0]), ("differentiation", [None, "poorly", 7])):
        rows = rng.choice(n, n // 20, replace=False)
        df[col] = df[col].astype(object)
        df.loc[rows, col] = pd.Series(rng.choice(np.array(odd, dtype=object), len(rows)), index=rows)
    return df


@pytest.mark.parametrize("policy", [pytest.param(p, marks=pytest.mark.slow) for p in POLICIES])  # the quick run: every shortcut off at once
def test_reading_per_combination_equals_reading_per_row(policy):
    "Each policy's tables read per combination of their inputs equal them read row by row (the first policy in the quick run)."
    df = _messy(4_000, seed=11)
    fast.taken.clear()
    quick = assess_frame(df, policy=policy)
    assert fast.taken["combinations"] >= 10  # the shortcut was taken for many tables
    with speed(combinations_at_most=0, counted_from=0, present_at_most=1.0):  # every table that can be is read per combination present, counted in an int32 key
        fast.taken.clear()
        assert_frame_equal(quick, assess_frame(df, policy=policy))
        assert fast.taken["present_combinations"] >= 10
    with speed(combinations_at_most=0, counted_per_row=0):  # every table read row by row (the scope shortcut still on)
        assert_frame_equal(quick, assess_frame(df, policy=policy))
    with speed(off=True):  # and every table on every row
        assert_frame_equal(quick, assess_frame(df, policy=policy))



@pytest.mark.slow  # one shortcut alone: the quick run turns every shortcut off at once (test_every_shortcut_off_gives_the_same_cohort_answers)
def test_reading_in_scope_equals_reading_every_row():
    df = _messy(4_000, seed=13)
    with speed(combinations_at_most=0, counted_per_row=0):
        fast.taken.clear()
        scoped = assess_frame(df, policy="nccn-2025")
        assert fast.taken["scope_rows"] >= 10  # tables read on their scope's rows alone
    with speed(combinations_at_most=0, counted_per_row=0, in_scope_at_most=-1.0):
        assert_frame_equal(scoped, assess_frame(df, policy="nccn-2025"))


def test_grouping_by_object_equals_grouping_by_value():
    "Shared objects (True, 1, 1.0, '1', None, NaN) and equal text held in distinct objects, in a long object column."
    n = 50_000
    pool = np.array([True, 1, 1.0, "1", None, np.nan, np.float32("nan"), False, 0, "G1", "".join(["G", "1"]), pd.NaT], dtype=object)
    values = pool[np.random.default_rng(3).integers(0, len(pool), n)]
    idx, reps = schema._distinct(pd.Series(values, dtype=object))
    assert fast.distinct_objects(values) is not None  # the shortcut applies to this column
    with speed(off=True): idx2, reps2 = schema._distinct(pd.Series(values, dtype=object))
    as_values = lambda i, r: [(type(r[k]).__name__, str(r[k])) if k >= 0 else None for k in i]
    assert as_values(idx, reps) == as_values(idx2, reps2)


@pytest.mark.slow  # one shortcut alone: the quick run turns every shortcut off at once (test_every_shortcut_off_gives_the_same_cohort_answers)
def test_object_shortcut_on_a_cohort():
    df = _messy(5_000, seed=12)  # long enough for the shortcut with samples of 1,024 rows (4 samples)
    for col in ("carcinoid_syndrome", "symptomatic", "multifocal"):
        df[col] = df[col].astype(object).where(df.index % 7 != 0, "yes")
    fast.taken.clear()
    with speed(identity_sample=1_024): quick = assess_frame(df)
    assert fast.taken["distinct_objects"]  # the shortcut was taken
    with speed(identity_sample=10**9):  # this shortcut alone off: no column is long enough for it
        assert_frame_equal(quick, assess_frame(df))


def test_a_table_reading_many_fields_is_read_row_by_row():
    "The number of combinations is counted without overflow: 34 text and flag fields give about 3e21, far above the limit."
    import functools
    from pannet_guideline.logic import And, Field
    from pannet_guideline.schema import FIELDS, Columns
    from pannet_guideline.tables import DecisionTable, Rule
    names = [n for n, s in FIELDS.items() if s.kind in ("text", "flag")]
    when = functools.reduce(And, [Field(n) == FIELDS[n].vocab[0] for n in names])
    table = DecisionTable("many_fields", "Many fields", [Rule("many.1", when, "G1", ("who2019.grade-table",))])
    cols = Columns(100_000, {n: np.zeros(100_000, np.int8) for n in names})
    assert len(table.inputs) == len(names) >= 30
    assert tables._input_combinations(table, cols) is None
    assert table.decide_frame(cols).outcome.tolist() == [0] * 100_000


def _joined_row_by_row(parts, n, dedupe):
    "The oracle: each row's labels of the set bits, table after table, joined with `;`."
    out = []
    for i in range(n):
        labels = [lab for mask, labs in parts for b, lab in enumerate(labs) if int(mask[i]) >> b & 1]
        out.append(";".join(dict.fromkeys(labels) if dedupe else labels))
    return out


def _random_parts(n, seed):
    rng = np.random.default_rng(seed)
    parts = []
    for t in range(30):  # widths and densities as in a cohort: most tables fire one rule or none
        width = int(rng.integers(1, 12))
        mask = np.where(rng.random(n) < 0.3, 1 << rng.integers(0, width, n), 0) | np.where(rng.random(n) < 0.05, rng.integers(0, 1 << width, n), 0)
        parts.append((mask.astype(np.uint16), [f"T{t}-R{b}" for b in range(width)]))
    return parts


@pytest.mark.parametrize("dedupe", [False, True])
def test_join_masks_on_a_large_cohort_equals_row_by_row(dedupe):
    from pannet_guideline.cohort import join_masks
    n = 6_000  # above the size from which rows are grouped by their packed masks, as lowered here
    rows = np.random.default_rng(3).integers(0, 1_500, n)  # 1,500 combinations repeated: grouping pays
    parts = [(m[rows], labels) for m, labels in _random_parts(1_500, seed=3)]
    if dedupe: parts.append((parts[0][0], parts[0][1]))  # the same labels again: dropped when deduplicating
    fast.taken.clear()
    with speed(grouped_from=1_000): joined = list(join_masks(parts, n, dedupe=dedupe))
    assert fast.taken["row_groups"] and joined == _joined_row_by_row(parts, n, dedupe)


@given(st.integers(0, 40).flatmap(lambda n: st.tuples(st.just(n), st.sets(st.integers(0, n - 1), max_size=n) if n else st.just(set()),
                                                      st.lists(st.sampled_from(["", "G1/G2: SSA", "NEC: PLATINUM_ETOPOSIDE", "a;b"]), min_size=1, max_size=5))),
       st.randoms())
def test_a_text_column_set_at_some_rows_holds_those_texts_and_only_the_categories_it_uses(case, rnd):
    from pannet_guideline.cohort import _texts_at
    n, rows, texts = case
    rows = np.array(sorted(rows), np.int64)
    which = np.array([rnd.randrange(len(texts)) for _ in rows], np.int64)
    column = _texts_at(n, rows, which, texts)
    want = [""] * n
    for r, w in zip(rows, which): want[r] = texts[w]
    assert list(column) == want and list(column.categories) == sorted(set(want))


def test_rows_whose_masks_hash_alike_are_still_told_apart(monkeypatch):
    from pannet_guideline import cohort
    n = 6_000
    monkeypatch.setattr(fast.settings, "grouped_from", 1_000)  # grouping on this smaller cohort
    rng = np.random.default_rng(4)
    patterns = [(m[:200], labels) for m, labels in _random_parts(200, seed=4)[:12]]  # 12 masks of up to 11 bits: more than one 64-bit word
    rows = rng.integers(0, 200, n)  # a cohort repeating 200 rows: few combinations, as grouping expects
    parts = [(m[rows], labels) for m, labels in patterns]
    monkeypatch.setattr(fast, "_scrambled", lambda h: h & np.uint64(0))  # every hash equal to the last word: collisions
    group, k, first = fast.row_groups(parts, n)
    packed = np.stack([m for m, _ in parts], axis=1)
    assert k == len(np.unique(packed, axis=0))  # exactly the distinct combinations
    assert (packed[first][group] == packed).all()  # every row in the group of its own combination
    assert list(cohort.join_masks(parts, n)) == _joined_row_by_row(parts, n, True)


@pytest.mark.slow  # one shortcut alone: the quick run turns every shortcut off at once (test_every_shortcut_off_gives_the_same_cohort_answers)
def test_threads_give_the_result_of_one_after_another():
    df = _messy(5_000, seed=5)
    with speed(threads_from=2_000, threads=2):  # a smaller cohort above it: columns, tables and outputs in threads
        fast.taken.clear()
        threaded = assess_frame(df)
        assert fast.taken["threads"] >= 4  # reading, at least one batch of tables, and both rounds of output columns
    with speed(threads_from=2_000, threads=1):
        assert_frame_equal(threaded, assess_frame(df))


@pytest.mark.slow  # one shortcut alone: the quick run turns every shortcut off at once (test_every_shortcut_off_gives_the_same_cohort_answers)
def test_outputs_by_group_of_fired_rules_equal_outputs_per_row():
    df = pd.concat([_messy(1_500, seed=6)] * 4, ignore_index=True)  # 6,000 rows, each combination of fired rules at least four times
    with speed(grouped_from=2_000):  # grouping on a smaller cohort
        fast.taken.clear()
        grouped = assess_frame(df)
        assert fast.taken["row_groups"]  # rows were grouped
    with speed(grouped_from=10**9):  # outputs per row
        assert_frame_equal(grouped, assess_frame(df))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Python 3.12 warns about fork in a process with threads
def test_a_forked_child_reads_a_large_cohort_in_threads_of_its_own():
    df = _messy(5_000, seed=7)
    with speed(threads_from=2_000, threads=2): parent = assess_frame(df)  # the pool now has threads, which a forked child does not inherit
    pid = os.fork()
    if pid == 0:  # child: must not wait for ever on the parent's threads
        try:
            with speed(threads_from=2_000, threads=2): os._exit(0 if assess_frame(df).equals(parent) else 1)
        except BaseException: os._exit(2)
    deadline = time.time() + 120
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.time() < deadline: time.sleep(0.2)
    if done[0] == 0: os.kill(pid, 9); os.waitpid(pid, 0); pytest.fail("the forked child hung")
    assert os.waitstatus_to_exitcode(done[1]) == 0


def test_a_condition_defined_elsewhere_is_read_row_by_row():
    from pannet_guideline.logic import Expr, HasCode, Truth
    from pannet_guideline.schema import read_frame
    from pannet_guideline.tables import DecisionTable, Rule, _decide_rows

    class NoPriorTherapy(Expr):  # reads the code list in its own way: its `thresholds` name no code
        def record(self, rec): return None if rec.get("prior_therapies") is None else not rec["prior_therapies"]
        def _frame(self, cols):
            m = cols.data.get("prior_therapies", np.full(cols.n, -1, np.int64))
            return Truth(m == 0, m > 0)
        fields = property(lambda self: frozenset({"prior_therapies"}))
        text = property(lambda self: "no prior therapy")

    class HasAnyCode(HasCode):  # a subclass that reads differently from its parent
        def _frame(self, cols):
            m = cols.data.get(self.name, np.full(cols.n, -1, np.int64))
            return Truth(m > 0, m == 0)

    cols = read_frame(synthetic_cohort(8_000, seed=8, categorical=False))
    for cond in (NoPriorTherapy(), HasAnyCode("prior_therapies", "SSA")):
        table = DecisionTable("toy_prior", "Toy", [Rule("toy.prior", cond, "G1", ("who2019.grade-table",))], hit_policy="collect")
        assert tables._input_combinations(table, cols) is None
        assert (table.decide_frame(cols).fired == _decide_rows(table, cols).fired).all()
        assert 0 < int(table.decide_frame(cols).fired.sum()) < cols.n
    shipped = DecisionTable("toy_ssa", "Toy", [Rule("toy.ssa", HasCode("prior_therapies", "SSA"), "G1", ("who2019.grade-table",))], hit_policy="collect")
    assert tables._input_combinations(shipped, cols) is not None  # the library's own condition keeps the shortcut


def test_a_large_cohort_can_be_read_while_the_interpreter_exits(tmp_path):
    import subprocess
    import sys
    script = tmp_path / "at_exit.py"
    script.write_text("import atexit\nfrom pannet_guideline import assess_frame, fast\nfrom pannet_guideline.datasets import synthetic_cohort\n"
                      "fast.settings.threads_from = 2_000  # this cohort is read in threads, as a large one is\n"
                      "df = synthetic_cohort(10_000, seed=1, categorical=False)\nassess_frame(df)\n"
                      "atexit.register(lambda: print('rows', len(assess_frame(df)), 'threads', fast.taken['threads'] > 0))\n")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "rows 10000 threads True" in run.stdout


def test_threads_follow_the_setting_after_first_use():
    with speed(threads=2): fast.in_threads(str, [1, 2], fast.settings.threads_from)
    with speed(threads=3):
        assert fast.in_threads(str, [1, 2], fast.settings.threads_from) == ["1", "2"]
        assert fast._pool()._max_workers == 3


def test_the_switch_is_restored_and_refuses_unknown_settings():
    before = dict(vars(fast.settings))
    with pytest.raises(ValueError):
        with speed(off=True, threads=1): raise ValueError("inside")
    assert dict(vars(fast.settings)) == before  # restored after an error too
    with pytest.raises(TypeError, match="no setting grouped"): speed(grouped=1).__enter__()


def test_every_shortcut_off_gives_the_same_cohort_answers():
    "One switch: all shortcuts at once, on a cohort the lowered settings make large enough for each of them."
    df = pd.concat([_messy(1_500, seed=9)] * 4, ignore_index=True)  # 6,000 rows repeating the same objects and combinations
    fast.taken.clear()
    with speed(threads_from=2_000, threads=2, grouped_from=2_000, identity_sample=1_024): quick = assess_frame(df)
    assert {"combinations", "scope_rows", "row_groups", "threads", "distinct_objects", "few_values"} <= set(fast.taken)
    with speed(off=True): assert_frame_equal(quick, assess_frame(df))


def test_missing_cells_read_per_distinct_value_equal_the_cell_by_cell_reading():
    "Missing tokens, blanks, NaN, None, NaT, numbers, booleans and a list cell in one object column."
    pool = np.array(["", " ", "n/a", "N/A", "not done", "?", "unknown", None, np.nan, pd.NaT, 0, 0.0, False, "0", "x", "G1"], dtype=object)
    values = pool[np.random.default_rng(5).integers(0, len(pool), 5_000)]
    values[7] = [1, 2]  # a list cell is a value, never missing
    series = pd.Series(values, dtype=object)
    assert schema._missing(series).tolist() == [schema._is_missing(v) for v in values]


def test_blank_rows_are_the_rows_with_every_cell_missing():
    rng = np.random.default_rng(6)
    tokens = np.array(["", "n/a", None, np.nan, "unknown"], dtype=object)
    df = pd.DataFrame({c: tokens[rng.integers(0, len(tokens), 3_000)] for c in ("ki67_pct", "Comment", "Other column")})
    df.loc[rng.choice(3_000, 300, replace=False), "Comment"] = "seen in clinic"  # a column not read still makes a row not blank
    cols = schema.read_frame(df)
    oracle = np.flatnonzero(df.apply(lambda c: c.map(schema._is_missing)).all(axis=1).to_numpy())
    assert cols.blank.tolist() == oracle.tolist() and 0 < len(oracle) < 3_000


@given(st.lists(st.integers(0, 2**63 - 1), max_size=10))
def test_union_lut_holds_the_or_of_the_set_bits_of_every_mask(values):
    "The lookup table of a rule mask is the bitwise or of the values of the rules it holds, for every mask."
    lut = fast.union_lut(values)
    assert len(lut) == 1 << len(values)
    for mask in range(len(lut)):
        expected = 0
        for i, v in enumerate(values):
            if mask >> i & 1: expected |= v
        assert int(lut[mask]) == expected
