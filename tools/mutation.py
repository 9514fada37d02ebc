"""Mutation check of the decision tables: change each threshold, value list and rule a little and see whether the vignettes notice.

Every DecisionTable used by any policy and edition is mutated in place, one change at a time, and restored:
- a number threshold: `<` <-> `<=` (and `>` <-> `>=`), and the value moved one reporting step up and down
  (0.1 for Ki-67 % and tumour size cm, 1 for mitoses and age), just across the boundary;
- a value list (`field is a or b`): each value dropped, each other value of the field's vocabulary added;
- a rule: dropped, and its outcome replaced by another outcome of the same table.
A mutant is killed when a vignette fails (one `assess_frame` per policy and edition that uses the table), or when
the table refuses the change where it is defined; with `--tests`, survivors are also run against the quick pytest
suite with the mutant applied (tests/conftest.py applies the mutant named by PANNET_MUTANT).

Usage: .venv/bin/python tools/mutation.py [--tests] [--table NAME] [--verbose]
Last line: `mutants: K killed of N`.
"""
from __future__ import annotations

import argparse
import dataclasses
import inspect
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pannet_guideline import vignettes as vg  # noqa: E402
from pannet_guideline.guideline import pipeline  # noqa: E402
from pannet_guideline.logic import Compare, Expr, IsIn  # noqa: E402
from pannet_guideline.schema import FIELDS  # noqa: E402

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


def run_mutant(runner:Runner, m:Mutant) -> str:
    "How the mutant was killed (`vignette ID`, `refused: ...`), or '' when it survived."
    try:
        with applied(m):
            fails = runner.failures(m.table)
    except Exception as e:
        return f"refused: {type(e).__name__}: {str(e)[:80]}"
    return f"vignette {fails[0][0]} ({fails[0][1]})" if fails else ""


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


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tests", action="store_true", help="also run the quick pytest suite against each survivor")
    ap.add_argument("--table", help="only this table")
    ap.add_argument("--verbose", action="store_true", help="print every mutant and how it was killed")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    runner = Runner()
    baseline = runner.failures()
    if baseline: raise SystemExit(f"the vignettes fail before any mutation: {baseline[:5]}")
    mutants = all_mutants(args.table)
    killed, survivors = 0, []
    for m in mutants:
        how = run_mutant(runner, m)
        if not how and args.tests: how = run_tests(m)
        if args.verbose: print(f"{'KILLED' if how else 'SURVIVED':8} {m.table.name} {m.rule} {m.kind}: {m.detail}  {how}")
        if how: killed += 1
        else: survivors.append(m)
    by_table = {}
    for m in survivors: by_table.setdefault(m.table.name, []).append(m)
    print(f"\n{len(survivors)} survivors in {len(by_table)} tables ({time.perf_counter() - t0:.0f} s, "
          f"{len(runner.vignettes)} vignettes, {len(used_tables())} tables):")
    for name, ms in by_table.items():
        for m in ms: print(f"  {name:28} {m.rule:32} {m.kind:15} {m.detail}")
    print(f"mutants: {killed} killed of {len(mutants)}")


if __name__ == "__main__":
    main()
