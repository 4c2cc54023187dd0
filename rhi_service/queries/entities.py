"""People and places across every RHI and form, and the peer groups they reveal."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, distinct, func, or_, select, union

from ..entity_groups import LABELS, aliases_of
from ..extensions import db
from ..models.analysis import Entity
from ..models.children import Child, fold_name
from ..models.coordination import EntityGroup, EntityMerge
from ..models.interviews import ReturnInterview
from .paging import Page, paginate

LABEL_NAMES = {"PERSON": "Person", "LOCATION": "Place", "PHONE": "Phone number", "VEHICLE": "Vehicle",
               "SOCIAL": "Social media or messaging handle"}
# A shared town is not a peer link; people, numbers, vehicles and handles are.
PEER_LABELS = ("PERSON", "PHONE", "VEHICLE", "SOCIAL")
# An entity named by more children than this is a hot spot (or a common first name), not a peer
# group: it is listed under people and places instead of joining everyone into one group.
PEER_GROUP_MAX_CHILDREN = 12
ENTITY_SORTS = {"children": "Most children", "episodes": "Most episodes", "recent": "Most recently named"}


def display(label: str, normalized: str) -> str:
    """The normalised form as people write it; the form itself is lower-cased for grouping."""
    if label == "PHONE" and len(normalized) == 11 and normalized.startswith("0"):
        return f"{normalized[:5]} {normalized[5:]}"
    if label == "SOCIAL":
        return "@" + normalized
    if label in ("PERSON", "LOCATION"):
        return " ".join(w[:1].upper() + w[1:] for w in normalized.split(" "))
    return normalized


def groups_page(organisation_id, label: str | None, search: str | None, sort: str, page: int) -> Page:
    query = select(EntityGroup).where(EntityGroup.organisation_id == organisation_id,
                                      EntityGroup.label.in_([label] if label else LABELS))
    if search:
        query = query.where(EntityGroup.normalized.startswith(fold_name(search).lstrip("@")))
    if sort == "episodes":
        query = query.order_by(EntityGroup.episodes_count.desc(), EntityGroup.children_count.desc(), EntityGroup.id)
    elif sort == "recent":
        query = query.order_by(EntityGroup.last_seen_at.desc().nulls_last(), EntityGroup.id)
    else:
        query = query.order_by(EntityGroup.children_count.desc(), EntityGroup.episodes_count.desc(), EntityGroup.id)
    return paginate(query, page)


def group_or_none(group_id) -> EntityGroup | None:
    return db.session.get(EntityGroup, group_id)


def group_or_none_by_form(organisation_id, label: str, normalized: str) -> EntityGroup | None:
    return db.session.execute(select(EntityGroup).where(
        EntityGroup.organisation_id == organisation_id, EntityGroup.label == label,
        EntityGroup.normalized == normalized)).scalar_one_or_none()


def merges_into(group: EntityGroup) -> list[EntityMerge]:
    return list(db.session.execute(select(EntityMerge).where(
        EntityMerge.organisation_id == group.organisation_id, EntityMerge.label == group.label,
        EntityMerge.canonical == group.normalized).order_by(EntityMerge.normalized)).scalars())


def _rows_of(group: EntityGroup):
    return and_(Entity.organisation_id == group.organisation_id, Entity.label == group.label,
                Entity.normalized.in_(aliases_of(group.organisation_id, group.label, group.normalized)))


def children_of(group: EntityGroup, page: int) -> Page:
    """The children linked to an entity, with how many of their RHIs name it and when it was last named."""
    per_child = (select(Entity.child_id.label("child_id"), func.count(distinct(Entity.rhi_id)).label("rhis"),
                        func.count(distinct(Entity.source_id)).label("texts"),
                        func.max(func.coalesce(ReturnInterview.found_at, Entity.tagged_at)).label("last"))
                 .outerjoin(ReturnInterview, ReturnInterview.id == Entity.rhi_id)
                 .where(_rows_of(group)).group_by(Entity.child_id).subquery())
    query = (select(Child, per_child.c.rhis, per_child.c.texts, per_child.c.last)
             .join(per_child, per_child.c.child_id == Child.id)
             .order_by(per_child.c.last.desc(), Child.id))
    from .coordinator import paginate_rows

    return paginate_rows(query, page)


def rhis_of(group: EntityGroup, limit: int = 25) -> list[ReturnInterview]:
    ids = select(Entity.rhi_id).where(_rows_of(group), Entity.rhi_id.is_not(None))
    return list(db.session.execute(select(ReturnInterview).where(ReturnInterview.id.in_(ids))
                                   .order_by(ReturnInterview.found_at.desc()).limit(limit)).scalars())


def merge_candidates(group: EntityGroup, search: str) -> list[EntityGroup]:
    folded = fold_name(search).lstrip("@")
    if not folded:
        return []
    return list(db.session.execute(select(EntityGroup).where(
        EntityGroup.organisation_id == group.organisation_id, EntityGroup.label == group.label,
        EntityGroup.id != group.id, or_(EntityGroup.normalized.startswith(folded), EntityGroup.normalized.contains(" " + folded)))
        .order_by(EntityGroup.children_count.desc(), EntityGroup.normalized).limit(20)).scalars())


# --- Peer groups ----------------------------------------------------------------------------------

@dataclass
class PeerGroup:
    children: list
    # (group, [child ids]) for each entity linking them, and (namer, named) for children named in
    # each other's RHIs
    shared: list
    named: list


def _members_of_link_groups(organisation_id):
    """(group, child id) for every people/number/vehicle/handle group named by a few children."""
    link = and_(EntityGroup.organisation_id == organisation_id, EntityGroup.label.in_(PEER_LABELS),
                EntityGroup.children_count >= 2, EntityGroup.children_count <= PEER_GROUP_MAX_CHILDREN)
    direct = (select(EntityGroup.id.label("group_id"), Entity.child_id.label("child_id"), Entity.rhi_id.label("rhi_id"))
              .join(Entity, and_(Entity.organisation_id == EntityGroup.organisation_id, Entity.label == EntityGroup.label,
                                 Entity.normalized == EntityGroup.normalized)).where(link))
    aliased = (select(EntityGroup.id.label("group_id"), Entity.child_id.label("child_id"), Entity.rhi_id.label("rhi_id"))
               .join(EntityMerge, and_(EntityMerge.organisation_id == EntityGroup.organisation_id,
                                       EntityMerge.label == EntityGroup.label, EntityMerge.canonical == EntityGroup.normalized))
               .join(Entity, and_(Entity.organisation_id == EntityMerge.organisation_id, Entity.label == EntityMerge.label,
                                  Entity.normalized == EntityMerge.normalized)).where(link))
    rows = union(direct, aliased).subquery()
    return db.session.execute(select(rows.c.group_id, rows.c.child_id, rows.c.rhi_id).distinct()).all()


def _named_links(organisation_id) -> list[tuple]:
    """(namer, named) where one child's RHI or profile names another child of ours in full."""
    full = Child.first_name_key + " " + Child.last_name_key
    known_as = func.lower(func.coalesce(Child.preferred_name, Child.first_name)) + " " + Child.last_name_key
    # one equality per query, so each can be a hash join rather than a comparison of every pair
    parts = [select(Entity.child_id.label("namer"), Child.id.label("named"))
             .join(Child, and_(Child.organisation_id == Entity.organisation_id, Entity.normalized == form))
             .where(Entity.organisation_id == organisation_id, Entity.label == "PERSON", Entity.child_id != Child.id)
             for form in (full, known_as)]
    both = union(*parts).subquery()
    return [tuple(r) for r in db.session.execute(select(both.c.namer, both.c.named)).all()]


def peer_groups(organisation_id) -> tuple[list[PeerGroup], dict]:
    members = _members_of_link_groups(organisation_id)
    child_ids = {c for _, c, _ in members}
    named = _named_links(organisation_id)
    child_ids |= {a for a, _ in named} | {b for _, b in named}
    children = {c.id: c for c in db.session.execute(select(Child).where(Child.id.in_(child_ids))).scalars()} if child_ids else {}
    groups = {g.id: g for g in db.session.execute(select(EntityGroup).where(
        EntityGroup.id.in_({g for g, _, _ in members}))).scalars()} if members else {}
    # A child naming themselves (their own name in their own RHI) links them to nobody.
    by_group: dict = {}
    for group_id, child_id, _ in members:
        group, child = groups.get(group_id), children.get(child_id)
        if group is None or child is None:
            continue
        if group.label == "PERSON" and group.normalized in _own_names(child):
            continue
        by_group.setdefault(group_id, set()).add(child_id)
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(a, b):
        parent[find(a)] = find(b)

    shared = {g: ids for g, ids in by_group.items() if len(ids) >= 2}
    for ids in shared.values():
        first, *rest = sorted(ids)
        for other in rest:
            join(first, other)
    for a, b in named:
        if a in children and b in children:
            join(a, b)
    components: dict = {}
    for child_id in parent:
        components.setdefault(find(child_id), set()).add(child_id)
    out = []
    for ids in components.values():
        if len(ids) < 2:
            continue
        out.append(PeerGroup(
            children=sorted((children[i] for i in ids), key=lambda c: (c.last_name_key, c.first_name_key)),
            shared=sorted(((groups[g], sorted(m & ids)) for g, m in shared.items() if m & ids),
                          key=lambda gm: (-len(gm[1]), gm[0].label, gm[0].normalized)),
            named=[(a, b) for a, b in named if a in ids and b in ids]))
    out.sort(key=lambda p: (-len(p.children), p.children[0].last_name_key))
    return out, children


def _own_names(child: Child) -> set[str]:
    first, last = child.first_name_key, child.last_name_key
    names = {first, f"{first} {last}"}
    if child.preferred_name:
        names |= {fold_name(child.preferred_name), f"{fold_name(child.preferred_name)} {last}"}
    return names


def groups_for_child(child_id, organisation_id) -> list[EntityGroup]:
    from .coordinator import groups_for_sources

    return groups_for_sources(organisation_id, Entity.child_id == child_id, by=Entity.child_id).get(child_id, [])
