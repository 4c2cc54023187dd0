"""Keeps the peer links and peer groups (models.coordination.PeerLink, PeerGroup) in step.

Two children are linked when their RHIs or profiles name the same person, phone number, vehicle or
social media handle (one people-and-places group; a place is not a link), or when one child's RHI or
profile names the other in full. A name shared by more than PEER_GROUP_MAX_CHILDREN children is a
common name or a hot spot, not a link (it is listed under people and places instead), and a child's
own name in their own RHI links them to nobody. Peer groups are the connected sets of linked
children.

Links are worked out per people-and-places group, whenever entity_groups recounts a group (storing
tags, merge, split, deleting a record) or a child's names change (records.py), in the same
transaction; the peer groups of the children whose links changed are then worked out again from the
links. `rebuild` does a whole organisation at once (bulk loads, `flask recount`).
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Iterable

from sqlalchemy import and_, delete, func, insert, or_, select

from .database import lock_all_counts, lock_counts
from .extensions import db
from .models.analysis import Entity
from .models.children import Child, fold_name
from .models.coordination import EntityGroup, EntityMerge, PeerGroup, PeerGroupMember, PeerLink

PEER_LABELS = ("PERSON", "PHONE", "VEHICLE", "SOCIAL")
PEER_GROUP_MAX_CHILDREN = 12
SHARED = "shared"
NAMED = "named"
BATCH = 5000


def own_names(first_key: str, last_key: str, preferred: str | None) -> set[str]:
    """The forms of a child's own name: mentioning them in their own RHI links them to nobody."""
    names = {first_key, f"{first_key} {last_key}"}
    if preferred:
        names |= {fold_name(preferred), f"{fold_name(preferred)} {last_key}"}
    return names


def full_names(first_key: str, last_key: str, preferred: str | None) -> set[str]:
    """The forms that, in another child's RHI, name this child."""
    names = {f"{first_key} {last_key}"}
    if preferred:
        names.add(f"{fold_name(preferred)} {last_key}")
    return names


def names_of(child) -> set[str]:
    """Every form of the child's names that links or unlinks them; keep it before a change of name."""
    if not child.first_name_key:
        return set()
    return own_names(child.first_name_key, child.last_name_key, child.preferred_name)


class Changes:
    """People-and-places groups whose links need working out again, and children whose peer group
    may have changed, gathered while entity_groups recounts."""

    def __init__(self):
        self.groups: dict = defaultdict(set)
        self.children: dict = defaultdict(set)

    def group(self, organisation_id, group_id, label: str) -> None:
        if label in PEER_LABELS:
            self.groups[organisation_id].add(group_id)

    def dropped(self, group: EntityGroup) -> None:
        """Before a people-and-places group is deleted: its links go with it."""
        self.children[group.organisation_id] |= _drop_links([group.id])

    def apply(self) -> None:
        for organisation_id in set(self.groups) | set(self.children):
            update(organisation_id, self.groups.get(organisation_id, ()), self.children.get(organisation_id, ()))


def _drop_links(group_ids) -> set:
    ids = list(group_ids)
    if not ids:
        return set()
    touched = set()
    for child_id, other_id in db.session.execute(select(PeerLink.child_id, PeerLink.other_child_id).where(
            PeerLink.entity_group_id.in_(ids))):
        touched |= {child_id, other_id}
    db.session.execute(delete(PeerLink).where(PeerLink.entity_group_id.in_(ids)),
                       execution_options={"synchronize_session": False})
    return touched


def _aliases(group: EntityGroup) -> list[str]:
    merged = db.session.execute(select(EntityMerge.normalized).where(
        EntityMerge.organisation_id == group.organisation_id, EntityMerge.label == group.label,
        EntityMerge.canonical == group.normalized)).scalars().all()
    return [group.normalized, *merged]


def _members(group: EntityGroup) -> set:
    return set(db.session.execute(select(Entity.child_id).distinct().where(
        Entity.organisation_id == group.organisation_id, Entity.label == group.label,
        Entity.normalized.in_(_aliases(group)))).scalars())


def _names(child_ids) -> dict:
    """child id → (first name key, last name key, preferred name)."""
    ids, out = list(child_ids), {}
    for at in range(0, len(ids), 1000):
        for child_id, first, last, preferred in db.session.execute(select(
                Child.id, Child.first_name_key, Child.last_name_key, Child.preferred_name).where(Child.id.in_(ids[at:at + 1000]))):
            out[child_id] = (first, last, preferred)
    return out


def children_named(organisation_id, form: str) -> set:
    """Children of the organisation whose full name (or preferred name and last name) is `form`."""
    words = form.split(" ")
    if len(words) < 2:
        return set()
    lasts = {" ".join(words[i:]) for i in range(1, len(words))}
    found = set()
    for child_id, first, last, preferred in db.session.execute(select(
            Child.id, Child.first_name_key, Child.last_name_key, Child.preferred_name).where(
            Child.organisation_id == organisation_id, Child.last_name_key.in_(lasts))):
        if form in full_names(first, last, preferred):
            found.add(child_id)
    return found


def _shared(members: set, label: str, normalized: str, names: dict) -> list[tuple]:
    if label == "PERSON":
        members = {c for c in members if normalized not in own_names(*names.get(c, ("", "", None)))}
    ordered = sorted(members)
    return [(SHARED, a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]]


def links_of(group: EntityGroup) -> list[tuple]:
    """(kind, child, other) for every link this people-and-places group makes."""
    if group.label not in PEER_LABELS:
        return []
    out: list[tuple] = []
    members = None
    if 2 <= group.children_count <= PEER_GROUP_MAX_CHILDREN:
        members = _members(group)
        names = _names(members) if group.label == "PERSON" else {}
        out += _shared(members, group.label, group.normalized, names)
    if group.label == "PERSON" and " " in group.normalized:
        named = children_named(group.organisation_id, group.normalized)
        if named:
            members = members if members is not None else _members(group)
            out += [(NAMED, namer, child) for namer in sorted(members) for child in sorted(named) if namer != child]
    return out


def _insert_links(organisation_id, group_id, links) -> set:
    rows = [dict(id=uuid.uuid4(), organisation_id=organisation_id, entity_group_id=group_id, kind=kind, child_id=a,
                 other_child_id=b) for kind, a, b in links]
    for at in range(0, len(rows), BATCH):
        db.session.execute(insert(PeerLink), rows[at:at + BATCH])
    return {c for _, a, b in links for c in (a, b)}


def update(organisation_id, group_ids: Iterable = (), children: Iterable = ()) -> None:
    """Work out again the links of these people-and-places groups, then the peer groups of every
    child whose links changed (and of `children`). The caller commits."""
    group_ids, touched = set(group_ids), set(children)
    if not group_ids and not touched:
        return
    db.session.flush()
    # the groups' forms are held by the caller (entity_groups, names_changed)
    ids = list(group_ids)
    for at in range(0, len(ids), 1000):
        chunk = ids[at:at + 1000]
        stored: dict = defaultdict(set)
        for group_id, kind, a, b in db.session.execute(select(
                PeerLink.entity_group_id, PeerLink.kind, PeerLink.child_id, PeerLink.other_child_id).where(
                PeerLink.entity_group_id.in_(chunk))):
            stored[group_id].add((kind, a, b))
        found = {g.id: g for g in db.session.execute(select(EntityGroup).where(EntityGroup.id.in_(chunk))).scalars()}
        for group_id in chunk:
            links = set(links_of(found[group_id])) if group_id in found else set()
            if links == stored[group_id]:
                continue  # the same links: nobody's peer group moves
            touched |= {c for _, a, b in links ^ stored[group_id] for c in (a, b)}
            db.session.execute(delete(PeerLink).where(PeerLink.entity_group_id == group_id),
                               execution_options={"synchronize_session": False})
            if links:
                _insert_links(organisation_id, group_id, sorted(links, key=lambda link: tuple(map(str, link))))
    regroup(organisation_id, touched)


def names_changed(child, before: set[str]) -> None:
    """After a child is recorded or their names change: names that link or unlink them."""
    forms = before | names_of(child)
    if not forms:
        return
    db.session.flush()
    groups = dict(db.session.execute(select(EntityGroup.id, EntityGroup.normalized).where(
        EntityGroup.organisation_id == child.organisation_id, EntityGroup.label == "PERSON",
        EntityGroup.normalized.in_(forms))).all())
    lock_counts(db.session, child.organisation_id, *(("form", "PERSON", form) for form in groups.values()))
    update(child.organisation_id, set(groups), {child.id})


def group_mates(child_id) -> set:
    """Everyone in the child's peer group (the child included); empty when they are in none."""
    group = select(PeerGroupMember.peer_group_id).where(PeerGroupMember.child_id == child_id).scalar_subquery()
    return set(db.session.execute(select(PeerGroupMember.child_id).where(PeerGroupMember.peer_group_id == group)).scalars())


def _neighbours(children: set) -> set:
    ids, out = list(children), set()
    for at in range(0, len(ids), 1000):
        chunk = ids[at:at + 1000]
        for a, b in db.session.execute(select(PeerLink.child_id, PeerLink.other_child_id).where(
                or_(PeerLink.child_id.in_(chunk), PeerLink.other_child_id.in_(chunk)))):
            out |= {a, b}
    return out


def _groups_of(children: set) -> set:
    ids, out = list(children), set()
    for at in range(0, len(ids), 1000):
        out |= set(db.session.execute(select(PeerGroupMember.peer_group_id).where(
            PeerGroupMember.child_id.in_(ids[at:at + 1000]))).scalars())
    return out


def regroup(organisation_id, children: Iterable) -> None:
    """Work out the peer groups of these children again from the links, replacing the groups they
    (and anyone they are now linked to) were in."""
    children = set(children)
    if not children:
        return
    lock_counts(db.session, organisation_id, ("peers",))
    old = _groups_of(children)
    universe = set(children)
    if old:
        universe |= set(db.session.execute(select(PeerGroupMember.child_id).where(
            PeerGroupMember.peer_group_id.in_(old))).scalars())
    seen: set = set()
    components = []
    for start in sorted(universe):
        if start in seen:
            continue
        component, frontier = {start}, {start}
        while frontier:
            reached = _neighbours(frontier) - component
            component |= reached
            frontier = reached
        # groups of children reached beyond the ones we started from are joined into this one
        old |= _groups_of(component - universe)
        seen |= component
        components.append(component)
    if old:
        db.session.execute(delete(PeerGroupMember).where(PeerGroupMember.peer_group_id.in_(old)),
                           execution_options={"synchronize_session": False})
        db.session.execute(delete(PeerGroup).where(PeerGroup.id.in_(old)), execution_options={"synchronize_session": False})
    # a child whose record was deleted has no links left, so is alone in a "group" of one
    _insert_groups(organisation_id, [c for c in components if len(c) >= 2])


def _insert_groups(organisation_id, components) -> None:
    groups, members = [], []
    for component in components:
        group_id = uuid.uuid4()
        groups.append(dict(id=group_id, organisation_id=organisation_id, size=len(component), sort_key=min(component)))
        members += [dict(child_id=c, peer_group_id=group_id) for c in component]
    for at in range(0, len(groups), BATCH):
        db.session.execute(insert(PeerGroup), groups[at:at + BATCH])
    for at in range(0, len(members), BATCH):
        db.session.execute(insert(PeerGroupMember), members[at:at + BATCH])


def rebuild(organisation_id) -> int:
    """Work out every link and peer group of an organisation from its people-and-places groups."""
    lock_all_counts(db.session, organisation_id)
    for model in (PeerGroupMember, PeerGroup, PeerLink):
        where = (PeerGroupMember.peer_group_id.in_(select(PeerGroup.id).where(PeerGroup.organisation_id == organisation_id))
                 if model is PeerGroupMember else model.organisation_id == organisation_id)
        db.session.execute(delete(model).where(where), execution_options={"synchronize_session": False})
    groups = {(g.label, g.normalized): g for g in db.session.execute(select(EntityGroup).where(
        EntityGroup.organisation_id == organisation_id, EntityGroup.label.in_(PEER_LABELS))).scalars()}
    people = {g.normalized: g for (label, _), g in groups.items() if label == "PERSON" and " " in g.normalized}
    named: dict = defaultdict(set)
    names = {}
    for child_id, first, last, preferred in db.session.execute(select(
            Child.id, Child.first_name_key, Child.last_name_key, Child.preferred_name).where(Child.organisation_id == organisation_id)):
        names[child_id] = (first, last, preferred)
        for form in full_names(first, last, preferred):
            if form in people:
                named[form].add(child_id)
    wanted = {key for key, g in groups.items()
              if 2 <= g.children_count <= PEER_GROUP_MAX_CHILDREN or (key[0] == "PERSON" and key[1] in named)}
    key = func.coalesce(EntityMerge.canonical, Entity.normalized)
    merged = and_(EntityMerge.organisation_id == Entity.organisation_id, EntityMerge.label == Entity.label,
                  EntityMerge.normalized == Entity.normalized)
    members: dict = defaultdict(set)
    for label, form, child_id in db.session.execute(select(Entity.label, key, Entity.child_id).distinct()
                                                     .outerjoin(EntityMerge, merged)
                                                     .where(Entity.organisation_id == organisation_id,
                                                            Entity.label.in_(PEER_LABELS))):
        if (label, form) in wanted:
            members[(label, form)].add(child_id)
    links = []
    for (label, form), ids in members.items():
        group = groups[(label, form)]
        found = []
        if 2 <= group.children_count <= PEER_GROUP_MAX_CHILDREN:
            found += _shared(ids, label, form, names)
        if label == "PERSON" and form in named:
            found += [(NAMED, namer, child) for namer in sorted(ids) for child in sorted(named[form]) if namer != child]
        links += [(group.id, *link) for link in found]
    rows = [dict(id=uuid.uuid4(), organisation_id=organisation_id, entity_group_id=g, kind=kind, child_id=a, other_child_id=b)
            for g, kind, a, b in links]
    for at in range(0, len(rows), BATCH):
        db.session.execute(insert(PeerLink), rows[at:at + BATCH])
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, _, a, b in links:
        parent[find(a)] = find(b)
    components: dict = defaultdict(set)
    for child_id in list(parent):
        components[find(child_id)].add(child_id)
    _insert_groups(organisation_id, [c for c in components.values() if len(c) >= 2])
    return len(rows)
