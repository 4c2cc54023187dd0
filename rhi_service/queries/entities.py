"""People and places across every RHI and form, and the peer groups they reveal."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, distinct, func, or_, select

from .. import peer_links
from ..entity_groups import LABELS, aliases_of
from ..extensions import db
from ..models.analysis import Entity
from ..models.children import Child, fold_name
from ..models.coordination import EntityGroup, EntityMerge, PeerGroup as PeerGroupRow, PeerGroupMember, PeerLink
from ..models.interviews import ReturnInterview
from .paging import Page, paginate

LABEL_NAMES = {"PERSON": "Person", "LOCATION": "Place", "PHONE": "Phone number", "VEHICLE": "Vehicle",
               "SOCIAL": "Social media or messaging handle"}
# A shared town is not a peer link; people, numbers, vehicles and handles are (peer_links.py).
PEER_LABELS = peer_links.PEER_LABELS
PEER_GROUP_MAX_CHILDREN = peer_links.PEER_GROUP_MAX_CHILDREN
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

@dataclass(frozen=True)
class PeerChild:
    id: object
    display_name: str
    last_name_key: str
    first_name_key: str


@dataclass(frozen=True)
class PeerEntity:
    id: object
    label: str
    normalized: str


@dataclass
class PeerGroup:
    children: list
    # (group, [child ids]) for each entity linking them, and (namer, named) for children named in
    # each other's RHIs
    shared: list
    named: list


def peer_groups(organisation_id, page: int, per_page: int = 10) -> Page:
    """Children joined by shared people, numbers, vehicles and handles, or by naming each other:
    the connected groups kept by peer_links, largest first, one page of them loaded in full."""
    # largest first, then by the group's smallest member id: the (organisation, size, sort key)
    # index read backwards
    ranked = (select(PeerGroupRow.id).where(PeerGroupRow.organisation_id == organisation_id)
              .order_by(PeerGroupRow.size.desc(), PeerGroupRow.sort_key.desc()))
    found = paginate(ranked, page, per_page=per_page)
    if not found.items:
        return found
    members: dict = {}
    for group_id, child_id in db.session.execute(select(PeerGroupMember.peer_group_id, PeerGroupMember.child_id)
                                                 .where(PeerGroupMember.peer_group_id.in_(found.items))):
        members.setdefault(group_id, set()).add(child_id)
    wanted = set().union(*members.values())
    # plain rows, not records: they outlive the audit entry's commit without being loaded again;
    # names only, the address is encrypted and not shown here
    children = {c.id: PeerChild(c.id, f"{c.preferred_name or c.first_name} {c.last_name}", c.last_name_key, c.first_name_key)
                for c in db.session.execute(select(Child.id, Child.first_name, Child.last_name, Child.preferred_name,
                                                   Child.first_name_key, Child.last_name_key).where(Child.id.in_(wanted)))}
    links = db.session.execute(select(PeerLink.entity_group_id, PeerLink.kind, PeerLink.child_id, PeerLink.other_child_id)
                               .where(PeerLink.child_id.in_(wanted))).all()
    entities = {g.id: PeerEntity(g.id, g.label, g.normalized) for g in db.session.execute(
        select(EntityGroup.id, EntityGroup.label, EntityGroup.normalized).where(
            EntityGroup.id.in_({g for g, kind, _, _ in links if kind == peer_links.SHARED})))} if links else {}
    out = []
    for group_id in found.items:
        ids = members.get(group_id, set())
        shared: dict = {}
        named = set()
        for entity_id, kind, a, b in links:
            if a not in ids:
                continue
            if kind == peer_links.SHARED:
                shared.setdefault(entity_id, set()).update((a, b))
            else:
                named.add((a, b))
        out.append(PeerGroup(
            children=sorted((children[i] for i in ids if i in children), key=lambda c: (c.last_name_key, c.first_name_key)),
            shared=sorted(((entities[g], sorted(m, key=str)) for g, m in shared.items() if g in entities),
                          key=lambda gm: (-len(gm[1]), gm[0].label, gm[0].normalized)),
            named=sorted(named, key=lambda ab: (str(ab[0]), str(ab[1])))))
    return Page(out, found.page, found.pages, found.total)


def groups_for_child(child_id, organisation_id) -> list[EntityGroup]:
    from .coordinator import groups_for_sources

    return groups_for_sources(organisation_id, Entity.child_id == child_id, by=Entity.child_id).get(child_id, [])
