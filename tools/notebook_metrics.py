"""How the notebooks read: lines per exported cell, and how often a definition is followed by a visible check.

Usage: .venv/bin/python tools/notebook_metrics.py [--engine | --chapters] [notebooks...]

An exported cell is a code cell marked `#| export`; its lines are counted without the directive and blank lines.
A definition (an exported cell that defines a function or class) counts as checked when the next code cell is not
exported and not hidden: the reader sees the definition at work before the next one.
Not a medical device: a measure of how the source reads.
"""
import argparse
import ast
import json
import statistics
import sys
from pathlib import Path

NBS = Path(__file__).resolve().parents[1] / "nbs"
ENGINE = ("00_evidence", "00a_sources", "00b_vocab", "00c_fast", "01_schema", "02_logic", "03_tables", "04_concepts", "05_policies",
          "30_guideline", "35_vignettes", "40_cohort", "41_files", "45_datasets", "50_pathway", "55_report", "60_audit", "70_cli")


def _code_cells(path:Path) -> list:
    cells = json.loads(path.read_text())["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def _directives(src:str) -> set:
    return {ln[3:].strip().split(":")[0] for ln in src.splitlines() if ln.startswith("#| ")}


def _defines(src:str) -> bool:
    body = "\n".join(ln for ln in src.splitlines() if not ln.startswith("#|"))
    try: tree = ast.parse(body)
    except SyntaxError: return False
    return any(isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) for n in tree.body)


def measure(paths:list) -> dict:
    "Lines per exported cell (median, 90th percentile, max) and the share of definitions followed by a visible check."
    lines, defs, checked = [], 0, 0
    for path in paths:
        cells = _code_cells(path)
        for i, src in enumerate(cells):
            if "export" not in _directives(src): continue
            lines.append(sum(1 for ln in src.splitlines() if ln.strip() and not ln.startswith("#|")))
            if not _defines(src): continue
            defs += 1
            nxt = cells[i + 1] if i + 1 < len(cells) else ""
            if nxt and not {"export", "hide", "exporti"} & _directives(nxt): checked += 1
    lines.sort()
    p90 = lines[min(len(lines) - 1, int(0.9 * len(lines)))] if lines else 0
    return dict(cells=len(lines), median=statistics.median(lines) if lines else 0, p90=p90, max=max(lines, default=0),
                definitions=defs, checked=checked, checked_share=round(checked / defs, 2) if defs else 0.0)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", help="notebook stems or paths (default: the engine notebooks)")
    ap.add_argument("--chapters", action="store_true", help="the clinical chapter notebooks (1x and 2x) instead")
    args = ap.parse_args(argv)
    if args.notebooks: paths = [Path(n) if n.endswith(".ipynb") else NBS / f"{n}.ipynb" for n in args.notebooks]
    elif args.chapters: paths = sorted(p for p in NBS.glob("[12]*.ipynb"))
    else: paths = [NBS / f"{n}.ipynb" for n in ENGINE if (NBS / f"{n}.ipynb").exists()]
    m = measure(paths)
    print(f"{len(paths)} notebooks, {m['cells']} exported cells: lines median {m['median']}, 90th percentile {m['p90']}, max {m['max']}; "
          f"{m['checked']} of {m['definitions']} definitions followed by a check ({m['checked_share']:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
