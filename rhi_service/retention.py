"""Everything held about one child: found by following the schema, for retention and for a
subject-access request.

The walk starts at the child and collects every row that points at a collected row (by foreign key,
or by `subject_id` for form answers keyed by subject), until nothing new is found. New tables are
covered without a change here, as long as they link to the child by a foreign key or a subject id.
The audit log is left alone: it holds ids only, so it keeps its chain when a child is deleted.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, select

from .database import lock_all_counts
from .extensions import db
from .models.children import Child

KEPT_TABLES = {"audit_events", "audit_head", "users", "organisations", "api_tokens", "alembic_version"}
SUBJECT_COLUMNS = ("subject_id",)
# The coordinator's kept counts: deleted with the child, but not part of a subject-access export.
# They are worked out from the records the export already holds, and a peer link names another child,
# whose information the child has no right to.
DERIVED_TABLES = {"theme_marks", "review_marks", "compliance_marks", "repeat_marks", "peer_links", "peer_group_members"}


def _tables():
    return [t for t in db.metadata.sorted_tables if t.name not in KEPT_TABLES]


def _primary(table):
    return list(table.primary_key.columns)[0]


def collect(child_id: uuid.UUID) -> dict[str, set]:
    """table name → primary keys of the rows that belong to the child."""
    found: dict[str, set] = defaultdict(set)
    found["children"].add(child_id)
    all_ids: set = {child_id}
    changed = True
    while changed:
        changed = False
        for table in _tables():
            pk = _primary(table)
            conditions = []
            for column in table.columns:
                for fk in column.foreign_keys:
                    target = fk.column.table.name
                    if found.get(target):
                        conditions.append(column.in_(list(found[target])))
                if column.name in SUBJECT_COLUMNS:
                    conditions.append(column.in_(list(all_ids)))
            for condition in conditions:
                for key in db.session.execute(select(pk).where(condition)).scalars():
                    if key not in found[table.name]:
                        found[table.name].add(key)
                        all_ids.add(key)
                        changed = True
    return {name: keys for name, keys in found.items() if keys}


def _mapped_class(table):
    for mapper in db.Model.registry.mappers:
        if mapper.local_table is table:
            return mapper.class_
    return None


def _plain(value):
    if isinstance(value, (uuid.UUID, datetime, date)):
        return value.isoformat() if not isinstance(value, uuid.UUID) else str(value)
    return value


def export(child_id: uuid.UUID) -> dict:
    """Everything held about the child, decrypted, as plain JSON-ready data."""
    result = {}
    found = collect(child_id)
    for table in _tables():
        keys = found.get(table.name)
        if not keys or table.name in DERIVED_TABLES:
            continue
        model = _mapped_class(table)
        pk = _primary(table)
        rows = db.session.execute(select(model).where(pk.in_(list(keys)))).scalars()
        result[table.name] = [
            {column.key: _plain(getattr(row, column.key)) for column in model.__mapper__.column_attrs}
            for row in rows
        ]
    return result


def stored_files(found: dict[str, set]) -> list[Path]:
    """Files on disk that belong to collected rows (models say so with a `stored_path` property)."""
    paths = []
    for table in _tables():
        keys = found.get(table.name)
        model = _mapped_class(table) if keys else None
        if model is None or not hasattr(model, "stored_path"):
            continue
        for row in db.session.execute(select(model).where(_primary(table).in_(list(keys)))).scalars():
            path = row.stored_path
            if path:
                paths.append(Path(path))
    return paths


def delete_child(child_id: uuid.UUID) -> dict[str, int]:
    """Delete every row that belongs to the child, children of rows first; the caller commits."""
    found = collect(child_id)
    files = stored_files(found)
    from . import compliance_counts, entity_groups, peer_links, theme_counts
    # people-and-places counts are kept per name, not per child: recount them, and forget names
    # nobody else's record holds; the themes and 72-hour counts lose what the child's RHIs added; the rest of
    # the child's peer group is grouped again without them
    child = db.session.get(Child, child_id)
    if child is not None:
        lock_all_counts(db.session, child.organisation_id)
    forms = entity_groups.forms_of_child(child_id)
    mates = peer_links.group_mates(child_id)
    if child is not None:
        theme_counts.forget_child(child_id, child.organisation_id)
        compliance_counts.forget_child(db.session, child_id, child.organisation_id)
    counts = {}
    for table in reversed(_tables()):
        keys = found.get(table.name)
        if keys:
            db.session.execute(delete(table).where(_primary(table).in_(list(keys))))
            counts[table.name] = len(keys)
    entity_groups.forget(forms)
    if child is not None:
        peer_links.regroup(child.organisation_id, mates - {child_id})
    for path in files:
        path.unlink(missing_ok=True)
    return counts


def past_retention(today: date, until_age: int, extra_years: int, organisation_id=None) -> list[Child]:
    """Children whose record has passed its retention date: their birthday at `until_age`, plus
    `extra_years`."""
    years = until_age + extra_years
    try:
        born_before = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born_before = today.replace(year=today.year - years, day=28)
    query = select(Child).where(Child.date_of_birth <= born_before).order_by(Child.date_of_birth)
    if organisation_id is not None:
        query = query.where(Child.organisation_id == organisation_id)
    return list(db.session.execute(query).scalars())
