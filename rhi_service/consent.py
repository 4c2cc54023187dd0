"""The child's consent, per purpose, and the one question every share must ask: may we share this?

Consent rows are written from the interview's consent section (the questions that carry a
`consent_purpose` in its definition); every check reads the rows, never an answer by its question
code, so renaming a question cannot quietly open or close a share.
"""
from __future__ import annotations

from sqlalchemy import select

from .extensions import db
from .models.base import utcnow
from .models.forms import Consent

INTERVIEW = "interview"
PURPOSES = {
    "police": "Police intelligence",
    "social_worker": "The allocated social worker",
    "school": "School",
    "health": "Health",
    "youth_offending": "Youth offending service",
}


def consents(rhi) -> dict[str, Consent]:
    rows = db.session.execute(select(Consent).where(Consent.return_interview_id == rhi.id)).scalars()
    return {row.purpose: row for row in rows}


def may_share(rhi, purpose: str) -> bool:
    """Given, or refused with a recorded safeguarding rationale. No record means no."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose of sharing: {purpose}")
    row = db.session.execute(
        select(Consent).where(Consent.return_interview_id == rhi.id, Consent.purpose == purpose)
    ).scalar_one_or_none()
    if row is None:
        return False
    return row.given or bool((row.safeguarding_rationale or "").strip())


def shared_without_consent(rhi, purpose: str) -> str | None:
    """The safeguarding rationale, when a share goes ahead although the child refused."""
    row = consents(rhi).get(purpose)
    if row is None or row.given:
        return None
    return (row.safeguarding_rationale or "").strip() or None


def record(rhi, purpose: str, given: bool | None, rationale: str | None, user) -> bool:
    """Bring the row for one purpose in line with what was recorded; True when it changed."""
    rows = consents(rhi)
    row = rows.get(purpose)
    # A rationale only means something where the child refused.
    rationale = ((rationale or "").strip() or None) if given is False else None
    if given is None:
        if row is not None:
            db.session.delete(row)
            return True
        return False
    if row is None:
        row = Consent(organisation_id=rhi.organisation_id, return_interview_id=rhi.id, purpose=purpose, given=given)
        db.session.add(row)
    elif row.given == given and row.safeguarding_rationale == rationale:
        return False
    row.given = given
    row.safeguarding_rationale = rationale
    row.recorded_by_id = getattr(user, "id", None)
    row.recorded_at = utcnow()
    return True
