"""The RHI rules at their edges: the decline, merging episodes, the clock and its words."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from rhi_service import rules

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@dataclass
class Attempt:
    method: str
    outcome: str
    attempted_at: datetime | None = None


@dataclass
class Rhi:
    status: str
    found_at: datetime
    conducted_by: str = "us"


def attempts(*pairs):
    return [Attempt(method, outcome, START + timedelta(hours=i)) for i, (method, outcome) in enumerate(pairs)]


# --- may_decline ---------------------------------------------------------------------------------

def test_two_failed_attempts_are_not_enough_to_decline():
    check = rules.may_decline(attempts(("phone", "no_answer"), ("letter", "no_reply")), 3, True)
    assert not check.allowed
    assert "3 unsuccessful contact attempts" in check.reason and "2 have been logged" in check.reason


def test_third_failed_attempt_including_a_letter_allows_the_decline():
    check = rules.may_decline(attempts(("phone", "no_answer"), ("text", "no_reply"), ("letter", "no_reply")), 3, True)
    assert check.allowed and check.grounds == "no_contact" and check.reason is None


def test_three_failed_phone_calls_without_a_letter_are_not_enough():
    check = rules.may_decline(attempts(("phone", "no_answer"), ("phone", "no_answer"), ("phone", "wrong_number")), 3, True)
    assert not check.allowed
    assert check.reason == "At least one attempt must be a letter, because a postal address is known."


def test_no_letter_is_needed_when_no_postal_address_is_known():
    check = rules.may_decline(attempts(("phone", "no_answer"), ("phone", "no_answer"), ("text", "no_reply")), 3, False)
    assert check.allowed


def test_both_problems_are_named_together():
    check = rules.may_decline(attempts(("phone", "no_answer")), 3, True)
    assert check.reason == ("A decline can be recorded after 3 unsuccessful contact attempts: 1 has been logged; "
                            "at least one attempt must be a letter, because a postal address is known.")


def test_no_attempts_says_none_have_been_logged():
    assert "none have been logged" in rules.may_decline([], 3, True).reason


def test_a_council_may_ask_for_four_attempts():
    three = attempts(("phone", "no_answer"), ("text", "no_reply"), ("letter", "no_reply"))
    assert not rules.may_decline(three, 4, True).allowed
    assert rules.may_decline(three + attempts(("visit", "no_answer"))[:1], 4, True).allowed


def test_agreed_then_did_not_attend_counts_as_unsuccessful():
    check = rules.may_decline(
        attempts(("phone", "agreed"), ("visit", "did_not_attend"), ("letter", "no_reply"), ("phone", "no_answer")), 3, True
    )
    assert check.allowed and check.unsuccessful == 3


def test_an_agreement_not_yet_kept_blocks_the_decline():
    check = rules.may_decline(attempts(("phone", "no_answer"), ("letter", "no_reply"), ("phone", "no_answer"), ("phone", "agreed")), 3, True)
    assert not check.allowed and "did not attend" in check.reason


def test_refusal_by_the_child_allows_a_decline_at_once():
    check = rules.may_decline(attempts(("phone", "refused_by_child")), 3, True)
    assert check.allowed and check.grounds == "refused_by_child"


def test_refusal_by_the_parent_or_carer_allows_a_decline_at_once():
    check = rules.may_decline(attempts(("phone", "refused_by_parent_carer")), 3, True)
    assert check.allowed and check.grounds == "refused_by_parent_carer"


def test_a_refusal_followed_by_an_agreement_no_longer_counts():
    check = rules.may_decline(attempts(("phone", "refused_by_parent_carer"), ("text", "agreed"), ("visit", "did_not_attend")), 3, True)
    assert not check.allowed


def test_attempts_are_read_in_time_order():
    later = Attempt("phone", "agreed", START + timedelta(hours=5))
    earlier = Attempt("phone", "refused_by_child", START)
    assert not rules.may_decline([later, earlier], 3, True).allowed


# --- the clock -----------------------------------------------------------------------------------

def test_found_in_bst_before_the_clocks_go_back_is_due_at_nine_gmt():
    found = datetime(2026, 10, 24, 10, 0, tzinfo=LONDON)
    due = rules.due_at(found, 72)
    assert due == datetime(2026, 10, 27, 9, 0, tzinfo=UTC)
    assert due.astimezone(LONDON).strftime("%d %b %H:%M %Z") == "27 Oct 09:00 GMT"


def test_due_hours_come_from_settings():
    assert rules.due_at(START, 48) == START + timedelta(hours=48)


@pytest.mark.parametrize(
    "left, words",
    [
        (timedelta(hours=5), "due in 5 hours"),
        (timedelta(hours=5, minutes=59), "due in 5 hours"),
        (timedelta(hours=1), "due in 1 hour"),
        (timedelta(minutes=59), "due in 59 minutes"),
        (timedelta(minutes=1), "due in 1 minute"),
        (timedelta(seconds=30), "due now"),
        (timedelta(0), "due now"),
        (timedelta(hours=23, minutes=59), "due in 23 hours"),
        (timedelta(hours=24), "due in 1 day"),
        (timedelta(hours=51), "due in 2 days and 3 hours"),
        (timedelta(hours=72), "due in 3 days"),
        (-timedelta(minutes=5), "overdue by 5 minutes"),
        (-timedelta(hours=1), "overdue by 1 hour"),
        (-timedelta(hours=23), "overdue by 23 hours"),
        (-timedelta(hours=24), "overdue by 1 day"),
        (-timedelta(hours=24, minutes=59), "overdue by 1 day"),
        (-timedelta(hours=25), "overdue by 1 day and 1 hour"),
        (-timedelta(hours=48), "overdue by 2 days"),
    ],
)
def test_time_left_in_words(left, words):
    assert rules.due_in_words(START + left, START) == words


def test_clock_states():
    assert rules.clock_state(START - timedelta(seconds=1), START) == "overdue"
    assert rules.clock_state(START + timedelta(hours=24), START) == "due_soon"
    assert rules.clock_state(START + timedelta(hours=24, seconds=1), START) == "on_time"


def test_held_by_due_includes_the_due_minute_itself():
    assert rules.held_by_due(START, START)
    assert not rules.held_by_due(START + timedelta(seconds=1), START)


def test_late_reason_is_needed_only_when_late():
    assert rules.late_reason_errors(True, None, None) == {}
    assert "late_reason" in rules.late_reason_errors(False, None, None)
    assert "late_reason" in rules.late_reason_errors(False, "made_up", None)
    assert rules.late_reason_errors(False, "worker_capacity", None) == {}
    assert "late_reason_detail" in rules.late_reason_errors(False, "other", "  ")
    assert rules.late_reason_errors(False, "other", "Interpreter needed") == {}


# --- merging episodes ----------------------------------------------------------------------------

def test_first_found_episode_starts_a_new_rhi():
    decision = rules.rhi_for_found_episode([], START, hours=72)
    assert decision.is_new and decision.due_at == START + timedelta(hours=72) and decision.conducted_by == "us"


def test_second_episode_before_the_interview_joins_the_open_rhi_and_moves_due():
    open_rhi = Rhi("contact_attempted", START)
    found_again = START + timedelta(hours=30)
    decision = rules.rhi_for_found_episode([open_rhi], found_again, hours=72)
    assert decision.join is open_rhi
    assert decision.due_at == found_again + timedelta(hours=72)


def test_an_earlier_episode_entered_late_does_not_pull_the_due_time_back():
    open_rhi = Rhi("awaiting_contact", START)
    decision = rules.rhi_for_found_episode([open_rhi], START - timedelta(hours=10), hours=72)
    assert decision.join is open_rhi and decision.due_at == START + timedelta(hours=72)


@pytest.mark.parametrize("status", ["submitted", "declined", "closed"])
def test_a_new_episode_after_a_complete_rhi_gets_a_new_rhi(status):
    decision = rules.rhi_for_found_episode([Rhi(status, START)], START + timedelta(days=5), hours=72)
    assert decision.is_new


def test_in_progress_and_arranged_rhis_are_still_open():
    for status in ("in_progress", "interview_arranged", "awaiting_contact"):
        assert not rules.rhi_for_found_episode([Rhi(status, START)], START + timedelta(hours=1)).is_new


def test_child_placed_by_another_authority_is_theirs_to_interview():
    decision = rules.rhi_for_found_episode([], START, placing_authority_name="Eastshire Council", conduct_for_authorities=[])
    assert decision.conducted_by == "placing_authority"


def test_unless_we_conduct_rhis_for_that_authority():
    decision = rules.rhi_for_found_episode([], START, placing_authority_name="Eastshire Council",
                                           conduct_for_authorities=["Eastshire Council"])
    assert decision.conducted_by == "us"


def test_complete_statuses_match_the_model():
    from rhi_service.models.interviews import COMPLETE_STATUSES, CONDUCTED_BY_PLACING_AUTHORITY, CONDUCTED_BY_US

    assert rules.COMPLETE_RHI_STATUSES == set(COMPLETE_STATUSES)
    assert (rules.CONDUCTED_BY_US, rules.CONDUCTED_BY_PLACING_AUTHORITY) == (CONDUCTED_BY_US, CONDUCTED_BY_PLACING_AUTHORITY)


def test_attempt_time_must_be_past_and_after_found():
    assert rules.attempt_time_error(START + timedelta(minutes=1), None, START) is not None
    assert rules.attempt_time_error(START - timedelta(hours=2), START - timedelta(hours=1), START) == "The attempt must be after they were found"
    assert rules.attempt_time_error(START, START - timedelta(hours=1), START) is None
