"""Intelligence summaries as each audience may see them: our own organisation's for staff, and only
the approved ones sent to their own force for the police."""
from __future__ import annotations

import uuid

from sqlalchemy import exists, or_, select

from ..extensions import db
from ..models.intelligence import SENT, IntelligenceSource, IntelligenceStatement, IntelligenceSummary
from .paging import Page, paginate

STAFF_STATUSES = {"draft": "Awaiting approval", "sent": "Sent, not yet acknowledged", "acknowledged": "Acknowledged",
                  "all": "All"}
POLICE_STATUSES = {"new": "New", "acknowledged": "Acknowledged", "all": "All"}
SORTS = {"newest": "Newest first", "oldest": "Oldest first"}
# What a police officer searches for, and the entity labels each covers.
SEARCH_KINDS = {"any": ("Anything", None), "person": ("Person", ("PERSON",)), "place": ("Place", ("LOCATION", "POSTCODE")),
                "vehicle": ("Vehicle", ("VEHICLE",)), "phone": ("Phone", ("PHONE",)), "handle": ("Online handle", ("SOCIAL",))}


def staff_summary(summary_id: uuid.UUID, organisation_id: uuid.UUID) -> IntelligenceSummary | None:
    summary = db.session.get(IntelligenceSummary, summary_id)
    return summary if summary is not None and summary.organisation_id == organisation_id else None


def police_summary(summary_id: uuid.UUID, force_id: uuid.UUID) -> IntelligenceSummary | None:
    """Only an approved summary sent to this force; anything else is "not found"."""
    summary = db.session.get(IntelligenceSummary, summary_id)
    if summary is None or summary.status != SENT or summary.force_id != force_id or summary.approved_at is None:
        return None
    return summary


def _status(query, status: str):
    if status in ("sent", "new"):
        return query.where(IntelligenceSummary.status == SENT, IntelligenceSummary.acknowledged_at.is_(None))
    if status == "acknowledged":
        return query.where(IntelligenceSummary.status == SENT, IntelligenceSummary.acknowledged_at.is_not(None))
    if status == "draft":
        return query.where(IntelligenceSummary.status == "draft")
    return query


def staff_page(organisation_id: uuid.UUID, status: str, sort: str, page: int) -> Page:
    query = _status(select(IntelligenceSummary).where(IntelligenceSummary.organisation_id == organisation_id), status)
    order = IntelligenceSummary.updated_at.asc() if sort == "oldest" else IntelligenceSummary.updated_at.desc()
    return paginate(query.order_by(order, IntelligenceSummary.id), page)


def police_page(force_id: uuid.UUID, status: str, search_kind: str, normalized_terms: list[str], sort: str, page: int) -> Page:
    query = _status(select(IntelligenceSummary).where(
        IntelligenceSummary.force_id == force_id, IntelligenceSummary.status == SENT), status)
    terms = [t for t in normalized_terms if t]
    if terms:
        labels = SEARCH_KINDS.get(search_kind, SEARCH_KINDS["any"])[1]
        # Only statements the coordinator included: a suggestion left out was never sent.
        condition = [IntelligenceStatement.summary_id == IntelligenceSummary.id, IntelligenceStatement.included.is_(True),
                     or_(*[IntelligenceStatement.entity_normalized.contains(t, autoescape=True) for t in terms])]
        if labels:
            condition.append(IntelligenceStatement.entity_label.in_(labels))
        query = query.where(exists(select(IntelligenceStatement.id).where(*condition)))
    order = IntelligenceSummary.sent_at.asc() if sort == "oldest" else IntelligenceSummary.sent_at.desc()
    return paginate(query.order_by(order, IntelligenceSummary.id), page)


def police_all(force_id: uuid.UUID, limit: int = 100) -> list[IntelligenceSummary]:
    return list(db.session.execute(select(IntelligenceSummary).where(
        IntelligenceSummary.force_id == force_id, IntelligenceSummary.status == SENT)
        .order_by(IntelligenceSummary.sent_at.desc()).limit(limit)).scalars())


def shared_for(rhi_id: uuid.UUID | None = None, child_id: uuid.UUID | None = None) -> list[IntelligenceSummary]:
    """Summaries drawing on this RHI or child, drafts included (so a coordinator sees one is under way)."""
    column, value = (IntelligenceSource.rhi_id, rhi_id) if rhi_id is not None else (IntelligenceSource.child_id, child_id)
    ids = select(IntelligenceSource.summary_id).where(column == value)
    return list(db.session.execute(select(IntelligenceSummary).where(IntelligenceSummary.id.in_(ids))
                                   .order_by(IntelligenceSummary.created_at.desc())).scalars())
