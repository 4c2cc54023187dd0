"""Placing authorities (/partner/...): the children they placed with us, the requests we sent them,
and the RHIs they upload.

They see only what ACCESS.md allows: for their own placed children, the child's name and date of
birth and the dates each episode began and ended, never where the child was found or any note.
Anything of another authority answers "Page not found".
"""
from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from . import audit
from .access import allow
from .extensions import db
from .forms import partner_interview
from .forms.placements import PartnerReplyForm, PartnerUploadForm
from .models.base import utcnow
from .models.children import Child
from .models.organisations import PLACING_AUTHORITY
from .models.placements import VIA_FORM, VIA_PORTAL, RhiRequest, Upload
from .placements import files, requests, uploads
from .placements.forms_support import held_at_from, read_posted_file
from .placements.views import send_stored_file
from .queries import children as child_queries
from .queries import placements as queries
from .settings import get as get_settings

bp = Blueprint("partner", __name__, url_prefix="/partner")


def _child_or_404(child_id: uuid.UUID) -> Child:
    child = db.session.get(Child, child_id)
    if not queries.partner_can_see_child(current_user, child):
        abort(404)
    return child


def _request_or_404(request_id: uuid.UUID) -> RhiRequest:
    found = db.session.get(RhiRequest, request_id)
    if not queries.can_see_request(current_user, found) or not queries.partner_can_see_child(current_user, found.child):
        abort(404)
    return found


def _upload_or_404(upload_id: uuid.UUID) -> Upload:
    found = db.session.get(Upload, upload_id)
    if not queries.can_see_upload(current_user, found):
        abort(404)
    return found


def _request_rows(found: list[RhiRequest]) -> list[dict]:
    now, hours = utcnow(), get_settings()["rhi_due_hours"]
    return [{"request": r, "due": requests.due_at(r, hours), "state": requests.state(r, now, hours)} for r in found]


@bp.route("/")
@allow(PLACING_AUTHORITY)
def index():
    organisation_id = current_user.organisation_id
    return render_template(
        "partner/index.html",
        children=child_queries.placed_by(organisation_id),
        request_rows=_request_rows(queries.partner_requests(organisation_id, open_only=True)),
        uploads=queries.partner_uploads(organisation_id)[:10],
    )


@bp.route("/children/<uuid:child_id>")
@allow(PLACING_AUTHORITY)
def child(child_id):
    child = _child_or_404(child_id)
    audit.record("partner_child_viewed", child=child.id)
    db.session.commit()
    return render_template(
        "partner/child.html", child=child,
        request_rows=_request_rows(queries.partner_requests(current_user.organisation_id, child_id=child.id)),
        uploads=queries.partner_uploads(current_user.organisation_id, child_id=child.id),
    )


@bp.route("/requests")
@allow(PLACING_AUTHORITY)
def requests_list():
    return render_template("partner/requests.html", request_rows=_request_rows(queries.partner_requests(current_user.organisation_id)))


@bp.route("/requests/<uuid:request_id>")
@allow(PLACING_AUTHORITY)
def request_detail(request_id):
    found = _request_or_404(request_id)
    audit.record("partner_request_viewed", child=found.child_id, episode=found.episode_id, rhi_request=found.id)
    db.session.commit()
    row = _request_rows([found])[0]
    return render_template("partner/request.html", row=row, rhi_request=found,
                           uploads=[u for u in queries.uploads_for_request(found.id) if queries.can_see_upload(current_user, u)])


@bp.route("/requests/<uuid:request_id>/reply", methods=["GET", "POST"])
@allow(PLACING_AUTHORITY)
def reply(request_id):
    found = _request_or_404(request_id)
    form = PartnerReplyForm()
    if form.validate_on_submit():
        requests.reply(found, current_user, form.message.data, bool(form.closes.data) and found.is_open)
        db.session.commit()
        flash("Your reply has been sent.", "success")
        return redirect(url_for("partner.request_detail", request_id=found.id))
    return render_template("partner/reply.html", form=form, rhi_request=found)


def _episode_choices(child: Child) -> list[tuple[str, str]]:
    choices = []
    for episode in child.episodes:
        from .web import format_datetime

        found = f", found {format_datetime(episode.found_at)}" if episode.found_at else ", still missing"
        choices.append((str(episode.id), f"Missing {format_datetime(episode.reported_missing_at)}{found}"))
    return choices


def _upload_page(child: Child, rhi_request: RhiRequest | None):
    form = PartnerUploadForm()
    form.episode_id.choices = _episode_choices(child)
    if request.method == "GET":
        episode = rhi_request.episode if rhi_request else uploads.latest_episode(child)
        form.episode_id.data = str(episode.id) if episode else None
    if request.method == "POST":
        valid = form.validate_on_submit()
        data, name = read_posted_file(form.rhi_file)
        held_at = held_at_from(form.interview_held_on)
        if valid and data is not None and held_at is not False:
            episode = next(e for e in child.episodes if str(e.id) == form.episode_id.data)
            sender = uploads.Sender(via=VIA_PORTAL, organisation_id=current_user.organisation_id, user=current_user)
            try:
                upload = uploads.receive_file(data, name, sender, organisation_id=child.organisation_id, child=child,
                                              episode=episode, request=rhi_request, interview_held_at=held_at)
            except files.FileRefused as refused:
                form.rhi_file.errors.append(refused.message)
            else:
                flash("Thank you: the RHI has been uploaded and our missing team can read it now.", "success")
                return redirect(url_for("partner.upload", upload_id=upload.id))
    return render_template("partner/upload_form.html", form=form, child=child, rhi_request=rhi_request)


@bp.route("/children/<uuid:child_id>/upload", methods=["GET", "POST"])
@allow(PLACING_AUTHORITY)
def upload_for_child(child_id):
    return _upload_page(_child_or_404(child_id), None)


@bp.route("/requests/<uuid:request_id>/upload", methods=["GET", "POST"])
@allow(PLACING_AUTHORITY)
def upload_for_request(request_id):
    found = _request_or_404(request_id)
    return _upload_page(found.child, found)


def _interview_page(child: Child, rhi_request: RhiRequest | None):
    definition = partner_interview.definition()
    # From a request the episode is the request's; from the child they say which one.
    form = partner_interview.make_form(definition, request.form if request.method == "POST" else None,
                                       with_episode=rhi_request is None)
    if rhi_request is None:
        form.episode_id.choices = _episode_choices(child)
        if request.method == "GET":
            episode = uploads.latest_episode(child)
            form.episode_id.data = str(episode.id) if episode else None
    if request.method == "POST" and child.episodes:
        valid = form.validate()
        answered = partner_interview.check_something_answered(definition, form)
        held_at = held_at_from(form.interview_held_on) if form.interview_held_on.data is not None else None
        if valid and answered and held_at not in (None, False):
            episode = rhi_request.episode if rhi_request else next(e for e in child.episodes if str(e.id) == form.episode_id.data)
            sender = uploads.Sender(via=VIA_FORM, organisation_id=current_user.organisation_id, user=current_user)
            upload = uploads.receive_form(partner_interview.answers_text(definition, form), sender,
                                          organisation_id=child.organisation_id, child=child, episode=episode,
                                          request=rhi_request, interview_held_at=held_at)
            flash("Thank you: your answers have been sent and our missing team can read them now.", "success")
            return redirect(url_for("partner.upload", upload_id=upload.id))
    return render_template("partner/interview_form.html", form=form, child=child, rhi_request=rhi_request,
                           sections=partner_interview.sections(definition))


@bp.route("/children/<uuid:child_id>/interview", methods=["GET", "POST"])
@allow(PLACING_AUTHORITY)
def interview_for_child(child_id):
    return _interview_page(_child_or_404(child_id), None)


@bp.route("/requests/<uuid:request_id>/interview", methods=["GET", "POST"])
@allow(PLACING_AUTHORITY)
def interview_for_request(request_id):
    found = _request_or_404(request_id)
    return _interview_page(found.child, found)


@bp.route("/uploads")
@allow(PLACING_AUTHORITY)
def uploads_list():
    return render_template("partner/uploads.html", uploads=queries.partner_uploads(current_user.organisation_id))


@bp.route("/uploads/<uuid:upload_id>")
@allow(PLACING_AUTHORITY)
def upload(upload_id):
    found = _upload_or_404(upload_id)
    audit.record("partner_upload_viewed", upload=found.id, **({"child": found.child_id} if found.child_id else {}))
    db.session.commit()
    return render_template("partner/upload.html", upload=found)


@bp.route("/uploads/<uuid:upload_id>/download")
@allow(PLACING_AUTHORITY)
def download(upload_id):
    found = _upload_or_404(upload_id)
    if not found.stored_name:
        abort(404)
    return send_stored_file(found)
