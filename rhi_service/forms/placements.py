"""Forms for requests to placing authorities, received RHIs and API tokens."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..models.placements import CONTACT_FOUND_NOTICE, CONTACT_METHODS, CONTACT_REMINDER, CONTACT_REQUEST
from .fields import GovDateField

FILE_HINT = "A PDF, Word document (.docx) or text file, smaller than 10MB. Remove any password first."


def _length(limit: int, what: str):
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer")


class _RhiFileMixin:
    rhi_file = FileField("Upload the RHI", widget=GovFileInput(), description=FILE_HINT)
    interview_held_on = GovDateField("When was the interview held? (optional)", what="the date of the interview",
                                     description="For example, 27 3 2026", validators=[Optional()])


class PartnerUploadForm(_RhiFileMixin, FlaskForm):
    episode_id = RadioField("Which missing episode is this RHI about?", widget=GovRadioInput(),
                            validators=[DataRequired("Select the missing episode this RHI is about")])
    submit = SubmitField("Upload RHI", widget=GovSubmitInput())


class CoordinatorUploadForm(_RhiFileMixin, FlaskForm):
    from_organisation_id = SelectField("Which authority sent it?", widget=GovSelect(),
                                       validators=[DataRequired("Select the authority that sent the RHI")])
    child_id = SelectField("Which child is it about?", widget=GovSelect(),
                           description="If you are not sure, choose \u201cNot sure\u201d: it will wait in the inbox for someone to match it.",
                           validators=[Optional()])
    named_first_name = StringField("First name as written in the RHI (optional)", widget=GovTextInput(),
                                   validators=[Optional(), _length(100, "First name")])
    named_last_name = StringField("Last name as written in the RHI (optional)", widget=GovTextInput(),
                                  validators=[Optional(), _length(100, "Last name")])
    submit = SubmitField("Upload RHI", widget=GovSubmitInput())


CONTACT_KIND_CHOICES = [
    (CONTACT_REMINDER, "A reminder (chasing the RHI)"),
    (CONTACT_REQUEST, "Our request for the RHI"),
    (CONTACT_FOUND_NOTICE, "Passing on the found notification"),
]


class RequestContactForm(FlaskForm):
    kind = RadioField("What was it?", choices=CONTACT_KIND_CHOICES, default=CONTACT_REMINDER, widget=GovRadioInput(),
                      validators=[DataRequired("Select what the contact was")])
    method = RadioField("How did you contact them?", choices=list(CONTACT_METHODS.items()), widget=GovRadioInput(),
                        validators=[DataRequired("Select how you contacted them")])
    contact_name = StringField("Who did you contact? (optional)", widget=GovTextInput(),
                               description="A name, a team or a shared mailbox at the placing authority",
                               validators=[Optional(), _length(200, "Who you contacted")])
    note = TextAreaField("Note (optional)", widget=GovCharacterCount(), validators=[Optional(), _length(2000, "The note")])
    submit = SubmitField("Save contact", widget=GovSubmitInput())


class MarkAnsweredForm(FlaskForm):
    note = TextAreaField("How was it answered?", widget=GovCharacterCount(),
                         description="For example, \u201cRHI received by secure email and filed in the case system\u201d",
                         validators=[DataRequired("Say how the request was answered"), _length(2000, "The note")])
    submit = SubmitField("Mark as answered", widget=GovSubmitInput())


class PartnerReplyForm(FlaskForm):
    message = TextAreaField("Your reply", widget=GovCharacterCount(),
                            description="For example, when the interview is booked, or why there will be no RHI",
                            validators=[DataRequired("Enter your reply"), _length(2000, "Your reply")])
    closes = BooleanField("No RHI will follow: close this request (for example, the child declined)", widget=GovCheckboxInput())
    submit = SubmitField("Send reply", widget=GovSubmitInput())


class MatchForm(FlaskForm):
    child_id = SelectField("Which child is this RHI about?", widget=GovSelect(),
                           validators=[DataRequired("Select the child this RHI is about")])
    submit = SubmitField("File with this child", widget=GovSubmitInput())


class ApiTokenForm(FlaskForm):
    organisation_id = SelectField("Organisation", widget=GovSelect(), validators=[DataRequired("Select the organisation")])
    name = StringField("Name", widget=GovTextInput(), description="So you can recognise it later, for example \u201cCase system link\u201d",
                       validators=[DataRequired("Enter a name for the token"), _length(100, "The name")])
    scopes = SelectMultipleField("What may it do?", widget=GovCheckboxesInput(),
                                 validators=[DataRequired("Select at least one thing the token may do")])
    submit = SubmitField("Create token", widget=GovSubmitInput())
