"""Each role's first page. Later work replaces the placeholders with the real pages."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from .access import COORDINATORS, allow, public
from .navigation import first_page

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
    """What needs the coordinator now: deadlines, children missing, sign-off, tags, other authorities."""
    from . import audit
    from .extensions import db
    from .models.base import utcnow
    from .queries import coordinator as coordinator_queries
    from .settings import get as get_settings

    now = utcnow()
    settings = get_settings()
    today = coordinator_queries.today(current_user.organisation_id, now)
    escalations = {e.id: coordinator_queries.escalation(e, now, settings["escalation_points"]) for e in today.missing_now.items}
    shown = {*(r.child_id for b in (today.due_soon, today.overdue, today.unassigned, today.sign_off) for r in b.items),
             *(e.child_id for e in today.missing_now.items)}
    from .rules import due_in_words

    # rendered before the commit expires the records it shows (else each is read again one by one);
    # the audit entry is still the transaction's last write
    html = render_template("home/coordinator.html", today=today, escalations=escalations, now=now,
                           due_words=due_in_words, **_placements_today())
    audit.record("today_viewed", children=sorted(shown, key=str))
    db.session.commit()
    return html


def _placements_today() -> dict:
    # RHIs owed to us by the authorities that placed children here (placements/).
    from .models.base import utcnow
    from .queries import placements as placement_queries
    from .settings import get as get_settings

    overdue, count = placement_queries.overdue_requests(current_user.organisation_id, utcnow(), get_settings()["rhi_due_hours"])
    return {"placement_overdue": overdue, "placement_overdue_count": count,
            "placement_inbox_count": placement_queries.inbox_count(current_user.organisation_id)}
