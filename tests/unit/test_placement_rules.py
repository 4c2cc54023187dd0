"""When a placing authority's RHI is due, and when a request is overdue."""
from datetime import datetime, timedelta, timezone

from rhi_service import rules

FOUND = datetime(2026, 3, 27, 23, 30, tzinfo=timezone.utc)


def test_the_request_is_due_72_elapsed_hours_after_the_child_was_found():
    # The clocks go forward on 29 March 2026: still 72 hours of real time.
    assert rules.placement_request_due_at(FOUND) == FOUND + timedelta(hours=72)


def test_a_child_still_missing_has_no_due_time_yet():
    assert rules.placement_request_due_at(None) is None
    assert rules.placement_request_state(True, None, FOUND) == "missing"


def test_a_request_is_overdue_only_after_the_72nd_hour():
    due = FOUND + timedelta(hours=72)
    assert rules.placement_request_state(True, FOUND, due) == "due"
    assert rules.placement_request_state(True, FOUND, due + timedelta(seconds=1)) == "overdue"


def test_an_answered_request_is_never_overdue():
    assert rules.placement_request_state(False, FOUND, FOUND + timedelta(days=30)) == "answered"


def test_a_council_may_set_its_own_hours():
    assert rules.placement_request_due_at(FOUND, 48) == FOUND + timedelta(hours=48)
