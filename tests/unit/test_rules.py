from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from rhi_service import rules

UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")


def test_rhi_is_due_72_hours_after_found():
    found = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    assert rules.due_at(found) == datetime(2026, 11, 5, 9, 30, tzinfo=UTC)


def test_due_time_is_elapsed_hours_across_the_october_clock_change():
    # Found at 10am BST on Saturday 24 October 2026; the clocks go back at 2am on Sunday 25th.
    found = datetime(2026, 10, 24, 10, 0, tzinfo=LONDON)
    due = rules.due_at(found)
    assert due.astimezone(UTC) - found.astimezone(UTC) == timedelta(hours=72)
    # 72 real hours later the wall clock in London reads 9am, not 10am.
    assert due.astimezone(LONDON).hour == 9


def test_due_at_refuses_naive_times():
    with pytest.raises(ValueError):
        rules.due_at(datetime(2026, 11, 2, 9, 30))


def test_due_at_honours_a_councils_setting():
    found = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    assert rules.due_at(found, hours=48) == found + timedelta(hours=48)


@pytest.mark.parametrize(
    "born, on, age",
    [(date(2010, 3, 1), date(2026, 2, 28), 15), (date(2010, 3, 1), date(2026, 3, 1), 16), (date(2008, 2, 29), date(2026, 2, 28), 17)],
)
def test_age_on_a_date(born, on, age):
    assert rules.age_on(born, on) == age


def test_low_risk_grade_is_refused_for_a_child_under_18():
    message = rules.risk_grade_error("low", date(2012, 1, 1), datetime(2026, 11, 1, tzinfo=UTC), use_absent=False)
    assert message == "A child under 18 cannot be graded low risk: select high or medium"


def test_low_risk_grade_is_allowed_for_a_care_leaver_over_18():
    assert rules.risk_grade_error("low", date(2006, 1, 1), datetime(2026, 11, 1, tzinfo=UTC), use_absent=False) is None


def test_absent_grade_only_when_the_setting_allows_it():
    when = datetime(2026, 11, 1, tzinfo=UTC)
    assert rules.risk_grade_error("absent", date(2012, 1, 1), when, use_absent=False) == "Select a police risk grade from the list"
    assert rules.risk_grade_error("absent", date(2012, 1, 1), when, use_absent=True) is None


def test_medium_and_high_are_always_allowed():
    when = datetime(2026, 11, 1, tzinfo=UTC)
    for grade in ("high", "medium"):
        assert rules.risk_grade_error(grade, date(2012, 1, 1), when, use_absent=False) is None


NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_missing_in_the_future_is_refused():
    errors = rules.episode_time_errors(NOW + timedelta(minutes=5), None, None, NOW)
    assert errors == {"reported_missing_at": "The date and time they were reported missing must be in the past"}


def test_found_before_missing_is_refused():
    errors = rules.episode_time_errors(NOW - timedelta(hours=5), NOW - timedelta(hours=6), None, NOW)
    assert errors == {"found_at": "The date and time they were found must be after they were reported missing"}


def test_found_in_the_future_is_refused():
    errors = rules.episode_time_errors(NOW - timedelta(hours=5), NOW + timedelta(hours=1), None, NOW)
    assert errors["found_at"] == "The date and time they were found must be in the past"


def test_found_report_before_found_is_refused():
    errors = rules.episode_time_errors(NOW - timedelta(hours=5), NOW - timedelta(hours=2), NOW - timedelta(hours=3), NOW)
    assert errors == {"found_report_received_at": "The found report must come after the time they were found"}


def test_found_report_without_found_time_is_refused():
    errors = rules.episode_time_errors(NOW - timedelta(hours=5), None, NOW - timedelta(hours=3), NOW)
    assert "found_report_received_at" in errors


def test_missing_before_birth_is_refused():
    errors = rules.episode_time_errors(datetime(2009, 1, 1, tzinfo=UTC), None, None, NOW, date_of_birth=date(2010, 1, 1))
    assert errors["reported_missing_at"] == "The date they were reported missing must be after their date of birth"


def test_consistent_times_have_no_errors():
    assert rules.episode_time_errors(NOW - timedelta(hours=5), NOW - timedelta(hours=2), NOW - timedelta(hours=1), NOW) == {}


def test_date_of_birth_in_the_future_is_refused():
    assert rules.date_of_birth_error(date(2027, 1, 1), date(2026, 11, 23)) == "Date of birth must be today or in the past"
    assert rules.date_of_birth_error(date(2012, 1, 1), date(2026, 11, 23)) is None
