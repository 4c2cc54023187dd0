"""Audit and the police search terms, shared by the staff side, the police side and the API."""
from __future__ import annotations

import re

from .. import audit
from ..analysis.entities import normalize


def record(action: str, summary, actor=None, **extra):
    """Ids only: the summary, its RHIs and children (one child names the audit row's child)."""
    ids = {"intelligence": summary.id, **extra}
    children = sorted({s.child_id for s in summary.sources}, key=str)
    rhis = sorted({s.rhi_id for s in summary.sources}, key=str)
    if len(children) == 1:
        ids["child"] = children[0]
    elif children:
        ids["children"] = children
    if rhis:
        ids["rhis"] = rhis
    return audit.record(action, actor=actor, **ids)


def search_terms(text: str | None) -> list[str]:
    """What a typed search may match in statements' normalised forms: the forms tagging gives a
    phone, a registration, a handle and a name or place, since the searcher need not say which."""
    text = " ".join((text or "").split())[:100]
    if not text:
        return []
    terms = {normalize("LOCATION", text), normalize("SOCIAL", text), text.replace(" ", "").upper()}
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 4:
        terms.add(normalize("PHONE", text))
    return sorted(t for t in terms if t)
