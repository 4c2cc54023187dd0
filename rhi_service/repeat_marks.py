"""Keeps each child's three latest missing reports (models.coordination.RepeatMark) in step with
their episodes, so the repeat-missing list reads "the k-th latest report is within d days" along an
index for each window of up to three episodes (the defaults: 3 in 90 days, 3 in 30, 2 in 365).

Episodes are recorded and corrected through the session's records (records.py, the API, the
demo), so the marks are kept by the session itself: every flush that adds, moves or deletes an
episode works out the marks of its child again, in the same transaction. Deleting a child's record
deletes their mark with it (it points at the child); bulk loads call `rebuild`.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.orm import Session

from .database import lock_all_counts
from .models.children import Child
from .models.coordination import RepeatMark
from .models.episodes import MissingEpisode

KEPT = 3
PENDING = "repeat_marks_pending"


def _marks(rows) -> list[dict]:
    times: dict = {}
    for child_id, organisation_id, reported in rows:
        times.setdefault((child_id, organisation_id), []).append(reported)
    marks = []
    for (child_id, organisation_id), reported in times.items():
        latest = sorted(reported, reverse=True)[:KEPT] + [None] * KEPT
        marks.append(dict(child_id=child_id, organisation_id=organisation_id, latest_at=latest[0], second_at=latest[1],
                          third_at=latest[2]))
    return marks


def _episodes():
    return select(MissingEpisode.child_id, MissingEpisode.organisation_id, MissingEpisode.reported_missing_at)


def refresh(session, child_ids: Iterable) -> None:
    """Work out these children's marks again. Runs on the session's connection, so it may be
    called while the session flushes."""
    ids = sorted({c for c in child_ids if c is not None})
    connection = session.connection()
    for at in range(0, len(ids), 1000):
        chunk = ids[at:at + 1000]
        # the children's rows are held, in order, so two writers never rework one child's mark at once
        connection.execute(select(Child.id).where(Child.id.in_(chunk)).order_by(Child.id).with_for_update())
        marks = _marks(connection.execute(_episodes().where(MissingEpisode.child_id.in_(chunk))))
        connection.execute(delete(RepeatMark).where(RepeatMark.child_id.in_(chunk)))
        if marks:
            connection.execute(insert(RepeatMark), marks)


def rebuild(session, organisation_id) -> int:
    lock_all_counts(session, organisation_id)
    connection = session.connection()
    connection.execute(delete(RepeatMark).where(RepeatMark.organisation_id == organisation_id))
    marks = _marks(connection.execute(_episodes().where(MissingEpisode.organisation_id == organisation_id)))
    for at in range(0, len(marks), 5000):
        connection.execute(insert(RepeatMark), marks[at:at + 5000])
    return len(marks)


# --- Kept by the session ----------------------------------------------------------------------------

def _before_flush(session, flush_context, instances) -> None:
    children = session.info.setdefault(PENDING, set())
    for obj in session.new:
        if isinstance(obj, MissingEpisode):
            children.add(obj.child_id)
    for obj in session.dirty:
        if isinstance(obj, MissingEpisode):
            state = inspect(obj)
            for name in ("reported_missing_at", "child_id"):
                history = state.attrs[name].history
                if history.has_changes():
                    children.add(obj.child_id)
                    # an episode moved to another child changes the first child's mark too
                    children.update(v for v in history.deleted or () if name == "child_id")
    for obj in session.deleted:
        if isinstance(obj, MissingEpisode):
            children.add(obj.child_id)


def _after_flush(session, flush_context) -> None:
    children = session.info.pop(PENDING, set())
    if children:
        refresh(session, children)


def _after_soft_rollback(session, previous_transaction) -> None:
    session.info.pop(PENDING, None)


def keep_marks() -> None:
    """Listen to every session's flushes (called by create_app; listening twice is harmless)."""
    for name, listener in (("before_flush", _before_flush), ("after_flush", _after_flush),
                           ("after_soft_rollback", _after_soft_rollback)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
