"""What the coordinator's kept counts share (theme_counts.py, compliance_counts.py).

Both count per London day (the themes by month too), in total (dimension "") and under each value of
each filter of the themes page on its own (dimension "team", value "Early Help"), so the page adds
up a few hundred rows whatever the caseload; two filters at once are added up from the per-record
marks instead.
Changes are added to the counts as differences, in a fixed order, with one upsert per row.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

from . import rules

LONDON = ZoneInfo("Europe/London")
# The themes page's filters on the child, each counted on its own; "" is the total.
DIMENSIONS = ("team", "legal_status", "sex", "placing", "age_band")
OURS = "ours"
BATCH = 5000


def london_day(at: datetime) -> date:
    return at.astimezone(LONDON).date()


def child_dimensions(child, day: date) -> dict:
    """The filter values a record is counted under: the child's details, and their age band on the day."""
    return {"team": child.team or "", "legal_status": child.legal_status or "", "sex": child.sex or "",
            "placing": str(child.placing_authority_id) if child.placing_authority_id else OURS,
            "age_band": rules.age_band(rules.age_on(child.date_of_birth, day))}


def count(marks, sign: int, keys_of, measures: tuple[str, ...], into: Counter) -> Counter:
    """Add (sign 1) or take away (sign -1) what each mark adds to the counts: `keys_of(mark)` gives
    the keys it counts under, each as (organisation, *rest) without the dimension and value, which
    go after the organisation; each measure counts the marks where it is true ("*": every mark)."""
    for m in marks:
        for base in keys_of(m):
            for dimension in ("", *DIMENSIONS):
                key = (base[0], dimension, m[dimension] if dimension else "", *base[1:])
                for i, measure in enumerate(measures):
                    into[(key, i)] += sign * (1 if measure == "*" else int(bool(m[measure])))
    return into


def apply(execute, dialect: str, table, key_columns: tuple[str, ...], measure_columns: tuple[str, ...],
          deltas: Counter) -> None:
    """Add the differences to the count rows, inserting rows that are not there yet. `execute` is
    session.execute or connection.execute; `dialect` the database's dialect name."""
    rows: dict = {}
    for (key, which), change in deltas.items():
        rows.setdefault(key, [0] * len(measure_columns))[which] += change
    # a fixed order, so two transactions adding to the same rows never wait on each other in a circle
    params = [dict(zip(key_columns, k)) | dict(zip(measure_columns, v))
              for k, v in sorted(rows.items(), key=lambda kv: tuple(map(str, kv[0]))) if any(v)]
    if not params:
        return
    statement = _upsert(dialect, table, key_columns, measure_columns)
    for at in range(0, len(params), BATCH):
        execute(statement, params[at:at + BATCH])


def _upsert(dialect: str, table, key_columns, measure_columns):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    statement = dialect_insert(table)
    return statement.on_conflict_do_update(
        index_elements=[table.c[k] for k in key_columns],
        set_={m: table.c[m] + statement.excluded[m] for m in measure_columns})
