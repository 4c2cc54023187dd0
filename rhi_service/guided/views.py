"""The guided interview: task list, question pages, check answers, submit, addenda, the social
worker's copy and the manager's sign-off.

The questions come from forms/definitions/interview.yaml through the form engine; nothing here names
a question by its code, except through what the definition declares (`records`, `consent_purpose`).
"""
from __future__ import annotations

import time
import uuid
from datetime import timedelta

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import update

from .. import analysis_store, audit, consent, rhis
from ..access import STAFF, allow, keeps_typing, passive, signed_in
from ..extensions import db
from ..forms import engine, hooks, schema
from ..forms.guided import (
    AddAnotherForm,
    AddendumForm,
    RemoveItemForm,
    SectionCompleteForm,
    SignOffForm,
    SubmitInterviewForm,
)
from ..forms.interviews import late_reason_valid
from ..models.base import utcnow
from ..models.forms import NO_ANSWER, Addendum
from ..models.interviews import (
    AWAITING_CONTACT,
    COMPLETE_STATUSES,
    CONTACT_ATTEMPTED,
    IN_PROGRESS,
    INTERVIEW_ARRANGED,
    SUBMITTED,
    ReturnInterview,
)
from ..models.organisations import MANAGER
from ..pdf import pdf_response
from ..queries import sign_off as sign_off_queries
from ..queries.interviews import can_see_rhi, interviewer_holds_rhi_for
from ..rules import LATE_REASONS

bp = Blueprint("guided", __name__)

FORM = "interview"
BEFORE_INTERVIEW = (AWAITING_CONTACT, CONTACT_ATTEMPTED, INTERVIEW_ARRANGED)


@bp.record_once
def _load_definitions(state):
    # At start-up, so that a broken definition stops the app rather than a worker mid-interview.
    schema.reload()


def _definition() -> schema.FormDefinition:
    return schema.get(FORM)


def _rhi_or_404(rhi_id: uuid.UUID) -> ReturnInterview:
    rhi = db.session.get(ReturnInterview, rhi_id)
    if not can_see_rhi(current_user, rhi):
        abort(404)
    return rhi


def _section_or_404(code: str) -> schema.Section:
    section = _definition().section(code)
    if section is None:
        abort(404)
    return section


def _page_or_404(section: schema.Section, code: str) -> schema.Page:
    page = section.page(code)
    if page is None:
        abort(404)
    return page


def _locked_redirect(rhi: ReturnInterview):
    """Submitted answers are never edited: corrections are addenda."""
    if rhi.status == SUBMITTED:
        flash("This interview has been submitted, so its answers cannot be changed. Add an addendum to correct or add to it.", "info")
        return redirect(url_for("guided.addenda", rhi_id=rhi.id))
    if rhi.is_complete:
        flash("This RHI is closed, so the interview cannot be changed.", "info")
        return redirect(url_for("guided.task_list", rhi_id=rhi.id))
    return None


def _return_to_check() -> bool:
    return request.args.get("return_to") == "check"


def _page_url(rhi_id, section_code: str, page_code: str, check: bool = False) -> str:
    return url_for("guided.question_page", rhi_id=rhi_id, section_code=section_code, page_code=page_code,
                   return_to="check" if check else None)


def _after_save(rhi: ReturnInterview, result: engine.SaveResult, section: schema.Section, autosave: bool = False,
                tag: bool = False) -> None:
    """`tag` on "Save and continue": the section is tagged even when nothing changed, since an
    autosave may have stored the text untagged."""
    if result.changed:
        if rhi.status in BEFORE_INTERVIEW:
            rhi.status = IN_PROGRESS
        if any(_about_consent(q) for q in section.questions):
            _sync_consent(rhi)
    if tag:
        hooks.on_answers_saved(rhi, FORM, section.code)
    if result.changed:
        audit.record("rhi_answers_autosaved" if autosave else "rhi_answers_saved", child=rhi.child_id, rhi=rhi.id)
    db.session.commit()


def _about_consent(question: schema.Question) -> bool:
    """A consent question or the rationale for sharing without consent: what _sync_consent reads."""
    return bool(question.consent_purpose or question.rationale_for)


def _sync_consent(rhi: ReturnInterview) -> None:
    definition = _definition()
    stored = engine.answers(FORM, rhi.id, [q for q in definition.questions if _about_consent(q)])
    for question in definition.consent_questions:
        value = engine.stored_value(question, stored.get(question.code)).value
        given = {"given": True, "refused": False}.get(value)
        rationale_question = definition.rationale_question(question.consent_purpose)
        rationale = engine.stored_value(rationale_question, stored.get(rationale_question.code)).value if rationale_question else None
        consent.record(rhi, question.consent_purpose, given, rationale, current_user)


def _next_url(rhi_id, section: schema.Section, page: schema.Page, later: bool) -> str:
    """Takes the id, not the record: after the commit, reading rhi.id would load the row again."""
    if _return_to_check():
        return url_for("guided.check_answers", rhi_id=rhi_id)
    if later:
        return url_for("guided.task_list", rhi_id=rhi_id)
    following = section.next_page(page.code)
    if following is None:
        return url_for("guided.section_complete", rhi_id=rhi_id, section_code=section.code)
    return _page_url(rhi_id, section.code, following.code)


def _their_answers(page: schema.Page, stored: dict) -> list[dict]:
    return [{"question": q, "lines": engine.display_lines(q, stored.get(q.code))} for q in page.questions]


# --- Task list -------------------------------------------------------------------------------


@bp.route("/rhis/<uuid:rhi_id>/interview")
@allow(*STAFF)
def task_list(rhi_id):
    rhi = _rhi_or_404(rhi_id)
    if rhi.status == SUBMITTED:
        return redirect(url_for("guided.check_answers", rhi_id=rhi.id))
    definition = _definition()
    states = engine.section_states(FORM, rhi.id)
    sections = [{"section": s, "status": engine.task_status(s, states)} for s in definition.sections]
    completed = sum(1 for s in sections if s["status"] == "completed")
    audit.record("rhi_interview_viewed", child=rhi.child_id, rhi=rhi.id)
    db.session.commit()
    return render_template("guided/task_list.html", rhi=rhi, child=rhi.child, definition=definition, sections=sections,
                           completed=completed, statuses=engine.TASK_STATUSES)


# --- Question pages ---------------------------------------------------------------------------


def _rescue_question_page():
    """Shown instead of the sign-in page when a save arrives after the session ended (or with a
    token gone stale). Built only from the definition and what this browser just posted: nothing is
    read from the database and nothing is kept, so a signed-out request learns nothing new."""
    args = request.view_args or {}
    definition = _definition()
    section = definition.section(args.get("section_code", ""))
    page = section.page(args.get("page_code", "")) if section else None
    if page is None or page.list_question:
        return None
    form = engine.make_form(definition, page, {}, formdata=request.form)
    form.version.data = request.form.get("version", "")
    return render_template("guided/question.html", rhi=None, rhi_id=args.get("rhi_id"), child=None, definition=definition,
                           section=section, page=page, form=form, rescued=True, signed_in=current_user.is_authenticated,
                           conflict=None, return_to_check=_return_to_check()), 200


@bp.route("/rhis/<uuid:rhi_id>/interview/<section_code>/<page_code>", methods=["GET", "POST"])
@allow(*STAFF)
@keeps_typing(_rescue_question_page)
def question_page(rhi_id, section_code, page_code):
    rhi = _rhi_or_404(rhi_id)
    locked = _locked_redirect(rhi)
    if locked:
        return locked
    definition = _definition()
    section = _section_or_404(section_code)
    page = _page_or_404(section, page_code)
    if page.list_question:
        return _list_page(rhi, definition, section, page)
    stored = engine.answers(FORM, rhi.id, page.questions)
    conflict = None
    if request.method == "POST":
        later = request.form.get("action") == "later"
        form = engine.make_form(definition, page, stored, formdata=request.form, enforce_required=not later)
        if form.validate():
            try:
                result = engine.save_page(definition, page, form, rhi, current_user, engine.posted_version(form), stored)
            except engine.SectionConflict as exc:
                conflict = exc
                # Pressing save again keeps this person's answers over the other version.
                form.version.data = str(exc.their_version)
            else:
                _after_save(rhi, result, section, tag=True)
                if later:
                    flash(f"Your answers have been saved. You can come back to \u201c{section.title}\u201d at any time.", "success")
                return redirect(_next_url(rhi_id, section, page, later))
    else:
        form = engine.make_form(definition, page, stored, version=engine.section_version(FORM, rhi.id, section.code))
    return render_template("guided/question.html", rhi=rhi, rhi_id=rhi.id, child=rhi.child, definition=definition, section=section,
                           page=page, form=form, rescued=False, conflict=conflict,
                           theirs=_their_answers(page, stored) if conflict else None,
                           their_state=engine.section_states(FORM, rhi.id).get(section.code) if conflict else None,
                           return_to_check=_return_to_check())


@bp.route("/rhis/<uuid:rhi_id>/autosave", methods=["POST"])
@allow(*STAFF)
@passive
def autosave(rhi_id):
    """A draft of the page being typed, saved every 30 seconds by the page's script when it changed.

    Saves each answer on the page that is valid on its own (a half-typed date waits for the person);
    counts as activity for the idle timeout only when it carries changed text."""
    rhi = db.session.get(ReturnInterview, rhi_id)
    if not can_see_rhi(current_user, rhi):
        return jsonify({"status": "not_found"}), 404
    if rhi.is_complete:
        return jsonify({"status": "locked", "message": "This interview has been submitted, so it cannot be changed."}), 409
    definition = _definition()
    section = definition.section(request.args.get("section", ""))
    page = section.page(request.args.get("page", "")) if section else None
    if page is None or page.list_question:
        return jsonify({"status": "not_found"}), 404
    form = engine.make_form(definition, page, {}, formdata=request.form, enforce_required=False)
    form.validate()
    errors = {}
    values = {}
    for question in page.questions:
        fields = [getattr(form, question.code), getattr(form, question.code + engine.NO_ANSWER_SUFFIX, None)]
        problems = [f.errors[0] for f in fields if f is not None and f.errors]
        if problems:
            errors[question.code] = problems[0]
        else:
            values[question] = engine.posted_value(question, form)
    try:
        result = engine.save_values(definition, section.code, values, rhi, current_user, engine.posted_version(form))
    except engine.SectionConflict as exc:
        who = exc.state.updated_by.full_name if exc.state.updated_by else "Someone else"
        return jsonify({
            "status": "conflict",
            "theirVersion": exc.their_version,
            "yourVersion": exc.your_version,
            "message": f"{who} saved this section after you opened this page (their version {exc.their_version}, yours "
                       f"{exc.your_version}). Nothing is lost: press \u201cSave and continue\u201d to compare the two.",
        }), 409
    if result.text_changed:
        # Typing is activity; a page left open that only re-sends the same draft is not.
        session["last_active"] = time.time()
    _after_save(rhi, result, section, autosave=True)
    return jsonify({"status": "saved" if not errors else "partly_saved", "version": result.version,
                    "changed": result.changed, "activity": result.text_changed, "errors": errors})


@bp.route("/session-token")
@signed_in
@passive
def session_token():
    """A fresh CSRF token for the signed-in session, so a page open across a new sign-in can save."""
    return jsonify({"token": generate_csrf()})


# --- "Add another" lists ----------------------------------------------------------------------


def _list_page(rhi, definition, section, page):
    question = page.list_question
    items = engine.list_items(definition, question, rhi.id)
    form = AddAnotherForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.version.data = str(engine.section_version(FORM, rhi.id, section.code))
    elif form.validate():
        if form.add_another.data == "yes":
            return redirect(url_for("guided.list_item", rhi_id=rhi.id, section_code=section.code, page_code=page.code,
                                    item_id="new", return_to="check" if _return_to_check() else None))
        rhi_id = rhi.id
        hooks.on_answers_saved(rhi, FORM, section.code)
        db.session.commit()
        return redirect(_next_url(rhi_id, section, page, later=False))
    return render_template("guided/list.html", rhi=rhi, child=rhi.child, section=section, page=page, question=question,
                           items=[{"id": i["id"], "summary": engine.item_summary(question, i)} for i in items],
                           form=form, return_to_check=_return_to_check())


def _list_question(rhi, section_code: str, page_code: str):
    """The "add another" question on a page, with the items saved so far (404 for anything else)."""
    definition = _definition()
    section = _section_or_404(section_code)
    page = _page_or_404(section, page_code)
    question = page.list_question or abort(404)
    return definition, section, page, question, engine.list_items(definition, question, rhi.id)


@bp.route("/rhis/<uuid:rhi_id>/interview/<section_code>/<page_code>/<item_id>", methods=["GET", "POST"])
@allow(*STAFF)
def list_item(rhi_id, section_code, page_code, item_id):
    rhi = _rhi_or_404(rhi_id)
    locked = _locked_redirect(rhi)
    if locked:
        return locked
    definition, section, page, question, items = _list_question(rhi, section_code, page_code)
    existing = next((i for i in items if i["id"] == item_id), None)
    if item_id != "new" and existing is None:
        abort(404)
    version = engine.section_version(FORM, rhi.id, section.code)
    list_url = _page_url(rhi.id, section.code, page.code, check=_return_to_check())
    conflict = None
    if request.method == "POST":
        form = engine.make_item_form(definition, question, existing, formdata=request.form)
        if form.validate():
            item = engine.item_from_form(question, form, existing["id"] if existing else request.form.get("item_key"))
            updated = [item if i["id"] == item["id"] else i for i in items]
            if existing is None and all(i["id"] != item["id"] for i in items):
                updated.append(item)
            try:
                result = engine.save_list(definition, question, updated, rhi, current_user, engine.posted_version(form))
            except engine.SectionConflict as exc:
                conflict = exc
                form.version.data = str(exc.their_version)
            else:
                _after_save(rhi, result, section)
                return redirect(list_url)
    else:
        form = engine.make_item_form(definition, question, existing, version=version)
    # A new item's id is fixed when its page is shown, so a double-submitted form adds it once.
    item_key = request.form.get("item_key") or uuid.uuid4().hex
    return render_template("forms/list_item.html", rhi=rhi, child=rhi.child, section=section, page=page, question=question,
                           form=form, existing=existing, item_key=item_key, conflict=conflict,
                           back_url=list_url, back_label=question.label, caption=section.title)


@bp.route("/rhis/<uuid:rhi_id>/interview/<section_code>/<page_code>/<item_id>/remove", methods=["GET", "POST"])
@allow(*STAFF)
def remove_list_item(rhi_id, section_code, page_code, item_id):
    rhi = _rhi_or_404(rhi_id)
    locked = _locked_redirect(rhi)
    if locked:
        return locked
    definition, section, page, question, items = _list_question(rhi, section_code, page_code)
    list_url = _page_url(rhi.id, section.code, page.code, check=_return_to_check())
    existing = next((i for i in items if i["id"] == item_id), None)
    if existing is None:
        return redirect(list_url)  # already removed: a second press changes nothing
    form = RemoveItemForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.version.data = str(engine.section_version(FORM, rhi.id, section.code))
    elif form.validate():
        if form.confirm.data == "yes":
            try:
                result = engine.save_list(definition, question, [i for i in items if i["id"] != item_id], rhi, current_user,
                                          engine.posted_version(form))
            except engine.SectionConflict:
                flash("Someone else changed this section while you were deciding. Check the list, then remove the item again if you still need to.", "info")
                return redirect(list_url)
            _after_save(rhi, result, section)
        return redirect(list_url)
    return render_template("forms/remove_list_item.html", rhi=rhi, child=rhi.child, section=section, question=question,
                           summary=engine.item_summary(question, existing), form=form,
                           back_url=list_url, back_label=question.label, caption=section.title)


# --- Completing a section ---------------------------------------------------------------------


@bp.route("/rhis/<uuid:rhi_id>/interview/<section_code>/complete", methods=["GET", "POST"])
@allow(*STAFF)
def section_complete(rhi_id, section_code):
    rhi = _rhi_or_404(rhi_id)
    locked = _locked_redirect(rhi)
    if locked:
        return locked
    definition = _definition()
    section = _section_or_404(section_code)
    states = engine.section_states(FORM, rhi.id)
    form = SectionCompleteForm(formdata=request.form if request.method == "POST" else None)
    missing = [q for q in engine.missing_required(definition, engine.answers(FORM, rhi.id)) if q.section_code == section.code]
    if request.method == "GET":
        state = states.get(section.code)
        form.version.data = str(state.version if state else 0)
        if state is not None and state.version and state.status == "completed":
            form.completed.data = "yes"
    elif form.validate():
        if form.completed.data == "yes" and missing:
            form.completed.errors.append("Answer the questions listed before you mark this section as completed")
        else:
            try:
                result = engine.set_section_status(definition, section, form.completed.data == "yes", rhi, current_user,
                                                   engine.posted_version(form))
            except engine.SectionConflict as exc:
                form.version.data = str(exc.their_version)
                flash("Someone else saved this section while you were on this page. Check their answers, then choose again.", "info")
                return redirect(url_for("guided.task_list", rhi_id=rhi.id))
            _after_save(rhi, result, section)
            return redirect(url_for("guided.check_answers", rhi_id=rhi.id) if _return_to_check()
                            else url_for("guided.task_list", rhi_id=rhi.id))
    return render_template("guided/section_complete.html", rhi=rhi, child=rhi.child, section=section, form=form, missing=missing)


# --- Check answers and submit -----------------------------------------------------------------


def _summary(rhi: ReturnInterview, sections=None) -> list[dict]:
    definition = _definition()
    stored = engine.answers(FORM, rhi.id)
    # once submitted, the words that raised a tag are highlighted (tagging ran on submit)
    evidence = analysis_store.evidence(rhi.id) if rhi.is_complete else {}
    summary = []
    for section in sections if sections is not None else definition.sections:
        rows = []
        for page in section.pages:
            for question in page.questions:
                rows.append({"question": question, "page": page, "lines": engine.display_lines(question, stored.get(question.code)),
                             "evidence": evidence.get(question.code) if question.free_text else None})
        summary.append({"section": section, "rows": rows})
    return summary


def _held_at(rhi: ReturnInterview):
    question = _definition().recording("held_at")
    if question is None:
        return None
    return engine.stored_value(question, engine.answers(FORM, rhi.id).get(question.code)).value


def _submission_problems(rhi: ReturnInterview) -> list[dict]:
    definition = _definition()
    states = engine.section_states(FORM, rhi.id)
    problems = []
    for section in definition.sections:
        if engine.task_status(section, states) != "completed":
            problems.append({"text": f"Complete the section \u201c{section.title}\u201d",
                             "href": url_for("guided.task_list", rhi_id=rhi.id)})
    for question in engine.missing_required(definition, engine.answers(FORM, rhi.id)):
        problems.append({"text": f"Answer \u201c{question.label}\u201d",
                         "href": _page_url(rhi.id, question.section_code, question.page_code, check=True)})
    return problems


def _check_answers_page(rhi: ReturnInterview, form: SubmitInterviewForm, status: int = 200):
    held_at = _held_at(rhi)
    late = held_at is not None and held_at > rhi.due_at
    return render_template(
        "guided/check_answers.html", rhi=rhi, child=rhi.child, summary=_summary(rhi), form=form,
        problems=_submission_problems(rhi), late=late, held_at=held_at,
        addenda=sign_off_queries.addenda(rhi), late_reasons=LATE_REASONS,
    ), status


@bp.route("/rhis/<uuid:rhi_id>/check-answers")
@allow(*STAFF)
def check_answers(rhi_id):
    rhi = _rhi_or_404(rhi_id)
    audit.record("rhi_interview_viewed", child=rhi.child_id, rhi=rhi.id)
    db.session.commit()
    return _check_answers_page(rhi, SubmitInterviewForm(formdata=None))


@bp.route("/rhis/<uuid:rhi_id>/earlier")
@allow(*STAFF)
def earlier(rhi_id):
    """A closed RHI of a child whose current RHI the interviewer holds, read only, to prepare
    (ACCESS.md). Coordinators and managers may open it too; nothing here changes anything."""
    rhi = db.session.get(ReturnInterview, rhi_id)
    if rhi is None or rhi.organisation_id != current_user.organisation_id or not rhi.is_complete:
        abort(404)
    if not can_see_rhi(current_user, rhi) and not interviewer_holds_rhi_for(current_user, rhi.child_id):
        abort(404)
    audit.record("rhi_earlier_viewed", child=rhi.child_id, rhi=rhi.id)
    db.session.commit()
    return render_template("guided/earlier.html", rhi=rhi, child=rhi.child, summary=_summary(rhi),
                           addenda=sign_off_queries.addenda(rhi), late_reasons=LATE_REASONS)


@bp.route("/rhis/<uuid:rhi_id>/submit", methods=["GET", "POST"])
@allow(*STAFF)
def submit(rhi_id):
    rhi = _rhi_or_404(rhi_id)
    if request.method == "GET":
        if rhi.status != SUBMITTED:
            return redirect(url_for("guided.check_answers", rhi_id=rhi.id))
        return render_template("guided/submitted.html", rhi=rhi, child=rhi.child)
    if rhi.status == SUBMITTED:
        return redirect(url_for("guided.submit", rhi_id=rhi.id))  # a second press: already done
    if rhi.is_complete:
        abort(404)
    form = SubmitInterviewForm()
    if _submission_problems(rhi):
        flash("The interview cannot be submitted yet: complete the sections listed.", "info")
        return redirect(url_for("guided.check_answers", rhi_id=rhi.id))
    held_at = _held_at(rhi)
    if not late_reason_valid(form, held_at <= rhi.due_at):
        return _check_answers_page(rhi, form)
    now = utcnow()
    # One statement decides who submits: a double submission from two tabs submits once.
    claimed = db.session.execute(
        update(ReturnInterview)
        .where(ReturnInterview.id == rhi.id, ReturnInterview.status.not_in(COMPLETE_STATUSES))
        .values(status=SUBMITTED, submitted_at=now, submitted_by_id=current_user.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        return redirect(url_for("guided.submit", rhi_id=rhi.id))
    db.session.refresh(rhi)
    rhis.record_deadline(rhi, held_at, form.late_reason.data, form.late_reason_detail.data)
    hooks.on_answers_saved(rhi, FORM, None)
    audit.record("rhi_submitted", child=rhi.child_id, rhi=rhi.id)
    db.session.commit()
    return redirect(url_for("guided.submit", rhi_id=rhi.id))


# --- After submission -------------------------------------------------------------------------


def _rescue_addendum():
    form = AddendumForm(formdata=request.form)
    return render_template("guided/addenda.html", rhi=None, rhi_id=(request.view_args or {}).get("rhi_id"), child=None,
                           form=form, addenda=[], rescued=True, signed_in=current_user.is_authenticated), 200


@bp.route("/rhis/<uuid:rhi_id>/addenda", methods=["GET", "POST"])
@allow(*STAFF)
@keeps_typing(_rescue_addendum)
def addenda(rhi_id):
    rhi = _rhi_or_404(rhi_id)
    if rhi.status != SUBMITTED:
        flash("Addenda are for submitted interviews. Until it is submitted, change the answers themselves.", "info")
        return redirect(url_for("guided.task_list", rhi_id=rhi.id))
    form = AddendumForm(formdata=request.form if request.method == "POST" else None)
    existing = sign_off_queries.addenda(rhi)
    if request.method == "POST" and form.validate():
        text = form.text.data.strip()
        recent = existing[-1] if existing else None
        # The same words from the same person moments ago is a double submission, not a second addendum.
        duplicate = (recent is not None and recent.written_by_id == current_user.id and recent.text == text
                     and utcnow() - recent.written_at < timedelta(minutes=10))
        if not duplicate:
            addendum = Addendum(organisation_id=rhi.organisation_id, return_interview_id=rhi.id, text=text,
                                written_by_id=current_user.id, written_at=utcnow())
            db.session.add(addendum)
            audit.record("rhi_addendum_added", child=rhi.child_id, rhi=rhi.id, addendum=addendum.id)
            db.session.commit()
        flash("Your addendum has been added to the interview.", "success")
        return redirect(url_for("guided.addenda", rhi_id=rhi.id))
    return render_template("guided/addenda.html", rhi=rhi, rhi_id=rhi.id, child=rhi.child, form=form, addenda=existing, rescued=False)


def _social_worker_context(rhi: ReturnInterview) -> dict:
    definition = _definition()
    sections = [s for s in definition.sections if "social_worker" in s.share_with]
    rows = consent.consents(rhi)
    return {
        "rhi": rhi,
        "child": rhi.child,
        "may_share": consent.may_share(rhi, "social_worker"),
        "without_consent": consent.shared_without_consent(rhi, "social_worker"),
        "summary": _summary(rhi, sections),
        "consents": [{"purpose": label, "row": rows.get(code)} for code, label in consent.PURPOSES.items()],
        "addenda": sign_off_queries.addenda(rhi),
    }


def _copy_allowed_or_404(rhi: ReturnInterview) -> None:
    if rhi.status != SUBMITTED:
        abort(404)


@bp.route("/rhis/<uuid:rhi_id>/social-worker-copy")
@allow(*STAFF)
def social_worker_copy(rhi_id):
    rhi = _rhi_or_404(rhi_id)
    _copy_allowed_or_404(rhi)
    context = _social_worker_context(rhi)
    if context["may_share"]:
        audit.record("rhi_social_worker_copy_viewed", child=rhi.child_id, rhi=rhi.id)
        db.session.commit()
    return render_template("guided/social_worker_copy.html", **context)


@bp.route("/rhis/<uuid:rhi_id>/social-worker-copy.pdf")
@allow(*STAFF)
def social_worker_copy_pdf(rhi_id):
    rhi = _rhi_or_404(rhi_id)
    _copy_allowed_or_404(rhi)
    context = _social_worker_context(rhi)
    if not context["may_share"]:
        return redirect(url_for("guided.social_worker_copy", rhi_id=rhi.id))
    audit.record("rhi_social_worker_copy_made", child=rhi.child_id, rhi=rhi.id)
    db.session.commit()
    return pdf_response("guided/social_worker_copy.html", f"rhi-{rhi.id}-social-worker-copy.pdf", **context)


# --- Sign-off ---------------------------------------------------------------------------------


@bp.route("/sign-off")
@allow(MANAGER)
def sign_off_list():
    page = sign_off_queries.awaiting_sign_off(current_user.organisation_id, request.args.get("page", 1, type=int))
    return render_template("guided/sign_off_list.html", page=page)


@bp.route("/rhis/<uuid:rhi_id>/sign-off", methods=["GET", "POST"])
@allow(MANAGER)
def sign_off(rhi_id):
    rhi = _rhi_or_404(rhi_id)
    if rhi.status != SUBMITTED:
        abort(404)
    form = SignOffForm(formdata=request.form if request.method == "POST" else None)
    own = rhi.submitted_by_id == current_user.id
    if request.method == "POST" and rhi.signed_off_at is None and not own and form.validate():
        now = utcnow()
        claimed = db.session.execute(
            update(ReturnInterview)
            .where(ReturnInterview.id == rhi.id, ReturnInterview.signed_off_at.is_(None))
            .values(signed_off_at=now, signed_off_by_id=current_user.id)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed:
            audit.record("rhi_signed_off", child=rhi.child_id, rhi=rhi.id)
            db.session.commit()
            flash(f"You have signed off the interview with {rhi.child.display_name}.", "success")
        return redirect(url_for("guided.sign_off_list"))
    if request.method == "POST":
        return redirect(url_for("guided.sign_off", rhi_id=rhi.id))
    audit.record("rhi_interview_viewed", child=rhi.child_id, rhi=rhi.id)
    db.session.commit()
    return render_template("guided/sign_off.html", rhi=rhi, child=rhi.child, summary=_summary(rhi), form=form, own=own,
                           addenda=sign_off_queries.addenda(rhi), late_reasons=LATE_REASONS, no_answer=NO_ANSWER)
