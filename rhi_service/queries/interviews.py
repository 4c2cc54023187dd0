from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models.children import Child
from ..models.interviews import COMPLETE_STATUSES, CONDUCTED_BY_US, STATUSES, ContactAttempt, ReturnInterview
from ..models.organisations import COORDINATOR, INTERVIEWER, MANAGER, User
from .paging import Page, paginate


def can_see_rhi(user, rhi: ReturnInterview | None) -> bool:
    """Coordinators and managers: every RHI of their organisation. Interviewers: the ones assigned
    to them. Anyone else: none (they answer "Page not found")."""
    if rhi is None or rhi.organisation_id != user.organisation_id:
        return False
    if user.role in (COORDINATOR, MANAGER):
        return True
    return user.role == INTERVIEWER and rhi.interviewer_id == user.id


def interviewer_holds_rhi_for(user, child_id) -> bool:
    return (
        db.session.execute(
            select(ReturnInterview.id).where(
                ReturnInterview.child_id == child_id,
                ReturnInterview.interviewer_id == user.id,
                ReturnInterview.organisation_id == user.organisation_id,
            ).limit(1)
        ).first()
        is not None
    )


# The queue's sort orders; "due" is the worker's default: soonest first.
QUEUE_SORTS = {
    "due": (ReturnInterview.due_at.asc(),),
    "due_latest": (ReturnInterview.due_at.desc(),),
    "child": (Child.last_name_key, Child.first_name_key, ReturnInterview.due_at),
    "attempts": (ReturnInterview.attempt_count.desc(), ReturnInterview.due_at),
}
OPEN = "open"
COMPLETED = "completed"
UNASSIGNED = "unassigned"


def _queue_query(organisation_id: uuid.UUID, status: str | None, sort: str):
    query = (
        select(ReturnInterview)
        .join(Child, Child.id == ReturnInterview.child_id)
        .where(ReturnInterview.organisation_id == organisation_id)
        .options(selectinload(ReturnInterview.child), selectinload(ReturnInterview.interviewer))
    )
    if status == OPEN:
        query = query.where(ReturnInterview.status.not_in(COMPLETE_STATUSES))
    elif status == COMPLETED:
        query = query.where(ReturnInterview.status.in_(COMPLETE_STATUSES))
    elif status in STATUSES:
        query = query.where(ReturnInterview.status == status)
    # Completed work reads best latest first; open work soonest due first.
    default = (ReturnInterview.due_at.desc(),) if status == COMPLETED else QUEUE_SORTS["due"]
    return query.order_by(*(QUEUE_SORTS.get(sort) or default), ReturnInterview.id)


def my_queue(user, show: str, sort: str, page: int) -> Page:
    """An interviewer's own RHIs that we conduct (not those of a placing authority)."""
    query = _queue_query(user.organisation_id, COMPLETED if show == COMPLETED else OPEN, sort).where(
        ReturnInterview.interviewer_id == user.id, ReturnInterview.conducted_by == CONDUCTED_BY_US
    )
    return paginate(query, page)


def organisation_queue(organisation_id: uuid.UUID, interviewer: str | None, status: str | None, conducted_by: str,
                       sort: str, page: int, overdue_at: datetime | None = None) -> Page:
    """Every RHI of the organisation, for coordinators: `interviewer` is a user id or "unassigned";
    with `overdue_at` (now), only the open RHIs whose due time has passed by then."""
    query = _queue_query(organisation_id, status, sort).where(ReturnInterview.conducted_by == conducted_by)
    if overdue_at is not None:
        query = query.where(ReturnInterview.status.not_in(COMPLETE_STATUSES), ReturnInterview.due_at < overdue_at)
    if interviewer == UNASSIGNED:
        query = query.where(ReturnInterview.interviewer_id.is_(None))
    elif interviewer:
        try:
            query = query.where(ReturnInterview.interviewer_id == uuid.UUID(interviewer))
        except ValueError:
            query = query.where(False)
    return paginate(query, page)


def queue_counts(organisation_id: uuid.UUID) -> dict[str, int]:
    """Open RHIs we conduct: overdue-or-not is computed on read, so only totals come from here."""
    rows = db.session.execute(
        select(
            func.count(ReturnInterview.id),
            func.sum(case((ReturnInterview.interviewer_id.is_(None), 1), else_=0)),
        ).where(
            ReturnInterview.organisation_id == organisation_id,
            ReturnInterview.conducted_by == CONDUCTED_BY_US,
            ReturnInterview.status.not_in(COMPLETE_STATUSES),
        )
    ).one()
    return {"open": rows[0] or 0, "unassigned": rows[1] or 0}


def assignable_interviewers(organisation_id: uuid.UUID) -> list[User]:
    """Active staff of our organisation who may hold an RHI (small teams: coordinators too)."""
    return list(
        db.session.execute(
            select(User)
            .where(User.organisation_id == organisation_id, User.active.is_(True),
                   User.role.in_((INTERVIEWER, COORDINATOR, MANAGER)))
            .order_by(case((User.role == INTERVIEWER, 0), else_=1), User.full_name)
        ).scalars()
    )


def attempt_with_token(rhi_id: uuid.UUID, token: str) -> ContactAttempt | None:
    return db.session.execute(
        select(ContactAttempt).where(ContactAttempt.return_interview_id == rhi_id, ContactAttempt.submission_token == token)
    ).scalar_one_or_none()


def rhis_for_child(child_id: uuid.UUID) -> list[ReturnInterview]:
    return list(
        db.session.execute(
            select(ReturnInterview).where(ReturnInterview.child_id == child_id).order_by(ReturnInterview.found_at.desc())
        ).scalars()
    )
