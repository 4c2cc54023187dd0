"""Each role's first page. Later work replaces the placeholders with the real pages."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from .access import COORDINATORS, allow, public
from .navigation import first_page
from .queries import children as child_queries

bp = Blueprint("home", __name__)


@bp.route("/")
@public
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in"))
    return redirect(first_page(current_user))


@bp.route("/today")
@allow(*COORDINATORS)
def coordinator():
    summary = child_queries.today_summary(current_user.organisation_id)
    return render_template("home/coordinator.html", summary=summary, **_placements_today())


def _placements_today() -> dict:
    # RHIs owed to us by the authorities that placed children here (placements/).
    from .models.base import utcnow
    from .queries import placements as placement_queries
    from .settings import get as get_settings

    overdue, count = placement_queries.overdue_requests(current_user.organisation_id, utcnow(), get_settings()["rhi_due_hours"])
    return {"placement_overdue": overdue, "placement_overdue_count": count,
            "placement_inbox_count": placement_queries.inbox_count(current_user.organisation_id)}
