"""The small fixed forms around the risk assessment record and the missing profile. Their questions
come from definitions/risk_assessment.yaml, profile.yaml and philomena_part2.yaml."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovFileInput
from wtforms import BooleanField
from wtforms.validators import DataRequired

PHOTO_HINT = "A recent, close-up JPEG or PNG photo, smaller than 10MB. Where and when it was taken is removed from the file."


class PhotoForm(FlaskForm):
    photo = FileField("Upload a photo", widget=GovFileInput(), description=PHOTO_HINT)


class ReviewForm(FlaskForm):
    confirmed = BooleanField(
        "I have checked every section with the child's carer and it is up to date",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Confirm that you have checked every section and it is up to date")],
    )


class SaveVersionForm(FlaskForm):
    pass
