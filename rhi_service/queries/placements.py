"""Who may see which request and received RHI, and the lists built from them."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models.children import Child
from ..models.episodes import MissingEpisode
from ..models.organisations import COORDINATOR, MANAGER, PLACING_AUTHORITY
from ..models.placements import NO_TEXT, REQUEST_ANSWERED, REQUEST_OPEN, VIA_API, VIA_FORM, VIA_PORTAL, RhiRequest, Upload
from .paging import Page, paginate

COORDINATOR_ROLES = (COORDINATOR, MANAGER)
REQUEST_FILTERS = {"open": "Waiting for their RHI", "overdue": "Overdue", "answered": "Answered", "all": "All"}
REQUEST_SORTS = {"due": "Due soonest", "requested": "Newest request", "child": "Child's name"}
UPLOAD_FILTERS = {"all": "All received", "inbox": "To match with a child", "needs_reading": "No text found"}


# --- Who may see what ---------------------------------------------------------------------------

def partner_can_see_child(user, child: Child | None) -> bool:
    """A placing authority sees only the children it placed with us."""
    return (child is not None and user.role == PLACING_AUTHORITY
            and child.placing_authority_id is not None and child.placing_authority_id == user.organisation_id)


def can_see_request(user, request: RhiRequest | None) -> bool:
    if request is None:
        return False
    if user.role in COORDINATOR_ROLES:
        return request.organisation_id == user.organisation_id
    if user.role == PLACING_AUTHORITY:
        return request.placing_authority_id == user.organisation_id
    return False


def can_see_upload(user, upload: Upload | None) -> bool:
    if upload is None:
        return False
    if user.role in COORDINATOR_ROLES:
        return upload.organisation_id == user.organisation_id
    if user.role == PLACING_AUTHORITY:
        # Their own uploads only: not what we filed for them from an e-mail.
        return upload.from_organisation_id == user.organisation_id and upload.received_via in (VIA_PORTAL, VIA_API, VIA_FORM)
    return False


# --- The coordinator's lists ----------------------------------------------------------------------

def _overdue_before(now: datetime, hours: int) -> datetime:
    return now - timedelta(hours=hours)


def requests_page(organisation_id: uuid.UUID, status: str, authority_id: uuid.UUID | None, sort: str, page: int,
                  now: datetime, hours: int) -> Page:
    query = (
        select(RhiRequest)
        .join(MissingEpisode, RhiRequest.episode_id == MissingEpisode.id)
        .join(Child, RhiRequest.child_id == Child.id)
        .where(RhiRequest.organisation_id == organisation_id)
        .options(selectinload(RhiRequest.contacts), selectinload(RhiRequest.child), selectinload(RhiRequest.episode),
                 selectinload(RhiRequest.placing_authority))
    )
    if status == "open":
        query = query.where(RhiRequest.status == REQUEST_OPEN)
    elif status == "overdue":
        query = query.where(RhiRequest.status == REQUEST_OPEN, MissingEpisode.found_at < _overdue_before(now, hours))
    elif status == "answered":
        query = query.where(RhiRequest.status == REQUEST_ANSWERED)
    if authority_id is not None:
        query = query.where(RhiRequest.placing_authority_id == authority_id)
    if sort == "child":
        query = query.order_by(Child.last_name_key, Child.first_name_key, RhiRequest.created_at.desc())
    elif sort == "requested":
        query = query.order_by(RhiRequest.created_at.desc())
    else:
        # Due soonest first; children still missing (no due time yet) after them.
        query = query.order_by(MissingEpisode.found_at.is_(None), MissingEpisode.found_at, RhiRequest.created_at)
    return paginate(query, page)


def overdue_requests(organisation_id: uuid.UUID, now: datetime, hours: int, limit: int = 10) -> tuple[list[RhiRequest], int]:
    condition = (
        (RhiRequest.organisation_id == organisation_id)
        & (RhiRequest.status == REQUEST_OPEN)
        & (MissingEpisode.found_at < _overdue_before(now, hours))
    )
    base = select(RhiRequest).join(MissingEpisode, RhiRequest.episode_id == MissingEpisode.id).where(condition)
    items = list(db.session.execute(base.order_by(MissingEpisode.found_at).limit(limit)).scalars())
    count = db.session.execute(
        select(func.count(RhiRequest.id)).join(MissingEpisode, RhiRequest.episode_id == MissingEpisode.id).where(condition)
    ).scalar_one()
    return items, count


def uploads_page(organisation_id: uuid.UUID, status: str, authority_id: uuid.UUID | None, page: int) -> Page:
    query = select(Upload).where(Upload.organisation_id == organisation_id)
    if status == "inbox":
        query = query.where(Upload.child_id.is_(None))
    elif status == "needs_reading":
        query = query.where(Upload.text_status == NO_TEXT)
    if authority_id is not None:
        query = query.where(Upload.from_organisation_id == authority_id)
    return paginate(query.order_by(Upload.received_at.desc()), page)


def inbox_count(organisation_id: uuid.UUID) -> int:
    return db.session.execute(
        select(func.count(Upload.id)).where(Upload.organisation_id == organisation_id, Upload.child_id.is_(None))
    ).scalar_one()


def placed_children(organisation_id: uuid.UUID) -> list[Child]:
    """Our children placed here by another authority: the ones a received RHI can be matched with."""
    return list(db.session.execute(
        select(Child).where(Child.organisation_id == organisation_id, Child.placing_authority_id.is_not(None))
        .order_by(Child.last_name_key, Child.first_name_key)
    ).scalars())


def placing_authorities(organisation_id: uuid.UUID) -> list:
    from ..models.organisations import Organisation

    return list(db.session.execute(
        select(Organisation).where(Organisation.id.in_(
            select(Child.placing_authority_id).where(Child.organisation_id == organisation_id, Child.placing_authority_id.is_not(None))
        )).order_by(Organisation.name)
    ).scalars())


def requests_for_child(child_id: uuid.UUID) -> list[RhiRequest]:
    return list(db.session.execute(
        select(RhiRequest).where(RhiRequest.child_id == child_id).order_by(RhiRequest.created_at.desc())
    ).scalars())


def uploads_for_request(request_id: uuid.UUID) -> list[Upload]:
    return list(db.session.execute(select(Upload).where(Upload.request_id == request_id).order_by(Upload.received_at)).scalars())


def uploads_for_child(child_id: uuid.UUID) -> list[Upload]:
    return list(db.session.execute(select(Upload).where(Upload.child_id == child_id).order_by(Upload.received_at.desc())).scalars())


# --- The placing authority's lists ----------------------------------------------------------------

def partner_requests(organisation_id: uuid.UUID, child_id: uuid.UUID | None = None, open_only: bool = False) -> list[RhiRequest]:
    query = (
        select(RhiRequest)
        .join(Child, RhiRequest.child_id == Child.id)
        .where(RhiRequest.placing_authority_id == organisation_id, Child.placing_authority_id == organisation_id)
        .order_by(RhiRequest.status.desc(), RhiRequest.created_at.desc())
    )
    if child_id is not None:
        query = query.where(RhiRequest.child_id == child_id)
    if open_only:
        query = query.where(RhiRequest.status == REQUEST_OPEN)
    return list(db.session.execute(query).scalars())


def partner_uploads(organisation_id: uuid.UUID, child_id: uuid.UUID | None = None) -> list[Upload]:
    query = select(Upload).where(Upload.from_organisation_id == organisation_id,
                                 Upload.received_via.in_((VIA_PORTAL, VIA_API, VIA_FORM))).order_by(Upload.received_at.desc())
    if child_id is not None:
        query = query.where(Upload.child_id == child_id)
    return list(db.session.execute(query.limit(200)).scalars())


def partner_children_matching(organisation_id: uuid.UUID, first_name: str, last_name: str, date_of_birth) -> list[Child]:
    """For an RHI their system sent by name: their placed children with that name and date of birth."""
    from ..models.children import fold_name

    return list(db.session.execute(
        select(Child).where(
            Child.placing_authority_id == organisation_id,
            Child.first_name_key == fold_name(first_name),
            Child.last_name_key == fold_name(last_name),
            Child.date_of_birth == date_of_birth,
        )
    ).scalars())
