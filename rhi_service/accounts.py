"""Sign in, sign out, the idle timeout's keep-alive and changing one's own password."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from . import audit
from .access import public, signed_in
from .extensions import db
from .forms.accounts import ChangePasswordForm, SignInForm
from .models.base import utcnow
from .models.organisations import User
from .navigation import first_page
from .passwords import hash_password, needs_rehash, verify_password

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    # Only a path on this site: never another host, never a scheme-relative "//host".
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(first_page(current_user))
    form = SignInForm()
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is None or not verify_password(user.password_hash, form.password.data) or not user.active:
            if user is not None:
                audit.record("sign_in_failed", actor=None, user=user.id)
                db.session.commit()
            form.username.errors.append("Enter a correct username and password")
            return render_template("accounts/sign_in.html", form=form), 200
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(form.password.data)
        user.last_signed_in_at = utcnow()
        next_url = _safe_next(request.args.get("next"))
        session.clear()
        login_user(user)
        session["last_active"] = time.time()
        audit.record("sign_in", actor=user, user=user.id)
        db.session.commit()
        return redirect(next_url or first_page(user))
    return render_template("accounts/sign_in.html", form=form)


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
