"""Keeps the people-and-places counts (models.coordination) in step with the entity rows.

Called in the same transaction as every write that changes them: storing a text's tags
(analysis_store.retag_sources), names typed into a profile (profiles.linking), a merge, a split and
deleting a child's record. `rebuild` recomputes an organisation's groups from scratch, for bulk
loads and `flask recount`. Each recount also works out again the peer links the group makes
(peer_links.py), in the same transaction.
"""
from __future__ import annotations

import uuid
from typing import Iterable

from sqlalchemy import and_, delete, distinct, func, select, update

from . import peer_links
from .database import lock_all_counts, lock_counts
from .extensions import db
from .models.analysis import Entity
from .models.base import utcnow
from .models.coordination import EntityGroup, EntityMerge, PeerGroup, PeerLink
from .models.episodes import MissingEpisode
from .models.interviews import ReturnInterview

# What the coordinator's people-and-places list holds (postcodes are places too, but a district
# alone would link half a town; a full postcode is kept under LOCATION by the engine when written
# as part of an address).
LABELS = ("PERSON", "LOCATION", "PHONE", "VEHICLE", "SOCIAL")

Form = tuple  # (organisation_id, label, normalized)


def placed_forms_of_sources(kind: str, source_ids: Iterable[uuid.UUID]) -> set[tuple]:
    """Each form these texts hold with the RHI it is held under (None for a received document)."""
    ids = list(source_ids)
    if not ids:
        return set()
    rows = db.session.execute(select(Entity.organisation_id, Entity.label, Entity.normalized, Entity.rhi_id).distinct().where(
        Entity.source_kind == kind, Entity.source_id.in_(ids), Entity.label.in_(LABELS)))
    return {tuple(r) for r in rows}


def moved_forms(before: set[tuple], after: set[tuple]) -> set[Form]:
    """The forms whose counts a rewrite of some texts can have moved. A form still held under the same
    RHI counts the same child, RHI and episodes, and its last-seen time is the RHI's found time, so it
    is left alone; one held outside an RHI is dated by when it was tagged, so it is always counted."""
    return {form[:3] for form in before ^ after} | {form[:3] for form in before | after if form[3] is None}


def forms_of_child(child_id) -> set[Form]:
    rows = db.session.execute(select(Entity.organisation_id, Entity.label, Entity.normalized).distinct().where(
        Entity.child_id == child_id, Entity.label.in_(LABELS)))
    return {tuple(r) for r in rows}


def forget(forms: Iterable[Form]) -> None:
    """After a child's record is deleted: merges of names no record holds any more go, and the
    groups are recounted (a group nobody names is deleted with its name)."""
    forms = set(forms)
    for organisation_id, label, normalized in forms:
        left = db.session.execute(select(Entity.id).where(
            Entity.organisation_id == organisation_id, Entity.label == label, Entity.normalized == normalized).limit(1)).first()
        if left is None:
            db.session.execute(delete(EntityMerge).where(
                EntityMerge.organisation_id == organisation_id, EntityMerge.label == label, EntityMerge.normalized == normalized))
    db.session.flush()
    refresh(forms)


def canonical_of(organisation_id, label: str, normalized: str) -> str:
    found = db.session.execute(select(EntityMerge.canonical).where(
        EntityMerge.organisation_id == organisation_id, EntityMerge.label == label,
        EntityMerge.normalized == normalized)).scalar_one_or_none()
    return found or normalized


def _canonical_forms(organisation_id, forms: set) -> set:
    """(label, canonical form) of each (label, normalised form), in one query."""
    merged = {}
    for label in {label for label, _ in forms}:
        names = [n for lab, n in forms if lab == label]
        for at in range(0, len(names), 1000):
            merged.update(((label, n), c) for n, c in db.session.execute(select(EntityMerge.normalized, EntityMerge.canonical).where(
                EntityMerge.organisation_id == organisation_id, EntityMerge.label == label,
                EntityMerge.normalized.in_(names[at:at + 1000]))))
    return {(label, merged.get((label, n), n)) for label, n in forms}


def aliases_of(organisation_id, label: str, canonical: str) -> list[str]:
    merged = db.session.execute(select(EntityMerge.normalized).where(
        EntityMerge.organisation_id == organisation_id, EntityMerge.label == label,
        EntityMerge.canonical == canonical)).scalars().all()
    return [canonical, *merged]


def _rows_of(organisation_id, label: str, forms: list[str]):
    return and_(Entity.organisation_id == organisation_id, Entity.label == label, Entity.normalized.in_(forms))


def refresh(forms: Iterable[Form]) -> None:
    """Recount the groups these forms belong to (and their peer links), each held while recounted."""
    by_org: dict = {}
    for organisation_id, label, normalized in forms:
        if label in LABELS:
            by_org.setdefault(organisation_id, set()).add((label, normalized))
    if not by_org:
        return
    db.session.flush()
    changes = peer_links.Changes()
    for organisation_id in sorted(by_org, key=str):
        wanted = by_org[organisation_id]
        groups = _canonical_forms(organisation_id, wanted)
        lock_counts(db.session, organisation_id, *(("form", *g) for g in groups))
        # a merge or split may have moved a form while this waited
        moved = _canonical_forms(organisation_id, wanted) - groups
        if moved:
            lock_counts(db.session, organisation_id, *(("form", *g) for g in moved))
        for label, canonical in sorted(groups | moved):
            _recount(organisation_id, label, canonical, changes)
    changes.apply()


def _recount(organisation_id, label: str, canonical: str, changes: peer_links.Changes) -> None:
    where = _rows_of(organisation_id, label, aliases_of(organisation_id, label, canonical))
    children, sources, last_seen = db.session.execute(
        select(func.count(distinct(Entity.child_id)), func.count(distinct(func.coalesce(Entity.rhi_id, Entity.source_id))),
               func.max(func.coalesce(ReturnInterview.found_at, Entity.tagged_at)))
        .select_from(Entity).outerjoin(ReturnInterview, ReturnInterview.id == Entity.rhi_id).where(where)).one()
    group = db.session.execute(select(EntityGroup).where(
        EntityGroup.organisation_id == organisation_id, EntityGroup.label == label,
        EntityGroup.normalized == canonical)).scalar_one_or_none()
    if not children:
        if group is not None:
            changes.dropped(group)
            db.session.delete(group)
        return
    episodes = db.session.execute(
        select(func.count(distinct(MissingEpisode.id))).select_from(Entity)
        .join(MissingEpisode, MissingEpisode.return_interview_id == Entity.rhi_id).where(where)).scalar_one()
    if group is None:
        group = EntityGroup(organisation_id=organisation_id, label=label, normalized=canonical)
        db.session.add(group)
    group.children_count, group.episodes_count, group.sources_count = children, episodes, sources
    group.last_seen_at = last_seen
    group.updated_at = utcnow()
    changes.group(organisation_id, group.id, label)


def merge(source: EntityGroup, target: EntityGroup, user) -> None:
    """Fold `source` (and every form already merged into it) into `target`. The caller audits."""
    if source.id == target.id or source.label != target.label or source.organisation_id != target.organisation_id:
        raise ValueError("only two different groups of one label and organisation can be merged")
    org, label = source.organisation_id, source.label
    lock_counts(db.session, org, ("form", label, source.normalized), ("form", label, target.normalized))
    changes = peer_links.Changes()
    changes.dropped(source)
    db.session.execute(update(EntityMerge).where(
        EntityMerge.organisation_id == org, EntityMerge.label == label, EntityMerge.canonical == source.normalized)
        .values(canonical=target.normalized))
    db.session.add(EntityMerge(organisation_id=org, label=label, normalized=source.normalized,
                               canonical=target.normalized, merged_by_id=getattr(user, "id", None)))
    db.session.delete(source)
    db.session.flush()
    _recount(org, label, target.normalized, changes)
    changes.apply()


def split(alias: EntityMerge) -> EntityGroup | None:
    """Undo one merge: the form gets its own group again. The caller audits."""
    org, label, normalized, canonical = alias.organisation_id, alias.label, alias.normalized, alias.canonical
    lock_counts(db.session, org, ("form", label, normalized), ("form", label, canonical))
    changes = peer_links.Changes()
    db.session.delete(alias)
    db.session.flush()
    _recount(org, label, canonical, changes)
    _recount(org, label, normalized, changes)
    db.session.flush()
    changes.apply()
    return db.session.execute(select(EntityGroup).where(
        EntityGroup.organisation_id == org, EntityGroup.label == label, EntityGroup.normalized == normalized)).scalar_one_or_none()


def rebuild(organisation_id=None) -> int:
    """Recompute every group (of one organisation, or all) in a few statements, then their peer links."""
    where = [Entity.label.in_(LABELS)]
    if organisation_id is not None:
        lock_all_counts(db.session, organisation_id)
        where.append(Entity.organisation_id == organisation_id)
        db.session.execute(delete(PeerLink).where(PeerLink.organisation_id == organisation_id))
        db.session.execute(delete(EntityGroup).where(EntityGroup.organisation_id == organisation_id))
    else:
        for org in sorted(db.session.execute(select(EntityGroup.organisation_id).distinct()).scalars(), key=str):
            lock_all_counts(db.session, org)
        db.session.execute(delete(PeerLink))
        db.session.execute(delete(EntityGroup))
    key = func.coalesce(EntityMerge.canonical, Entity.normalized)
    merged = and_(EntityMerge.organisation_id == Entity.organisation_id, EntityMerge.label == Entity.label,
                  EntityMerge.normalized == Entity.normalized)
    base = (select(Entity.organisation_id.label("org"), Entity.label.label("label"), key.label("key"),
                   Entity.child_id, Entity.rhi_id, Entity.source_id, Entity.tagged_at)
            .outerjoin(EntityMerge, merged).where(*where).subquery())
    counts = db.session.execute(
        select(base.c.org, base.c.label, base.c.key, func.count(distinct(base.c.child_id)),
               func.count(distinct(func.coalesce(base.c.rhi_id, base.c.source_id))),
               func.max(func.coalesce(ReturnInterview.found_at, base.c.tagged_at)))
        .outerjoin(ReturnInterview, ReturnInterview.id == base.c.rhi_id)
        .group_by(base.c.org, base.c.label, base.c.key)).all()
    episodes = dict(((r[0], r[1], r[2]), r[3]) for r in db.session.execute(
        select(base.c.org, base.c.label, base.c.key, func.count(distinct(MissingEpisode.id)))
        .join(MissingEpisode, MissingEpisode.return_interview_id == base.c.rhi_id)
        .group_by(base.c.org, base.c.label, base.c.key)))
    now = utcnow()
    rows = [dict(id=uuid.uuid4(), organisation_id=org, label=label, normalized=key, children_count=children,
                 episodes_count=episodes.get((org, label, key), 0), sources_count=sources, last_seen_at=last_seen,
                 updated_at=now)
            for org, label, key, children, sources, last_seen in counts]
    for at in range(0, len(rows), 5000):
        db.session.execute(EntityGroup.__table__.insert(), rows[at:at + 5000])
    organisations = [organisation_id] if organisation_id is not None else sorted(
        {row["organisation_id"] for row in rows} | set(db.session.execute(select(PeerGroup.organisation_id).distinct()).scalars()))
    for org in organisations:
        peer_links.rebuild(org)
    return len(rows)

