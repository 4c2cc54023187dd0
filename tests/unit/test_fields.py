from datetime import date, datetime, time, timezone

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from rhi_service.forms.fields import GovDateField, GovDateTimeField, _parse_time, london_to_utc


class WhenForm(Form):
    when = GovDateTimeField("When", what="the date")
    born = GovDateField("Born", what="date of birth")


@pytest.mark.parametrize("typed, expected", [("14:30", time(14, 30)), ("2:30pm", time(14, 30)), ("2.30pm", time(14, 30)), ("0930", time(9, 30)),
                                              ("midnight", time(0, 0)), ("midday", time(12, 0)), ("12am", time(0, 0)), ("9", time(9, 0))])
def test_times_are_read_as_people_write_them(typed, expected):
    assert _parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "13pm", "ten past", "14:75"])
def test_unreal_times_are_refused(typed):
    assert _parse_time(typed) is None


def test_london_summer_time_is_converted_to_utc():
    assert london_to_utc(date(2026, 7, 1), time(14, 0)) == datetime(2026, 7, 1, 13, 0, tzinfo=timezone.utc)


def test_the_hour_the_clocks_go_forward_never_happened():
    assert london_to_utc(date(2026, 3, 29), time(1, 30)) is None


def test_a_missing_part_is_named_and_the_typed_parts_are_kept():
    form = WhenForm(MultiDict({"when-day": "3", "when-year": "2026", "when-time": "10:00"}))
    assert not form.validate()
    assert form.when.errors == ["The date must include a month"]
    assert form.when.parts["day"] == "3"


def test_a_submission_without_the_parts_does_not_crash():
    form = WhenForm(MultiDict({"born-day": "1"}))
    form.validate()
    assert form.born.errors == ["Date of birth must include a month and a year"]


def test_a_date_time_round_trips():
    form = WhenForm(MultiDict({"when-day": "1", "when-month": "7", "when-year": "2026", "when-time": "14:00"}))
    form.validate()
    assert form.when.data == datetime(2026, 7, 1, 13, 0, tzinfo=timezone.utc)
