"""A sign or a mark at either end of a category is part of the value, not spacing: `-1` (a common placeholder for
missing in exports) is not the code 1, so never N1, M1, T1 or G1; a hyphen between two words still reads as a space
(`Non-functional`)."""
import pytest

from pannet_guideline import assess
from pannet_guideline.schema import FIELDS, InvalidPatient, canonical_value

CATEGORY_FIELDS = [name for name, spec in FIELDS.items() if spec.kind in ("text", "flag") and not spec.derived and spec.synonyms]


@pytest.mark.parametrize("field", CATEGORY_FIELDS)
def test_a_marked_synonym_is_not_read(field):
    spec = FIELDS[field]
    marked = {raw for key in spec.synonyms if key[:1].isalnum() and key[-1:].isalnum() for mark in ("-", "_") for raw in (mark + key, key + mark)}
    read = {raw: canonical_value(field, raw) for raw in marked - set(spec.synonyms) - set(spec.unknown_tokens)}
    assert read and not {raw: got for raw, got in read.items() if got[0] is not None or not got[1] or repr(raw) not in got[1]}


@pytest.mark.parametrize("field,value", [("n_category", -1), ("nodal_status", -1), ("m_category", -1), ("t_category", -4), ("recorded_grade", -1),
                                         ("n_category", "-0"), ("n_category", "- positive"), ("m_category", "1-")])
def test_a_minus_one_placeholder_gives_no_category(field, value):
    assert canonical_value(field, value)[0] is None
    with pytest.raises(InvalidPatient, match=field):
        assess(dict(differentiation="well", ki67_pct=5, tumor_size_cm=3.0, local_invasion="none", metastatic_sites="none", **{field: value}))


@pytest.mark.parametrize("raw", ["Non-functional", "non  functional", "non_functional", "NON - FUNCTIONAL"])
def test_a_mark_between_words_is_a_space(raw):
    assert canonical_value("functional_syndrome", raw) == ("none", None)
