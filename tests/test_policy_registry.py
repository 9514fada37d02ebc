"""A policy registered after import (a derived one, or a third source) appears wherever policies are listed: the policy
registry is the only list of them.

Not a medical device: these tests check software behaviour only.
"""
import pytest

from pannet_guideline import assess, assess_frame
from pannet_guideline.datasets import demo_cohort
from pannet_guideline.policies import POLICIES, PerPolicy

THIRD = "third-2025"


@pytest.fixture
def third_policy():
    "A third policy derived from nccn-2025 without the seed's work-up alerts: registered for the test, then removed."
    from pannet_guideline import workup
    parent = POLICIES["nccn-2025"]
    dropped = [t for t in workup.policy_tables("nccn-2025") if t.output == "alerts"][0]
    parent.derive(THIRD, "A third policy for tests", remove=(dropped,), description="nccn-2025 less one alert table")
    try: yield dropped
    finally: POLICIES.pop(THIRD)


def test_a_chapter_lists_its_tables_under_the_third_policy(third_policy):
    from pannet_guideline import advanced, caveats, followup, functional, hereditary, localized, workup
    for chapter in (advanced, caveats, followup, functional, hereditary, localized, workup):
        assert chapter.policy_tables(THIRD) == [t for t in chapter.policy_tables("nccn-2025") if t is not third_policy]
    assert third_policy not in workup.policy_tables(THIRD) and third_policy in workup.policy_tables("nccn-2025")


def test_follow_up_schedules_know_the_third_policy(third_policy):
    from pannet_guideline.followup import SCHEDULE_TABLES
    assert THIRD in list(SCHEDULE_TABLES)
    assert SCHEDULE_TABLES[THIRD] is SCHEDULE_TABLES["nccn-2025"]  # inherited


def test_one_patient_and_a_cohort_under_the_third_policy(third_policy):
    df = demo_cohort().head(40)
    third, nccn = assess_frame(df, policy=THIRD), assess_frame(df, policy="nccn-2025")
    assert third["primary_recommendation"].tolist() == nccn["primary_recommendation"].tolist()  # only an alert table differs
    assert assess(df.iloc[0].dropna().to_dict(), policy=THIRD).primary_recommendation == third["primary_recommendation"].iloc[0]


@pytest.mark.slow  # two reports of three policies; the quick run keeps the chapters, schedules, one patient and a cohort
def test_the_command_line_offers_and_reports_the_third_policy(third_policy, tmp_path, capsys):
    from pannet_guideline.cli import main
    src = tmp_path / "cohort.csv"
    demo_cohort().head(30).to_csv(src)
    assert main(["assess", str(src), "-o", str(tmp_path / "out.csv"), "--policy", THIRD, "-q"]) == 0
    assert main(["report", str(src), "-o", str(tmp_path / "report.html"), "-q"]) == 0  # default: every registered policy
    html = (tmp_path / "report.html").read_text()
    assert all(p in html for p in POLICIES) and THIRD in html


def test_a_value_per_policy_follows_the_registry(third_policy):
    per = PerPolicy(lambda p: len(POLICIES[p].tables()))
    assert list(per) == list(POLICIES) and len(per) == len(POLICIES)
    assert per[THIRD] == per["nccn-2025"] - 1
    with pytest.raises(KeyError): per["no-such-policy"]


@pytest.mark.slow
def test_the_report_and_the_counts_cover_every_registered_policy_by_default(third_policy, tmp_path):
    from pannet_guideline.pathway import recommendation_counts
    from pannet_guideline.report import write_cohort_report
    df = demo_cohort().head(20)
    assert list(recommendation_counts(df).columns) == list(POLICIES) and THIRD in POLICIES
    write_cohort_report(df, tmp_path / "r.html")
    assert THIRD in (tmp_path / "r.html").read_text()


def test_a_chapter_defined_anew_still_finds_its_tables_by_name():
    "A notebook run again in one process makes equal tables anew (new objects, same names): the policy's tables are still the chapter's."
    import copy
    from pannet_guideline import localized
    anew = tuple(copy.copy(t) for t in localized.TABLES)
    for name in ("seed-2025", "nccn-2025"):
        assert [t.name for t in POLICIES[name].tables(within=anew)] == [t.name for t in POLICIES[name].tables(within=localized.TABLES)] != []
