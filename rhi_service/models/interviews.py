from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import EncryptedText
from ..extensions import db
from .base import UTCDateTime, UUIDPrimaryKey, utcnow

# Statuses a worker sees. Submitted, declined and closed RHIs are complete: a new episode after one of
# those gets a new RHI; before, it joins the open one.
AWAITING_CONTACT = "awaiting_contact"
CONTACT_ATTEMPTED = "contact_attempted"
INTERVIEW_ARRANGED = "interview_arranged"
IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"
DECLINED = "declined"
CLOSED = "closed"
STATUSES = {
    AWAITING_CONTACT: "Awaiting contact",
    CONTACT_ATTEMPTED: "Contact attempted",
    INTERVIEW_ARRANGED: "Interview arranged",
    IN_PROGRESS: "In progress",
    SUBMITTED: "Submitted",
    DECLINED: "Declined",
    CLOSED: "Closed",
}
COMPLETE_STATUSES = (SUBMITTED, DECLINED, CLOSED)

# Who conducts it: us, or the authority that placed the child here (seed 003).
CONDUCTED_BY_US = "us"
CONDUCTED_BY_PLACING_AUTHORITY = "placing_authority"


class ReturnInterview(UUIDPrimaryKey, db.Model):
    __tablename__ = "return_interviews"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    interviewer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(30), default=AWAITING_CONTACT, index=True)
    conducted_by: Mapped[str] = mapped_column(String(30), default=CONDUCTED_BY_US)
    # The latest found time of its episodes, and 72 elapsed hours after it.
    found_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    attempt_count: Mapped[int] = mapped_column(Integer, default=0)
    # The interview as arranged with the child: when, where, and whom they chose to talk to.
    arranged_for: Mapped[datetime | None] = mapped_column(UTCDateTime)
    arranged_place: Mapped[str | None] = mapped_column(EncryptedText)
    arranged_notes: Mapped[str | None] = mapped_column(EncryptedText)
    # Whom the child chose to talk to (their choice, seed 000 §5.2.1).
    arranged_with: Mapped[str | None] = mapped_column(EncryptedText)
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The deadline record kept on every closed RHI.
    held_by_due: Mapped[bool | None] = mapped_column(Boolean)
    late_reason: Mapped[str | None] = mapped_column(String(40))
    late_reason_detail: Mapped[str | None] = mapped_column(EncryptedText)
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str | None] = mapped_column(EncryptedText)
    # no_contact, refused_by_child or refused_by_parent_carer (rules.may_decline).
    decline_grounds: Mapped[str | None] = mapped_column(String(30))
    # Seed 004 §12.9: what a parent or carer can tell us when the child does not engage.
    parent_carer_information: Mapped[str | None] = mapped_column(EncryptedText)
    parent_carer_information_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_off_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    child = relationship("Child")
    interviewer = relationship("User", foreign_keys=[interviewer_id])
    episodes = relationship("MissingEpisode", back_populates="return_interview", order_by="MissingEpisode.reported_missing_at")
    attempts = relationship("ContactAttempt", back_populates="return_interview", order_by="ContactAttempt.attempted_at")

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def is_complete(self) -> bool:
        return self.status in COMPLETE_STATUSES


class ContactAttempt(UUIDPrimaryKey, db.Model):
    __tablename__ = "contact_attempts"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    return_interview_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("return_interviews.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    with_whom: Mapped[str] = mapped_column(String(30))
    outcome: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(EncryptedText)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The one-time token of the form that logged it: a double-submitted form logs one attempt.
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    return_interview = relationship("ReturnInterview", back_populates="attempts")
