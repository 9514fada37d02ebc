"Every file the tool touches: streams are streamed, nothing half-written or hidden is left behind, formulas never reach a sheet, workbooks and long rows are read whole or refused with the reason."
import errno
import os
import signal
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pannet_guideline import files
from pannet_guideline.cli import main
from pannet_guideline.datasets import demo_cohort
from pannet_guideline.files import TableError, neutralise_formulas, read_table, write_table

from conftest import cli_in_process, holds_unnamed_file

CLI = [sys.executable, "-c", "import sys; from pannet_guideline.cli import main; sys.exit(main())"]


def _cohort(n=30) -> pd.DataFrame:
    return demo_cohort().head(n).astype(str)


def _run(args, **kw):
    return subprocess.run(CLI + args, capture_output=True, timeout=120, **kw)


# --- streams: a device, a FIFO, /dev/stdout, a link ---------------------------------------------

def test_fifo_output_is_streamed_not_replaced(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()), daemon=True)
    reader.start()
    try:
        write_table(_cohort(), str(fifo), fmt="csv")
        reader.join(10)
    finally:
        if reader.is_alive():  # release a reader still waiting for a writer
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a file"
    assert got and len(got[0].decode().splitlines()) == 31


def test_a_link_to_standard_output_prints_the_table_and_keeps_the_summary_off_it(tmp_path):
    "As `-o /dev/stdout`, through a link of the test's own (a failure must not replace the machine's /dev/stdout)."
    _cohort().to_csv(tmp_path / "in.csv", index=False)
    (tmp_path / "stdout").symlink_to("/proc/self/fd/1")
    r = _run(["assess", str(tmp_path / "in.csv"), "-o", str(tmp_path / "stdout"), "--output-format", "csv"])
    assert r.returncode == 0, r.stderr
    table = pd.read_csv(pd.io.common.StringIO(r.stdout.decode()))
    assert len(table) == 30 and "who_grade" in table.columns  # only the table on standard output
    assert b"written to" in r.stderr and (tmp_path / "stdout").is_symlink()


def test_standard_output_redirected_to_a_file_is_written_through(tmp_path):
    "`-o /dev/stdout > file`: the table reaches the file the shell opened; the file is not swapped for another."
    _cohort().to_csv(tmp_path / "in.csv", index=False)
    (tmp_path / "stdout").symlink_to("/proc/self/fd/1")
    with open(tmp_path / "captured.csv", "wb") as f:
        inode = os.fstat(f.fileno()).st_ino
        r = subprocess.run(CLI + ["assess", str(tmp_path / "in.csv"), "-o", str(tmp_path / "stdout"), "--output-format", "csv"],
                           stdout=f, stderr=subprocess.PIPE, timeout=120)
    assert r.returncode == 0, r.stderr
    assert os.stat(tmp_path / "captured.csv").st_ino == inode and len(pd.read_csv(tmp_path / "captured.csv")) == 30


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device needs root")
def test_a_device_stays_a_device(tmp_path):
    "As `-o /dev/null`, on a null device of the test's own."
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    write_table(_cohort(), str(null), fmt="csv")
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_a_link_to_a_file_stays_a_link(tmp_path):
    real = tmp_path / "results" / "out.csv"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    write_table(_cohort(), str(link))
    assert link.is_symlink() and len(pd.read_csv(real)) == 30


# --- formulas: headers and row labels too; schema values kept --------------------------------

def test_excel_output_has_no_live_formula_from_headers_or_ids(tmp_path):
    df = _cohort(5)
    df.columns = ['=HYPERLINK("http://x","click")' if c == "patient_id" else c for c in df.columns]
    df.index = pd.Index([f'=HYPERLINK("http://x/{i}")' for i in range(5)], name="@id")
    write_table(df, str(tmp_path / "out.xlsx"))
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    formulas = [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    assert ws["A1"].value == "'@id" and ws["A2"].value.startswith("'=HYPERLINK")


def test_sstr_signs_survive_a_round_trip(tmp_path):
    df = _cohort(40)
    df["sstr_status"] = ["+", "-"] * 20
    df.to_csv(tmp_path / "in.csv", index=False)
    assert main(["-q", "assess", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv")]) == 0
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert out["sstr_status"].tolist() == df["sstr_status"].tolist()
    assert main(["-q", "assess", str(tmp_path / "out.csv"), "-o", str(tmp_path / "again.csv")]) == 0
    again = pd.read_csv(tmp_path / "again.csv", dtype=str, keep_default_na=False)
    assert again["workup"].tolist() == out["workup"].tolist()


def test_neutralising_leaves_input_alone_and_catches_every_start():
    df = pd.DataFrame({"note": ["=1+1", "+cmd", "-cmd", "@x", "\tx", "-2.5", "+", "ok"]})
    got = neutralise_formulas(df)["note"].tolist()
    assert got == ["'=1+1", "'+cmd", "'-cmd", "'@x", "'\tx", "-2.5", "+", "ok"]
    assert df["note"].iloc[0] == "=1+1"


# --- long rows and headers ---------------------------------------------------------------------

def test_a_40kb_cell_and_a_header_over_64kib_are_read(tmp_path):
    df = _cohort(50)
    df["note"] = ["x" * 40_000 if i == 7 else "short" for i in range(50)]
    extra = pd.DataFrame("", index=df.index, columns=[f"extra_{i:04d}_" + "n" * 100 for i in range(700)])
    df = pd.concat([df, extra], axis=1)  # a header of about 75 KB
    df.to_csv(tmp_path / "wide.csv", index=False)
    got = read_table(str(tmp_path / "wide.csv"))
    assert got.shape == df.shape and got["note"].iloc[7] == "x" * 40_000
    assert list(got.columns) == list(df.columns)


def test_rows_of_2kb_read_whole_for_report_and_compare(tmp_path):
    df = _cohort(200)
    df["note"] = "y" * 2_500
    df.to_csv(tmp_path / "notes.csv", index=False)
    assert read_table(str(tmp_path / "notes.csv")).shape == df.shape  # one block of 1,000,000 rows would ask Arrow for 2 GB
    assert main(["-q", "compare", str(tmp_path / "notes.csv"), "-o", str(tmp_path / "cmp.csv")]) == 0


def test_carriage_return_line_endings(tmp_path):
    (tmp_path / "cr.csv").write_bytes(b"patient_id,ki67_pct\rA,3\rB,25\r")
    got = read_table(str(tmp_path / "cr.csv"))
    assert got["ki67_pct"].tolist() == ["3", "25"]


# --- temporary files: never a fixed name, never left, mode and group kept ----------------------

def test_report_does_not_follow_a_planted_link(tmp_path):
    from pannet_guideline.report import write_cohort_report
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / ".r.html.part").symlink_to(outside)
    write_cohort_report(_cohort(10), folder / "r.html", chapters=["hereditary"])
    assert outside.read_text() == "keep me"
    assert "<h1>Cohort report</h1>" in (folder / "r.html").read_text()


def test_rewrite_keeps_mode_and_group(tmp_path):
    target = tmp_path / "out.csv"
    write_table(_cohort(), str(target))
    os.chmod(target, 0o600)
    if os.geteuid() == 0: os.chown(target, -1, 4321)
    write_table(_cohort(), str(target))
    st = os.stat(target)
    assert stat.S_IMODE(st.st_mode) == 0o600
    if os.geteuid() == 0: assert st.st_gid == 4321


@pytest.mark.parametrize("fmt", ["parquet", "excel", "csv"])
def test_full_disk_leaves_nothing_and_keeps_the_earlier_result(tmp_path, monkeypatch, fmt):
    target = tmp_path / f"out.{ {'excel': 'xlsx'}.get(fmt, fmt) }"
    write_table(_cohort(), str(target))
    before = target.read_bytes()

    def full(*a, **k): raise OSError(errno.ENOSPC, "No space left on device")
    if fmt == "parquet": monkeypatch.setattr("pyarrow.parquet.ParquetWriter.close", full)
    elif fmt == "excel": monkeypatch.setattr(pd.DataFrame, "to_excel", full)
    else: monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        write_table(_cohort(5), str(target))
    assert sorted(os.listdir(tmp_path)) == [target.name]  # no partial temporary file
    assert target.read_bytes() == before


def test_write_text_leaves_nothing_on_failure(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "full")))
    with pytest.raises(OSError): files.write_text("<html></html>", tmp_path / "r.html")
    assert os.listdir(tmp_path) == []


_SLOW_WRITER = """
import sys, time, pandas as pd
from pannet_guideline.files import TableWriter
w = TableWriter(sys.argv[1])
w.write(pd.DataFrame({"patient_id": ["P%d" % i for i in range(1000)], "note": ["secret"] * 1000}))
print("written", flush=True)
time.sleep(60)
"""


def test_kill_9_leaves_no_copy_of_patient_rows(tmp_path):
    p = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(tmp_path / "out.csv")], stdout=subprocess.PIPE)
    assert p.stdout.readline().strip() == b"written"
    p.send_signal(signal.SIGKILL); p.wait(10)
    assert os.listdir(tmp_path) == []


def test_kill_9_leaves_no_copy_of_standard_input(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    (tmp_path / "out").mkdir()
    p = subprocess.Popen(CLI + ["-q", "assess", "-", "-o", str(tmp_path / "out" / "o.csv")], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    rows = pd.concat([_cohort(500)] * 4).to_csv(index=False).encode()  # over 64 KiB: some already copied when it is killed
    p.stdin.write(rows); p.stdin.flush()  # still open: the run waits for the rest
    deadline, copying = time.time() + 120, False
    while time.time() < deadline and p.poll() is None and not (copying := holds_unnamed_file(p.pid, tmp_path)): time.sleep(0.05)
    assert copying, "the run was not seen copying its standard input"
    p.send_signal(signal.SIGKILL); p.wait(10)
    assert os.listdir(tmp_path) == ["out"] and os.listdir(tmp_path / "out") == []


def test_standard_input_is_assessed(tmp_path):
    r = cli_in_process("-q", "assess", "-", "-o", "-", stdin=_cohort(25).to_csv(index=False))  # pipes: tests/test_cli.py
    assert r.returncode == 0, r.stderr
    assert len(pd.read_csv(pd.io.common.StringIO(r.stdout))) == 25


# --- Excel: every sheet accounted for, formulas with values, size bounded ------------------------

def _workbook(path, sheets:dict):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows: ws.append(r)
    wb.save(path)


def test_several_sheets_are_named_not_dropped(tmp_path):
    rows = [["patient_id", "ki67_pct"]] + [[f"P{i}", 3] for i in range(10)]
    _workbook(tmp_path / "b.xlsx", {"2022": rows, "2023": rows, "2024": rows, "empty": []})
    assert main(["assess", str(tmp_path / "b.xlsx"), "-o", str(tmp_path / "o.csv")]) == 2
    with pytest.raises(TableError, match="3 sheets hold data \\('2022', '2023', '2024'\\)"):
        read_table(str(tmp_path / "b.xlsx"))
    assert main(["-q", "assess", str(tmp_path / "b.xlsx"), "--sheet", "2023", "-o", str(tmp_path / "o.csv")]) == 0
    assert len(pd.read_csv(tmp_path / "o.csv")) == 10
    with pytest.raises(TableError, match="no sheet 'x'"): read_table(str(tmp_path / "b.xlsx"), sheet="x")


def test_formula_without_a_saved_value_is_refused(tmp_path):
    _workbook(tmp_path / "f.xlsx", {"s": [["patient_id", "ki67_pct"], ["P1", "=2+3"], ["P2", 4]]})
    with pytest.raises(TableError, match="1 formula cells have no saved value \\(first B2\\)"):
        read_table(str(tmp_path / "f.xlsx"))


def test_workbook_limits(tmp_path, monkeypatch):
    _workbook(tmp_path / "big.xlsx", {"s": [["patient_id", "ki67_pct"]] + [[f"P{i}", i % 50] for i in range(2000)]})
    monkeypatch.setitem(files.EXCEL_LIMITS, "cells", 1000)
    with pytest.raises(TableError, match="more than 1,000 cells"): read_table(str(tmp_path / "big.xlsx"))
    monkeypatch.setitem(files.EXCEL_LIMITS, "xml_bytes", 10_000)
    with pytest.raises(TableError, match="expands to"): read_table(str(tmp_path / "big.xlsx"))


@pytest.mark.slow
def test_ten_million_cell_bomb_is_refused_quickly(tmp_path):
    "A small file whose sheet claims ten million cells: refused on its uncompressed size or its cell count, in seconds."
    body = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
            "<row><c><v>1</v></c><c><v>1</v></c></row>" * 5_000_000 + "</sheetData></worksheet>")
    _workbook(tmp_path / "seed.xlsx", {"s": [["a"]]})
    with zipfile.ZipFile(tmp_path / "seed.xlsx") as z, zipfile.ZipFile(tmp_path / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
        for item in z.infolist():
            out.writestr(item, body if item.filename.startswith("xl/worksheets/") else z.read(item.filename))
    assert (tmp_path / "bomb.xlsx").stat().st_size < 2_000_000
    t0 = time.perf_counter()
    with pytest.raises(TableError, match="cells|expands to"): read_table(str(tmp_path / "bomb.xlsx"))
    assert time.perf_counter() - t0 < 15


# --- nothing silently changed or lost ------------------------------------------------------------

def test_input_column_named_like_an_output_is_kept(tmp_path):
    df = _cohort(20)
    df["stage"] = "registry stage IIB"
    df.to_csv(tmp_path / "in.csv", index=False)
    r = cli_in_process("assess", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"))
    assert r.returncode == 0, r.stderr
    out = pd.read_csv(tmp_path / "out.csv", dtype=str)
    assert (out["stage_input"] == "registry stage IIB").all()
    assert "'stage' kept as 'stage_input'" in r.stderr


def test_parquet_row_labels_come_back(tmp_path):
    df = _cohort(400)
    df.index = pd.RangeIndex(5000, 5800, 2)
    df.to_parquet(tmp_path / "in.parquet")
    assert main(["-q", "assess", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "out.parquet"), "--chunk-rows", "150"]) == 0
    assert pd.read_parquet(tmp_path / "out.parquet").index.tolist() == list(range(5000, 5800, 2))
    assert [b.index[0] for b in files.iter_table(str(tmp_path / "in.parquet"), chunk_rows=150)] == [5000, 5300, 5600]


def test_policy_name_is_escaped_in_the_report(tmp_path):
    from pannet_guideline.policies import POLICIES
    from pannet_guideline.report import write_cohort_report
    name = "<script>alert(1)</script>"
    POLICIES["seed-2025"].derive(name, "hostile name")
    try:
        write_cohort_report(_cohort(10), tmp_path / "r.html", policies=("seed-2025", name), chapters=["hereditary"])
    finally:
        POLICIES.pop(name)
    html = (tmp_path / "r.html").read_text()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_non_ascii_file_name_on_an_ascii_terminal(tmp_path):
    src = tmp_path / "cohorte_été.csv"
    _cohort().to_csv(src, index=False)
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"}
    r = _run(["assess", str(src), "-o", str(tmp_path / "résultat.csv")], env=env)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "résultat.csv").exists()


# --- findings of an independent attack --------------------------------------------------------

def _rewrite(src, dst, parts:dict):
    "A copy of a workbook with some of its XML parts replaced."
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for item in z.infolist(): out.writestr(item, parts.get(item.filename, z.read(item.filename)))
        for name in set(parts) - set(z.namelist()): out.writestr(name, parts[name])


_SHEET = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}</sheetData></worksheet>'


def test_one_far_cell_is_refused_before_a_reader_fills_billions(tmp_path):
    _workbook(tmp_path / "seed.xlsx", {"s": [["a"]]})
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>patient_id</t></is></c></row><row r="200000"><c r="XFD200000"><v>1</v></c></row>'
    _rewrite(tmp_path / "seed.xlsx", tmp_path / "far.xlsx", {"xl/worksheets/sheet1.xml": _SHEET.format(rows)})
    t0 = time.perf_counter()
    with pytest.raises(TableError, match="reaches row 200,000 and column 16,384"): read_table(str(tmp_path / "far.xlsx"))
    assert time.perf_counter() - t0 < 5


def test_a_huge_shared_string_is_refused(tmp_path, monkeypatch):
    _workbook(tmp_path / "seed.xlsx", {"s": [["patient_id"], ["A"]]})
    with zipfile.ZipFile(tmp_path / "seed.xlsx") as z: names = z.namelist()
    strings = next(n for n in names if "sharedStrings" in n) if any("sharedStrings" in n for n in names) else None
    monkeypatch.setitem(files.EXCEL_LIMITS, "xml_bytes", 1 << 20)
    big = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>' + "A" * (2 << 20) + "</t></si></sst>"
    _rewrite(tmp_path / "seed.xlsx", tmp_path / "strings.xlsx", {strings or "xl/sharedStrings.xml": big})
    with pytest.raises(TableError, match="expands to"): read_table(str(tmp_path / "strings.xlsx"))


def test_a_title_sheet_beside_the_data_asks_which_sheet(tmp_path):
    _workbook(tmp_path / "cover.xlsx", {"Cover": [["Registry export 2024"]],
                                         "Patients": [[None], [None], ["patient_id", "ki67_pct"], ["P1", 3]]})
    with pytest.raises(TableError, match="2 sheets hold data \\('Cover', 'Patients'\\)"): read_table(str(tmp_path / "cover.xlsx"))


def test_an_excel_cell_too_long_is_refused_not_cut(tmp_path):
    df = _cohort(5).assign(notes="x" * 50_000)
    with pytest.raises(TableError, match="column 'notes', row 1: 50,000 characters"):
        write_table(df, str(tmp_path / "long.xlsx"))
    assert os.listdir(tmp_path) == []


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    (tmp_path / "latin.csv").write_bytes("patient_id,note\nA,caf\xe9\n".encode("latin-1"))
    with pytest.raises(TableError, match="latin.csv"): read_table(str(tmp_path / "latin.csv"))


def test_quiet_before_the_command_and_options_of_the_other_engine(tmp_path, capsys):
    _cohort(10).to_csv(tmp_path / "in.csv", index=False)
    assert main(["-q", "assess", str(tmp_path / "in.csv"), "-o", str(tmp_path / "o.csv")]) == 0
    assert "patients" not in capsys.readouterr().out  # no summary
    for extra in (["--workers", "4"], ["--overwrite"], ["--scheduler", "tls://127.0.0.1:1"]):
        assert main(["assess", str(tmp_path / "in.csv"), "-o", str(tmp_path / "o2.csv"), *extra]) == 2
        assert "only with --engine dask" in capsys.readouterr().err
    assert main(["assess", str(tmp_path / "in.csv"), "-o", str(tmp_path / "dd.csv"), "--engine", "dask"]) == 2
    assert "name a folder, not a file" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() != 0, reason="making a link owned by another user needs root")
def test_a_link_planted_by_another_user_in_a_shared_folder_is_not_followed(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(); os.chmod(shared, 0o1777)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = shared / "out.csv"
    link.symlink_to(victim)
    os.lchown(link, 4321, 4321)  # planted by someone else
    with pytest.raises(TableError, match="another user"): write_table(_cohort(), str(link))
    assert victim.read_text() == "keep me"


# --- findings of a second independent attack ----------------------------------------------------

def test_inspect_never_writes_its_mapping_over_the_table(tmp_path):
    _cohort().to_csv(tmp_path / "in.csv", index=False)
    before = (tmp_path / "in.csv").read_bytes()
    (tmp_path / "l.csv").symlink_to(tmp_path / "in.csv")
    for out in ("in.csv", "l.csv"):
        assert main(["-q", "inspect", str(tmp_path / "in.csv"), "-o", str(tmp_path / out)]) == 2
    assert (tmp_path / "in.csv").read_bytes() == before


def test_a_cohort_large_enough_to_be_grouped_is_assessed(tmp_path):
    "Large cohorts take the grouped path (from `fast.settings.grouped_from` rows, lowered here): it must run on the command line too."
    from pannet_guideline import fast
    pd.concat([_cohort(500)] * 10, ignore_index=True).to_csv(tmp_path / "n5k.csv", index=False)
    fast.taken.clear()
    with fast.speed(grouped_from=2_000):
        assert main(["-q", "assess", str(tmp_path / "n5k.csv"), "-o", str(tmp_path / "o.csv")]) == 0
    assert fast.taken["row_groups"] and len(pd.read_csv(tmp_path / "o.csv", usecols=["who_grade"])) == 5_000


@pytest.mark.skipif(os.geteuid() != 0, reason="files owned by another user need root")
def test_foreign_links_on_the_way_and_foreign_files_in_shared_folders_are_refused(tmp_path):
    shared = tmp_path / "sticky"
    shared.mkdir(); os.chmod(shared, 0o1777)
    secret = tmp_path / "secretdir"
    secret.mkdir(); (secret / "out.csv").write_text("important")
    (shared / "dirlink").symlink_to(secret); os.lchown(shared / "dirlink", 4321, 4321)
    with pytest.raises(TableError, match="another user"): write_table(_cohort(), str(shared / "dirlink" / "out.csv"))
    assert (secret / "out.csv").read_text() == "important"
    planted = shared / "f.csv"
    planted.write_text("x"); os.chmod(planted, 0o666); os.chown(planted, 4321, 4321)
    with pytest.raises(TableError, match="a file another user made"): write_table(_cohort(), str(planted))
    assert planted.read_text() == "x"


def test_many_tiny_shared_strings_are_refused_quickly(tmp_path, monkeypatch):
    _workbook(tmp_path / "seed.xlsx", {"s": [["patient_id"], ["A"]]})
    monkeypatch.setitem(files.EXCEL_LIMITS, "cells", 10_000)
    sst = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + "".join(f"<si><t>s{i}</t></si>" for i in range(20_000)) + "</sst>"
    _rewrite(tmp_path / "seed.xlsx", tmp_path / "sst.xlsx", {"xl/sharedStrings.xml": sst})
    with pytest.raises(TableError, match="more than 10,000 shared strings"): read_table(str(tmp_path / "sst.xlsx"))


def test_an_excel_header_too_long_is_refused(tmp_path):
    df = _cohort(3)
    df["n" + "x" * 40_000] = "y"
    with pytest.raises(TableError, match="a column name of 40,001 characters"): write_table(df, str(tmp_path / "lh.xlsx"))


def test_no_folder_named_like_a_url(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["audit", "-o", "http://example.org/audit"]) == 2
    assert main(["assess", "x.parquet", "-o", "d", "--engine", "dask", "--keep-formulas"]) == 2
    assert os.listdir(tmp_path) == []
