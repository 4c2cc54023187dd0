"""Wiring shared by every page: blueprints, security headers, the idle timeout, errors, filters."""
from __future__ import annotations

import time
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError

from . import access
from .extensions import db, login_manager
from .models.organisations import User

LONDON = ZoneInfo("Europe/London")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def register(app: Flask) -> None:
    from .accounts import bp as accounts_bp
    from .admin import bp as admin_bp
    from .audit_log import bp as audit_log_bp
    from .subject_access import bp as subject_access_bp
    from .guided import bp as guided_bp
    from .home import bp as home_bp
    from .interviews import bp as interviews_bp
    from .pages import bp as pages_bp
    from .partner import bp as partner_bp
    from .police import bp as police_bp
    from .records import bp as records_bp

    for blueprint in (accounts_bp, admin_bp, audit_log_bp, subject_access_bp, guided_bp, home_bp, interviews_bp, pages_bp, partner_bp, police_bp, records_bp):
        app.register_blueprint(blueprint)
    from .api import bp as api_bp
    from .api.admin import bp as api_tokens_bp
    from .placements import bp as placements_bp
    from .profiles import bp as profiles_bp

    for blueprint in (api_bp, api_tokens_bp, placements_bp, profiles_bp):
        app.register_blueprint(blueprint)
    from .review import bp as review_bp

    app.register_blueprint(review_bp)
    from .intelligence import bp as intelligence_bp

    app.register_blueprint(intelligence_bp)

    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to use the service"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)

    app.before_request(_idle_timeout)
    app.before_request(access.check_request)
    app.after_request(_security_headers)
    app.teardown_request(_rollback_on_error)
    _register_errors(app)
    _register_template_helpers(app)


def _load_user(user_id: str):
    # The id carries the session version: changing a password or disabling the account bumps it,
    # so every cookie issued before stops working on its next request.
    try:
        raw_id, version = user_id.split(":", 1)
        user = db.session.get(User, uuid.UUID(raw_id))
    except (ValueError, TypeError):
        return None
    if user is None or not user.active or str(user.session_version) != version:
        return None
    return user


def _idle_timeout():
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return None
    limit = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
    now = time.time()
    last = session.get("last_active")
    if last is not None and now - last > limit:
        logout_user()
        session.clear()
        flash("You were signed out because you were inactive for a while. Anything you saved is kept.", "info")
        if request.path.startswith("/api/"):
            return None
        if access.wants_json():
            return jsonify({"status": "signed_out", "sign_in_url": url_for("accounts.sign_in")}), 401
        # A long answer typed before the timeout comes back to the person, not to the void.
        rescued = access.rescue_response()
        if rescued is not None:
            return rescued
        return redirect(url_for("accounts.sign_in"))
    view = current_app.view_functions.get(request.endpoint)
    # A page asking how long is left must not count as the person doing something.
    if not getattr(view, "_rhi_passive", False):
        session["last_active"] = now
    return None


def _security_headers(response):
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if current_app.config.get("PRODUCTION"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    # is_anonymous, not is_authenticated: the latter reads the user row again after a commit
    if current_user and not current_user.is_anonymous:
        # Shared tablets: nothing signed-in may come back from the cache after sign-out.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def _rollback_on_error(exc):
    if exc is not None:
        db.session.rollback()


def _register_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def stale_form(error):
        # Signing in again in another tab makes the open forms' tokens stale: show what was typed.
        if access.wants_json():
            return jsonify({"status": "stale_token"}), 400
        rescued = access.rescue_response()
        return rescued if rescued is not None else error

    @app.errorhandler(403)
    def forbidden(error):
        return render_template("errors/403.html"), 403

    @app.errorhandler(404)
    def not_found(error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(405)
    def not_allowed(error):
        return render_template("errors/404.html"), 405

    @app.errorhandler(413)
    def too_large(error):
        return render_template("errors/413.html"), 413

    @app.errorhandler(429)
    def too_many(error):
        return render_template("errors/429.html"), 429

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_unavailable(error):
        try:
            db.session.rollback()
        except DBAPIError:
            pass  # the connection is already gone; the pool replaces it (pre-ping) when the database is back
        # Drawing the page must not ask the dead database who is signed in.
        g._login_user = login_manager.anonymous_user()
        app.logger.error("database unavailable: %s", error.__class__.__name__)
        return render_template("errors/503.html"), 503

    @app.errorhandler(500)
    def server_error(error):
        return render_template("errors/500.html"), 500


def london(value: datetime | None) -> datetime | None:
    return value.astimezone(LONDON) if value is not None else None


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = london(value)
    hour = local.strftime("%I").lstrip("0") or "12"
    minute = local.strftime("%M")
    suffix = local.strftime("%p").lower()
    clock = f"{hour}{suffix}" if minute == "00" else f"{hour}:{minute}{suffix}"
    if clock == "12pm":
        clock = "midday"
    elif clock == "12am":
        clock = "midnight"
    return f"{local.day} {local.strftime('%B %Y')} at {clock}"


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = london(value)
    return f"{value.day} {value.strftime('%B %Y')}"


def _register_template_helpers(app: Flask) -> None:
    from . import navigation
    from .settings import get as get_settings

    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_date, "date")
    from .analysis_store import highlight as highlight_evidence
    app.add_template_filter(highlight_evidence, "evidence")

    @app.context_processor
    def inject():
        return {
            "service_settings": get_settings(),
            "navigation": navigation.items_for(current_user) if current_user.is_authenticated else [],
            "idle_timeout_seconds": app.config["IDLE_TIMEOUT_MINUTES"] * 60,
        }
