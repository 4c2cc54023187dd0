"""A placing authority may answer our own interview's questions instead of uploading a file; what
they type is filed as an upload received "via our interview form"."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from rhi_service.extensions import db
from rhi_service.forms import partner_interview
from rhi_service.models.analysis import SOURCE_UPLOAD, Entity, Tag
from rhi_service.models.audit import AuditEvent
from rhi_service.models.placements import VIA_FORM, Upload
from tests import factories
from tests.conftest import soup

NOW = lambda: datetime.now(timezone.utc).replace(second=0, microsecond=0)  # noqa: E731
WHAT_HAPPENED = ("She said an older boyfriend called Dex bought her a phone and drove her to hotels in a grey Audi. "
                 "His number is 07700 900123.")


@pytest.fixture
def world(orgs):
    mine = factories.placed_child(orgs["home"], orgs["placing"], first_name="Jamie")
    my_request = factories.rhi_request(mine, found_at=NOW() - timedelta(hours=20))
    theirs = factories.placed_child(orgs["home"], orgs["other_la"], first_name="Robin")
    their_request = factories.rhi_request(theirs, found_at=NOW() - timedelta(hours=20))
    db.session.flush()
    return {"mine": mine, "my_request": my_request, "theirs": theirs, "their_request": their_request}


def _date_parts(day) -> dict:
    return {"interview_held_on-day": str(day.day), "interview_held_on-month": str(day.month),
            "interview_held_on-year": str(day.year)}


def test_the_page_shows_our_interview_questions(client_for, world):
    page = soup(client_for("placing_authority").get(f"/partner/children/{world['mine'].id}/interview"))
    text = page.get_text()
    definition = partner_interview.definition()
    for question in partner_interview.questions(definition):
        name = question.code + ("-day" if question.kind in ("date", "datetime") else "")
        assert page.find(attrs={"name": name}) is not None, question.code
    assert "What happened while they were away?" in text and "Safety planning" in text
    assert page.find(attrs={"name": "actions"}) is None  # the add-another list is left out
    assert page.find(attrs={"name": "episode_id"}) is not None


def test_both_pages_link_to_the_form(client_for, world):
    partner = client_for("placing_authority")
    child_page = soup(partner.get(f"/partner/children/{world['mine'].id}"))
    assert child_page.find("a", href=f"/partner/children/{world['mine'].id}/interview")
    request_page = soup(partner.get(f"/partner/requests/{world['my_request'].id}"))
    assert request_page.find("a", href=f"/partner/requests/{world['my_request'].id}/interview")
    assert "Fill in our interview form instead" in request_page.get_text()


def test_sending_files_an_upload_that_answers_the_request(client_for, world):
    request = world["my_request"]
    held = (NOW() - timedelta(days=1)).date()
    response = client_for("placing_authority").post(f"/partner/requests/{request.id}/interview", data={
        **_date_parts(held), "what_happened": WHAT_HAPPENED, "seen_alone": "yes", "place": "Her school",
        "push_factors": [],
    })
    assert response.status_code == 302
    upload = db.session.execute(select(Upload)).scalar_one()
    assert response.headers["Location"].endswith(f"/partner/uploads/{upload.id}")
    assert upload.received_via == VIA_FORM and upload.received_via_label == "Our interview form"
    assert upload.stored_name is None and upload.child_id == world["mine"].id
    assert upload.request_id == request.id and upload.episode_id == request.episode_id
    assert f"What happened while they were away?: {WHAT_HAPPENED}" in upload.text
    assert "Was the child seen on their own?: Yes" in upload.text and "Where did it take place?: Her school" in upload.text
    assert upload.interview_held_at.date() == held
    db.session.refresh(request)
    assert request.answered_how == "upload" and not request.is_open
    tags = db.session.query(Tag).filter_by(source_kind=SOURCE_UPLOAD, source_id=upload.id).all()
    assert tags and upload.tag_labels
    entities = {(e.label, e.normalized) for e in db.session.query(Entity).filter_by(source_kind=SOURCE_UPLOAD, child_id=world["mine"].id)}
    assert ("PHONE", "07700900123") in entities
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "partner_form_received")).scalar_one()
    assert event.record_ids["upload"] == str(upload.id) and event.record_ids["rhi_request"] == str(request.id)
    assert "Dex" not in str(event.record_ids)
    partner_page = soup(client_for("placing_authority").get(f"/partner/uploads/{upload.id}")).get_text()
    assert "Answered on our interview form" in partner_page
    coordinator_page = soup(client_for("coordinator").get(f"/placements/received/{upload.id}")).get_text()
    assert "Our interview form" in coordinator_page and "Dex" in coordinator_page


def test_from_the_child_page_they_choose_the_episode(client_for, world):
    child = world["mine"]
    episode = world["my_request"].episode
    response = client_for("placing_authority").post(f"/partner/children/{child.id}/interview", data={
        **_date_parts(NOW().date()), "episode_id": str(episode.id), "worries": "Worried about her phone being taken",
    })
    assert response.status_code == 302
    upload = db.session.execute(select(Upload)).scalar_one()
    assert upload.episode_id == episode.id and upload.request_id == world["my_request"].id


def test_too_long_an_answer_is_refused_with_the_count_and_everything_kept(client_for, world):
    too_long = "a" * 20_001
    page = soup(client_for("placing_authority").post(f"/partner/requests/{world['my_request'].id}/interview", data={
        **_date_parts(NOW().date()), "what_happened": too_long, "worries": "Worried about school", "seen_alone": "no",
    }))
    assert "20,000 characters or fewer: you have 20,001" in page.select_one("#what_happened-error").get_text()
    assert page.select_one("textarea[name=what_happened]").get_text() == too_long
    assert page.select_one("textarea[name=worries]").get_text() == "Worried about school"
    assert page.select_one("input[name=seen_alone][value=no]").has_attr("checked")
    assert page.select_one("input[name=interview_held_on-year]")["value"] == str(NOW().year)
    assert page.title.get_text().startswith("Error: ")
    assert db.session.execute(select(Upload)).first() is None


def test_the_date_and_one_answer_are_needed(client_for, world):
    url = f"/partner/requests/{world['my_request'].id}/interview"
    partner = client_for("placing_authority")
    page = soup(partner.post(url, data={"worries": "Worried about school"}))
    assert "Enter the date the interview was held" in page.get_text()
    assert page.select_one("textarea[name=worries]").get_text() == "Worried about school"
    page = soup(partner.post(url, data=_date_parts(NOW().date())))
    assert partner_interview.AT_LEAST_ONE in page.get_text()
    page = soup(partner.post(url, data={}))
    summary = page.select_one(".govuk-error-summary").get_text()
    assert "Enter the date the interview was held" in summary and partner_interview.AT_LEAST_ONE in summary
    future = NOW().date() + timedelta(days=3)
    page = soup(partner.post(url, data={**_date_parts(future), "worries": "Worried"}))
    assert "must be today or in the past" in page.get_text()
    assert db.session.execute(select(Upload)).first() is None


def test_another_authoritys_child_or_request_is_not_found(client_for, world):
    partner = client_for("placing_authority")
    for url in (f"/partner/children/{world['theirs'].id}/interview", f"/partner/requests/{world['their_request'].id}/interview"):
        assert partner.get(url).status_code == 404
        assert partner.post(url, data={**_date_parts(NOW().date()), "worries": "Worried"}).status_code == 404
    assert db.session.execute(select(Upload)).first() is None


@pytest.mark.parametrize("awkward", ["\x00", "<rhi-x onmouseover=alert(1)>", "2026-13-45", "\u202e😀", "a" * 20_500])
def test_awkward_input_in_every_field_gives_a_page_or_a_redirect(client_for, world, awkward):
    partner = client_for("placing_authority")
    url = f"/partner/children/{world['mine'].id}/interview"
    names = {tag.get("name") for tag in soup(partner.get(url)).select("form[method=post] [name]")} - {"csrf_token"}
    response = partner.post(url, data={name: awkward for name in names} | _date_parts(NOW().date()))
    assert response.status_code == 200 and "<rhi-x" not in response.get_data(as_text=True)
    # Only the typed answers awkward, so that what is typed reaches the tagging and the database.
    page = soup(partner.get(url))
    typed = {tag.get("name") for tag in page.select("form[method=post] textarea, form[method=post] input[type=text]")}
    typed -= {"interview_held_on-day", "interview_held_on-month", "interview_held_on-year"}
    response = partner.post(url, data={name: awkward for name in typed} | _date_parts(NOW().date())
                            | {"episode_id": str(world["my_request"].episode_id)})
    assert response.status_code in (200, 302) and "<rhi-x" not in response.get_data(as_text=True)
