"""Intelligence summaries for the police: drafted by a coordinator, approved by a manager, read by
the force they were sent to.

A summary is never a copy of the interview. It holds short statements, each traceable to the
passage it came from (the source answer, the mention or entity, and the offsets), so a coordinator
can check every line, while the police only ever see the statement's own words. The child's account
stays with us.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import EncryptedText
from ..extensions import db
from .base import UTCDateTime, UUIDPrimaryKey, utcnow

DRAFT = "draft"
SENT = "sent"
STATUSES = {DRAFT: "Awaiting approval", SENT: "Sent"}

# What a summary is about: one RHI, or a person, place, phone... named across several children.
ABOUT_RHI = "rhi"
ABOUT_ENTITY = "entity"

# The kinds of statement police asked for (who, where, when, vehicles, phones, handles, what happened).
STATEMENT_KINDS = {
    "who": "Who",
    "where": "Where",
    "when": "When",
    "vehicle": "Vehicle",
    "phone": "Phone",
    "handle": "Online handle",
    "what": "What happened",
}
KIND_FOR_LABEL = {"PERSON": "who", "LOCATION": "where", "POSTCODE": "where", "VEHICLE": "vehicle",
                  "PHONE": "phone", "SOCIAL": "handle"}


class IntelligenceSummary(UUIDPrimaryKey, db.Model):
    __tablename__ = "intelligence_summaries"
    __table_args__ = (Index("ix_intelligence_summaries_force_sent", "force_id", "sent_at"),)

    # The local authority whose coordinator wrote it.
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    about: Mapped[str] = mapped_column(String(10))
    rhi_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("return_interviews.id"), index=True)
    # For a summary about a person or place: the entity's label and normalised form (plain, as on
    # the entity itself, so it can be found again).
    entity_label: Mapped[str | None] = mapped_column(String(20))
    entity_normalized: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(EncryptedText)
    episode_date: Mapped[date | None] = mapped_column(Date)
    episode_place: Mapped[str | None] = mapped_column(EncryptedText)
    # National Intelligence Model 3x5x2 (rules.grading_errors).
    source_evaluation: Mapped[str | None] = mapped_column(String(1))
    intelligence_evaluation: Mapped[str | None] = mapped_column(String(1))
    handling_code: Mapped[str | None] = mapped_column(String(1))
    handling_conditions: Mapped[str | None] = mapped_column(EncryptedText)
    force_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=DRAFT, index=True)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # The force's own reference (an intelligence log number): theirs, so plain.
    police_reference: Mapped[str | None] = mapped_column(String(60))

    force = relationship("Organisation", foreign_keys=[force_id])
    organisation = relationship("Organisation", foreign_keys=[organisation_id])
    rhi = relationship("ReturnInterview", foreign_keys=[rhi_id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    acknowledged_by = relationship("User", foreign_keys=[acknowledged_by_id])
    statements: Mapped[list[IntelligenceStatement]] = relationship(
        back_populates="summary", order_by="IntelligenceStatement.position", cascade="all, delete-orphan")
    sources: Mapped[list[IntelligenceSource]] = relationship(back_populates="summary", cascade="all, delete-orphan")

    @property
    def status_label(self) -> str:
        if self.status == SENT:
            return "Acknowledged" if self.acknowledged_at else "Sent"
        return STATUSES.get(self.status, self.status)

    @property
    def included(self) -> list[IntelligenceStatement]:
        return [s for s in self.statements if s.included]

    @property
    def reference(self) -> str:
        # Short enough to read out on the phone; the full id stays in the URL.
        return f"INT-{str(self.id)[:8].upper()}"


class IntelligenceSource(UUIDPrimaryKey, db.Model):
    """An RHI the summary draws on, with the child it belongs to: what the RHI and child pages show
    as shared, and what retention finds."""

    __tablename__ = "intelligence_sources"

    summary_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("intelligence_summaries.id"), index=True)
    rhi_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("return_interviews.id"), index=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)

    summary = relationship("IntelligenceSummary", back_populates="sources")
    rhi = relationship("ReturnInterview")


class IntelligenceStatement(UUIDPrimaryKey, db.Model):
    __tablename__ = "intelligence_statements"

    summary_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("intelligence_summaries.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(12))
    # The words police read: a description or the entity as written, never the passage around it
    # unless the coordinator types it in.
    text: Mapped[str] = mapped_column(EncryptedText)
    # Suggested statements start excluded: the coordinator includes each one on purpose.
    included: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where it came from. Empty for a statement the coordinator wrote.
    rhi_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("return_interviews.id"), index=True)
    source_kind: Mapped[str | None] = mapped_column(String(10))
    source_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    source_key: Mapped[str | None] = mapped_column(String(200))
    mention_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    entity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    # Plain, as on the entity: what the police search runs on.
    entity_label: Mapped[str | None] = mapped_column(String(20))
    entity_normalized: Mapped[str | None] = mapped_column(String(200), index=True)

    summary = relationship("IntelligenceSummary", back_populates="statements")

    @property
    def kind_label(self) -> str:
        return STATEMENT_KINDS.get(self.kind, self.kind)
