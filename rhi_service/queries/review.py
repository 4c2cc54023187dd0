"""The review queue: what the tagging engine found, with the words around it, for a coordinator to
confirm or dismiss; and the texts of an RHI a coordinator may add a tag to."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models.analysis import COORDINATOR, CONFIRMED, DISMISSED, SOURCE_UPLOAD, WAITING, Mention, TagDecision
from ..models.coordination import ReviewCount
from ..models.forms import Answer
from .paging import PAGE_SIZE, Page

CONTEXT_CHARS = 160
REVIEW_STATUSES = {"waiting": "Waiting for review", "confirmed": "Confirmed", "dismissed": "Dismissed", "all": "All"}
REVIEW_SORTS = {"newest": "Newest first", "oldest": "Oldest first"}
CATEGORY_LABELS = {"CSE": "Child sexual exploitation (CSE)", "CCE": "Child criminal exploitation (CCE)",
                   "TRAFFICKING": "Trafficking and modern slavery"}


@lru_cache(maxsize=1)
def indicators() -> dict:
    """Indicator code → (category, description), from the engine's lexicon."""
    from ..analysis import load_lexicon

    return {code: (ind.category, ind.description) for code, ind in sorted(load_lexicon().indicators.items())}


def queue_total(organisation_id, status: str, category: str | None) -> int:
    """Asserted mentions in the queue's tab, from the kept counts (theme_counts.py)."""
    query = select(func.coalesce(func.sum(ReviewCount.mentions), 0)).where(ReviewCount.organisation_id == organisation_id)
    if status in (WAITING, CONFIRMED, DISMISSED):
        query = query.where(ReviewCount.state == status)
    if category:
        query = query.where(ReviewCount.category == category)
    return int(db.session.execute(query).scalar_one())


def queue_page(organisation_id, status: str, category: str | None, sort: str, page: int, per_page: int = PAGE_SIZE) -> Page:
    """One page of the queue, newest (or oldest) first, along the (organisation, context, state,
    tagged) index; the total comes from the kept counts."""
    query = select(Mention).where(Mention.organisation_id == organisation_id, Mention.context == "asserted")
    if status in (WAITING, CONFIRMED, DISMISSED):
        query = query.where(Mention.review_state == status)
    if category:
        query = query.where(Mention.category == category)
    total = queue_total(organisation_id, status, category)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    order = (Mention.tagged_at.asc(), Mention.id.asc()) if sort == "oldest" else (Mention.tagged_at.desc(), Mention.id.desc())
    items = list(db.session.execute(query.order_by(*order).limit(per_page).offset((page - 1) * per_page)).scalars())
    return Page(items=items, page=page, pages=pages, total=total)


def decisions_for(mentions) -> dict:
    """(source_kind, source_id, source_key, code, text_hash) → TagDecision, for a page of mentions."""
    if not mentions:
        return {}
    by_kind: dict = {}
    for m in mentions:
        by_kind.setdefault(m.source_kind, set()).add(m.source_id)
    rows = db.session.execute(select(TagDecision).options(selectinload(TagDecision.decided_by)).where(
        or_(*(and_(TagDecision.source_kind == kind, TagDecision.source_id.in_(ids)) for kind, ids in by_kind.items())))).scalars()
    return {(d.source_kind, d.source_id, d.source_key, d.code, d.text_hash): d for d in rows}


def decision_key(mention) -> tuple:
    return (mention.source_kind, mention.source_id, mention.source_key, mention.code, mention.text_hash)


# --- The words around a mention -------------------------------------------------------------------

def _answer_text(answer: Answer | None, key: str) -> str | None:
    if answer is None or not answer.text_value:
        return None
    if "#" not in key:
        return answer.text_value
    # an "add another" list: key is question.sub#item id, the text one field of one item
    path, item_id = key.split("#", 1)
    sub = path.split(".", 1)[1] if "." in path else None
    try:
        items = json.loads(answer.text_value)
    except ValueError:
        return None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and str(item.get("id")) == item_id and sub:
            value = item.get(sub)
            return value if isinstance(value, str) else None
    return None


def source_texts(mentions) -> dict:
    """(source_kind, source_id, source_key) → the decrypted text the mention was found in."""
    from ..models.placements import Upload

    out: dict = {}
    answer_ids = {m.source_id for m in mentions if m.source_kind != SOURCE_UPLOAD}
    upload_ids = {m.source_id for m in mentions if m.source_kind == SOURCE_UPLOAD}
    answers = {a.id: a for a in db.session.execute(select(Answer).where(Answer.id.in_(answer_ids))).scalars()} if answer_ids else {}
    uploads = {u.id: u for u in db.session.execute(select(Upload).where(Upload.id.in_(upload_ids))).scalars()} if upload_ids else {}
    for m in mentions:
        where = (m.source_kind, m.source_id, m.source_key)
        if where in out:
            continue
        if m.source_kind == SOURCE_UPLOAD:
            upload = uploads.get(m.source_id)
            out[where] = upload.text if upload is not None else None
        else:
            out[where] = _answer_text(answers.get(m.source_id), m.source_key)
    return out


def in_context(text: str | None, start: int, end: int, words: str, around: int = CONTEXT_CHARS) -> Markup:
    """The words around a span, escaped, with the span in <mark>. Falls back to the words alone
    when the text has changed since it was tagged."""
    if not text:
        return Markup("<mark>{}</mark>").format(words)
    if text[start:end] != words:
        found = text.casefold().find(words.casefold())
        if found < 0:
            return Markup("<mark>{}</mark>").format(words)
        start, end = found, found + len(words)
    left = max(0, start - around)
    right = min(len(text), end + around)
    # whole words at the edges
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else right
    return Markup("").join([
        Markup("\u2026") if left > 0 else Markup(""),
        escape(text[left:start]),
        Markup('<mark class="rhi-evidence">{}</mark>').format(text[start:end]),
        escape(text[end:right]),
        Markup("\u2026") if right < len(text) else Markup(""),
    ])


def question_labels() -> dict:
    from ..forms.schema import get

    labels = {}
    for definition in ("interview",):
        try:
            form = get(definition)
        except Exception:  # noqa: BLE001 - a missing definition only loses the labels
            continue
        for question in form.questions:
            labels[question.code] = question.label
            for sub in getattr(question, "item", None) or ():
                labels[f"{question.code}.{sub.code}"] = f"{question.label}: {sub.label}"
    return labels


def label_for_key(key: str, labels: dict) -> str:
    if key == "upload":
        return "Received RHI from the placing authority"
    return labels.get(key.split("#", 1)[0], key.split("#", 1)[0].replace("_", " ").capitalize())


@dataclass
class Item:
    mention: Mention
    context: Markup
    question: str
    decision: TagDecision | None
    state: str


def queue_items(mentions) -> list[Item]:
    texts = source_texts(mentions)
    decisions = decisions_for(mentions)
    labels = question_labels()
    items = []
    for m in mentions:
        decision = decisions.get(decision_key(m))
        state = decision.decision if decision else (CONFIRMED if m.origin == COORDINATOR else "waiting")
        items.append(Item(m, in_context(texts.get((m.source_kind, m.source_id, m.source_key)), m.start, m.end, m.text),
                          label_for_key(m.source_key, labels), decision, state))
    return items


def mention_or_none(mention_id: uuid.UUID) -> Mention | None:
    return db.session.get(Mention, mention_id)
