"""The coordinator's people and places: entities merged by normalised form, and the counts that rank them.

An entity group is every Entity row of one organisation with the same label and the same canonical
normalised form. A merge maps one normalised form onto another's group ("jay" and "jaydon" are the
same man); a split deletes the merge. Merges are kept flat: merging a group moves every form already
merged into it, so a form is never more than one step from its canonical form.

EntityGroup holds counts kept up to date in the same transaction as the entity rows they count
(analysis_store calls refresh after storing, merges and splits call it too), so the ranking is an
indexed read rather than a GROUP BY over every mention ever found. Its id is what URLs carry: a
normalised form is a name or a number and never goes into a URL.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, UUIDPrimaryKey, utcnow


class EntityGroup(UUIDPrimaryKey, db.Model):
    __tablename__ = "entity_groups"
    __table_args__ = (
        UniqueConstraint("organisation_id", "label", "normalized", name="uq_entity_groups_form"),
        Index("ix_entity_groups_rank", "organisation_id", "children_count", "episodes_count"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    label: Mapped[str] = mapped_column(String(20))
    # the canonical normalised form (plain, as Entity.normalized)
    normalized: Mapped[str] = mapped_column(String(200))
    children_count: Mapped[int] = mapped_column(Integer, default=0)
    episodes_count: Mapped[int] = mapped_column(Integer, default=0)
    sources_count: Mapped[int] = mapped_column(Integer, default=0)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class EntityMerge(UUIDPrimaryKey, db.Model):
    __tablename__ = "entity_merges"
    __table_args__ = (UniqueConstraint("organisation_id", "label", "normalized", name="uq_entity_merges_form"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    label: Mapped[str] = mapped_column(String(20))
    # the form merged away, and the form of the group it now belongs to
    normalized: Mapped[str] = mapped_column(String(200))
    canonical: Mapped[str] = mapped_column(String(200), index=True)
    merged_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    merged_by = relationship("User", foreign_keys=[merged_by_id])


# Indexes on other aggregates' tables that only the coordinator's pages need; declared here, beside
# the pages' own tables, so the owning models stay as they are (migration 0009 creates them).
def _speed_indexes():
    from .analysis import Entity, Mention
    from .episodes import MissingEpisode
    from .interviews import ReturnInterview

    return [
        # the daily report: still missing, and found since the last meeting
        Index("ix_missing_episodes_org_found", MissingEpisode.organisation_id, MissingEpisode.found_at),
        # repeat missing: episodes reported in the last year, by child
        Index("ix_missing_episodes_org_reported", MissingEpisode.organisation_id, MissingEpisode.reported_missing_at,
              MissingEpisode.child_id),
        # Today's blocks and the monthly 72-hour figures
        Index("ix_return_interviews_org_status_due", ReturnInterview.organisation_id, ReturnInterview.status,
              ReturnInterview.due_at),
        Index("ix_return_interviews_org_found", ReturnInterview.organisation_id, ReturnInterview.found_at),
        # the review queue: asserted mentions of an organisation, newest first
        Index("ix_analysis_mentions_org_context", Mention.organisation_id, Mention.context, Mention.tagged_at),
        # one entity group's rows
        Index("ix_analysis_entities_org_form", Entity.organisation_id, Entity.label, Entity.normalized),
    ]


SPEED_INDEXES = _speed_indexes()
