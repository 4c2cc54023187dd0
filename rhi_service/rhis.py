"""What happens to a child's RHIs when they are found, and when an RHI closes.

Called by the episode save (records.py), the demo data and the interview's submit, so the decision
(rules.py) is applied the same way everywhere. The caller commits; audit entries are added here.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from . import audit, rules
from .extensions import db
from .models.base import utcnow
from .models.episodes import MissingEpisode
from .models.interviews import DECLINED, ReturnInterview
from .settings import get as get_settings


def _settings(settings: dict | None) -> dict:
    return settings if settings is not None else get_settings()


def place_found_episode(episode: MissingEpisode, settings: dict | None = None, actor=None) -> ReturnInterview | None:
    """Give a found episode its RHI, or bring its RHI's clock in step after a correction.

    An episode already in an RHI keeps it: correcting the found time recomputes the due time from
    the latest found time of the RHI's episodes.
    """
    if episode.found_at is None:
        return None
    settings = _settings(settings)
    hours = settings["rhi_due_hours"]
    if episode.return_interview is not None:
        rhi = episode.return_interview
        latest = rules.latest_found_at(e.found_at for e in rhi.episodes)
        if latest != rhi.found_at:
            rhi.found_at = latest
            rhi.due_at = rules.due_at(latest, hours)
            if rhi.held_at is not None:
                rhi.held_by_due = rules.held_by_due(rhi.held_at, rhi.due_at)
            _found_time_changed(rhi)
            audit.record("rhi_due_changed", actor=actor, child=rhi.child_id, episode=episode.id, rhi=rhi.id)
        return rhi
    child = episode.child
    existing = db.session.execute(select(ReturnInterview).where(ReturnInterview.child_id == child.id)).scalars().all()
    decision = rules.rhi_for_found_episode(
        existing,
        episode.found_at,
        placing_authority_name=child.placing_authority.name if child.placing_authority else None,
        conduct_for_authorities=settings["conduct_rhis_for_authorities"],
        hours=hours,
    )
    if decision.is_new:
        rhi = ReturnInterview(
            organisation_id=child.organisation_id,
            child_id=child.id,
            found_at=decision.found_at,
            due_at=decision.due_at,
            conducted_by=decision.conducted_by,
            status="awaiting_contact",
            attempt_count=0,
        )
        db.session.add(rhi)
        episode.return_interview = rhi
        audit.record("rhi_created", actor=actor, child=child.id, episode=episode.id, rhi=rhi.id)
        return rhi
    rhi = decision.join
    moved = rhi.found_at != decision.found_at
    rhi.found_at = decision.found_at
    rhi.due_at = decision.due_at
    episode.return_interview = rhi
    if moved:
        _found_time_changed(rhi)
    audit.record("rhi_episode_joined", actor=actor, child=child.id, episode=episode.id, rhi=rhi.id)
    return rhi


def _found_time_changed(rhi: ReturnInterview) -> None:
    """The themes count an RHI on the day it was found: move it, in the same transaction."""
    from . import theme_counts

    theme_counts.refresh_units(rhi.organisation_id, {rhi.id})


def record_deadline(rhi: ReturnInterview, held_at: datetime | None, late_reason: str | None = None, detail: str | None = None) -> None:
    """The deadline record every closed RHI keeps: held by its due time or not, and why not.

    For the interview's submit: call it with the time the interview was held, after checking the
    reason with rules.late_reason_errors (forms.interviews.LateReasonForm does both parts on a page).
    """
    rhi.held_at = held_at
    if held_at is None:
        rhi.held_by_due = False
    else:
        rhi.held_by_due = rules.held_by_due(held_at, rhi.due_at)
    if rhi.held_by_due:
        rhi.late_reason = None
        rhi.late_reason_detail = None
    else:
        rhi.late_reason = late_reason
        rhi.late_reason_detail = (detail or "").strip() or None


def decline(rhi: ReturnInterview, grounds: str, reason: str, actor=None) -> None:
    now = utcnow()
    rhi.status = DECLINED
    rhi.declined_at = now
    rhi.decline_grounds = grounds
    rhi.decline_reason = reason.strip()
    record_deadline(rhi, None, rules.DECLINED_LATE_REASON)
    audit.record("rhi_declined", actor=actor, child=rhi.child_id, rhi=rhi.id)


def reopen(rhi: ReturnInterview, actor=None) -> None:
    """A declined RHI opens again when the child comes back to us. The decline itself stays in the
    audit log; the record shows the RHI as open again."""
    rhi.status = "contact_attempted" if rhi.attempt_count else "awaiting_contact"
    rhi.declined_at = None
    rhi.decline_grounds = None
    rhi.decline_reason = None
    rhi.held_at = None
    rhi.held_by_due = None
    rhi.late_reason = None
    rhi.late_reason_detail = None
    audit.record("rhi_reopened", actor=actor, child=rhi.child_id, rhi=rhi.id)
