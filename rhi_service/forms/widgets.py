"""govuk-frontend-wtf widgets, adjusted for questions put to a child and for empty hints."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput

from ..models.forms import NO_ANSWER


def _tidy(params: dict) -> dict:
    # The stock widgets always pass a hint, which the macros then draw as an empty box.
    if not (params.get("hint") or {}).get("text") and not (params.get("hint") or {}).get("html"):
        params.pop("hint", None)
    return params


class RadioInput(GovRadioInput):
    def map_gov_params(self, field, **kwargs):
        params = _tidy(super().map_gov_params(field, **kwargs))
        # "Declined to answer" and "Not asked" follow the real answers after an "or".
        items = params["items"]
        for index, item in enumerate(items):
            if item.get("value") in NO_ANSWER:
                items.insert(index, {"divider": "or"})
                break
        return params


class CheckboxesInput(GovCheckboxesInput):
    def map_gov_params(self, field, **kwargs):
        return _tidy(super().map_gov_params(field, **kwargs))


class NoAnswerInput(GovCheckboxesInput):
    """The two ways a child may leave a question unanswered, each clearing the other."""

    def map_gov_params(self, field, **kwargs):
        params = _tidy(super().map_gov_params(field, **kwargs))
        for item in params["items"]:
            item["behaviour"] = "exclusive"
        params.setdefault("classes", "govuk-checkboxes--small")
        return params
