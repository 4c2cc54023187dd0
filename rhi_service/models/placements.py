"""Children placed with us by another local authority: the requests we send that authority for the
RHI it must carry out, each contact about a request, and the RHIs that come back (seed 003 "Children
placed ... by another Local Authority"; seed 004 §3.2.4).

A request belongs to one missing episode. Its due time is not stored: it is 72 elapsed hours after
the episode's found time, computed when read (rules.placement_request_due_at).
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..crypto import EncryptedText
from ..extensions import db
from .base import UTCDateTime, UUIDPrimaryKey, utcnow

REQUEST_OPEN = "open"
REQUEST_ANSWERED = "answered"
REQUEST_STATUSES = {REQUEST_OPEN: "Waiting for their RHI", REQUEST_ANSWERED: "Answered"}

# How an answered request was answered.
ANSWERED_BY_UPLOAD = "upload"
ANSWERED_BY_REPLY = "reply"
ANSWERED_BY_US = "marked"

# Each contact about a request: our first request, passing on the found notification, a chase, or
# the placing authority's own reply.
CONTACT_REQUEST = "request"
CONTACT_FOUND_NOTICE = "found_notice"
CONTACT_REMINDER = "reminder"
CONTACT_REPLY = "reply"
CONTACT_KINDS = {
    CONTACT_REQUEST: "Request sent",
    CONTACT_FOUND_NOTICE: "Found notification passed on",
    CONTACT_REMINDER: "Reminder",
    CONTACT_REPLY: "Reply from the placing authority",
}
CONTACT_METHODS = {"email": "Email", "phone": "Phone call", "portal": "Through this service", "letter": "Letter"}

# How an RHI reached us.
VIA_PORTAL = "portal"
VIA_EMAIL = "email"
VIA_API = "api"
# Typed by the placing authority into our own interview's questions: answers, no file.
VIA_FORM = "form"
RECEIVED_VIA = {VIA_PORTAL: "Uploaded by the placing authority", VIA_EMAIL: "Sent by email, uploaded by us",
                VIA_API: "Sent from their case system", VIA_FORM: "Our interview form"}

TEXT_FOUND = "text"
NO_TEXT = "no_text"
TEXT_STATUSES = {TEXT_FOUND: "Text read", NO_TEXT: "No text found: needs reading by a person"}


class RhiRequest(UUIDPrimaryKey, db.Model):
    __tablename__ = "rhi_requests"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    # One request per episode: a later save of the same episode adds contacts, never a second request.
    episode_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("missing_episodes.id"), unique=True)
    placing_authority_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=REQUEST_OPEN, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    answered_how: Mapped[str | None] = mapped_column(String(20))
    answer_note: Mapped[str | None] = mapped_column(EncryptedText)

    child = relationship("Child")
    episode = relationship("MissingEpisode")
    placing_authority = relationship("Organisation", foreign_keys=[placing_authority_id])
    answered_by = relationship("User", foreign_keys=[answered_by_id])
    contacts = relationship("RequestContact", back_populates="request", order_by="RequestContact.contacted_at")

    @property
    def is_open(self) -> bool:
        return self.status == REQUEST_OPEN

    @property
    def status_label(self) -> str:
        return REQUEST_STATUSES.get(self.status, self.status)

    @property
    def reminders(self) -> list:
        return [c for c in self.contacts if c.kind == CONTACT_REMINDER]


class RequestContact(UUIDPrimaryKey, db.Model):
    """Who contacted whom about a request, when and how."""

    __tablename__ = "rhi_request_contacts"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rhi_requests.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(20))
    contacted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    contacted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # The person at the placing authority, as the coordinator knows them (a name or a team mailbox).
    contact_name: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(EncryptedText)

    request = relationship("RhiRequest", back_populates="contacts")
    contacted_by = relationship("User", foreign_keys=[contacted_by_id])

    @property
    def kind_label(self) -> str:
        return CONTACT_KINDS.get(self.kind, self.kind)

    @property
    def method_label(self) -> str:
        return CONTACT_METHODS.get(self.method, self.method)


class Upload(UUIDPrimaryKey, db.Model):
    """An RHI received from a placing authority: a checked file, or one sent by their case system.

    Files live under instance/uploads/ by a generated name; the name they came with is kept as data.
    An upload without a child is in the coordinator's inbox until someone matches it.
    """

    __tablename__ = "uploads"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    from_organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    received_via: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    api_token_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("api_tokens.id"))
    child_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("children.id"), index=True)
    episode_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("missing_episodes.id"), index=True)
    request_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rhi_requests.id"), index=True)
    # The child as the sender named them, kept for matching when we could not find them.
    named_first_name: Mapped[str | None] = mapped_column(String(100))
    named_last_name: Mapped[str | None] = mapped_column(String(100))
    named_date_of_birth: Mapped[date | None] = mapped_column(Date)
    matched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    matched_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    # Their own reference, so a system that sends the same RHI twice files it once.
    external_reference: Mapped[str | None] = mapped_column(String(100), index=True)
    interview_held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    interviewer_name: Mapped[str | None] = mapped_column(String(200))
    original_name: Mapped[str | None] = mapped_column(EncryptedText)
    stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str | None] = mapped_column(String(64))
    page_count: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(EncryptedText)
    text_status: Mapped[str] = mapped_column(String(20), default=TEXT_FOUND)
    # Category codes stay plain so they can be counted; the matched words are the child's, encrypted.
    tag_labels: Mapped[list | None] = mapped_column(JSON)
    tag_detail: Mapped[str | None] = mapped_column(EncryptedText)
    tagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    child = relationship("Child")
    episode = relationship("MissingEpisode")
    request = relationship("RhiRequest")
    from_organisation = relationship("Organisation", foreign_keys=[from_organisation_id])
    uploaded_by = relationship("User", foreign_keys=[uploaded_by_id])

    @property
    def stored_path(self):
        """The file on disk, so retention can delete it with the row."""
        if not self.stored_name:
            return None
        from ..placements.storage import path_of

        return path_of(self.stored_name)

    @property
    def needs_matching(self) -> bool:
        return self.child_id is None

    @property
    def needs_reading(self) -> bool:
        return self.text_status == NO_TEXT

    @property
    def received_via_label(self) -> str:
        return RECEIVED_VIA.get(self.received_via, self.received_via)

    @property
    def text_status_label(self) -> str:
        return TEXT_STATUSES.get(self.text_status, self.text_status)

    @property
    def named_child(self) -> str:
        return " ".join(p for p in (self.named_first_name, self.named_last_name) if p) or "Not given"
