from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from .. import audit, rhis, rules
from ..access import COORDINATORS, STAFF, allow
from ..extensions import db
from ..forms.interviews import (
    ArrangeInterviewForm,
    AssignForm,
    ConfirmForm,
    ContactAttemptForm,
    DeclineForm,
    ParentCarerForm,
    new_token,
)
from ..models.base import utcnow
from ..models.interviews import (
    CONDUCTED_BY_PLACING_AUTHORITY,
    CONDUCTED_BY_US,
    CONTACT_ATTEMPTED,
    DECLINED,
    INTERVIEW_ARRANGED,
    STATUSES,
    ContactAttempt,
    ReturnInterview,
)
from ..pdf import pdf_response
from ..queries import interviews as queries
from ..settings import get as get_settings

bp = Blueprint("interviews", __name__)

# Statuses in which contact is still being made; later ones belong to the interview itself.
CONTACT_STAGES = ("awaiting_contact", CONTACT_ATTEMPTED, INTERVIEW_ARRANGED)


@bp.app_template_global("rhi_clock")
def rhi_clock(rhi: ReturnInterview) -> dict:
    """The words and tag for an RHI's 72-hour clock, computed when read."""
    now = utcnow()
    if rhi.status == DECLINED:
        return {"words": "declined", "state": "complete", "label": "Declined"}
    if rhi.is_complete:
        held = rhi.held_by_due
        return {"words": "held within 72 hours" if held else ("held after 72 hours" if held is False else "complete"),
                "state": "complete", "label": rhi.status_label}
    state = rules.clock_state(rhi.due_at, now)
    return {"words": rules.due_in_words(rhi.due_at, now), "state": state,
            "label": {"overdue": "Overdue", "due_soon": "Due soon", "on_time": "On time"}[state]}


def _rhi_or_404(rhi_id: uuid.UUID) -> ReturnInterview:
    rhi = db.session.get(ReturnInterview, rhi_id)
    if not queries.can_see_rhi(current_user, rhi):
        abort(404)
    return rhi


def _workable_or_back(rhi: ReturnInterview, stages=CONTACT_STAGES):
    """None when contact may still be logged on this RHI; otherwise a redirect that says why not."""
    if rhi.conducted_by != CONDUCTED_BY_US:
        flash("This RHI is for the placing authority to carry out.", "info")
    elif rhi.status not in stages:
        flash(f"This RHI is {rhi.status_label.lower()}: contact can no longer be logged on it.", "info")
    else:
        return None
    return redirect(url_for("interviews.rhi", rhi_id=rhi.id))


def _page_number() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.route("/my-rhis")
@allow(*STAFF)
def my_rhis():
    show = request.args.get("show", queries.OPEN)
    show = show if show in (queries.OPEN, queries.COMPLETED) else queries.OPEN
    sort = request.args.get("sort", "")
    sort = sort if sort in queries.QUEUE_SORTS else ""
    page = queries.my_queue(current_user, show, sort, _page_number())
    return render_template("interviews/my_rhis.html", page=page, show=show, sort=sort)


@bp.route("/rhis")
@allow(*COORDINATORS)
def rhis_list():
    interviewer = request.args.get("interviewer", "")
    status = request.args.get("status", queries.OPEN)
    if status not in STATUSES and status not in (queries.OPEN, queries.COMPLETED, "all"):
        status = queries.OPEN
    conducted_by = request.args.get("conducted_by", CONDUCTED_BY_US)
    if conducted_by not in (CONDUCTED_BY_US, CONDUCTED_BY_PLACING_AUTHORITY):
        conducted_by = CONDUCTED_BY_US
    sort = request.args.get("sort", "")
    sort = sort if sort in queries.QUEUE_SORTS else ""
    # overdue is worked out on read: open, and its due time has passed
    overdue = request.args.get("overdue") == "yes"
    page = queries.organisation_queue(current_user.organisation_id, interviewer or None,
                                      None if status == "all" else status, conducted_by, sort, _page_number(),
                                      overdue_at=utcnow() if overdue else None)
    filters = {"interviewer": interviewer, "status": status, "conducted_by": conducted_by, "overdue": "yes" if overdue else ""}
    return render_template(
        "interviews/rhis.html", page=page, filters=filters, sort=sort,
        interviewers=queries.assignable_interviewers(current_user.organisation_id),
        counts=queries.queue_counts(current_user.organisation_id), statuses=STATUSES,
        filtered=bool(interviewer) or status != queries.OPEN or conducted_by != CONDUCTED_BY_US or overdue,
    )


@bp.route("/rhis/<uuid:rhi_id>")
@allow(*STAFF)
def rhi(rhi_id):
    rhi = _rhi_or_404(rhi_id)
    check = rules.may_decline(rhi.attempts, get_settings()["decline_after_unsuccessful_attempts"], bool(rhi.child.address))
    audit.record("rhi_viewed", child=rhi.child_id, rhi=rhi.id)
    db.session.commit()
    return render_template("interviews/rhi.html", rhi=rhi, child=rhi.child, decline_check=check,
                           contact_open=rhi.conducted_by == CONDUCTED_BY_US and rhi.status in CONTACT_STAGES,
                           outcomes=rules.CONTACT_OUTCOMES, methods=rules.CONTACT_METHODS, with_whom=rules.CONTACT_WITH,
                           late_reasons=rules.LATE_REASONS | {rules.DECLINED_LATE_REASON: "The interview was declined"})


@bp.route("/rhis/<uuid:rhi_id>/assign", methods=["GET", "POST"])
@allow(*COORDINATORS)
def assign(rhi_id):
    rhi = _rhi_or_404(rhi_id)
    if rhi.conducted_by != CONDUCTED_BY_US or rhi.is_complete:
        flash("Only an open RHI that we carry out can be assigned.", "info")
        return redirect(url_for("interviews.rhi", rhi_id=rhi.id))
    form = AssignForm()
    people = queries.assignable_interviewers(current_user.organisation_id)
    form.interviewer_id.choices = [
        (str(p.id), f"{p.full_name} (you)" if p.id == current_user.id else f"{p.full_name}, {p.role_label}") for p in people
    ]
    if request.method == "GET" and rhi.interviewer_id:
        form.interviewer_id.data = str(rhi.interviewer_id)
    if form.validate_on_submit():
        chosen = next(p for p in people if str(p.id) == form.interviewer_id.data)
        if rhi.interviewer_id != chosen.id:
            rhi.interviewer_id = chosen.id
            audit.record("rhi_assigned", child=rhi.child_id, rhi=rhi.id, interviewer=chosen.id)
            db.session.commit()
        flash(f"The RHI is assigned to {'you' if chosen.id == current_user.id else chosen.full_name}.", "success")
        if request.args.get("next") == "list":
            return redirect(url_for("interviews.rhis_list"))
        return redirect(url_for("interviews.rhi", rhi_id=rhi.id))
    return render_template("interviews/assign.html", rhi=rhi, form=form)


@bp.route("/rhis/<uuid:rhi_id>/attempts/new", methods=["GET", "POST"])
@allow(*STAFF)
def new_attempt(rhi_id):
    rhi = _rhi_or_404(rhi_id)
    refused = _workable_or_back(rhi)
    if refused:
        return refused
    form = ContactAttemptForm()
    if request.method == "GET":
        form.token.data = new_token()
    elif form.token.data and queries.attempt_with_token(rhi.id, form.token.data):
        # The same form sent twice (a double tap, or going back and sending again): logged once.
        flash("That attempt was already saved.", "info")
        return redirect(url_for("interviews.rhi", rhi_id=rhi.id))
    if form.validate_on_submit():
        earliest = min((e.found_at for e in rhi.episodes if e.found_at), default=None)
        problem = rules.attempt_time_error(form.attempted_at.data, earliest, utcnow())
        if problem:
            form.attempted_at.errors.append(problem)
        else:
            attempt = ContactAttempt(
                organisation_id=rhi.organisation_id, return_interview_id=rhi.id, method=form.method.data,
                attempted_at=form.attempted_at.data, with_whom=form.with_whom.data, outcome=form.outcome.data,
                note=(form.note.data or "").strip() or None, recorded_by_id=current_user.id,
                submission_token=form.token.data or new_token(),
            )
            db.session.add(attempt)
            # In the same transaction as the attempt, and in SQL, so two tablets cannot lose a count.
            rhi.attempt_count = ReturnInterview.attempt_count + 1
            if rhi.status != INTERVIEW_ARRANGED or form.outcome.data == "did_not_attend":
                rhi.status = CONTACT_ATTEMPTED
            try:
                audit.record("contact_attempt_logged", child=rhi.child_id, rhi=rhi.id, attempt=attempt.id)
                db.session.commit()
            except IntegrityError:
                # Two copies of one form racing each other: the token's unique constraint let one in.
                db.session.rollback()
                flash("That attempt was already saved.", "info")
                return redirect(url_for("interviews.rhi", rhi_id=rhi_id))
            if form.outcome.data == "agreed":
                flash("Attempt saved. Now arrange the interview with them.", "success")
                return redirect(url_for("interviews.arrange", rhi_id=rhi.id))
            flash("The contact attempt has been saved.", "success")
            return redirect(url_for("interviews.rhi", rhi_id=rhi.id))
    return render_template("interviews/attempt_form.html", rhi=rhi, form=form)


@bp.route("/rhis/<uuid:rhi_id>/arrange", methods=["GET", "POST"])
@allow(*STAFF)
def arrange(rhi_id):
    rhi = _rhi_or_404(rhi_id)
    refused = _workable_or_back(rhi)
    if refused:
        return refused
    form = ArrangeInterviewForm(obj=rhi)
    if form.validate_on_submit():
        rhi.arranged_for = form.arranged_for.data
        rhi.arranged_place = form.arranged_place.data.strip()
        rhi.arranged_with = (form.arranged_with.data or "").strip() or None
        rhi.arranged_notes = (form.arranged_notes.data or "").strip() or None
        rhi.status = INTERVIEW_ARRANGED
        audit.record("rhi_interview_arranged", child=rhi.child_id, rhi=rhi.id)
        db.session.commit()
        flash("The interview has been arranged.", "success")
        return redirect(url_for("interviews.rhi", rhi_id=rhi.id))
    return render_template("interviews/arrange.html", rhi=rhi, form=form)


@bp.route("/rhis/<uuid:rhi_id>/decline", methods=["GET", "POST"])
@allow(*STAFF)
def decline(rhi_id):
    rhi = _rhi_or_404(rhi_id)
    if rhi.status == DECLINED:
        return redirect(url_for("interviews.rhi", rhi_id=rhi.id))
    refused = _workable_or_back(rhi)
    if refused:
        return refused
    threshold = get_settings()["decline_after_unsuccessful_attempts"]
    check = rules.may_decline(rhi.attempts, threshold, bool(rhi.child.address))
    form = DeclineForm()
    if request.method == "GET" and check.allowed and check.grounds in rules.REFUSALS:
        form.reason.data = rules.REFUSALS[check.grounds]
    if check.allowed and form.validate_on_submit():
        rhis.decline(rhi, check.grounds, form.reason.data)
        db.session.commit()
        flash("The decline has been recorded. Send the child the letter below.", "success")
        return redirect(url_for("interviews.decline_letter", rhi_id=rhi.id))
    return render_template("interviews/decline.html", rhi=rhi, form=form if check.allowed else None, check=check,
                           threshold=threshold)


def _letter_context(rhi: ReturnInterview) -> dict:
    return {"rhi": rhi, "child": rhi.child, "organisation": get_settings()["organisation"]}


@bp.route("/rhis/<uuid:rhi_id>/decline-letter")
@allow(*STAFF)
def decline_letter(rhi_id):
    rhi = _rhi_or_404(rhi_id)
    if rhi.status != DECLINED:
        abort(404)
    audit.record("decline_letter_viewed", child=rhi.child_id, rhi=rhi.id)
    db.session.commit()
    return render_template("interviews/decline_letter.html", **_letter_context(rhi))


@bp.route("/rhis/<uuid:rhi_id>/decline-letter.pdf")
@allow(*STAFF)
def decline_letter_pdf(rhi_id):
    rhi = _rhi_or_404(rhi_id)
    if rhi.status != DECLINED:
        abort(404)
    audit.record("decline_letter_produced", child=rhi.child_id, rhi=rhi.id)
    db.session.commit()
    return pdf_response("interviews/decline_letter.html", f"rhi-decline-letter-{rhi.id}.pdf", **_letter_context(rhi))


@bp.route("/rhis/<uuid:rhi_id>/parent-carer", methods=["GET", "POST"])
@allow(*STAFF)
def parent_carer(rhi_id):
    rhi = _rhi_or_404(rhi_id)
    if rhi.conducted_by != CONDUCTED_BY_US:
        return _workable_or_back(rhi)
    form = ParentCarerForm(data={"information": rhi.parent_carer_information} if request.method == "GET" else None)
    if form.validate_on_submit():
        rhi.parent_carer_information = form.information.data.strip()
        rhi.parent_carer_information_at = utcnow()
        audit.record("rhi_parent_carer_information_saved", child=rhi.child_id, rhi=rhi.id)
        db.session.commit()
        flash("The parent or carer's information has been saved.", "success")
        return redirect(url_for("interviews.rhi", rhi_id=rhi.id))
    return render_template("interviews/parent_carer.html", rhi=rhi, form=form)


@bp.route("/rhis/<uuid:rhi_id>/reopen", methods=["GET", "POST"])
@allow(*COORDINATORS)
def reopen(rhi_id):
    rhi = _rhi_or_404(rhi_id)
    if rhi.status != DECLINED:
        return redirect(url_for("interviews.rhi", rhi_id=rhi.id))
    form = ConfirmForm()
    if form.validate_on_submit():
        rhis.reopen(rhi)
        db.session.commit()
        flash("The RHI is open again.", "success")
        return redirect(url_for("interviews.rhi", rhi_id=rhi.id))
    return render_template("interviews/reopen.html", rhi=rhi, form=form)
