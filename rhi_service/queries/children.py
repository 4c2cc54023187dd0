from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from sqlalchemy import and_, func, or_, select

from ..extensions import db
from ..models.children import Child, fold_name
from ..models.episodes import MissingEpisode
from ..models.organisations import COORDINATOR, INTERVIEWER, MANAGER
from .paging import Page, paginate


def can_see_child(user, child: Child | None) -> bool:
    """Coordinators and managers see every child of their organisation; interviewers only the
    children whose RHIs they hold."""
    if child is None or child.organisation_id != user.organisation_id:
        return False
    if user.role in (COORDINATOR, MANAGER):
        return True
    if user.role == INTERVIEWER:
        from .interviews import interviewer_holds_rhi_for

        return interviewer_holds_rhi_for(user, child.id)
    return False


def children_page(organisation_id: uuid.UUID, search: str | None, page: int, sort: str = "name") -> Page:
    query = select(Child).where(Child.organisation_id == organisation_id)
    if search:
        words = fold_name(search).split()
        for word in words[:4]:
            query = query.where(or_(Child.first_name_key.startswith(word), Child.last_name_key.startswith(word),
                                    Child.case_system_id == search.strip()))
    if sort == "recent":
        query = query.order_by(Child.created_at.desc())
    else:
        query = query.order_by(Child.last_name_key, Child.first_name_key)
    return paginate(query, page)


def likely_duplicates(organisation_id: uuid.UUID, first_name: str, last_name: str, date_of_birth: date | None) -> list[Child]:
    """Children who may be the one being recorded: same date of birth with a similar name, or the
    same name with any date of birth (dates are often typed wrongly)."""
    first, last = fold_name(first_name), fold_name(last_name)
    conditions = [and_(Child.first_name_key == first, Child.last_name_key == last)]
    if date_of_birth is not None:
        conditions.append(Child.date_of_birth == date_of_birth)
    candidates = db.session.execute(
        select(Child).where(Child.organisation_id == organisation_id, or_(*conditions)).limit(50)
    ).scalars()

    def similar(a: str, b: str) -> bool:
        return a == b or a[:1] == b[:1] and SequenceMatcher(None, a, b).ratio() >= 0.7

    found = []
    for child in candidates:
        same_name = child.first_name_key == first and child.last_name_key == last
        if same_name or similar(child.first_name_key, first) or similar(child.last_name_key, last):
            found.append(child)
    return found


def placed_by(organisation_id: uuid.UUID) -> list[Child]:
    return list(
        db.session.execute(
            select(Child).where(Child.placing_authority_id == organisation_id).order_by(Child.last_name_key, Child.first_name_key)
        ).scalars()
    )


@dataclass
class TodaySummary:
    missing_now: list[MissingEpisode]
    found_recently: list[MissingEpisode]
    children_count: int


def today_summary(organisation_id: uuid.UUID) -> TodaySummary:
    missing_now = list(
        db.session.execute(
            select(MissingEpisode)
            .where(MissingEpisode.organisation_id == organisation_id, MissingEpisode.found_at.is_(None))
            .order_by(MissingEpisode.reported_missing_at)
            .limit(50)
        ).scalars()
    )
    found_recently = list(
        db.session.execute(
            select(MissingEpisode)
            .where(MissingEpisode.organisation_id == organisation_id, MissingEpisode.found_at.is_not(None))
            .order_by(MissingEpisode.found_at.desc())
            .limit(10)
        ).scalars()
    )
    count = db.session.execute(select(func.count(Child.id)).where(Child.organisation_id == organisation_id)).scalar_one()
    return TodaySummary(missing_now=missing_now, found_recently=found_recently, children_count=count)
