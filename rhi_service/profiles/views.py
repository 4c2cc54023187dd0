"""The risk assessment record (per episode), the child's missing profile, Part 2 of the Philomena
Protocol (per episode), and what is printed for a call to 101.

All three are forms of the form engine (definitions/risk_assessment.yaml, profile.yaml,
philomena_part2.yaml). Each section is one long page, since carers and coordinators fill these in
one go on a tablet; "add another" lists (friends, places, phones) get one page per item.
"""
from __future__ import annotations

import base64
import re
import uuid
from dataclasses import dataclass

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import audit, rules
from ..access import COORDINATORS, STAFF, allow
from ..extensions import db
from ..forms import engine, schema
from ..forms.guided import RemoveItemForm
from ..forms.profiles import PhotoForm, ReviewForm, SaveVersionForm
from ..forms.schema import CHOICE, LIST, YES_NO
from ..models.base import utcnow
from ..models.children import Child
from ..models.episodes import MissingEpisode
from ..models.organisations import COORDINATOR, MANAGER
from ..models.profiles import ChildPhoto
from ..pdf import pdf_response
from ..queries import children as child_queries
from ..settings import get as get_settings
from . import linking, photos, versions

bp = Blueprint("profiles", __name__)

PROFILE = "profile"
RISK = "risk_assessment"
PART2 = "philomena_part2"
# The sections whose answers are the seed's risk indicators, which the higher-risk rule counts.
RISK_INDICATOR_SECTIONS = ("circumstances", "risks")
VIEWS_DIFFER = "views_differ"
# "<code>_detail" holds the details of the answer to "<code>": shown with it, as one row.
DETAIL = "_detail"
_ITEM_KEY = re.compile(r"^[0-9a-f]{32}$")


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


def _may_edit_episode_records() -> bool:
    return current_user.role in (COORDINATOR, MANAGER)


@dataclass
class Record:
    """One form filled in for one subject, and where its pages are."""

    definition: schema.FormDefinition
    subject: object
    child: Child
    episode: MissingEpisode | None
    overview: str
    section_endpoint: str
    item_endpoint: str
    remove_endpoint: str
    ids: dict
    changed_action: str
    section_param: str = "section"

    def section_url(self, section_code: str) -> str:
        return url_for(self.section_endpoint, **{self.section_param: section_code}, **self.ids)

    def overview_url(self, section_code: str | None = None) -> str:
        return url_for(self.overview, **self.ids) + (f"#{section_code}" if section_code else "")

    def item_url(self, section_code: str, page_code: str, item_id: str) -> str:
        return url_for(self.item_endpoint, section=section_code, page=page_code, item_id=item_id, **self.ids)

    def remove_url(self, section_code: str, page_code: str, item_id: str) -> str:
        return url_for(self.remove_endpoint, section=section_code, page=page_code, item_id=item_id, **self.ids)

    def audit_ids(self) -> dict:
        ids = {"child": self.child.id}
        if self.episode is not None:
            ids["episode"] = self.episode.id
        return ids


def _profile_record(child: Child) -> Record:
    return Record(schema.get(PROFILE), child, child, None, "profiles.profile", "profiles.profile_section",
                  "profiles.profile_item", "profiles.profile_item_remove", {"child_id": child.id}, "child_profile_changed")


def _risk_record(episode: MissingEpisode) -> Record:
    return Record(schema.get(RISK), episode, episode.child, episode, "profiles.risk", "profiles.risk_section",
                  "profiles.risk_section", "profiles.risk_section", {"episode_id": episode.id}, "risk_assessment_changed",
                  "risk_section")


def _part2_record(episode: MissingEpisode) -> Record:
    return Record(schema.get(PART2), episode, episode.child, episode, "profiles.part2", "profiles.part2_section",
                  "profiles.part2_section", "profiles.part2_section", {"episode_id": episode.id}, "missing_part2_changed",
                  "part2_section")


# --- Reading a record back -------------------------------------------------------------------


def summary(definition: schema.FormDefinition, subject_id) -> list[dict]:
    """Each section with every question and its answer ([] where blank), details beside answers."""
    stored = engine.answers(definition.code, subject_id)
    states = engine.section_states(definition.code, subject_id)
    sections = []
    for section in definition.sections:
        codes = {q.code for q in section.questions}
        rows = []
        for question in section.questions:
            if question.code.endswith(DETAIL) and question.code[: -len(DETAIL)] in codes:
                continue
            detail = definition.question(question.code + DETAIL)
            rows.append({
                "question": question,
                "lines": engine.display_lines(question, stored.get(question.code)),
                "detail": engine.display_lines(detail, stored.get(detail.code)) if detail is not None else [],
            })
        sections.append({"section": section, "rows": rows, "state": states.get(section.code)})
    return sections


def higher_risk(episode_id) -> rules.HigherRisk:
    definition = schema.get(RISK)
    stored = engine.answers(RISK, episode_id)
    answers = []
    for code in RISK_INDICATOR_SECTIONS:
        section = definition.section(code)
        for question in section.questions if section else []:
            if question.kind in (YES_NO, CHOICE):
                answers.append(engine.stored_value(question, stored.get(question.code)).value)
    differ = definition.question(VIEWS_DIFFER)
    views_differ = engine.stored_value(differ, stored.get(VIEWS_DIFFER)).value if differ else None
    return rules.higher_risk(answers, views_differ, get_settings()["risk_little_knowledge_share"])


def _overall(episode_id) -> list[str]:
    question = schema.get(RISK).question("overall_risk")
    return engine.display_lines(question, engine.answers(RISK, episode_id).get("overall_risk")) if question else []


def _photo(child: Child) -> ChildPhoto | None:
    return db.session.execute(select(ChildPhoto).where(ChildPhoto.child_id == child.id)).scalar_one_or_none()


def _review(child: Child) -> dict:
    latest = versions.latest_version(PROFILE, child.id)
    reviewed_at = latest.saved_at if latest else None
    days = get_settings()["profile_review_days"]
    return {"version": latest, "at": reviewed_at, "days": days, "due": rules.profile_review_due(reviewed_at, utcnow(), days)}


def _current_episode(child: Child) -> MissingEpisode | None:
    # The episode going on now, or else the latest: what a call to 101 is about.
    episodes = list(child.episodes)
    return next((e for e in episodes if e.found_at is None), episodes[0] if episodes else None)


# --- Editing: one long page per section, one page per list item -------------------------------


def _after_change(record: Record, result: engine.SaveResult) -> None:
    if result.changed:
        if any(q.entity or any(s.entity for s in q.item) for q in record.definition.questions):
            linking.link(record.definition, record.subject, record.child.id)
        audit.record(record.changed_action, **record.audit_ids())
    db.session.commit()


def _section_page(record: Record, section_code: str):
    definition = record.definition
    section = definition.section(section_code) or abort(404)
    questions = [q for q in section.questions if q.kind != LIST]
    # keyed by a page object too, so a reloaded definition never meets a class built from the old one
    cls = engine.form_class(questions, (definition.code, section.code, "whole", section.pages[0]))
    stored = engine.answers(definition.code, record.subject.id)
    conflict = None
    if request.method == "POST":
        form = cls(formdata=request.form)
        action = request.form.get("action", "save")
        if form.validate():
            values = {q: engine.posted_value(q, form) for q in questions}
            try:
                result = engine.save_values(definition, section.code, values, record.subject, current_user,
                                            engine.posted_version(form))
            except engine.SectionConflict as exc:
                conflict = exc
                # Saving again keeps this person's answers over the other version.
                form.version.data = str(exc.their_version)
            else:
                _after_change(record, result)
                list_page = section.page(action[len("add:"):]) if action.startswith("add:") else None
                if list_page is not None and list_page.list_question:
                    return redirect(record.item_url(section.code, list_page.code, "new"))
                flash(f"\u201c{section.title}\u201d has been saved.", "success")
                return redirect(record.overview_url(section.code))
    else:
        form = cls(formdata=None, data=engine.form_data(questions, stored))
        form.version.data = str(engine.section_version(definition.code, record.subject.id, section.code))
    lists = []
    for page in section.pages:
        question = page.list_question
        if question is not None:
            items = engine.list_items(definition, question, record.subject.id)
            lists.append({"page": page, "question": question,
                          "list_items": [{"id": i["id"], "summary": engine.item_summary(question, i)} for i in items]})
    state = engine.section_states(definition.code, record.subject.id).get(section.code)
    return render_template("profiles/section.html", record=record, child=record.child, section=section, form=form,
                           questions=questions, lists=lists, conflict=conflict, their_state=state if conflict else None)


def _item_page(record: Record, section_code: str, page_code: str, item_id: str):
    definition = record.definition
    section = definition.section(section_code) or abort(404)
    page = section.page(page_code) or abort(404)
    question = page.list_question or abort(404)
    items = engine.list_items(definition, question, record.subject.id)
    existing = next((i for i in items if i["id"] == item_id), None)
    if item_id != "new" and existing is None:
        abort(404)
    conflict = None
    if request.method == "POST":
        form = engine.make_item_form(definition, question, existing, formdata=request.form)
        if form.validate():
            key = request.form.get("item_key", "")
            item = engine.item_from_form(question, form, existing["id"] if existing else (key if _ITEM_KEY.match(key) else None))
            updated = [item if i["id"] == item["id"] else i for i in items]
            if all(i["id"] != item["id"] for i in items):
                updated.append(item)
            try:
                result = engine.save_list(definition, question, updated, record.subject, current_user, engine.posted_version(form))
            except engine.SectionConflict as exc:
                conflict = exc
                form.version.data = str(exc.their_version)
            else:
                _after_change(record, result)
                return redirect(record.section_url(section.code))
    else:
        form = engine.make_item_form(definition, question, existing,
                                     version=engine.section_version(definition.code, record.subject.id, section.code))
    # Fixed when the page is shown, so a form sent twice adds its item once.
    item_key = request.form.get("item_key") if _ITEM_KEY.match(request.form.get("item_key", "")) else uuid.uuid4().hex
    return render_template("forms/list_item.html", record=record, child=record.child, section=section, question=question,
                           form=form, existing=existing, item_key=item_key, conflict=conflict,
                           back_url=record.section_url(section.code), back_label=section.title, caption=question.label)


def _remove_page(record: Record, section_code: str, page_code: str, item_id: str):
    definition = record.definition
    section = definition.section(section_code) or abort(404)
    page = section.page(page_code) or abort(404)
    question = page.list_question or abort(404)
    items = engine.list_items(definition, question, record.subject.id)
    existing = next((i for i in items if i["id"] == item_id), None)
    back = record.section_url(section.code)
    if existing is None:
        return redirect(back)  # already removed: pressing again changes nothing
    form = RemoveItemForm(formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.version.data = str(engine.section_version(definition.code, record.subject.id, section.code))
    elif form.validate():
        if form.confirm.data == "yes":
            try:
                result = engine.save_list(definition, question, [i for i in items if i["id"] != item_id], record.subject,
                                          current_user, engine.posted_version(form))
            except engine.SectionConflict:
                flash("Someone else changed this section while you were deciding. Check the list, then remove it again if you still need to.", "info")
                return redirect(back)
            _after_change(record, result)
        return redirect(back)
    return render_template("forms/remove_list_item.html", record=record, child=record.child, section=section, question=question,
                           summary=engine.item_summary(question, existing), form=form,
                           back_url=back, back_label=section.title, caption=question.label)


# --- The missing profile ----------------------------------------------------------------------


def _profile_page(child: Child, review_form: ReviewForm, status: int = 200):
    record = _profile_record(child)
    return render_template("profiles/profile.html", record=record, child=child, summary=summary(record.definition, child.id),
                           photo=_photo(child), review=_review(child), form=review_form, episodes=child.episodes,
                           unsaved=versions.has_unsaved_changes(record.definition, child.id)), status


@bp.route("/children/<uuid:child_id>/profile")
@allow(*STAFF)
def profile(child_id):
    child = _child_or_404(child_id)
    audit.record("child_profile_viewed", child=child.id)
    db.session.commit()
    return _profile_page(child, ReviewForm(formdata=None))


@bp.route("/children/<uuid:child_id>/profile/<section>", methods=["GET", "POST"])
@allow(*STAFF)
def profile_section(child_id, section):
    return _section_page(_profile_record(_child_or_404(child_id)), section)


@bp.route("/children/<uuid:child_id>/profile/<section>/<page>/<item_id>", methods=["GET", "POST"])
@allow(*STAFF)
def profile_item(child_id, section, page, item_id):
    return _item_page(_profile_record(_child_or_404(child_id)), section, page, item_id)


@bp.route("/children/<uuid:child_id>/profile/<section>/<page>/<item_id>/remove", methods=["GET", "POST"])
@allow(*STAFF)
def profile_item_remove(child_id, section, page, item_id):
    return _remove_page(_profile_record(_child_or_404(child_id)), section, page, item_id)


@bp.route("/children/<uuid:child_id>/profile/review", methods=["POST"])
@allow(*STAFF)
def profile_review(child_id):
    child = _child_or_404(child_id)
    form = ReviewForm()
    if not form.validate():
        return _profile_page(child, form)
    version = versions.save(schema.get(PROFILE), child, child, current_user, unchanged_too=True)
    audit.record("child_profile_reviewed", child=child.id, form_version=version.id)
    db.session.commit()
    flash(f"The missing profile has been reviewed and saved as version {version.number}.", "success")
    return redirect(url_for("profiles.profile", child_id=child.id))


@bp.route("/children/<uuid:child_id>/profile/versions")
@allow(*STAFF)
def profile_versions(child_id):
    child = _child_or_404(child_id)
    return _versions_page(_profile_record(child), "child_profile_versions_viewed")


# --- The photo --------------------------------------------------------------------------------


@bp.route("/children/<uuid:child_id>/profile/photo")
@allow(*STAFF)
def photo(child_id):
    child = _child_or_404(child_id)
    found = _photo(child)
    if found is None:
        abort(404)
    try:
        data = photos.read(found.stored_name)
    except OSError:
        abort(404)
    audit.record("child_profile_photo_viewed", child=child.id)
    db.session.commit()
    response = Response(data, mimetype=found.content_type)
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.route("/children/<uuid:child_id>/profile/photo/new", methods=["GET", "POST"])
@allow(*STAFF)
def photo_upload(child_id):
    child = _child_or_404(child_id)
    form = PhotoForm()
    if form.validate_on_submit():
        upload = form.photo.data
        if not upload or not getattr(upload, "filename", ""):
            form.photo.errors.append("Select a photo")
        else:
            try:
                clean = photos.clean(upload.read(photos.MAX_BYTES + 1))
            except photos.PhotoRefused as refused:
                form.photo.errors.append(refused.message)
            else:
                name = photos.new_name()
                photos.write(name, clean.data)
                existing = _photo(child)
                old_name = existing.stored_name if existing else None
                if existing is not None:
                    db.session.delete(existing)
                    db.session.flush()
                db.session.add(ChildPhoto(organisation_id=child.organisation_id, child_id=child.id, stored_name=name,
                                          content_type=clean.content_type, width=clean.width, height=clean.height,
                                          size_bytes=len(clean.data), uploaded_by_id=current_user.id, uploaded_at=utcnow()))
                audit.record("child_profile_photo_added", child=child.id)
                db.session.commit()
                if old_name:
                    photos.remove(old_name)
                flash("The photo has been added to the missing profile.", "success")
                return redirect(url_for("profiles.profile", child_id=child.id) + "#description")
    return render_template("profiles/photo_form.html", child=child, form=form, photo=_photo(child))


@bp.route("/children/<uuid:child_id>/profile/photo/remove", methods=["POST"])
@allow(*STAFF)
def photo_remove(child_id):
    child = _child_or_404(child_id)
    existing = _photo(child)
    if existing is not None:
        name = existing.stored_name
        db.session.delete(existing)
        audit.record("child_profile_photo_removed", child=child.id)
        db.session.commit()
        photos.remove(name)
        flash("The photo has been removed.", "success")
    return redirect(url_for("profiles.profile", child_id=child.id) + "#description")


# --- The risk assessment record ---------------------------------------------------------------


@bp.route("/episodes/<uuid:episode_id>/risk-assessment")
@allow(*STAFF)
def risk(episode_id):
    episode = _episode_or_404(episode_id)
    record = _risk_record(episode)
    audit.record("risk_assessment_viewed", **record.audit_ids())
    db.session.commit()
    latest = versions.latest_version(RISK, episode.id)
    return render_template("profiles/risk.html", record=record, child=episode.child, episode=episode,
                           summary=summary(record.definition, episode.id), higher=higher_risk(episode.id),
                           overall=_overall(episode.id), latest=latest, may_edit=_may_edit_episode_records(),
                           unsaved=versions.has_unsaved_changes(record.definition, episode.id),
                           form=SaveVersionForm(formdata=None))


@bp.route("/episodes/<uuid:episode_id>/risk-assessment/<risk_section>", methods=["GET", "POST"])
@allow(*COORDINATORS)
def risk_section(episode_id, risk_section):
    return _section_page(_risk_record(_episode_or_404(episode_id)), risk_section)


@bp.route("/episodes/<uuid:episode_id>/risk-assessment/save-version", methods=["POST"])
@allow(*COORDINATORS)
def risk_save_version(episode_id):
    episode = _episode_or_404(episode_id)
    record = _risk_record(episode)
    version = versions.save(record.definition, episode, episode.child, current_user)
    if version is None:
        flash("Nothing has changed since the last saved version, so no new version was made.", "info")
        return redirect(url_for("profiles.risk", episode_id=episode.id))
    audit.record("risk_assessment_version_saved", form_version=version.id, **record.audit_ids())
    db.session.commit()
    flash(f"The risk assessment has been saved as version {version.number}. Share it with the police.", "success")
    return redirect(url_for("profiles.risk_versions", episode_id=episode.id))


@bp.route("/episodes/<uuid:episode_id>/risk-assessment/versions")
@allow(*STAFF)
def risk_versions(episode_id):
    return _versions_page(_risk_record(_episode_or_404(episode_id)), "risk_assessment_versions_viewed")


def _versions_page(record: Record, action: str):
    rows = versions.all_versions(record.definition.code, record.subject.id)
    entries = []
    for index, version in enumerate(rows):
        older = rows[index + 1] if index + 1 < len(rows) else None
        entries.append({"version": version,
                        "changes": versions.differences(versions.answers_of(older) if older else None, versions.answers_of(version))})
    pending = []
    if rows:
        pending = versions.differences(versions.answers_of(rows[0]), versions.snapshot(record.definition, record.subject.id))
    shown = None
    wanted = request.args.get("version", type=int)
    if wanted is not None:
        match = next((v for v in rows if v.number == wanted), None)
        if match is None:
            abort(404)
        grouped: dict[str, list] = {}
        for entry in versions.answers_of(match).values():
            grouped.setdefault(entry["section"], []).append(entry)
        shown = {"version": match, "sections": grouped}
    audit.record(action, **record.audit_ids())
    db.session.commit()
    return render_template("profiles/versions.html", record=record, child=record.child, entries=entries, pending=pending,
                           shown=shown)


# --- Part 2: when the child goes missing ------------------------------------------------------


@bp.route("/episodes/<uuid:episode_id>/when-missing")
@allow(*STAFF)
def part2(episode_id):
    episode = _episode_or_404(episode_id)
    record = _part2_record(episode)
    audit.record("missing_part2_viewed", **record.audit_ids())
    db.session.commit()
    return render_template("profiles/part2.html", record=record, child=episode.child, episode=episode,
                           summary=summary(record.definition, episode.id), may_edit=_may_edit_episode_records())


@bp.route("/episodes/<uuid:episode_id>/when-missing/<part2_section>", methods=["GET", "POST"])
@allow(*COORDINATORS)
def part2_section(episode_id, part2_section):
    return _section_page(_part2_record(_episode_or_404(episode_id)), part2_section)


# --- For a call to 101 ------------------------------------------------------------------------


def _for_101_context(child: Child, for_pdf: bool) -> dict:
    episode = _current_episode(child)
    found = _photo(child)
    photo_src = None
    if found is not None:
        if for_pdf:
            try:
                photo_src = f"data:{found.content_type};base64," + base64.b64encode(photos.read(found.stored_name)).decode()
            except OSError:
                photo_src = None
        else:
            photo_src = url_for("profiles.photo", child_id=child.id)
    context = {"child": child, "episode": episode, "photo_src": photo_src, "review": _review(child),
               "profile": summary(schema.get(PROFILE), child.id), "episodes": child.episodes}
    if episode is not None:
        context |= {"risk": summary(schema.get(RISK), episode.id), "higher": higher_risk(episode.id),
                    "overall": _overall(episode.id), "risk_version": versions.latest_version(RISK, episode.id),
                    "part2": summary(schema.get(PART2), episode.id)}
    return context


@bp.route("/children/<uuid:child_id>/for-101")
@allow(*STAFF)
def for_101(child_id):
    child = _child_or_404(child_id)
    context = _for_101_context(child, for_pdf=False)
    audit.record("for_101_viewed", child=child.id)
    db.session.commit()
    return render_template("profiles/for_101.html", **context)


@bp.route("/children/<uuid:child_id>/for-101.pdf")
@allow(*STAFF)
def for_101_pdf(child_id):
    child = _child_or_404(child_id)
    context = _for_101_context(child, for_pdf=True)
    ids = {"child": child.id} | ({"episode": context["episode"].id} if context["episode"] is not None else {})
    audit.record("for_101_pdf_made", **ids)
    db.session.commit()
    return pdf_response("profiles/for_101.html", f"child-{child.id}-for-101.pdf", **context)
