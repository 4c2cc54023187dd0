"""People and places across every RHI and form, and the peer groups they reveal."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, distinct, func, or_, select
from sqlalchemy.orm import load_only

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


def _link_groups(organisation_id) -> list[EntityGroup]:
    """People, numbers, vehicles and handles named by a few children (not so many it is a common name)."""
    return list(db.session.execute(select(EntityGroup).where(
        EntityGroup.organisation_id == organisation_id, EntityGroup.label.in_(PEER_LABELS),
        EntityGroup.children_count >= 2, EntityGroup.children_count <= PEER_GROUP_MAX_CHILDREN)).scalars())


def _members(organisation_id, groups: list[EntityGroup]) -> list[tuple]:
    """(group id, child id) for each group's rows, merged spellings included. One indexed lookup per
    label over the groups' forms, rather than a join over every entity."""
    if not groups:
        return []
    by_form = {(g.label, g.normalized): g.id for g in groups}
    for merge in db.session.execute(select(EntityMerge).where(
            EntityMerge.organisation_id == organisation_id, EntityMerge.label.in_(PEER_LABELS))).scalars():
        if (merge.label, merge.canonical) in by_form:
            by_form[(merge.label, merge.normalized)] = by_form[(merge.label, merge.canonical)]
    out = set()
    for label in PEER_LABELS:
        forms = [form for (lab, form) in by_form if lab == label]
        for at in range(0, len(forms), 1000):
            rows = db.session.execute(select(Entity.normalized, Entity.child_id).distinct().where(
                Entity.organisation_id == organisation_id, Entity.label == label,
                Entity.normalized.in_(forms[at:at + 1000])))
            out |= {(by_form[(label, form)], child_id) for form, child_id in rows}
    return list(out)


def _named_links(organisation_id) -> list[tuple]:
    """(namer, named) where one child's RHI or profile names another child of ours in full. Matched
    through the people groups (a few per name) rather than by comparing every entity with every child."""
    people = {g.normalized: g for g in db.session.execute(select(EntityGroup).where(
        EntityGroup.organisation_id == organisation_id, EntityGroup.label == "PERSON",
        EntityGroup.normalized.contains(" "))).scalars()}
    if not people:
        return []
    named: dict = {}
    for child_id, first, last, preferred in db.session.execute(select(
            Child.id, Child.first_name_key, Child.last_name_key, Child.preferred_name).where(Child.organisation_id == organisation_id)):
        for form in {f"{first} {last}", f"{fold_name(preferred)} {last}" if preferred else None} - {None}:
            if form in people:
                named.setdefault(form, set()).add(child_id)
    if not named:
        return []
    namers = _members(organisation_id, [people[form] for form in named])
    group_form = {people[form].id: form for form in named}
    return sorted({(namer, child) for group_id, namer in namers for child in named[group_form[group_id]] if namer != child},
                  key=str)


def peer_groups(organisation_id, page: int, per_page: int = 10) -> Page:
    """Children joined by shared people, numbers, vehicles and handles, or by naming each other:
    the connected groups, largest first, one page of them loaded in full."""
    link_groups = _link_groups(organisation_id)
    members = _members(organisation_id, link_groups)
    named = _named_links(organisation_id)
    groups = {g.id: g for g in link_groups}
    # A child naming themselves (their own name in their own RHI) links them to nobody.
    person_members = {c for g, c in members if groups[g].label == "PERSON"}
    own = {}
    for at in range(0, len(person_members), 5000):
        chunk = list(person_members)[at:at + 5000]
        for child_id, first, last, preferred in db.session.execute(select(
                Child.id, Child.first_name_key, Child.last_name_key, Child.preferred_name).where(Child.id.in_(chunk))):
            own[child_id] = _own_names_of(first, last, preferred)
    by_group: dict = {}
    for group_id, child_id in members:
        group = groups[group_id]
        if group.label == "PERSON" and group.normalized in own.get(child_id, ()):
            continue
        by_group.setdefault(group_id, set()).add(child_id)
    shared = {g: ids for g, ids in by_group.items() if len(ids) >= 2}
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for ids in shared.values():
        first, *rest = sorted(ids, key=str)
        for other in rest:
            parent[find(other)] = find(first)
    for a, b in named:
        parent[find(a)] = find(b)
    components: dict = {}
    for child_id in list(parent):
        components.setdefault(find(child_id), set()).add(child_id)
    ordered = sorted((ids for ids in components.values() if len(ids) >= 2), key=lambda ids: (-len(ids), min(map(str, ids))))
    total = len(ordered)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    chosen = ordered[(page - 1) * per_page:page * per_page]
    wanted = set().union(*chosen) if chosen else set()
    # names only: the address is encrypted and not shown here
    children = {c.id: c for c in db.session.execute(select(Child).options(load_only(
        Child.first_name, Child.last_name, Child.preferred_name, Child.first_name_key, Child.last_name_key))
        .where(Child.id.in_(wanted))).scalars()} if wanted else {}
    out = []
    for ids in chosen:
        out.append(PeerGroup(
            children=sorted((children[i] for i in ids if i in children), key=lambda c: (c.last_name_key, c.first_name_key)),
            shared=sorted(((groups[g], sorted(m & ids, key=str)) for g, m in shared.items() if m & ids),
                          key=lambda gm: (-len(gm[1]), gm[0].label, gm[0].normalized)),
            named=[(a, b) for a, b in named if a in ids and b in ids]))
    return Page(out, page, pages, total)


def _own_names_of(first: str, last: str, preferred: str | None) -> set[str]:
    names = {first, f"{first} {last}"}
    if preferred:
        names |= {fold_name(preferred), f"{fold_name(preferred)} {last}"}
    return names


def groups_for_child(child_id, organisation_id) -> list[EntityGroup]:
    from .coordinator import groups_for_sources

    return groups_for_sources(organisation_id, Entity.child_id == child_id, by=Entity.child_id).get(child_id, [])
