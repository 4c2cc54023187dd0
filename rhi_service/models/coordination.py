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
from datetime import date, datetime

from sqlalchemy import (Boolean, Date, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, UniqueConstraint, Uuid,
                        and_)
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


class CountedUnder:
    """The child's details a mark was counted under, as they stood then: the filters of the themes
    and 72-hour pages, so that a change to the child takes away exactly what was added."""

    team: Mapped[str] = mapped_column(String(100))
    legal_status: Mapped[str] = mapped_column(String(30))
    sex: Mapped[str] = mapped_column(String(20))
    placing: Mapped[str] = mapped_column(String(40))
    age_band: Mapped[str] = mapped_column(String(20))


class ThemeMark(UUIDPrimaryKey, CountedUnder, db.Model):
    """What one RHI (or received RHI) adds to the themes counts: one row per category it shows, and one
    per indicator code, with the day and the child's details it was counted under.

    The ledger that lets theme_counts take away exactly what it added when the tags, a decision, the
    RHI's found time or the child's details change, whatever has changed since. `unit_id` is the RHI's
    id, or the upload's for a received RHI with no RHI of ours."""

    __tablename__ = "theme_marks"
    __table_args__ = (Index("ix_theme_marks_org_day", "organisation_id", "day"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    rhi_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("return_interviews.id"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    day: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(20))
    # "" for the category as a whole (an RHI with two CSE indicators is one CSE RHI)
    code: Mapped[str] = mapped_column(String(60))
    confirmed: Mapped[bool] = mapped_column(Boolean)


class ThemeCount(db.Model):
    """RHIs showing each category and indicator per London day and per month: in total (dimension "")
    and for each value of each filter on its own (dimension "team", value "Early Help"). Kept up to
    date in the same transaction as every write that changes them (theme_counts.py), so the themes
    page adds up a few hundred rows whatever the caseload."""

    __tablename__ = "theme_counts"
    __table_args__ = (PrimaryKeyConstraint("organisation_id", "dimension", "value", "grain", "day", "category", "code",
                                           name="pk_theme_counts"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    dimension: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(100))
    # "d": the London day; "m": the month, on its first day (whole months are read a row a month)
    grain: Mapped[str] = mapped_column(String(1))
    day: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(60))
    rhis: Mapped[int] = mapped_column(Integer)
    confirmed: Mapped[int] = mapped_column(Integer)


class ReviewMark(db.Model):
    """How many asserted mentions of one RHI (or received RHI) wait for review, are confirmed or are
    dismissed, by category: what the unit adds to ReviewCount, kept as theme_counts refreshes it."""

    __tablename__ = "review_marks"
    __table_args__ = (PrimaryKeyConstraint("unit_id", "category", "state", name="pk_review_marks"),)

    unit_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    category: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(12))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    mentions: Mapped[int] = mapped_column(Integer)


class ReviewCount(db.Model):
    """The review queue's totals: asserted mentions per category and state, kept with the marks."""

    __tablename__ = "review_counts"
    __table_args__ = (PrimaryKeyConstraint("organisation_id", "category", "state", name="pk_review_counts"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    category: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(12))
    mentions: Mapped[int] = mapped_column(Integer)


class ComplianceMark(CountedUnder, db.Model):
    """What one RHI we carry out adds to the monthly 72-hour figures: its found day, whether it was
    held in time, held late or declined, and the child's details it was counted under (the ledger
    compliance_counts takes away from when the RHI or the child changes)."""

    __tablename__ = "compliance_marks"
    __table_args__ = (Index("ix_compliance_marks_org_day", "organisation_id", "day"),
                      # the page takes off the RHIs whose 72 hours have not run
                      Index("ix_compliance_marks_org_due", "organisation_id", "due_at"))

    rhi_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("return_interviews.id"), primary_key=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    held_in_time: Mapped[bool] = mapped_column(Boolean)
    held_late: Mapped[bool] = mapped_column(Boolean)
    declined: Mapped[bool] = mapped_column(Boolean)


class ComplianceCount(db.Model):
    """RHIs we carry out per London found day (in total, and under each value of each filter on its
    own), with how many were held in time, held late and declined. Whether an RHI's 72 hours have
    run is a matter of when the page is read: the page takes off the few RHIs not yet due."""

    __tablename__ = "compliance_counts"
    __table_args__ = (PrimaryKeyConstraint("organisation_id", "dimension", "value", "day", name="pk_compliance_counts"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    dimension: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(100))
    day: Mapped[date] = mapped_column(Date)
    rhis: Mapped[int] = mapped_column(Integer)
    held_in_time: Mapped[int] = mapped_column(Integer)
    held_late: Mapped[int] = mapped_column(Integer)
    declined: Mapped[int] = mapped_column(Integer)


class RepeatMark(db.Model):
    """A child's three latest missing reports, kept as episodes are recorded and corrected
    (repeat_marks.py): "3 or more in 90 days" is "the third latest within 90 days", an indexed range
    read, where counting every child's episodes in a rolling window would grow with the caseload."""

    __tablename__ = "repeat_marks"
    __table_args__ = (Index("ix_repeat_marks_org_latest", "organisation_id", "latest_at"),
                      Index("ix_repeat_marks_org_second", "organisation_id", "second_at"),
                      Index("ix_repeat_marks_org_third", "organisation_id", "third_at"))

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), primary_key=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    latest_at: Mapped[datetime] = mapped_column(UTCDateTime)
    second_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    third_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PeerLink(UUIDPrimaryKey, db.Model):
    """Two children linked through one people-and-places group: both named it ("shared", stored once
    per pair), or one child's RHI or profile names the other in full ("named": child names other).
    Kept up to date with the groups' counts (peer_links.py)."""

    __tablename__ = "peer_links"
    __table_args__ = (UniqueConstraint("entity_group_id", "kind", "child_id", "other_child_id", name="uq_peer_links_pair"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    entity_group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("entity_groups.id"))
    kind: Mapped[str] = mapped_column(String(10))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)
    other_child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), index=True)


class PeerGroup(UUIDPrimaryKey, db.Model):
    """A connected group of linked children (two or more), kept as links change."""

    __tablename__ = "peer_groups"
    __table_args__ = (Index("ix_peer_groups_rank", "organisation_id", "size", "sort_key"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"))
    size: Mapped[int] = mapped_column(Integer)
    # the smallest member id: a stable order among groups of one size (no foreign key, so deleting
    # that child's record does not reach the group; the group is regrouped in the same transaction)
    sort_key: Mapped[uuid.UUID] = mapped_column(Uuid)


class PeerGroupMember(db.Model):
    __tablename__ = "peer_group_members"

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), primary_key=True)
    peer_group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("peer_groups.id"), index=True)


# Indexes on other aggregates' tables that only the coordinator's pages need; declared here, beside
# the pages' own tables, so the owning models stay as they are (migrations 0009 and 0011 create them).
def _speed_indexes():
    from .analysis import Entity, Mention, TagDecision
    from .children import Child
    from .episodes import MissingEpisode
    from .interviews import ReturnInterview

    awaiting_sign_off = and_(ReturnInterview.status == "submitted", ReturnInterview.signed_off_at.is_(None))
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
        # Today's "awaiting sign-off": the few submitted RHIs not yet signed off, oldest first
        Index("ix_return_interviews_awaiting_sign_off", ReturnInterview.organisation_id, ReturnInterview.submitted_at,
              ReturnInterview.id, postgresql_where=awaiting_sign_off, sqlite_where=awaiting_sign_off),
        # the teams of the themes filter, read by skipping from one team to the next
        Index("ix_children_org_team", Child.organisation_id, Child.team),
        # the review queue: asserted mentions of an organisation, newest first
        Index("ix_analysis_mentions_org_context", Mention.organisation_id, Mention.context, Mention.tagged_at),
        # ... and those waiting, confirmed or dismissed
        Index("ix_analysis_mentions_org_state", Mention.organisation_id, Mention.context, Mention.review_state,
              Mention.tagged_at),
        # the decisions for a page of mentions
        Index("ix_analysis_decisions_source", TagDecision.source_kind, TagDecision.source_id),
        # one entity group's rows
        Index("ix_analysis_entities_org_form", Entity.organisation_id, Entity.label, Entity.normalized),
    ]


SPEED_INDEXES = _speed_indexes()
