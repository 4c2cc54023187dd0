from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from ..models.organisations import ROLES
from ..passwords import strength_problem


class SignInForm(FlaskForm):
    username = StringField("Username", widget=GovTextInput(), validators=[DataRequired("Enter your username")])
    password = PasswordField("Password", widget=GovPasswordInput(), validators=[DataRequired("Enter your password")])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class CodeForm(FlaskForm):
    code = StringField(
        "Code",
        widget=GovTextInput(),
        description="The 6-digit code from your authenticator app, or one of your recovery codes",
        validators=[DataRequired("Enter the code"), Length(max=40, message="Enter the code as it is shown")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class NewPasswordMixin:
    def validate_new_password(self, field):
        problem = strength_problem(field.data or "", [getattr(self, "_username", "")])
        if problem:
            raise ValidationError(problem)


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        "Current password", widget=GovPasswordInput(), validators=[DataRequired("Enter your current password")]
    )
    new_password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description="At least 12 characters. A few unrelated words together make a strong password.",
        validators=[DataRequired("Enter a new password")],
    )
    confirm_password = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter the new password again"), EqualTo("new_password", "The passwords must match")],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


class UserForm(FlaskForm):
    full_name = StringField("Full name", widget=GovTextInput(), validators=[DataRequired("Enter the person's full name"), Length(max=200, message="Full name must be 200 characters or fewer")])
    username = StringField(
        "Username",
        widget=GovTextInput(),
        description="Lower-case letters, numbers, dots, hyphens and underscores",
        validators=[
            DataRequired("Enter a username"),
            Length(min=3, max=120, message="Username must be between 3 and 120 characters"),
            Regexp(r"^[a-z0-9._-]+$", message="Username can only contain lower-case letters, numbers, dots, hyphens and underscores"),
        ],
    )
    email = StringField("Email address (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=254), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Enter an email address in the correct format, like name@example.org")])
    role = RadioField("Role", choices=list(ROLES.items()), widget=GovRadioInput(), validators=[DataRequired("Select a role")])
    organisation_id = SelectField("Organisation", widget=GovSelect(), validators=[DataRequired("Select an organisation")])
    submit = SubmitField("Save account", widget=GovSubmitInput())


class OrganisationForm(FlaskForm):
    name = StringField("Name", widget=GovTextInput(), validators=[DataRequired("Enter the organisation's name"), Length(max=200, message="Name must be 200 characters or fewer")])
    kind = RadioField(
        "Kind of organisation",
        choices=[("local_authority", "Local authority"), ("police_force", "Police force")],
        widget=GovRadioInput(),
        validators=[DataRequired("Select the kind of organisation")],
    )
    submit = SubmitField("Save organisation", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField("Confirm", widget=GovSubmitInput())
