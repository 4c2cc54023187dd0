"""Themes across every RHI: indicators by category and code over weeks and months, and the monthly
72-hour and decline figures councils are inspected on.

Counts are of RHIs (or received RHIs) showing an indicator, not of mentions: a child who talks about
gifts three times is one RHI with CSE_GIFTS. An indicator is "confirmed" when a coordinator confirmed
it (or added it), "suggested" while only the engine has found it; dismissed ones are not counted.
The database groups by day (London days on PostgreSQL); weeks and months are built from the days,
so the grouping is the same on both databases.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Integer, and_, case, cast, distinct, func, select, union_all

from .. import rules
from ..extensions import db
from ..models.analysis import CONFIRMED, DISMISSED, MACHINE, Mention, TagDecision
from ..models.children import Child
from ..models.interviews import CONDUCTED_BY_US, DECLINED, ReturnInterview

LONDON = ZoneInfo("Europe/London")
CATEGORIES = ("CSE", "CCE", "TRAFFICKING")


@dataclass
class Filters:
    date_from: date
    date_to: date
    team: str | None = None
    legal_status: str | None = None
    age_band: str | None = None
    sex: str | None = None
    # "ours", or a placing authority's id
    placing: str | None = None
    code: str | None = None
    period: str = "month"

    def as_args(self) -> dict:
        args = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat(), "period": self.period}
        for name in ("team", "legal_status", "age_band", "sex", "placing", "code"):
            if getattr(self, name):
                args[name] = getattr(self, name)
        return args


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _day(column):
    if _dialect() == "postgresql":
        return cast(func.timezone("Europe/London", column), Date)
    return func.date(column)


def _age(at, date_of_birth):
    if _dialect() == "postgresql":
        return cast(func.date_part("year", func.age(cast(func.timezone("Europe/London", at), Date), date_of_birth)), Integer)
    return cast((func.julianday(at) - func.julianday(date_of_birth)) / 365.25, Integer)


def _bounds(filters: Filters) -> tuple[datetime, datetime]:
    start = datetime.combine(filters.date_from, time.min, LONDON).astimezone(timezone.utc)
    end = datetime.combine(filters.date_to + timedelta(days=1), time.min, LONDON).astimezone(timezone.utc)
    return start, end


def _child_conditions(filters: Filters, at) -> list:
    conditions = []
    if filters.team:
        conditions.append(Child.team == filters.team)
    if filters.legal_status:
        conditions.append(Child.legal_status == filters.legal_status)
    if filters.sex:
        conditions.append(Child.sex == filters.sex)
    if filters.placing == "ours":
        conditions.append(Child.placing_authority_id.is_(None))
    elif filters.placing:
        conditions.append(Child.placing_authority_id == uuid.UUID(filters.placing))
    if filters.age_band in rules.AGE_BANDS:
        low, high, _ = rules.AGE_BANDS[filters.age_band]
        age = _age(at, Child.date_of_birth)
        conditions += [age >= low, age < high]
    return conditions


def _mentions(organisation_id, filters: Filters):
    """Asserted mentions in the date range with the date they count on: the RHI's found time, or
    when a received RHI was tagged."""
    start, end = _bounds(filters)
    cols = (Mention.source_kind, Mention.source_id, Mention.source_key, Mention.code, Mention.category,
            Mention.text_hash, Mention.origin, Mention.child_id, Mention.rhi_id)
    of_rhis = (select(*cols, ReturnInterview.found_at.label("at"))
               .join(ReturnInterview, ReturnInterview.id == Mention.rhi_id)
               .where(ReturnInterview.organisation_id == organisation_id, ReturnInterview.found_at >= start,
                      ReturnInterview.found_at < end, Mention.context == "asserted"))
    of_uploads = (select(*cols, Mention.tagged_at.label("at"))
                  .where(Mention.organisation_id == organisation_id, Mention.rhi_id.is_(None),
                         Mention.tagged_at >= start, Mention.tagged_at < end, Mention.context == "asserted"))
    if filters.code:
        of_rhis = of_rhis.where(Mention.code == filters.code)
        of_uploads = of_uploads.where(Mention.code == filters.code)
    return union_all(of_rhis, of_uploads).subquery()


def _grouped(organisation_id, filters: Filters, by_code: bool):
    m = _mentions(organisation_id, filters)
    decided = and_(TagDecision.source_kind == m.c.source_kind, TagDecision.source_id == m.c.source_id,
                   TagDecision.source_key == m.c.source_key, TagDecision.code == m.c.code,
                   TagDecision.text_hash == m.c.text_hash)
    unit = func.coalesce(m.c.rhi_id, m.c.source_id)
    confirmed = case((TagDecision.decision == CONFIRMED, unit), (m.c.origin != MACHINE, unit), else_=None)
    day = _day(m.c.at)
    keys = [day, m.c.category] + ([m.c.code] if by_code else [])
    query = (select(*keys, func.count(distinct(unit)), func.count(distinct(confirmed)))
             .select_from(m).join(Child, Child.id == m.c.child_id).outerjoin(TagDecision, decided)
             .where(func.coalesce(TagDecision.decision, "") != DISMISSED, *_child_conditions(filters, m.c.at))
             .group_by(*keys))
    return db.session.execute(query).all()


# --- Periods --------------------------------------------------------------------------------------

def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def period_start(day: date, period: str) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def periods(filters: Filters) -> list[date]:
    out, at = [], period_start(filters.date_from, filters.period)
    while at <= filters.date_to:
        out.append(at)
        if filters.period == "week":
            at += timedelta(days=7)
        else:
            at = (at.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


def period_label(start: date, period: str) -> str:
    if period == "week":
        return f"{start.day} {start.strftime('%b')}"
    return start.strftime("%b %Y")


def period_long_label(start: date, period: str) -> str:
    if period == "week":
        return f"Week beginning {start.day} {start.strftime('%B %Y')}"
    return start.strftime("%B %Y")


# --- What the page shows --------------------------------------------------------------------------

@dataclass
class Themes:
    periods: list[date]
    # category → [(any, confirmed) per period]
    by_category: dict
    # (code, category) → (any, confirmed) over the whole range, most frequent first
    by_code: list
    # code → [(any, confirmed) per period], for the chosen code
    code_trend: list | None


def themes(organisation_id, filters: Filters) -> Themes:
    buckets = periods(filters)
    index = {start: i for i, start in enumerate(buckets)}
    by_category = {c: [[0, 0] for _ in buckets] for c in CATEGORIES}
    for day, category, any_count, confirmed in _grouped(organisation_id, filters, by_code=False):
        slot = index.get(period_start(_as_date(day), filters.period))
        if slot is None or category not in by_category:
            continue
        by_category[category][slot][0] += any_count
        by_category[category][slot][1] += confirmed
    totals: dict = defaultdict(lambda: [0, 0])
    trend = [[0, 0] for _ in buckets] if filters.code else None
    for day, category, code, any_count, confirmed in _grouped(organisation_id, filters, by_code=True):
        totals[(code, category)][0] += any_count
        totals[(code, category)][1] += confirmed
        if trend is not None and code == filters.code:
            slot = index.get(period_start(_as_date(day), filters.period))
            if slot is not None:
                trend[slot][0] += any_count
                trend[slot][1] += confirmed
    by_code = sorted(((k, tuple(v)) for k, v in totals.items()), key=lambda kv: (-kv[1][0], kv[0]))
    return Themes(buckets, by_category, by_code, trend)


@dataclass
class ComplianceRow:
    month: date
    due: int
    held_in_time: int
    held_late: int
    declined: int

    @property
    def in_time_rate(self):
        return rules.compliance_rate(self.held_in_time, self.due)

    @property
    def decline_rate(self):
        return rules.compliance_rate(self.declined, self.due)

    @property
    def not_held(self) -> int:
        return self.due - self.held_in_time - self.held_late - self.declined


def compliance(organisation_id, filters: Filters, now: datetime) -> list[ComplianceRow]:
    """By month of the found time: RHIs we carry out whose 72 hours have run, how many were held in
    time, held late, declined."""
    start, end = _bounds(filters)
    day = _day(ReturnInterview.found_at)
    query = (select(day, func.count(ReturnInterview.id),
                    func.sum(case((ReturnInterview.held_by_due.is_(True), 1), else_=0)),
                    func.sum(case((and_(ReturnInterview.held_by_due.is_(False), ReturnInterview.status != DECLINED), 1), else_=0)),
                    func.sum(case((ReturnInterview.status == DECLINED, 1), else_=0)))
             .join(Child, Child.id == ReturnInterview.child_id)
             .where(ReturnInterview.organisation_id == organisation_id, ReturnInterview.found_at >= start,
                    ReturnInterview.found_at < end, ReturnInterview.due_at <= now,
                    ReturnInterview.conducted_by == CONDUCTED_BY_US,
                    *_child_conditions(filters, ReturnInterview.found_at))
             .group_by(day))
    months = {m: ComplianceRow(m, 0, 0, 0, 0) for m in periods(Filters(filters.date_from, filters.date_to, period="month"))}
    for d, due, in_time, late, declined in db.session.execute(query):
        row = months.get(period_start(_as_date(d), "month"))
        if row is None:
            continue
        row.due += due or 0
        row.held_in_time += in_time or 0
        row.held_late += late or 0
        row.declined += declined or 0
    return list(months.values())


def teams(organisation_id) -> list[str]:
    return [t for t in db.session.execute(select(Child.team).distinct().where(
        Child.organisation_id == organisation_id, Child.team.is_not(None)).order_by(Child.team)).scalars()]
