"""Filing an RHI received from a placing authority: a checked file, or the text their system sent.

Every path ends in `_file`, which writes the row, its audit entry and the file together: if any part
fails, the file is removed and the transaction rolled back, so a refused or failed upload leaves
nothing behind. Unlike most services here it commits, because the file on disk and the row must
land as one.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models.base import utcnow
from ..models.children import Child
from ..models.episodes import MissingEpisode
from ..models.placements import NO_TEXT, TEXT_FOUND, REQUEST_OPEN, RhiRequest, Upload
from . import files, requests, storage, tagging


@dataclass
class Sender:
    """Who sent the RHI and how: a placing authority's user, our coordinator, or a system's token."""

    via: str
    organisation_id: object | None
    user: object | None = None
    api_token: object | None = None


def latest_episode(child: Child) -> MissingEpisode | None:
    """The episode a received RHI most likely covers: the latest one found, else the latest."""
    episodes = list(child.episodes)
    found = [e for e in episodes if e.found_at is not None]
    if found:
        return max(found, key=lambda e: e.found_at)
    return episodes[0] if episodes else None


def _link(upload: Upload, child: Child | None, episode: MissingEpisode | None, request: RhiRequest | None, actor) -> None:
    if request is not None:
        child, episode = request.child, request.episode
    if child is not None and episode is None:
        episode = latest_episode(child)
    upload.child_id = child.id if child else None
    upload.episode_id = episode.id if episode else None
    if request is None and episode is not None:
        request = requests.request_for_episode(episode)
    if request is not None:
        upload.request_id = request.id
        if request.status == REQUEST_OPEN:
            requests.answer_by_upload(request, upload, actor)
    # Once we know whose it is, its tags and entities join our own RHIs' for the coordinator.
    tagging.store_with_child(upload)


def _file(upload: Upload, data: bytes | None, child, episode, request, audit_action: str) -> Upload:
    stored = None
    try:
        if data is not None:
            stored = storage.new_name()
            upload.stored_name = stored
        db.session.add(upload)
        _link(upload, child, episode, request, upload.uploaded_by)
        if data is not None:
            storage.write(stored, data)
        records = {"upload": upload.id}
        if upload.child_id:
            records["child"] = upload.child_id
        if upload.episode_id:
            records["episode"] = upload.episode_id
        if upload.request_id:
            records["rhi_request"] = upload.request_id
        if upload.api_token_id:
            records["api_token"] = upload.api_token_id
        audit.record(audit_action, **records)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if stored is not None:
            storage.remove(stored)
        raise
    return upload


def _apply_tags(upload: Upload, text: str | None) -> None:
    tags = tagging.tag(text or "")
    if tags is not None:
        upload.tag_labels = tags.labels
        upload.tag_detail = tags.detail
        upload.tagged_at = utcnow()


def receive_file(data: bytes, original_name: str | None, sender: Sender, *, organisation_id, child: Child | None = None,
                 episode: MissingEpisode | None = None, request: RhiRequest | None = None, named: dict | None = None,
                 interview_held_at=None) -> Upload:
    """Check, read, tag and file one file. Raises files.FileRefused, with nothing stored."""
    checked, extracted = files.read(data)
    upload = Upload(
        organisation_id=organisation_id,
        from_organisation_id=sender.organisation_id,
        received_via=sender.via,
        received_at=utcnow(),
        uploaded_by_id=getattr(sender.user, "id", None),
        api_token_id=getattr(sender.api_token, "id", None),
        original_name=(original_name or "").strip()[:255] or None,
        content_type=checked.content_type,
        size_bytes=checked.size,
        sha256=checked.sha256,
        page_count=extracted.page_count,
        text=extracted.text or None,
        text_status=TEXT_FOUND if extracted.has_text else NO_TEXT,
        interview_held_at=interview_held_at,
        **_named(named),
    )
    upload.uploaded_by = sender.user
    _apply_tags(upload, extracted.text if extracted.has_text else None)
    return _file(upload, checked.data, child, episode, request, "upload_received")


def receive_text(text: str, sender: Sender, *, organisation_id, child: Child | None = None, episode: MissingEpisode | None = None,
                 request: RhiRequest | None = None, named: dict | None = None, interview_held_at=None,
                 interviewer_name: str | None = None, external_reference: str | None = None) -> Upload:
    """An RHI sent by another system as data (POST /api/v1/rhis): no file to keep."""
    from .extract_worker import clean

    cleaned = clean(text)
    upload = Upload(
        organisation_id=organisation_id,
        from_organisation_id=sender.organisation_id,
        received_via=sender.via,
        received_at=utcnow(),
        uploaded_by_id=getattr(sender.user, "id", None),
        api_token_id=getattr(sender.api_token, "id", None),
        content_type="application/json",
        size_bytes=len(text.encode("utf-8")),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        text=cleaned or None,
        text_status=TEXT_FOUND if sum(ch.isalnum() for ch in cleaned) >= 10 else NO_TEXT,
        interview_held_at=interview_held_at,
        interviewer_name=(interviewer_name or "").strip() or None,
        external_reference=external_reference,
        **_named(named),
    )
    upload.uploaded_by = sender.user
    _apply_tags(upload, cleaned)
    return _file(upload, None, child, episode, request, "upload_received")


def receive_form(text: str, sender: Sender, *, organisation_id, child: Child, episode: MissingEpisode | None = None,
                 request: RhiRequest | None = None, interview_held_at=None) -> Upload:
    """A placing authority's answers to our own interview's questions, as text: no file to keep."""
    data = text.encode("utf-8")
    upload = Upload(
        organisation_id=organisation_id,
        from_organisation_id=sender.organisation_id,
        received_via=sender.via,
        received_at=utcnow(),
        uploaded_by_id=getattr(sender.user, "id", None),
        content_type="text/plain",
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        text=text or None,
        text_status=TEXT_FOUND if text.strip() else NO_TEXT,
        interview_held_at=interview_held_at,
    )
    upload.uploaded_by = sender.user
    _apply_tags(upload, text)
    return _file(upload, None, child, episode, request, "partner_form_received")


def _named(named: dict | None) -> dict:
    named = named or {}
    return {
        "named_first_name": (named.get("first_name") or "").strip()[:100] or None,
        "named_last_name": (named.get("last_name") or "").strip()[:100] or None,
        "named_date_of_birth": named.get("date_of_birth"),
    }


def match(upload: Upload, child: Child, episode: MissingEpisode | None, actor) -> None:
    """File an inbox upload with the child a coordinator recognised. The caller commits."""
    upload.matched_at = utcnow()
    upload.matched_by_id = actor.id
    _link(upload, child, episode, None, actor)
    audit.record("upload_matched", actor=actor, upload=upload.id, child=child.id,
                 **({"episode": upload.episode_id} if upload.episode_id else {}))


def find_existing(from_organisation_id, external_reference: str) -> Upload | None:
    return db.session.execute(
        select(Upload).where(Upload.from_organisation_id == from_organisation_id, Upload.external_reference == external_reference)
    ).scalars().first()
