"""The coordinator's Today page, repeat missing, the daily missing report and a child's timeline.

Deadlines and escalation states are computed on read from stored times (ARCHITECTURE: no scheduled
job); the queries here only fetch the rows and counts the rules need, bounded by indexes.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, union_all
from sqlalchemy.orm import selectinload

from .. import repeat_marks, rules
from ..extensions import db
from ..models.analysis import DISMISSED, MACHINE, WAITING, Entity, Mention, Tag, TagDecision
from ..models.children import Child
from ..models.coordination import EntityGroup, EntityMerge, RepeatMark
from ..models.episodes import MissingEpisode
from ..models.interviews import COMPLETE_STATUSES, CONDUCTED_BY_US, STATUSES, SUBMITTED, ReturnInterview
from .paging import PAGE_SIZE, Page

TODAY_LIMIT = 5


def paginate_rows(query, page: int, per_page: int = PAGE_SIZE) -> Page:
    """paging.paginate for selects of several columns (rows, not scalars)."""
    total = db.session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    items = list(db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all())
    return Page(items=items, page=page, pages=pages, total=total)


def _count(query) -> int:
    return db.session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()


@dataclass
class Block:
    items: list
    total: int


# --- Today ----------------------------------------------------------------------------------------

# Listed rather than "not complete" so the (organisation, status, due) index serves Today's blocks.
OPEN_STATUSES = tuple(s for s in STATUSES if s not in COMPLETE_STATUSES)


def _open_rhis(organisation_id):
    return (select(ReturnInterview).where(
        ReturnInterview.organisation_id == organisation_id, ReturnInterview.status.in_(OPEN_STATUSES),
        ReturnInterview.conducted_by == CONDUCTED_BY_US)
        .options(selectinload(ReturnInterview.child), selectinload(ReturnInterview.interviewer)))


def _block(query, limit: int = TODAY_LIMIT) -> Block:
    return Block(list(db.session.execute(query.limit(limit)).scalars()), _count(query))


def pending_mentions_count(organisation_id) -> int:
    """Tags waiting for review, from the review queue's kept counts (theme_counts.py)."""
    from .review import queue_total

    return queue_total(organisation_id, WAITING, None)


@dataclass
class Today:
    due_soon: Block
    overdue: Block
    unassigned: Block
    missing_now: Block
    sign_off: Block
    tags_waiting: int


def _open_block(organisation_id, *conditions, limit: int = TODAY_LIMIT) -> Block:
    """Open RHIs we carry out, soonest due first: the first few of each open status along the
    (organisation, status, due) index, merged, so the database never walks every RHI in due order
    looking for open ones."""
    firsts = [select(ReturnInterview.id, ReturnInterview.due_at).where(
        ReturnInterview.organisation_id == organisation_id, ReturnInterview.status == status,
        ReturnInterview.conducted_by == CONDUCTED_BY_US, *conditions)
        .order_by(ReturnInterview.due_at, ReturnInterview.id).limit(limit) for status in OPEN_STATUSES]
    # each part wrapped, as SQLite allows no LIMIT in the parts of a UNION
    chosen = union_all(*(select(part.c.id) for part in (first.subquery() for first in firsts))).subquery()
    items = (_open_rhis(organisation_id).join(chosen, chosen.c.id == ReturnInterview.id)
             .order_by(ReturnInterview.due_at, ReturnInterview.id).limit(limit))
    return Block(list(db.session.execute(items).scalars()), _count(_open_rhis(organisation_id).where(*conditions)))


def today(organisation_id, now: datetime) -> Today:
    due_soon = (ReturnInterview.due_at >= now, ReturnInterview.due_at <= now + timedelta(hours=rules.DUE_SOON_HOURS))
    missing = (select(MissingEpisode).where(MissingEpisode.organisation_id == organisation_id,
                                            MissingEpisode.found_at.is_(None))
               .options(selectinload(MissingEpisode.child)))
    sign_off = (select(ReturnInterview).where(
        ReturnInterview.organisation_id == organisation_id, ReturnInterview.status == SUBMITTED,
        ReturnInterview.signed_off_at.is_(None)).options(selectinload(ReturnInterview.child)))
    return Today(
        due_soon=_open_block(organisation_id, *due_soon),
        overdue=_open_block(organisation_id, ReturnInterview.due_at < now),
        unassigned=_open_block(organisation_id, ReturnInterview.interviewer_id.is_(None)),
        missing_now=_block(missing.order_by(MissingEpisode.reported_missing_at, MissingEpisode.id), limit=10),
        sign_off=_block(sign_off.order_by(ReturnInterview.submitted_at, ReturnInterview.id)),
        tags_waiting=pending_mentions_count(organisation_id),
    )


# --- Escalation and repeat missing, for several children at once -----------------------------------

def age_now(child: Child, now: datetime) -> int:
    return rules.age_on(child.date_of_birth, now.date())


def escalation(episode: MissingEpisode, now: datetime, points) -> dict:
    age = age_now(episode.child, now)
    return {"next": rules.next_escalation(episode.reported_missing_at, now, points, episode.child.legal_status, age),
            "passed": rules.last_escalation_passed(episode.reported_missing_at, now, points, episode.child.legal_status, age),
            "missing_for": rules.time_in_words((now - episode.reported_missing_at).total_seconds())}


def repeat_flags_for(child_ids, now: datetime, windows) -> dict:
    """child id → the repeat-missing windows they meet now."""
    ids = list(child_ids)
    if not ids:
        return {}
    since = now - timedelta(days=rules.longest_window_days(windows))
    times: dict = {}
    for child_id, reported in db.session.execute(select(MissingEpisode.child_id, MissingEpisode.reported_missing_at).where(
            MissingEpisode.child_id.in_(ids), MissingEpisode.reported_missing_at >= since)):
        times.setdefault(child_id, []).append(reported)
    return {child_id: rules.repeat_missing_flags(times.get(child_id, []), now, windows) for child_id in ids}


REPEAT_SORTS = {"recent": "Most recently missing", "most": "Most episodes", "name": "Child's name"}


def repeat_missing_page(organisation_id, now: datetime, windows, window_index: int | None, sort: str, page: int) -> Page:
    """Children who meet a repeat-missing window now (or the one chosen), with their latest
    episode and the number of episodes in the longest window."""
    chosen = [windows[window_index]] if window_index is not None else list(windows)
    if not chosen:
        return Page([], 1, 1, 0)
    if any(not 1 <= int(w["episodes"]) <= repeat_marks.KEPT for w in chosen):
        return _repeat_missing_counted(organisation_id, now, windows, chosen, sort, page)
    r = RepeatMark
    kth = {1: r.latest_at, 2: r.second_at, 3: r.third_at}
    # a report dated after now (a clock skew) is ignored by the rule: the few children with one are
    # judged by the rule itself
    ahead = list(db.session.execute(select(r.child_id).where(r.organisation_id == organisation_id, r.latest_at > now)).scalars())
    ahead_met = [c for c, flags in repeat_flags_for(ahead, now, chosen).items() if flags]
    meets = or_(*(kth[int(w["episodes"])] >= now - timedelta(days=int(w["days"])) for w in chosen))
    flagged = select(r.child_id).where(r.organisation_id == organisation_id,
                                       or_(and_(r.latest_at <= now, meets), r.child_id.in_(ahead_met)))
    total = db.session.execute(select(func.count()).select_from(flagged.subquery())).scalar_one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    longest = now - timedelta(days=rules.longest_window_days(windows))
    if sort == "name":
        ids = flagged.join(Child, Child.id == r.child_id).order_by(Child.last_name_key, Child.first_name_key, Child.id)
    elif sort == "most":
        counted = (select(MissingEpisode.child_id.label("child_id"), func.count().label("episodes"))
                   .where(MissingEpisode.organisation_id == organisation_id, MissingEpisode.reported_missing_at >= longest,
                          MissingEpisode.child_id.in_(flagged)).group_by(MissingEpisode.child_id).subquery())
        ids = (flagged.join(counted, counted.c.child_id == r.child_id)
               .order_by(counted.c.episodes.desc(), r.latest_at.desc(), r.child_id))
    else:
        ids = flagged.order_by(r.latest_at.desc(), r.child_id)
    ids = list(db.session.execute(ids.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).scalars())
    return Page(_repeat_rows(ids, longest), page, pages, total)


def _repeat_rows(ids: list, longest: datetime) -> list[tuple]:
    """(child, latest report, reports in the longest window) for these children, in this order."""
    if not ids:
        return []
    children = {c.id: c for c in db.session.execute(select(Child).where(Child.id.in_(ids))).scalars()}
    found = {child_id: (latest, n) for child_id, latest, n in db.session.execute(
        select(MissingEpisode.child_id, func.max(MissingEpisode.reported_missing_at), func.count())
        .where(MissingEpisode.child_id.in_(ids), MissingEpisode.reported_missing_at >= longest)
        .group_by(MissingEpisode.child_id))}
    return [(children[i], *found.get(i, (None, 0))) for i in ids if i in children]


def _repeat_missing_counted(organisation_id, now: datetime, windows, chosen, sort: str, page: int) -> Page:
    """The same list counted from the episodes, for a window of more episodes than the marks keep:
    one pass over the longest window's episodes, each child's counted in every chosen window."""
    reported = MissingEpisode.reported_missing_at
    longest = now - timedelta(days=rules.longest_window_days(windows))
    in_window = [func.count().filter(reported >= now - timedelta(days=int(w["days"])), reported <= now) for w in chosen]
    recent = (select(MissingEpisode.child_id.label("child_id"), func.max(reported).label("latest"),
                     func.count().label("episodes"))
              .where(MissingEpisode.organisation_id == organisation_id, reported >= longest)
              .group_by(MissingEpisode.child_id)
              .having(or_(*(n >= int(w["episodes"]) for n, w in zip(in_window, chosen)))).subquery())
    query = select(Child, recent.c.latest, recent.c.episodes).join(recent, recent.c.child_id == Child.id)
    if sort == "name":
        query = query.order_by(Child.last_name_key, Child.first_name_key, Child.id)
    elif sort == "most":
        query = query.order_by(recent.c.episodes.desc(), recent.c.latest.desc(), Child.id)
    else:
        query = query.order_by(recent.c.latest.desc(), Child.id)
    return paginate_counted(query, page)


def paginate_counted(query, page: int, per_page: int = PAGE_SIZE) -> Page:
    """paginate_rows in one statement: the total rides along on each row (count(*) over ()), so an
    aggregate query is worked out once, not once to count and again for the page."""
    page = max(1, page)
    counted = query.add_columns(func.count().over().label("total"))
    rows = db.session.execute(counted.limit(per_page).offset((page - 1) * per_page)).all()
    if not rows and page > 1:
        return paginate_rows(query, page, per_page)
    total = rows[0][-1] if rows else 0
    return Page(items=[tuple(r)[:-1] for r in rows], page=page, pages=max(1, -(-total // per_page)), total=total)


# --- The daily missing report ---------------------------------------------------------------------

@dataclass
class ReportRow:
    episode: MissingEpisode
    child: Child
    rhi: ReturnInterview | None
    places: list[str]
    flags: list
    escalation: dict | None


def daily_report_query(organisation_id, since: datetime):
    return (select(MissingEpisode).join(Child, Child.id == MissingEpisode.child_id)
            .where(MissingEpisode.organisation_id == organisation_id,
                   or_(MissingEpisode.found_at.is_(None), MissingEpisode.found_at >= since))
            .options(selectinload(MissingEpisode.child), selectinload(MissingEpisode.return_interview))
            # still missing first, longest missing first; then the most recently found
            .order_by(MissingEpisode.found_at.is_not(None), MissingEpisode.reported_missing_at, MissingEpisode.id))


def places_for_rhis(rhi_ids) -> dict:
    """RHI id → the places named in it (their canonical forms, merged as the coordinator merged them)."""
    ids = [i for i in rhi_ids if i is not None]
    if not ids:
        return {}
    key = func.coalesce(EntityMerge.canonical, Entity.normalized)
    rows = db.session.execute(
        select(Entity.rhi_id, key).distinct()
        .outerjoin(EntityMerge, and_(EntityMerge.organisation_id == Entity.organisation_id, EntityMerge.label == Entity.label,
                                     EntityMerge.normalized == Entity.normalized))
        .where(Entity.rhi_id.in_(ids), Entity.label == "LOCATION"))
    out: dict = {}
    for rhi_id, form in rows:
        out.setdefault(rhi_id, []).append(form)
    return {k: sorted(v) for k, v in out.items()}


def report_rows(episodes: list[MissingEpisode], now: datetime, points, windows) -> list[ReportRow]:
    flags = repeat_flags_for({e.child_id for e in episodes}, now, windows)
    places = places_for_rhis({e.return_interview_id for e in episodes})
    return [ReportRow(episode=e, child=e.child, rhi=e.return_interview, places=places.get(e.return_interview_id, []),
                      flags=flags.get(e.child_id, []),
                      escalation=escalation(e, now, points) if e.found_at is None else None)
            for e in episodes]


# --- A child's timeline ---------------------------------------------------------------------------

@dataclass
class TimelineEntry:
    episode: MissingEpisode
    rhi: ReturnInterview | None
    duration: str | None
    categories: list[str] = field(default_factory=list)
    codes: list[tuple[str, str, str]] = field(default_factory=list)  # (code, category, state)
    entities: list[EntityGroup] = field(default_factory=list)


def _decided(rhi_ids) -> dict:
    rows = db.session.execute(select(TagDecision).where(TagDecision.rhi_id.in_(rhi_ids))).scalars()
    return {(d.source_id, d.source_key, d.code, d.text_hash): d.decision for d in rows}


def child_timeline(child: Child, now: datetime) -> list[TimelineEntry]:
    episodes = list(db.session.execute(select(MissingEpisode).where(MissingEpisode.child_id == child.id)
                                       .options(selectinload(MissingEpisode.return_interview))
                                       .order_by(MissingEpisode.reported_missing_at.desc())).scalars())
    rhi_ids = {e.return_interview_id for e in episodes if e.return_interview_id}
    codes: dict = {}
    if rhi_ids:
        decided = _decided(rhi_ids)
        for m in db.session.execute(select(Mention).where(Mention.rhi_id.in_(rhi_ids), Mention.context == "asserted")).scalars():
            state = decided.get((m.source_id, m.source_key, m.code, m.text_hash)) or ("confirmed" if m.origin != MACHINE else "suggested")
            if state == DISMISSED:
                continue
            found = codes.setdefault(m.rhi_id, {})
            # one confirmed mention of a code confirms the code for that RHI
            if found.get(m.code, (None, None, None))[2] != "confirmed":
                found[m.code] = (m.code, m.category, state)
    groups = groups_for_sources(child.organisation_id, Entity.rhi_id.in_(rhi_ids)) if rhi_ids else {}
    out = []
    for e in episodes:
        duration = rules.time_in_words(((e.found_at or now) - e.reported_missing_at).total_seconds())
        found = codes.get(e.return_interview_id, {})
        out.append(TimelineEntry(
            episode=e, rhi=e.return_interview, duration=duration,
            categories=sorted({c[1] for c in found.values()}), codes=sorted(found.values()),
            entities=groups.get(e.return_interview_id, [])))
    return out


def groups_for_sources(organisation_id, condition, by=Entity.rhi_id) -> dict:
    """Source key (an RHI id by default) → the entity groups its texts name."""
    key = func.coalesce(EntityMerge.canonical, Entity.normalized)
    rows = db.session.execute(
        select(by, EntityGroup).distinct()
        .select_from(Entity)
        .outerjoin(EntityMerge, and_(EntityMerge.organisation_id == Entity.organisation_id, EntityMerge.label == Entity.label,
                                     EntityMerge.normalized == Entity.normalized))
        .join(EntityGroup, and_(EntityGroup.organisation_id == Entity.organisation_id, EntityGroup.label == Entity.label,
                                EntityGroup.normalized == key))
        .where(Entity.organisation_id == organisation_id, condition)).all()
    out: dict = {}
    for source, group in rows:
        out.setdefault(source, []).append(group)
    return {k: sorted(v, key=lambda g: (g.label, g.normalized)) for k, v in out.items()}


def profile_groups(child: Child) -> list[EntityGroup]:
    """People and places named about the child outside an RHI (their profile, received RHIs)."""
    found = groups_for_sources(child.organisation_id, and_(Entity.child_id == child.id, Entity.rhi_id.is_(None)),
                               by=Entity.child_id)
    return found.get(child.id, [])


def child_or_none(child_id: uuid.UUID) -> Child | None:
    return db.session.get(Child, child_id)


def tag_categories_for_child(child_id) -> list[str]:
    return sorted(set(db.session.execute(select(Tag.category).distinct().where(Tag.child_id == child_id)).scalars()))
