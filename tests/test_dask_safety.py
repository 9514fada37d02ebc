"""`assess_parquet_dask` loses nothing and leaks nothing: the output folder it may replace, local paths only, options and
summary, a failed run, lost workers, a cluster on loopback with TLS and no HTTP, and input columns named like outputs.

Not a medical device: these tests check software behaviour only.
"""
import json
import os
import re
import socket
import ssl
import threading
import time

import pandas as pd
import psutil
import pytest

from pannet_guideline import cohort
from pannet_guideline.cohort import CohortAssessment, assess_frame, assess_parquet_dask, join_outputs
from pannet_guideline.datasets import synthetic_cohort
from pannet_guideline.files import TableError

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

MARKER = "_pannet_guideline.json"


def _cohort(n=600):
    df = synthetic_cohort(n, seed=5)
    df["ki67_pct"] = df["ki67_pct"].astype(str)
    return df


def _tree(root) -> dict:
    "Every file under `root` with its bytes, and every folder: a snapshot to prove that nothing changed."
    out = {}
    for here, dirs, files in os.walk(root):
        for d in dirs: out[os.path.relpath(os.path.join(here, d), root) + "/"] = None
        for f in files:
            with open(os.path.join(here, f), "rb") as fh: out[os.path.relpath(os.path.join(here, f), root)] = fh.read()
    return out


@pytest.fixture
def cohort_file(tmp_path):
    path = tmp_path / "in.parquet"
    _cohort().to_parquet(path, row_group_size=200)  # three partitions
    return path


@pytest.fixture
def no_cluster(monkeypatch):
    "Any attempt to start or reach a cluster fails the test: refusals come first."
    def started(*args, **kwargs): raise AssertionError("a cluster was started")
    monkeypatch.setattr(cohort, "_connected", started, raising=False)


@pytest.fixture
def in_process():
    "An in-process cluster (threads), passed as `scheduler=`: fast, and a monkeypatched function reaches its workers."
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def _first_run(tmp_path, cohort_file, scheduler) -> str:
    out = str(tmp_path / "out")
    assess_parquet_dask(str(cohort_file), out, scheduler=scheduler)
    return out


# 1. The output folder

def _previous_with_notes(tmp_path) -> str:
    "A dataset of an earlier run into which someone saved a file of their own."
    out = tmp_path / "prev"
    out.mkdir(); (out / "part.0.parquet").write_bytes(b"x"); (out / "notes.txt").write_text("precious")
    (out / MARKER).write_text(json.dumps({"written_by": "pannet_guideline", "version": "0", "files": ["part.0.parquet"]}))
    return str(out)

REFUSED = {  # case: (input, output, keywords, reason), from the folder `data` that holds in.parquet, notes.txt and sub/
    "holds the input": (lambda t: (t / "data" / "in.parquet", t / "data", {}, "holds the input")),
    "holds the input, overwrite": (lambda t: (t / "data" / "in.parquet", t / "data", {"overwrite": True}, "holds the input")),
    "is the input folder": (lambda t: (t / "data", t / "data", {"overwrite": True}, "holds the input")),
    "holds other files": (lambda t: (t / "data" / "in.parquet", t / "data" / "sub", {}, "use --overwrite")),
    "previous result and a note": (lambda t: (t / "data" / "in.parquet", _previous_with_notes(t), {}, "use --overwrite")),
    "is a file": (lambda t: (t / "data" / "in.parquet", t / "data" / "notes.txt", {}, "not a folder")),
    "inside the input folder": (lambda t: (t / "data", t / "data" / "sub", {"overwrite": True}, "inside the input folder")),
}

@pytest.mark.parametrize("case", list(REFUSED))
def test_refusals_touch_nothing_and_start_no_cluster(tmp_path, no_cluster, case):
    (tmp_path / "data" / "sub").mkdir(parents=True)
    _cohort(50).to_parquet(tmp_path / "data" / "in.parquet")
    (tmp_path / "data" / "notes.txt").write_text("precious"); (tmp_path / "data" / "sub" / "more.txt").write_text("mine")
    inp, out, kw, why = REFUSED[case](tmp_path)
    before = _tree(tmp_path)
    with pytest.raises(ValueError) as e: assess_parquet_dask(str(inp), str(out), **kw)
    msg = str(e.value)
    assert why in msg and str(out) in msg and "\n" not in msg
    assert _tree(tmp_path) == before


def test_remote_paths_are_refused_before_any_cluster(tmp_path, no_cluster, cohort_file):
    for inp, out in [("ftp://x/y.parquet", str(tmp_path / "out")), ("file:///tmp/x.parquet", str(tmp_path / "out")),
                     (str(cohort_file), "s3://bucket/out"), (str(cohort_file), "file:///tmp/out")]:
        with pytest.raises(TableError, match="only local files"): assess_parquet_dask(inp, out)
    assert sorted(os.listdir(tmp_path)) == ["in.parquet"]


def test_unreadable_input_and_bad_options_are_refused_in_one_line_before_any_cluster(tmp_path, no_cluster, cohort_file):
    (tmp_path / "bad.parquet").write_text("not parquet")
    for name, why in [("missing.parquet", "no such file"), ("bad.parquet", "cannot be read as Parquet")]:
        with pytest.raises(TableError) as e: assess_parquet_dask(str(tmp_path / name), str(tmp_path / "out"))
        assert why in str(e.value) and name in str(e.value) and "\n" not in str(e.value)
    for options in [{"workers": 0}, {"staging": "ajcc-99"}, {"policy": "none"}]:
        with pytest.raises(ValueError): assess_parquet_dask(str(cohort_file), str(tmp_path / "out"), **options)
    assert sorted(os.listdir(tmp_path)) == ["bad.parquet", "in.parquet"]


@pytest.mark.slow  # runs the Dask engine on a cluster: the full run
def test_output_replaced_when_absent_empty_previous_or_overwrite(tmp_path, cohort_file, in_process, monkeypatch):
    n = len(pd.read_parquet(cohort_file))
    out = _first_run(tmp_path, cohort_file, in_process)
    marker = json.load(open(f"{out}/{MARKER}"))
    assert marker["written_by"] == "pannet_guideline" and marker["version"] and set(marker["files"]) == set(os.listdir(out)) - {MARKER}
    assert len(pd.read_parquet(out)) == n and len(dd.read_parquet(out).compute()) == n  # readers skip the marker
    assert assess_parquet_dask(str(cohort_file), out, scheduler=in_process)["rows"] == n  # a previous result: replaced
    os.mkdir(tmp_path / "empty")
    assert assess_parquet_dask(str(cohort_file), str(tmp_path / "empty"), scheduler=in_process)["rows"] == n
    os.mkdir(tmp_path / "notes"); (tmp_path / "notes" / "notes.txt").write_text("x")
    assess_parquet_dask(str(cohort_file), str(tmp_path / "notes"), scheduler=in_process, overwrite=True)
    assert "notes.txt" not in os.listdir(tmp_path / "notes") and len(pd.read_parquet(tmp_path / "notes")) == n
    for here in [tmp_path / "here", tmp_path / "out"]:  # `-o .` in an empty folder, then in a previous result: the folder stays
        here.mkdir(exist_ok=True); monkeypatch.chdir(here)
        inode = os.stat(".").st_ino
        assert assess_parquet_dask(str(cohort_file), ".", scheduler=in_process)["rows"] == n
        assert os.stat(".").st_ino == inode and len(pd.read_parquet(".")) == n
    assert sorted(os.listdir(tmp_path)) == ["empty", "here", "in.parquet", "notes", "out"]  # no temporary folder left beside


@pytest.mark.slow  # runs the Dask engine on a cluster: the full run
def test_folder_checked_again_before_the_swap(tmp_path, cohort_file, in_process, monkeypatch):
    out = _first_run(tmp_path, cohort_file, in_process)
    write = cohort._write_dask
    def meanwhile(*args, **kwargs):  # someone saves a file into the folder during the run
        (tmp_path / "out" / "notes.txt").write_text("precious")
        return write(*args, **kwargs)
    monkeypatch.setattr(cohort, "_write_dask", meanwhile)
    before = _tree(tmp_path)
    with pytest.raises(TableError, match="use --overwrite"): assess_parquet_dask(str(cohort_file), out, scheduler=in_process)
    after = _tree(tmp_path)
    assert after.pop("out/notes.txt") == b"precious" and after == before  # nothing else changed, nothing left beside the folder


# 2. Options, summary and column report; 7. input columns named like outputs

@pytest.mark.slow  # runs the Dask engine on a cluster: the full run
def test_mapped_columns_options_and_summary(tmp_path, in_process):
    df = _cohort(900)
    df["stage"], df["stage_input"] = "registry stage", "kept too"  # a registry's own stage, and a column named like its rename
    mapping = {"Ki67 index": "ki67_pct", "Size (cm)": "tumor_size_cm", "Grade text": "differentiation"}
    table = df.rename(columns={v: k for k, v in mapping.items()})
    table.to_parquet(tmp_path / "in.parquet", row_group_size=300)
    options = dict(policy="nccn-2025", grading="who-2010", staging="ajcc-9")
    got = assess_parquet_dask(str(tmp_path / "in.parquet"), str(tmp_path / "out"), scheduler=in_process, columns=mapping, **options)
    want = CohortAssessment(table, **options, columns=mapping)
    assert got["rows"] == 900 and got["output"] == str(tmp_path / "out")
    assert got["issue_rows"] == int((want.frame["input_issues"].astype(str) != "").sum()) > 0
    assert got["report"] == {**want.report, "columns_renamed": {"stage": "stage_input_2"}}
    out = pd.read_parquet(tmp_path / "out")
    assert out["stage_input_2"].tolist() == ["registry stage"] * 900 and out["stage_input"].tolist() == ["kept too"] * 900
    for col in want.frame.columns:  # every partition read with the mapping, as one pass over the table would
        assert out[col].astype(str).tolist() == want.frame[col].astype(str).tolist(), col
    assert out["who_grade"].astype(str).tolist() == assess_frame(table, columns=mapping, **options)["who_grade"].astype(str).tolist()


def test_join_outputs_keeps_input_columns_named_like_outputs():
    table = pd.DataFrame({"differentiation": "well", "ki67_pct": [2.0, 30.0], "who_grade": ["G2", "G3"], "who_grade_input": [1, 2],
                          "who_grade_input_2": [3, 4]}, index=[7, 7])  # a repeated index keeps its rows
    outputs = assess_frame(table[["differentiation", "ki67_pct"]])
    joined = join_outputs(table, outputs)
    assert joined.attrs["renamed_inputs"] == {"who_grade": "who_grade_input_3"}
    assert joined["who_grade_input_3"].tolist() == ["G2", "G3"] and joined["who_grade"].astype(str).tolist() == ["G1", "G3"]
    assert list(joined.columns) == ["differentiation", "ki67_pct", "who_grade_input_3", "who_grade_input", "who_grade_input_2", *outputs.columns]
    assert list(joined.index) == [7, 7] and joined.columns.is_unique
    assert join_outputs(table[["ki67_pct"]], outputs).attrs["renamed_inputs"] == {}
    with pytest.raises(ValueError, match="rows"): join_outputs(table, outputs.iloc[:1])


# 5. A failed run

@pytest.mark.slow  # runs the Dask engine on a cluster: the full run
def test_failed_run_removes_its_partial_output_and_says_why(tmp_path, cohort_file, in_process, monkeypatch):
    out = _first_run(tmp_path, cohort_file, in_process)
    before = _tree(tmp_path)
    partition = cohort._dask_partition
    def fails_on_the_last_rows(df, *args, **kwargs):
        if (df["patient_id"] == "SYN-0000450").any(): raise OSError()  # no message of its own
        return partition(df, *args, **kwargs)
    monkeypatch.setattr(cohort, "_dask_partition", fails_on_the_last_rows)
    with pytest.raises(RuntimeError) as e: assess_parquet_dask(str(cohort_file), out, scheduler=in_process)
    msg = str(e.value)
    assert "OSError" in msg and "failed" in msg and out in msg and "\n" not in msg
    assert _tree(tmp_path) == before  # the previous result untouched, no partial dataset beside it


# 3. The local cluster: loopback, TLS with a key of its own, no HTTP

def _listeners(pids:list) -> list:
    return [(c.laddr.ip, c.laddr.port) for pid in pids for c in psutil.Process(pid).net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]


def _tls_handshake(port:int) -> bool:
    "Whether the listener completes a TLS handshake (a plain TCP or HTTP server does not)."
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=3) as s, ctx.wrap_socket(s) as t: return t.version() is not None
    except (OSError, ssl.SSLError): return False


def _answers_without_a_certificate(port:int) -> bool:
    "Whether the listener sends anything to a TLS client that has no certificate of the cluster."
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=3) as s, ctx.wrap_socket(s) as t:
            t.sendall(b"GET / HTTP/1.0\r\n\r\n")
            return bool(t.recv(100))
    except (OSError, ssl.SSLError): return False


def _http_answers(port:int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(b"GET /info/main/workers.html HTTP/1.0\r\n\r\n")
            return s.recv(5) == b"HTTP/"
    except OSError: return False


def _strangers_let_in(cluster_address:str) -> list:
    "The clients without the cluster's certificate that connect: over plain TCP, and over TLS with a key of their own."
    from distributed.security import Security
    port = cluster_address.rsplit(":", 1)[1]
    let_in = []
    for address, security in [(f"tcp://127.0.0.1:{port}", None), (cluster_address, Security.temporary())]:
        try:
            with distributed.Client(address, security=security, timeout=2, set_as_default=False): let_in.append(address)
        except Exception: pass  # refused, whatever the reason
    return let_in


@pytest.mark.slow
def test_local_cluster_listens_on_loopback_with_tls_only(tmp_path, cohort_file, monkeypatch):
    "While a run's cluster is up: every listener of the process tree is on 127.0.0.1 and speaks TLS, none HTTP; no stranger gets in."
    seen, before = {}, set(_listeners([os.getpid()]))  # servers of other tests in this process are not the cluster's
    fractions = cohort.dask_fractions
    def inspect(ddf, columns=None):  # runs on the client while the cluster is up
        me = psutil.Process()
        listeners = [a for a in _listeners([me.pid] + [p.pid for p in me.children(recursive=True)]) if a not in before]
        address = distributed.get_client().scheduler.address
        seen.update(address=address, listeners=listeners, strangers=_strangers_let_in(address),
                    not_tls=[port for _, port in listeners if not _tls_handshake(port)],
                    answers=[port for _, port in listeners if _http_answers(port) or _answers_without_a_certificate(port)])
        return fractions(ddf, columns)
    monkeypatch.setattr(cohort, "dask_fractions", inspect)
    got = assess_parquet_dask(str(cohort_file), str(tmp_path / "out"), workers=2)
    assert seen["address"].startswith("tls://127.0.0.1:")
    assert len(seen["listeners"]) == 5 and {ip for ip, _ in seen["listeners"]} == {"127.0.0.1"}  # scheduler, two nannies, two workers
    assert seen["not_tls"] == [] and seen["answers"] == [] and seen["strangers"] == []
    assert got["rows"] == 600
    assert set(_listeners([os.getpid()])) <= before  # all closed with the run


# 6. Lost workers

@pytest.mark.slow
def test_run_that_loses_all_its_workers_fails_in_bounded_time(tmp_path, cohort_file, monkeypatch):
    out = str(tmp_path / "out")
    os.mkdir(out)
    monkeypatch.setattr(cohort, "_NO_WORKERS_TIMEOUT", "2s", raising=False)  # production: 60 s
    me, stop = psutil.Process(), threading.Event()
    ours = {p.pid for p in me.children(recursive=True)}  # only the processes this run starts are killed
    def workers() -> list:
        found = []
        for p in me.children(recursive=True):
            try:
                if p.pid not in ours and "spawn_main" in " ".join(p.cmdline()): found.append(p)
            except psutil.Error: pass
        return found
    def kill_workers():  # every worker process, and each one a nanny starts again, at once: the nannies give up
        while not stop.is_set():
            for p in workers():
                try: p.kill()
                except psutil.Error: pass
            time.sleep(0.02)
    fractions = cohort.dask_fractions
    def then_lose_workers(ddf, columns=None):  # from the first task on, every worker is killed as it comes
        threading.Thread(target=kill_workers, daemon=True).start()
        return fractions(ddf, columns)
    monkeypatch.setattr(cohort, "dask_fractions", then_lose_workers)
    got = {}
    def run():
        try: assess_parquet_dask(str(cohort_file), out, workers=2)
        except Exception as e: got["error"] = e
    start, runner = time.monotonic(), threading.Thread(target=run, daemon=True)
    runner.start(); runner.join(30)
    stop.set()
    assert not runner.is_alive(), "the run still waits, 30 s on"
    assert isinstance(got.get("error"), RuntimeError) and re.search("failed.*(NoWorkerError|KilledWorker)", str(got["error"])), got
    assert time.monotonic() - start < 30 and "\n" not in str(got["error"])
    assert os.listdir(out) == [] and sorted(os.listdir(tmp_path)) == ["in.parquet", "out"]


# Findings of an independent attack: each reproduced here

def test_a_pattern_is_not_expanded_so_it_cannot_point_into_the_output(tmp_path, no_cluster):
    out = tmp_path / "g" / "out"
    out.mkdir(parents=True)
    _cohort(50).to_parquet(out / "patients.parquet")
    (out / "notes.txt").write_text("note")
    before = _tree(out)
    with pytest.raises(TableError, match="no such file or folder"):
        assess_parquet_dask(str(tmp_path / "g" / "o*" / "patients.parquet"), str(out), overwrite=True)
    assert _tree(out) == before


def test_an_output_holding_the_current_folder_is_refused(tmp_path, cohort_file, no_cluster, monkeypatch):
    proj = tmp_path / "proj"
    (proj / "sub").mkdir(parents=True)
    (proj / "notes.txt").write_text("n"); (proj / "sub" / "mine.txt").write_text("p")
    before = _tree(proj)
    monkeypatch.chdir(proj / "sub")
    with pytest.raises(TableError, match="holds the current folder"):
        assess_parquet_dask(str(cohort_file), "..", overwrite=True)
    assert _tree(proj) == before


@pytest.mark.slow  # runs the Dask engine on a cluster: the full run
def test_a_literal_file_name_with_a_star_reads_that_file_alone(tmp_path, in_process):
    _cohort(40).to_parquet(tmp_path / "x*.parquet")
    _cohort(500).to_parquet(tmp_path / "xother.parquet")
    res = assess_parquet_dask(str(tmp_path / "x*.parquet"), str(tmp_path / "o"), scheduler=in_process)
    assert res["rows"] == 40


@pytest.mark.slow  # runs the Dask engine on a cluster: the full run
def test_row_labels_kept_named_index_and_stepped_range(tmp_path, in_process):
    named = _cohort(300)
    named.index = pd.Index(range(1000, 1300), name="row")
    named.to_parquet(tmp_path / "named.parquet", row_group_size=100)
    got = pd.read_parquet(assess_parquet_dask(str(tmp_path / "named.parquet"), str(tmp_path / "o1"), scheduler=in_process)["output"])
    assert got.index.name == "row" and got.index.tolist() == list(range(1000, 1300))
    stepped = _cohort(300)
    stepped.index = pd.RangeIndex(5000, 5600, 2)
    stepped.to_parquet(tmp_path / "stepped.parquet", row_group_size=100)
    got = pd.read_parquet(assess_parquet_dask(str(tmp_path / "stepped.parquet"), str(tmp_path / "o2"), scheduler=in_process)["output"])
    assert got.index.tolist() == list(range(5000, 5600, 2)) and "__null_dask_index__" not in got.columns


@pytest.mark.slow  # runs the Dask engine on a cluster: the full run
def test_rerun_keeps_mode_and_group_and_writes_privately(tmp_path, cohort_file, in_process):
    out = tmp_path / "res"
    assess_parquet_dask(str(cohort_file), str(out), scheduler=in_process)
    for f in out.iterdir():
        os.chmod(f, 0o600)
        if os.geteuid() == 0: os.chown(f, -1, 4321)
    assess_parquet_dask(str(cohort_file), str(out), scheduler=in_process)
    for f in out.iterdir():
        st = os.stat(f)
        assert oct(st.st_mode & 0o777) == oct(0o600), f.name
        if os.geteuid() == 0: assert st.st_gid == 4321


@pytest.mark.slow  # runs the Dask engine on a cluster: the full run
def test_leftovers_of_a_killed_run_are_removed_by_the_next(tmp_path, cohort_file, in_process):
    stale = tmp_path / f".res.{2**22 + 12345}-0123abcd.part"  # a process id that does not run
    stale.mkdir(); (stale / "part.0.parquet").write_bytes(b"patient rows")
    mine = tmp_path / ".res.notes.part"  # not a name this tool makes: kept
    mine.mkdir()
    assess_parquet_dask(str(cohort_file), str(tmp_path / "res"), scheduler=in_process)
    assert not stale.exists() and mine.exists()


@pytest.mark.slow
def test_sigterm_removes_the_partial_output(tmp_path, cohort_file):
    "A run stopped by SIGTERM leaves no hidden partial dataset (as Ctrl-C does not)."
    import signal, subprocess, sys
    code = ("import sys, time; from pannet_guideline import cohort\n"
            "slow = cohort._dask_joined\n"
            "cohort._dask_joined = lambda df, o: (time.sleep(0.5 if len(df) else 0), slow(df, o))[1]\n"
            "print('start', flush=True)\n"
            "cohort.assess_parquet_dask(sys.argv[1], sys.argv[2], workers=1)\n")
    big = tmp_path / "big.parquet"
    pd.concat([_cohort()] * 20, ignore_index=True).to_parquet(big, row_group_size=200)
    p = subprocess.Popen([sys.executable, "-c", code, str(big), str(tmp_path / "res")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout.readline().strip() == b"start"
    deadline = time.time() + 60
    while time.time() < deadline and not any(n.endswith(".part") for n in os.listdir(tmp_path)): time.sleep(0.1)
    time.sleep(2)
    p.send_signal(signal.SIGTERM); p.wait(60)
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".res.")]


def test_remote_chains_and_worker_counts_are_refused(tmp_path, no_cluster):
    for path in ("async_wrapper::ftp://127.0.0.1:2122/demo.parquet", "./simplecache::http://127.0.0.1/x.parquet"):
        with pytest.raises(TableError, match="only local files"): assess_parquet_dask(path, str(tmp_path / "o"))
    with pytest.raises(ValueError, match="1 to 64"): assess_parquet_dask(str(tmp_path / "x.parquet"), str(tmp_path / "o"), workers=100_000)


@pytest.mark.slow  # runs the Dask engine on a cluster: the full run
def test_cli_dask_engine_prints_the_column_report_and_honours_strict(tmp_path, in_process, capsys):
    "The command with --engine dask: the mapping is read, the column report printed, --strict gives exit 1, as on the pandas engine."
    from pannet_guideline.cli import main
    df = _cohort(300).rename(columns={"ki67_pct": "Ki67 LI"}).assign(registry_note="x")
    df.loc[:9, "Ki67 LI"] = "140"
    df.to_parquet(tmp_path / "in.parquet", row_group_size=100)
    (tmp_path / "map.json").write_text(json.dumps({"Ki67 LI": "ki67_pct"}))
    args = ["assess", str(tmp_path / "in.parquet"), "--engine", "dask", "--scheduler", in_process, "--columns", str(tmp_path / "map.json")]
    issues = int((assess_frame(df, columns={"Ki67 LI": "ki67_pct"})["input_issues"] != "").sum())
    assert issues >= 10  # the ten Ki-67 of 140 % at least
    assert main(args + ["-o", str(tmp_path / "out"), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "column 'registry_note' not read" in err and f"--strict: {issues} rows with input issues" in err
    assert main(args + ["-o", str(tmp_path / "out2")]) == 0
    out = capsys.readouterr().out
    assert "300 patients" in out and f"rows with input issues {issues}" in out
    got = pd.read_parquet(tmp_path / "out2")
    assert got["who_grade"].astype(str).tolist() == assess_frame(df, columns={"Ki67 LI": "ki67_pct"})["who_grade"].astype(str).tolist()


def test_second_attack_refusals(tmp_path, no_cluster, cohort_file):
    "A plain-TCP scheduler elsewhere, a pattern as the output name, a MultiIndex, a planted folder link: refused before any work."
    with pytest.raises(TableError, match="unencrypted"):
        assess_parquet_dask(str(cohort_file), str(tmp_path / "o"), scheduler="tcp://10.1.2.3:8786")
    with pytest.raises(TableError, match="pattern"): assess_parquet_dask(str(cohort_file), str(tmp_path / "zz*"))
    multi = _cohort(50).set_index(["ki67_pct", "differentiation"])
    multi.to_parquet(tmp_path / "multi.parquet")
    with pytest.raises(TableError, match="MultiIndex"): assess_parquet_dask(str(tmp_path / "multi.parquet"), str(tmp_path / "o2"))
    if os.geteuid() == 0:
        shared = tmp_path / "sticky"
        shared.mkdir(); os.chmod(shared, 0o1777)
        (tmp_path / "prev").mkdir()
        (shared / "results").symlink_to(tmp_path / "prev"); os.lchown(shared / "results", 4321, 4321)
        with pytest.raises(TableError, match="another user"): assess_parquet_dask(str(cohort_file), str(shared / "results"))


@pytest.mark.slow  # runs the Dask engine on a cluster: the full run
def test_leftovers_of_a_killed_run_to_another_output_are_removed(tmp_path, cohort_file, in_process):
    stale = tmp_path / f".a.{2**22 + 54321}-89abcdef.part"
    stale.mkdir(); (stale / "part.0.parquet").write_bytes(b"patient rows")
    assess_parquet_dask(str(cohort_file), str(tmp_path / "b"), scheduler=in_process)
    assert not stale.exists()
