"""The statutory and practice rules, as plain functions with no Flask in them.

Each takes what it needs as arguments (settings included) so it can be tested at its edges alone.
Times are aware UTC datetimes; "72 hours" is elapsed time, so a clock change does not move a deadline.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

DEFAULT_RHI_DUE_HOURS = 72
UNDER_18_REFUSED_GRADES = {"low"}


def age_on(date_of_birth: date, on: date) -> int:
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def due_at(found_at: datetime, hours: int = DEFAULT_RHI_DUE_HOURS) -> datetime:
    if found_at.tzinfo is None:
        raise ValueError("found_at must be timezone-aware")
    # Arithmetic on a London time would add wall-clock hours; in UTC it adds elapsed hours.
    return found_at.astimezone(timezone.utc) + timedelta(hours=hours)


def risk_grades(use_absent: bool) -> list[str]:
    grades = ["high", "medium", "low"]
    if use_absent:
        grades.append("absent")
    return grades


def risk_grade_error(grade: str | None, date_of_birth: date, reported_missing_at: datetime, use_absent: bool) -> str | None:
    """Seed 000: police do not grade a missing child under 18 as low risk."""
    if not grade:
        return None
    if grade not in risk_grades(use_absent):
        return "Select a police risk grade from the list"
    if grade in UNDER_18_REFUSED_GRADES and age_on(date_of_birth, reported_missing_at.date()) < 18:
        return "A child under 18 cannot be graded low risk: select high or medium"
    return None


def episode_time_errors(
    reported_missing_at: datetime | None,
    found_at: datetime | None,
    found_report_received_at: datetime | None,
    now: datetime,
    date_of_birth: date | None = None,
) -> dict[str, str]:
    """Field name → message, for times that cannot be true together."""
    errors: dict[str, str] = {}
    if reported_missing_at is not None:
        if reported_missing_at > now:
            errors["reported_missing_at"] = "The date and time they were reported missing must be in the past"
        elif date_of_birth is not None and reported_missing_at.date() < date_of_birth:
            errors["reported_missing_at"] = "The date they were reported missing must be after their date of birth"
    if found_at is not None:
        if found_at > now:
            errors["found_at"] = "The date and time they were found must be in the past"
        elif reported_missing_at is not None and found_at < reported_missing_at:
            errors["found_at"] = "The date and time they were found must be after they were reported missing"
    if found_report_received_at is not None:
        if found_at is None:
            errors["found_report_received_at"] = "Enter when they were found before the found report"
        elif found_report_received_at > now:
            errors["found_report_received_at"] = "The date and time the found report came in must be in the past"
        elif found_report_received_at < found_at:
            errors["found_report_received_at"] = "The found report must come after the time they were found"
    return errors


def date_of_birth_error(date_of_birth: date, today: date) -> str | None:
    if date_of_birth > today:
        return "Date of birth must be today or in the past"
    if age_on(date_of_birth, today) >= 26:
        return "Date of birth must be for someone under 26: the service is for children and care leavers"
    return None
