"The command line: the demo job and `assess` on CSV, TSV and Parquet."
import subprocess
import sys

import pandas as pd

from pannet_guideline.cli import main
from pannet_guideline.datasets import synthetic_cohort


def test_demo_job_writes_both_results(tmp_path, capsys):
    assert main(["demo", "-o", str(tmp_path)]) == 0
    demo = pd.read_csv(tmp_path / "demo_cohort_assessed.csv")
    arcnet = pd.read_csv(tmp_path / "arcnet_assessed.csv")
    assert len(demo) == 500 and len(arcnet) == 98
    captured = capsys.readouterr()
    assert "Not a medical device" in captured.err and "== arcnet: 98 patients" in captured.out


def test_assess_round_trips_formats(tmp_path):
    df = synthetic_cohort(50, seed=7)
    for suffix in (".csv", ".tsv", ".parquet"):
        src = tmp_path / f"in{suffix}"
        if suffix == ".parquet": df.astype({"ki67_pct": str}).to_parquet(src)
        elif suffix == ".tsv": df.to_csv(src, sep="\t", index=False)
        else: df.to_csv(src, index=False)
        dst = tmp_path / f"out{suffix}"
        assert main(["assess", str(src), "-o", str(dst)]) == 0
        out = pd.read_parquet(dst) if suffix == ".parquet" else pd.read_csv(dst, sep="\t" if suffix == ".tsv" else ",")
        assert len(out) == 50 and "stage_ajcc8" in out.columns


def test_console_script_runs():
    r = subprocess.run([sys.executable, "-c", "import sys; from pannet_guideline.cli import main; sys.exit(main(['--help']))"], capture_output=True, text=True)
    assert r.returncode == 0 and "Not a medical device" in r.stdout
