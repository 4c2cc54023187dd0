"""Demo RHIs for `make run`, and the deadline record the interview's submit reuses."""
from datetime import datetime, timedelta, timezone

from flask import render_template_string
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from rhi_service import rhis
from rhi_service.extensions import db
from rhi_service.forms.interviews import LateReasonForm, late_reason_valid
from rhi_service.models.interviews import ReturnInterview
from rhi_service.models.organisations import User
from tests import factories
from tests.conftest import check_page


def test_demo_interviewer_has_rhis_in_every_status(db_session):
    from rhi_service import demo

    demo.load(password="demo-password")
    users = {u.username: u.id for u in db.session.execute(select(User)).scalars()}
    all_rhis = db.session.execute(select(ReturnInterview)).scalars().all()
    theirs = [r for r in all_rhis if r.interviewer_id == users["interviewer"]]
    assert {r.status for r in theirs} >= {"awaiting_contact", "contact_attempted", "interview_arranged", "in_progress",
                                         "submitted", "declined"}
    now = datetime.now(timezone.utc)
    open_ones = [r for r in theirs if not r.is_complete]
    assert any(r.due_at < now for r in open_ones), "one overdue"
    assert any(now < r.due_at < now + timedelta(hours=24) for r in open_ones), "some due soon"
    assert any(r.attempt_count == 2 and {a.method for a in r.attempts} >= {"letter"} and r.status == "contact_attempted"
               for r in theirs), "two failed attempts including a letter"
    assert any(r.interviewer_id == users["interviewer2"] for r in all_rhis)
    assert any(r.interviewer_id is None and r.conducted_by == "us" and not r.is_complete for r in all_rhis)
    assert any(r.conducted_by == "placing_authority" for r in all_rhis)
    for rhi in all_rhis:
        assert rhi.attempt_count == len(rhi.attempts)
    # Loading twice adds nothing.
    count = len(all_rhis)
    demo.load(password="demo-password")
    assert db.session.query(ReturnInterview).count() == count


def test_record_deadline_held_in_time_and_late(db_session, orgs, users):
    rhi = factories.rhi(factories.child(orgs["home"]), users["interviewer"])
    rhis.record_deadline(rhi, rhi.due_at, "worker_capacity")
    assert rhi.held_by_due is True and rhi.late_reason is None
    rhis.record_deadline(rhi, rhi.due_at + timedelta(minutes=1), "other", "  Needed an interpreter ")
    assert rhi.held_by_due is False and rhi.late_reason == "other" and rhi.late_reason_detail == "Needed an interpreter"


def test_late_reason_form_and_partial_put_errors_by_their_fields(app, db_session):
    with app.test_request_context(method="POST"):
        form = LateReasonForm(formdata=MultiDict({"late_reason": "other", "late_reason_detail": ""}))
        form.validate()
        assert late_reason_valid(form, was_held_by_due=True)
        assert not late_reason_valid(form, was_held_by_due=False)
        html = render_template_string(
            '{% extends "base.html" %}{% from "interviews/_late_reason.html" import late_reason_fields %}'
            '{% block title %}Late{% endblock %}{% block content %}<h1>Late</h1>{{ late_reason_fields(form) }}{% endblock %}',
            form=form,
        )
    page = check_page(html)
    assert "Say why the interview was not held" in page.select_one("#late_reason_detail-error").get_text()
    assert page.select_one("input[name=late_reason][value=other]").has_attr("checked")
