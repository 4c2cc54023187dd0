"""Each role's first page. Later work replaces the placeholders with the real pages."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from .access import COORDINATORS, allow, public
from .models.organisations import INTERVIEWER
from .navigation import first_page
from .queries import children as child_queries

bp = Blueprint("home", __name__)


@bp.route("/")
@public
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in"))
    return redirect(first_page(current_user))


@bp.route("/my-rhis")
@allow(INTERVIEWER)
def interviewer():
    return render_template("home/interviewer.html")


@bp.route("/today")
@allow(*COORDINATORS)
def coordinator():
    summary = child_queries.today_summary(current_user.organisation_id)
    return render_template("home/coordinator.html", summary=summary)
