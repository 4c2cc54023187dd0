from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import EncryptedText
from ..extensions import db
from .base import UTCDateTime, UUIDPrimaryKey, utcnow

MISSING_FROM = {"home": "Home", "care": "Care", "placement": "Placement", "school": "School"}
RISK_GRADES = {"high": "High", "medium": "Medium", "low": "Low", "absent": "Absent"}
SAFE_AND_WELL = {"yes": "Done", "no": "Not done", "not_known": "Not known"}


class MissingEpisode(UUIDPrimaryKey, db.Model):
    __tablename__ = "missing_episodes"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    reported_missing_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    missing_from: Mapped[str] = mapped_column(String(20))
    police_reference: Mapped[str | None] = mapped_column(String(50))
    police_risk_grade: Mapped[str | None] = mapped_column(String(20))
    found_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    found_where: Mapped[str | None] = mapped_column(EncryptedText)
    found_by: Mapped[str | None] = mapped_column(String(200))
    found_report_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The police Safe and Well Check is not an RHI; it is recorded so nobody mistakes one for the other.
    safe_and_well_check: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # The RHI this episode belongs to: episodes found while an RHI is still open join it.
    return_interview_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("return_interviews.id"), index=True)

    child = relationship("Child", back_populates="episodes")
    return_interview = relationship("ReturnInterview", back_populates="episodes")

    @property
    def is_missing_now(self) -> bool:
        return self.found_at is None

    @property
    def missing_from_label(self) -> str:
        return MISSING_FROM.get(self.missing_from, self.missing_from)

    @property
    def risk_grade_label(self) -> str:
        return RISK_GRADES.get(self.police_risk_grade or "", "Not given")

    @property
    def safe_and_well_label(self) -> str:
        return SAFE_AND_WELL.get(self.safe_and_well_check or "", "Not recorded")
