"""Building a summary's first draft from what tagging found and coordinators confirmed.

Only descriptions of indicators and the entities themselves become statements. The passages they
came from are kept as pointers (answer, key, offsets) for the coordinator to check, and are never
copied into a statement: police see the child's words only where a coordinator types them in.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from .. import consent, rules
from ..analysis_store import rhi_sources
from ..extensions import db
from ..models.analysis import CONFIRMED, DISMISSED, SOURCE_ANSWER, Entity, Mention, TagDecision
from ..models.base import utcnow
from ..models.children import fold_name
from ..models.coordination import EntityMerge
from ..models.intelligence import (ABOUT_ENTITY, ABOUT_RHI, KIND_FOR_LABEL, IntelligenceSource, IntelligenceStatement,
                                   IntelligenceSummary)
from ..models.interviews import SUBMITTED, ReturnInterview
from ..models.organisations import POLICE_FORCE, Organisation

POLICE = "police"
ENTITY_WORDS = {"PERSON": "Person", "LOCATION": "Place", "PHONE": "Phone", "VEHICLE": "Vehicle", "SOCIAL": "Online handle",
                "POSTCODE": "Postcode"}
PASSAGE_CHARS = 160


class DraftRefused(Exception):
    """Drafting cannot go ahead; the message says why in words a coordinator can act on."""


@dataclass
class Contributor:
    rhi: ReturnInterview
    may_share: bool
    rationale: str | None


def _descriptions() -> dict[str, str]:
    from ..analysis import default_tagger

    try:
        return {code: ind.description for code, ind in default_tagger().lexicon.indicators.items()}
    except AttributeError:  # a tagger without a lexicon (tests): the codes still read
        return {}


def _own_names(children) -> set[str]:
    names = set()
    for child in children:
        for part in (child.first_name, child.last_name, child.preferred_name, child.full_name, child.display_name):
            if part:
                names.add(fold_name(part))
    return names


def contributors(rhis) -> list[Contributor]:
    return [Contributor(r, consent.may_share(r, POLICE), consent.shared_without_consent(r, POLICE)) for r in rhis]


def police_forces() -> list[Organisation]:
    return list(db.session.execute(select(Organisation).where(Organisation.kind == POLICE_FORCE).order_by(Organisation.name)).scalars())


def _decisions(rhi_ids) -> dict[tuple, str]:
    rows = db.session.execute(select(TagDecision).where(TagDecision.rhi_id.in_(rhi_ids))).scalars()
    return {(d.source_id, d.source_key, d.code, d.text_hash): d.decision for d in rows}


def _statements_from(rhis, *, only_sources=None, exclude_names=frozenset(), exclude_entity=None) -> list[IntelligenceStatement]:
    """Mentions (confirmed: included; undecided: suggested; dismissed: left out) and entities of the
    RHIs' answers, one statement per indicator code and per entity form."""
    rhi_ids = [r.id for r in rhis]
    decisions = _decisions(rhi_ids)
    descriptions = _descriptions()
    mentions = db.session.execute(select(Mention).where(
        Mention.rhi_id.in_(rhi_ids), Mention.source_kind == SOURCE_ANSWER, Mention.context == "asserted")
        .order_by(Mention.rhi_id, Mention.source_key, Mention.start)).scalars().all()
    entities = db.session.execute(select(Entity).where(
        Entity.rhi_id.in_(rhi_ids), Entity.source_kind == SOURCE_ANSWER)
        .order_by(Entity.rhi_id, Entity.source_key, Entity.start)).scalars().all()
    if only_sources is not None:
        mentions = [m for m in mentions if (m.source_id, m.source_key) in only_sources]
        entities = [e for e in entities if (e.source_id, e.source_key) in only_sources]

    by_code: dict[str, IntelligenceStatement] = {}
    confirmed_sources = set()
    for m in mentions:
        decision = decisions.get((m.source_id, m.source_key, m.code, m.text_hash))
        if decision == DISMISSED:
            continue
        confirmed = decision == CONFIRMED
        if confirmed:
            confirmed_sources.add((m.source_id, m.source_key))
        existing = by_code.get(m.code)
        if existing is not None and (existing.confirmed or not confirmed):
            continue
        description = descriptions.get(m.code) or m.code.replace("_", " ").capitalize()
        by_code[m.code] = IntelligenceStatement(
            kind="what", text=f"{m.category}: {description}", included=confirmed, confirmed=confirmed, rhi_id=m.rhi_id,
            source_kind=m.source_kind, source_id=m.source_id, source_key=m.source_key, mention_id=m.id,
            start=m.start, end=m.end)

    by_form: dict[tuple, IntelligenceStatement] = {}
    for e in entities:
        form = (e.label, e.normalized)
        if form in by_form or form == exclude_entity or not e.normalized:
            continue
        # the children themselves are named only where a coordinator adds them
        if e.label == "PERSON" and (e.normalized in exclude_names or fold_name(e.text) in exclude_names):
            continue
        by_form[form] = IntelligenceStatement(
            kind=KIND_FOR_LABEL.get(e.label, "what"), text=f"{ENTITY_WORDS.get(e.label, e.label.title())}: {e.text}",
            included=(e.source_id, e.source_key) in confirmed_sources, rhi_id=e.rhi_id, source_kind=e.source_kind,
            source_id=e.source_id, source_key=e.source_key, entity_id=e.id, start=e.start, end=e.end,
            entity_label=e.label, entity_normalized=e.normalized)
    return list(by_form.values()) + list(by_code.values())


def _new_summary(organisation_id, user, about: str, subject: str, statements, rhis, children_count: int, **fields):
    forces = police_forces()
    summary = IntelligenceSummary(organisation_id=organisation_id, about=about, subject=subject, status="draft",
                                  created_by_id=user.id, updated_by_id=user.id, updated_at=utcnow(),
                                  force_id=forces[0].id if len(forces) == 1 else None,
                                  **rules.suggested_grading(children_count), **fields)
    for position, statement in enumerate(statements):
        statement.position = position
        summary.statements.append(statement)
    for rhi in rhis:
        summary.sources.append(IntelligenceSource(rhi_id=rhi.id, child_id=rhi.child_id))
    db.session.add(summary)
    return summary


def _require_consent(rhis) -> None:
    refused = [c for c in contributors(rhis) if not c.may_share]
    if refused:
        count = len(refused)
        raise DraftRefused(
            f"{count} of the RHIs has no consent to share with the police and no recorded safeguarding rationale. "
            "Record the child's consent, or the safeguarding reason to share without it, on "
            f"{'that RHI' if count == 1 else 'those RHIs'} first." if len(rhis) > 1 else
            "The child has not consented to sharing with the police and no safeguarding rationale is recorded. "
            "Record the consent, or the safeguarding reason to share without it, in the interview first.")


def draft_from_rhi(rhi: ReturnInterview, user) -> IntelligenceSummary:
    """The caller audits and commits."""
    if rhi.status != SUBMITTED:
        raise DraftRefused("Only a submitted RHI can be summarised for the police.")
    _require_consent([rhi])
    child = rhi.child
    statements = _statements_from([rhi], exclude_names=_own_names([child]))
    episode = rhi.episodes[-1] if rhi.episodes else None
    subject = f"{child.full_name}, born {child.date_of_birth.day} {child.date_of_birth:%B %Y}"
    return _new_summary(rhi.organisation_id, user, ABOUT_RHI, subject, statements, [rhi], 1, rhi_id=rhi.id,
                        episode_date=episode.reported_missing_at.date() if episode else None,
                        episode_place=(episode.found_where if episode else None))


def forms_for(organisation_id, label: str, normalized: str) -> set[str]:
    """The entity's form and any forms a coordinator merged into it."""
    merged = db.session.execute(select(EntityMerge.normalized).where(
        EntityMerge.organisation_id == organisation_id, EntityMerge.label == label,
        EntityMerge.canonical == normalized)).scalars()
    return {normalized, *merged}


def entity_rhis(organisation_id, label: str, normalized: str) -> tuple[list[ReturnInterview], list[Entity]]:
    """The submitted RHIs of our organisation whose answers name the entity, oldest first."""
    entities = db.session.execute(select(Entity).where(
        Entity.organisation_id == organisation_id, Entity.label == label,
        Entity.normalized.in_(forms_for(organisation_id, label, normalized)),
        Entity.source_kind == SOURCE_ANSWER, Entity.rhi_id.is_not(None))).scalars().all()
    ids = {e.rhi_id for e in entities}
    rhis = db.session.execute(select(ReturnInterview).where(
        ReturnInterview.id.in_(ids), ReturnInterview.status == SUBMITTED).order_by(ReturnInterview.found_at)).scalars().all() if ids else []
    kept = {r.id for r in rhis}
    return list(rhis), [e for e in entities if e.rhi_id in kept]


def draft_about_entity(organisation_id, label: str, normalized: str, user) -> IntelligenceSummary:
    rhis, entities = entity_rhis(organisation_id, label, normalized)
    if not rhis:
        raise DraftRefused("No submitted RHI names this. Check the spelling, or choose what it is.")
    _require_consent(rhis)
    children = {r.child_id: r.child for r in rhis}
    sources = {(e.source_id, e.source_key) for e in entities}
    first = entities[0]
    word = ENTITY_WORDS.get(label, label.title())
    subject_statement = IntelligenceStatement(
        kind=KIND_FOR_LABEL.get(label, "what"), text=f"{word}: {first.text}", included=True, confirmed=False,
        rhi_id=first.rhi_id, source_kind=first.source_kind, source_id=first.source_id, source_key=first.source_key,
        entity_id=first.id, start=first.start, end=first.end, entity_label=label, entity_normalized=normalized)
    # Only what was said in the same answers as the entity: the rest of each child's account is theirs.
    others = _statements_from(rhis, only_sources=sources, exclude_names=_own_names(children.values()),
                              exclude_entity=(label, normalized))
    for statement in others:
        if statement.entity_normalized is not None:
            statement.included = False  # another child's associates are never sent without a look
    subject = f"{word} of concern: {first.text}, named in {len(rhis)} return home interview{'s' if len(rhis) != 1 else ''}" \
              f" about {len(children)} child{'ren' if len(children) != 1 else ''}"
    return _new_summary(organisation_id, user, ABOUT_ENTITY, subject, [subject_statement, *others], rhis, len(children),
                        entity_label=label, entity_normalized=normalized)


# --- passages, for the coordinator only ----------------------------------------------------------

def source_texts(rhi_ids) -> dict[tuple, str]:
    texts = {}
    for rhi in db.session.execute(select(ReturnInterview).where(ReturnInterview.id.in_(list(rhi_ids)))).scalars():
        for source in rhi_sources(rhi)[0]:
            texts[(source.id, source.key)] = source.text
    return texts


def passage(text: str | None, start: int | None, end: int | None) -> tuple[str, list] | None:
    """The words around a statement's span, trimmed at sentence ends where there is one, and the
    span's offsets within that window (for highlighting)."""
    if not text or start is None or end is None or not (0 <= start < end <= len(text)):
        return None
    lo = max(0, start - PASSAGE_CHARS)
    hi = min(len(text), end + PASSAGE_CHARS)
    for stop in (". ", "\n"):
        cut = text.rfind(stop, lo, start)
        if cut != -1:
            lo = max(lo, cut + len(stop))
        cut = text.find(stop, end, hi)
        if cut != -1:
            hi = min(hi, cut + 1)
    window = text[lo:hi]
    shift = lo + len(window) - len(window.lstrip())
    return window.strip(), [(start - shift, end - shift)]
