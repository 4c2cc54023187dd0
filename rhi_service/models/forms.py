"""What people record through the form engine: one answer per question, a version per section,
the child's consent per purpose, and addenda written after submission.

Answers are keyed by form and subject (the RHI for the interview; later the episode for the risk
assessment record and the child for the profile), so a new form needs no new table.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import EncryptedText
from ..extensions import db
from .base import UTCDateTime, UUIDPrimaryKey, utcnow

# Why a question to the child has no answer: recorded as an answer, never left as a blank.
DECLINED = "declined"
NOT_ASKED = "not_asked"
NO_ANSWER = {DECLINED: "Declined to answer", NOT_ASKED: "Not asked"}

SECTION_IN_PROGRESS = "in_progress"
SECTION_COMPLETED = "completed"


class Answer(UUIDPrimaryKey, db.Model):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("form_code", "subject_id", "question_code", name="uq_answers_question"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    form_code: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    section_code: Mapped[str] = mapped_column(String(80))
    question_code: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))
    # Free text (and lists, whose items hold free text) is encrypted; choices and dates stay plain
    # so that they can be counted and grouped.
    text_value: Mapped[str | None] = mapped_column(EncryptedText)
    json_value: Mapped[object | None] = mapped_column(JSON)
    # "declined" or "not_asked" when the child gave no answer; empty when there is a value.
    no_answer: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class SectionState(UUIDPrimaryKey, db.Model):
    """A section's version and status. Each save of the section moves its version on, so that two
    people working on the same interview only collide when they change the same section."""

    __tablename__ = "section_states"
    __table_args__ = (UniqueConstraint("form_code", "subject_id", "section_code", name="uq_section_states_section"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    form_code: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    section_code: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default=SECTION_IN_PROGRESS)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    updated_by = relationship("User", foreign_keys=[updated_by_id])


class Consent(UUIDPrimaryKey, db.Model):
    """The child's answer for one purpose (the interview itself, or a purpose of sharing)."""

    __tablename__ = "consents"
    __table_args__ = (UniqueConstraint("return_interview_id", "purpose", name="uq_consents_purpose"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    return_interview_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("return_interviews.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(30))
    given: Mapped[bool] = mapped_column(Boolean)
    # Where the child refused: why sharing is still needed to keep them safe. Without it, nothing
    # is shared for that purpose.
    safeguarding_rationale: Mapped[str | None] = mapped_column(EncryptedText)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by = relationship("User", foreign_keys=[recorded_by_id])


class Addendum(UUIDPrimaryKey, db.Model):
    """A correction or addition after submission: the submitted answers are never edited."""

    __tablename__ = "addenda"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    return_interview_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("return_interviews.id"), index=True)
    text: Mapped[str] = mapped_column(EncryptedText)
    written_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    written_by = relationship("User", foreign_keys=[written_by_id])
