from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class AuditEvent(db.Model):
    """Who did what to which records, when and from where. Ids and action names only."""

    __tablename__ = "audit_events"

    # A sequence, not a UUID: the order of entries is part of what the log proves.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    action: Mapped[str] = mapped_column(String(80), index=True)
    # {"child": "<uuid>", "episode": "<uuid>", ...}
    record_ids: Mapped[dict] = mapped_column(JSON, default=dict)
    child_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(db.Model):
    """The newest hash and the count of entries, kept beside the log so that deleting the latest
    entries (which leaves a shorter but valid chain) is detected too. One row; locked while a
    transaction appends, which is only at its very end."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0, nullable=False)
    hash: Mapped[str | None] = mapped_column(String(64))
