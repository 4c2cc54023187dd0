"""The coordinator's rules at their edges: escalation points, repeat-missing windows, age bands,
the daily report's look-back, and the SVG charts."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from rhi_service import charts, rules
from rhi_service.settings import DEFAULTS

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=timezone.utc)
POINTS = DEFAULTS["escalation_points"]
WINDOWS = DEFAULTS["repeat_missing_windows"]


def test_a_child_in_care_escalates_first_at_24_hours():
    point = rules.next_escalation(T0, T0 + timedelta(hours=1), POINTS, "looked_after")
    assert point.hours == 24 and "in care" in point.action
    assert point.at == T0 + timedelta(hours=24)


def test_a_child_at_home_skips_the_care_point():
    point = rules.next_escalation(T0, T0 + timedelta(hours=1), POINTS, "child_in_need")
    assert point.hours == 48


def test_a_point_is_reached_at_exactly_its_hour():
    just_before = rules.next_escalation(T0, T0 + timedelta(hours=48) - timedelta(seconds=1), POINTS, "none")
    assert just_before.hours == 48
    at_the_hour = rules.next_escalation(T0, T0 + timedelta(hours=48), POINTS, "none")
    assert at_the_hour.hours == 72
    passed = rules.last_escalation_passed(T0, T0 + timedelta(hours=48), POINTS, "none")
    assert passed.hours == 48


def test_no_next_point_after_the_last_one():
    assert rules.next_escalation(T0, T0 + timedelta(hours=700), POINTS, "none") is None
    assert rules.last_escalation_passed(T0, T0 + timedelta(hours=700), POINTS, "none").hours == 672


def test_nothing_passed_in_the_first_hours():
    assert rules.last_escalation_passed(T0, T0 + timedelta(hours=2), POINTS, "looked_after") is None


def test_points_for_younger_children_apply_by_age():
    points = [{"hours": 4, "applies_to": "under_12", "action": "Need to know report"}, *POINTS]
    assert rules.next_escalation(T0, T0, points, "none", age=11).hours == 4
    assert rules.next_escalation(T0, T0, points, "none", age=12).hours == 48


def test_escalation_needs_an_aware_time():
    with pytest.raises(ValueError):
        rules.next_escalation(T0.replace(tzinfo=None), T0, POINTS, "none")


def _ago(days: float):
    return T0 - timedelta(days=days)


def test_three_in_thirty_days_counts_a_report_exactly_thirty_days_ago():
    flags = rules.repeat_missing_flags([_ago(30), _ago(10), _ago(1)], T0, WINDOWS)
    labels = {(f.episodes, f.days) for f in flags}
    assert (3, 30) in labels and (3, 90) in labels and (2, 365) in labels


def test_a_report_a_second_outside_the_window_does_not_count():
    flags = rules.repeat_missing_flags([_ago(30) - timedelta(seconds=1), _ago(10), _ago(1)], T0, WINDOWS)
    labels = {(f.episodes, f.days) for f in flags}
    assert (3, 30) not in labels and (3, 90) in labels


def test_two_in_a_year_at_the_edge():
    assert [(f.episodes, f.days) for f in rules.repeat_missing_flags([_ago(365), _ago(200)], T0, WINDOWS)] == [(2, 365)]
    assert rules.repeat_missing_flags([_ago(365) - timedelta(minutes=1), _ago(200)], T0, WINDOWS) == []


def test_one_episode_is_not_repeat_missing_and_future_reports_are_ignored():
    assert rules.repeat_missing_flags([_ago(1)], T0, WINDOWS) == []
    assert rules.repeat_missing_flags([_ago(1), T0 + timedelta(days=1)], T0, WINDOWS) == []


def test_flags_carry_the_dates_oldest_first():
    flag = next(f for f in rules.repeat_missing_flags([_ago(1), _ago(20), _ago(5)], T0, WINDOWS) if f.days == 30)
    assert flag.dates == (_ago(20), _ago(5), _ago(1))
    assert flag.label == "3 times in 30 days"


@pytest.mark.parametrize("age, band", [(0, "under_12"), (11, "under_12"), (12, "12_13"), (13, "12_13"), (14, "14_15"),
                                       (16, "16_17"), (17, "16_17"), (18, "18_plus"), (24, "18_plus")])
def test_age_bands(age, band):
    assert rules.age_band(age) == band


def test_the_daily_report_looks_back_over_the_weekend_on_a_monday():
    london = ZoneInfo("Europe/London")
    monday = datetime(2026, 3, 16, 8, 30, tzinfo=london)
    tuesday = monday + timedelta(days=1)
    assert monday - rules.daily_report_since(monday, 24, 72) == timedelta(hours=72)
    assert tuesday - rules.daily_report_since(tuesday, 24, 72) == timedelta(hours=24)


def test_monday_is_londons_monday_not_utcs():
    # 00:30 on Monday in London during summer time is still Sunday in UTC.
    london = ZoneInfo("Europe/London")
    monday_early = datetime(2026, 6, 15, 0, 30, tzinfo=london)
    assert monday_early.astimezone(timezone.utc).weekday() == 6
    assert monday_early - rules.daily_report_since(monday_early, 24, 72) == timedelta(hours=72)


def test_compliance_rate_of_nothing_due_is_none():
    assert rules.compliance_rate(0, 0) is None
    assert rules.compliance_rate(3, 4) == 0.75


# --- charts ---------------------------------------------------------------------------------------

def _chart(values=(1, 5, 3)):
    return charts.Chart("Tags <by> month", "A & B", ["Jan", "Feb", "Mar"],
                        [charts.Series("CSE", list(values)), charts.Series("CCE", [0, 2, 9])])


def test_a_chart_is_an_accessible_image_with_escaped_words():
    svg = str(charts.line_chart(_chart(), "c1"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Tags &lt;by&gt; month</title>' in svg
    assert '<desc id="c1-desc">A &amp; B</desc>' in svg
    assert "style=" not in svg and "<script" not in svg


def test_bars_are_drawn_to_scale_with_a_round_axis():
    svg = str(charts.bar_chart(_chart(), "c2"))
    assert svg.count("<rect") == 6
    assert ">10</text>" in svg  # 9 rounds up to an axis of 10
    assert "CSE, Feb: 5" in svg


def test_an_empty_chart_still_draws():
    svg = str(charts.bar_chart(charts.Chart("Nothing", "No data", [], []), "c3"))
    assert "<svg" in svg and "<rect" not in svg


def test_nice_axis_tops():
    assert [charts._nice_max(v) for v in (0, 1, 3, 7, 12, 99, 101, 0.4)] == [1, 1, 5, 10, 20, 100, 200, 0.5]
