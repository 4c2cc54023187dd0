"""Forms for intelligence to the police: drafting about a person or place, editing a draft, and the
police acknowledging what they received."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .. import rules
from ..models.intelligence import STATEMENT_KINDS
from .fields import GovDateField

STATEMENT_LIMIT = 500
ENTITY_LABELS = {"PERSON": "A person", "LOCATION": "A place (a hot spot)", "PHONE": "A phone number",
                 "VEHICLE": "A vehicle or registration", "SOCIAL": "An online handle", "POSTCODE": "A postcode"}


def _length(limit: int, what: str):
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer")


class AboutEntityForm(FlaskForm):
    label = RadioField("What is it?", widget=GovRadioInput(), choices=list(ENTITY_LABELS.items()),
                       validators=[DataRequired("Select what the summary is about")])
    value = StringField("As written in the RHIs", widget=GovTextInput(),
                        description="For example Big Dee, Osprey Road, 07700 900321 or @kd.flex",
                        validators=[DataRequired("Enter the name, place, number or handle"), _length(200, "It")])
    submit = SubmitField("Find the RHIs", widget=GovSubmitInput())


class SummaryForm(FlaskForm):
    subject = StringField("Subject", widget=GovTextInput(), description="Who or what this intelligence is about",
                          validators=[DataRequired("Enter the subject"), _length(300, "The subject")])
    episode_date = GovDateField("Date of the episode (optional)", what="the date of the episode",
                                description="For example, 27 3 2026", validators=[Optional()])
    episode_place = StringField("Place of the episode (optional)", widget=GovTextInput(),
                                validators=[Optional(), _length(200, "The place")])
    source_evaluation = RadioField("Source evaluation", widget=GovRadioInput(), choices=list(rules.SOURCE_EVALUATIONS.items()), validate_choice=False,
                                   validators=[Optional()])
    intelligence_evaluation = RadioField("Intelligence evaluation", widget=GovRadioInput(),
                                         choices=list(rules.INTELLIGENCE_EVALUATIONS.items()), validate_choice=False,
                                         validators=[Optional()])
    handling_code = RadioField("Handling code", widget=GovRadioInput(), choices=list(rules.HANDLING_CODES.items()), validate_choice=False,
                               validators=[Optional()])
    handling_conditions = TextAreaField("Conditions on sharing (needed for handling code C)", widget=GovCharacterCount(),
                                        validators=[Optional(), _length(1000, "The conditions")])
    force_id = SelectField("Which police force is it for?", widget=GovSelect(), validators=[DataRequired("Select the police force")])
    new_kind = SelectField("Kind of statement", widget=GovSelect(), choices=[("", "Choose a kind")] + list(STATEMENT_KINDS.items()),
                           validators=[Optional()])
    new_text = TextAreaField("Add a statement of your own (optional)", widget=GovCharacterCount(),
                             description="Short and factual. Police see exactly these words.",
                             validators=[Optional(), _length(STATEMENT_LIMIT, "The statement")])
    submit = SubmitField("Save the draft", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for name, message in rules.grading_errors(self.source_evaluation.data, self.intelligence_evaluation.data,
                                                  self.handling_code.data, self.handling_conditions.data).items():
            getattr(self, name).errors = list(getattr(self, name).errors) + [message]
            ok = False
        if (self.new_text.data or "").strip() and not self.new_kind.data:
            self.new_kind.errors = list(self.new_kind.errors) + ["Select the kind of statement you are adding"]
            ok = False
        return ok


class AcknowledgeForm(FlaskForm):
    police_reference = StringField("Your reference", widget=GovTextInput(),
                                   description="For example the intelligence log or occurrence number",
                                   validators=[DataRequired("Enter your reference"), _length(60, "Your reference")])
    submit = SubmitField("Acknowledge", widget=GovSubmitInput())
