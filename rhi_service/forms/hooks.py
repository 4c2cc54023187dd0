"""What happens after answers are saved for good ("Save and continue", or submitting).

The tagging engine reads the saved section's free text here. It is not called on autosave: a half-typed sentence is not
worth tagging, and an autosave every 30 seconds must stay cheap.
"""
from __future__ import annotations

import logging


def on_answers_saved(subject, form_code: str, section_code: str | None) -> None:
    """`section_code` is None when the whole form was submitted."""
    if form_code != "interview":
        return None
    from ..analysis_store import retag_rhi
    from ..extensions import db
    # the answers are already committed; tagging is extra and must never undo or block a save
    try:
        retag_rhi(subject, section_code)
        db.session.commit()
    except Exception:  # noqa: BLE001
        db.session.rollback()
        logging.getLogger(__name__).exception("tagging the interview's answers failed; they stay untagged")
    return None
