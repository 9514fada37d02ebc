"""The shortcuts of the cohort reading give the same result as the plain reading they replace.

Not a medical device: these tests check software behaviour only.
"""
import os
import time

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from pannet_guideline import assess_frame, schema, tables
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


@pytest.mark.parametrize("policy", list(POLICIES))
def test_reading_per_combination_equals_reading_per_row(policy, monkeypatch):
    df = _messy(15_000, seed=11)
    used = []
    combos = tables._input_combinations
    monkeypatch.setattr(tables, "_input_combinations", lambda t, c: used.append(r := combos(t, c)) or r)
    fast = assess_frame(df, policy=policy)
    assert sum(r is not None for r in used) >= 10  # the shortcut was taken for many tables
    monkeypatch.setattr(tables, "_input_combinations", lambda t, c: None)
    assert_frame_equal(fast, assess_frame(df, policy=policy))
    monkeypatch.setattr(tables, "IN_SCOPE_AT_MOST", -1.0)  # and every table on every row
    assert_frame_equal(fast, assess_frame(df, policy=policy))


def test_reading_in_scope_equals_reading_every_row(monkeypatch):
    df = _messy(15_000, seed=13)
    scoped = []
    scope_rows = tables._scope_rows
    monkeypatch.setattr(tables, "_input_combinations", lambda t, c: None)
    monkeypatch.setattr(tables, "_scope_rows", lambda t, c: (r := scope_rows(t, c)) is not None and scoped.append(t.name) or r)
    fast = assess_frame(df, policy="nccn-2025")
    assert len(set(scoped)) >= 10  # tables read on their scope's rows alone
    monkeypatch.setattr(tables, "IN_SCOPE_AT_MOST", -1.0)
    assert_frame_equal(fast, assess_frame(df, policy="nccn-2025"))


def test_grouping_by_object_equals_grouping_by_value(monkeypatch):
    "Shared objects (True, 1, 1.0, '1', None, NaN) and equal text held in distinct objects, in a long object column."
    n = 50_000
    pool = np.array([True, 1, 1.0, "1", None, np.nan, np.float32("nan"), False, 0, "G1", "".join(["G", "1"]), pd.NaT], dtype=object)
    values = pool[np.random.default_rng(3).integers(0, len(pool), n)]
    idx, reps = schema._distinct(pd.Series(values, dtype=object))
    assert schema._by_identity(values) is not None  # the shortcut applies to this column
    monkeypatch.setattr(schema, "_by_identity", lambda v: None)
    idx2, reps2 = schema._distinct(pd.Series(values, dtype=object))
    as_values = lambda i, r: [(type(r[k]).__name__, str(r[k])) if k >= 0 else None for k in i]
    assert as_values(idx, reps) == as_values(idx2, reps2)


def test_object_shortcut_on_a_cohort(monkeypatch):
    df = _messy(20_000, seed=12)  # long enough for the shortcut (4 samples of 4,096 rows)
    for col in ("carcinoid_syndrome", "symptomatic", "multifocal"):
        df[col] = df[col].astype(object).where(df.index % 7 != 0, "yes")
    taken, by_identity = [], schema._by_identity
    monkeypatch.setattr(schema, "_by_identity", lambda v: (r := by_identity(v)) is not None and taken.append(1) or r)
    fast = assess_frame(df)
    assert taken  # the shortcut was taken
    monkeypatch.setattr(schema, "_by_identity", lambda v: None)
    assert_frame_equal(fast, assess_frame(df))


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
    n = 60_000  # above the size from which rows are grouped by their packed masks
    parts = _random_parts(n, seed=3)
    if dedupe: parts.append((parts[0][0], parts[0][1]))  # the same labels again: dropped when deduplicating
    assert list(join_masks(parts, n, dedupe=dedupe)) == _joined_row_by_row(parts, n, dedupe)


def test_rows_whose_masks_hash_alike_are_still_told_apart(monkeypatch):
    from pannet_guideline import cohort
    n = 60_000
    parts = _random_parts(n, seed=4)[:12]  # 12 masks of up to 11 bits: more than one 64-bit word
    monkeypatch.setattr(cohort, "_scrambled", lambda h: h & np.uint64(0))  # every hash equal to the last word: collisions
    group, k, first = cohort._row_groups(parts, n)
    packed = np.stack([m for m, _ in parts], axis=1)
    assert k == len(np.unique(packed, axis=0))  # exactly the distinct combinations
    assert (packed[first][group] == packed).all()  # every row in the group of its own combination
    assert list(cohort.join_masks(parts, n)) == _joined_row_by_row(parts, n, True)


def test_threads_give_the_result_of_one_after_another(monkeypatch):
    monkeypatch.setattr(schema, "PARALLEL_FROM", 10_000)  # a smaller cohort above it: columns, tables and outputs in threads
    df = _messy(20_000, seed=5)
    calls = []
    pool = schema._pool
    monkeypatch.setattr(schema, "_pool", lambda: calls.append(1) or pool())
    threaded = assess_frame(df)
    assert len(calls) >= 4  # reading, at least one batch of tables, and both rounds of output columns
    monkeypatch.setattr(schema, "THREADS", 1)
    assert_frame_equal(threaded, assess_frame(df))


def test_outputs_by_group_of_fired_rules_equal_outputs_per_row(monkeypatch):
    from pannet_guideline import cohort
    monkeypatch.setattr(cohort, "_GROUPED_FROM", 10_000)  # grouping on a smaller cohort (40,000 rows fire about 19,400 combinations)
    df = _messy(40_000, seed=6)
    taken, by_rules = [], cohort._by_fired_rules
    monkeypatch.setattr(cohort, "_by_fired_rules", lambda st: (r := by_rules(st))[0] is not None and taken.append(1) or r)
    grouped = assess_frame(df)
    assert taken  # rows were grouped
    monkeypatch.setattr(cohort, "_by_fired_rules", by_rules)
    monkeypatch.setattr(cohort, "_by_fired_rules", lambda st: (None, None))
    assert_frame_equal(grouped, assess_frame(df))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Python 3.12 warns about fork in a process with threads
def test_a_forked_child_reads_a_large_cohort_in_threads_of_its_own(monkeypatch):
    monkeypatch.setattr(schema, "PARALLEL_FROM", 10_000)
    df = _messy(20_000, seed=7)
    parent = assess_frame(df)  # the pool now has threads, which a forked child does not inherit
    pid = os.fork()
    if pid == 0:  # child: must not wait for ever on the parent's threads
        try: os._exit(0 if assess_frame(df).equals(parent) else 1)
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

    cols = read_frame(synthetic_cohort(40_000, seed=8, categorical=False))
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
    script.write_text("import atexit\nfrom pannet_guideline import assess_frame\nfrom pannet_guideline.datasets import synthetic_cohort\n"
                      "df = synthetic_cohort(100_000, seed=1, categorical=False)\nassess_frame(df)\n"
                      "atexit.register(lambda: print('rows', len(assess_frame(df))))\n")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "rows 100000" in run.stdout


def test_threads_follow_the_setting_after_first_use(monkeypatch):
    schema.in_threads(str, [1, 2], schema.PARALLEL_FROM)
    monkeypatch.setattr(schema, "THREADS", 3)
    assert schema.in_threads(str, [1, 2], schema.PARALLEL_FROM) == ["1", "2"]
    assert schema._pool()._max_workers == 3
