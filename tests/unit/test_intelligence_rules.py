"""National Intelligence Model 3x5x2 grading: what a summary needs before it can be approved."""
from __future__ import annotations

import pytest

from rhi_service import rules


def test_a_full_grading_with_p_has_no_errors():
    assert rules.grading_errors("2", "B", "P", None) == {}


def test_handling_code_c_needs_its_conditions():
    assert rules.grading_errors("1", "A", "C", "  ") == {
        "handling_conditions": "Enter the conditions on sharing, as the handling code is C"}
    assert rules.grading_errors("1", "A", "C", "Not to be shared outside the force") == {}


@pytest.mark.parametrize("source", [None, "", "0", "4", "A", "1 "])
def test_source_evaluation_is_1_2_or_3(source):
    assert "source_evaluation" in rules.grading_errors(source, "A", "P", None)


@pytest.mark.parametrize("intelligence", [None, "", "F", "a", "1"])
def test_intelligence_evaluation_is_a_to_e(intelligence):
    assert "intelligence_evaluation" in rules.grading_errors("1", intelligence, "P", None)


@pytest.mark.parametrize("handling", [None, "", "X", "p", "5"])
def test_handling_code_is_p_or_c(handling):
    errors = rules.grading_errors("1", "A", handling, "conditions")
    assert "handling_code" in errors and "handling_conditions" not in errors


def test_every_field_is_named_at_once():
    assert set(rules.grading_errors(None, None, None, None)) == {"source_evaluation", "intelligence_evaluation", "handling_code"}


def test_the_suggestion_is_valid_and_corroborated_only_by_more_than_one_child():
    one, several = rules.suggested_grading(1), rules.suggested_grading(3)
    assert one["intelligence_evaluation"] == "A" and several["intelligence_evaluation"] == "B"
    for suggestion in (one, several):
        assert rules.grading_errors(suggestion["source_evaluation"], suggestion["intelligence_evaluation"],
                                    suggestion["handling_code"], None) == {}
