from __future__ import annotations

import uuid
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import EncryptedText
from ..extensions import db
from .base import UTCDateTime, UUIDPrimaryKey, utcnow

LOCAL_AUTHORITY = "local_authority"
POLICE_FORCE = "police_force"
ORGANISATION_KINDS = {LOCAL_AUTHORITY: "Local authority", POLICE_FORCE: "Police force"}

INTERVIEWER = "interviewer"
COORDINATOR = "coordinator"
MANAGER = "manager"
POLICE = "police"
PLACING_AUTHORITY = "placing_authority"
ADMIN = "admin"
ROLES = {
    INTERVIEWER: "RHI worker",
    COORDINATOR: "Missing and exploitation coordinator",
    MANAGER: "Manager",
    POLICE: "Police",
    PLACING_AUTHORITY: "Placing authority",
    ADMIN: "Administrator",
}
# Which kind of organisation each role belongs to: a police user in a council would be a mistake.
ROLE_ORGANISATION_KIND = {
    INTERVIEWER: LOCAL_AUTHORITY,
    COORDINATOR: LOCAL_AUTHORITY,
    MANAGER: LOCAL_AUTHORITY,
    ADMIN: LOCAL_AUTHORITY,
    PLACING_AUTHORITY: LOCAL_AUTHORITY,
    POLICE: POLICE_FORCE,
}
STAFF_ROLES = (INTERVIEWER, COORDINATOR, MANAGER)
# Everyone but interviewers must use a second factor; interviewers may choose to.
SECOND_FACTOR_ROLES = (COORDINATOR, MANAGER, POLICE, PLACING_AUTHORITY, ADMIN)


class Organisation(UUIDPrimaryKey, db.Model):
    __tablename__ = "organisations"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    # Our own local authority: the one whose children, RHIs and staff this service holds.
    is_home: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="organisation")

    @property
    def kind_label(self) -> str:
        return ORGANISATION_KINDS.get(self.kind, self.kind)


class User(UUIDPrimaryKey, UserMixin, db.Model):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(120), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(30))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped when the account is disabled or its password changes: every existing session then fails
    # its check on the next request.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Second factor: the TOTP secret (encrypted), when it was confirmed, and hashes of the unused
    # one-time recovery codes.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText)
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recovery_code_hashes: Mapped[list | None] = mapped_column(JSON)

    organisation: Mapped[Organisation] = relationship(back_populates="users")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return bool(self.active)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def second_factor_required(self) -> bool:
        return self.role in SECOND_FACTOR_ROLES

    @property
    def has_second_factor(self) -> bool:
        return bool(self.totp_secret and self.totp_confirmed_at)
