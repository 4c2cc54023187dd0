"""What the tagging engine found in a piece of free text, and what a coordinator decided about it.

Rows are kept per source text: a free-text answer of an RHI ("answer", the Answer row's id, and the
question code, with the item id for "add another" lists) or, later, an upload from a placing
authority ("upload"). Each row also carries the RHI, child and organisation it belongs to, so the
coordinator's view can count by category, code, child and date without joining through answers.

Re-tagging replaces the machine's rows for a source. Decisions live in their own table, keyed by
what was found (source, code and a hash of the words) rather than by a mention row's id, so a
confirmation or dismissal survives any number of re-tags.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import EncryptedText
from ..extensions import db
from .base import UTCDateTime, UUIDPrimaryKey, utcnow

SOURCE_ANSWER = "answer"
SOURCE_UPLOAD = "upload"
MACHINE = "machine"
COORDINATOR = "coordinator"
CONFIRMED = "confirmed"
DISMISSED = "dismissed"
WAITING = "waiting"


class _OfSource:
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    rhi_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("return_interviews.id"), index=True)
    source_kind: Mapped[str] = mapped_column(String(10))
    # no foreign key: the source is an answer or an upload, two tables
    source_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    source_key: Mapped[str] = mapped_column(String(200), default="")
    tagged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Tag(_OfSource, UUIDPrimaryKey, db.Model):
    """A category (CSE, CCE, TRAFFICKING) the rules gave one source text."""

    __tablename__ = "analysis_tags"
    __table_args__ = (Index("ix_analysis_tags_source", "source_kind", "source_id"),)

    category: Mapped[str] = mapped_column(String(20), index=True)
    origin: Mapped[str] = mapped_column(String(12), default=MACHINE)


class Mention(_OfSource, UUIDPrimaryKey, db.Model):
    """One indicator mention: the evidence behind a tag, with its context."""

    __tablename__ = "analysis_mentions"
    __table_args__ = (Index("ix_analysis_mentions_source", "source_kind", "source_id"),)

    code: Mapped[str] = mapped_column(String(60), index=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    context: Mapped[str] = mapped_column(String(20))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    # the child's own words
    text: Mapped[str] = mapped_column(EncryptedText)
    # lets a decision find this mention again after a re-tag without decrypting anything
    text_hash: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(12), default=MACHINE)
    # where the review queue lists it: waiting, confirmed or dismissed (the decision, or a
    # coordinator's own tag), kept in step with the decisions by theme_counts.refresh_units
    review_state: Mapped[str] = mapped_column(String(12), default=WAITING, server_default=WAITING)


class Entity(_OfSource, UUIDPrimaryKey, db.Model):
    """A person, place, phone, vehicle, handle or postcode named in a source text."""

    __tablename__ = "analysis_entities"
    __table_args__ = (Index("ix_analysis_entities_source", "source_kind", "source_id"),)

    label: Mapped[str] = mapped_column(String(20), index=True)
    text: Mapped[str] = mapped_column(EncryptedText)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    # plain on purpose (ARCHITECTURE): grouping and search run on it
    normalized: Mapped[str] = mapped_column(String(200), index=True)
    origin: Mapped[str] = mapped_column(String(12), default=MACHINE)


class TagDecision(UUIDPrimaryKey, db.Model):
    """A coordinator's confirmation or dismissal of a mention, kept across re-tagging."""

    __tablename__ = "analysis_decisions"
    __table_args__ = (UniqueConstraint("source_kind", "source_id", "source_key", "code", "text_hash",
                                       name="uq_analysis_decisions_mention"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    rhi_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("return_interviews.id"), index=True)
    source_kind: Mapped[str] = mapped_column(String(10))
    source_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    source_key: Mapped[str] = mapped_column(String(200), default="")
    code: Mapped[str] = mapped_column(String(60))
    text_hash: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(EncryptedText)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decided_by = relationship("User", foreign_keys=[decided_by_id])
