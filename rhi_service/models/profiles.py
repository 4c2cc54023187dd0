"""What the risk assessment record and the child's missing profile keep beyond their answers.

The answers themselves are ordinary form-engine rows (forms.py). A saved version freezes every answer
as it read at that moment, so an earlier risk assessment can be shown and compared after the live
answers have moved on (seed 004 Appendix 3: "stored as its own version"). The photo is the one thing
that is not an answer: a file, kept outside the web root.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import EncryptedText
from ..extensions import db
from .base import UTCDateTime, UUIDPrimaryKey, utcnow


class FormVersion(UUIDPrimaryKey, db.Model):
    __tablename__ = "form_versions"
    __table_args__ = (UniqueConstraint("form_code", "subject_id", "number", name="uq_form_versions_number"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    form_code: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    number: Mapped[int] = mapped_column(Integer)
    # JSON of {question code: {"label": ..., "lines": [...]}}: the words as they were shown, so a
    # later change to the definition cannot change what an old version says. Holds free text.
    answers: Mapped[str] = mapped_column(EncryptedText)
    saved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    saved_by = relationship("User", foreign_keys=[saved_by_id])


class ChildPhoto(UUIDPrimaryKey, db.Model):
    """The child's current photo for the missing profile; replacing it deletes the old file."""

    __tablename__ = "child_photos"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True, unique=True)
    stored_name: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by = relationship("User", foreign_keys=[uploaded_by_id])

    @property
    def stored_path(self):
        """The file on disk, so retention deletes it with the row."""
        from ..profiles.photos import path_of

        return str(path_of(self.stored_name)) if self.stored_name else None
