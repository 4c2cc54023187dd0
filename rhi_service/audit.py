"""The only way anything reaches the audit log.

Entries hold ids and action names, never a child's name or words, so that retention can delete a
child's record without breaking the log. Each entry carries the hash of the one before, so that a
changed or removed entry shows.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select

from .extensions import db
from .models.audit import AuditEvent, AuditHead
from .models.base import utcnow


HEAD_ID = 1


def _digest(prev_hash: str | None, at: datetime, actor_id, action: str, record_ids: dict, remote_addr) -> str:
    payload = json.dumps(
        {
            "prev": prev_hash,
            "at": at.isoformat(),
            "actor": str(actor_id) if actor_id else None,
            "action": action,
            "records": record_ids,
            "addr": remote_addr,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _ids(records: dict) -> dict:
    clean = {}
    for name, value in records.items():
        if value is None:
            raise ValueError(f"audit record '{name}' has no id")
        if isinstance(value, (list, tuple, set)):
            clean[name] = sorted(str(uuid.UUID(str(v))) for v in value)
        else:
            # Only ids: anything that is not a UUID is refused, so no words can slip into the log.
            clean[name] = str(uuid.UUID(str(getattr(value, "id", value))))
    return clean


def record(action: str, actor=None, **records) -> AuditEvent:
    """Add an audit entry to the current transaction; the caller commits.

    Pending changes are flushed first so that the audit row is the transaction's last statement.
    """
    if actor is None and has_request_context() and current_user and current_user.is_authenticated:
        actor = current_user
    db.session.flush()
    record_ids = _ids(records)
    at = utcnow()
    remote_addr = request.remote_addr if has_request_context() else None
    # The head row is locked from here to the commit, which follows at once: concurrent writers
    # queue only for this last moment, and the chain cannot fork.
    head = db.session.execute(
        select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
    prev_hash = head.hash
    actor_id = getattr(actor, "id", None)
    event = AuditEvent(
        at=at,
        actor_id=actor_id,
        organisation_id=getattr(actor, "organisation_id", None),
        action=action,
        record_ids=record_ids,
        child_id=uuid.UUID(record_ids["child"]) if isinstance(record_ids.get("child"), str) else None,
        remote_addr=remote_addr,
        prev_hash=prev_hash,
        hash=_digest(prev_hash, at, actor_id, action, record_ids, remote_addr),
    )
    db.session.add(event)
    head.count += 1
    head.hash = event.hash
    return event


def verify() -> tuple[bool, int, str]:
    """Walk the chain and compare its end with the head; return (ok, entries checked, message)."""
    prev = None
    count = 0
    for event in db.session.execute(select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=1000)).scalars():
        expected = _digest(prev, event.at, event.actor_id, event.action, event.record_ids, event.remote_addr)
        if event.prev_hash != prev:
            return False, count, f"entry {event.id} does not follow the one before it: an entry was removed or changed"
        if event.hash != expected:
            return False, count, f"entry {event.id} was changed after it was written"
        prev = event.hash
        count += 1
    head = db.session.get(AuditHead, HEAD_ID)
    if head is None or head.count != count or head.hash != prev:
        expected_count = head.count if head else 0
        return False, count, f"the log ends early: {count} entries found, {expected_count} were written"
    return True, count, f"{count} entries, chain intact"
