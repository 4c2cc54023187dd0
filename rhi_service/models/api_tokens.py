"""Tokens that let another organisation's system call our API (/api/v1/...).

Only a hash of each token is kept: the token itself is shown once, to the administrator who made it.
Scopes are a list of names, so later endpoints add their own scope without a schema change.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, UUIDPrimaryKey, utcnow


class ApiToken(UUIDPrimaryKey, db.Model):
    __tablename__ = "api_tokens"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    # What the administrator called it, so it can be recognised in the list ("Case system link").
    name: Mapped[str] = mapped_column(String(100))
    # sha256 of the whole token: tokens are long and random, so a slow hash adds nothing.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters, shown in the list so an administrator can tell tokens apart.
    token_prefix: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))

    organisation = relationship("Organisation")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return self.is_active and scope in (self.scopes or [])
