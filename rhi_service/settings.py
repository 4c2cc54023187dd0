"""Practice settings: the thresholds and timetables a council may set for itself.

The defaults here are the seeds' rules. A council overrides any of them in one YAML file named by
RHI_SETTINGS_FILE; an unknown key is an error, so a typo cannot silently leave a default in force.
"""
from __future__ import annotations

import copy
from pathlib import Path

import yaml
from flask import current_app

DEFAULTS: dict = {
    "organisation": {
        "name": "Northmoor Council Children's Services",
        "service_name": "Return Home Interviews",
        "address": "Civic Centre, 1 Market Street, Northmoor ZZ99 1AA",
        "phone": "07700 900100",
        "email": "missing.team@northmoor.example",
    },
    # Seed 003: an RHI within 72 hours of the found report; elapsed time.
    "rhi_due_hours": 72,
    # Unsuccessful contact attempts before a decline may be recorded. The service brief says three;
    # seed 003 says "more than three", so a council may set 4.
    "decline_after_unsuccessful_attempts": 3,
    # Police risk grades offered. "absent" only where the local force still uses it.
    "police_use_absent_grade": False,
    # Local authorities (by name) whose placed children we interview ourselves.
    "conduct_rhis_for_authorities": [],
    # Repeat missing windows: (episodes, days). Seed 004: 3 in 90; seed 000: 3 in a rolling month and
    # 2 in 365 days (Appendix 4).
    "repeat_missing_windows": [
        {"episodes": 3, "days": 90, "source": "Seed 004: three times in 90 days"},
        {"episodes": 3, "days": 30, "source": "Seed 000: three or more in a rolling month"},
        {"episodes": 2, "days": 365, "source": "Seed 000 Appendix 4: twice in 12 months"},
    ],
    # Escalation points while a child is missing, hours from being reported missing.
    "escalation_points": [
        {"hours": 24, "applies_to": "looked_after", "action": "Strategy discussion for a child in care"},
        {"hours": 48, "applies_to": "all", "action": "Review by team manager; consider strategy meeting"},
        {"hours": 72, "applies_to": "all", "action": "Strategy discussion for a child living at home"},
        {"hours": 168, "applies_to": "all", "action": "Seven days missing: review by head of service"},
        {"hours": 672, "applies_to": "all", "action": "28 days missing: director informed"},
    ],
    "profile_review_days": 90,
    # Seed 000 Appendix 2: "little knowledge" means the child is treated as at higher risk. This share
    # of risk indicators not known (or blank) counts as little knowledge.
    "risk_little_knowledge_share": 0.25,
    # Records are kept until the child's 25th birthday, plus these years, then deleted on
    # confirmation by `flask retention`.
    "retention_until_age": 25,
    "retention_extra_years": 0,
    "daily_report_lookback_hours": 24,
    "daily_report_monday_lookback_hours": 72,
}


class SettingsError(ValueError):
    pass


def _merge(base: dict, override: dict, path: str = "") -> dict:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        where = f"{path}{key}"
        if key not in base:
            raise SettingsError(f"Unknown setting '{where}'")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise SettingsError(f"Setting '{where}' must be a mapping")
            merged[key] = _merge(base[key], value, where + ".")
        else:
            merged[key] = value
    return merged


def load(path: str | None = None) -> dict:
    if not path:
        return copy.deepcopy(DEFAULTS)
    data = yaml.safe_load(Path(path).read_text()) or {}
    if not isinstance(data, dict):
        raise SettingsError("The settings file must be a YAML mapping")
    settings = _merge(DEFAULTS, data)
    threshold = settings["decline_after_unsuccessful_attempts"]
    if not isinstance(threshold, int) or threshold < 1:
        raise SettingsError("decline_after_unsuccessful_attempts must be a whole number of at least 1")
    return settings


def get() -> dict:
    return current_app.extensions["rhi_settings"]
