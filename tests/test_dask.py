"Dask: the same outputs as `assess_frame`, row by row, on a two-worker local cluster."
import pandas as pd
import pytest

from pannet_guideline.cohort import assess_dask, assess_frame, assess_parquet_dask
from pannet_guideline.datasets import synthetic_cohort


@pytest.fixture
def dd():
    return pytest.importorskip("dask.dataframe")  # here, not at the top: collecting the quick run would import dask on every worker


@pytest.fixture
def distributed():
    return pytest.importorskip("dask.distributed")


def _cohort(n=3000):
    df = synthetic_cohort(n, seed=11)
    df["ki67_pct"] = df["ki67_pct"].astype(str)
    return df


@pytest.mark.slow
def test_two_worker_cluster_equals_assess_frame(tmp_path, dd, distributed):
    df = _cohort()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        ddf = dd.from_pandas(df, npartitions=4)
        lazy = assess_dask(ddf)
        got = lazy.compute()
        assert list(lazy.columns) == list(assess_frame(df.head()).columns)
    want = assess_frame(df)
    assert len(got) == len(df) and got.index.equals(df.index)
    for col in want.columns:
        assert got[col].astype(str).tolist() == want[col].astype(str).tolist(), col


@pytest.mark.slow
def test_parquet_dataset_in_and_out(tmp_path):
    df = _cohort(2000)
    df.to_parquet(tmp_path / "in.parquet")
    got = assess_parquet_dask(str(tmp_path / "in.parquet"), str(tmp_path / "out"), workers=2)
    out = pd.read_parquet(tmp_path / "out")
    assert got["rows"] == 2000 and len(out) == 2000 and got["output"] == str(tmp_path / "out")
    assert got["issue_rows"] == int((out["input_issues"] != "").sum())
    assert out["who_grade"].astype(str).tolist() == assess_frame(df)["who_grade"].astype(str).tolist()


def test_ki67_fractions_judged_over_all_partitions(dd):
    "The first partitions hold Ki-67 only within 0 to 1, a later one 12 %: no partition reads them as fractions, as one pass would not."
    df = _cohort(400)
    df["ki67_pct"] = "0.3"
    df.loc[350, "ki67_pct"] = "12"
    got = assess_dask(dd.from_pandas(df, npartitions=4)).compute(scheduler="synchronous")
    want = assess_frame(df)
    assert not want["input_issues"].str.contains("as if fractions").any()
    assert got["input_issues"].astype(str).tolist() == want["input_issues"].astype(str).tolist()
    assert got["who_grade"].astype(str).tolist() == want["who_grade"].astype(str).tolist()
