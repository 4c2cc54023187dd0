"""Themes across every RHI: indicators by category and code over weeks and months, and the monthly
72-hour and decline figures councils are inspected on.

Counts are of RHIs (or received RHIs) showing an indicator, not of mentions: a child who talks about
gifts three times is one RHI with CSE_GIFTS. An indicator is "confirmed" when a coordinator confirmed
it (or added it), "suggested" while only the engine has found it; dismissed ones are not counted.
Both are read from counts per London day kept up to date as tags, decisions, RHIs and children
change (theme_counts.py, compliance_counts.py), summed by week or month in the database: the page
adds up a few hundred rows whatever the size of the caseload.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Date, DateTime, and_, bindparam, case, cast, func, literal_column, or_, select, text

from .. import rules, theme_counts
from ..extensions import db
from ..models.children import Child
from ..models.coordination import ComplianceCount, ComplianceMark, ThemeCount, ThemeMark

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


def _filter_values(filters: Filters) -> list[tuple[str, str]]:
    """(dimension, value) for each child filter chosen, as theme_counts counts them."""
    chosen = [(name, getattr(filters, name)) for name in ("team", "legal_status", "sex", "placing")]
    chosen.append(("age_band", filters.age_band if filters.age_band in rules.AGE_BANDS else None))
    return [(name, value) for name, value in chosen if value]


def _period_sql(day, period: str):
    """The first day of the week (Monday) or month a day falls in, worked out by the database."""
    # literals, not parameters: PostgreSQL must see the same expression in SELECT and GROUP BY
    if _dialect() == "postgresql":
        unit = literal_column("'week'" if period == "week" else "'month'")
        return cast(func.date_trunc(unit, cast(day, DateTime)), Date)
    if period == "week":
        return func.date(day, literal_column("'-6 days'"), literal_column("'weekday 1'"))
    return func.date(day, literal_column("'start of month'"))


def _days_and_months(filters: Filters, months: bool):
    """The kept rows that add up to the range: a row a month for the whole months in it, a row a
    day for the days either side (all days when `months` is false, for weeks)."""
    t = ThemeCount
    first = filters.date_from if filters.date_from.day == 1 else _next_month(filters.date_from)
    after = _next_month(filters.date_to)
    last = after if after - timedelta(days=1) == filters.date_to else filters.date_to.replace(day=1)
    if not months or first >= last:
        return and_(t.grain == theme_counts.DAY, t.day >= filters.date_from, t.day <= filters.date_to)
    # whole months from `first` up to (not including) `last`
    return or_(and_(t.grain == theme_counts.MONTH, t.day >= first, t.day < last),
               and_(t.grain == theme_counts.DAY, or_(and_(t.day >= filters.date_from, t.day < first),
                                                     and_(t.day >= last, t.day <= filters.date_to))))


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _counted(organisation_id, filters: Filters, keys: list[str], code_rows: bool):
    """Sums of the kept counts (models.coordination.ThemeCount): RHIs showing each category (code
    "") or code, and how many of those were confirmed, grouped by `keys` ("period", "category",
    "code"). With two or more child filters at once, added up from the units' marks instead."""
    chosen = _filter_values(filters)
    if len(chosen) <= 1:
        dimension, value = chosen[0] if chosen else ("", "")
        t = ThemeCount
        weekly = "period" in keys and filters.period == "week"
        where = [t.dimension == dimension, t.value == value, _days_and_months(filters, months=not weekly)]
        totals = (func.sum(t.rhis), func.sum(t.confirmed))
    else:
        t = ThemeMark
        where = [getattr(t, name) == value for name, value in chosen]
        where += [t.day >= filters.date_from, t.day <= filters.date_to]
        totals = (func.count(), func.sum(case((t.confirmed.is_(True), 1), else_=0)))
    where.append(t.organisation_id == organisation_id)
    if filters.code:
        where.append(t.code == filters.code)
    else:
        where.append(t.code != "" if code_rows else t.code == "")
    columns = {"period": _period_sql(t.day, filters.period), "category": t.category, "code": t.code}
    group = [columns[k] for k in keys]
    return db.session.execute(select(*group, *totals).where(*where).group_by(*group)).all()


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
    totals: dict = defaultdict(lambda: [0, 0])
    trend = [[0, 0] for _ in buckets] if filters.code else None
    if filters.code:
        # one code: its own rows give the category's line, the code's total and its trend
        rows = [(period, category, filters.code, n, c)
                for period, category, n, c in _counted(organisation_id, filters, ["period", "category"], True)]
    else:
        rows = _counted(organisation_id, filters, ["category", "code"], True)
        rows = [(None, category, code, n, c) for category, code, n, c in rows]
        for period, category, n, c in _counted(organisation_id, filters, ["period", "category"], False):
            slot = index.get(period_start(_as_date(period), filters.period))
            if slot is not None and category in by_category:
                by_category[category][slot][0] += int(n or 0)
                by_category[category][slot][1] += int(c or 0)
    for period, category, code, n, c in rows:
        n, c = int(n or 0), int(c or 0)
        if not n:
            continue
        totals[(code, category)][0] += n
        totals[(code, category)][1] += c
        if period is not None:
            slot = index.get(period_start(_as_date(period), filters.period))
            if slot is None:
                continue
            if category in by_category:
                by_category[category][slot][0] += n
                by_category[category][slot][1] += c
            trend[slot][0] += n
            trend[slot][1] += c
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
    """By month of the found day: RHIs we carry out whose 72 hours have run, how many were held in
    time, held late, declined. Read from the kept counts (compliance_counts.py), less the few RHIs
    in the range whose due time is still to come."""
    chosen = _filter_values(filters)
    if len(chosen) <= 1:
        dimension, value = chosen[0] if chosen else ("", "")
        c = ComplianceCount
        counted = (select(_period_sql(c.day, "month"), func.sum(c.rhis), func.sum(c.held_in_time), func.sum(c.held_late),
                          func.sum(c.declined))
                   .where(c.organisation_id == organisation_id, c.dimension == dimension, c.value == value,
                          c.day >= filters.date_from, c.day <= filters.date_to))
    else:
        counted = _marks_by_month(organisation_id, filters, chosen)
    not_due = _marks_by_month(organisation_id, filters, chosen).where(ComplianceMark.due_at > now)
    months = {r: ComplianceRow(r, 0, 0, 0, 0) for r in periods(Filters(filters.date_from, filters.date_to, period="month"))}
    for rows, sign in ((db.session.execute(counted.group_by(*counted.selected_columns[:1])), 1),
                       (db.session.execute(not_due.group_by(*not_due.selected_columns[:1])), -1)):
        for d, due, in_time, late, declined in rows:
            row = months.get(period_start(_as_date(d), "month"))
            if row is None:
                continue
            row.due += sign * int(due or 0)
            row.held_in_time += sign * int(in_time or 0)
            row.held_late += sign * int(late or 0)
            row.declined += sign * int(declined or 0)
    return list(months.values())


def _marks_by_month(organisation_id, filters: Filters, chosen):
    m = ComplianceMark

    def true(column):
        return func.sum(case((column.is_(True), 1), else_=0))

    return (select(_period_sql(m.day, "month"), func.count(), true(m.held_in_time), true(m.held_late), true(m.declined))
            .where(m.organisation_id == organisation_id, m.day >= filters.date_from, m.day <= filters.date_to,
                   *(getattr(m, name) == value for name, value in chosen)))


def teams(organisation_id) -> list[str]:
    """The organisation's teams, found by skipping from each team to the next along the
    (organisation, team) index: a few lookups however many children there are."""
    query = text("""
        WITH RECURSIVE found(team) AS (
            SELECT min(team) FROM children WHERE organisation_id = :org AND team IS NOT NULL
            UNION ALL
            SELECT (SELECT min(c.team) FROM children c WHERE c.organisation_id = :org AND c.team > found.team)
            FROM found WHERE found.team IS NOT NULL
        )
        SELECT team FROM found WHERE team IS NOT NULL ORDER BY team""").bindparams(
        bindparam("org", type_=Child.__table__.c.organisation_id.type))
    return list(db.session.execute(query, {"org": organisation_id}).scalars())
