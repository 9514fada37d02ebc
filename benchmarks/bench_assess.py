"""Benchmark: `assess_frame` on a large synthetic cohort against `assess` row by row.

Usage: python benchmarks/bench_assess.py [--rows 1000000] [--sample 2000] [--repeat 3] [--object]
       [--files 2000000] [--synthetic 5000000] [--dask 10000000 --workers 1 2] [--breakdown] [--threads N] [--shortcuts]

Prints rows per second for both readings and their ratio; with --files, the command line end to
end (CSV to CSV and Parquet to Parquet, in blocks); with --synthetic, the time to build a cohort;
with --dask, the Dask engine's throughput on a local cluster of 1 and 2 workers; with --shortcuts, the full guideline
with every shortcut of `pannet_guideline.fast` on, off, and each one off in turn. The synthetic cohort holds its text
columns as pandas categoricals (as a Parquet file usually does); `--object` uses plain text.
Not a medical device: a speed measurement on synthetic data only.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import pandas as pd

from pannet_guideline import assess, assess_frame, fast
from pannet_guideline.cohort import category_column, output_frame
from pannet_guideline.datasets import synthetic_cohort
from pannet_guideline.guideline import FrameState, chapter_tables, pipeline, run_steps
from pannet_guideline.schema import read_frame


def grade_and_stage(df):
    "Grading and staging only: read the table, run the steps before the management chapters, build their columns."
    steps = pipeline()
    st = FrameState(read_frame(df))
    run_steps(steps[:len(steps) - len(chapter_tables())], st)
    return {name: category_column(st.cols.codes(name), name) for name in ("nen_class", "who_grade", "t_category", "n_category",
                                                                        "m_category", "stage_ajcc8", "stage_enets", "disease_setting")}


def breakdown(df, repeat):
    "Where the full guideline spends its time: reading the table, the tables of every step, building the output columns."
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter(); st = FrameState(read_frame(df)); t1 = time.perf_counter()
        run_steps(pipeline(), st)
        t2 = time.perf_counter(); output_frame(st, "who-2019", "ajcc-8", df.index); t3 = time.perf_counter()
        parts = (t1 - t0, t2 - t1, t3 - t2)
        best = parts if best is None or sum(parts) < sum(best) else best
    return best


SHORTCUT_OFF = {  # each shortcut of `fast` alone turned off
    "threads": dict(threads=1),
    "input combinations": dict(combinations_at_most=0, counted_per_row=0),
    "counted input combinations": dict(counted_per_row=0),
    "scope rows": dict(in_scope_at_most=-1.0),
    "grouped outputs": dict(grouped_from=10**12),
    "distinct objects": dict(identity_sample=10**12),
}


def shortcuts(df, repeat):
    "The full guideline with every shortcut on, each one off in turn, and all off: what each buys on this machine."
    on = best_of(lambda: assess_frame(df), repeat)
    print(f"shortcuts: all on {on:.3f} s")
    for name, knobs in SHORTCUT_OFF.items():
        with fast.speed(**knobs): t = best_of(lambda: assess_frame(df), repeat)
        print(f"  {name} off: {t:.3f} s ({t - on:+.3f} s)")
    with fast.speed(off=True): t = best_of(lambda: assess_frame(df), 1)
    print(f"  all off: {t:.3f} s ({t / on:.1f}x)")


def real_tables(n, repeat):
    "The full guideline on data not made for the benchmark: the bundled real tables and the four-site messy export, resampled to `n` rows."
    import warnings
    sys.path.insert(0, os.path.dirname(__file__))
    from messy_export import messy_exports
    from pannet_guideline.datasets import demo_cohort, load_arcnet, load_sheltzer
    arc, arc_map = load_arcnet()
    she, she_map = load_sheltzer()
    parts = messy_exports(demo_cohort())
    messy = pd.concat(parts, axis=0, sort=False)
    messy = messy.astype(object).where(messy.notna(), None)
    warnings.simplefilter("ignore")  # columns not read are listed in the frame's attrs
    for name, table, columns in (("ARC-Net (mapped)", arc, arc_map), ("Sheltzer case list (mapped)", she, she_map),
                                 ("messy four-site export (no mapping)", messy, None)):
        big = table.sample(n, replace=True, random_state=0).reset_index(drop=True)
        s = best_of(lambda: assess_frame(big, columns=columns), repeat)
        print(f"{name}: {s:.3f} s for {n:,} rows resampled from {len(table):,} = {n / s:,.0f} rows/s (best of {repeat})")


def best_of(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter(); fn(); times.append(time.perf_counter() - t0)
    return min(times)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--sample", type=int, default=2_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--object", action="store_true", help="text columns as plain text instead of categoricals")
    p.add_argument("--files", type=int, default=0, help="rows for the end-to-end CSV and Parquet runs (0: skip)")
    p.add_argument("--synthetic", type=int, default=0, help="rows for timing synthetic_cohort (0: skip)")
    p.add_argument("--dask", type=int, default=0, help="rows for the Dask runs (0: skip)")
    p.add_argument("--breakdown", action="store_true", help="also time reading, tables and output columns apart")
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="Dask worker counts to time")
    p.add_argument("--threads", type=int, default=None, help="threads for one large cohort (`fast.settings.threads`; default: the library's)")
    p.add_argument("--shortcuts", action="store_true", help="also time the full guideline with the shortcuts off, all and one at a time")
    p.add_argument("--real", type=int, default=0, help="rows to resample the bundled real tables and the messy registry export to, and time (0: skip)")
    args = p.parse_args()
    if args.threads is not None: fast.settings.threads = args.threads
    t0 = time.perf_counter()
    df = synthetic_cohort(args.rows, seed=1, categorical=not args.object)
    print(f"cohort: {args.rows:,} rows, {df.shape[1]} columns, {'object' if args.object else 'categorical'} text, {fast.settings.threads} thread(s) "
          f"(built in {time.perf_counter() - t0:.1f} s)")
    core_s = best_of(lambda: grade_and_stage(df), args.repeat)
    print(f"grade and stage only: {core_s:.3f} s for {args.rows:,} rows = {args.rows / core_s:,.0f} rows/s (best of {args.repeat})")
    frame_s = best_of(lambda: assess_frame(df), args.repeat)
    sample = df.head(args.sample).to_dict("records")
    row_s = best_of(lambda: [assess(r, strict=False) for r in sample], 1)
    frame_rate, row_rate = args.rows / frame_s, args.sample / row_s
    print(f"assess_frame (full guideline): {frame_s:.3f} s for {args.rows:,} rows = {frame_rate:,.0f} rows/s (best of {args.repeat})")
    print(f"assess row by row: {row_s:.3f} s for {args.sample:,} rows = {row_rate:,.0f} rows/s")
    print(f"ratio (vectorized / row by row): {frame_rate / row_rate:,.0f}x")
    if args.breakdown:
        read_s, tables_s, output_s = breakdown(df, args.repeat)
        print(f"of which: reading {read_s:.3f} s, tables {tables_s:.3f} s, output columns {output_s:.3f} s (best run of {args.repeat})")
    if args.shortcuts: shortcuts(df, args.repeat)
    if args.real: real_tables(args.real, args.repeat)
    if args.files: files(args.files)
    if args.synthetic:
        t0 = time.perf_counter(); synthetic_cohort(args.synthetic, seed=2)
        print(f"synthetic_cohort: {args.synthetic:,} rows built in {time.perf_counter() - t0:.1f} s")
    if args.dask: dask_runs(args.dask, args.workers)


def cli(*args):
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sys; from pannet_guideline.cli import main; sys.exit(main())", *args, "-q"], check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def files(n):
    "The command line end to end on CSV and on Parquet (reading, assessing and writing in blocks)."
    df = synthetic_cohort(n, seed=3)
    df["ki67_pct"] = df["ki67_pct"].astype(str)
    with tempfile.TemporaryDirectory() as d:
        df.to_csv(f"{d}/in.csv", index=False); df.to_parquet(f"{d}/in.parquet", row_group_size=250_000)
        print(f"CSV to CSV end to end: {cli('assess', f'{d}/in.csv', '-o', f'{d}/out.csv'):.1f} s for {n:,} rows")
        print(f"Parquet to Parquet end to end: {cli('assess', f'{d}/in.parquet', '-o', f'{d}/out.parquet'):.1f} s for {n:,} rows")


def dask_runs(n, workers):
    "Throughput of the Dask engine (Parquet file in, Parquet dataset out) on local clusters."
    df = synthetic_cohort(n, seed=4)
    df["ki67_pct"] = df["ki67_pct"].astype(str)
    with tempfile.TemporaryDirectory() as d:
        df.to_parquet(f"{d}/in.parquet", row_group_size=500_000)
        del df
        for w in workers:
            s = cli("assess", f"{d}/in.parquet", "-o", f"{d}/out{w}", "--engine", "dask", "--workers", str(w))
            print(f"Dask, {w} worker(s): {s:.1f} s for {n:,} rows = {n / s:,.0f} rows/s (cluster start included)")


if __name__ == "__main__":
    main()
