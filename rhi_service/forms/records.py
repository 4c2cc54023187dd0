"""Plain WTForms classes for recording children and their missing episodes."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovCharacterCount,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..models.children import LEGAL_STATUSES, SEXES
from ..models.episodes import MISSING_FROM, SAFE_AND_WELL
from .fields import GovDateField, GovDateTimeField

NOTE_LIMIT = 20000


def _length(limit: int, what: str):
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer")


class FindChildForm(FlaskForm):
    first_name = StringField("First name", widget=GovTextInput(), validators=[DataRequired("Enter the child's first name"), _length(100, "First name")])
    last_name = StringField("Last name", widget=GovTextInput(), validators=[DataRequired("Enter the child's last name"), _length(100, "Last name")])
    date_of_birth = GovDateField("Date of birth", what="date of birth", description="For example, 27 3 2010", validators=[DataRequired("Enter the child's date of birth")])
    submit = SubmitField("Search", widget=GovSubmitInput())


class ChildForm(FlaskForm):
    first_name = StringField("First name", widget=GovTextInput(), validators=[DataRequired("Enter the child's first name"), _length(100, "First name")])
    last_name = StringField("Last name", widget=GovTextInput(), validators=[DataRequired("Enter the child's last name"), _length(100, "Last name")])
    preferred_name = StringField("Preferred name (optional)", widget=GovTextInput(), description="What the child likes to be called", validators=[Optional(), _length(100, "Preferred name")])
    date_of_birth = GovDateField("Date of birth", what="date of birth", description="For example, 27 3 2010", validators=[DataRequired("Enter the child's date of birth")])
    sex = RadioField("Sex", choices=list(SEXES.items()), widget=GovRadioInput(), validators=[DataRequired("Select the child's sex")])
    ethnicity = StringField("Ethnicity (optional)", widget=GovTextInput(), validators=[Optional(), _length(100, "Ethnicity")])
    languages = StringField("Languages (optional)", widget=GovTextInput(), description="For example, English, Arabic", validators=[Optional(), _length(200, "Languages")])
    address = TextAreaField("Address (optional)", widget=GovCharacterCount(), description="Where the child lives now, including the postcode", validators=[Optional(), _length(1000, "Address")])
    legal_status = RadioField("Legal status", choices=list(LEGAL_STATUSES.items()), widget=GovRadioInput(), validators=[DataRequired("Select the child's legal status")])
    placing_authority_id = SelectField("Placing authority", widget=GovSelect(), description="The local authority responsible for the child", validators=[Optional()])
    team = StringField("Team (optional)", widget=GovTextInput(), validators=[Optional(), _length(100, "Team")])
    social_worker = StringField("Allocated social worker (optional)", widget=GovTextInput(), validators=[Optional(), _length(200, "Social worker")])
    case_system_id = StringField("Case system ID (optional)", widget=GovTextInput(), description="The child's ID in the case management system", validators=[Optional(), _length(50, "Case system ID")])
    not_duplicate = BooleanField("I have checked: this is a different child from the ones listed", widget=GovCheckboxInput())
    submit = SubmitField("Save child", widget=GovSubmitInput())


class EpisodeForm(FlaskForm):
    reported_missing_at = GovDateTimeField(
        "When were they reported missing?", what="the date they were reported missing",
        description="For example, 21 11 2026 and 14:30", validators=[DataRequired("Enter when they were reported missing")],
    )
    missing_from = RadioField("Missing from", choices=list(MISSING_FROM.items()), widget=GovRadioInput(), validators=[DataRequired("Select where they went missing from")])
    police_reference = StringField("Police reference (optional)", widget=GovTextInput(), description="The CAD or incident number", validators=[Optional(), _length(50, "Police reference")])
    police_risk_grade = RadioField("Police risk grade (optional)", widget=GovRadioInput(), validators=[Optional()])
    found_at = GovDateTimeField("When were they found? (optional)", what="the date they were found", description="Leave blank if they are still missing", validators=[Optional()])
    found_where = StringField("Where were they found? (optional)", widget=GovTextInput(), validators=[Optional(), _length(500, "Where they were found")])
    found_by = StringField("Who found them? (optional)", widget=GovTextInput(), description="For example, police, carer, returned themselves", validators=[Optional(), _length(200, "Who found them")])
    found_report_received_at = GovDateTimeField("When did the found report reach us? (optional)", what="the date the found report came in", validators=[Optional()])
    safe_and_well_check = RadioField(
        "Has the police Safe and Well Check been done? (optional)",
        choices=list(SAFE_AND_WELL.items()),
        description="The Safe and Well Check is not a Return Home Interview",
        widget=GovRadioInput(),
        validators=[Optional()],
    )
    notes = TextAreaField("Notes (optional)", widget=GovCharacterCount(), validators=[Optional(), _length(NOTE_LIMIT, "Notes")])
    submit = SubmitField("Save episode", widget=GovSubmitInput())
