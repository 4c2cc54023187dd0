"""Police (/police/...): approved intelligence summaries for their own force, nothing else.

Every lookup goes through queries.intelligence.police_summary, which answers None for a summary of
another force, a draft, or anything not approved, so each of those is "Page not found".
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .access import allow
from .extensions import db
from .forms.intelligence import AcknowledgeForm
from .intelligence.records import record, search_terms
from .models.base import utcnow
from .models.organisations import POLICE
from .pdf import pdf_response
from .queries import intelligence as queries

bp = Blueprint("police", __name__, url_prefix="/police")


def _own(summary_id):
    summary = queries.police_summary(summary_id, current_user.organisation_id)
    if summary is None:
        abort(404)
    return summary


@bp.route("/")
@allow(POLICE)
def inbox():
    status = request.args.get("status", "all")
    status = status if status in queries.POLICE_STATUSES else "all"
    kind = request.args.get("kind", "any")
    kind = kind if kind in queries.SEARCH_KINDS else "any"
    sort = request.args.get("sort", "newest")
    sort = sort if sort in queries.SORTS else "newest"
    q = " ".join((request.args.get("q") or "").split())[:100]
    page = queries.police_page(current_user.organisation_id, status, kind, search_terms(q), sort,
                               request.args.get("page", 1, type=int) or 1)
    return render_template("police/inbox.html", page=page, status=status, kind=kind, sort=sort, q=q,
                           statuses=queries.POLICE_STATUSES, kinds=queries.SEARCH_KINDS, sorts=queries.SORTS)


@bp.route("/intelligence/<uuid:summary_id>")
@allow(POLICE)
def summary(summary_id):
    found = _own(summary_id)
    record("intelligence_viewed", found)
    db.session.commit()
    return render_template("police/summary.html", summary=found)


@bp.route("/intelligence/<uuid:summary_id>/summary.pdf")
@allow(POLICE)
def summary_pdf(summary_id):
    found = _own(summary_id)
    record("intelligence_downloaded", found)
    db.session.commit()
    return pdf_response("police/summary.html", f"intelligence-{found.reference}.pdf", summary=found)


@bp.route("/intelligence/<uuid:summary_id>/acknowledge", methods=["GET", "POST"])
@allow(POLICE)
def acknowledge(summary_id):
    found = _own(summary_id)
    form = AcknowledgeForm(obj=found if request.method == "GET" else None)
    if form.validate_on_submit():
        first = found.acknowledged_at is None
        found.police_reference = form.police_reference.data.strip()
        found.acknowledged_by_id = current_user.id
        if first:
            found.acknowledged_at = utcnow()
        record("intelligence_acknowledged", found)
        db.session.commit()
        flash(f"Acknowledged with your reference {found.police_reference}.", "success")
        return redirect(url_for("police.summary", summary_id=found.id))
    return render_template("police/acknowledge.html", form=form, summary=found), 400 if form.errors else 200
