"""Pages anyone may read, and the health check."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .access import public
from .extensions import db

bp = Blueprint("pages", __name__)


@bp.route("/privacy")
@public
def privacy():
    return render_template("pages/privacy.html")


@bp.route("/accessibility")
@public
def accessibility():
    return render_template("pages/accessibility.html")


@bp.route("/cookies")
@public
def cookies():
    return render_template("pages/cookies.html")


@bp.route("/help")
@public
def help():
    return render_template("pages/help.html")


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify({"status": "unavailable", "database": "not answering"}), 503
    return jsonify({"status": "ok", "database": "ok"})
