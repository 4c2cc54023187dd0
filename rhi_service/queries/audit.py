from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select

from ..extensions import db
from ..models.audit import AuditEvent
from ..models.children import Child, fold_name
from ..models.organisations import User
from ..forms.fields import LONDON
from .paging import Page, paginate

EXPORT_LIMIT = 100_000


def _london_day_start(day: date) -> datetime:
    return datetime.combine(day, time.min).replace(tzinfo=LONDON)


def events_query(organisation_id: uuid.UUID | None, user_id: uuid.UUID | None, child_ids: list[uuid.UUID] | None,
                 date_from: date | None, date_to: date | None) -> Select:
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if organisation_id is not None:
        query = query.where(AuditEvent.organisation_id == organisation_id)
    if user_id is not None:
        query = query.where(AuditEvent.actor_id == user_id)
    if child_ids is not None:
        query = query.where(AuditEvent.child_id.in_(child_ids or [uuid.UUID(int=0)]))
    if date_from is not None:
        query = query.where(AuditEvent.at >= _london_day_start(date_from))
    if date_to is not None:
        query = query.where(AuditEvent.at < _london_day_start(date_to + timedelta(days=1)))
    return query


def events_page(query: Select, page: int) -> Page:
    return paginate(query, page, per_page=50)


def events_for_export(query: Select) -> list[AuditEvent]:
    return list(db.session.execute(query.limit(EXPORT_LIMIT)).scalars())


def users_for_filter(organisation_id: uuid.UUID | None) -> list[User]:
    query = select(User).order_by(User.full_name)
    if organisation_id is not None:
        query = query.where(User.organisation_id == organisation_id)
    return list(db.session.execute(query).scalars())


def child_ids_named(organisation_id: uuid.UUID, name: str) -> list[uuid.UUID]:
    query = select(Child.id).where(Child.organisation_id == organisation_id)
    for word in fold_name(name).split()[:4]:
        query = query.where((Child.first_name_key.startswith(word)) | (Child.last_name_key.startswith(word)))
    return list(db.session.execute(query.limit(500)).scalars())


def names_for(events: list[AuditEvent]) -> tuple[dict, dict]:
    user_ids = {e.actor_id for e in events if e.actor_id}
    child_ids = {e.child_id for e in events if e.child_id}
    users = {u.id: u for u in db.session.execute(select(User).where(User.id.in_(user_ids))).scalars()} if user_ids else {}
    children = {c.id: c for c in db.session.execute(select(Child).where(Child.id.in_(child_ids))).scalars()} if child_ids else {}
    return users, children
