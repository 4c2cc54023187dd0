"""The manager's sign-off list and the addenda shown with a submitted interview."""
from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models.forms import Addendum
from ..models.interviews import SUBMITTED, ReturnInterview
from .paging import Page, paginate


def awaiting_sign_off(organisation_id, page: int = 1) -> Page:
    query = (
        select(ReturnInterview)
        .where(
            ReturnInterview.organisation_id == organisation_id,
            ReturnInterview.status == SUBMITTED,
            ReturnInterview.signed_off_at.is_(None),
        )
        .order_by(ReturnInterview.submitted_at, ReturnInterview.id)
    )
    return paginate(query, page)


def addenda(rhi) -> list[Addendum]:
    return list(
        db.session.execute(
            select(Addendum).where(Addendum.return_interview_id == rhi.id).order_by(Addendum.written_at, Addendum.id)
        ).scalars()
    )
