"""Forms for the worker's queue: contact attempts, arranging the interview, the decline, assigning,
and the deadline record's late reason (shared with the interview's submit)."""
from __future__ import annotations

import secrets

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from .. import rules
from .fields import GovDateTimeField

NOTE_LIMIT = 20000
DETAIL_LIMIT = 2000


class WithinLimit:
    """Lets people type over the limit, then says by how much, so they can cut rather than retype."""

    def __init__(self, limit: int, what: str):
        self.limit = limit
        self.what = what

    def __call__(self, form, field):
        length = len(field.data or "")
        if length > self.limit:
            over = length - self.limit
            raise ValidationError(
                f"{self.what} must be {self.limit:,} characters or fewer: you have entered {length:,} "
                f"({over:,} too many)"
            )


def new_token() -> str:
    return secrets.token_urlsafe(24)


class ContactAttemptForm(FlaskForm):
    method = RadioField("How did you try to contact them?", choices=list(rules.CONTACT_METHODS.items()), widget=GovRadioInput(),
                        validators=[DataRequired("Select how you tried to contact them")])
    attempted_at = GovDateTimeField("When did you try?", what="the date of the attempt",
                                    description="For example, 21 11 2026 and 14:30",
                                    validators=[DataRequired("Enter when you tried to contact them")])
    with_whom = RadioField("Who did you try to contact?", choices=list(rules.CONTACT_WITH.items()), widget=GovRadioInput(),
                           validators=[DataRequired("Select who you tried to contact")])
    outcome = RadioField("What happened?", choices=list(rules.CONTACT_OUTCOMES.items()), widget=GovRadioInput(),
                         validators=[DataRequired("Select what happened")])
    note = TextAreaField("Note (optional)", widget=GovCharacterCount(),
                         description="For example, left a voicemail, or the letter was hand delivered",
                         validators=[Optional(), WithinLimit(NOTE_LIMIT, "The note")])
    # One token per form shown: a second submit of the same form is recognised and not logged again.
    token = HiddenField()
    submit = SubmitField("Save attempt", widget=GovSubmitInput())


class ArrangeInterviewForm(FlaskForm):
    arranged_for = GovDateTimeField("When will the interview be?", what="the date of the interview",
                                    description="For example, 21 11 2026 and 16:00",
                                    validators=[DataRequired("Enter when the interview will be")])
    arranged_place = StringField("Where will it be?", widget=GovTextInput(),
                                 description="The child chooses the place, for example school, a café or home",
                                 validators=[DataRequired("Enter where the interview will be"), WithinLimit(500, "The place")])
    arranged_with = StringField("Who would the child like to talk to? (optional)", widget=GovTextInput(),
                                description="The child chooses, for example you, their youth worker or a teacher",
                                validators=[Optional(), WithinLimit(500, "Who they would like to talk to")])
    arranged_notes = TextAreaField("Anything else to know (optional)", widget=GovCharacterCount(),
                                   validators=[Optional(), WithinLimit(NOTE_LIMIT, "The note")])
    submit = SubmitField("Save arrangements", widget=GovSubmitInput())


class DeclineForm(FlaskForm):
    reason = TextAreaField("Why is the interview declined?", widget=GovCharacterCount(),
                           description="The child and their family will not see this",
                           validators=[DataRequired("Enter why the interview is declined"), WithinLimit(NOTE_LIMIT, "The reason")])
    submit = SubmitField("Record the decline", widget=GovSubmitInput())


class AssignForm(FlaskForm):
    interviewer_id = RadioField("Who will do this RHI?", widget=GovRadioInput(),
                                validators=[DataRequired("Select who will do this RHI")])
    submit = SubmitField("Assign", widget=GovSubmitInput())


class ParentCarerForm(FlaskForm):
    information = TextAreaField("What did the parent or carer tell you?", widget=GovCharacterCount(),
                                description="Anything that may help prevent them going missing again, and any support offered to the family",
                                validators=[DataRequired("Enter what the parent or carer told you"),
                                            WithinLimit(NOTE_LIMIT, "The information")])
    submit = SubmitField("Save information", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField("Reopen the RHI", widget=GovSubmitInput())


class LateReasonMixin:
    """Mix into any FlaskForm that closes an RHI held after its due time; render with the
    `late_reason_fields` macro in templates/interviews/_late_reason.html and check with
    `late_reason_valid(form, held_by_due)`."""

    late_reason = RadioField("Why was the interview not held within 72 hours?", choices=list(rules.LATE_REASONS.items()),
                             widget=GovRadioInput(), validators=[Optional()])
    late_reason_detail = TextAreaField("Tell us more (optional unless you chose another reason)", widget=GovCharacterCount(),
                                       validators=[Optional(), WithinLimit(DETAIL_LIMIT, "The detail")])


class LateReasonForm(LateReasonMixin, FlaskForm):
    submit = SubmitField("Save", widget=GovSubmitInput())


def late_reason_valid(form, was_held_by_due: bool) -> bool:
    """Adds the late-reason messages next to their fields; True when the deadline record is complete."""
    errors = rules.late_reason_errors(was_held_by_due, form.late_reason.data, form.late_reason_detail.data)
    for name, message in errors.items():
        getattr(form, name).errors = list(getattr(form, name).errors) + [message]
    return not errors
