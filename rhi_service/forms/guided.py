"""The small fixed forms around the guided interview: completing a section, lists, submitting,
addenda and sign-off. The interview's own questions come from definitions/interview.yaml."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired

from .engine import WithinLimit, _normalise_newlines
from .interviews import LateReasonMixin
from .schema import LONG_TEXT_LIMIT


class _NoToken:
    # CSRFProtect checks every POST already; the pages print the token themselves.
    class Meta:
        csrf = False


class SectionCompleteForm(_NoToken, FlaskForm):
    version = HiddenField()
    completed = RadioField(
        "Have you completed this section?",
        choices=[("yes", "Yes, I've completed this section"), ("no", "No, I'll come back later")],
        widget=GovRadioInput(),
        validators=[DataRequired("Select whether you have completed this section")],
    )


class AddAnotherForm(_NoToken, FlaskForm):
    version = HiddenField()
    add_another = RadioField(choices=[("yes", "Yes"), ("no", "No")], widget=GovRadioInput(),
                             validators=[DataRequired("Select yes if you need to add another")])


class RemoveItemForm(_NoToken, FlaskForm):
    version = HiddenField()
    confirm = RadioField(choices=[("yes", "Yes"), ("no", "No")], widget=GovRadioInput(),
                         validators=[DataRequired("Select yes to remove it")])


class SubmitInterviewForm(_NoToken, LateReasonMixin, FlaskForm):
    pass


class AddendumForm(_NoToken, FlaskForm):
    text = TextAreaField(
        "What do you need to add or correct?",
        description="Say which answer it is about. The submitted answers stay as they were; this is added beneath them with your name and the time.",
        widget=GovCharacterCount(),
        filters=[_normalise_newlines],
        validators=[DataRequired("Enter what you need to add or correct"), WithinLimit(LONG_TEXT_LIMIT)],
    )


class SignOffForm(_NoToken, FlaskForm):
    pass
