from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import EncryptedText
from ..extensions import db
from .base import UTCDateTime, UUIDPrimaryKey, utcnow

LEGAL_STATUSES = {
    "looked_after": "Looked after",
    "child_protection": "Child protection plan",
    "child_in_need": "Child in need",
    "care_leaver": "Care leaver",
    "none": "None",
}
SEXES = {"female": "Female", "male": "Male", "other": "Other", "not_known": "Not known"}


def fold_name(value: str | None) -> str:
    return " ".join((value or "").casefold().split())


class Child(UUIDPrimaryKey, db.Model):
    __tablename__ = "children"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    # Folded copies kept in step by the model so searches can use an index on both databases.
    first_name_key: Mapped[str] = mapped_column(String(100), index=True)
    last_name_key: Mapped[str] = mapped_column(String(100), index=True)
    date_of_birth: Mapped[date] = mapped_column(Date, index=True)
    sex: Mapped[str] = mapped_column(String(20))
    ethnicity: Mapped[str | None] = mapped_column(String(100))
    languages: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(EncryptedText)
    legal_status: Mapped[str] = mapped_column(String(30))
    # None means the child is ours; otherwise the local authority that placed them here.
    placing_authority_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    team: Mapped[str | None] = mapped_column(String(100))
    social_worker: Mapped[str | None] = mapped_column(String(200))
    case_system_id: Mapped[str | None] = mapped_column(String(50), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    placing_authority = relationship("Organisation", foreign_keys=[placing_authority_id])
    episodes = relationship(
        "MissingEpisode", back_populates="child", order_by="MissingEpisode.reported_missing_at.desc()"
    )

    def set_names(self, first_name: str, last_name: str, preferred_name: str | None = None) -> None:
        self.first_name = first_name.strip()
        self.last_name = last_name.strip()
        self.preferred_name = (preferred_name or "").strip() or None
        self.first_name_key = fold_name(first_name)
        self.last_name_key = fold_name(last_name)

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def legal_status_label(self) -> str:
        return LEGAL_STATUSES.get(self.legal_status, self.legal_status)

    @property
    def sex_label(self) -> str:
        return SEXES.get(self.sex, self.sex)

    @property
    def is_placed_by_other_authority(self) -> bool:
        return self.placing_authority_id is not None
