"""Names, places, phones, vehicles and handles typed into the profile (or Part 2) become entities.

They are stored the way the tagging engine's finds in RHIs are (analysis_store, models/analysis.py),
with the engine's own normalisation, so "07700 900123" typed here and "07700900123" said in an
interview meet under one normalised form on the coordinator's people-and-places pages. A person
recorded them, so they are not the machine's rows and a re-tag leaves them alone. Like the engine's
rows, they are counted under people and places, and make peer links, as they are saved.
"""
from __future__ import annotations

from sqlalchemy import and_, delete, select

from .. import entity_groups
from ..analysis.entities import normalize
from ..extensions import db
from ..forms import engine
from ..forms.schema import LIST, FormDefinition
from ..models.analysis import COORDINATOR, Entity

SOURCE_PROFILE = "profile"


def _key_prefix(definition: FormDefinition, subject_id) -> str:
    return f"{definition.code}/{subject_id}/"


def _postcodes(text: str) -> list:
    from ..analysis import default_tagger

    return [e for e in default_tagger().entities.find(text, platform=False, vehicle=False) if e.label == "POSTCODE"]


def link(definition: FormDefinition, subject, child_id) -> list[Entity]:
    """Replace the entities this form holds for this subject with those its answers name now. The
    caller commits."""
    prefix = _key_prefix(definition, subject.id)
    mine = and_(Entity.source_kind == SOURCE_PROFILE, Entity.child_id == child_id,
                Entity.source_key.startswith(prefix, autoescape=True))
    before = _forms(mine)
    db.session.execute(delete(Entity).where(mine))
    stored = engine.answers(definition.code, subject.id)
    rows: list[Entity] = []

    def add(label: str, text: str, answer, key: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        common = dict(organisation_id=subject.organisation_id, child_id=child_id, rhi_id=None, source_kind=SOURCE_PROFILE,
                      source_id=answer.id, source_key=(prefix + key)[:200], origin=COORDINATOR)
        normalised = normalize(label, text)[:200]
        if normalised:
            rows.append(Entity(label=label, text=text, start=0, end=len(text), normalized=normalised, **common))
        if label == "LOCATION":
            for found in _postcodes(text):
                rows.append(Entity(label="POSTCODE", text=found.text, start=found.start, end=found.end,
                                   normalized=found.normalized[:200], **common))

    for question in definition.questions:
        answer = stored.get(question.code)
        if answer is None:
            continue
        value = engine.stored_value(question, answer).value
        if question.kind == LIST:
            for item in value or []:
                for sub in question.item:
                    if sub.entity and item.get(sub.code):
                        add(sub.entity, item[sub.code], answer, f"{question.code}.{sub.code}#{item.get('id')}")
        elif question.entity and isinstance(value, str):
            add(question.entity, value, answer, question.code)
    db.session.add_all(rows)
    db.session.flush()
    # the people-and-places counts and peer links move in the same transaction as the rows
    entity_groups.refresh(before | _forms(mine))
    return rows


def _forms(where) -> set:
    return {tuple(r) for r in db.session.execute(
        select(Entity.organisation_id, Entity.label, Entity.normalized).distinct().where(where))}
