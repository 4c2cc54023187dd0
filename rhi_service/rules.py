"""The statutory and practice rules, as plain functions with no Flask in them.

Each takes what it needs as arguments (settings included) so it can be tested at its edges alone.
Times are aware UTC datetimes; "72 hours" is elapsed time, so a clock change does not move a deadline.
"""
from __future__ import annotations

from dataclasses import dataclass
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


# --- Return Home Interviews: the clock, merging episodes, contact attempts and the decline -------

# Mirrors models.interviews.COMPLETE_STATUSES (a unit test keeps them equal); rules import no models.
COMPLETE_RHI_STATUSES = frozenset({"submitted", "declined", "closed"})
CONDUCTED_BY_US = "us"
CONDUCTED_BY_PLACING_AUTHORITY = "placing_authority"

CONTACT_METHODS = {"phone": "Phone call", "text": "Text message", "letter": "Letter", "visit": "Visit", "email": "Email"}
CONTACT_WITH = {"child": "The child", "parent_carer": "Parent or carer"}
CONTACT_OUTCOMES = {
    "no_answer": "No answer",
    "no_reply": "No reply",
    "wrong_number": "Wrong number or address",
    "refused_by_child": "The child refused",
    "refused_by_parent_carer": "The parent or carer refused",
    "agreed": "Agreed to an interview",
    "did_not_attend": "Agreed, then did not attend",
}
REFUSALS = {"refused_by_child": "Refused by the child", "refused_by_parent_carer": "Refused by the parent or carer"}
# "Agreed, then did not attend" is a failed attempt: the child was not seen.
UNSUCCESSFUL_OUTCOMES = frozenset({"no_answer", "no_reply", "wrong_number", "did_not_attend"}) | frozenset(REFUSALS)
DECLINED_AFTER_ATTEMPTS = "no_contact"

# Why an interview was not held within the 72 hours. "declined" is set by recording a decline and is
# not offered on the late-reason form.
LATE_REASONS = {
    "child_not_available": "The child was not available",
    "child_refused_at_first": "The child refused at first",
    "found_report_late": "The found report reached us late",
    "worker_capacity": "No interviewer was free in time",
    "placed_out_of_area": "The child is placed out of area",
    "other": "Another reason",
}
DECLINED_LATE_REASON = "declined"


@dataclass(frozen=True)
class FoundDecision:
    """What a found episode does: join an open RHI (`join` is that RHI) or start a new one."""

    join: object | None
    found_at: datetime
    due_at: datetime
    conducted_by: str

    @property
    def is_new(self) -> bool:
        return self.join is None


def conducted_by(placing_authority_name: str | None, conduct_for_authorities) -> str:
    """Seed 003: the placing authority interviews the children it placed here, unless a council has
    agreed to do it for them."""
    if placing_authority_name is None or placing_authority_name in (conduct_for_authorities or ()):
        return CONDUCTED_BY_US
    return CONDUCTED_BY_PLACING_AUTHORITY


def rhi_for_found_episode(
    rhis,
    found_at: datetime,
    placing_authority_name: str | None = None,
    conduct_for_authorities=(),
    hours: int = DEFAULT_RHI_DUE_HOURS,
) -> FoundDecision:
    """`rhis` are the child's RHIs (anything with `status` and `found_at`). A child found again
    before their RHI is complete is offered one interview covering both episodes, due 72 hours after
    the latest found time; after a submitted, declined or closed RHI the new episode starts afresh."""
    open_rhis = [r for r in rhis if r.status not in COMPLETE_RHI_STATUSES]
    if open_rhis:
        rhi = max(open_rhis, key=lambda r: r.found_at)
        latest = max(rhi.found_at, found_at)
        return FoundDecision(join=rhi, found_at=latest, due_at=due_at(latest, hours), conducted_by=rhi.conducted_by)
    return FoundDecision(
        join=None,
        found_at=found_at,
        due_at=due_at(found_at, hours),
        conducted_by=conducted_by(placing_authority_name, conduct_for_authorities),
    )


def latest_found_at(found_times) -> datetime | None:
    """An RHI's clock runs from the latest found time of its episodes."""
    times = [t for t in found_times if t is not None]
    return max(times) if times else None


def _amount(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


def time_in_words(seconds: float) -> str:
    """Whole units, rounded down: "5 hours", "1 day and 3 hours", "40 minutes"."""
    minutes = int(seconds // 60)
    if minutes < 60:
        return _amount(max(minutes, 1), "minute")
    hours = minutes // 60
    if hours < 24:
        return _amount(hours, "hour")
    days, hours = divmod(hours, 24)
    return _amount(days, "day") + (f" and {_amount(hours, 'hour')}" if hours else "")


def due_in_words(due: datetime, now: datetime) -> str:
    """"due in 5 hours" or "overdue by 1 day", for the queue."""
    left = (due - now).total_seconds()
    if abs(left) < 60:
        return "due now"
    if left > 0:
        return f"due in {time_in_words(left)}"
    return f"overdue by {time_in_words(-left)}"


DUE_SOON_HOURS = 24


def clock_state(due: datetime, now: datetime) -> str:
    """overdue, due_soon (within a day) or on_time: which tag the queue shows beside the words."""
    if now > due:
        return "overdue"
    if due - now <= timedelta(hours=DUE_SOON_HOURS):
        return "due_soon"
    return "on_time"


def held_by_due(held_at: datetime, due: datetime) -> bool:
    return held_at <= due


def late_reason_errors(was_held_by_due: bool, late_reason: str | None, detail: str | None) -> dict[str, str]:
    """Field name → message for the deadline record of an interview held after its due time."""
    if was_held_by_due:
        return {}
    if not late_reason:
        return {"late_reason": "Select why the interview was not held within 72 hours"}
    if late_reason not in LATE_REASONS:
        return {"late_reason": "Select a reason from the list"}
    if late_reason == "other" and not (detail or "").strip():
        return {"late_reason_detail": "Say why the interview was not held within 72 hours"}
    return {}


@dataclass(frozen=True)
class DeclineCheck:
    allowed: bool
    # Why not, in words the worker reads on the decline page; None when allowed.
    reason: str | None = None
    # no_contact, refused_by_child or refused_by_parent_carer, when allowed.
    grounds: str | None = None
    unsuccessful: int = 0


def _in_order(attempts) -> list:
    attempts = list(attempts)
    if all(getattr(a, "attempted_at", None) is not None for a in attempts):
        attempts.sort(key=lambda a: a.attempted_at)
    return attempts


def may_decline(attempts, threshold: int, postal_address_known: bool) -> DeclineCheck:
    """Seed 003: close as a decline after `threshold` unsuccessful attempts by phone and letter; a
    refusal by the child or by their parent or carer may be recorded as a decline at once.

    `attempts` are anything with `method` and `outcome` (and `attempted_at`, to put them in order).
    """
    attempts = _in_order(attempts)
    # Only what happened since the child last agreed counts against the agreement.
    if attempts and attempts[-1].outcome == "agreed":
        return DeclineCheck(
            False,
            "The latest contact says they agreed to an interview. If they did not come, log an attempt "
            "with the outcome \u201cAgreed, then did not attend\u201d.",
        )
    for attempt in reversed(attempts):
        if attempt.outcome in REFUSALS:
            return DeclineCheck(True, grounds=attempt.outcome, unsuccessful=_unsuccessful(attempts))
        if attempt.outcome == "agreed":
            break
    failed = [a for a in attempts if a.outcome in UNSUCCESSFUL_OUTCOMES]
    letter = any(a.method == "letter" for a in failed)
    needs_letter = postal_address_known and not letter
    if len(failed) >= threshold and not needs_letter:
        return DeclineCheck(True, grounds=DECLINED_AFTER_ATTEMPTS, unsuccessful=len(failed))
    problems = []
    if len(failed) < threshold:
        logged = "none have" if not failed else f"{len(failed)} {'has' if len(failed) == 1 else 'have'}"
        problems.append(f"A decline can be recorded after {threshold} unsuccessful contact attempts: {logged} been logged")
    if needs_letter:
        problems.append("at least one attempt must be a letter, because a postal address is known")
    reason = "; ".join(problems)
    return DeclineCheck(False, reason[0].upper() + reason[1:] + ".", unsuccessful=len(failed))


def _unsuccessful(attempts) -> int:
    return sum(1 for a in attempts if a.outcome in UNSUCCESSFUL_OUTCOMES)


def attempt_time_error(attempted_at: datetime, earliest_found_at: datetime | None, now: datetime) -> str | None:
    if attempted_at > now:
        return "The date and time of the attempt must be in the past"
    if earliest_found_at is not None and attempted_at < earliest_found_at:
        return "The attempt must be after they were found"
    return None


# --- Children placed here by another authority: requests for their RHI (seed 003, seed 004 §3.2.4) ---

PLACEMENT_REQUEST_WAITING_FOR_FOUND = "missing"
PLACEMENT_REQUEST_DUE = "due"
PLACEMENT_REQUEST_OVERDUE = "overdue"
PLACEMENT_REQUEST_ANSWERED = "answered"


def placement_request_due_at(found_at: datetime | None, hours: int = DEFAULT_RHI_DUE_HOURS) -> datetime | None:
    """The placing authority's RHI is due when ours would be: 72 elapsed hours after the child was
    found. While the child is still missing there is no due time yet."""
    return due_at(found_at, hours) if found_at is not None else None


def placement_request_state(is_open: bool, found_at: datetime | None, now: datetime, hours: int = DEFAULT_RHI_DUE_HOURS) -> str:
    if not is_open:
        return PLACEMENT_REQUEST_ANSWERED
    due = placement_request_due_at(found_at, hours)
    if due is None:
        return PLACEMENT_REQUEST_WAITING_FOR_FOUND
    return PLACEMENT_REQUEST_OVERDUE if now > due else PLACEMENT_REQUEST_DUE


# --- The coordinator's view: escalation while missing, repeat missing, age bands (issue 6) -------

@dataclass(frozen=True)
class EscalationPoint:
    hours: int
    action: str
    at: datetime


def _point_applies(applies_to, legal_status: str | None, age: int | None) -> bool:
    if applies_to in (None, "", "all"):
        return True
    wanted = applies_to if isinstance(applies_to, (list, tuple, set)) else [applies_to]
    for item in wanted:
        # "under_12" and the like: seed 004 §5.11 escalates earlier for younger children.
        if isinstance(item, str) and item.startswith("under_") and item[6:].isdigit():
            if age is not None and age < int(item[6:]):
                return True
        elif item == legal_status:
            return True
    return False


def escalation_points_for(points, legal_status: str | None, age: int | None = None) -> list[dict]:
    """The settings' escalation points that apply to this child, earliest first."""
    chosen = [p for p in points or () if _point_applies(p.get("applies_to"), legal_status, age)]
    return sorted(chosen, key=lambda p: float(p["hours"]))


def next_escalation(reported_missing_at: datetime, now: datetime, points, legal_status: str | None,
                    age: int | None = None) -> EscalationPoint | None:
    """The next escalation point not yet reached for a child still missing; None once every point
    that applies has passed. A point is reached at exactly its hour (elapsed time, as the RHI clock)."""
    if reported_missing_at.tzinfo is None:
        raise ValueError("reported_missing_at must be timezone-aware")
    for point in escalation_points_for(points, legal_status, age):
        at = reported_missing_at.astimezone(timezone.utc) + timedelta(hours=float(point["hours"]))
        if at > now:
            return EscalationPoint(int(point["hours"]), str(point["action"]), at)
    return None


def last_escalation_passed(reported_missing_at: datetime, now: datetime, points, legal_status: str | None,
                           age: int | None = None) -> EscalationPoint | None:
    """The latest point already reached: what should have happened by now."""
    reached = None
    for point in escalation_points_for(points, legal_status, age):
        at = reported_missing_at.astimezone(timezone.utc) + timedelta(hours=float(point["hours"]))
        if at <= now:
            reached = EscalationPoint(int(point["hours"]), str(point["action"]), at)
    return reached


@dataclass(frozen=True)
class RepeatFlag:
    episodes: int
    days: int
    source: str
    # the episodes' reported-missing times inside the window, oldest first
    dates: tuple

    @property
    def label(self) -> str:
        return f"{len(self.dates)} times in {self.days} days"


def repeat_missing_flags(reported_times, now: datetime, windows) -> list[RepeatFlag]:
    """Which repeat-missing windows a child meets now: at least `episodes` reports in the `days`
    before `now`. A report exactly `days` ago still counts (the window is inclusive at both ends);
    a report in the future (a clock skew) is ignored."""
    times = sorted(t for t in reported_times if t is not None and t <= now)
    flags = []
    for window in windows or ():
        start = now - timedelta(days=int(window["days"]))
        inside = tuple(t for t in times if t >= start)
        if len(inside) >= int(window["episodes"]):
            flags.append(RepeatFlag(int(window["episodes"]), int(window["days"]), str(window.get("source", "")), inside))
    return flags


def longest_window_days(windows) -> int:
    return max((int(w["days"]) for w in windows or ()), default=0)


# Bands the themes can be filtered by: the ages at which practice and the seeds change the response.
AGE_BANDS = {"under_12": (0, 12, "Under 12"), "12_13": (12, 14, "12 to 13"), "14_15": (14, 16, "14 to 15"),
             "16_17": (16, 18, "16 to 17"), "18_plus": (18, 200, "18 and over")}


def age_band(age: int) -> str:
    for code, (low, high, _label) in AGE_BANDS.items():
        if low <= age < high:
            return code
    return "18_plus"


def daily_report_since(now_local: datetime, lookback_hours: int, monday_lookback_hours: int) -> datetime:
    """Seed 004 §5.1: the daily meeting looks back 24 hours, and over the weekend on a Monday.
    `now_local` is the meeting's local time (the weekday is London's, not UTC's)."""
    hours = monday_lookback_hours if now_local.weekday() == 0 else lookback_hours
    return now_local - timedelta(hours=hours)


def compliance_rate(held_by_due: int, due: int) -> float | None:
    return None if not due else held_by_due / due


# --- The risk assessment record and the child's missing profile -------------------------------

RISK_NOT_KNOWN = "not_known"
# Seed 000 Appendix 2: the rule the form states on its own page.
HIGHER_RISK_RULE = ("In cases of little knowledge or where there is disagreement, the child or young person should be "
                    "considered as being at higher risk.")


@dataclass(frozen=True)
class HigherRisk:
    applies: bool
    indicators: int
    not_known: int
    views_differ: bool
    reasons: tuple[str, ...]


def higher_risk(indicator_answers, views_differ: str | None, little_knowledge_share: float) -> HigherRisk:
    """Seed 000 Appendix 2's rule. `indicator_answers` holds each risk indicator's answer ("yes", "no",
    "known", "not_known" or None when blank). A blank counts as not known: nobody has found out.
    Little knowledge is at least `little_knowledge_share` of the indicators not known; disagreement
    is the record saying the contributors' views differ. Either one is enough."""
    answers = list(indicator_answers)
    unknown = sum(1 for a in answers if a in (None, "", RISK_NOT_KNOWN))
    little = bool(answers) and unknown / len(answers) >= little_knowledge_share
    differ = views_differ == "yes"
    reasons = []
    if little:
        reasons.append(f"Little is known: {unknown} of {len(answers)} risk indicators are not known or not answered.")
    if differ:
        reasons.append("The people who contributed disagree about the risk.")
    return HigherRisk(applies=little or differ, indicators=len(answers), not_known=unknown, views_differ=differ,
                      reasons=tuple(reasons))


def profile_review_due(last_reviewed_at: datetime | None, now: datetime, review_days: int) -> bool:
    """A missing profile never reviewed, or last reviewed more than `review_days` ago, needs review."""
    return last_reviewed_at is None or now - last_reviewed_at > timedelta(days=review_days)


# --- Intelligence grading (National Intelligence Model 3x5x2) ----------------------------------------

SOURCE_EVALUATIONS = {"1": "1 - Reliable", "2": "2 - Untested", "3": "3 - Not reliable"}
INTELLIGENCE_EVALUATIONS = {
    "A": "A - Known directly to the source",
    "B": "B - Known indirectly to the source but corroborated",
    "C": "C - Known indirectly to the source",
    "D": "D - Not known",
    "E": "E - Suspected to be false",
}
HANDLING_CODES = {"P": "P - Lawful sharing permitted", "C": "C - Lawful sharing permitted with conditions"}


def suggested_grading(children_count: int) -> dict[str, str]:
    """A starting point the coordinator can change. A child telling us what happened to them is an
    untested source speaking of what they saw; the same thing told by two or more children is
    corroborated, though each may have heard it from the others."""
    return {
        "source_evaluation": "2",
        "intelligence_evaluation": "B" if children_count >= 2 else "A",
        "handling_code": "P",
    }


def grading_errors(source: str | None, intelligence: str | None, handling: str | None,
                   conditions: str | None) -> dict[str, str]:
    """Field name → message, empty when the grading may be approved."""
    errors = {}
    if source not in SOURCE_EVALUATIONS:
        errors["source_evaluation"] = "Select the source evaluation (1, 2 or 3)"
    if intelligence not in INTELLIGENCE_EVALUATIONS:
        errors["intelligence_evaluation"] = "Select the intelligence evaluation (A to E)"
    if handling not in HANDLING_CODES:
        errors["handling_code"] = "Select the handling code (P or C)"
    elif handling == "C" and not (conditions or "").strip():
        errors["handling_conditions"] = "Enter the conditions on sharing, as the handling code is C"
    return errors
