"The command line: each file case, one-line failures, exit codes, safe writes."
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest

from pannet_guideline.cli import main
from pannet_guideline.datasets import synthetic_cohort

from conftest import cli_in_process, holds_unnamed_file

CLI = [sys.executable, "-c", "import sys; from pannet_guideline.cli import main; sys.exit(main())"]


def run_process(*args, stdin=None):
    "The command in a new interpreter, as a user starts it: standard input and output are pipes."
    return subprocess.run(CLI + list(args), capture_output=True, text=True, input=stdin, timeout=300)


def run(*args, stdin=None):
    "The command's exit code and messages, from `main` in this process (one interpreter per case costs a second each)."
    return cli_in_process(*args, stdin=stdin or "")


def cohort(n=60, seed=7):
    df = synthetic_cohort(n, seed=seed)
    df["ki67_pct"] = df["ki67_pct"].astype(str)
    return df


@pytest.mark.slow  # two full cohort reports, every pathway drawn; the quick run: the test below and tests/test_report.py
def test_demo_job_writes_both_results(tmp_path, capsys):
    assert main(["demo", "-o", str(tmp_path)]) == 0
    assert len(pd.read_csv(tmp_path / "demo_cohort_assessed.csv")) == 500 and len(pd.read_csv(tmp_path / "arcnet_assessed.csv")) == 98
    captured = capsys.readouterr()
    assert "Not a medical device" in captured.err and "== arcnet: 98 patients" in captured.out
    assert {p.name for p in tmp_path.iterdir()} >= {"demo_cohort_report.html", "arcnet_report.html"}


def test_demo_job_writes_both_results_and_asks_a_report_of_each(tmp_path, capsys, monkeypatch):
    "The demo's wiring, with the report writer (tests/test_report.py) replaced by one that notes what it was asked."
    import pannet_guideline.cli as cli
    asked = []
    def noted(df, path, columns=None, title=""):
        asked.append((len(df), Path(path).name, columns is not None, title))
        return Path(path)
    monkeypatch.setattr(cli, "write_cohort_report", noted)
    assert main(["demo", "-o", str(tmp_path)]) == 0
    assert len(pd.read_csv(tmp_path / "demo_cohort_assessed.csv")) == 500 and len(pd.read_csv(tmp_path / "arcnet_assessed.csv")) == 98
    captured = capsys.readouterr()
    assert "Not a medical device" in captured.err and "== arcnet: 98 patients" in captured.out
    assert asked == [(500, "demo_cohort_report.html", False, "Demo cohort (synthetic)"),
                     (98, "arcnet_report.html", True, "ARC-Net (Scarpa et al., Nature 2017)")]


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".parquet", ".xlsx"])
def test_each_format_round_trips(tmp_path, suffix):
    df = cohort(50)
    src, dst = tmp_path / f"in{suffix}", tmp_path / f"out{suffix}"
    {".csv": lambda: df.to_csv(src, index=False), ".tsv": lambda: df.to_csv(src, sep="\t", index=False),
     ".parquet": lambda: df.to_parquet(src), ".xlsx": lambda: df.to_excel(src, index=False)}[suffix]()
    assert main(["assess", str(src), "-o", str(dst), "-q"]) == 0
    out = {".csv": pd.read_csv, ".tsv": lambda p: pd.read_csv(p, sep="\t"), ".parquet": pd.read_parquet, ".xlsx": pd.read_excel}[suffix](dst)
    assert len(out) == 50 and "stage_ajcc8" in out.columns and out["patient_id"].tolist() == df["patient_id"].tolist()


def test_semicolon_csv_is_sniffed(tmp_path):
    src = tmp_path / "eu.csv"
    cohort(30).to_csv(src, sep=";", index=False)
    assert main(["assess", str(src), "-o", str(tmp_path / "o.csv"), "-q"]) == 0
    out = pd.read_csv(tmp_path / "o.csv")
    assert (out["who_grade"].astype(str) != "unknown").sum() > 20


def test_stdin_to_stdout():
    r = run_process("assess", "-", "-o", "-", "-q", stdin=cohort(20).to_csv(index=False))
    assert r.returncode == 0 and r.stdout.splitlines()[0].replace("\"", "").startswith("patient_id,") and len(r.stdout.splitlines()) == 21


def test_parquet_index_ids_reach_csv_and_duplicate_index_keeps_rows(tmp_path):
    df = cohort(10).set_index("patient_id")
    df = pd.concat([df, df.iloc[:2]])  # a repeated id
    df.to_parquet(tmp_path / "in.parquet")
    assert main(["assess", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "o.csv"), "-q"]) == 0
    out = pd.read_csv(tmp_path / "o.csv")
    assert len(out) == 12 and out["patient_id"].tolist() == df.index.tolist()


def test_formula_cells_are_neutralised_unless_asked(tmp_path):
    df = cohort(3).assign(note=['=HYPERLINK("http://x")', "+1+1", "-2"])
    df.to_csv(tmp_path / "in.csv", index=False)
    main(["assess", str(tmp_path / "in.csv"), "-o", str(tmp_path / "a.csv"), "-q"])
    main(["assess", str(tmp_path / "in.csv"), "-o", str(tmp_path / "b.csv"), "-q", "--keep-formulas"])
    assert pd.read_csv(tmp_path / "a.csv")["note"].tolist() == ["'=HYPERLINK(\"http://x\")", "'+1+1", "-2"]
    assert pd.read_csv(tmp_path / "b.csv")["note"].tolist()[0] == '=HYPERLINK("http://x")'


@pytest.mark.parametrize("case", ["same", "dotdot", "url", "dir_out", "missing", "bad_ext", "readonly", "policy"])
def test_failures_are_one_line_with_exit_2(tmp_path, case):
    src = tmp_path / "in.csv"
    cohort(5).to_csv(src, index=False)
    before = src.read_bytes()
    (tmp_path / "ro").mkdir(); os.chmod(tmp_path / "ro", 0o500)
    args = {"same": [str(src), "-o", str(src)], "dotdot": [str(src), "-o", str(tmp_path / "sub" / ".." / "in.csv")],
            "url": ["https://example.org/in.csv", "-o", str(tmp_path / "o.csv")], "dir_out": [str(src), "-o", str(tmp_path / "ro")],
            "missing": [str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.csv")], "bad_ext": [str(src), "-o", str(tmp_path / "o.json")],
            "readonly": [str(src), "-o", str(tmp_path / "ro" / "o.csv")], "policy": [str(src), "-o", str(tmp_path / "o.csv"), "--policy", "x"]}[case]
    r = run("assess", *args)
    os.chmod(tmp_path / "ro", 0o700)
    if case == "readonly" and os.geteuid() == 0: pytest.skip("root may write into a read-only folder")
    errors = [line for line in r.stderr.splitlines() if "error" in line]
    assert r.returncode == 2 and len(errors) == 1 and "Traceback" not in r.stderr, r.stderr
    assert src.read_bytes() == before


def test_strict_exit_1_and_columns_listed(tmp_path):
    df = cohort(20).rename(columns={"nodal_status": "nodal_stat"})
    df.to_csv(tmp_path / "in.csv", index=False)
    r = run("assess", str(tmp_path / "in.csv"), "-o", str(tmp_path / "o.csv"), "--strict", "-q")
    assert r.returncode == 1 and "'nodal_stat' not read" in r.stderr and "did you mean nodal_status" in r.stderr


def test_version_and_help():
    assert run("--version").stdout.startswith("pannet-guideline ")
    h = run("assess", "--help").stdout
    for option in ("--policy", "--grading", "--staging", "--format", "--engine", "--keep-formulas", "--strict"): assert option in h
    assert "{seed-2025,nccn-2025}" in h


def test_chunked_equals_one_pass(tmp_path):
    df = cohort(700, seed=3)
    df.to_csv(tmp_path / "in.csv", index=False)
    main(["assess", str(tmp_path / "in.csv"), "-o", str(tmp_path / "a.csv"), "-q", "--chunk-rows", "100"])
    main(["assess", str(tmp_path / "in.csv"), "-o", str(tmp_path / "b.csv"), "-q", "--chunk-rows", "100000"])
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


@pytest.mark.slow
def test_kill_during_write_leaves_previous_result(tmp_path):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    cohort(300_000, seed=1).to_csv(src, index=False)
    dst.write_text("previous,result\n1,2\n")
    p = subprocess.Popen(CLI + ["assess", str(src), "-o", str(dst), "-q", "--chunk-rows", "20000"], stderr=subprocess.DEVNULL)
    deadline, started = time.time() + 120, False
    while time.time() < deadline and p.poll() is None and not (started := holds_unnamed_file(p.pid, tmp_path)): time.sleep(0.05)
    assert started, "the run ended before its output was seen being written"
    os.kill(p.pid, signal.SIGKILL); p.wait()
    assert dst.read_text() == "previous,result\n1,2\n"
    assert sorted(os.listdir(tmp_path)) == ["in.csv", "out.csv"]  # and no copy of the rows left beside it



@pytest.mark.slow  # a full cohort report, every pathway drawn; the quick run: the test below and tests/test_report.py
def test_report_command_writes_one_self_contained_file(tmp_path, capsys):
    src = tmp_path / "cohort.csv"; cohort(120).to_csv(src, index=False)
    out = tmp_path / "report.html"
    assert main(["report", str(src), "-o", str(out)]) == 0
    html = out.read_text()
    assert "Not a medical device" in html and "seed-2025" in html and "nccn-2025" in html
    assert "<svg" in html or "data:image" in html  # the flowcharts are inline
    assert "src=\"http" not in html and "href=\"http" not in html.replace('href="https://doi', '')  # nothing fetched
    assert main(["report", str(src), "-o", str(src)]) == 2  # never over its input


def test_report_command_asks_one_report_under_both_policies_and_never_over_its_input(tmp_path, capsys, monkeypatch):
    "The command's wiring, with the report writer (tests/test_report.py) replaced by one that notes what it was asked."
    import pannet_guideline.cli as cli
    asked = []
    def noted(df, path, policies=(), grading="", staging="", columns=None, title=""):
        asked.append((len(df), Path(path).name, policies, grading, staging, title))
        Path(path).write_text("report")
        return Path(path)
    monkeypatch.setattr(cli, "write_cohort_report", noted)
    src = tmp_path / "cohort.csv"; cohort(120).to_csv(src, index=False)
    before = src.read_bytes()
    assert main(["report", str(src), "-o", str(tmp_path / "report.html")]) == 0
    assert asked == [(120, "report.html", ("seed-2025", "nccn-2025"), "who-2019", "ajcc-8", "Cohort report")]
    assert main(["report", str(src), "-o", str(src)]) == 2 and len(asked) == 1  # never over its input
    assert src.read_bytes() == before


@pytest.mark.parametrize("suffix", [".csv", pytest.param(".parquet", marks=pytest.mark.slow)])  # quick run: one format (both read in blocks alike)
@pytest.mark.parametrize("late", [12.0, None])
def test_ki67_fractions_judged_on_the_whole_file(tmp_path, suffix, late):
    "The first blocks hold only values within 0 to 1; a later value above 1 (or none) decides for every block, as in one pass."
    df = cohort(300, seed=9)
    df["ki67_pct"] = "0.3"
    if late is not None: df.loc[250, "ki67_pct"] = str(late)
    src = tmp_path / f"in{suffix}"
    df.to_csv(src, index=False) if suffix == ".csv" else df.to_parquet(src, row_group_size=50)
    for rows, name in ((40, "blocks"), (100_000, "one")):
        assert main(["assess", str(src), "-o", str(tmp_path / f"{name}.csv"), "-q", "--chunk-rows", str(rows)]) == 0
    blocks, one = (pd.read_csv(tmp_path / f"{n}.csv", dtype=str, keep_default_na=False) for n in ("blocks", "one"))
    pd.testing.assert_frame_equal(blocks, one)
    flagged = one["input_issues"].str.contains("as if fractions")
    assert flagged.all() if late is None else not flagged.any()


def test_ki67_fractions_on_standard_input_judged_on_all_of_it(tmp_path, monkeypatch):
    "Standard input is read once into a temporary file: its blocks get the verdict of the whole table."
    df = cohort(200, seed=10)
    df["ki67_pct"] = "0.3"
    df.loc[150, "ki67_pct"] = "12"
    text = df.to_csv(index=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the copy of standard input goes
    blocks, one = (run("assess", "-", "-o", "-", "-q", "--chunk-rows", str(rows), stdin=text) for rows in (50, 100_000))
    assert blocks.returncode == one.returncode == 0 and blocks.stdout == one.stdout
    assert "as if fractions" not in blocks.stdout and len(blocks.stdout.splitlines()) > 200  # every row written, the header too
    assert not list(tmp_path.iterdir())  # the copy of standard input is removed


def test_a_failed_background_write_keeps_the_previous_file(tmp_path, monkeypatch):
    "Parquet blocks are written on a background thread: its failure still reaches the caller, and the old result stays."
    import pyarrow.parquet as pq
    from pannet_guideline.files import TableWriter
    dst = tmp_path / "out.parquet"
    cohort(20).to_parquet(dst)
    before = dst.read_bytes()
    def broken(self, table, *a, **k): raise OSError("disk full")
    monkeypatch.setattr(pq.ParquetWriter, "write_table", broken)
    with pytest.raises(OSError, match="disk full"):
        with TableWriter(str(dst)) as w:
            for _ in range(3): w.write(cohort(30))
    assert dst.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["out.parquet"]


@pytest.mark.parametrize("option,value,why", [("--chunk-rows", "0", "0 is below 1"), ("--chunk-rows", "-5", "-5 is below 1"),
                                              ("--workers", "two", "'two' is not a whole number")])
def test_counts_below_one_are_usage_errors(tmp_path, option, value, why):
    cohort(5).to_csv(tmp_path / "in.csv", index=False)
    r = run("assess", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"), option, value)
    assert r.returncode == 2 and why in r.stderr and "Traceback" not in r.stderr and not (tmp_path / "out.csv").exists()


def test_inspect_shows_each_column_and_writes_a_mapping_assess_reads(tmp_path, capsys):
    "inspect names the unreadable values with their counts; the mapping it writes is read back by assess --columns."
    from pannet_guideline.datasets import demo_cohort
    df = demo_cohort().head(60).astype(str).rename(columns={"ki67_pct": "Ki-67 (%)"})
    df.loc[:9, "Ki-67 (%)"] = "about five"
    df.to_csv(tmp_path / "export.csv", index=False)
    assert main(["inspect", str(tmp_path / "export.csv"), "-o", str(tmp_path / "map.json")]) == 0
    shown = capsys.readouterr().out
    assert "'about five' (10)" in shown and "recognised spelling" in shown
    mapping = json.loads((tmp_path / "map.json").read_text())
    assert mapping["Ki-67 (%)"] == "ki67_pct"
    assert main(["-q", "assess", str(tmp_path / "export.csv"), "--columns", str(tmp_path / "map.json"), "-o", str(tmp_path / "o.csv")]) == 0
    out = pd.read_csv(tmp_path / "o.csv", dtype=str, keep_default_na=False)
    assert out["input_issues"].str.contains("ki67_pct").sum() >= 10
