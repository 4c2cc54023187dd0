"""The coordinator drafts, the manager approves and sends (/intelligence/...)."""
from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import rules
from ..access import COORDINATORS, allow
from ..analysis.entities import normalize
from ..analysis_store import highlight
from ..extensions import db
from ..forms.accounts import ConfirmForm
from ..forms.intelligence import ENTITY_LABELS, STATEMENT_LIMIT, AboutEntityForm, SummaryForm
from ..models.base import utcnow
from ..models.intelligence import DRAFT, SENT, IntelligenceStatement
from ..models.interviews import ReturnInterview
from ..models.organisations import MANAGER
from ..queries import intelligence as queries
from ..queries.interviews import can_see_rhi
from . import drafting
from .records import record

bp = Blueprint("intelligence", __name__)


@bp.app_context_processor
def _helpers():
    return {"intelligence_shared": _shared_with_police,
            "grading_labels": {"source": rules.SOURCE_EVALUATIONS, "intelligence": rules.INTELLIGENCE_EVALUATIONS,
                               "handling": rules.HANDLING_CODES}}


def _shared_with_police(rhi=None, child=None) -> list:
    """For the RHI's and the child's pages: what went to the police (and drafts under way)."""
    if not current_user.is_authenticated or current_user.role not in COORDINATORS:
        return []
    return queries.shared_for(rhi_id=getattr(rhi, "id", None), child_id=getattr(child, "id", None))


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


def _choice(name: str, allowed, default: str) -> str:
    value = request.args.get(name, default)
    return value if value in allowed else default


def _summary_or_404(summary_id):
    summary = queries.staff_summary(summary_id, current_user.organisation_id)
    if summary is None:
        abort(404)
    return summary


@bp.route("/intelligence")
@allow(*COORDINATORS)
def summaries():
    status = _choice("status", queries.STAFF_STATUSES, "all")
    sort = _choice("sort", queries.SORTS, "newest")
    page = queries.staff_page(current_user.organisation_id, status, sort, _page())
    return render_template("intelligence/summaries.html", page=page, status=status, sort=sort,
                           statuses=queries.STAFF_STATUSES, sorts=queries.SORTS)


@bp.route("/rhis/<uuid:rhi_id>/intelligence/new", methods=["GET", "POST"])
@allow(*COORDINATORS)
def from_rhi(rhi_id):
    rhi = db.session.get(ReturnInterview, rhi_id)
    if not can_see_rhi(current_user, rhi):
        abort(404)
    form = ConfirmForm()
    error = None
    if request.method == "POST" and form.validate_on_submit():
        try:
            summary = drafting.draft_from_rhi(rhi, current_user)
        except drafting.DraftRefused as refused:
            error = str(refused)
        else:
            record("intelligence_drafted", summary, rhi=rhi.id)
            db.session.commit()
            flash("Draft started from the confirmed tags. Check each statement, then save it for a manager to approve.", "success")
            return redirect(url_for("intelligence.edit", summary_id=summary.id))
    return render_template("intelligence/from_rhi.html", rhi=rhi, child=rhi.child, form=form, error=error,
                           contributors=drafting.contributors([rhi]), submitted=rhi.status == "submitted"), 400 if error else 200


@bp.route("/intelligence/about", methods=["GET", "POST"])
@allow(*COORDINATORS)
def about():
    form = AboutEntityForm()
    found = None
    error = None
    if request.method == "POST" and form.validate_on_submit():
        label, normalized = form.label.data, normalize(form.label.data, form.value.data)[:200]
        rhis, _ = drafting.entity_rhis(current_user.organisation_id, label, normalized)
        found = drafting.contributors(rhis)
        if not rhis:
            form.value.errors = list(form.value.errors) + ["No submitted RHI names this. Check the spelling, or what it is."]
        elif request.form.get("confirm") == "yes":
            try:
                summary = drafting.draft_about_entity(current_user.organisation_id, label, normalized, current_user)
            except drafting.DraftRefused as refused:
                error = str(refused)
            else:
                record("intelligence_drafted", summary)
                db.session.commit()
                flash("Draft started. No child is named in it: add them only if the police need to know.", "success")
                return redirect(url_for("intelligence.edit", summary_id=summary.id))
    status = 400 if error or form.errors else 200
    return render_template("intelligence/about.html", form=form, found=found, error=error, labels=ENTITY_LABELS), status


def _passages(summary) -> dict:
    """statement id → highlighted passage, for the coordinator's eyes only."""
    texts = drafting.source_texts({s.rhi_id for s in summary.statements if s.rhi_id})
    out = {}
    for statement in summary.statements:
        found = drafting.passage(texts.get((statement.source_id, statement.source_key)), statement.start, statement.end)
        if found:
            out[statement.id] = highlight(*found)
    return out


def _approval_problems(summary) -> list[str]:
    problems = list(rules.grading_errors(summary.source_evaluation, summary.intelligence_evaluation,
                                         summary.handling_code, summary.handling_conditions).values())
    if summary.force_id is None:
        problems.append("Choose the police force it is for")
    if not summary.included:
        problems.append("Include at least one statement")
    return problems


def _show(summary, errors=(), status=200):
    contributors = drafting.contributors([s.rhi for s in summary.sources]) if summary.sources else []
    return render_template("intelligence/summary.html", summary=summary, passages=_passages(summary),
                           contributors=contributors, errors=list(errors), confirm=ConfirmForm(),
                           own_draft=summary.created_by_id == current_user.id, is_manager=current_user.role == MANAGER), status


@bp.route("/intelligence/<uuid:summary_id>")
@allow(*COORDINATORS)
def summary(summary_id):
    found = _summary_or_404(summary_id)
    record("intelligence_viewed", found)
    db.session.commit()
    return _show(found)


def _statement_fields(summary) -> tuple[dict, dict]:
    """What the form posted for each statement: included, and its words; errors by statement id."""
    chosen, errors = {}, {}
    included = set(request.form.getlist("include"))
    for statement in summary.statements:
        text = " ".join((request.form.get(f"text-{statement.id}", statement.text) or "").split())
        if not text:
            errors[statement.id] = "Enter the statement, or leave it out"
        elif len(text) > STATEMENT_LIMIT:
            errors[statement.id] = f"The statement must be {STATEMENT_LIMIT:,} characters or fewer"
        chosen[statement.id] = (str(statement.id) in included, text)
    return chosen, errors


@bp.route("/intelligence/<uuid:summary_id>/edit", methods=["GET", "POST"])
@allow(*COORDINATORS)
def edit(summary_id):
    summary = _summary_or_404(summary_id)
    if summary.status != DRAFT:
        flash("This summary has been sent, so it can no longer be changed.", "info")
        return redirect(url_for("intelligence.summary", summary_id=summary.id))
    form = SummaryForm(obj=summary if request.method == "GET" else None)
    forces = drafting.police_forces()
    form.force_id.choices = [("", "Choose a police force")] + [(str(f.id), f.name) for f in forces]
    if request.method == "GET":
        form.force_id.data = str(summary.force_id) if summary.force_id else ""
    statement_errors, chosen = {}, {s.id: (s.included, s.text) for s in summary.statements}
    if request.method == "POST":
        valid = form.validate_on_submit()
        chosen, statement_errors = _statement_fields(summary)
        if valid and not statement_errors:
            for statement in summary.statements:
                statement.included, statement.text = chosen[statement.id]
            for name in ("subject", "episode_date", "episode_place", "source_evaluation", "intelligence_evaluation",
                         "handling_code"):
                setattr(summary, name, getattr(form, name).data or None)
            summary.handling_conditions = (form.handling_conditions.data or "").strip() or None \
                if summary.handling_code == "C" else None
            summary.force_id = uuid.UUID(form.force_id.data)
            if (form.new_text.data or "").strip():
                summary.statements.append(IntelligenceStatement(
                    kind=form.new_kind.data, text=" ".join(form.new_text.data.split()), included=True,
                    position=len(summary.statements)))
            summary.updated_by_id, summary.updated_at = current_user.id, utcnow()
            record("intelligence_edited", summary)
            db.session.commit()
            flash("Draft saved. A manager other than the person who drafted it approves and sends it.", "success")
            return redirect(url_for("intelligence.summary", summary_id=summary.id))
    return render_template("intelligence/edit.html", form=form, summary=summary, passages=_passages(summary),
                           statement_errors=statement_errors, chosen=chosen), 400 if (form.errors or statement_errors) and request.method == "POST" else 200


@bp.route("/intelligence/<uuid:summary_id>/approve", methods=["POST"])
@allow(MANAGER)
def approve(summary_id):
    summary = _summary_or_404(summary_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if summary.status != DRAFT:
        flash("This summary has already been approved and sent.", "info")
        return redirect(url_for("intelligence.summary", summary_id=summary.id))
    if summary.created_by_id == current_user.id:
        return _show(summary, ["You drafted this summary, so another manager must approve it"], 400)
    problems = _approval_problems(summary)
    if problems:
        return _show(summary, problems, 400)
    now = utcnow()
    summary.status, summary.approved_by_id, summary.approved_at, summary.sent_at = SENT, current_user.id, now, now
    record("intelligence_approved", summary)
    record("intelligence_sent", summary, force=summary.force_id)
    db.session.commit()
    flash(f"Approved and sent to {summary.force.name}.", "success")
    return redirect(url_for("intelligence.summary", summary_id=summary.id))
