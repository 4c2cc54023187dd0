"""The review queue: what the tagging engine found, with the words around it, for a coordinator to
confirm or dismiss; and the texts of an RHI a coordinator may add a tag to."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models.analysis import COORDINATOR, CONFIRMED, DISMISSED, MACHINE, SOURCE_UPLOAD, Mention, TagDecision
from ..models.forms import Answer
from .coordinator import pending_mentions_condition
from .paging import Page, paginate

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


def _decision_match(decision: str):
    return exists().where(
        TagDecision.source_kind == Mention.source_kind, TagDecision.source_id == Mention.source_id,
        TagDecision.source_key == Mention.source_key, TagDecision.code == Mention.code,
        TagDecision.text_hash == Mention.text_hash, TagDecision.decision == decision)


def queue_page(organisation_id, status: str, category: str | None, sort: str, page: int) -> Page:
    query = select(Mention)
    if status == "waiting":
        query = query.where(pending_mentions_condition(organisation_id))
    else:
        query = query.where(Mention.organisation_id == organisation_id, Mention.context == "asserted")
        if status == "confirmed":
            query = query.where(or_(_decision_match(CONFIRMED), and_(Mention.origin != MACHINE, ~_decision_match(DISMISSED))))
        elif status == "dismissed":
            query = query.where(_decision_match(DISMISSED))
    if category:
        query = query.where(Mention.category == category)
    order = Mention.tagged_at.asc() if sort == "oldest" else Mention.tagged_at.desc()
    return paginate(query.order_by(order, Mention.id), page)


def decisions_for(mentions) -> dict:
    """(source_kind, source_id, source_key, code, text_hash) → TagDecision, for a page of mentions."""
    if not mentions:
        return {}
    rows = db.session.execute(select(TagDecision).options(selectinload(TagDecision.decided_by)).where(
        TagDecision.source_id.in_({m.source_id for m in mentions}))).scalars()
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
