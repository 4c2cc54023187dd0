"""Saved versions of a form: every answer frozen as it read, and what changed between two versions."""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..forms import engine
from ..forms.schema import FormDefinition
from ..models.base import utcnow
from ..models.profiles import FormVersion


def snapshot(definition: FormDefinition, subject_id) -> dict:
    """Every question of the form, in order, with its answer as the pages show it ([] when blank)."""
    stored = engine.answers(definition.code, subject_id)
    frozen = {}
    for section in definition.sections:
        for question in section.questions:
            frozen[question.code] = {"section": section.title, "label": question.label,
                                     "lines": engine.display_lines(question, stored.get(question.code))}
    return frozen


def answers_of(version: FormVersion) -> dict:
    return json.loads(version.answers)


def save(definition: FormDefinition, subject, child, user, *, unchanged_too: bool = False) -> FormVersion | None:
    """A new version from the answers as they stand; None when nothing changed since the last one,
    unless `unchanged_too` (a review confirms the answers are still right even when none changed)."""
    frozen = snapshot(definition, subject.id)
    latest = latest_version(definition.code, subject.id)
    if latest is not None and not unchanged_too and answers_of(latest) == frozen:
        return None
    number = (db.session.execute(
        select(func.max(FormVersion.number)).where(FormVersion.form_code == definition.code, FormVersion.subject_id == subject.id)
    ).scalar() or 0) + 1
    version = FormVersion(organisation_id=subject.organisation_id, child_id=child.id, form_code=definition.code,
                          subject_id=subject.id, number=number, answers=json.dumps(frozen, sort_keys=True),
                          saved_by_id=getattr(user, "id", None), saved_at=utcnow())
    db.session.add(version)
    db.session.flush()
    return version


def latest_version(form_code: str, subject_id) -> FormVersion | None:
    return db.session.execute(
        select(FormVersion).where(FormVersion.form_code == form_code, FormVersion.subject_id == subject_id)
        .order_by(FormVersion.number.desc()).limit(1)
    ).scalar_one_or_none()


def all_versions(form_code: str, subject_id) -> list[FormVersion]:
    return list(db.session.execute(
        select(FormVersion).where(FormVersion.form_code == form_code, FormVersion.subject_id == subject_id)
        .order_by(FormVersion.number.desc())
    ).scalars())


def has_unsaved_changes(definition: FormDefinition, subject_id) -> bool:
    latest = latest_version(definition.code, subject_id)
    frozen = snapshot(definition, subject_id)
    if latest is None:
        return any(entry["lines"] for entry in frozen.values())
    return answers_of(latest) != frozen


@dataclass(frozen=True)
class Change:
    section: str
    label: str
    before: list
    after: list


def differences(older: dict | None, newer: dict) -> list[Change]:
    """The answers that differ between two versions, in the newer version's order. A question
    added or dropped since (a changed definition) shows as blank on the side that lacks it."""
    older = older or {}
    changes = []
    for code, entry in newer.items():
        before = older.get(code, {}).get("lines", [])
        if before != entry["lines"]:
            changes.append(Change(entry["section"], entry["label"], before, entry["lines"]))
    for code, entry in older.items():
        if code not in newer and entry["lines"]:
            changes.append(Change(entry["section"], entry["label"], entry["lines"], []))
    return changes
