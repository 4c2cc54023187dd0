"""The coordinator's pages for children placed with us by other authorities (/placements/...)."""
from __future__ import annotations

import io
import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from .. import audit
from ..access import COORDINATORS, allow
from ..extensions import db
from ..forms.accounts import ConfirmForm
from ..forms.placements import CoordinatorUploadForm, MarkAnsweredForm, MatchForm, RequestContactForm
from ..models.base import utcnow
from ..models.children import Child
from ..models.organisations import LOCAL_AUTHORITY, Organisation
from ..models.placements import CONTACT_KINDS, VIA_EMAIL, RhiRequest, Upload
from ..queries import accounts as account_queries
from ..queries import placements as queries
from ..settings import get as get_settings
from . import files, requests, storage, tagging, uploads
from .forms_support import held_at_from, read_posted_file

bp = Blueprint("placements", __name__)


def _request_or_404(request_id: uuid.UUID) -> RhiRequest:
    found = db.session.get(RhiRequest, request_id)
    if not queries.can_see_request(current_user, found):
        abort(404)
    return found


def _upload_or_404(upload_id: uuid.UUID) -> Upload:
    found = db.session.get(Upload, upload_id)
    if not queries.can_see_upload(current_user, found):
        abort(404)
    return found


def _authority_filter():
    raw = request.args.get("authority") or ""
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


def _hours() -> int:
    return get_settings()["rhi_due_hours"]


@bp.route("/placements/requests")
@allow(*COORDINATORS)
def requests_list():
    status = request.args.get("status", "open")
    status = status if status in queries.REQUEST_FILTERS else "open"
    sort = request.args.get("sort", "due")
    sort = sort if sort in queries.REQUEST_SORTS else "due"
    authority = _authority_filter()
    now = utcnow()
    page = queries.requests_page(current_user.organisation_id, status, authority, sort, request.args.get("page", 1, type=int), now, _hours())
    rows = [{"request": r, "due": requests.due_at(r, _hours()), "state": requests.state(r, now, _hours())} for r in page.items]
    return render_template(
        "placements/requests.html", page=page, rows=rows, status=status, sort=sort, authority=authority,
        filters=queries.REQUEST_FILTERS, sorts=queries.REQUEST_SORTS,
        authorities=queries.placing_authorities(current_user.organisation_id), now=now,
        inbox_count=queries.inbox_count(current_user.organisation_id),
    )


@bp.route("/placements/requests/<uuid:request_id>")
@allow(*COORDINATORS)
def request_detail(request_id):
    found = _request_or_404(request_id)
    audit.record("rhi_request_viewed", child=found.child_id, episode=found.episode_id, rhi_request=found.id)
    db.session.commit()
    now = utcnow()
    return render_template(
        "placements/request.html", rhi_request=found, due=requests.due_at(found, _hours()), state=requests.state(found, now, _hours()),
        message=requests.message(found, get_settings()), received=queries.uploads_for_request(found.id),
        answered_form=MarkAnsweredForm(formdata=None), now=now,
    )


@bp.route("/placements/requests/<uuid:request_id>/chase", methods=["GET", "POST"])
@allow(*COORDINATORS)
def chase(request_id):
    found = _request_or_404(request_id)
    form = RequestContactForm()
    if request.method == "GET" and request.args.get("kind") in dict(form.kind.choices):
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        requests.record_contact(found, form.kind.data, form.method.data, current_user, form.contact_name.data, form.note.data)
        db.session.commit()
        flash(f"{CONTACT_KINDS[form.kind.data]} recorded.", "success")
        return redirect(url_for("placements.request_detail", request_id=found.id))
    return render_template("placements/chase.html", form=form, rhi_request=found)


@bp.route("/placements/requests/<uuid:request_id>/answered", methods=["GET", "POST"])
@allow(*COORDINATORS)
def mark_answered(request_id):
    found = _request_or_404(request_id)
    if not found.is_open:
        flash("This request has already been answered.", "info")
        return redirect(url_for("placements.request_detail", request_id=found.id))
    form = MarkAnsweredForm()
    if form.validate_on_submit():
        requests.mark_answered(found, current_user, form.note.data)
        db.session.commit()
        flash("The request has been marked as answered.", "success")
        return redirect(url_for("placements.request_detail", request_id=found.id))
    return render_template("placements/mark_answered.html", form=form, rhi_request=found)


@bp.route("/placements/requests/<uuid:request_id>/reopen", methods=["POST"])
@allow(*COORDINATORS)
def reopen(request_id):
    found = _request_or_404(request_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not found.is_open:
        requests.reopen(found, current_user)
        db.session.commit()
        flash("The request is open again.", "success")
    return redirect(url_for("placements.request_detail", request_id=found.id))


# --- Received RHIs ----------------------------------------------------------------------------------

@bp.route("/placements/received")
@allow(*COORDINATORS)
def uploads_list():
    status = request.args.get("status", "all")
    status = status if status in queries.UPLOAD_FILTERS else "all"
    authority = _authority_filter()
    page = queries.uploads_page(current_user.organisation_id, status, authority, request.args.get("page", 1, type=int))
    return render_template(
        "placements/uploads.html", page=page, status=status, authority=authority, filters=queries.UPLOAD_FILTERS,
        authorities=_local_authorities(), inbox_count=queries.inbox_count(current_user.organisation_id),
    )


def _local_authorities() -> list[Organisation]:
    return [o for o in account_queries.organisations() if o.kind == LOCAL_AUTHORITY and not o.is_home]


def _child_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [
        (str(c.id), f"{c.last_name}, {c.first_name} (born {c.date_of_birth:%d/%m/%Y}), placed by {c.placing_authority.name}")
        for c in queries.placed_children(current_user.organisation_id)
    ]


@bp.route("/placements/received/new", methods=["GET", "POST"])
@allow(*COORDINATORS)
def new_upload():
    form = CoordinatorUploadForm()
    form.from_organisation_id.choices = [("", "Select an authority")] + [(str(o.id), o.name) for o in _local_authorities()]
    form.child_id.choices = _child_choices("Not sure: put it in the inbox to match later")
    if request.method == "GET" and request.args.get("child"):
        form.child_id.data = request.args["child"]
    if request.method == "POST":
        # The file is checked even when another answer is wrong, so every problem shows at once.
        valid = form.validate_on_submit()
        data, name = read_posted_file(form.rhi_file)
        held_at = held_at_from(form.interview_held_on)
        child = None
        if valid and form.child_id.data:
            child = db.session.get(Child, uuid.UUID(form.child_id.data))
            if child is None or child.organisation_id != current_user.organisation_id:
                abort(404)
        if valid and data is not None and held_at is not False:
            sender = uploads.Sender(via=VIA_EMAIL, organisation_id=uuid.UUID(form.from_organisation_id.data), user=current_user)
            try:
                upload = uploads.receive_file(
                    data, name, sender, organisation_id=current_user.organisation_id, child=child,
                    named={"first_name": form.named_first_name.data, "last_name": form.named_last_name.data},
                    interview_held_at=held_at,
                )
            except files.FileRefused as refused:
                form.rhi_file.errors.append(refused.message)
            else:
                flash("The RHI has been filed." if upload.child_id else "The RHI is in the inbox, waiting to be matched with a child.", "success")
                return redirect(url_for("placements.upload_detail", upload_id=upload.id))
    return render_template("placements/upload_form.html", form=form)


@bp.route("/placements/received/<uuid:upload_id>")
@allow(*COORDINATORS)
def upload_detail(upload_id):
    upload = _upload_or_404(upload_id)
    records = {"upload": upload.id}
    if upload.child_id:
        records["child"] = upload.child_id
    audit.record("upload_viewed", **records)
    db.session.commit()
    match_form = None
    if upload.needs_matching:
        match_form = MatchForm(formdata=None)
        match_form.child_id.choices = _child_choices("Select a child")
    return render_template("placements/upload.html", upload=upload, indicators=tagging.indicators(upload.tag_detail),
                           kind_label=_kind_label(upload), match_form=match_form)


def _kind_label(upload: Upload) -> str:
    for kind, content_type in files.CONTENT_TYPES.items():
        if content_type == upload.content_type:
            return files.KIND_LABELS[kind]
    return "Sent from their case system"


@bp.route("/placements/received/<uuid:upload_id>/download")
@allow(*COORDINATORS)
def download(upload_id):
    upload = _upload_or_404(upload_id)
    if not upload.stored_name:
        abort(404)
    return send_stored_file(upload)


def send_stored_file(upload: Upload):
    """Always as an attachment with the type we checked, never shown in the browser."""
    records = {"upload": upload.id}
    if upload.child_id:
        records["child"] = upload.child_id
    audit.record("upload_downloaded", **records)
    db.session.commit()
    extension = {v: k for k, v in files.CONTENT_TYPES.items()}.get(upload.content_type, "bin")
    extension = "txt" if extension == files.TEXT else extension
    response = send_file(io.BytesIO(storage.read(upload.stored_name)), mimetype=upload.content_type, as_attachment=True,
                         download_name=f"rhi-{str(upload.id)[:8]}.{extension}", max_age=0, conditional=False, etag=False)
    return response


@bp.route("/placements/received/<uuid:upload_id>/match", methods=["POST"])
@allow(*COORDINATORS)
def match(upload_id):
    upload = _upload_or_404(upload_id)
    if not upload.needs_matching:
        flash("This RHI has already been filed with a child.", "info")
        return redirect(url_for("placements.upload_detail", upload_id=upload.id))
    form = MatchForm()
    form.child_id.choices = _child_choices("Select a child")
    if form.validate_on_submit():
        child = db.session.get(Child, uuid.UUID(form.child_id.data))
        if child is None or child.organisation_id != current_user.organisation_id:
            abort(404)
        uploads.match(upload, child, None, current_user)
        db.session.commit()
        flash(f"The RHI has been filed with {child.full_name}.", "success")
        return redirect(url_for("placements.upload_detail", upload_id=upload.id))
    return render_template("placements/upload.html", upload=upload, indicators=tagging.indicators(upload.tag_detail),
                           kind_label=_kind_label(upload), match_form=form, form=form)
