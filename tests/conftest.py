"""Shared fixtures for the test suite: every DecisionTable the package defines, each table's boundary grid built once
per session from its axes, and Hypothesis records drawn from the schema."""
import fcntl
import functools
import importlib
import importlib.util
import os
import pickle
import random
import sys
import types
import warnings

sys.dont_write_bytecode = False  # keep each test module compiled with its asserts rewritten between runs, even where the environment turns bytecode off: every xdist worker of the quick run otherwise rewrites them all again (about 3 s)

import numpy as np
import pandas as pd
import pytest
from hypothesis import settings, strategies as st

from pannet_guideline import assess, assess_frame
from pannet_guideline.guideline import OUTPUT_COLUMNS
from pannet_guideline.schema import FIELD_BITS, FIELDS, Columns
from pannet_guideline.tables import BOUNDARY_STEP, DecisionTable, columns_from_canonical
from pannet_guideline.tables import boundary_axes as table_axes

settings.register_profile("ci", max_examples=150, deadline=None)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("quick", max_examples=20, deadline=None)  # the quick run: fewer examples; boundaries stay in the vignettes


def pytest_configure(config):
    "Hypothesis profile: HYPOTHESIS_PROFILE if set, else `quick` for `-m \"not slow\"`, else `ci`; a mutant if PANNET_MUTANT names one."
    quick = "not slow" in (config.getoption("markexpr", "") or "")
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("quick" if quick else "ci"))
    if os.environ.get("PANNET_MUTANT"):  # tools/mutation.py --tests: run the suite against one mutated table
        import sys
        from pathlib import Path
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
        import mutation
        mutation.apply_by_key(os.environ["PANNET_MUTANT"])

def computed_once(tmp_path_factory, name:str, compute):
    """`compute()`, run by one xdist worker and read by the others (pickled in the run's temporary folder, under a lock),
    so that a cohort assessed or every vignette checked is computed once per run, not once per worker."""
    if not os.environ.get("PYTEST_XDIST_WORKER"): return compute()
    folder = tmp_path_factory.getbasetemp().parent  # the run's folder, shared by its workers; a new one each run
    path = folder / f"{name}.pickle"
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker waits here, then reads what the first wrote
        if path.exists(): return pickle.loads(path.read_bytes())
        value = compute()
        path.write_bytes(pickle.dumps(value))
        return value


TABLE_MODULES = ["grading", "staging", "workup", "localized", "advanced", "functional", "hereditary", "caveats", "followup"]


def all_tables():
    "Every DecisionTable defined at module level in the package's chapter modules."
    found = {}
    for name in TABLE_MODULES:
        try: mod = importlib.import_module(f"pannet_guideline.{name}")
        except ModuleNotFoundError: continue
        for obj in vars(mod).values():
            if isinstance(obj, DecisionTable): found[obj.name] = obj
    return list(found.values())


@pytest.fixture(scope="session")
def tables():
    return all_tables()


_FIELD_AT = {bit: name for name, bit in FIELD_BITS.items()}


def set_bits(mask:int):
    "The positions of the bits set in `mask`, lowest first (one step per set bit, not per rule or field)."
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def frame_decision_row(fd, table, i):
    "Row i of a FrameDecision in the shape of a one-patient Decision: (fired rule ids, gap fields, pending outcomes (collect tables))."
    fired = tuple(table.rules[k].id for k in set_bits(int(fd.fired[i])))
    gaps = tuple(_FIELD_AT[bit] for bit in set_bits(int(fd.gaps[i])) if bit in _FIELD_AT)
    pending = tuple(dict.fromkeys(table.rules[k].then for k in set_bits(int(fd.pending[i]))))
    return fired, gaps, pending


# --- each table's boundary grid, once per session ------------------------------------------------------------------

def table_cuts(table) -> dict:
    "Field -> the values the table's conditions compare it with or name."
    cuts = {}
    for c in table.conditions:
        for name, values in c.thresholds().items(): cuts.setdefault(name, set()).update(values)
    return cuts


@functools.cache
def boundary_axes(table, with_unknown:bool=True) -> dict:
    "Per input, the points `boundary_grid` combines (unknown last), worked out once per table in a session."
    return table_axes(table, with_unknown)


def grid_size(table) -> int:
    "How many points the table's boundary grid holds, unknowns included."
    return int(np.prod([len(v) for v in boundary_axes(table).values()]))


class BoundaryGrid:
    """A table's boundary grid, in the row order of `boundary_grid`, held per input as codes (index into the known points,
    -1 where unknown) and as the `Columns` the engine reads; each point converted once per axis, not once per row.
    With `assume`, only the rows its `analysis_assume` holds on (what `DecisionTable.analyse` examines)."""
    def __init__(self, table, with_unknown:bool=True, assume:bool=True):
        axes = boundary_axes(table, with_unknown)
        self.table, self.n = table, int(np.prod([len(v) for v in axes.values()]))
        self.points = {name: [v for v in values if v is not None] for name, values in axes.items()}
        self.codes, self.cols, inner = {}, Columns(self.n), self.n
        for name, values in axes.items():
            inner //= len(values)  # itertools.product: the first input changes slowest
            at = np.tile(np.repeat(np.arange(len(values), dtype=np.int16), inner), self.n // (inner * len(values)))
            code = np.cumsum([v is not None for v in values]) - 1
            self.codes[name] = np.where([v is None for v in values], -1, code).astype(np.int16)[at]
            self.cols.data[name] = columns_from_canonical(pd.DataFrame({name: values}, dtype=object)).data[name][at]
        if assume and table.analysis_assume is not None:
            self._keep(np.flatnonzero(table.analysis_assume.frame(self.cols).t))

    def _keep(self, rows):
        self.n, self.cols = len(rows), self.cols.take(rows)
        self.codes = {name: c[rows] for name, c in self.codes.items()}

    def known(self) -> np.ndarray:
        "Rows where every input is known."
        return np.logical_and.reduce([c >= 0 for c in self.codes.values()]) if self.codes else np.ones(self.n, bool)

    def records(self, rows, names=None) -> list:
        "The canonical records of some rows (of some inputs), for the one-patient reading."
        names = list(self.codes) if names is None else names
        return [{k: (None if self.codes[k][i] < 0 else self.points[k][self.codes[k][i]]) for k in names} for i in rows]


GRIDS_KEPT_UP_TO = 200_000  # points: a larger grid (the full run's) is built for each test that reads it, so memory stays small


def boundary_grid_of(table, with_unknown:bool=True, assume:bool=True) -> BoundaryGrid:
    "A table's `BoundaryGrid`, built once per worker when it is small: the tests that read it (analysis, one patient against the cohort, diagrams) never change it."
    if grid_size(table) > GRIDS_KEPT_UP_TO: return BoundaryGrid(table, with_unknown, assume)
    return _kept_grid(table, with_unknown, assume)


@functools.cache
def _kept_grid(table, with_unknown:bool, assume:bool) -> BoundaryGrid: return BoundaryGrid(table, with_unknown, assume)

# --- records drawn from the schema ---------------------------------------------------------------------------------

def field_values(name:str, named=()) -> st.SearchStrategy:
    """Canonical values of one field from its schema: unknown, any valid value, and as often as those, the values a table
    names: for a number the points either side of each cut, for text or codes the values its conditions test."""
    spec = FIELDS[name]
    if spec.kind == "number":
        lo = spec.minimum if np.isfinite(spec.minimum) else 0.0
        hi = spec.maximum if np.isfinite(spec.maximum) else max([float(c) for c in named] + [10.0]) * 3
        ok = lambda x: (x > spec.minimum if spec.min_exclusive else x >= spec.minimum) and x <= spec.maximum
        edges = sorted({x for c in named for x in (c - BOUNDARY_STEP, c, c + BOUNDARY_STEP) if ok(x)})
        anywhere = st.floats(lo, hi, exclude_min=spec.min_exclusive, allow_nan=False, allow_infinity=False)
        return st.one_of(st.none(), anywhere, *([st.sampled_from(edges)] if edges else []))
    if spec.kind == "codes":  # a canonical code list is a tuple of codes
        code = st.one_of(st.sampled_from(spec.vocab), *([st.sampled_from(sorted(named))] if named else []))
        return st.one_of(st.none(), st.lists(code, unique=True, max_size=4).map(tuple))
    values = st.sampled_from([None, *spec.vocab])
    named = [v for v in spec.vocab if v in set(named)]
    return st.one_of(values, st.sampled_from(named)) if named else values


def inputs_of(tables) -> list:
    "The fields the tables read, in the order of their bits."
    return sorted(set().union(*(t.inputs for t in tables)), key=FIELD_BITS.get)


def firing_points(table, per_rule:int=4, seed:int=0) -> list:
    "For each rule, a few fully known points of the table's boundary grid where it fires (chosen with a fixed seed)."
    grid, rng, out = boundary_grid_of(table, with_unknown=False, assume=False), random.Random(seed), []
    for condition in table.conditions:
        hits = np.flatnonzero(condition.frame(grid.cols).t)
        out += grid.records(sorted(rng.sample(list(hits), min(per_rule, len(hits)))))
    return out


def records_for(tables, max_size:int=25) -> st.SearchStrategy:
    """Lists of canonical records over the inputs of `tables`: each drawn from the schema, favouring the values their
    conditions name, or a point where one of their rules fires with up to two inputs drawn again (so that rules reading
    many fields fire, and their neighbours, unknowns included, are read too)."""
    cuts = {}
    for t in tables:
        for name, values in table_cuts(t).items(): cuts.setdefault(name, set()).update(values)
    names = inputs_of(tables)
    values = {name: field_values(name, cuts.get(name, ())) for name in names}
    def near(point):
        redrawn = st.sets(st.sampled_from(names), max_size=2)
        return redrawn.flatmap(lambda again: st.fixed_dictionaries(
            {n: st.just(point[n]) if n in point and n not in again else values[n] for n in names}))
    points = [p for t in tables for p in firing_points(t)]
    row = st.fixed_dictionaries(values)
    if points: row = st.one_of(row, st.sampled_from(points).flatmap(near))
    return st.lists(row, min_size=1, max_size=max_size)


def assert_decision_is_frame_row(table, rec:dict, fd, i:int):
    "The one-patient decision on `rec` equals row i of the cohort decision: rules fired, fields missing, and what is still open."
    d = table.decide(rec)
    fired, gaps, pending = frame_decision_row(fd, table, i)
    assert (d.fired, d.gaps) == (fired, gaps), (table.name, rec)
    if table.hit_policy == "collect": assert d.pending == pending, (table.name, rec)
    else: assert d.outcome == (table.outcomes[fd.outcome[i]] if fd.outcome[i] >= 0 else None), (table.name, rec)


def holds_unnamed_file(pid:int, folder) -> bool:
    "Whether the process holds an unnamed file in `folder` with data in it (O_TMPFILE shows as `folder/#inode (deleted)`)."
    try: fds = os.listdir(f"/proc/{pid}/fd")
    except OSError: return False
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            if target.startswith(str(folder)) and "(deleted)" in target and os.stat(f"/proc/{pid}/fd/{fd}").st_size > 0: return True
        except OSError: continue
    return False


def cli_in_process(*args, stdin:str="", columns:str="80"):
    """`pannet-guideline ARGS` run by `main` in this process with its standard streams captured: the exit code and the text
    of standard output and error a subprocess would give, without starting an interpreter per case. What only a process shows
    (signals, a terminal's encoding, standard streams that are files or links) keeps its subprocess tests."""
    import contextlib
    import io
    from pannet_guideline.cli import main
    wrap = lambda data=b"": io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline="")
    out, err = wrap(), wrap()
    saved = sys.stdin, sys.stdout, sys.stderr, os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = columns  # help text wrapped as without a terminal
    sys.stdin, sys.stdout, sys.stderr = wrap(stdin.encode()), out, err
    try:
        try: code = main(list(args))
        except SystemExit as e: code = e.code if isinstance(e.code, int) else int(e.code is not None)
        with contextlib.suppress(ValueError): out.flush(); err.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved[:3]
        if saved[3] is None: os.environ.pop("COLUMNS", None)
        else: os.environ["COLUMNS"] = saved[3]
    return types.SimpleNamespace(returncode=code, stdout=out.buffer.getvalue().decode(), stderr=err.buffer.getvalue().decode())


# one patient through `assess` and through a one-row `assess_frame`: the clinical-fidelity test modules share it
def both(patient, policy="seed-2025", **kw):
    "The assessment, after checking that the one-row `assess_frame` gives the same value in every output column."
    patient = {k: v for k, v in patient.items() if v is not None}
    a = assess(patient, policy=policy, strict=False, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        row = assess_frame(pd.DataFrame([patient], dtype=object), policy=policy, **kw).iloc[0]
    for col in OUTPUT_COLUMNS:
        got = row[col]
        got = bool(got) if isinstance(getattr(a, col), bool) else ("" if pd.isna(got) else str(got))
        assert got == getattr(a, col), (col, got, getattr(a, col))
    return a


def items(text): return set(filter(None, text.split(";")))
def codes(a): return items(a.recommendations)
def alerts(a): return items(a.alerts)
def strength(a, code): return {r.code: r.strength for r in a.recommendation_list}.get(code)



def load_tool(name:str):
    "A script of tools/ (build_docs, check_pages...) imported as a module, for tests of what it writes."
    from pathlib import Path
    spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parents[1] / "tools" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def drawn_pathways() -> list:
    "Every (question key, policy) that has a pathway, found from the pathways' criteria: cheap at collection, where drawing them all would cost each worker seconds."
    from pannet_guideline.guideline import POLICIES
    from pannet_guideline.pathway import QUESTIONS, pathway_criteria
    return [(q.key, pol) for q in QUESTIONS for pol in POLICIES if pathway_criteria(q.key, pol) is not None]


def pathway_routes(p) -> list:
    "Every route of a clinical pathway from the top to an ending: (ending, [(criterion, branch)])."
    from pannet_guideline.pathway import Leaf
    out, todo = [], [(p.root, [])]
    while todo:
        at, path = todo.pop()
        if isinstance(at, Leaf): out.append((at, path)); continue
        for b, nxt in p.nodes[at].edges: todo.append((nxt, path + [(p.nodes[at].field, b)]))
    return out
