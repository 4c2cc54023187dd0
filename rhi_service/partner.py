"""Placing authorities (/partner/...): the children they placed with us, and their requests."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from .access import allow
from .models.organisations import PLACING_AUTHORITY
from .queries import children as child_queries

bp = Blueprint("partner", __name__, url_prefix="/partner")


@bp.route("/")
@allow(PLACING_AUTHORITY)
def index():
    children = child_queries.placed_by(current_user.organisation_id)
    return render_template("partner/index.html", children=children)
