"""Runs the tagging engine over stored free text and keeps what it found.

The engine (rhi_service.analysis) knows nothing of Flask or the database; this module is the one
place the two meet. Called from the interview's "Save and continue" and submit (never autosave)
through forms.hooks, and by `flask retag` after a lexicon change.

With RHI_NER=1 the trained model adds names and places. The model is large and slow to load, so it
runs in a child process with a time and a memory limit (ARCHITECTURE: no job queue; slow or hostile
work gets a child process); if the child fails, the rules' own answer is stored and the failure
logged, so a save never fails because of tagging.
"""
from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import sys
import uuid
from dataclasses import dataclass
from typing import Iterable

from flask import current_app, has_app_context
from markupsafe import Markup, escape
from sqlalchemy import delete, select

from .extensions import db
from .models.analysis import (DISMISSED, MACHINE, SOURCE_ANSWER, Entity, Mention, Tag, TagDecision)

log = logging.getLogger(__name__)

INTERVIEW_FORM = "interview"
NER_TIMEOUT_SECONDS = 60
NER_MEMORY_BYTES = 2 * 1024 ** 3


@dataclass(frozen=True)
class Source:
    """One piece of free text and whose it is."""
    kind: str
    id: uuid.UUID
    key: str
    text: str
    organisation_id: uuid.UUID
    child_id: uuid.UUID
    rhi_id: uuid.UUID | None = None


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).casefold().encode("utf-8")).hexdigest()


# --- tagging ----------------------------------------------------------------------------------

def _ner_enabled() -> bool:
    return bool(has_app_context() and current_app.config.get("RHI_NER"))


def _limit_child():  # pragma: no cover - runs in the child
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (NER_MEMORY_BYTES, NER_MEMORY_BYTES))


def _tag_with_ner(texts: list[str]) -> list[dict] | None:
    lines = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts))
    try:
        done = subprocess.run([sys.executable, "-m", "rhi_service.analysis", "tag", "-", "--ner"],
                              input=lines, capture_output=True, text=True, timeout=NER_TIMEOUT_SECONDS,
                              preexec_fn=_limit_child, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("NER tagging child failed (%s); storing the rules' answer", type(exc).__name__)
        return None
    if done.returncode != 0:
        log.warning("NER tagging child exited with %s; storing the rules' answer", done.returncode)
        return None
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return rows if len(rows) == len(texts) else None


def tag_texts(texts: list[str]) -> list[dict]:
    """The engine's answer for each text, as TagResult.to_dict() gives it."""
    if not texts:
        return []
    if _ner_enabled():
        rows = _tag_with_ner(texts)
        if rows is not None:
            return rows
    from .analysis import default_tagger
    return [r.to_dict() for r in default_tagger().tag_many(texts)]


# --- storing ----------------------------------------------------------------------------------

def _clear_machine_rows(kind: str, source_ids: Iterable[uuid.UUID]) -> None:
    ids = list(source_ids)
    if not ids:
        return
    for model in (Tag, Mention, Entity):
        db.session.execute(delete(model).where(model.source_kind == kind, model.source_id.in_(ids),
                                               model.origin == MACHINE))


def store(source: Source, result: dict) -> None:
    """Replace the machine's rows for one source with `result`; coordinators' rows stay."""
    common = dict(organisation_id=source.organisation_id, child_id=source.child_id, rhi_id=source.rhi_id,
                  source_kind=source.kind, source_id=source.id, source_key=source.key, origin=MACHINE)
    rows = [Tag(category=label, **common) for label in result.get("labels") or []]
    rows += [Mention(code=m["code"], category=m["category"], context=m["context"], start=m["start"], end=m["end"],
                     text=m["text"], text_hash=text_hash(m["text"]), **common)
             for m in result.get("indicators") or []]
    rows += [Entity(label=e["label"], text=e["text"], start=e["start"], end=e["end"],
                    normalized=(e.get("normalized") or "")[:200], **common)
             for e in result.get("entities") or []]
    db.session.add_all(rows)


def retag_sources(sources: list[Source], *, clear: Iterable[uuid.UUID] = (), organisation_id=None) -> int:
    """Tag `sources` and store the results, replacing earlier machine rows of those sources and of
    any answer ids in `clear` (answers emptied since) of `organisation_id`. The caller commits."""
    by_kind: dict[str, set] = {}
    for s in sources:
        by_kind.setdefault(s.kind, set()).add(s.id)
    by_kind.setdefault(SOURCE_ANSWER, set()).update(clear)
    from . import entity_groups, theme_counts
    organisation_id = organisation_id or next((s.organisation_id for s in sources), None)
    results = tag_texts([s.text for s in sources])
    # the coordinator's people-and-places, peer and themes counts move in the same transaction as the
    # rows, each part held (database.lock_counts) only while it is recounted
    before = set().union(*(entity_groups.placed_forms_of_sources(kind, ids) for kind, ids in by_kind.items()))
    units = set().union(*(theme_counts.units_of_sources(kind, ids) for kind, ids in by_kind.items()))
    for kind, ids in by_kind.items():
        _clear_machine_rows(kind, ids)
    # a list answer holds several texts under one id: clear once, then store each
    for source, result in zip(sources, results):
        store(source, result)
    db.session.flush()
    after = set().union(*(entity_groups.placed_forms_of_sources(kind, ids) for kind, ids in by_kind.items()))
    entity_groups.refresh(entity_groups.moved_forms(before, after))
    # a unit's themes move only if it had mentions from these texts or has some now
    units |= {s.rhi_id or s.id for s, r in zip(sources, results) if r.get("indicators")}
    theme_counts.refresh_units(organisation_id, units)
    return len(sources)


def rhi_sources(rhi, section_code: str | None = None) -> tuple[list[Source], set[uuid.UUID]]:
    """The RHI's free-text interview answers as sources (of one section, or all), and the ids of those
    answers (so that tags of an answer since emptied are cleared too)."""
    from .forms import engine, schema
    questions = schema.get(INTERVIEW_FORM).questions
    if section_code is not None:
        questions = [q for q in questions if q.section_code == section_code]
    stored = engine.answers(INTERVIEW_FORM, rhi.id, questions if section_code is not None else None)
    sources = []
    for ft in engine.free_text_of(questions, stored):
        answer = stored.get(ft.question_code.split(".", 1)[0])
        if answer is None or not ft.text:
            continue
        key = ft.question_code if ft.item_id is None else f"{ft.question_code}#{ft.item_id}"
        sources.append(Source(SOURCE_ANSWER, answer.id, key, ft.text, rhi.organisation_id, rhi.child_id, rhi.id))
    return sources, {a.id for a in stored.values()}


def retag_rhi(rhi, section_code: str | None = None) -> int:
    """Tag the RHI's answers again: one section's after "Save and continue" (the others have not
    changed), all of them on submit and after a lexicon change."""
    sources, answer_ids = rhi_sources(rhi, section_code)
    return retag_sources(sources, clear=answer_ids, organisation_id=rhi.organisation_id)


def retag_source(source: Source) -> None:
    retag_sources([source])


# --- reading ----------------------------------------------------------------------------------

def decide(mention: Mention, decision: str, user, note: str | None = None) -> TagDecision:
    """Record (or change) a coordinator's decision on what a mention found, and count it in the
    themes. The caller audits and commits."""
    from .models.base import utcnow
    decided_by_id = getattr(user, "id", None)
    row = decision_for(mention)
    if row is None:
        row = TagDecision(organisation_id=mention.organisation_id, rhi_id=mention.rhi_id,
                          source_kind=mention.source_kind, source_id=mention.source_id,
                          source_key=mention.source_key, code=mention.code, text_hash=mention.text_hash,
                          decision=decision)
        db.session.add(row)
    row.decision, row.note, row.decided_by_id, row.decided_at = decision, note, decided_by_id, utcnow()
    # the themes counts of the RHI move with the decision, in the same transaction
    from . import theme_counts
    theme_counts.refresh_units(mention.organisation_id, {mention.rhi_id or mention.source_id})
    return row


def decision_for(mention: Mention) -> TagDecision | None:
    return db.session.execute(select(TagDecision).where(
        TagDecision.source_kind == mention.source_kind, TagDecision.source_id == mention.source_id,
        TagDecision.source_key == mention.source_key, TagDecision.code == mention.code,
        TagDecision.text_hash == mention.text_hash)).scalar_one_or_none()


def evidence(rhi_id) -> dict[str, list[tuple[int, int, str]]]:
    """Evidence spans of an RHI's answers by source key: asserted mentions a coordinator has not
    dismissed, as (start, end, category)."""
    mentions = db.session.execute(select(Mention).where(
        Mention.rhi_id == rhi_id, Mention.source_kind == SOURCE_ANSWER, Mention.context == "asserted")).scalars().all()
    dismissed = {(d.source_id, d.source_key, d.code, d.text_hash) for d in db.session.execute(
        select(TagDecision).where(TagDecision.rhi_id == rhi_id, TagDecision.decision == DISMISSED)).scalars()}
    out: dict[str, list[tuple[int, int, str]]] = {}
    for m in mentions:
        if (m.source_id, m.source_key, m.code, m.text_hash) not in dismissed:
            out.setdefault(m.source_key, []).append((m.start, m.end, m.category))
    return out


def highlight(text: str | None, spans) -> Markup:
    """`text` HTML-escaped, with <mark> around each evidence span (overlaps merged)."""
    text = text or ""
    merged: list[list] = []
    for start, end, *rest in sorted(spans or ()):
        start, end = max(0, int(start)), min(len(text), int(end))
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] |= set(rest[:1])
        else:
            merged.append([start, end, set(rest[:1])])
    out, at = [], 0
    for start, end, cats in merged:
        out.append(escape(text[at:start]))
        title = ", ".join(sorted(str(c) for c in cats))
        attr = Markup(' class="rhi-evidence" title="{}"').format(title) if title else Markup(' class="rhi-evidence"')
        out.append(Markup("<mark{}>{}</mark>").format(attr, text[start:end]))
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)
