"""Date and date-time fields in the GOV.UK pattern, with the messages the Design System asks for.

govuk-frontend-wtf's date widget breaks when a part is missing from the submission and links its error
to the wrapper, so these fields read each part under its own name (`when-day`, `when-month`,
`when-year`, `when-time`), keep what was typed when it is wrong, and link errors to the first part.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from govuk_frontend_wtf.gov_form_base import GovFormBase
from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

LONDON = ZoneInfo("Europe/London")
PARTS = ("day", "month", "year")


class GovDateParts(GovFormBase):
    template = "govuk_frontend_wtf/date.html"

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        return super().__call__(field, **kwargs)

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params.pop("value", None)
        params.setdefault("fieldset", {"legend": {"text": field.label.text, "classes": "govuk-fieldset__legend--s"}})
        error_class = " govuk-input--error" if field.errors else ""
        items = [
            {"label": part.capitalize(), "id": f"{field.name}-{part}", "name": f"{field.name}-{part}",
             "classes": ("govuk-input--width-4" if part == "year" else "govuk-input--width-2") + error_class,
             "value": field.parts.get(part, ""), "attributes": {"inputmode": "numeric"}}
            for part in PARTS
        ]
        if getattr(field, "with_time", False):
            items.append({"label": "Time", "id": f"{field.name}-time", "name": f"{field.name}-time",
                          "classes": "govuk-input--width-5" + error_class, "value": field.parts.get("time", "")})
        params["items"] = items
        params["id"] = field.name
        return params


def _parse_time(text: str) -> time | None:
    text = text.strip().lower().replace(".", ":").replace(" ", "")
    if text in ("midday", "noon", "12noon"):
        return time(12, 0)
    if text == "midnight":
        return time(0, 0)
    match = re.fullmatch(r"(\d{1,2})(?::?(\d{2}))?(am|pm)?", text)
    if not match:
        return None
    hour, minute, suffix = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if match.group(2) is None and suffix is None and len(match.group(1)) <= 2 and hour > 23:
        return None
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def london_to_utc(day: date, clock: time) -> datetime | None:
    """None when that wall-clock time never happened in London (the hour the clocks go forward)."""
    local = datetime.combine(day, clock).replace(tzinfo=LONDON)
    round_trip = local.astimezone(timezone.utc).astimezone(LONDON)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return local.astimezone(timezone.utc)


class GovDateField(Field):
    """A date entered as day, month and year."""

    widget = GovDateParts()
    with_time = False

    def __init__(self, label=None, validators=None, what: str = "the date", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.what = what
        self.parts: dict[str, str] = {}

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.raw_data = None
        if data is unset_value or data is None:
            data = self.default() if callable(self.default) else self.default
        self.data = data
        names = PARTS + (("time",) if self.with_time else ())
        if formdata is not None and any(f"{self.name}-{p}" in formdata for p in names):
            self.parts = {p: (formdata.get(f"{self.name}-{p}") or "").strip() for p in names}
            self.raw_data = [self.parts[p] for p in names]
            self.data = None
        else:
            self.parts = self._parts_from(self.data)

    def _parts_from(self, value) -> dict[str, str]:
        if value is None:
            return {}
        return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}

    def _value(self):
        return ""

    @property
    def is_blank(self) -> bool:
        return not any(self.parts.values())

    def pre_validate(self, form):
        if self.raw_data is None or self.is_blank:
            return  # Optional/DataRequired decide about a blank field
        self.data = self._to_value()

    def _to_date(self) -> date:
        missing = [p for p in PARTS if not self.parts.get(p)]
        if missing:
            raise StopValidation(f"{self.what.capitalize()} must include a {' and a '.join(missing)}")
        try:
            day, month, year = (int(self.parts[p]) for p in PARTS)
        except ValueError:
            raise StopValidation(f"{self.what.capitalize()} must be a real date") from None
        if year < 1900 or year > 2200:
            raise StopValidation(f"{self.what.capitalize()} must include a year with 4 numbers, like 2026")
        try:
            return date(year, month, day)
        except ValueError:
            raise StopValidation(f"{self.what.capitalize()} must be a real date") from None

    def _to_value(self):
        return self._to_date()


class GovDateTimeField(GovDateField):
    """A date and a London wall-clock time, stored as aware UTC."""

    with_time = True

    def _parts_from(self, value) -> dict[str, str]:
        if value is None:
            return {}
        local = value.astimezone(LONDON)
        return {"day": str(local.day), "month": str(local.month), "year": str(local.year),
                "time": local.strftime("%H:%M")}

    def _to_value(self):
        day = self._to_date()
        if not self.parts.get("time"):
            raise StopValidation(f"{self.what.capitalize()} must include a time")
        clock = _parse_time(self.parts["time"])
        if clock is None:
            raise StopValidation("Enter a real time, like 14:30 or 2:30pm")
        value = london_to_utc(day, clock)
        if value is None:
            raise StopValidation("That time did not happen: the clocks went forward an hour that night")
        return value
