"""Keeps the counts of what the tagging engine found in step with the tags and decisions: the themes
(models.coordination.ThemeMark and ThemeCount) and the review queue (Mention.review_state,
ReviewMark and ReviewCount).

An RHI (or a received RHI with no RHI of ours: a "unit") counts once for each category and each
indicator code it shows on one London day: its found time, or when a received RHI was tagged. A
code is shown while at least one asserted mention of it has not been dismissed; it is confirmed when
one of those was confirmed or added by a coordinator. The unit's theme marks (one row per category
and code) record what it added to the counts, per day and per month, under the child's team, legal
status, sex, placing authority and age band at the time (kept_counts.py). Its review marks record how many of its
asserted mentions wait for review, are confirmed or dismissed, by category; each mention keeps its
own state too, so the queue pages along an index.

Every write that changes what a unit shows calls `refresh_units` in its own transaction: storing
tags (analysis_store.retag_sources), a coordinator's decision (analysis_store.decide, which adding a
tag goes through), a change of an RHI's found time (rhis.place_found_episode) and of the child's
details (records.edit_child, `refresh_child`); deleting a child's record calls `forget_child` first.
A refresh takes the unit's old marks off the counts, works the marks out again from the mentions and
decisions, and adds them, so it is right however the unit had changed. `rebuild` recomputes an
organisation from scratch (bulk loads, `flask recount`).
"""
from __future__ import annotations

import uuid
from collections import Counter
from typing import Iterable

from sqlalchemy import and_, bindparam, delete, insert, or_, select, update

from . import kept_counts
from .database import lock_all_counts, lock_counts
from .extensions import db
from .models.analysis import CONFIRMED, DISMISSED, MACHINE, SOURCE_UPLOAD, WAITING, Mention, TagDecision
from .models.children import Child
from .models.coordination import ReviewCount, ReviewMark, ThemeCount, ThemeMark
from .models.interviews import ReturnInterview

THEME_KEY = ("organisation_id", "dimension", "value", "grain", "day", "category", "code")
DAY, MONTH = "d", "m"
THEME_MEASURES = ("rhis", "confirmed")
REVIEW_KEY = ("organisation_id", "category", "state")


def review_state(origin: str, decision: str | None) -> str:
    """Where the review queue lists a mention."""
    if decision == DISMISSED:
        return DISMISSED
    if decision == CONFIRMED or origin != MACHINE:
        return CONFIRMED
    return WAITING


def _mention_columns():
    decided = and_(TagDecision.source_kind == Mention.source_kind, TagDecision.source_id == Mention.source_id,
                   TagDecision.source_key == Mention.source_key, TagDecision.code == Mention.code,
                   TagDecision.text_hash == Mention.text_hash)
    return (select(Mention.id, Mention.organisation_id, Mention.child_id, Mention.rhi_id, Mention.source_id, Mention.category,
                   Mention.code, Mention.origin, Mention.tagged_at, Mention.review_state, TagDecision.decision)
            .outerjoin(TagDecision, decided).where(Mention.context == "asserted"))


def _of_units(ids: list):
    """The mentions of these RHIs, and of received RHIs that have no RHI of ours."""
    return or_(Mention.rhi_id.in_(ids),
               and_(Mention.source_kind == SOURCE_UPLOAD, Mention.source_id.in_(ids), Mention.rhi_id.is_(None)))


def _mentions_of_units(units: set) -> list:
    ids = list(units)
    rows = []
    for at in range(0, len(ids), 1000):
        rows += db.session.execute(_mention_columns().where(_of_units(ids[at:at + 1000]))).all()
    return rows


class Worked:
    """What the mention rows of whole units add up to."""

    def __init__(self, rows):
        self.theme_marks: list[dict] = []
        self.review_marks: list[dict] = []
        # (mention id, state) where the stored state is out of step
        self.states: list[tuple] = []
        units: dict = {}
        reviewed: Counter = Counter()
        for mention_id, org, child_id, rhi_id, source_id, category, code, origin, tagged_at, stored, decision in rows:
            unit_id = rhi_id or source_id
            state = review_state(origin, decision)
            if state != stored:
                self.states.append((mention_id, state))
            reviewed[(unit_id, category, state, org, child_id)] += 1
            if state == DISMISSED:
                continue
            unit = units.setdefault(unit_id, {"org": org, "child": child_id, "rhi": rhi_id, "at": tagged_at, "shown": {}})
            if rhi_id is None and tagged_at < unit["at"]:
                unit["at"] = tagged_at
            for key in ((category, ""), (category, code)):
                unit["shown"][key] = unit["shown"].get(key, False) or state == CONFIRMED
        self.review_marks = [dict(unit_id=u, category=c, state=s, organisation_id=o, child_id=k, mentions=n)
                             for (u, c, s, o, k), n in reviewed.items()]
        if units:
            self._theme_marks(units)

    def _theme_marks(self, units: dict) -> None:
        children, found = {}, {}
        child_ids = list({u["child"] for u in units.values()})
        rhi_ids = list({u["rhi"] for u in units.values() if u["rhi"] is not None})
        for at in range(0, len(child_ids), 1000):
            children.update((c.id, c) for c in db.session.execute(select(
                Child.id, Child.team, Child.legal_status, Child.sex, Child.placing_authority_id, Child.date_of_birth)
                .where(Child.id.in_(child_ids[at:at + 1000]))))
        for at in range(0, len(rhi_ids), 1000):
            found.update(db.session.execute(select(ReturnInterview.id, ReturnInterview.found_at)
                                            .where(ReturnInterview.id.in_(rhi_ids[at:at + 1000]))).all())
        for unit_id, unit in units.items():
            child = children.get(unit["child"])
            at = found.get(unit["rhi"]) if unit["rhi"] is not None else unit["at"]
            if child is None or at is None:
                continue
            day = kept_counts.london_day(at)
            dims = kept_counts.child_dimensions(child, day)
            for (category, code), confirmed in unit["shown"].items():
                self.theme_marks.append(dict(id=uuid.uuid4(), organisation_id=unit["org"], child_id=unit["child"],
                                             rhi_id=unit["rhi"], unit_id=unit_id, day=day, category=category, code=code,
                                             confirmed=confirmed, **dims))


def _theme_keys(m) -> list[tuple]:
    # counted on its day, and again on its month (grain "m", day the first of the month)
    return [(m["organisation_id"], DAY, m["day"], m["category"], m["code"]),
            (m["organisation_id"], MONTH, m["day"].replace(day=1), m["category"], m["code"])]


def _theme_deltas(marks, sign: int, into: Counter) -> Counter:
    return kept_counts.count(marks, sign, _theme_keys, ("*", "confirmed"), into)


def _review_deltas(marks, sign: int, into: Counter) -> Counter:
    for m in marks:
        into[((m["organisation_id"], m["category"], m["state"]), 0)] += sign * m["mentions"]
    return into


def _insert(model, rows) -> None:
    for at in range(0, len(rows), kept_counts.BATCH):
        db.session.execute(insert(model), rows[at:at + kept_counts.BATCH])


def _replace(theme_where, review_where, worked: Worked) -> None:
    """Take the old marks off the counts, and add the new ones."""
    columns = ("organisation_id", "day", "category", "code", "confirmed", *kept_counts.DIMENSIONS)
    old = [dict(zip(columns, r)) for r in db.session.execute(select(*(getattr(ThemeMark, c) for c in columns)).where(theme_where))]
    themes = _theme_deltas(old, -1, Counter())
    old_review = [dict(zip(REVIEW_KEY + ("mentions",), r)) for r in db.session.execute(
        select(ReviewMark.organisation_id, ReviewMark.category, ReviewMark.state, ReviewMark.mentions).where(review_where))]
    reviews = _review_deltas(old_review, -1, Counter())
    for model, where in ((ThemeMark, theme_where), (ReviewMark, review_where)):
        db.session.execute(delete(model).where(where), execution_options={"synchronize_session": False})
    _insert(ThemeMark, worked.theme_marks)
    _insert(ReviewMark, worked.review_marks)
    dialect = db.session.get_bind().dialect.name
    kept_counts.apply(db.session.execute, dialect, ThemeCount.__table__, THEME_KEY, THEME_MEASURES,
                      _theme_deltas(worked.theme_marks, 1, themes))
    kept_counts.apply(db.session.execute, dialect, ReviewCount.__table__, REVIEW_KEY, ("mentions",),
                      _review_deltas(worked.review_marks, 1, reviews))
    if worked.states:
        table = Mention.__table__
        statement = update(table).where(table.c.id == bindparam("mention_id")).values(review_state=bindparam("state"))
        params = [{"mention_id": m, "state": s} for m, s in worked.states]
        for at in range(0, len(params), kept_counts.BATCH):
            db.session.connection().execute(statement, params[at:at + kept_counts.BATCH])
        # records of those mentions already loaded read the new state
        changed = {m for m, _ in worked.states}
        for key, obj in list(db.session.identity_map.items()):
            if key[0] is Mention and key[1][0] in changed:
                db.session.expire(obj, ["review_state"])


def units_of_sources(kind: str, source_ids: Iterable[uuid.UUID]) -> set:
    """The units whose mentions come from these source texts."""
    ids = list(source_ids)
    if not ids:
        return set()
    out = set()
    for at in range(0, len(ids), 1000):
        for rhi_id, source_id in db.session.execute(select(Mention.rhi_id, Mention.source_id).distinct().where(
                Mention.source_kind == kind, Mention.source_id.in_(ids[at:at + 1000]))):
            out.add(rhi_id or source_id)
    return out


def refresh_units(organisation_id, units: Iterable[uuid.UUID]) -> None:
    """Count these RHIs (and received RHIs) again. The caller commits."""
    units = {u for u in units if u is not None}
    if not units:
        return
    db.session.flush()
    ids = sorted(units)
    for at in range(0, len(ids), 1000):
        chunk = set(ids[at:at + 1000])
        if not _found_or_marked(chunk):
            continue  # nothing found and nothing counted (a text with no signs in it): nothing to hold
        lock_counts(db.session, organisation_id, *(("unit", u) for u in chunk))
        # read under the lock: another writer may have changed these units while this waited
        _replace(ThemeMark.unit_id.in_(chunk), ReviewMark.unit_id.in_(chunk), Worked(_mentions_of_units(chunk)))


def _found_or_marked(units: set) -> bool:
    """Whether any unit has an asserted mention or a mark: asked before the lock, so only whether,
    never the rows (those are read once, under the lock)."""
    found = select(Mention.id).where(Mention.context == "asserted", _of_units(list(units))).limit(1)
    marked = select(ReviewMark.unit_id).where(ReviewMark.unit_id.in_(units)).limit(1)
    return db.session.execute(found).first() is not None or db.session.execute(marked).first() is not None


def refresh_child(child) -> None:
    """After the child's team, legal status, sex, placing authority or date of birth changed."""
    db.session.flush()
    units = set(db.session.execute(select(ThemeMark.unit_id).distinct().where(ThemeMark.child_id == child.id)).scalars())
    refresh_units(child.organisation_id, units)


def forget_child(child_id, organisation_id) -> None:
    """Before the child's record is deleted: take what their RHIs added off the counts."""
    db.session.flush()
    lock_all_counts(db.session, organisation_id)
    _replace(ThemeMark.child_id == child_id, ReviewMark.child_id == child_id, Worked([]))


def rebuild(organisation_id) -> int:
    """Recompute an organisation's marks and counts (and each mention's review state) from its
    mentions and decisions."""
    lock_all_counts(db.session, organisation_id)
    for model in (ThemeMark, ThemeCount, ReviewMark, ReviewCount):
        db.session.execute(delete(model).where(model.organisation_id == organisation_id))
    worked = Worked(db.session.execute(_mention_columns().where(Mention.organisation_id == organisation_id)).all())
    _replace(ThemeMark.organisation_id == organisation_id, ReviewMark.organisation_id == organisation_id, worked)
    return len(worked.theme_marks)
