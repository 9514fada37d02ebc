"""Benchmark: `assess_frame` on a large synthetic cohort against `assess` row by row.

Usage: python benchmarks/bench_assess.py [--rows 1000000] [--sample 2000] [--repeat 3]

Prints rows per second for both readings and their ratio. The synthetic cohort holds its text
columns as pandas categoricals (as a Parquet file usually does); `--object` uses plain text.
Not a medical device: a speed measurement on synthetic data only.
"""
import argparse
import time

from pannet_guideline import assess, assess_frame
from pannet_guideline.datasets import synthetic_cohort


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
    args = p.parse_args()
    t0 = time.perf_counter()
    df = synthetic_cohort(args.rows, seed=1, categorical=not args.object)
    print(f"cohort: {args.rows:,} rows, {df.shape[1]} columns, {'object' if args.object else 'categorical'} text "
          f"(built in {time.perf_counter() - t0:.1f} s)")
    frame_s = best_of(lambda: assess_frame(df), args.repeat)
    sample = df.head(args.sample).to_dict("records")
    row_s = best_of(lambda: [assess(r, strict=False) for r in sample], 1)
    frame_rate, row_rate = args.rows / frame_s, args.sample / row_s
    print(f"assess_frame: {frame_s:.3f} s for {args.rows:,} rows = {frame_rate:,.0f} rows/s (best of {args.repeat})")
    print(f"assess row by row: {row_s:.3f} s for {args.sample:,} rows = {row_rate:,.0f} rows/s")
    print(f"ratio (vectorized / row by row): {frame_rate / row_rate:,.0f}x")


if __name__ == "__main__":
    main()
