"""Keeps the monthly 72-hour figures (models.coordination.ComplianceMark and ComplianceCount) in step.

An RHI we carry out counts on the London day its child was found: held in time (held by its due
time), held late (held after it, not declined) or declined. The themes page takes off, when it is
read, the RHIs whose 72 hours have not yet run (rules: due and overdue are worked out on read), by
the due time each mark keeps.

An RHI's status, found time and deadline record are written in many places (the queue, the
decline, the guided interview's submit, requests to placing authorities, the API), and the child's
details in records.py, so the counts are kept by the database session itself: every flush that
adds or changes an RHI, or changes a child's team, legal status, sex, placing authority or date of
birth, counts those RHIs again in the same transaction (their old marks are taken off the counts
and the new ones added). Writes that bypass the session's objects must call `refresh`
themselves; deleting a child's record calls `forget_child`; bulk loads call `rebuild`.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.orm import Session

from . import kept_counts
from .database import lock_all_counts
from .models.children import Child
from .models.coordination import ComplianceCount, ComplianceMark
from .models.interviews import CONDUCTED_BY_US, DECLINED, ReturnInterview

KEY = ("organisation_id", "dimension", "value", "day")
MEASURES = ("rhis", "held_in_time", "held_late", "declined")
CHILD_FIELDS = ("team", "legal_status", "sex", "placing_authority_id", "date_of_birth")
PENDING = "compliance_counts_pending"


def _marks_of(rows) -> list[dict]:
    marks = []
    for rhi_id, org, child_id, found_at, due_at, conducted_by, status, held_by_due, *child in rows:
        if conducted_by != CONDUCTED_BY_US or found_at is None:
            continue
        day = kept_counts.london_day(found_at)
        team, legal_status, sex, placing_authority_id, date_of_birth = child
        dims = kept_counts.child_dimensions(_Child(team, legal_status, sex, placing_authority_id, date_of_birth), day)
        marks.append(dict(rhi_id=rhi_id, organisation_id=org, child_id=child_id, day=day, due_at=due_at,
                          held_in_time=held_by_due is True, held_late=held_by_due is False and status != DECLINED,
                          declined=status == DECLINED, **dims))
    return marks


class _Child:
    def __init__(self, team, legal_status, sex, placing_authority_id, date_of_birth):
        self.team, self.legal_status, self.sex = team, legal_status, sex
        self.placing_authority_id, self.date_of_birth = placing_authority_id, date_of_birth


def _rows():
    return (select(ReturnInterview.id, ReturnInterview.organisation_id, ReturnInterview.child_id, ReturnInterview.found_at,
                   ReturnInterview.due_at, ReturnInterview.conducted_by, ReturnInterview.status, ReturnInterview.held_by_due,
                   *(getattr(Child, f) for f in CHILD_FIELDS))
            .join(Child, Child.id == ReturnInterview.child_id))


def _count(marks, sign: int, into: Counter) -> Counter:
    return kept_counts.count(marks, sign, lambda m: [(m["organisation_id"], m["day"])],
                             ("*", "held_in_time", "held_late", "declined"), into)


def _replace(connection, old_where, marks: list[dict]) -> None:
    columns = ("organisation_id", "day", "held_in_time", "held_late", "declined", *kept_counts.DIMENSIONS)
    old = [dict(zip(columns, r)) for r in connection.execute(
        select(*(getattr(ComplianceMark, c) for c in columns)).where(old_where))]
    deltas = _count(old, -1, Counter())
    connection.execute(delete(ComplianceMark).where(old_where))
    for at in range(0, len(marks), kept_counts.BATCH):
        connection.execute(insert(ComplianceMark), marks[at:at + kept_counts.BATCH])
    kept_counts.apply(connection.execute, connection.dialect.name, ComplianceCount.__table__, KEY, MEASURES,
                      _count(marks, 1, deltas))


def refresh(session, rhi_ids: Iterable = (), child_ids: Iterable = ()) -> None:
    """Count these RHIs, and every RHI of these children, again. Runs on the session's connection,
    so it may be called while the session flushes."""
    rhi_ids, child_ids = set(rhi_ids), set(child_ids)
    if not rhi_ids and not child_ids:
        return
    connection = session.connection()
    # the RHIs' rows are held first, in order, so two writers never count one RHI at once
    locked = set()
    for ids, column in ((list(rhi_ids), ReturnInterview.id), (list(child_ids), ReturnInterview.child_id)):
        for at in range(0, len(ids), 1000):
            locked.update(connection.execute(select(ReturnInterview.id).where(column.in_(ids[at:at + 1000]))
                                             .order_by(ReturnInterview.id).with_for_update()).scalars())
    rows = []
    ordered = sorted(locked)
    for at in range(0, len(ordered), 1000):
        rows += connection.execute(_rows().where(ReturnInterview.id.in_(ordered[at:at + 1000]))).all()
    found = {r[0] for r in rows}
    ids = list(rhi_ids | found)
    marks = {m["rhi_id"]: m for m in _marks_of(rows)}
    for at in range(0, len(ids), 1000):
        chunk = ids[at:at + 1000]
        _replace(connection, ComplianceMark.rhi_id.in_(chunk), [marks[i] for i in chunk if i in marks])


def forget_child(session, child_id, organisation_id) -> None:
    """Before the child's record is deleted: take their RHIs off the figures."""
    session.flush()
    lock_all_counts(session, organisation_id)
    _replace(session.connection(), ComplianceMark.child_id == child_id, [])


def rebuild(session, organisation_id) -> int:
    """Count every RHI of an organisation again from scratch."""
    lock_all_counts(session, organisation_id)
    connection = session.connection()
    connection.execute(delete(ComplianceMark).where(ComplianceMark.organisation_id == organisation_id))
    connection.execute(delete(ComplianceCount).where(ComplianceCount.organisation_id == organisation_id))
    marks = _marks_of(connection.execute(_rows().where(ReturnInterview.organisation_id == organisation_id)).all())
    _replace(connection, ComplianceMark.organisation_id == organisation_id, marks)
    return len(marks)


# --- Kept by the session ----------------------------------------------------------------------------

def _changed(obj, fields) -> bool:
    state = inspect(obj)
    return any(state.attrs[f].history.has_changes() for f in fields)


def _before_flush(session, flush_context, instances) -> None:
    rhis, children = session.info.setdefault(PENDING, (set(), set()))
    for obj in session.new:
        if isinstance(obj, ReturnInterview):
            rhis.add(obj.id)
    for obj in session.dirty:
        if isinstance(obj, ReturnInterview) and session.is_modified(obj, include_collections=False):
            rhis.add(obj.id)
        elif isinstance(obj, Child) and _changed(obj, CHILD_FIELDS):
            children.add(obj.id)
    gone = [obj.id for obj in session.deleted if isinstance(obj, ReturnInterview)]
    if gone:
        # the marks go first: they point at the RHI
        _replace(session.connection(), ComplianceMark.rhi_id.in_(gone), [])
        rhis.difference_update(gone)


def _after_flush(session, flush_context) -> None:
    rhis, children = session.info.pop(PENDING, (set(), set()))
    refresh(session, rhis, children)


def _after_soft_rollback(session, previous_transaction) -> None:
    session.info.pop(PENDING, None)


def keep_counts() -> None:
    """Listen to every session's flushes (called by create_app; listening twice is harmless)."""
    for name, listener in (("before_flush", _before_flush), ("after_flush", _after_flush),
                           ("after_soft_rollback", _after_soft_rollback)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
