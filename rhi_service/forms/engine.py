"""The form engine: a page of a definition becomes a WTForms class; its answers are stored one row per
question under (form, subject).

A new form is a YAML file in definitions/ and a subject (anything with `id` and `organisation_id`):

    definition = schema.get("risk_assessment")
    page = definition.section("history").page("previous")
    form = engine.make_form(page, engine.answers(definition.code, episode.id), request.form)
    if form.validate_on_submit():
        engine.save_page(definition, page, form, episode, current_user, expected_version=...)
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Iterable

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovTextInput
from sqlalchemy import select
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError

from ..extensions import db
from ..models.base import utcnow
from ..models.forms import NO_ANSWER, SECTION_COMPLETED, SECTION_IN_PROGRESS, Answer, SectionState
from . import schema
from .fields import GovDateField, GovDateTimeField
from .schema import CHOICE, CHOICES, DATE, DATETIME, LIST, LONG_TEXT, TEXT, YES_NO, FormDefinition, Page, Question, Section
from .widgets import CheckboxesInput, NoAnswerInput, RadioInput

NO_ANSWER_SUFFIX = "__no_answer"
NOT_STARTED = "not_started"
TASK_STATUSES = {NOT_STARTED: "Not yet started", SECTION_IN_PROGRESS: "In progress", SECTION_COMPLETED: "Completed"}


# --- Fields -----------------------------------------------------------------------------------


def _normalise_newlines(value):
    # Browsers send a textarea's line breaks as CRLF but count them as one character; so do we.
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class ChoiceField(RadioField):
    """Radios whose blank is left to the required check, with messages in GOV.UK style."""

    def pre_validate(self, form):
        if self.data in (None, ""):
            self.data = None
            return
        if self.data not in {value for value, _ in self.choices}:
            raise StopValidation("Select one of the options")


class SeveralChoicesField(SelectMultipleField):
    def pre_validate(self, form):
        allowed = {value for value, _ in self.choices}
        if any(value not in allowed for value in self.data or []):
            raise StopValidation("Select from the options shown")


def has_value(field) -> bool:
    if isinstance(field, GovDateField):
        return not field.is_blank
    data = field.data
    if isinstance(data, str):
        return bool(data.strip())
    if isinstance(data, (list, tuple)):
        return bool(data)
    return data is not None


def _no_answer_of(form, question: Question) -> str | None:
    if question.kind in (YES_NO, CHOICE):
        value = getattr(form, question.code).data
        return value if value in NO_ANSWER else None
    companion = getattr(form, question.code + NO_ANSWER_SUFFIX, None)
    values = [v for v in (companion.data if companion is not None else None) or [] if v in NO_ANSWER]
    return values[0] if len(values) == 1 else None


class Needed:
    """Required when saving to move on; "Save and come back later" keeps whatever is there."""

    def __init__(self, question: Question):
        self.question = question

    def __call__(self, form, field):
        if has_value(field):
            return
        if self.question.required and getattr(form, "enforce_required", True) and not _no_answer_of(form, self.question):
            raise StopValidation(self.question.error or _default_error(self.question))
        raise StopValidation()  # blank and allowed: nothing else to check


def _default_error(question: Question) -> str:
    what = {
        TEXT: "Enter an answer",
        LONG_TEXT: "Enter an answer",
        YES_NO: "Select yes, no or not known",
        CHOICE: "Select an answer",
        CHOICES: "Select at least one option",
        DATE: "Enter the date",
        DATETIME: "Enter the date and time",
    }[question.kind]
    if question.to_child:
        what += ", or select Declined to answer or Not asked"
    return what


class WithinLimit:
    """Never cut what someone typed: refuse it and say how far over it is."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, form, field):
        if field.data and len(field.data) > self.limit:
            raise ValidationError(f"Answer must be {self.limit:,} characters or fewer: you have {len(field.data):,}")


class NotFuture:
    def __call__(self, form, field):
        if field.data is None:
            return
        now = utcnow()
        if isinstance(field.data, datetime):
            if field.data > now:
                raise ValidationError(f"{field.what.capitalize()} must be in the past")
        elif field.data > now.date():
            raise ValidationError(f"{field.what.capitalize()} must be today or in the past")


def _field(question: Question):
    label = question.display_label
    validators = [Needed(question)]
    kwargs = {"description": question.hint or ""}
    if question.kind == TEXT:
        return StringField(label, validators=validators + [WithinLimit(question.limit)], filters=[_normalise_newlines],
                           widget=GovTextInput(), **kwargs)
    if question.kind == LONG_TEXT:
        return TextAreaField(label, validators=validators + [WithinLimit(question.limit)], filters=[_normalise_newlines],
                             widget=GovCharacterCount(), **kwargs)
    if question.kind in (YES_NO, CHOICE):
        choices = question.choices + (list(NO_ANSWER.items()) if question.to_child else [])
        return ChoiceField(label, choices=choices, validators=validators, widget=RadioInput(), **kwargs)
    if question.kind == CHOICES:
        return SeveralChoicesField(label, choices=question.choices, validators=validators, widget=CheckboxesInput(), **kwargs)
    if question.kind in (DATE, DATETIME):
        cls = GovDateField if question.kind == DATE else GovDateTimeField
        extra = [NotFuture()] if question.not_future else []
        what = "the date" if question.kind == DATE else "the date and time"
        return cls(label, validators=validators + extra, what=what, **kwargs)
    raise ValueError(f"no field for kind {question.kind}")


def _no_answer_field(question: Question):
    return SeveralChoicesField(
        "If the child did not answer", choices=list(NO_ANSWER.items()), widget=NoAnswerInput(),
        validators=[_one_no_answer(question)],
    )


def _one_no_answer(question: Question):
    def check(form, field):
        chosen = [v for v in field.data or [] if v in NO_ANSWER]
        if len(chosen) > 1:
            raise StopValidation("Select Declined to answer or Not asked, not both")
        if chosen and has_value(getattr(form, question.code)):
            raise StopValidation(f"Either record the answer or select {NO_ANSWER[chosen[0]]}, not both")
    return check


class PageForm(FlaskForm):
    """A page of questions. `version` is the section's version when the page was loaded."""

    version = HiddenField()
    enforce_required = True

    class Meta:
        # The app's CSRFProtect already checks every POST (and answers autosaves from the header).
        csrf = False


_classes: dict[tuple, type] = {}


def form_class(questions: list[Question] | tuple[Question, ...], key: tuple) -> type:
    cls = _classes.get(key)
    if cls is None:
        attrs = {}
        for question in questions:
            attrs[question.code] = _field(question)
            if question.to_child and question.kind not in (YES_NO, CHOICE):
                attrs[question.code + NO_ANSWER_SUFFIX] = _no_answer_field(question)
        cls = type("PageForm_" + "_".join(k for k in key if isinstance(k, str)), (PageForm,), attrs)
        _classes[key] = cls
    return cls


def page_form_class(definition: FormDefinition, page: Page) -> type:
    # Keyed by the page object too, so reloaded definitions never meet a class built from old ones.
    return form_class([q for q in page.questions if q.kind != LIST], (definition.code, page.section_code, page.code, page))


def item_form_class(definition: FormDefinition, question: Question) -> type:
    return form_class(question.item, (definition.code, question.code, "item", question))


# --- Values -----------------------------------------------------------------------------------


def _serialise(question: Question, value):
    if value is None:
        return None
    if question.kind == DATETIME:
        return value.astimezone(timezone.utc).isoformat()
    if question.kind == DATE:
        return value.isoformat()
    if question.kind in (TEXT, LONG_TEXT):
        value = value.strip()
        return value or None
    if question.kind == CHOICES:
        return list(value) or None
    return value


def _deserialise(question: Question, value):
    if value is None:
        return None
    if question.kind == DATETIME:
        return datetime.fromisoformat(value).astimezone(timezone.utc)
    if question.kind == DATE:
        return date.fromisoformat(value)
    return value


@dataclass(frozen=True)
class Value:
    """What one question holds: a value, or the reason the child gave none."""

    value: object = None
    no_answer: str | None = None

    @property
    def is_empty(self) -> bool:
        return self.value in (None, "", []) and not self.no_answer


def stored_value(question: Question, answer: Answer | None) -> Value:
    if answer is None:
        return Value()
    if question.kind == LIST:
        return Value(json.loads(answer.text_value) if answer.text_value else [])
    raw = answer.text_value if question.stores_text else answer.json_value
    return Value(_deserialise(question, raw), answer.no_answer)


def posted_value(question: Question, form) -> Value:
    field = getattr(form, question.code)
    no_answer = _no_answer_of(form, question)
    if question.kind in (YES_NO, CHOICE) and no_answer:
        return Value(None, no_answer)
    value = field.data if has_value(field) else None
    serialised = _serialise(question, value)
    return Value(_deserialise(question, serialised) if not question.stores_text else serialised, no_answer)


def form_data(questions, stored: dict[str, Answer]) -> dict:
    data = {}
    for question in questions:
        if question.kind == LIST:
            continue
        current = stored_value(question, stored.get(question.code))
        if question.kind in (YES_NO, CHOICE) and current.no_answer:
            data[question.code] = current.no_answer
        else:
            data[question.code] = current.value
        if current.no_answer and question.kind not in (YES_NO, CHOICE):
            data[question.code + NO_ANSWER_SUFFIX] = [current.no_answer]
    return data


def make_form(definition: FormDefinition, page: Page, stored: dict[str, Answer], formdata=None, version: int | None = None,
              enforce_required: bool = True):
    cls = page_form_class(definition, page)
    form = cls(formdata=formdata, data=form_data(page.questions, stored) if formdata is None else None)
    form.enforce_required = enforce_required
    if formdata is None and version is not None:
        form.version.data = str(version)
    return form


def make_item_form(definition: FormDefinition, question: Question, item: dict | None, formdata=None, version: int | None = None):
    cls = item_form_class(definition, question)
    data = None
    if formdata is None and item:
        data = {q.code: _deserialise(q, item.get(q.code)) for q in question.item}
    form = cls(formdata=formdata, data=data)
    if formdata is None and version is not None:
        form.version.data = str(version)
    return form


def item_from_form(question: Question, form, item_id: str | None) -> dict:
    item = {"id": item_id or uuid.uuid4().hex}
    for sub in question.item:
        field = getattr(form, sub.code)
        item[sub.code] = _serialise(sub, field.data if has_value(field) else None)
    return item


def posted_version(form) -> int | None:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return None


# --- Storage ----------------------------------------------------------------------------------


def answers(form_code: str, subject_id, questions: Iterable[Question] | None = None) -> dict[str, Answer]:
    """Stored answers by question code; of the given questions only when `questions` is given, since
    every row read is decrypted and a page or a section needs a handful of a whole interview's."""
    where = [Answer.form_code == form_code, Answer.subject_id == subject_id]
    if questions is not None:
        where.append(Answer.question_code.in_([q.code for q in questions]))
    rows = db.session.execute(select(Answer).where(*where)).scalars()
    return {row.question_code: row for row in rows}


def section_states(form_code: str, subject_id) -> dict[str, SectionState]:
    rows = db.session.execute(
        select(SectionState).where(SectionState.form_code == form_code, SectionState.subject_id == subject_id)
    ).scalars()
    return {row.section_code: row for row in rows}


def section_state(form_code: str, subject_id, section_code: str) -> SectionState | None:
    return db.session.execute(select(SectionState).where(
        SectionState.form_code == form_code, SectionState.subject_id == subject_id,
        SectionState.section_code == section_code)).scalar_one_or_none()


def section_version(form_code: str, subject_id, section_code: str) -> int:
    state = section_state(form_code, subject_id, section_code)
    return state.version if state else 0


def task_status(section: Section, states: dict[str, SectionState]) -> str:
    state = states.get(section.code)
    if state is None or state.version == 0:
        return NOT_STARTED
    return state.status


class SectionConflict(Exception):
    """Someone saved a different version of the section after this page was loaded."""

    def __init__(self, state: SectionState, your_version: int | None):
        super().__init__(f"section {state.section_code} is at version {state.version}, not {your_version}")
        self.state = state
        self.their_version = state.version
        self.your_version = your_version


@dataclass(frozen=True)
class SaveResult:
    changed: bool
    version: int
    text_changed: bool = False


def _row_values(question: Question, value: Value) -> tuple:
    if value.is_empty:
        return (None, None, None)
    if question.kind == LIST:
        return (json.dumps(value.value, sort_keys=True) if value.value else None, None, None)
    if question.stores_text:
        return (value.value, None, value.no_answer)
    return (None, _serialise(question, value.value), value.no_answer)


def _answer_values(answer: Answer | None, question: Question) -> tuple:
    if answer is None:
        return (None, None, None)
    if question.kind == LIST:
        items = json.loads(answer.text_value) if answer.text_value else []
        return (json.dumps(items, sort_keys=True) if items else None, None, None)
    return (answer.text_value, answer.json_value, answer.no_answer)


def _state_for(definition: FormDefinition, section_code: str, subject, expected_version: int | None) -> SectionState:
    state = section_state(definition.code, subject.id, section_code)
    current = state.version if state else 0
    if expected_version is None or expected_version != current:
        if state is None:
            state = SectionState(organisation_id=subject.organisation_id, form_code=definition.code, subject_id=subject.id,
                                 section_code=section_code, version=0)
        raise SectionConflict(state, expected_version)
    if state is None:
        state = SectionState(organisation_id=subject.organisation_id, form_code=definition.code, subject_id=subject.id,
                             section_code=section_code, version=0, status=SECTION_IN_PROGRESS)
        db.session.add(state)
    return state


def save_values(definition: FormDefinition, section_code: str, values: dict[Question, Value], subject, user,
                expected_version: int | None, stored: dict[str, Answer] | None = None) -> SaveResult:
    """Store the values given for questions of one section. Nothing changed: nothing written, and no
    conflict, which makes a repeated save (a double click, a resent form) harmless. `stored`: the
    answers of these questions as already read in this transaction."""
    if stored is None:
        stored = answers(definition.code, subject.id, values)
    changes = []
    for question, value in values.items():
        new = _row_values(question, value)
        if new != _answer_values(stored.get(question.code), question):
            changes.append((question, new))
    if not changes:
        return SaveResult(False, section_version(definition.code, subject.id, section_code))
    state = _state_for(definition, section_code, subject, expected_version)
    now = utcnow()
    user_id = getattr(user, "id", None)
    for question, (text_value, json_value, no_answer) in changes:
        row = stored.get(question.code)
        if text_value is None and json_value is None and no_answer is None:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = Answer(organisation_id=subject.organisation_id, form_code=definition.code, subject_id=subject.id,
                         section_code=section_code, question_code=question.code)
            db.session.add(row)
        row.kind = question.kind
        row.text_value = text_value
        row.json_value = json_value
        row.no_answer = no_answer
        row.updated_at = now
        row.updated_by_id = user_id
    state.version += 1
    state.updated_at = now
    state.updated_by_id = user_id
    db.session.flush()
    return SaveResult(True, state.version, text_changed=any(q.stores_text for q, _ in changes))


def save_page(definition: FormDefinition, page: Page, form, subject, user, expected_version: int | None,
              stored: dict[str, Answer] | None = None) -> SaveResult:
    values = {q: posted_value(q, form) for q in page.questions if q.kind != LIST}
    return save_values(definition, page.section_code, values, subject, user, expected_version, stored)


def save_list(definition: FormDefinition, question: Question, items: list[dict], subject, user,
              expected_version: int | None) -> SaveResult:
    return save_values(definition, question.section_code, {question: Value(items)}, subject, user, expected_version)


def list_items(definition: FormDefinition, question: Question, subject_id) -> list[dict]:
    return stored_value(question, answers(definition.code, subject_id, [question]).get(question.code)).value or []


def set_section_status(definition: FormDefinition, section: Section, completed: bool, subject, user,
                       expected_version: int | None) -> SaveResult:
    state = section_state(definition.code, subject.id, section.code)
    wanted = SECTION_COMPLETED if completed else SECTION_IN_PROGRESS
    if state is not None and state.version > 0 and state.status == wanted:
        return SaveResult(False, state.version)
    state = _state_for(definition, section.code, subject, expected_version)
    state.status = wanted
    state.version += 1
    state.updated_at = utcnow()
    state.updated_by_id = getattr(user, "id", None)
    db.session.flush()
    return SaveResult(True, state.version)


def missing_required(definition: FormDefinition, stored: dict[str, Answer]) -> list[Question]:
    return [q for q in definition.questions if q.required and stored_value(q, stored.get(q.code)).is_empty]


# --- Reading answers back ---------------------------------------------------------------------


def _format(question: Question, value) -> str:
    from ..web import format_date, format_datetime

    if question.kind in (YES_NO, CHOICE):
        return question.label_for(value)
    if question.kind == CHOICES:
        return ", ".join(question.label_for(v) for v in value)
    if question.kind == DATE:
        return format_date(value)
    if question.kind == DATETIME:
        return format_datetime(value)
    return str(value)


def display_lines(question: Question, answer: Answer | None) -> list[str]:
    """An answer as lines of text for check-your-answers, PDFs and the sign-off page; [] when empty."""
    return value_lines(question, stored_value(question, answer))


def value_lines(question: Question, current: Value) -> list[str]:
    """A value, stored or just posted, as display_lines shows it."""
    if current.no_answer:
        return [NO_ANSWER[current.no_answer]]
    if current.is_empty:
        return []
    if question.kind == LIST:
        return [item_summary(question, item) for item in current.value]
    if question.kind == CHOICES:
        return [question.label_for(v) for v in current.value]
    return [_format(question, current.value)]


def item_summary(question: Question, item: dict) -> str:
    parts = []
    for sub in question.item:
        value = _deserialise(sub, item.get(sub.code))
        if value not in (None, "", []):
            parts.append(_format(sub, value))
    return " – ".join(parts)


@dataclass(frozen=True)
class FreeText:
    question_code: str
    text: str
    item_id: str | None = None


def free_text_answers(form: str | FormDefinition, subject_id) -> list[FreeText]:
    """Every free-text answer of one form (a code or a definition) for one subject, for the tagging
    engine. For an RHI: `free_text_answers("interview", rhi.id)`."""
    definition = form if isinstance(form, FormDefinition) else schema.get(form)
    return free_text_of(definition.questions, answers(definition.code, subject_id))


def free_text_of(questions: list[Question], stored: dict[str, Answer]) -> list[FreeText]:
    found = []
    for question in questions:
        current = stored_value(question, stored.get(question.code))
        if current.is_empty or current.no_answer:
            continue
        if question.kind == LIST:
            for item in current.value:
                for sub in question.item:
                    if sub.free_text and item.get(sub.code):
                        found.append(FreeText(f"{question.code}.{sub.code}", item[sub.code], item.get("id")))
        elif question.free_text:
            found.append(FreeText(question.code, current.value))
    return found


def rhi_free_text(rhi) -> list[FreeText]:
    """An RHI's free-text interview answers: what the tagging engine reads."""
    return free_text_answers("interview", rhi.id)
