"""Sign in, sign out, the idle timeout's keep-alive and changing one's own password."""
from __future__ import annotations

import time
import uuid
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from . import audit, throttle
from .access import public, signed_in
from .extensions import db
from .forms.accounts import ChangePasswordForm, CodeForm, SignInForm
from .models.base import utcnow
from .models.organisations import User
from .navigation import first_page
from .passwords import hash_password, needs_rehash, verify_password
from .second_factor import new_recovery_codes, new_secret, provisioning_uri, qr_data_uri, use_recovery_code, verify_code
from .settings import get as get_settings

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    # Only a path on this site: never another host, never a scheme-relative "//host".
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


PENDING = "pending_sign_in"
PENDING_SECONDS = 300


def _too_many_attempts():
    return render_template("errors/429.html"), 429


def _complete_sign_in(user: User, next_url: str | None):
    user.last_signed_in_at = utcnow()
    session.clear()
    login_user(user)
    session["last_active"] = time.time()
    audit.record("sign_in", actor=user, user=user.id)
    db.session.commit()
    return redirect(next_url or first_page(user))


def _pending_user() -> tuple[User | None, dict]:
    """The person who has given a correct password and still owes a second factor."""
    pending = session.get(PENDING) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None, {}
    try:
        raw_id, version = pending["user"].split(":", 1)
        user = db.session.get(User, uuid.UUID(raw_id))
    except (KeyError, ValueError):
        return None, {}
    if user is None or not user.active or str(user.session_version) != version:
        return None, {}
    return user, pending


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(first_page(current_user))
    form = SignInForm()
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        if throttle.is_locked(username, request.remote_addr):
            return _too_many_attempts()
        user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is None or not verify_password(user.password_hash, form.password.data) or not user.active:
            throttle.record_failure(username, request.remote_addr)
            if user is not None:
                audit.record("sign_in_failed", actor=None, user=user.id)
                db.session.commit()
            form.username.errors.append("Enter a correct username and password")
            return render_template("accounts/sign_in.html", form=form), 200
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(form.password.data)
            db.session.commit()
        next_url = _safe_next(request.args.get("next"))
        if user.has_second_factor or user.second_factor_required:
            session.clear()
            session[PENDING] = {"user": user.get_id(), "at": time.time(), "next": next_url}
            target = "accounts.second_factor" if user.has_second_factor else "accounts.set_up_second_factor"
            return redirect(url_for(target))
        return _complete_sign_in(user, next_url)
    return render_template("accounts/sign_in.html", form=form)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
def second_factor():
    user, pending = _pending_user()
    if user is None or not user.has_second_factor:
        return redirect(url_for("accounts.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        if throttle.is_locked(user.username, request.remote_addr):
            return _too_many_attempts()
        typed = form.code.data.strip()
        if verify_code(user.totp_secret, typed):
            return _complete_sign_in(user, pending.get("next"))
        remaining = use_recovery_code(user.recovery_code_hashes, typed)
        if remaining is not None:
            user.recovery_code_hashes = remaining
            audit.record("recovery_code_used", actor=user, user=user.id)
            flash(f"You used a recovery code. You have {len(remaining)} left.", "info")
            return _complete_sign_in(user, pending.get("next"))
        throttle.record_failure(user.username, request.remote_addr)
        audit.record("second_factor_failed", actor=None, user=user.id)
        db.session.commit()
        form.code.errors.append("Enter the 6-digit code from your authenticator app, or a recovery code")
    return render_template("accounts/second_factor.html", form=form)


@bp.route("/sign-in/set-up", methods=["GET", "POST"])
@public
def set_up_second_factor():
    user, pending = _pending_user()
    if user is None:
        return redirect(url_for("accounts.sign_in"))
    if user.has_second_factor:
        return redirect(url_for("accounts.second_factor"))
    def done(codes):
        response = _complete_sign_in(user, url_for("accounts.recovery_codes"))
        session["recovery_codes"] = codes  # after sign-in cleared the session
        return response

    return _enrol(user, on_done=done)


@bp.route("/account/second-factor", methods=["GET", "POST"])
@signed_in
def enrol_second_factor():
    """Optional for interviewers; others set theirs up when they first sign in."""
    user = current_user._get_current_object()
    if user.has_second_factor:
        return render_template("accounts/second_factor_on.html")

    def done(codes):
        db.session.commit()
        session["recovery_codes"] = codes
        return redirect(url_for("accounts.recovery_codes"))

    return _enrol(user, on_done=done)


def _enrol(user: User, on_done):
    if not user.totp_secret:
        # Kept unconfirmed until the person proves their app shows the right code.
        user.totp_secret = new_secret()
        db.session.commit()
    form = CodeForm()
    if form.validate_on_submit():
        if verify_code(user.totp_secret, form.code.data):
            codes, hashes = new_recovery_codes()
            user.totp_confirmed_at = utcnow()
            user.recovery_code_hashes = hashes
            audit.record("second_factor_set_up", actor=user, user=user.id)
            return on_done(codes)
        form.code.errors.append("The code is not right: enter the 6-digit code your app shows now")
    issuer = get_settings()["organisation"]["service_name"]
    uri = provisioning_uri(user.totp_secret, user.username, issuer)
    return render_template("accounts/set_up_second_factor.html", form=form, qr=qr_data_uri(uri), secret=user.totp_secret)


@bp.route("/account/recovery-codes")
@signed_in
def recovery_codes():
    # Shown once: popped from the session as the page is drawn.
    codes = session.pop("recovery_codes", None)
    if not codes:
        return redirect(first_page(current_user))
    return render_template("accounts/recovery_codes.html", codes=codes)


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out():
    audit.record("sign_out", user=current_user.id)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("accounts.sign_in"))


@bp.route("/signed-out")
@public
def timed_out():
    if current_user.is_authenticated:
        audit.record("sign_out_idle", user=current_user.id)
        db.session.commit()
        logout_user()
    session.clear()
    return render_template("accounts/timed_out.html")


@bp.route("/keep-alive", methods=["POST"])
@signed_in
def keep_alive():
    return "", 204


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password():
    form = ChangePasswordForm()
    form._username = current_user.username
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append("Your current password is not correct")
        else:
            user = current_user._get_current_object()
            user.password_hash = hash_password(form.new_password.data)
            user.must_change_password = False
            # Every other session of this account ends; this one carries on with the new version.
            user.session_version += 1
            audit.record("password_changed", user=user.id)
            db.session.commit()
            login_user(user)
            flash("Your password has been changed.", "success")
            return redirect(first_page(user))
    return render_template("accounts/change_password.html", form=form)
