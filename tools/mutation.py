"""Mutation check of the decision tables: change each threshold, value list and rule a little and see whether the vignettes notice.

Every DecisionTable used by any policy and edition is mutated in place, one change at a time, and restored:
- a number threshold: `<` <-> `<=` (and `>` <-> `>=`), and the value moved one reporting step up and down
  (0.1 for Ki-67 % and tumour size cm, 1 for mitoses and age), just across the boundary;
- a value list (`field is a or b`): each value dropped, each other value of the field's vocabulary added;
- a rule: dropped, and its outcome replaced by another outcome of the same table.
A mutant is killed when a vignette fails (one `assess_frame` per policy and edition that uses the table), when
the table refuses the change where it is defined, or when the mutated table fails the static analysis that
tests/test_properties.py holds every table to (no gap, no forbidden overlap, every rule reachable); with `--tests`, survivors are also run against the quick pytest
suite with the mutant applied (tests/conftest.py applies the mutant named by PANNET_MUTANT).

A survivor is then either
- proven equivalent on the boundary grid: on every class of inputs the table's conditions can tell apart
  (`proof_grid`: each threshold just below, at and just above, each named value and one other, every subset of the
  codes tested, unknown), the mutated table gives the same decision, or the same outputs with only the trail of rule
  ids changed, or the same output once merged by code with the other tables writing that column (`proof`);
- proven equivalent on the possible points: the same, on the classes of inputs some record can give
  (`possible_rows` runs the package's own grading and staging on the findings behind each derived answer, as
  `pathway.possible_points` does, so a T1 beside a 3 cm tumour, or a NEC with a NET grade, is no patient);
- declared equivalent: listed with a specific reason in tools/mutation_equivalents/ (one YAML file per chapter) (a change the table shows
  but no output of the guideline can, e.g. a combination of fields the earlier steps never produce);
- unexplained. A declaration whose mutant is now killed, proven or gone is stale and counted as unexplained too.

Usage: .venv/bin/python tools/mutation.py [--tests] [--table NAME] [--verbose] [--json FILE] [--jobs N]
Last line: `mutants: K killed of N; E declared equivalent (P proven on the boundary grid, Q proven on the possible
points, D listed); U unexplained`;
the exit status is 1 when U > 0.
"""
from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import itertools
import math
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pannet_guideline import vignettes as vg  # noqa: E402
from pannet_guideline.guideline import pipeline  # noqa: E402
from pannet_guideline.evidence import Strength  # noqa: E402
from pannet_guideline.followup import CONSISTENT_GRADE  # noqa: E402
from pannet_guideline.grading import GRADING_EDITIONS  # noqa: E402
from pannet_guideline.logic import Compare, Expr, IsIn, IsUnknown  # noqa: E402
from pannet_guideline.pathway import possible_points  # noqa: E402
from pannet_guideline.schema import FIELDS, INPUT_FIELDS  # noqa: E402
from pannet_guideline.staging import STAGING_EDITIONS  # noqa: E402
from pannet_guideline.tables import (_field_points, _read_through_thresholds, columns_from_canonical,  # noqa: E402
                                     grid_records)

STEP = {"ki67_pct": 0.1, "tumor_size_cm": 0.1, "mitoses_per_2mm2": 1.0, "age_years": 1.0}  # one reporting step per field
FLIP = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}


@dataclass(frozen=True)
class Mutant:
    "One small change to one table."
    table: object # the DecisionTable
    rule: str # rule id, or `(scope)`
    kind: str # threshold-op, threshold-up, threshold-down, drop-value, add-value, drop-rule, outcome
    detail: str # what changed, in the rule's own words
    rules: tuple # the table's rules with the change
    scope: object = None # the table's scope with the change (tables that have one)

    @property
    def key(self) -> str: return f"{self.table.name}|{self.rule}|{self.kind}|{self.detail}"


# ------------------------------------------------------------------ expressions

def nodes(expr, path=()):
    "(path, node) of every sub-expression; a path is the field names leading to it."
    yield path, expr
    if dataclasses.is_dataclass(expr):
        for f in dataclasses.fields(expr):
            child = getattr(expr, f.name)
            if isinstance(child, Expr): yield from nodes(child, path + (f.name,))


def replace_at(expr, path, new):
    "The expression with the node at `path` replaced (frozen dataclasses: the tree is rebuilt)."
    if not path: return new
    return dataclasses.replace(expr, **{path[0]: replace_at(getattr(expr, path[0]), path[1:], new)})


def node_changes(node):
    "(kind, changed node) for one node."
    if isinstance(node, Compare):
        step = STEP.get(node.name, 0.1)
        yield "threshold-op", dataclasses.replace(node, op=FLIP[node.op])
        yield "threshold-up", dataclasses.replace(node, value=round(node.value + step, 6))
        yield "threshold-down", dataclasses.replace(node, value=round(node.value - step, 6))
    elif isinstance(node, IsIn):
        for v in node.values:
            yield "drop-value", dataclasses.replace(node, values=tuple(x for x in node.values if x != v))
        for v in FIELDS[node.name].vocab:
            if v not in node.values: yield "add-value", dataclasses.replace(node, values=node.values + (v,))


def _text(e) -> str:
    try: return e.text
    except Exception: return repr(e)


def expr_mutants(expr):
    "(kind, detail, mutated expression) for every change to every node of `expr`."
    for path, node in nodes(expr):
        for kind, new in node_changes(node):
            yield kind, f"{_text(node)} -> {_text(new) if not (isinstance(new, IsIn) and not new.values) else 'never'}", replace_at(expr, path, new)


# ------------------------------------------------------------------ tables

def used_tables() -> list:
    "Every DecisionTable of every registered policy (the policy registry) and of every grading and staging edition, once."
    found = {id(t): t for t in vg._all_tables()}  # every step of every pipeline: grading, staging, management
    try:
        from pannet_guideline.policies import POLICIES
        for name in POLICIES: found.update({id(t): t for t in POLICIES[name].tables()})
    except ImportError: pass
    return list(found.values())


def table_mutants(table) -> list:
    out, rules = [], list(table.rules)
    scope = getattr(table, "scope", None)
    if isinstance(scope, Expr):
        for kind, detail, new in expr_mutants(scope): out.append(Mutant(table, "(scope)", kind, detail, tuple(rules), new))
    for i, r in enumerate(rules):
        for kind, detail, new in expr_mutants(r.when):
            out.append(Mutant(table, r.id, kind, detail, tuple(rules[:i] + [dataclasses.replace(r, when=new)] + rules[i + 1:]), scope))
        out.append(Mutant(table, r.id, "drop-rule", f"rule {r.id} removed", tuple(rules[:i] + rules[i + 1:]), scope))
        others = [o for o in table.outcomes if o != r.then]
        if others:
            o = others[0]
            out.append(Mutant(table, r.id, "outcome", f"{r.then} -> {o}",
                              tuple(rules[:i] + [dataclasses.replace(r, then=o)] + rules[i + 1:]), scope))
    seen, unique = set(), []
    for m in out:  # the same change reached twice (e.g. a shared concept) is one mutant
        if m.key not in seen: seen.add(m.key); unique.append(m)
    return unique


def all_mutants(only=None) -> list:
    return [m for t in used_tables() if only is None or t.name == only for m in table_mutants(t)]


def _init_args(table) -> dict:
    params = [p for p in inspect.signature(type(table).__init__).parameters if p != "self"]
    return {p: getattr(table, p) for p in params if hasattr(table, p)}


class applied:
    "Context manager: the mutant is in the table inside the block; the table is restored exactly afterwards."
    def __init__(self, m:Mutant): self.m = m
    def __enter__(self):
        t = self.m.table
        self.saved = dict(t.__dict__)
        args = {**_init_args(t), "rules": list(self.m.rules)}
        if "scope" in args: args["scope"] = self.m.scope
        type(t).__init__(t, **args)
        return self.m
    def __exit__(self, *exc):
        self.m.table.__dict__.clear(); self.m.table.__dict__.update(self.saved)
        return False


def apply_by_key(key:str):
    "Apply the mutant with this key for the rest of the process (used by tests/conftest.py); a clear error if unknown."
    table_name = key.split("|")[0]
    m = next((m for m in all_mutants(table_name) if m.key == key), None)
    if m is None: raise KeyError(f"no mutant {key!r}")
    applied(m).__enter__()
    return m


# ------------------------------------------------------------------ proof of equivalence on the boundary grid

PROOF_GRID_AT_MOST = 200_000  # points; a larger grid is not examined (the mutant is then left to the vignettes or the declared list)


def _rebuilt(table, rules, scope):
    "A separate table with these rules and scope (the original is left as it is)."
    args = {**_init_args(table), "rules": list(rules)}
    if "scope" in args: args["scope"] = scope
    t = object.__new__(type(table)); type(table).__init__(t, **args)
    return t


def _code_subsets(codes) -> list:
    "Every subset of the codes a condition tests: a code list is read only for those codes, and in any combination."
    codes = sorted(codes)
    return [tuple(c for i, c in enumerate(codes) if k >> i & 1) for k in range(1 << len(codes))]


def proof_grid(exprs, invariants:tuple=(), possible:bool=False) -> pd.DataFrame|None:
    """Every class of inputs the expressions can tell apart, one point each, or None when that cannot be guaranteed.

    A number field: each constant it is compared with, just below and just above it, and the field's ends; a text or
    flag field: each value named, and one value not named (all others are read alike); a code list: every subset of
    the codes tested; every field also unknown. Conditions defined outside the library's own kinds may read fields
    in other ways: no grid is claimed for them. With `possible`, only the points some record can give are kept
    (`possible_rows`: the grading and staging steps run on the findings behind each derived answer, so a T1 beside a
    3 cm tumour, or a NEC beside a NET grade, is left out; an unknown field stands for any value)."""
    if not all(map(_read_through_thresholds, exprs)): return None
    cuts, names = {}, []
    for e in exprs:
        for k, v in e.thresholds().items(): cuts.setdefault(k, set()).update(v)
        names += [n for n in sorted(e.fields) if n not in names]
    axes = {}
    for n in names:
        points = _code_subsets(cuts.get(n, ())) if FIELDS[n].kind == "codes" else _field_points(n, cuts.get(n, set()))
        axes[n] = points + [None]
    if math.prod(len(v) for v in axes.values()) > PROOF_GRID_AT_MOST: return None
    if not axes: return pd.DataFrame(index=[0])
    grid = pd.DataFrame(list(itertools.product(*axes.values())), columns=list(axes), dtype=object)
    for inv in invariants:  # points the earlier steps never produce are left out
        if inv.fields <= set(grid.columns):
            grid = grid[~inv.frame(columns_from_canonical(grid)).f].reset_index(drop=True)
    if possible: grid = grid[_possible(grid)].reset_index(drop=True)
    return grid


RECORD = ("recorded_grade", "recorded_grade_edition")
CONSISTENCY = ((("differentiation", "ki67_pct", "mitoses_per_2mm2") + RECORD, ("nen_class", "who_grade")),
               (("tumor_size_cm", "local_invasion", "t_category", "differentiation") + RECORD, ("t_category", "nen_class")),
               (("nodal_status", "n_category"), ("n_category",)),
               (("metastatic_sites", "m_category"), ("m_category",)),
               (("metastatic_sites", "m_category", "resectable", "t_category", "t_category_ajcc7"), ("m_category", "disease_setting")),
              ) # (findings run together, the derived answers they settle): as pathway.CONSISTENCY, but no finding is taken as
                # always stated and the recorded grade is a finding: with the morphology unknown the record gives the grade
                # even beside indices that contradict it (a recorded G1 beside a Ki-67 of 5 % reads G1), so such a point is possible.
CONSISTENCY_FIELDS = list(dict.fromkeys(f for findings, answers in CONSISTENCY for f in findings + answers))


def possible_rows(cols) -> np.ndarray:
    """Rows of a `Columns` store whose known answers some record gives, the record run through the grading and staging
    steps (`pathway.possible_points` with the groups of `CONSISTENCY`, no finding taken as stated; fields absent or unknown
    stand for any value)."""
    return possible_points(cols, tuple((findings, answers, ()) for findings, answers in CONSISTENCY))


def _possible(grid:pd.DataFrame) -> np.ndarray:
    "`possible_rows` of each row, read once per distinct combination of the fields it compares (it codes rows one by one)."
    fields = list(dict.fromkeys(f for f in CONSISTENCY_FIELDS if f in grid.columns))
    if len(fields) < 2: return np.ones(len(grid), bool)
    group = grid[fields].groupby(fields, dropna=False, sort=False).ngroup().to_numpy()
    first = pd.Series(group).drop_duplicates()
    ok = np.empty(len(first), bool)
    ok[first.to_numpy()] = possible_rows(columns_from_canonical(grid[fields].iloc[first.index].reset_index(drop=True)))
    return ok[group]


def _truth(expr, cols):
    tr = expr.frame(cols)
    return tr.t, tr.f


def _same_rules(before, after, scope_before, scope_after, invariants:tuple=(), possible:bool=False) -> bool:
    "Collect table: every rule fires, stays open and is false on the same points before and after (a rule gone: never true nor open)."
    old = {r.id: r for r in before}
    new = {r.id: r for r in after}
    for rid in old.keys() | new.keys():
        a, b = old.get(rid), new.get(rid)
        if a is b and scope_before is scope_after: continue  # a rule the mutant leaves alone
        conds = [c for c in ((a.when if scope_before is None else scope_before & a.when) if a else None,
                             (b.when if scope_after is None else scope_after & b.when) if b else None) if c is not None]
        grid = proof_grid(conds, invariants, possible)
        if grid is None: return False
        cols = columns_from_canonical(grid)
        if a is None or b is None or (a.then, a.strength) != (b.then, b.strength):
            if not all(_truth(c, cols)[1].all() for c in conds): return False  # each must be false everywhere
        elif any((x != y).any() for x, y in zip(_truth(conds[0], cols), _truth(conds[1], cols))): return False
    return True


def _signature(d, output:str) -> tuple:
    "What the guideline reads of a decision: its open outcomes (`pending`) only of recommendation tables."
    return d.outcome, d.fired, d.gaps, frozenset(d.pending) if output == "recommendations" else None


def _same_decisions(table, mutant, invariants:tuple=(), possible:bool=False) -> bool:
    "First or unique table: the same outcome, fired rule and missing fields at every point of the joint grid."
    grid = proof_grid(table.conditions + mutant.conditions, invariants, possible)
    if grid is None: return False
    return all(_signature(table.decide(rec), table.output) == _signature(mutant.decide(rec), table.output) for rec in grid_records(grid))


def _with_scope(rule, scope): return rule.when if scope is None else scope & rule.when


def _same_outputs_collect(table, m, invariants:tuple=(), possible:bool=False) -> bool:
    """Collect table: the same outcomes (with their strengths), the same open outcomes and the same missing fields at
    every point of the joint grid of the rules whose outcome the mutant touches (the others are left as they are)."""
    scope_changed = m.scope is not getattr(table, "scope", None)
    old, new = {r.id: r for r in table.rules}, {r.id: r for r in m.rules}
    changed = [r for rid in old.keys() | new.keys() for r in (old.get(rid), new.get(rid)) if r is not None
               and (scope_changed or old.get(rid) is not new.get(rid))]
    groups = {(r.then, r.strength) for r in changed}
    before = [(_with_scope(r, table.scope), r) for r in table.rules if (r.then, r.strength) in groups]
    after = [(_with_scope(r, m.scope), r) for r in m.rules if (r.then, r.strength) in groups]
    grid = proof_grid([c for c, _ in before + after], invariants, possible)
    if grid is None: return False
    cols = columns_from_canonical(grid)
    def outputs(rules):
        fired, open_, gaps = {}, {}, {}
        for c, r in rules:
            tr = c.frame(cols)
            unknown = ~(tr.t | tr.f)
            fired[(r.then, r.strength)] = fired.get((r.then, r.strength), False) | tr.t
            key = (r.then, r.strength, frozenset(c.fields))
            open_[key] = open_.get(key, False) | unknown
            for f in c.fields & INPUT_NAMES: gaps[f] = gaps.get(f, False) | unknown  # derived fields never reach data_gaps
        return fired, open_, gaps
    a, b = outputs(before), outputs(after)
    for x, y in zip(a, b):
        for k in x.keys() | y.keys():
            if (np.asarray(x.get(k, False)) != np.asarray(y.get(k, False))).any(): return False
    return True


def _same_outputs_single(table, mutant, invariants:tuple=(), possible:bool=False) -> bool:
    "First or unique table: the same outcome and missing fields at every point of the joint grid (the rule that fired may differ)."
    grid = proof_grid(table.conditions + mutant.conditions, invariants, possible)
    if grid is None: return False
    return all(_output_signature(table.decide(rec), table.output) == _output_signature(mutant.decide(rec), table.output)
               for rec in grid_records(grid))


INPUT_NAMES = frozenset(f.name for f in INPUT_FIELDS)  # data gaps name input fields only (guideline.gap_names, INPUT_BITS)


def _output_signature(d, output:str) -> tuple:
    return d.outcome, tuple(g for g in d.gaps if g in INPUT_NAMES), frozenset(d.pending) if output == "recommendations" else None


# What the steps before the decision tables guarantee about the fields they write: grid points that break it are
# never read by any table. Each is checked by tests/test_mutation_harness.py on the grading steps' own boundary grid.
_CLASS_UNKNOWN, _UNGRADED = IsUnknown("nen_class"), IsUnknown("who_grade")
GRADE_AGREES_WITH_CLASS = ((_CLASS_UNKNOWN & _UNGRADED)  # no grade without the class
                           | (~_CLASS_UNKNOWN & _UNGRADED & IsIn("nen_class", ("NET",)))  # only a NET waits for its indices
                           | (~_CLASS_UNKNOWN & ~_UNGRADED & CONSISTENT_GRADE))
INVARIANTS = ((GRADE_AGREES_WITH_CLASS, "grade and class agree: G1-G3 with NET, NEC with NEC, MiNEN with MiNEN, "
                                        "no grade without the class, and only a NET without a grade"),)


def _proof(m:Mutant, invariants:tuple, possible:bool=False) -> str:
    t = m.table
    if t.hit_policy == "collect":
        if _same_rules(t.rules, m.rules, getattr(t, "scope", None), m.scope, invariants, possible): return "same decisions"
        return "same outputs" if _same_outputs_collect(t, m, invariants, possible) else ""
    mutant = _rebuilt(t, m.rules, m.scope)
    if _same_decisions(t, mutant, invariants, possible): return "same decisions"
    return "same outputs" if _same_outputs_single(t, mutant, invariants, possible) else ""


_SIBLINGS = {}  # id(table) -> its sibling sets (the pipelines do not change while the harness runs)


def _sibling_sets(table) -> list:
    """For each pipeline (policy, grading, staging) that runs `table`: the tables of that pipeline whose outcomes land
    in the same output column (the table included), once per distinct set."""
    if id(table) not in _SIBLINGS: _SIBLINGS[id(table)] = _find_siblings(table)
    return _SIBLINGS[id(table)]


def _find_siblings(table) -> list:
    out = {}
    for p in vg.registered_policies():
        for g in GRADING_EDITIONS:
            for s in STAGING_EDITIONS:
                tables = [getattr(st, "table", None) for st in pipeline(g, s, p)]
                if not any(x is table for x in tables): continue
                same = [x for x in tables if x is not None and x.output == table.output]
                out.setdefault(tuple(sorted(id(x) for x in same)), same)
    return list(out.values())


STRENGTHS = tuple(s.value for s in Strength)  # strongest first: a code listed twice keeps the first of these


def _same_merged_outputs(m:Mutant, invariants:tuple=(), possible:bool=False) -> bool:
    """Collect table: in every pipeline that runs it, the output column it writes is the same once merged with the
    other tables writing that column (`guideline._recommendations`: one entry per code at its strongest strength;
    alerts, work-up items and schedules: one entry per code). Compared at every point of the joint grid of every rule
    of those tables that gives a code the mutant touches: the strongest strength each such code is given with, the
    open outcomes (code, strength, fields) and the missing input fields."""
    t = m.table
    if t.hit_policy != "collect": return False
    scope_changed = m.scope is not getattr(t, "scope", None)
    old, new = {r.id: r for r in t.rules}, {r.id: r for r in m.rules}
    codes = {r.then for rid in old.keys() | new.keys() for r in (old.get(rid), new.get(rid)) if r is not None
             and (scope_changed or old.get(rid) is not new.get(rid))}
    level = lambda strength: len(STRENGTHS) - STRENGTHS.index(strength) if strength in STRENGTHS else 1  # higher is stronger; 0 not given
    for siblings in _sibling_sets(t):
        others = [(x, r) for x in siblings if x is not t for r in x.rules if r.then in codes]
        if any(x.hit_policy != "collect" for x, _ in others): return False  # a first or unique table's rules do not fire alone
        others = [(_with_scope(r, getattr(x, "scope", None)), r) for x, r in others]
        before = others + [(_with_scope(r, t.scope), r) for r in t.rules if r.then in codes]
        after = others + [(_with_scope(r, m.scope), r) for r in m.rules if r.then in codes]
        grid = proof_grid([c for c, _ in before + after], invariants, possible)
        if grid is None: return False
        cols = columns_from_canonical(grid)
        def outputs(rules):
            best, open_, gaps = {}, {}, {}
            for c, r in rules:
                tr = c.frame(cols)
                unknown = ~(tr.t | tr.f)
                best[r.then] = np.maximum(best.get(r.then, 0), np.where(tr.t, level(r.strength), 0))
                key = (r.then, r.strength, frozenset(c.fields))
                open_[key] = open_.get(key, False) | unknown
                for f in c.fields & INPUT_NAMES: gaps[f] = gaps.get(f, False) | unknown
            return best, open_, gaps
        for x, y in zip(outputs(before), outputs(after)):
            for k in x.keys() | y.keys():
                if (np.asarray(x.get(k, 0)) != np.asarray(y.get(k, 0))).any(): return False
    return True


POSSIBLE = "on the possible points"


def proof(m:Mutant) -> str:
    """How the mutant is proven equivalent on every class of inputs (see `proof_grid`), or '' when it is not.

    `same decisions`: the mutated table decides exactly as the table (outcome, rules fired, missing fields);
    `same outputs`: only the trail of rule ids differs, every outcome, strength, open outcome and missing field is
    the same; `same merged outputs`: the table's own output differs, but not once merged with the other tables that
    write the same column in every pipeline that runs it (`_same_merged_outputs`). Either way no patient, and so no
    vignette on those columns, can tell them apart. Each is tried on the whole boundary grid, then on the points that
    keep `INVARIANTS` (`..., where grade and class agree`), then only on the points some record can give (`..., on
    the possible points`: `possible_rows`). An error on one grid (e.g. rules that now overlap there) counts as not proven on
    that grid only."""
    invariants = tuple(inv for inv, _ in INVARIANTS)
    where = INVARIANTS[0][1].split(':')[0]
    # the weakest claims first: a change they cannot hide no stronger proof hides (each grid contains the next)
    if not (_attempt(_proof, m, invariants, True) or _attempt(_same_merged_outputs, m, invariants, True)): return ""
    if how := _attempt(_proof, m, ()): return how
    if how := _attempt(_proof, m, invariants): return f"{how}, where {where}"
    if _attempt(_same_merged_outputs, m, invariants): return f"same merged outputs, where {where}"
    if how := _attempt(_proof, m, invariants, True): return f"{how}, {POSSIBLE}"
    if _attempt(_same_merged_outputs, m, invariants, True): return f"same merged outputs, {POSSIBLE}"
    return ""


def _attempt(fn, *args):
    "One proof on one grid; an error there (rules that overlap on points a wider grid holds and a narrower one leaves out) proves nothing on that grid, and the narrower grids are still tried."
    try: return fn(*args)
    except Exception: return ""


def proven_equivalent(m:Mutant) -> bool: return bool(proof(m))


# ------------------------------------------------------------------ running

class Runner:
    "The vignettes grouped by (policy, grading, staging), and which tables each group's pipeline uses."
    def __init__(self):
        self.vignettes = vg.load_vignettes()
        self.groups = vg._runs(self.vignettes)
        self.tables = {key: {id(s.table) for s in pipeline(key[1], key[2], key[0]) if getattr(s, "table", None) is not None}
                       for key in self.groups}

    def failures(self, table=None) -> list:
        "Failing vignette ids, running only the groups whose pipeline uses `table`."
        out = []
        for key, group in self.groups.items():
            if table is None or id(table) in self.tables[key]:
                out += [(f["id"], key[0]) for f in vg._check_frame(group, key)]
        return out


ANALYSE_AT_MOST = 200_000  # boundary-grid points; larger tables are analysed by the slow test run only


def _grid_size(table) -> int:
    cuts = {}
    for c in table.conditions:
        for k, v in c.thresholds().items(): cuts.setdefault(k, set()).update(v)
    return math.prod(len(_field_points(n, cuts.get(n, set()))) + 1 for n in table.inputs)


def analysis_failure(m:Mutant) -> str:
    """What tests/test_properties.py would say of the mutated table: a gap, an overlap its hit policy forbids, or a
    rule that can no longer fire on its boundary grid ('' when none, or when the grid is too large to read here)."""
    with applied(m):
        t = m.table
        if _grid_size(t) > ANALYSE_AT_MOST: return ""
        report = t.analyse()
    if not report.gaps.empty: return "test_properties: a gap in the table"
    if not report.overlaps.empty: return "test_properties: rules overlap"
    if report.unreachable: return f"test_properties: {', '.join(report.unreachable)} unreachable"
    return ""


def run_mutant(runner:Runner, m:Mutant) -> str:
    "How the mutant was killed (`vignette ID`, `refused: ...`, `test_properties: ...`), or '' when it survived."
    try:
        with applied(m):
            fails = runner.failures(m.table)
    except Exception as e:
        return f"refused: {type(e).__name__}: {str(e)[:80]}"
    if fails: return f"vignette {fails[0][0]} ({fails[0][1]})"
    try: return analysis_failure(m)
    except Exception as e: return f"test_properties: {type(e).__name__}: {str(e)[:80]}"


def run_tests(m:Mutant, timeout:int=600) -> str:
    "Run the quick test suite with the mutant applied; the first failing test, or ''."
    env = dict(os.environ, PANNET_MUTANT=m.key)
    cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-m", "not slow", "-p", "no:cacheprovider", "--ignore=tests/test_vignettes.py",
           "-o", "addopts=", str(ROOT / "tests")]
    try: r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired: return ""
    if r.returncode == 0: return ""
    failed = [ln for ln in r.stdout.splitlines() if ln.startswith("FAILED") or ln.startswith("ERROR")]
    return "test " + (failed[0].split(" ")[1] if failed else f"exit {r.returncode}")


# ------------------------------------------------------------------ declared equivalents

EQUIVALENTS = ROOT / "tools" / "mutation_equivalents"  # a folder of YAML files (one per chapter), or one file
REASON_AT_LEAST = 40  # characters: a reason names the rule, the value and what makes the change invisible


def load_equivalents(path:Path=EQUIVALENTS) -> dict:
    """Mutant key -> reason, from the reviewed list of mutants that change a table but no output of the guideline.

    Each entry is `key` (or `keys`, several mutants with one reason) and `reason`; a reason shorter than
    `REASON_AT_LEAST` characters, a key that is not `table|rule|kind|detail` or a key listed twice is an error."""
    if not path.exists(): return {}
    out = {}
    for file in (sorted(path.glob("*.yaml")) if path.is_dir() else [path]): _read_equivalents(file, out)
    return out


def _read_equivalents(path:Path, out:dict):
    "Add one file's declarations to `out` (a key already there is an error)."
    items = yaml.safe_load(path.read_text()) or []
    if not isinstance(items, list): raise ValueError(f"{path.name}: a list of entries")
    for n, e in enumerate(items):
        if not isinstance(e, dict) or set(e) - {"key", "keys", "reason"} or ("key" in e) == ("keys" in e):
            raise ValueError(f"{path.name}: entry {n}: `key` or `keys`, and `reason`")
        reason = str(e.get("reason") or "").strip()
        if len(reason) < REASON_AT_LEAST: raise ValueError(f"{path.name}: entry {n}: the reason must say why ({reason!r})")
        for key in ([e["key"]] if "key" in e else e["keys"]):
            if len(str(key).split("|")) != 4: raise ValueError(f"{path.name}: entry {n}: {key!r} is not table|rule|kind|detail")
            if key in out: raise ValueError(f"{path.name}: {key!r} listed twice")
            out[key] = reason


@dataclass
class Verdicts:
    "Every mutant's fate: killed (how), proven equivalent, declared equivalent (reason), or unexplained; and stale declarations."
    killed: dict # key -> how
    proven: dict # key -> how it is proven (see `proof`)
    declared: dict # key -> reason
    unexplained: list # keys
    stale: dict # key -> why the declaration no longer holds
    total: int

    @property
    def line(self) -> str:
        e = len(self.proven) + len(self.declared)
        possible = sum(POSSIBLE in how for how in self.proven.values())
        return (f"mutants: {len(self.killed)} killed of {self.total}; {e} declared equivalent "
                f"({len(self.proven) - possible} proven on the boundary grid, {possible} proven {POSSIBLE}, "
                f"{len(self.declared)} listed); "
                f"{len(self.unexplained) + len(self.stale)} unexplained")


def judge(mutants:list, how:dict, equivalents:dict, tables:set|None=None, proofs:dict|None=None) -> Verdicts:
    """Sort the mutants once the vignettes have run (`how`: key -> how it was killed, '' when it survived).

    A survivor is proven equivalent when `proven_equivalent` says so, declared when the list gives a reason, else
    unexplained. A declaration is stale (and counted as unexplained) when its mutant is killed, proven, or no longer
    exists; only the declarations of `tables` are looked at (all when None). `proofs`: key -> `proof` of each survivor,
    when already worked out (by `--jobs` workers)."""
    v = Verdicts({}, {}, {}, [], {}, len(mutants))
    keys = set()
    for m in mutants:
        keys.add(m.key)
        if how.get(m.key): v.killed[m.key] = how[m.key]
        elif how_proven := (proofs[m.key] if proofs is not None and m.key in proofs else proof(m)): v.proven[m.key] = how_proven
        elif m.key in equivalents: v.declared[m.key] = equivalents[m.key]
        else: v.unexplained.append(m.key)
    for key in equivalents:
        if tables is not None and key.split("|")[0] not in tables: continue
        if key not in keys: v.stale[key] = "no such mutant"
        elif key in v.killed: v.stale[key] = f"killed by {v.killed[key]}"
        elif key in v.proven: v.stale[key] = f"proven equivalent: {v.proven[key]}"
    return v


# ------------------------------------------------------------------ main

_SHARED = {}  # what forked workers read: the runner, the mutants and the options (set before the fork, never sent)


def _run_share(share:tuple) -> tuple:
    "One worker's share of the mutants (every `n`-th from `i`): how each was killed, and the proof of each survivor."
    i, n = share
    runner, mutants, tests = _SHARED["runner"], _SHARED["mutants"], _SHARED["tests"]
    how, proofs = {}, {}
    for m in mutants[i::n]:
        how[m.key] = run_mutant(runner, m)
        if not how[m.key] and tests: how[m.key] = run_tests(m)
        if not how[m.key]: proofs[m.key] = proof(m)
    return how, proofs


def run_all(runner:Runner, mutants:list, tests:bool, jobs:int) -> tuple:
    "(how each mutant was killed, the proofs of the survivors or None), in `jobs` forked processes when more than one."
    if jobs <= 1:
        how = {}
        for m in mutants:
            how[m.key] = run_mutant(runner, m)
            if not how[m.key] and tests: how[m.key] = run_tests(m)
        return how, None
    import multiprocessing
    _SHARED.update(runner=runner, mutants=mutants, tests=tests)
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        parts = pool.map(_run_share, [(i, jobs) for i in range(jobs)])
    how, proofs = {}, {}
    for h, p in parts: how.update(h); proofs.update(p)
    return {m.key: how[m.key] for m in mutants}, proofs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tests", action="store_true", help="also run the quick pytest suite against each survivor")
    ap.add_argument("--table", help="only this table")
    ap.add_argument("--verbose", action="store_true", help="print every mutant and how it was killed")
    ap.add_argument("--equivalents", type=Path, default=EQUIVALENTS, help="the reviewed list of equivalent mutants")
    ap.add_argument("--json", help="write every verdict to this file")
    ap.add_argument("--jobs", type=int, default=1, help="forked worker processes sharing the mutants (Linux)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    runner = Runner()
    baseline = runner.failures()
    if baseline: raise SystemExit(f"the vignettes fail before any mutation: {baseline[:5]}")
    mutants = all_mutants(args.table)
    how, proofs = run_all(runner, mutants, args.tests, args.jobs)
    if args.verbose:
        for m in mutants: print(f"{'KILLED' if how[m.key] else 'SURVIVED':8} {m.key}  {how[m.key]}")
    tables = None if args.table is None else {args.table}
    v = judge(mutants, how, load_equivalents(args.equivalents), tables, proofs)
    by_kind = {}
    for key, how_proven in v.proven.items(): by_kind.setdefault(key.split("|")[2], [0, 0, 0])[1 if POSSIBLE in how_proven else 0] += 1
    for key in v.declared: by_kind.setdefault(key.split("|")[2], [0, 0, 0])[2] += 1
    print(f"\n{time.perf_counter() - t0:.0f} s, {len(runner.vignettes)} vignettes, {len(used_tables())} tables")
    print("equivalent by kind (proven on the grid, on the possible points, listed): "
          + ", ".join(f"{k} {p}+{q}+{d}" for k, (p, q, d) in sorted(by_kind.items())))
    proofs = {}
    for how_proven in v.proven.values(): proofs[how_proven] = proofs.get(how_proven, 0) + 1
    print("proofs: " + ", ".join(f"{n} {h}" for h, n in sorted(proofs.items())))
    killers = {}
    for how in v.killed.values(): killers[how.split(" ")[0].rstrip(":")] = killers.get(how.split(" ")[0].rstrip(":"), 0) + 1
    print("killed by: " + ", ".join(f"{n} {k}" for k, n in sorted(killers.items())))
    if args.json: Path(args.json).write_text(json.dumps(dataclasses.asdict(v), indent=1))
    for key in v.unexplained: print(f"  UNEXPLAINED  {key}")
    for key, why in v.stale.items(): print(f"  STALE        {key}  ({why})")
    print(v.line)
    return 1 if v.unexplained or v.stale else 0


if __name__ == "__main__":
    sys.exit(main())
