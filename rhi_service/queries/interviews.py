from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models.interviews import ReturnInterview
from ..models.organisations import COORDINATOR, INTERVIEWER, MANAGER


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
