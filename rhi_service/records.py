"""Children and their missing episodes: coordinators record and correct them, under audit."""
from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from . import audit, peer_links, rhis, rules, theme_counts
from .access import COORDINATORS, STAFF, allow
from .extensions import db
from .forms.records import ChildForm, EpisodeForm, FindChildForm
from .models.base import utcnow
from .models.children import Child
from .models.episodes import RISK_GRADES, MissingEpisode
from .placements import requests as placement_requests
from .queries import accounts as account_queries
from .queries import children as child_queries
from .queries import interviews as rhi_queries
from .settings import get as get_settings

bp = Blueprint("records", __name__)


def _child_or_404(child_id: uuid.UUID) -> Child:
    child = db.session.get(Child, child_id)
    if not child_queries.can_see_child(current_user, child):
        abort(404)
    return child


def _episode_or_404(episode_id: uuid.UUID) -> MissingEpisode:
    episode = db.session.get(MissingEpisode, episode_id)
    if episode is None or not child_queries.can_see_child(current_user, episode.child):
        abort(404)
    return episode


def _placing_choices():
    home = account_queries.home_organisation()
    choices = [("", f"{home.name if home else 'Our authority'} (ours)")]
    choices += [(str(o.id), o.name) for o in account_queries.organisations() if o.kind == "local_authority" and not o.is_home]
    return choices


def _apply_child(form: ChildForm, child: Child) -> bool:
    problem = rules.date_of_birth_error(form.date_of_birth.data, utcnow().date())
    if problem:
        form.date_of_birth.errors.append(problem)
        return False
    child.set_names(form.first_name.data, form.last_name.data, form.preferred_name.data)
    child.date_of_birth = form.date_of_birth.data
    child.sex = form.sex.data
    for name in ("ethnicity", "languages", "address", "team", "social_worker", "case_system_id"):
        setattr(child, name, (getattr(form, name).data or "").strip() or None)
    child.legal_status = form.legal_status.data
    child.placing_authority_id = uuid.UUID(form.placing_authority_id.data) if form.placing_authority_id.data else None
    return True


@bp.route("/children")
@allow(*COORDINATORS)
def children():
    search = (request.args.get("q") or "").strip()[:100]
    sort = request.args.get("sort", "name")
    page = child_queries.children_page(current_user.organisation_id, search or None, request.args.get("page", 1, type=int), sort)
    return render_template("records/children.html", page=page, search=search, sort=sort)


@bp.route("/children/new", methods=["GET", "POST"])
@allow(*COORDINATORS)
def new_child():
    # Recording starts with a search, so a child already known is not recorded twice.
    if request.method == "POST" and request.form.get("step") == "save":
        form = ChildForm()
        form.placing_authority_id.choices = _placing_choices()
        valid = form.validate_on_submit()
        matches = child_queries.likely_duplicates(
            current_user.organisation_id, form.first_name.data or "", form.last_name.data or "", form.date_of_birth.data
        )
        if valid and matches and not form.not_duplicate.data:
            form.not_duplicate.errors.append("Check the children listed above, then confirm this is a different child")
            valid = False
        if valid:
            child = Child(organisation_id=current_user.organisation_id)
            if _apply_child(form, child):
                db.session.add(child)
                # another child's RHI may already name them: a peer link
                peer_links.names_changed(child, set())
                audit.record("child_created", child=child.id)
                db.session.commit()
                flash(f"{child.full_name} has been recorded.", "success")
                return redirect(url_for("records.child", child_id=child.id))
        return render_template("records/child_form.html", form=form, child=None, matches=matches)

    find = FindChildForm()
    if find.validate_on_submit():
        matches = child_queries.likely_duplicates(
            current_user.organisation_id, find.first_name.data, find.last_name.data, find.date_of_birth.data
        )
        form = ChildForm(formdata=None)
        form.placing_authority_id.choices = _placing_choices()
        form.first_name.data = find.first_name.data.strip()
        form.last_name.data = find.last_name.data.strip()
        form.date_of_birth.data = find.date_of_birth.data
        form.date_of_birth.parts = form.date_of_birth._parts_from(find.date_of_birth.data)
        return render_template("records/child_form.html", form=form, child=None, matches=matches, searched=True)
    return render_template("records/find_child.html", form=find)


@bp.route("/children/<uuid:child_id>")
@allow(*STAFF)
def child(child_id):
    child = _child_or_404(child_id)
    audit.record("child_viewed", child=child.id)
    db.session.commit()
    return render_template("records/child.html", child=child, episodes=child.episodes,
                           rhis=rhi_queries.rhis_for_child(child.id))


@bp.route("/children/<uuid:child_id>/edit", methods=["GET", "POST"])
@allow(*COORDINATORS)
def edit_child(child_id):
    child = _child_or_404(child_id)
    form = ChildForm(obj=child)
    form.placing_authority_id.choices = _placing_choices()
    if request.method == "GET":
        form.placing_authority_id.data = str(child.placing_authority_id) if child.placing_authority_id else ""
    names = peer_links.names_of(child)
    if form.validate_on_submit() and _apply_child(form, child):
        # the coordinator's counts move with the child's details, in the same transaction
        peer_links.names_changed(child, names)
        theme_counts.refresh_child(child)
        audit.record("child_changed", child=child.id)
        db.session.commit()
        flash("The child's details have been saved.", "success")
        return redirect(url_for("records.child", child_id=child.id))
    return render_template("records/child_form.html", form=form, child=child, matches=[])


def _episode_form(child: Child, episode: MissingEpisode | None) -> EpisodeForm:
    form = EpisodeForm(obj=episode)
    grades = rules.risk_grades(get_settings()["police_use_absent_grade"])
    form.police_risk_grade.choices = [(g, RISK_GRADES[g]) for g in grades]
    return form


def _validate_episode(form: EpisodeForm, child: Child, episode: MissingEpisode | None = None) -> bool:
    if not form.validate_on_submit():
        return False
    errors = rules.episode_time_errors(
        form.reported_missing_at.data, form.found_at.data, form.found_report_received_at.data, utcnow(), child.date_of_birth
    )
    grade_error = rules.risk_grade_error(
        form.police_risk_grade.data, child.date_of_birth, form.reported_missing_at.data, get_settings()["police_use_absent_grade"]
    )
    if grade_error:
        errors["police_risk_grade"] = grade_error
    if episode is not None and episode.return_interview_id and form.found_at.data is None and "found_at" not in errors:
        # Its RHI has begun; un-finding the child would leave the RHI without a clock.
        errors["found_at"] = "Enter when they were found: an RHI has been opened for this episode"
    for name, message in errors.items():
        getattr(form, name).errors.append(message)
    return not errors


def _apply_episode(form: EpisodeForm, episode: MissingEpisode) -> None:
    episode.reported_missing_at = form.reported_missing_at.data
    episode.missing_from = form.missing_from.data
    episode.police_risk_grade = form.police_risk_grade.data or None
    episode.found_at = form.found_at.data
    episode.found_report_received_at = form.found_report_received_at.data
    episode.safe_and_well_check = form.safe_and_well_check.data or None
    for name in ("police_reference", "found_where", "found_by", "notes"):
        setattr(episode, name, (getattr(form, name).data or "").strip() or None)


def _save_episode(form: EpisodeForm, child: Child, episode: MissingEpisode, action: str, message: str):
    """Save an episode with what follows from it (the RHI it opens or joins, the request to a placing
    authority), audited last, in one transaction."""
    _apply_episode(form, episode)
    episode.child = child
    db.session.add(episode)
    db.session.flush()
    rhi = rhis.place_found_episode(episode)
    placement_request = placement_requests.note_episode(episode, current_user)
    audit.record(action, child=child.id, episode=episode.id)
    db.session.commit()
    if placement_request is not None:
        flash(f"{placement_request.placing_authority.name} placed this child with us: their request for the RHI is "
              "under “Placed by other LAs”.", "info")
    flash(message, "success")
    if rhi is not None and rhi.conducted_by == "us" and not rhi.is_complete and rhi.interviewer_id is None:
        flash("Their Return Home Interview is waiting to be assigned to an interviewer.", "info")
    return redirect(url_for("records.child", child_id=child.id))


@bp.route("/children/<uuid:child_id>/episodes/new", methods=["GET", "POST"])
@allow(*COORDINATORS)
def new_episode(child_id):
    child = _child_or_404(child_id)
    form = _episode_form(child, None)
    if _validate_episode(form, child):
        episode = MissingEpisode(child_id=child.id, organisation_id=child.organisation_id, created_by_id=current_user.id)
        return _save_episode(form, child, episode, "episode_created", "The missing episode has been recorded.")
    return render_template("records/episode_form.html", form=form, child=child, episode=None)


@bp.route("/episodes/<uuid:episode_id>/edit", methods=["GET", "POST"])
@allow(*COORDINATORS)
def edit_episode(episode_id):
    episode = _episode_or_404(episode_id)
    child = episode.child
    form = _episode_form(child, episode)
    if _validate_episode(form, child, episode):
        return _save_episode(form, child, episode, "episode_changed", "The missing episode has been saved.")
    return render_template("records/episode_form.html", form=form, child=child, episode=episode)
