"""Our interview's questions on one long page, for a placing authority to fill in instead of uploading
a file. The questions come from definitions/interview.yaml through the engine, so a council's change
to the interview reaches this page too.

Nothing is stored as interview answers: the answers become the text of an Upload, so that what a
placing authority types is tagged, listed, answered and retained exactly like a file they upload.
"""
from __future__ import annotations

import re

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import RadioField
from wtforms.validators import DataRequired

from . import engine, schema
from .fields import GovDateField
from .schema import LIST, FormDefinition, Question

FORM_CODE = "interview"
AT_LEAST_ONE = "Answer at least one of the interview's questions"
# Tagging and the text exports misread control characters; line breaks and tabs are the typist's.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

_classes: dict[tuple, type] = {}


def questions(definition: FormDefinition) -> list[Question]:
    # Add-another lists need a page per item; the interview's date is asked as the upload form asks it.
    return [q for q in definition.questions if q.kind != LIST and q.records != "held_at"]


def sections(definition: FormDefinition) -> list[dict]:
    """What the page shows: each section with its pages' questions, empty pages and sections left out."""
    shown = set(questions(definition))
    found = []
    for section in definition.sections:
        pages = [{"page": page, "questions": [q for q in page.questions if q in shown]} for page in section.pages]
        pages = [p for p in pages if p["questions"]]
        if pages:
            found.append({"section": section, "pages": pages})
    return found


def form_class(definition: FormDefinition) -> type:
    chosen = questions(definition)
    key = ("partner_interview",) + tuple(chosen)
    cls = _classes.get(key)
    if cls is None:
        base = engine.form_class(chosen, ("partner", definition.code) + tuple(chosen))
        cls = type("PartnerInterviewForm", (base,), {
            "episode_id": RadioField("Which missing episode was the interview about?", widget=GovRadioInput(),
                                     validators=[DataRequired("Select the missing episode the interview was about")]),
            "interview_held_on": GovDateField("When was the interview held?", what="the date of the interview",
                                              description="For example, 27 3 2026",
                                              validators=[DataRequired("Enter the date the interview was held")]),
        })
        _classes[key] = cls
    return cls


def make_form(definition: FormDefinition, formdata=None, with_episode: bool = True):
    form = form_class(definition)(formdata=formdata)
    # Everything but the date is optional here: they fill in what their own interview covered.
    form.enforce_required = False
    for question in questions(definition):
        form[question.code].label.text = question.label
    if not with_episode:
        del form.episode_id
    return form


def answers_text(definition: FormDefinition, form) -> str:
    """The answers as plain text, "Question label: answer" a line; "" when nothing was answered."""
    lines = []
    for question in questions(definition):
        shown = engine.value_lines(question, engine.posted_value(question, form))
        if shown:
            lines.append(f"{question.label}: {', '.join(shown)}")
    return _CONTROLS.sub("", "\n".join(lines))


def check_something_answered(definition: FormDefinition, form) -> bool:
    if answers_text(definition, form).strip():
        return True
    form[questions(definition)[0].code].errors.append(AT_LEAST_ONE)
    return False


def definition() -> FormDefinition:
    return schema.get(FORM_CODE)
