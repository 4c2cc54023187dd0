"""Requests to a placing authority for the RHI of a child it placed with us.

A child placed here by another authority being recorded missing or found records one request per
episode, addressed to that authority and shown to them in the service at once (seed 003: the
placing authority is told of the missing episode and asked for a copy of its RHI; the found
notification is passed on with a reminder). The caller commits; audit entries are added here.
"""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from .. import audit, rules
from ..extensions import db
from ..models.base import utcnow
from ..models.episodes import MissingEpisode
from ..models.interviews import AWAITING_CONTACT, CLOSED, CONDUCTED_BY_PLACING_AUTHORITY
from ..models.placements import (
    ANSWERED_BY_REPLY,
    ANSWERED_BY_UPLOAD,
    ANSWERED_BY_US,
    CONTACT_FOUND_NOTICE,
    CONTACT_REPLY,
    CONTACT_REQUEST,
    REQUEST_ANSWERED,
    REQUEST_OPEN,
    RequestContact,
    RhiRequest,
)
from ..web import format_date, format_datetime


def _actor_id(actor):
    return getattr(actor, "id", None)


def _contact(request: RhiRequest, kind: str, method: str, actor=None, contact_name: str | None = None,
             note: str | None = None, at=None) -> RequestContact:
    contact = RequestContact(
        organisation_id=request.organisation_id,
        request_id=request.id,
        kind=kind,
        method=method,
        contacted_at=at or utcnow(),
        contacted_by_id=_actor_id(actor),
        contact_name=(contact_name or "").strip() or None,
        note=(note or "").strip() or None,
    )
    db.session.add(contact)
    request.contacts.append(contact)
    return contact


def request_for_episode(episode: MissingEpisode) -> RhiRequest | None:
    return db.session.execute(select(RhiRequest).where(RhiRequest.episode_id == episode.id)).scalar_one_or_none()


def note_episode(episode: MissingEpisode, actor=None) -> RhiRequest | None:
    """Called by the episode save. Does nothing for our own children."""
    child = episode.child
    if child is None or child.placing_authority_id is None:
        return None
    request = request_for_episode(episode)
    if request is None:
        request = RhiRequest(
            organisation_id=child.organisation_id,
            child_id=child.id,
            episode_id=episode.id,
            placing_authority_id=child.placing_authority_id,
            status=REQUEST_OPEN,
            created_by_id=_actor_id(actor),
        )
        db.session.add(request)
        _contact(request, CONTACT_REQUEST, "portal", actor)
        audit.record("rhi_request_created", actor=actor, child=child.id, episode=episode.id, rhi_request=request.id)
    if episode.found_at is not None and not any(c.kind == CONTACT_FOUND_NOTICE for c in request.contacts):
        _contact(request, CONTACT_FOUND_NOTICE, "portal", actor)
        audit.record("rhi_request_found_notice", actor=actor, child=child.id, episode=episode.id, rhi_request=request.id)
    return request


def record_contact(request: RhiRequest, kind: str, method: str, actor, contact_name: str | None, note: str | None) -> RequestContact:
    contact = _contact(request, kind, method, actor, contact_name, note)
    audit.record(f"rhi_request_{kind}", actor=actor, child=request.child_id, episode=request.episode_id,
                 rhi_request=request.id, contact=contact.id)
    return contact


def answer(request: RhiRequest, how: str, actor=None, note: str | None = None, upload=None) -> None:
    if not request.is_open:
        return
    request.status = REQUEST_ANSWERED
    request.answered_at = utcnow()
    request.answered_by_id = _actor_id(actor)
    request.answered_how = how
    request.answer_note = (note or "").strip() or None
    records = {"child": request.child_id, "episode": request.episode_id, "rhi_request": request.id}
    if upload is not None:
        records["upload"] = upload.id
    audit.record("rhi_request_answered", actor=actor, **records)
    _close_their_rhi(request, actor)


def _their_rhi(request: RhiRequest):
    """Our record of the RHI the placing authority conducts for this episode, if there is one."""
    episode = db.session.get(MissingEpisode, request.episode_id) if request.episode_id else None
    rhi = episode.return_interview if episode is not None else None
    return rhi if rhi is not None and rhi.conducted_by == CONDUCTED_BY_PLACING_AUTHORITY else None


def _close_their_rhi(request: RhiRequest, actor) -> None:
    # Their answer is the end of our part: without this, the RHI they held would sit open in our
    # lists for ever. Whether they held it in time is theirs to report, so no deadline record here.
    rhi = _their_rhi(request)
    if rhi is not None and not rhi.is_complete:
        rhi.status = CLOSED
        audit.record("rhi_closed_by_placing_authority_answer", actor=actor, child=rhi.child_id, rhi=rhi.id,
                     rhi_request=request.id)


def mark_answered(request: RhiRequest, actor, note: str | None) -> None:
    answer(request, ANSWERED_BY_US, actor, note)


def reopen(request: RhiRequest, actor) -> None:
    request.status = REQUEST_OPEN
    request.answered_at = None
    request.answered_by_id = None
    request.answered_how = None
    request.answer_note = None
    audit.record("rhi_request_reopened", actor=actor, child=request.child_id, episode=request.episode_id, rhi_request=request.id)
    rhi = _their_rhi(request)
    if rhi is not None and rhi.status == CLOSED:
        rhi.status = AWAITING_CONTACT
        audit.record("rhi_reopened", actor=actor, child=rhi.child_id, rhi=rhi.id, rhi_request=request.id)


def reply(request: RhiRequest, actor, message: str, closes: bool) -> RequestContact:
    """The placing authority's own word on a request: "interview booked for Thursday", or why no
    RHI will follow (which closes the request)."""
    contact = _contact(request, CONTACT_REPLY, "portal", actor, getattr(actor, "full_name", None), message)
    audit.record("rhi_request_reply", actor=actor, child=request.child_id, episode=request.episode_id,
                 rhi_request=request.id, contact=contact.id)
    if closes:
        answer(request, ANSWERED_BY_REPLY, actor, message)
    return contact


def answer_by_upload(request: RhiRequest, upload, actor=None) -> None:
    answer(request, ANSWERED_BY_UPLOAD, actor, upload=upload)


def due_at(request: RhiRequest, hours: int):
    return rules.placement_request_due_at(request.episode.found_at if request.episode else None, hours)


def state(request: RhiRequest, now, hours: int) -> str:
    return rules.placement_request_state(request.is_open, request.episode.found_at if request.episode else None, now, hours)


def message(request: RhiRequest, settings: dict) -> str:
    """The e-mail a coordinator can copy: enough for the placing authority to know the child and the
    episode, and nothing of what happened while they were missing."""
    child = request.child
    episode = request.episode
    org = settings["organisation"]
    hours = settings["rhi_due_hours"]
    due = due_at(request, hours)
    lines = [
        "Dear colleague,",
        "",
        "A child your authority placed with us has been reported missing. As the placing authority, "
        "you are responsible for making sure they are offered a Return Home Interview.",
        "",
        f"Child: {child.first_name} {child.last_name}, born {format_date(child.date_of_birth)}",
        f"Reported missing: {format_datetime(episode.reported_missing_at)}",
    ]
    if episode.found_at is not None:
        lines.append(f"Found: {format_datetime(episode.found_at)}")
        lines.append(f"The interview should be offered by {format_datetime(due)} ({hours} hours after they were found).")
    else:
        lines.append("They have not been found yet. We will tell you when they are.")
    lines += [
        "",
        "Please send us a copy of the Return Home Interview, or a summary of it, once it has been done. "
        "You can upload it through our service:",
        url_for("partner.request_detail", request_id=request.id, _external=True),
        "",
        f"Our reference: {str(request.id)[:8].upper()}",
        "",
        org["service_name"],
        org["name"],
        f"{org['phone']} · {org['email']}",
    ]
    return "\n".join(lines)
