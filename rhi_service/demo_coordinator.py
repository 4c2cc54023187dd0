"""Demo data for the coordinator's pages: written-up RHIs whose tags wait for review and which name the
same people, numbers, vehicles and handles across children (a peer group), and one child who only
shares the town. All fictional: phones in the 07700 900xxx drama range.
"""
from __future__ import annotations

from sqlalchemy import select

from .extensions import db
from .models.children import Child
from .models.forms import Answer
from .models.interviews import ReturnInterview

# (first, last) → answers for the child's submitted RHIs, oldest first: {question: text}
NOTES = {
    ("Leah", "Fenwick"): [
        {"who_with": "Leah said she was with an older man called Big Dee who is about 24. He bought her a new phone "
                     "and gave her lifts in a grey Audi A3. She has his number as 07700 900321.",
         "where_went": "She stayed at a flat on Osprey Road in Northmoor and was found at Northmoor bus station."},
        {"what_happened": "Leah went to a party at a hotel with adults. Her friend Maisie Draycott was there too. "
                          "She talks to someone on snap as @kd.flex who asked her for pictures."},
    ],
    ("Maisie", "Draycott"): [
        {"who_with": "Maisie said Big Dee picked her up in the grey Audi A3. She rang him on 07700 900321 when she "
                     "had no money. She said older lads gave her cannabis and she had to sell some to pay it off.",
         "where_went": "She went with the lads to Eastvale on the train; they paid for the ticket."},
    ],
    ("Summer", "Hale"): [],
}
# A child whose only link to the others is the town: not a peer.
TOWN_ONLY = ("Tyler", "Brook")
TOWN_ONLY_NOTE = "Tyler stayed at his nan's house in Northmoor after an argument at home and came back the next day."


def load() -> int:
    """Add the notes to the demo children's submitted RHIs (once) and tag them as the interview's
    save would. Returns the number of RHIs written up."""
    from . import analysis_store

    written = 0
    wanted = dict(NOTES)
    for (first, last), notes in wanted.items():
        child = db.session.execute(select(Child).where(Child.first_name == first, Child.last_name == last)).scalar_one_or_none()
        if child is None or not notes:
            continue
        rhis = db.session.execute(select(ReturnInterview).where(
            ReturnInterview.child_id == child.id, ReturnInterview.status == "submitted")
            .order_by(ReturnInterview.found_at)).scalars().all()
        for rhi, answers in zip(rhis, notes):
            written += _write_up(rhi, answers, analysis_store)
    child = db.session.execute(select(Child).where(Child.first_name == TOWN_ONLY[0], Child.last_name == TOWN_ONLY[1])).scalar_one_or_none()
    if child is not None:
        rhi = db.session.execute(select(ReturnInterview).where(ReturnInterview.child_id == child.id)).scalars().first()
        if rhi is not None:
            written += _write_up(rhi, {"where_went": TOWN_ONLY_NOTE}, analysis_store)
    db.session.flush()
    return written


def _write_up(rhi, answers: dict, analysis_store) -> int:
    exists = db.session.execute(select(Answer.id).where(Answer.form_code == "interview", Answer.subject_id == rhi.id).limit(1)).first()
    if exists:
        return 0
    for question, text in answers.items():
        db.session.add(Answer(organisation_id=rhi.organisation_id, form_code="interview", subject_id=rhi.id,
                              section_code="episode", question_code=question, kind="long_text", text_value=text,
                              updated_by_id=rhi.interviewer_id))
    db.session.flush()
    analysis_store.retag_rhi(rhi)
    return 1
