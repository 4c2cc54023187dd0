"""What happens after answers are saved for good ("Save and continue", or submitting).

The tagging engine reads the saved section's free text here. It is not called on autosave: a half-typed sentence is not
worth tagging, and an autosave every 30 seconds must stay cheap.
"""
from __future__ import annotations

import logging


def on_answers_saved(subject, form_code: str, section_code: str | None) -> None:
    """`section_code` is None when the whole form was submitted. Runs inside the save's transaction,
    before its audit entry; the caller commits."""
    if form_code != "interview":
        return None
    from ..analysis_store import retag_rhi
    from ..extensions import db
    # Tagging is extra and must never undo or block a save: it runs in a savepoint of its own, and a
    # failure rolls back the tags alone. One transaction, not two, keeps a save to one commit.
    try:
        with db.session.begin_nested():
            retag_rhi(subject, section_code)
    except Exception:  # noqa: BLE001
        logging.getLogger(__name__).exception("tagging the interview's answers failed; they stay untagged")
    return None
