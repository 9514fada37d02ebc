"""Every vignette in pannet_guideline/data/vignettes: each patient through `assess` and through one `assess_frame` per policy.

The expectations come from the source each vignette cites; a failure names the vignette, the policy, the column and the reader."""
import pytest
import yaml

from pannet_guideline.vignettes import VignetteError, check_vignette, check_vignettes, load_vignettes

from conftest import computed_once

pytestmark = pytest.mark.xdist_group("vignettes")  # with --dist loadgroup, one worker checks every vignette once and runs these tests

VIGNETTES = load_vignettes()


@pytest.fixture(scope="module")
def failures(tmp_path_factory):
    return computed_once(tmp_path_factory, "vignette_failures", lambda: check_vignettes(VIGNETTES))


@pytest.mark.parametrize("vignette", VIGNETTES, ids=lambda v: v["id"])
def test_vignette(vignette, failures):
    mine = failures[failures["id"] == vignette["id"]]
    assert mine.empty, f"{vignette['file']}: {vignette['source']}\n" + mine.to_string(index=False)


def test_every_vignette_cites_a_source_and_the_files_are_one_per_chapter():
    for v in VIGNETTES:
        assert v["source"].strip() and v["why"].strip(), v["id"]
    fidelity = {v["file"] for v in VIGNETTES if v["file"].endswith(".fidelity.yaml")}
    for v in VIGNETTES:
        if v["file"] not in fidelity:
            assert v["file"] in (f"{v['chapter']}.yaml", f"{v['chapter']}.pinned.yaml", f"{v['chapter']}.review.yaml"), v["id"]


def test_a_wrong_expectation_fails_under_both_readers():
    v = next(x for x in VIGNETTES if x["id"] == "LOC-NF-2.01CM")
    wrong = dict(v, expect={"primary_recommendation": "ACTIVE_SURVEILLANCE", "recommendations_exclude": ["PANCREATECTOMY"]},
                 expect_by_policy={})
    got = check_vignettes([wrong])
    assert set(got["reader"]) == {"assess", "assess_frame"} and set(got["column"]) == {"primary_recommendation", "recommendations_exclude"}


@pytest.mark.parametrize("change,message", [
    ({"id": "LOC-NF-1.0CM"}, "id already used"),
    ({"source": ""}, "missing ['source']"),
    ({"patient": {"tumour_size": 1}}, "unknown patient field"),
    ({"policies": ["esmo-2020"]}, "unknown policy"),
    ({"expect": {"recommendation": "SSA"}}, "not an output column"),
    ({"expect": {"alerts_include": ["NO_SUCH_ALERT"]}}, "can never appear in alerts"),
    ({"cohort": "together"}, "cohort takes only 'alone'"),
])
def test_a_bad_file_is_refused_naming_file_and_id(tmp_path, change, message):
    good = {"id": "X-1", "chapter": "21_localized", "source": "clinical_facts 4.1", "why": "w", "patient": {"tumor_size_cm": 1.0},
            "expect": {"recommendations_include": ["ACTIVE_SURVEILLANCE"]}}
    (tmp_path / "a.yaml").write_text(yaml.safe_dump([dict(good, id="LOC-NF-1.0CM")]))
    (tmp_path / "b.yaml").write_text(yaml.safe_dump([{**good, **change}]))
    with pytest.raises(VignetteError, match="b.yaml: vignette") as e:
        load_vignettes(folder=tmp_path)
    assert message in str(e.value)


def test_not_yaml_is_a_clear_error(tmp_path):
    (tmp_path / "c.yaml").write_text("- id: [unclosed\n")
    with pytest.raises(VignetteError, match="c.yaml: not valid YAML"):
        load_vignettes(folder=tmp_path)


def test_a_vignette_marked_alone_is_read_in_a_frame_of_its_own():
    # a lone Ki-67 within 0 to 1 is flagged as a possible fraction; read beside the other vignettes, whose Ki-67 go above 1, it is not
    v = next(x for x in VIGNETTES if x["id"] == "PIN-GR-WHO2019-KI67-0.5-ALONE")
    assert v["cohort"] == "alone"
    assert check_vignettes([v] + VIGNETTES[:5], readers=("assess_frame",)).empty
    shared = dict(v, cohort=None)
    got = check_vignettes([shared] + VIGNETTES[:5], readers=("assess_frame",))
    assert set(got["id"]) == {v["id"]} and "alerts_include" in set(got["column"])
