"""The one place received RHIs meet the tagging engine (rhi_service.analysis).

Kept behind this function so that a failure in tagging never loses a received RHI: the file is
filed untagged and can be tagged again later.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from ..extensions import db

log = logging.getLogger(__name__)


@dataclass
class Tags:
    labels: list[str]
    # The engine's whole answer as JSON: the matched words are the child's, so it is stored encrypted.
    detail: str


def tag(text: str) -> Tags | None:
    if not text or not text.strip():
        return None
    try:
        from ..analysis import tag_text
    except ImportError:  # the engine is optional in a stripped-down install
        return None
    try:
        result = tag_text(text)
    except Exception:  # noqa: BLE001
        log.exception("tagging a received RHI failed; it is filed untagged")
        return None
    return Tags(labels=sorted(set(result.labels)), detail=json.dumps(result.to_dict(), default=str))


def indicators(detail: str | None) -> list[dict]:
    """What the coordinator reads under the tags: each indicator with the words that raised it."""
    if not detail:
        return []
    try:
        return list(json.loads(detail).get("indicators") or [])
    except ValueError:
        return []


def store_with_child(upload) -> None:
    """Put a filed upload's tags and entities beside our own RHIs' (rhi_service.analysis_store), so
    the coordinator's themes and people-and-places pages count them too. An upload still waiting to
    be matched has no child yet, and is stored when it is matched."""
    if upload.child_id is None or not (upload.text or "").strip():
        return
    from ..analysis_store import Source, retag_sources
    from ..models.analysis import SOURCE_UPLOAD

    db.session.flush()
    try:
        retag_sources([Source(SOURCE_UPLOAD, upload.id, "upload", upload.text, upload.organisation_id, upload.child_id)])
    except Exception:  # noqa: BLE001  - never lose the received RHI over its tags
        log.exception("storing a received RHI's tags failed; it is filed and can be re-tagged")
