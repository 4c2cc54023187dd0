"""Forms of the coordinator's pages: deciding on a tag, adding one, merging people and places."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

NOTE_LIMIT = 1000


class DecisionForm(FlaskForm):
    # Two submit buttons share this name, so no JavaScript and no radios are needed per item.
    decision = SelectField("Decision", choices=[("confirmed", "Confirm"), ("dismissed", "Dismiss")],
                           validators=[DataRequired("Choose whether to confirm or dismiss the tag")])
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(
        max=NOTE_LIMIT, message=f"The note must be {NOTE_LIMIT:,} characters or fewer")])


class AddTagForm(FlaskForm):
    source_key = RadioField("Which answer are the words in?", widget=GovRadioInput(),
                            validators=[DataRequired("Select the answer the words are in")])
    words = StringField("The exact words", widget=GovTextInput(),
                        description="Copy them from the answer as written. If your browser runs JavaScript, selecting "
                                    "words in an answer above fills this in.",
                        validators=[DataRequired("Enter the words from the answer"),
                                    Length(max=300, message="The words must be 300 characters or fewer")])
    code = SelectField("Indicator", widget=GovSelect(), validators=[DataRequired("Select the indicator")])
    note = TextAreaField("Why (optional)", widget=GovCharacterCount(),
                         validators=[Optional(), Length(max=NOTE_LIMIT, message=f"The note must be {NOTE_LIMIT:,} characters or fewer")])
    submit = SubmitField("Add the tag", widget=GovSubmitInput())


class MergeForm(FlaskForm):
    other = HiddenField(validators=[DataRequired()])


class SplitForm(FlaskForm):
    pass
