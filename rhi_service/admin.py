"""Organisations and accounts (/admin/...). An administrator never reads a child's record."""
from __future__ import annotations

import secrets
import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from . import audit, throttle
from .access import allow
from .extensions import db
from .forms.accounts import ConfirmForm, OrganisationForm, UserForm
from .models.organisations import ADMIN, ROLE_ORGANISATION_KIND, ROLES, Organisation, User
from .models.base import utcnow
from .passwords import hash_password
from .second_factor import new_secret, provisioning_uri, qr_data_uri
from .settings import get as get_settings
from .queries import accounts as account_queries

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _organisation_choices():
    return [("", "Select an organisation")] + [
        (str(o.id), f"{o.name} ({o.kind_label})") for o in account_queries.organisations()
    ]


def _user_or_404(user_id: uuid.UUID) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _check_role_fits_organisation(form: UserForm) -> Organisation | None:
    try:
        organisation = db.session.get(Organisation, uuid.UUID(form.organisation_id.data))
    except (ValueError, TypeError):
        organisation = None
    if organisation is None:
        form.organisation_id.errors.append("Select an organisation")
        return None
    expected = ROLE_ORGANISATION_KIND.get(form.role.data)
    if expected and organisation.kind != expected:
        form.role.errors.append(f"A {ROLES[form.role.data].lower()} account must belong to a {expected.replace('_', ' ')}")
        return None
    if form.role.data in ("interviewer", "coordinator", "manager", "admin") and not organisation.is_home:
        form.organisation_id.errors.append("Staff accounts belong to our own local authority")
        return None
    if form.role.data == "placing_authority" and organisation.is_home:
        form.organisation_id.errors.append("A placing authority account belongs to another local authority")
        return None
    return organisation


def one_time_password() -> str:
    return "-".join(secrets.token_hex(3) for _ in range(4))


@bp.route("/")
@bp.route("/users")
@allow(ADMIN)
def users():
    role = request.args.get("role") or None
    page = account_queries.users_page(role=role if role in ROLES else None, page=request.args.get("page", 1, type=int))
    return render_template("admin/users.html", page=page, roles=ROLES, role=role)


@bp.route("/users/new", methods=["GET", "POST"])
@allow(ADMIN)
def new_user():
    form = UserForm()
    form.organisation_id.choices = _organisation_choices()
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        if account_queries.username_taken(username):
            form.username.errors.append("That username is already used: choose another")
        elif (organisation := _check_role_fits_organisation(form)) is not None:
            password = one_time_password()
            user = User(
                username=username,
                full_name=form.full_name.data.strip(),
                email=(form.email.data or "").strip() or None,
                role=form.role.data,
                organisation_id=organisation.id,
                password_hash=hash_password(password),
                must_change_password=True,
            )
            db.session.add(user)
            audit.record("account_created", user=user.id, organisation=organisation.id)
            db.session.commit()
            return render_template("admin/one_time_password.html", user=user, password=password)
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<uuid:user_id>", methods=["GET", "POST"])
@allow(ADMIN)
def edit_user(user_id):
    user = _user_or_404(user_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    form.organisation_id.choices = _organisation_choices()
    if request.method == "GET":
        form.organisation_id.data = str(user.organisation_id)
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        if username != user.username and account_queries.username_taken(username):
            form.username.errors.append("That username is already used: choose another")
        elif (organisation := _check_role_fits_organisation(form)) is not None:
            changed_access = form.role.data != user.role or organisation.id != user.organisation_id
            user.username = username
            user.full_name = form.full_name.data.strip()
            user.email = (form.email.data or "").strip() or None
            user.role = form.role.data
            user.organisation_id = organisation.id
            if changed_access:
                # A new role or organisation must not ride on a session granted for the old one.
                user.session_version += 1
            audit.record("account_changed", user=user.id, organisation=organisation.id)
            db.session.commit()
            flash(f"{user.full_name}'s account has been saved.", "success")
            return redirect(url_for("admin.users"))
    locked = throttle.is_locked(user.username, None)
    return render_template("admin/user_form.html", form=form, user=user, confirm=ConfirmForm(), locked=locked)


@bp.route("/users/<uuid:user_id>/reset-password", methods=["POST"])
@allow(ADMIN)
def reset_password(user_id):
    user = _user_or_404(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    password = one_time_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.session_version += 1
    audit.record("password_reset", user=user.id)
    db.session.commit()
    return render_template("admin/one_time_password.html", user=user, password=password)


@bp.route("/users/<uuid:user_id>/reset-second-factor", methods=["POST"])
@allow(ADMIN)
def reset_second_factor(user_id):
    """A new secret, shown once to the admin to hand over (ACCESS.md); the old app and recovery codes
    stop working, and so does every session of the account."""
    user = _user_or_404(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    secret = new_secret()
    user.totp_secret = secret
    user.totp_confirmed_at = utcnow()
    user.recovery_code_hashes = None
    user.session_version += 1
    audit.record("second_factor_reset", user=user.id)
    db.session.commit()
    issuer = get_settings()["organisation"]["service_name"]
    return render_template("admin/new_second_factor.html", user=user, secret=secret,
                           qr=qr_data_uri(provisioning_uri(secret, user.username, issuer)))


@bp.route("/users/<uuid:user_id>/unlock", methods=["POST"])
@allow(ADMIN)
def unlock_user(user_id):
    user = _user_or_404(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    throttle.unlock(user.username)
    audit.record("account_unlocked", user=user.id)
    db.session.commit()
    flash(f"{user.full_name} can try to sign in again now.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<uuid:user_id>/disable", methods=["POST"])
@allow(ADMIN)
def disable_user(user_id):
    user = _user_or_404(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if user.id == current_user.id:
        flash("You cannot disable your own account.", "info")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    user.active = False
    user.session_version += 1
    audit.record("account_disabled", user=user.id)
    db.session.commit()
    flash(f"{user.full_name}'s account has been disabled and signed out everywhere.", "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<uuid:user_id>/enable", methods=["POST"])
@allow(ADMIN)
def enable_user(user_id):
    user = _user_or_404(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    user.active = True
    audit.record("account_enabled", user=user.id)
    db.session.commit()
    flash(f"{user.full_name}'s account has been enabled.", "success")
    return redirect(url_for("admin.users"))


@bp.route("/organisations")
@allow(ADMIN)
def organisations():
    return render_template("admin/organisations.html", organisations=account_queries.organisations())


@bp.route("/organisations/new", methods=["GET", "POST"])
@allow(ADMIN)
def new_organisation():
    form = OrganisationForm()
    if form.validate_on_submit():
        name = form.name.data.strip()
        if db.session.execute(select(Organisation.id).where(Organisation.name == name)).first():
            form.name.errors.append("An organisation with that name already exists")
        else:
            organisation = Organisation(name=name, kind=form.kind.data, is_home=False)
            db.session.add(organisation)
            audit.record("organisation_created", organisation=organisation.id)
            db.session.commit()
            flash(f"{organisation.name} has been added.", "success")
            return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_form.html", form=form)
