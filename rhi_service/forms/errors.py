"""The error summary's list, linking each message to the input it is about."""
from __future__ import annotations

from .fields import GovDateField


def error_summary(form) -> dict:
    items = []
    for field in form:
        if not field.errors:
            continue
        # Date errors link to the day input (or the first part that is wrong), not the fieldset.
        target = f"{field.name}-day" if isinstance(field, GovDateField) else field.id
        items.append({"text": field.errors[0], "href": f"#{target}"})
    return {"titleText": "There is a problem", "errorList": items}
