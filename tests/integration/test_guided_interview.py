"""The guided interview: saving, conflicts, expired sessions, limits, submission and what follows."""
import io
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import select, text

from rhi_service import consent
from rhi_service.extensions import db
from rhi_service.forms import engine, schema
from rhi_service.models.audit import AuditEvent
from rhi_service.models.forms import Addendum, Consent
from rhi_service.models.interviews import IN_PROGRESS, SUBMITTED
from tests import factories
from tests.conftest import sign_in_client, soup

LONDON = ZoneInfo("Europe/London")
ORIGIN = {"Origin": "http://localhost"}


@pytest.fixture
def child(orgs):
    return factories.child(orgs["home"], "Robin", "Testwell")


@pytest.fixture
def rhi(child, users):
    return factories.rhi(child, users["interviewer"], status="interview_arranged")


def page_url(rhi, section, page, **query):
    url = f"/rhis/{rhi.id}/interview/{section}/{page}"
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def when_parts(name, when):
    local = when.astimezone(LONDON)
    return {f"{name}-day": str(local.day), f"{name}-month": str(local.month), f"{name}-year": str(local.year),
            f"{name}-time": local.strftime("%H:%M")}


def answers_for(page, held_at, sharing="given", version=0):
    """Plausible answers for every question on a page, by kind."""
    data = {"version": str(version), "action": "continue"}
    for question in page.questions:
        if question.kind == "text":
            data[question.code] = f"Short answer for {question.code}"
        elif question.kind == "long_text":
            if question.rationale_for:
                continue
            data[question.code] = f"The child talked about {question.code.replace('_', ' ')}."
        elif question.kind == "yes_no":
            data[question.code] = "yes"
        elif question.kind == "choice":
            data[question.code] = sharing if question.consent_purpose else question.options[0].value
        elif question.kind == "choices":
            data[question.code] = [question.options[0].value]
        elif question.kind == "datetime":
            data.update(when_parts(question.code, held_at))
        elif question.kind == "date":
            data.update({k: v for k, v in when_parts(question.code, held_at).items() if not k.endswith("-time")})
    return data


def safety_action_for(held_at) -> dict:
    """One action for the safety plan's list page, due three days after the interview."""
    due = {k: v for k, v in when_parts("due", held_at + timedelta(days=3)).items() if not k.endswith("-time")}
    return {"action": "Tell the social worker what was said", "owner": "The interviewer", **due}


def complete_interview(client, rhi, held_at=None, sharing="given"):
    held_at = held_at or datetime.now(timezone.utc) - timedelta(hours=1)
    definition = schema.get("interview")
    for section in definition.sections:
        for page in section.pages:
            version = engine.section_version("interview", rhi.id, section.code)
            if page.list_question:
                response = client.post(page_url(rhi, section.code, page.code, ) + "/new", data={
                    "version": str(version), "item_key": "b" * 32, **safety_action_for(held_at)})
                assert response.status_code == 302, soup(response).select(".govuk-error-message")
                response = client.post(page_url(rhi, section.code, page.code), data={"version": "0", "add_another": "no"})
            else:
                response = client.post(page_url(rhi, section.code, page.code), data=answers_for(page, held_at, sharing, version))
            assert response.status_code == 302, (page.code, [e.get_text() for e in soup(response).select(".govuk-error-message")])
        version = engine.section_version("interview", rhi.id, section.code)
        response = client.post(f"/rhis/{rhi.id}/interview/{section.code}/complete", data={"version": str(version), "completed": "yes"})
        assert response.status_code == 302
    return held_at


def audit_actions(rhi):
    return [e.action for e in db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
            if e.record_ids.get("rhi") == str(rhi.id)]


# --- Saving -----------------------------------------------------------------------------------


def test_the_task_list_shows_each_section_not_yet_started(client_for, rhi):
    page = soup(client_for("interviewer").get(f"/rhis/{rhi.id}/interview"))
    titles = [a.get_text(strip=True) for a in page.select(".govuk-task-list__link")]
    assert titles[0] == "Consent and confidentiality"
    assert len(titles) == len(schema.get("interview").sections)
    assert {s.get_text(strip=True) for s in page.select(".govuk-task-list__status")} == {"Not yet started"}


def test_save_and_continue_saves_the_page_and_moves_on(client_for, rhi):
    interviewer = client_for("interviewer")
    response = interviewer.post(page_url(rhi, "episode", "where"), data={
        "version": "0", "action": "continue", "where_went": "A flat near the ring road", "who_with__no_answer": "declined"})
    assert response.status_code == 302
    assert response.headers["Location"] == page_url(rhi, "episode", "getting_by")
    stored = engine.answers("interview", rhi.id)
    assert stored["where_went"].text_value == "A flat near the ring road"
    assert stored["who_with"].no_answer == "declined"
    assert rhi.status == IN_PROGRESS
    assert "rhi_answers_saved" in audit_actions(rhi)
    task_list = soup(interviewer.get(f"/rhis/{rhi.id}/interview"))
    statuses = {li.select_one(".govuk-task-list__link").get_text(strip=True): li.select_one(".govuk-task-list__status").get_text(strip=True)
                for li in task_list.select(".govuk-task-list__item")}
    assert statuses["While they were missing"] == "In progress"


def test_save_and_come_back_later_keeps_a_partly_answered_page(client_for, rhi):
    response = client_for("interviewer").post(page_url(rhi, "interview", "when_where"), data={
        "version": "0", "action": "later", "place": "The library"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rhis/{rhi.id}/interview"
    assert engine.answers("interview", rhi.id)["place"].text_value == "The library"


def test_a_required_answer_is_asked_for_on_save_and_continue(client_for, rhi):
    response = client_for("interviewer").post(page_url(rhi, "interview", "when_where"), data={
        "version": "0", "action": "continue", "place": "The library"})
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    assert page.select_one(".govuk-error-summary a[href='#held_at-day']").get_text() == "Enter when the interview took place"
    assert page.select_one("#place")["value"] == "The library"
    assert engine.answers("interview", rhi.id) == {}


def test_the_section_end_asks_whether_it_is_complete(client_for, rhi):
    interviewer = client_for("interviewer")
    response = interviewer.post(page_url(rhi, "parent_carer", "view"), data={"version": "0", "action": "continue", "carer_spoken_to": "no"})
    assert response.headers["Location"] == f"/rhis/{rhi.id}/interview/parent_carer/complete"
    page = soup(interviewer.get(response.headers["Location"]))
    assert page.h1.get_text(strip=True) == "Have you completed this section?"
    response = interviewer.post(f"/rhis/{rhi.id}/interview/parent_carer/complete", data={"version": "1", "completed": "yes"})
    assert response.status_code == 302
    assert engine.section_states("interview", rhi.id)["parent_carer"].status == "completed"


def test_a_section_with_required_questions_unanswered_cannot_be_completed(client_for, rhi):
    response = client_for("interviewer").post(f"/rhis/{rhi.id}/interview/consent/complete", data={"version": "0", "completed": "yes"})
    page = soup(response)
    assert "Answer the questions listed" in page.select_one("#completed-error").get_text()
    assert page.select("#still-to-answer a")


def test_double_submitting_a_page_saves_once(client_for, rhi):
    interviewer = client_for("interviewer")
    data = {"version": "0", "action": "continue", "where_went": "The seafront", "who_with": "Two older boys"}
    first = interviewer.post(page_url(rhi, "episode", "where"), data=data)
    second = interviewer.post(page_url(rhi, "episode", "where"), data=data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert engine.section_version("interview", rhi.id, "episode") == 1
    assert audit_actions(rhi).count("rhi_answers_saved") == 1


def test_an_add_another_list(client_for, rhi):
    interviewer = client_for("interviewer")
    list_url = page_url(rhi, "outcome", "actions")
    assert "No actions have been added yet" in soup(interviewer.get(list_url)).get_text()
    item = {"version": "0", "item_key": "c" * 32, "action": "Refer to early help", "owner": "Interviewer",
            "due-day": "1", "due-month": "12", "due-year": "2030"}
    assert interviewer.post(list_url + "/new", data=item).headers["Location"] == list_url
    # Pressed twice, the same new item is added once.
    interviewer.post(list_url + "/new", data=item)
    page = soup(interviewer.get(list_url))
    assert page.h1.get_text(strip=True) == "Actions (1)"
    assert "Refer to early help – Interviewer – 1 December 2030" in page.get_text()
    change = interviewer.post(list_url + "/" + "c" * 32, data=item | {"version": "1", "owner": "Coordinator"})
    assert change.status_code == 302
    assert engine.list_items(schema.get("interview"), schema.get("interview").question("actions"), rhi.id)[0]["owner"] == "Coordinator"
    removed = interviewer.post(list_url + "/" + "c" * 32 + "/remove", data={"version": "2", "confirm": "yes"})
    assert removed.headers["Location"] == list_url
    assert "No actions have been added yet" in soup(interviewer.get(list_url)).get_text()
    assert interviewer.post(list_url, data={"version": "3", "add_another": "no"}).headers["Location"] == page_url(rhi, "outcome", "follow_up")


def test_free_text_over_the_limit_is_refused_with_the_count_and_kept(client_for, rhi):
    too_long = "a" * 20312
    response = client_for("interviewer").post(page_url(rhi, "episode", "what_happened"), data={
        "version": "0", "action": "continue", "what_happened": too_long})
    page = soup(response)
    assert page.select_one("#what_happened-error").get_text(strip=True).endswith(
        "Answer must be 20,000 characters or fewer: you have 20,312")
    assert page.select_one("textarea#what_happened").get_text() == too_long  # never cut
    assert "what_happened" not in engine.answers("interview", rhi.id)
    exactly = client_for("interviewer").post(page_url(rhi, "episode", "what_happened"), data={
        "version": "0", "action": "continue", "what_happened": "b" * 20000})
    assert exactly.status_code == 302


def test_line_breaks_count_once_towards_the_limit(client_for, rhi):
    # Browsers send CRLF but their character count shows one character per line break.
    text = ("x" * 99 + "\r\n") * 200
    response = client_for("interviewer").post(page_url(rhi, "episode", "what_happened"), data={
        "version": "0", "action": "continue", "what_happened": text})
    assert response.status_code == 302


# --- Two people at once -----------------------------------------------------------------------


def test_two_people_on_one_section_see_both_versions_and_other_sections_save(app, client_for, users, rhi):
    interviewer = client_for("interviewer")
    coordinator = client_for("coordinator")
    for client in (interviewer, coordinator):
        assert soup(client.get(page_url(rhi, "episode", "where"))).select_one("input[name=version]")["value"] == "0"
    assert soup(coordinator.get(page_url(rhi, "safety", "places"))).select_one("input[name=version]")["value"] == "0"

    first = interviewer.post(page_url(rhi, "episode", "where"), data={
        "version": "0", "action": "continue", "where_went": "Their cousin's house"})
    assert first.status_code == 302

    second = coordinator.post(page_url(rhi, "episode", "where"), data={
        "version": "0", "action": "continue", "where_went": "A park, then the bus station"})
    assert second.status_code == 200
    page = soup(second)
    banner = page.select_one("#conflict").get_text(" ", strip=True)
    assert users["interviewer"].full_name in banner
    assert "version 1" in banner and "version 0" in banner
    assert "Their cousin's house" in page.get_text()  # theirs
    assert page.select_one("textarea#where_went").get_text() == "A park, then the bus station"  # yours
    assert page.select_one("input[name=version]")["value"] == "1"
    assert engine.answers("interview", rhi.id)["where_went"].text_value == "Their cousin's house"

    # Pressing save again keeps the second person's version, knowingly.
    again = coordinator.post(page_url(rhi, "episode", "where"), data={
        "version": "1", "action": "continue", "where_went": "A park, then the bus station"})
    assert again.status_code == 302
    db.session.expire_all()
    assert engine.answers("interview", rhi.id)["where_went"].text_value == "A park, then the bus station"

    # A different section, loaded before any of this, saves without a conflict.
    other = coordinator.post(page_url(rhi, "safety", "places"), data={
        "version": "0", "action": "continue", "safe_places": "Their nan's house"})
    assert other.status_code == 302


# --- Autosave and the idle timeout ------------------------------------------------------------


def autosave(client, rhi, section, page, data, **headers):
    return client.post(f"/rhis/{rhi.id}/autosave?section={section}&page={page}", data=data,
                       headers={"Accept": "application/json", **headers})


def test_autosave_saves_a_draft_and_returns_the_new_version(client_for, rhi):
    interviewer = client_for("interviewer")
    response = autosave(interviewer, rhi, "episode", "where", {"version": "0", "where_went": "Half a sentence"})
    assert response.status_code == 200
    assert response.json == {"status": "saved", "version": 1, "changed": True, "activity": True, "errors": {}}
    assert engine.answers("interview", rhi.id)["where_went"].text_value == "Half a sentence"
    # What was autosaved is not a conflict for the page's own save that follows.
    response = interviewer.post(page_url(rhi, "episode", "where"), data={"version": "1", "action": "continue", "where_went": "Half a sentence, finished"})
    assert response.status_code == 302


def test_autosave_keeps_what_is_valid_and_reports_the_rest(client_for, rhi):
    response = autosave(client_for("interviewer"), rhi, "interview", "when_where", {
        "version": "0", "place": "The café", "held_at-day": "31", "held_at-month": "2", "held_at-year": "2026", "held_at-time": "10:00"})
    assert response.json["status"] == "partly_saved"
    assert response.json["errors"] == {"held_at": "The date and time must be a real date"}
    assert engine.answers("interview", rhi.id)["place"].text_value == "The café"


def test_autosave_counts_as_activity_only_when_text_changed(client_for, rhi):
    interviewer = client_for("interviewer")
    long_ago = time.time() - 600
    with interviewer.session_transaction() as session:
        session["last_active"] = long_ago
    autosave(interviewer, rhi, "episode", "harm", {"version": "0", "hurt": "no"})
    with interviewer.session_transaction() as session:
        assert session["last_active"] == long_ago
    autosave(interviewer, rhi, "episode", "harm", {"version": "1", "hurt": "no", "harm_details": "Nothing"})
    with interviewer.session_transaction() as session:
        assert session["last_active"] > long_ago


def test_an_autosave_in_a_section_someone_else_changed_is_refused_with_both_versions(client_for, rhi):
    client_for("coordinator").post(page_url(rhi, "episode", "where"), data={"version": "0", "action": "continue", "where_went": "Theirs"})
    response = autosave(client_for("interviewer"), rhi, "episode", "where", {"version": "0", "where_went": "Mine"})
    assert response.status_code == 409
    assert response.json["status"] == "conflict"
    assert (response.json["theirVersion"], response.json["yourVersion"]) == (1, 0)


def expire(client):
    with client.session_transaction() as session:
        session["last_active"] = time.time() - 31 * 60


def test_an_autosave_after_the_session_expired_says_401_with_a_sign_in_link(client_for, rhi):
    interviewer = client_for("interviewer")
    expire(interviewer)
    response = autosave(interviewer, rhi, "episode", "where", {"version": "0", "where_went": "Typed late"})
    assert response.status_code == 401
    assert response.json == {"status": "signed_out", "sign_in_url": "/sign-in"}
    assert engine.answers("interview", rhi.id) == {}
    # Signed out, a fresh token is not given...
    assert interviewer.get("/session-token", headers={"Accept": "application/json"}).status_code == 401


def test_a_signed_in_page_can_fetch_a_fresh_token(client_for):
    response = client_for("interviewer").get("/session-token", headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.json["token"]


def test_a_save_after_the_session_expired_comes_back_with_what_was_typed(client_for, rhi, child):
    interviewer = client_for("interviewer")
    expire(interviewer)
    words = "They stayed at a house on a street they did not know."
    response = interviewer.post(page_url(rhi, "episode", "where"), headers=ORIGIN, data={
        "version": "0", "action": "continue", "where_went": words, "who_with__no_answer": "not_asked"})
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("textarea#where_went").get_text() == words
    assert page.select_one("input[name=who_with__no_answer][value=not_asked]").has_attr("checked")
    assert "Sign in again in a new tab" in page.select_one("#rescued").get_text()
    assert page.select_one("#rescued a")["target"] == "_blank"
    # Nothing from the record is shown to a signed-out page, and nothing was saved.
    assert child.last_name not in page.get_text()
    assert engine.answers("interview", rhi.id) == {}


def test_a_post_from_another_site_is_not_echoed_back(client_for, rhi):
    interviewer = client_for("interviewer")
    expire(interviewer)
    response = interviewer.post(page_url(rhi, "episode", "where"), headers={"Origin": "https://elsewhere.example"},
                                data={"version": "0", "where_went": "Injected"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_signed_in_again_elsewhere_a_stale_form_comes_back_to_save_again(app, client_for, rhi):
    interviewer = client_for("interviewer")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = interviewer.post(page_url(rhi, "episode", "where"), headers=ORIGIN, data={
            "csrf_token": "stale", "version": "0", "action": "continue", "where_went": "Kept words"})
        assert response.status_code == 200
        page = soup(response)
        assert "You are signed in again" in page.select_one("#rescued").get_text()
        assert page.select_one("textarea#where_went").get_text() == "Kept words"
        fresh = page.select_one("input[name=csrf_token]")["value"]
        assert fresh != "stale"
        saved = interviewer.post(page_url(rhi, "episode", "where"), headers=ORIGIN, data={
            "csrf_token": fresh, "version": "0", "action": "continue", "where_went": "Kept words"})
        assert saved.status_code == 302
        # Without an origin of our own, a stale token is simply refused.
        refused = interviewer.post(page_url(rhi, "episode", "where"), data={"csrf_token": "stale", "where_went": "x"})
        assert refused.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert engine.answers("interview", rhi.id)["where_went"].text_value == "Kept words"


def test_a_stale_token_on_autosave_says_so_in_json(app, client_for, rhi):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = autosave(client_for("interviewer"), rhi, "episode", "where", {"version": "0", "where_went": "x"}, **{"X-CSRFToken": "stale"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert response.json == {"status": "stale_token"}


# --- Consent ----------------------------------------------------------------------------------


def test_the_consent_section_records_consent_rows_that_sharing_reads(client_for, rhi):
    interviewer = client_for("interviewer")
    interviewer.post(page_url(rhi, "consent", "share_police"), data={"version": "0", "action": "continue", "consent_police": "refused"})
    assert consent.may_share(rhi, "police") is False
    row = db.session.execute(select(Consent).where(Consent.return_interview_id == rhi.id, Consent.purpose == "police")).scalar_one()
    assert row.given is False and row.recorded_at is not None
    interviewer.post(page_url(rhi, "consent", "share_police"), data={
        "version": "1", "action": "continue", "consent_police": "refused", "rationale_police": "A known adult is exploiting them."})
    assert consent.may_share(rhi, "police") is True
    assert consent.shared_without_consent(rhi, "police") == "A known adult is exploiting them."
    interviewer.post(page_url(rhi, "consent", "share_school"), data={"version": "2", "action": "continue", "consent_school": "given"})
    assert consent.may_share(rhi, "school") is True
    assert consent.may_share(rhi, "health") is False  # not recorded: no


# --- Check answers and submit -----------------------------------------------------------------


def test_check_answers_shows_not_provided_and_change_links_return_to_it(client_for, rhi):
    interviewer = client_for("interviewer")
    interviewer.post(page_url(rhi, "episode", "where"), data={"version": "0", "action": "continue", "where_went": "The beach"})
    page = soup(interviewer.get(f"/rhis/{rhi.id}/check-answers"))
    assert page.h1.get_text(strip=True) == "Check your answers before submitting"
    rows = {r.select_one(".govuk-summary-list__key").get_text(strip=True): r for r in page.select(".govuk-summary-list__row")}
    assert rows["Where did they go, and where did they stay?"].select_one(".govuk-summary-list__value").get_text(strip=True) == "The beach"
    assert rows["Who were they with?"].select_one(".govuk-summary-list__value").get_text(strip=True) == "Not provided"
    change = rows["Who were they with?"].select_one("a")["href"]
    assert change == page_url(rhi, "episode", "where", return_to="check")
    back = interviewer.post(change, data={"version": "1", "action": "continue", "where_went": "The beach", "who_with": "Alone"})
    assert back.headers["Location"] == f"/rhis/{rhi.id}/check-answers"
    assert page.select("#submission-problems a")


def test_submitting_locks_the_answers(client_for, rhi, users):
    interviewer = client_for("interviewer")
    held_at = complete_interview(interviewer, rhi)
    page = soup(interviewer.get(f"/rhis/{rhi.id}/check-answers"))
    assert not page.select("#submission-problems")
    response = interviewer.post(f"/rhis/{rhi.id}/submit")
    assert response.headers["Location"] == f"/rhis/{rhi.id}/submit"
    assert rhi.status == SUBMITTED and rhi.submitted_by_id == users["interviewer"].id and rhi.submitted_at
    assert rhi.held_at == held_at.replace(second=0, microsecond=0)
    assert rhi.held_by_due is True
    assert "Interview submitted" in soup(interviewer.get(f"/rhis/{rhi.id}/submit")).get_text()
    # Pressed again: nothing more happens.
    assert interviewer.post(f"/rhis/{rhi.id}/submit").status_code == 302
    assert audit_actions(rhi).count("rhi_submitted") == 1
    # The answers are locked: saves and autosaves are refused and change nothing.
    before = engine.answers("interview", rhi.id)["where_went"].text_value
    refused = interviewer.post(page_url(rhi, "episode", "where"), data={"version": "9", "action": "continue", "where_went": "Changed"})
    assert refused.headers["Location"] == f"/rhis/{rhi.id}/addenda"
    assert autosave(interviewer, rhi, "episode", "where", {"version": "9", "where_went": "Changed"}).status_code == 409
    db.session.expire_all()
    assert engine.answers("interview", rhi.id)["where_went"].text_value == before
    submitted = soup(interviewer.get(f"/rhis/{rhi.id}/check-answers"))
    assert submitted.h1.get_text(strip=True) == "The submitted interview"
    assert not submitted.select(".govuk-summary-list__actions a")


def test_an_interview_held_late_needs_the_reason(client_for, child, users):
    late_rhi = factories.rhi(child, users["interviewer"], found_at=datetime.now(timezone.utc) - timedelta(hours=100),
                             status="interview_arranged")
    interviewer = client_for("interviewer")
    complete_interview(interviewer, late_rhi, held_at=datetime.now(timezone.utc) - timedelta(hours=2))
    page = soup(interviewer.get(f"/rhis/{late_rhi.id}/check-answers"))
    assert page.select_one("input[name=late_reason]")
    refused = interviewer.post(f"/rhis/{late_rhi.id}/submit")
    assert refused.status_code == 200
    assert "Select why the interview was not held within 72 hours" in soup(refused).select_one(".govuk-error-summary").get_text()
    assert late_rhi.status != SUBMITTED
    done = interviewer.post(f"/rhis/{late_rhi.id}/submit", data={"late_reason": "child_not_available"})
    assert done.status_code == 302
    assert late_rhi.held_by_due is False and late_rhi.late_reason == "child_not_available"


def test_corrections_after_submission_are_addenda(client_for, rhi, users):
    interviewer = client_for("interviewer")
    complete_interview(interviewer, rhi)
    interviewer.post(f"/rhis/{rhi.id}/submit")
    words = "They also mentioned a second address on the estate."
    first = interviewer.post(f"/rhis/{rhi.id}/addenda", data={"text": words})
    interviewer.post(f"/rhis/{rhi.id}/addenda", data={"text": words})  # a double click
    assert first.status_code == 302
    rows = db.session.execute(select(Addendum).where(Addendum.return_interview_id == rhi.id)).scalars().all()
    assert len(rows) == 1 and rows[0].written_by_id == users["interviewer"].id and rows[0].written_at
    raw = db.session.execute(text("SELECT text FROM addenda")).scalar_one()
    assert "second address" not in raw  # encrypted
    page = soup(interviewer.get(f"/rhis/{rhi.id}/check-answers"))
    assert words in page.select_one("#addenda").get_text()
    assert users["interviewer"].full_name in page.select_one("#addenda").get_text()
    assert "rhi_addendum_added" in audit_actions(rhi)
    too_long = interviewer.post(f"/rhis/{rhi.id}/addenda", data={"text": "z" * 20001})
    assert "you have 20,001" in soup(too_long).select_one("#text-error").get_text()


def test_addenda_are_only_for_submitted_interviews(client_for, rhi):
    response = client_for("interviewer").post(f"/rhis/{rhi.id}/addenda", data={"text": "Early"})
    assert response.status_code == 302
    assert db.session.execute(select(Addendum)).first() is None


# --- Sign-off ---------------------------------------------------------------------------------


def test_only_managers_sign_off_and_it_is_recorded(client_for, rhi, users):
    interviewer = client_for("interviewer")
    complete_interview(interviewer, rhi)
    interviewer.post(f"/rhis/{rhi.id}/submit")
    for role in ("interviewer", "coordinator"):
        assert client_for(role).get("/sign-off").status_code == 403
        assert client_for(role).post(f"/rhis/{rhi.id}/sign-off").status_code == 403
    manager = client_for("manager")
    listing = soup(manager.get("/sign-off"))
    assert listing.select_one(f"#to-sign-off a[href='/rhis/{rhi.id}/sign-off']")
    assert "The child talked about where went." in soup(manager.get(f"/rhis/{rhi.id}/sign-off")).get_text()
    response = manager.post(f"/rhis/{rhi.id}/sign-off")
    assert response.headers["Location"] == "/sign-off"
    assert rhi.signed_off_by_id == users["manager"].id and rhi.signed_off_at is not None
    manager.post(f"/rhis/{rhi.id}/sign-off")
    assert audit_actions(rhi).count("rhi_signed_off") == 1
    assert "There are no submitted interviews waiting" in soup(manager.get("/sign-off")).get_text()


def test_a_manager_does_not_sign_off_their_own_interview(client_for, child, users):
    own = factories.rhi(child, users["manager"], status="interview_arranged")
    manager = client_for("manager")
    complete_interview(manager, own)
    manager.post(f"/rhis/{own.id}/submit")
    assert "another manager needs to sign it off" in soup(manager.get(f"/rhis/{own.id}/sign-off")).get_text()
    manager.post(f"/rhis/{own.id}/sign-off")
    assert own.signed_off_at is None


# --- The social worker's copy -----------------------------------------------------------------


def pdf_text(response) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_the_social_workers_copy_is_a_pdf_of_what_the_child_agreed_to_share(client_for, rhi):
    interviewer = client_for("interviewer")
    complete_interview(interviewer, rhi)
    interviewer.post(f"/rhis/{rhi.id}/submit")
    response = interviewer.get(f"/rhis/{rhi.id}/social-worker-copy.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"rhi-{rhi.id}-social-worker-copy.pdf" in response.headers["Content-Disposition"]
    text = pdf_text(response)
    assert "The child talked about where went." in text
    assert "Did you explain who the information" not in text  # the consent section is not copied
    assert "rhi_social_worker_copy_made" in audit_actions(rhi)


def test_no_copy_for_the_social_worker_without_consent_or_a_reason(client_for, rhi):
    interviewer = client_for("interviewer")
    complete_interview(interviewer, rhi, sharing="refused")
    interviewer.post(f"/rhis/{rhi.id}/submit")
    assert consent.may_share(rhi, "social_worker") is False
    page = soup(interviewer.get(f"/rhis/{rhi.id}/social-worker-copy"))
    assert page.select_one("#not-shared")
    assert "The child talked about" not in page.get_text()
    response = interviewer.get(f"/rhis/{rhi.id}/social-worker-copy.pdf")
    assert response.status_code == 302
    assert "rhi_social_worker_copy_made" not in audit_actions(rhi)


def test_a_copy_shared_to_keep_the_child_safe_says_so(client_for, rhi):
    interviewer = client_for("interviewer")
    complete_interview(interviewer, rhi, sharing="refused")
    version = engine.section_version("interview", rhi.id, "consent")
    interviewer.post(page_url(rhi, "consent", "share_social_worker", return_to="check"), data={
        "version": str(version), "action": "continue", "consent_social_worker": "refused",
        "rationale_social_worker": "They disclosed harm at home."})
    interviewer.post(f"/rhis/{rhi.id}/submit")
    text = pdf_text(interviewer.get(f"/rhis/{rhi.id}/social-worker-copy.pdf"))
    assert "They disclosed harm at home." in text and "did not agree" in text


def test_the_copy_waits_for_submission(client_for, rhi):
    assert client_for("interviewer").get(f"/rhis/{rhi.id}/social-worker-copy").status_code == 404


# --- Who may do what --------------------------------------------------------------------------


def test_interviewers_work_only_on_their_own_rhis(app, client_for, orgs, child, rhi):
    other = factories.user("interviewer", orgs["home"])
    client = sign_in_client(app, other)
    assert client.get(f"/rhis/{rhi.id}/interview").status_code == 404
    assert client.post(page_url(rhi, "episode", "where"), data={"version": "0", "where_went": "x"}).status_code == 404
    assert autosave(client, rhi, "episode", "where", {"version": "0", "where_went": "x"}).status_code == 404
    assert client_for("coordinator").get(f"/rhis/{rhi.id}/interview").status_code == 200


def test_other_organisations_get_not_found_and_other_roles_are_refused(app, client_for, orgs, rhi):
    stranger = sign_in_client(app, factories.user("coordinator", orgs["other_la"]))
    assert stranger.get(f"/rhis/{rhi.id}/interview").status_code == 404
    assert stranger.get(f"/rhis/{rhi.id}/check-answers").status_code == 404
    for role in ("police", "placing_authority", "admin"):
        client = client_for(role)
        assert client.get(f"/rhis/{rhi.id}/interview").status_code == 403
        assert client.get(f"/rhis/{rhi.id}/social-worker-copy.pdf").status_code == 403
        assert client.get("/sign-off").status_code == 403


def test_unknown_sections_and_pages_are_not_found(client_for, rhi):
    interviewer = client_for("interviewer")
    assert interviewer.get(page_url(rhi, "gossip", "where")).status_code == 404
    assert interviewer.get(page_url(rhi, "episode", "nowhere")).status_code == 404


def test_free_text_answers_for_tagging(client_for, rhi):
    interviewer = client_for("interviewer")
    interviewer.post(page_url(rhi, "episode", "where"), data={"version": "0", "action": "continue", "where_went": "The old mill"})
    interviewer.post(page_url(rhi, "consent", "share_police"), data={"version": "0", "action": "continue",
                                                                    "consent_police": "refused", "rationale_police": "Reason"})
    found = engine.rhi_free_text(rhi)
    assert engine.FreeText("where_went", "The old mill") in found
    assert all(f.question_code != "rationale_police" for f in found)


def _earlier_rhi(child, interviewer, status="submitted", words="She stayed with a friend from school."):
    found = datetime.now(timezone.utc) - timedelta(days=40)
    earlier = factories.rhi(child, interviewer, found_at=found, status="in_progress")
    definition = schema.get("interview")
    engine.save_values(definition, "episode", {definition.question("where_went"): engine.Value(words)}, earlier, interviewer, 0)
    earlier.status = status
    earlier.submitted_at = found + timedelta(days=1) if status == "submitted" else None
    db.session.flush()
    return earlier


def test_an_interviewer_reads_the_childs_earlier_rhis_to_prepare(client_for, orgs, child, rhi):
    colleague = factories.user("interviewer", orgs["home"])
    earlier = _earlier_rhi(child, colleague)
    interviewer = client_for("interviewer")
    record = soup(interviewer.get(f"/children/{child.id}"))
    link = record.select_one(f'#child-rhis a[href="/rhis/{earlier.id}/earlier"]')
    assert link is not None
    page = soup(interviewer.get(f"/rhis/{earlier.id}/earlier"))
    assert "She stayed with a friend from school." in page.get_text()
    assert not page.select("main form[method=post]") and not page.find("a", string="Change")
    assert "rhi_earlier_viewed" in audit_actions(earlier)
    # their own current RHI is not "earlier", and others' open RHIs stay closed to them
    assert interviewer.get(f"/rhis/{rhi.id}/earlier").status_code == 404


def test_earlier_rhis_stay_closed_without_a_current_rhi_for_that_child(client_for, orgs, rhi):
    colleague = factories.user("interviewer", orgs["home"])
    someone_else = factories.child(orgs["home"], "Sky", "Otherton")
    earlier = _earlier_rhi(someone_else, colleague)
    assert client_for("interviewer").get(f"/rhis/{earlier.id}/earlier").status_code == 404
    assert client_for("coordinator").get(f"/rhis/{earlier.id}/earlier").status_code == 200


def test_an_earlier_declined_rhi_says_no_interview_was_held(client_for, orgs, child, rhi):
    earlier = _earlier_rhi(child, factories.user("interviewer", orgs["home"]), status="declined")
    page = soup(client_for("interviewer").get(f"/rhis/{earlier.id}/earlier"))
    assert page.select_one("#no-interview") is not None
    assert "She stayed with a friend" not in page.get_text()
