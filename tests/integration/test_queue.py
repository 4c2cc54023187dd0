"""The worker's queue, contact attempts, the decline and its letter, by role."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from rhi_service.extensions import db
from rhi_service.models.audit import AuditEvent
from rhi_service.models.interviews import ContactAttempt, ReturnInterview
from tests import factories
from tests.conftest import soup

LONDON = ZoneInfo("Europe/London")


def now():
    return datetime.now(timezone.utc).replace(second=0, microsecond=0)


def parts(name, when):
    local = when.astimezone(LONDON)
    return {f"{name}-day": str(local.day), f"{name}-month": str(local.month), f"{name}-year": str(local.year),
            f"{name}-time": local.strftime("%H:%M")}


def attempt_data(when=None, **overrides):
    data = parts("attempted_at", when or now() - timedelta(minutes=5)) | {
        "method": "phone", "with_whom": "child", "outcome": "no_answer", "note": "Rang, no answer",
    }
    data.update(overrides)
    return data


def audit_rows():
    return db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()


@pytest.fixture
def mine(orgs, users):
    return factories.rhi(factories.child(orgs["home"], "Robin", preferred_name=None), users["interviewer"])


# --- the queue ------------------------------------------------------------------------------------

def test_interviewer_sees_only_their_own_rhis_soonest_due_first(client_for, orgs, users):
    other = factories.user("interviewer", orgs["home"])
    later = factories.rhi(factories.child(orgs["home"], "Later"), users["interviewer"], found_at=now() - timedelta(hours=2))
    sooner = factories.rhi(factories.child(orgs["home"], "Sooner"), users["interviewer"], found_at=now() - timedelta(hours=66, minutes=30))
    factories.rhi(factories.child(orgs["home"], "Someone"), other)
    factories.rhi(factories.child(orgs["home"], "Nobody"), None)
    page = soup(client_for("interviewer").get("/my-rhis"))
    assert page.h1.get_text() == "My Return Home Interviews"
    rows = page.select("table.rhi-queue tbody tr")
    assert [r.a.get_text() for r in rows] == [sooner.child.display_name, later.child.display_name]
    assert "Due in 5 hours" in rows[0].get_text() and "Due soon" in rows[0].get_text()
    assert "Awaiting contact" in rows[0].get_text()


def test_overdue_rhi_says_so_in_words(client_for, orgs, users):
    factories.rhi(factories.child(orgs["home"]), users["interviewer"], found_at=now() - timedelta(hours=97))
    text = soup(client_for("interviewer").get("/my-rhis")).select_one("table.rhi-queue tbody tr").get_text()
    assert "Overdue by 1 day" in text and "Overdue" in text


def test_empty_queue_says_what_will_appear(client_for):
    assert "You have no RHIs to do" in soup(client_for("interviewer").get("/my-rhis")).get_text()


def test_completed_rhis_are_on_their_own_tab(client_for, orgs, users, mine):
    factories.rhi(factories.child(orgs["home"], "Done"), users["interviewer"], status="declined")
    page = soup(client_for("interviewer").get("/my-rhis?show=completed"))
    assert [r.a.get_text().split()[0] for r in page.select("table.rhi-queue tbody tr")] == ["Done"]


def test_placing_authority_rhis_stay_out_of_the_queue(client_for, orgs, users):
    factories.rhi(factories.child(orgs["home"], "Placed", placing_authority_id=orgs["placing"].id), users["interviewer"],
                  conducted_by="placing_authority")
    assert not soup(client_for("interviewer").get("/my-rhis")).select("table.rhi-queue")


def test_interviewers_first_page_and_navigation_are_the_queue(client_for):
    interviewer = client_for("interviewer")
    assert interviewer.get("/").headers["Location"].endswith("/my-rhis")
    nav = soup(interviewer.get("/my-rhis")).select(".govuk-service-navigation__item a")
    assert nav[0]["href"] == "/my-rhis"


@pytest.mark.parametrize("role", ["police", "placing_authority", "admin"])
def test_other_roles_are_refused_every_rhi_page(client_for, mine, role):
    viewer = client_for(role)
    for path in ("/my-rhis", "/rhis", f"/rhis/{mine.id}", f"/rhis/{mine.id}/attempts/new", f"/rhis/{mine.id}/decline",
                 f"/rhis/{mine.id}/decline-letter.pdf"):
        assert viewer.get(path).status_code == 403, path


def test_another_interviewers_rhi_is_not_found(client_for, orgs):
    theirs = factories.rhi(factories.child(orgs["home"]), factories.user("interviewer", orgs["home"]))
    interviewer = client_for("interviewer")
    for path in (f"/rhis/{theirs.id}", f"/rhis/{theirs.id}/attempts/new", f"/rhis/{theirs.id}/decline",
                 f"/rhis/{theirs.id}/arrange", f"/rhis/{theirs.id}/parent-carer"):
        assert interviewer.get(path).status_code == 404, path
    assert interviewer.post(f"/rhis/{theirs.id}/attempts/new", data=attempt_data()).status_code == 404
    assert interviewer.get(f"/children/{theirs.child_id}").status_code == 404


def test_another_organisations_rhi_is_not_found_even_for_a_coordinator(client_for, orgs):
    elsewhere = factories.rhi(factories.child(orgs["other_la"]), None)
    assert client_for("coordinator").get(f"/rhis/{elsewhere.id}").status_code == 404
    assert client_for("coordinator").get(f"/rhis/{elsewhere.id}/assign").status_code == 404


def test_interviewer_may_not_assign_or_see_the_whole_list(client_for, mine):
    interviewer = client_for("interviewer")
    assert interviewer.get("/rhis").status_code == 403
    assert interviewer.get(f"/rhis/{mine.id}/assign").status_code == 403
    assert interviewer.get(f"/rhis/{mine.id}/reopen").status_code == 403


def test_rhi_page_shows_the_child_episodes_clock_and_actions(client_for, mine):
    factories.contact_attempt(mine, "letter", "no_reply", note="Hand delivered")
    response = client_for("interviewer").get(f"/rhis/{mine.id}")
    page = soup(response)
    assert page.h1.get_text() == mine.child.display_name
    assert len(page.select("#episodes tbody tr")) == 1
    assert "Hand delivered" in page.select_one("#attempts").get_text()
    assert page.find("a", string="Log a contact attempt")
    assert "1 has been logged" in page.select_one("#decline-not-yet").get_text()
    assert audit_rows()[-1].action == "rhi_viewed"
    assert page.find("a", href=f"/children/{mine.child_id}")
    assert client_for("interviewer").get(f"/children/{mine.child_id}").status_code == 200


# --- coordinators: the whole list, filters, assigning ----------------------------------------------

def test_coordinator_filters_by_interviewer_status_and_unassigned(client_for, orgs, users):
    a = factories.rhi(factories.child(orgs["home"], "Alpha"), users["interviewer"])
    b = factories.rhi(factories.child(orgs["home"], "Bravo"), None)
    c = factories.rhi(factories.child(orgs["home"], "Charlie"), users["coordinator"], status="contact_attempted")
    factories.rhi(factories.child(orgs["other_la"], "Elsewhere"), None)
    coordinator = client_for("coordinator")

    def names(query=""):
        page = soup(coordinator.get(f"/rhis{query}"))
        return sorted(r.a.get_text().split()[0] for r in page.select("table.rhi-queue tbody tr"))

    assert names() == ["Alpha", "Bravo", "Charlie"]
    assert names("?interviewer=unassigned") == ["Bravo"]
    assert names(f"?interviewer={users['interviewer'].id}") == ["Alpha"]
    assert names("?status=contact_attempted") == ["Charlie"]
    assert names("?interviewer=not-a-uuid") == []
    page = soup(coordinator.get("/rhis?status=declined"))
    assert "No RHIs match these filters" in page.get_text()
    assert a and b and c


def test_coordinator_filters_to_overdue_only(client_for, orgs, users):
    factories.rhi(factories.child(orgs["home"], "Late"), None, found_at=now() - timedelta(hours=80))
    factories.rhi(factories.child(orgs["home"], "Later"), users["interviewer"], found_at=now() - timedelta(hours=100),
                  conducted_by="placing_authority")
    factories.rhi(factories.child(orgs["home"], "Early"), None, found_at=now() - timedelta(hours=10))
    factories.rhi(factories.child(orgs["home"], "Done"), None, found_at=now() - timedelta(hours=90), status="submitted")
    factories.rhi(factories.child(orgs["other_la"], "Elsewhere"), None, found_at=now() - timedelta(hours=90))
    coordinator = client_for("coordinator")

    def names(query=""):
        page = soup(coordinator.get(f"/rhis{query}"))
        return sorted(r.a.get_text().split()[0] for r in page.select("table.rhi-queue tbody tr"))

    assert names() == ["Early", "Late"]
    assert names("?overdue=yes") == ["Late"]
    assert names("?overdue=yes&status=all") == ["Late"]
    assert names("?overdue=yes&conducted_by=placing_authority") == ["Later"]
    page = soup(coordinator.get("/rhis?overdue=yes"))
    box = page.select_one("form.rhi-filter input#overdue[type=checkbox][name=overdue]")
    assert box is not None and box.has_attr("checked")
    assert page.find("label", attrs={"for": "overdue"}).get_text(strip=True) == "Overdue only"
    assert not soup(coordinator.get("/rhis")).select_one("input#overdue").has_attr("checked")
    assert "No RHIs match these filters" in soup(coordinator.get("/rhis?overdue=yes&status=submitted")).get_text()
    # Today's "see all overdue" goes to this list
    assert soup(coordinator.get("/today")).find("a", href="/rhis?overdue=yes&sort=due")


def test_coordinator_list_sorts_by_child_and_pages(client_for, orgs, users):
    for number in range(27):
        factories.rhi(factories.child(orgs["home"], "Kid", last_name=f"Name{number:02d}"), None)
    coordinator = client_for("coordinator")
    first = soup(coordinator.get("/rhis?sort=child"))
    rows = first.select("table.rhi-queue tbody tr")
    assert len(rows) == 25 and rows[0].a.get_text() == "Kid Name00"
    assert first.select_one(".govuk-pagination")
    second = soup(coordinator.get("/rhis?sort=child&page=2"))
    assert [r.a.get_text() for r in second.select("table.rhi-queue tbody tr")] == ["Kid Name25", "Kid Name26"]


def test_coordinator_assigns_an_interviewer_and_may_assign_themselves(client_for, users, orgs):
    rhi = factories.rhi(factories.child(orgs["home"]), None)
    coordinator = client_for("coordinator")
    page = soup(coordinator.get(f"/rhis/{rhi.id}/assign"))
    labels = [label.get_text(strip=True) for label in page.select(".govuk-radios__label")]
    assert any(label.endswith("(you)") for label in labels)
    assert not any("Police" in label or "Administrator" in label for label in labels)
    response = coordinator.post(f"/rhis/{rhi.id}/assign", data={"interviewer_id": str(users["interviewer"].id)})
    assert response.status_code == 302
    db.session.refresh(rhi)
    assert rhi.interviewer_id == users["interviewer"].id
    row = audit_rows()[-1]
    assert row.action == "rhi_assigned" and row.record_ids["interviewer"] == str(users["interviewer"].id)
    coordinator.post(f"/rhis/{rhi.id}/assign", data={"interviewer_id": str(users["coordinator"].id)})
    db.session.refresh(rhi)
    assert rhi.interviewer_id == users["coordinator"].id
    assert soup(coordinator.get("/my-rhis")).select("table.rhi-queue tbody tr")


def test_assigning_someone_outside_our_organisation_is_refused(client_for, orgs):
    rhi = factories.rhi(factories.child(orgs["home"]), None)
    stranger = factories.user("interviewer", orgs["other_la"])
    response = client_for("coordinator").post(f"/rhis/{rhi.id}/assign", data={"interviewer_id": str(stranger.id)})
    assert response.status_code == 200
    assert soup(response).select_one("#interviewer_id-error")
    db.session.refresh(rhi)
    assert rhi.interviewer_id is None


def test_assign_without_a_choice_shows_the_error_by_the_field(client_for, orgs):
    rhi = factories.rhi(factories.child(orgs["home"]), None)
    page = soup(client_for("coordinator").post(f"/rhis/{rhi.id}/assign", data={}))
    assert "Select who will do this RHI" in page.select_one("#interviewer_id-error").get_text()
    assert page.title.get_text().startswith("Error: ")


# --- contact attempts ---------------------------------------------------------------------------

def test_logging_an_attempt_moves_status_and_count_in_one_go(client_for, mine):
    interviewer = client_for("interviewer")
    form = soup(interviewer.get(f"/rhis/{mine.id}/attempts/new"))
    token = form.select_one("input[name=token]")["value"]
    response = interviewer.post(f"/rhis/{mine.id}/attempts/new", data=attempt_data(token=token))
    assert response.status_code == 302
    db.session.refresh(mine)
    assert mine.status == "contact_attempted" and mine.attempt_count == 1
    attempt = db.session.execute(select(ContactAttempt)).scalar_one()
    assert attempt.note == "Rang, no answer"
    row = audit_rows()[-1]
    assert row.action == "contact_attempt_logged"
    assert set(row.record_ids) == {"child", "rhi", "attempt"}


def test_a_double_submitted_attempt_is_logged_once(client_for, mine):
    interviewer = client_for("interviewer")
    token = soup(interviewer.get(f"/rhis/{mine.id}/attempts/new")).select_one("input[name=token]")["value"]
    first = interviewer.post(f"/rhis/{mine.id}/attempts/new", data=attempt_data(token=token))
    second = interviewer.post(f"/rhis/{mine.id}/attempts/new", data=attempt_data(token=token))
    assert first.status_code == second.status_code == 302
    db.session.refresh(mine)
    assert mine.attempt_count == 1
    assert db.session.query(ContactAttempt).count() == 1


def test_attempt_errors_sit_next_to_each_field_and_keep_what_was_typed(client_for, mine):
    response = client_for("interviewer").post(f"/rhis/{mine.id}/attempts/new",
                                              data={"note": "Typed before the error", "attempted_at-day": "31",
                                                    "attempted_at-month": "2", "attempted_at-year": "2026", "attempted_at-time": "10:00"})
    page = soup(response)
    assert "Select what happened" in page.select_one("#outcome-error").get_text()
    assert "Select how you tried to contact them" in page.select_one("#method-error").get_text()
    assert "Select who you tried to contact" in page.select_one("#with_whom-error").get_text()
    assert "must be a real date" in page.select_one("#attempted_at-error").get_text()
    assert page.select_one("textarea[name=note]").get_text() == "Typed before the error"
    assert page.select_one("#attempted_at-day")["value"] == "31"
    assert page.select_one(".govuk-error-summary a[href='#outcome']")
    assert db.session.query(ContactAttempt).count() == 0


def test_an_attempt_in_the_future_is_refused(client_for, mine):
    page = soup(client_for("interviewer").post(f"/rhis/{mine.id}/attempts/new", data=attempt_data(now() + timedelta(hours=2))))
    assert "must be in the past" in page.select_one("#attempted_at-error").get_text()


def test_an_attempt_before_they_were_found_is_refused(client_for, mine):
    page = soup(client_for("interviewer").post(f"/rhis/{mine.id}/attempts/new", data=attempt_data(mine.found_at - timedelta(hours=1))))
    assert "after they were found" in page.select_one("#attempted_at-error").get_text()


def test_a_note_over_the_limit_is_refused_with_the_count(client_for, mine):
    page = soup(client_for("interviewer").post(f"/rhis/{mine.id}/attempts/new", data=attempt_data(note="x" * 20005)))
    message = page.select_one("#note-error").get_text()
    assert "20,000 characters or fewer" in message and "20,005" in message and "5 too many" in message
    assert len(page.select_one("textarea[name=note]").get_text()) == 20005


def test_agreed_leads_to_arranging_the_interview(client_for, mine):
    interviewer = client_for("interviewer")
    response = interviewer.post(f"/rhis/{mine.id}/attempts/new", data=attempt_data(outcome="agreed"))
    assert response.headers["Location"].endswith(f"/rhis/{mine.id}/arrange")
    page = soup(interviewer.post(f"/rhis/{mine.id}/arrange", data={}))
    assert "Enter when the interview will be" in page.select_one("#arranged_for-error").get_text()
    assert "Enter where the interview will be" in page.select_one("#arranged_place-error").get_text()
    when = now() + timedelta(days=1)
    response = interviewer.post(f"/rhis/{mine.id}/arrange", data=parts("arranged_for", when) | {
        "arranged_place": "The youth centre", "arranged_with": "Their youth worker"})
    assert response.status_code == 302
    db.session.refresh(mine)
    assert mine.status == "interview_arranged" and mine.arranged_for == when and mine.arranged_place == "The youth centre"
    # Did not attend: back to making contact.
    interviewer.post(f"/rhis/{mine.id}/attempts/new", data=attempt_data(outcome="did_not_attend", method="visit"))
    db.session.refresh(mine)
    assert mine.status == "contact_attempted" and mine.attempt_count == 2


def test_no_attempts_on_a_placing_authoritys_rhi(client_for, orgs, users):
    theirs = factories.rhi(factories.child(orgs["home"], placing_authority_id=orgs["placing"].id), None, conducted_by="placing_authority")
    coordinator = client_for("coordinator")
    page = soup(coordinator.get(f"/rhis/{theirs.id}"))
    assert "the RHI is theirs to carry out" in page.get_text()
    assert not page.find("a", string="Log a contact attempt")
    assert coordinator.post(f"/rhis/{theirs.id}/attempts/new", data=attempt_data()).status_code == 302
    assert db.session.query(ContactAttempt).count() == 0


# --- the decline ----------------------------------------------------------------------------------

def test_decline_is_refused_before_the_rule_allows_it_with_the_reason(client_for, mine):
    factories.contact_attempt(mine, "phone", "no_answer")
    factories.contact_attempt(mine, "phone", "no_answer")
    interviewer = client_for("interviewer")
    page = soup(interviewer.get(f"/rhis/{mine.id}/decline"))
    assert "2 have been logged" in page.select_one("#decline-refused").get_text()
    assert not page.select("textarea")
    response = interviewer.post(f"/rhis/{mine.id}/decline", data={"reason": "Trying anyway"})
    assert "2 have been logged" in soup(response).select_one("#decline-refused").get_text()
    db.session.refresh(mine)
    assert mine.status == "contact_attempted" and mine.declined_at is None


def test_three_phone_calls_without_a_letter_are_refused_with_the_letter_reason(client_for, mine):
    for _ in range(3):
        factories.contact_attempt(mine, "phone", "no_answer")
    page = soup(client_for("interviewer").get(f"/rhis/{mine.id}/decline"))
    assert "must be a letter" in page.select_one("#decline-refused").get_text()


def test_decline_after_three_failed_attempts_closes_the_rhi_and_gives_the_letter(client_for, mine):
    factories.contact_attempt(mine, "phone", "no_answer")
    factories.contact_attempt(mine, "text", "no_reply")
    factories.contact_attempt(mine, "letter", "no_reply")
    interviewer = client_for("interviewer")
    page = soup(interviewer.post(f"/rhis/{mine.id}/decline", data={"reason": ""}))
    assert "Enter why the interview is declined" in page.select_one("#reason-error").get_text()
    response = interviewer.post(f"/rhis/{mine.id}/decline", data={"reason": "No reply to calls, a text or a letter"})
    assert response.headers["Location"].endswith(f"/rhis/{mine.id}/decline-letter")
    db.session.refresh(mine)
    assert mine.status == "declined" and mine.declined_at is not None and mine.decline_grounds == "no_contact"
    assert mine.held_by_due is False and mine.late_reason == "declined"
    assert mine.decline_reason == "No reply to calls, a text or a letter"
    # Sending it again does nothing more.
    again = interviewer.post(f"/rhis/{mine.id}/decline", data={"reason": "again"})
    assert again.status_code == 302
    assert [r.action for r in audit_rows()].count("rhi_declined") == 1


def test_refusal_by_the_child_may_be_declined_at_once_with_the_refusal_as_reason(client_for, mine):
    factories.contact_attempt(mine, "phone", "refused_by_child")
    interviewer = client_for("interviewer")
    page = soup(interviewer.get(f"/rhis/{mine.id}/decline"))
    assert page.select_one("textarea[name=reason]").get_text() == "Refused by the child"
    interviewer.post(f"/rhis/{mine.id}/decline", data={"reason": "Refused by the child"})
    db.session.refresh(mine)
    assert mine.status == "declined" and mine.decline_grounds == "refused_by_child"


def test_refusal_by_the_parent_may_be_declined_at_once(client_for, mine):
    factories.contact_attempt(mine, "phone", "refused_by_parent_carer", with_whom="parent_carer")
    client_for("interviewer").post(f"/rhis/{mine.id}/decline", data={"reason": "Refused by the parent or carer"})
    db.session.refresh(mine)
    assert mine.status == "declined" and mine.decline_grounds == "refused_by_parent_carer"


def test_a_council_setting_four_attempts_is_obeyed(app, client_for, mine, monkeypatch):
    monkeypatch.setitem(app.extensions["rhi_settings"], "decline_after_unsuccessful_attempts", 4)
    for method in ("phone", "text", "letter"):
        factories.contact_attempt(mine, method, "no_reply")
    page = soup(client_for("interviewer").get(f"/rhis/{mine.id}/decline"))
    assert "after 4 unsuccessful contact attempts" in page.select_one("#decline-refused").get_text()


def test_no_letter_needed_when_no_postal_address_is_known(client_for, orgs, users):
    rhi = factories.rhi(factories.child(orgs["home"], address=None), users["interviewer"])
    for _ in range(3):
        factories.contact_attempt(rhi, "phone", "no_answer")
    assert soup(client_for("interviewer").get(f"/rhis/{rhi.id}/decline")).select_one("textarea[name=reason]")


def declined(rhi):
    for method in ("phone", "text", "letter"):
        factories.contact_attempt(rhi, method, "no_reply")
    rhi.status = "declined"
    rhi.declined_at = now()
    rhi.decline_reason = "No reply"
    db.session.flush()
    return rhi


def test_decline_letter_page_has_our_details_and_the_helplines(client_for, mine):
    declined(mine)
    response = client_for("interviewer").get(f"/rhis/{mine.id}/decline-letter")
    text = soup(response).get_text()
    assert "116 000" in text and "0800 1111" in text
    assert "Northmoor Council Children's Services" in text and "07700 900100" in text
    assert "get in touch at any time" in text
    assert audit_rows()[-1].action == "decline_letter_viewed"


def test_decline_letter_pdf_has_ids_only_in_its_name_and_is_audited(client_for, mine):
    declined(mine)
    response = client_for("interviewer").get(f"/rhis/{mine.id}/decline-letter.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="rhi-decline-letter-{mine.id}.pdf"'
    row = audit_rows()[-1]
    assert row.action == "decline_letter_produced"
    assert row.record_ids == {"child": str(mine.child_id), "rhi": str(mine.id)}


def test_no_letter_for_an_rhi_that_is_not_declined(client_for, mine):
    assert client_for("interviewer").get(f"/rhis/{mine.id}/decline-letter").status_code == 404


def test_parent_carer_information_can_be_recorded_after_a_decline(client_for, mine):
    declined(mine)
    interviewer = client_for("interviewer")
    page = soup(interviewer.post(f"/rhis/{mine.id}/parent-carer", data={"information": ""}))
    assert page.select_one("#information-error")
    response = interviewer.post(f"/rhis/{mine.id}/parent-carer", data={"information": "Mum says friends at the park"})
    assert response.status_code == 302
    db.session.refresh(mine)
    assert mine.parent_carer_information == "Mum says friends at the park"
    stored = db.session.execute(text("SELECT parent_carer_information FROM return_interviews")).scalar_one()
    assert "park" not in stored
    assert "friends at the park" in soup(interviewer.get(f"/rhis/{mine.id}")).get_text()


def test_coordinator_reopens_a_declined_rhi(client_for, mine):
    declined(mine)
    coordinator = client_for("coordinator")
    assert coordinator.get(f"/rhis/{mine.id}/reopen").status_code == 200
    assert coordinator.post(f"/rhis/{mine.id}/reopen").status_code == 302
    db.session.refresh(mine)
    assert mine.status == "contact_attempted" and mine.declined_at is None and mine.held_by_due is None
    assert audit_rows()[-1].action == "rhi_reopened"
    # Back in the interviewer's queue.
    assert soup(client_for("interviewer").get("/my-rhis")).select("table.rhi-queue tbody tr")


# --- found creates the RHI ------------------------------------------------------------------------

def found_episode_data(missing_at, found_at):
    return (parts("reported_missing_at", missing_at) | parts("found_at", found_at)
            | {"missing_from": "care", "police_risk_grade": "medium"})


def test_recording_found_creates_the_rhi_due_72_hours_later(client_for, orgs):
    child = factories.child(orgs["home"])
    found = now() - timedelta(hours=3)
    response = client_for("coordinator").post(f"/children/{child.id}/episodes/new", data=found_episode_data(found - timedelta(hours=5), found))
    assert response.status_code == 302
    rhi = db.session.execute(select(ReturnInterview)).scalar_one()
    assert rhi.due_at == found + timedelta(hours=72) and rhi.conducted_by == "us" and rhi.status == "awaiting_contact"
    assert rhi.interviewer_id is None
    # The RHI's entry, then the episode's own as the transaction's last statement.
    assert [r.action for r in audit_rows()][-2:] == ["rhi_created", "episode_created"]
    row = audit_rows()[-2]
    assert set(row.record_ids) == {"child", "episode", "rhi"}


def test_found_again_before_the_interview_joins_the_open_rhi(client_for, orgs):
    child = factories.child(orgs["home"])
    rhi = factories.rhi(child, None, found_at=now() - timedelta(hours=40))
    factories.contact_attempt(rhi)
    found = now() - timedelta(hours=2)
    client_for("coordinator").post(f"/children/{child.id}/episodes/new", data=found_episode_data(found - timedelta(hours=8), found))
    assert db.session.query(ReturnInterview).count() == 1
    db.session.refresh(rhi)
    assert rhi.due_at == found + timedelta(hours=72) and len(rhi.episodes) == 2
    assert [r.action for r in audit_rows()][-2:] == ["rhi_episode_joined", "episode_created"]
    page = soup(client_for("coordinator").get(f"/rhis/{rhi.id}"))
    assert len(page.select("#episodes tbody tr")) == 2


@pytest.mark.parametrize("status", ["submitted", "declined"])
def test_found_again_after_a_complete_rhi_gets_a_new_one(client_for, orgs, status):
    child = factories.child(orgs["home"])
    factories.rhi(child, None, found_at=now() - timedelta(days=20), status=status)
    found = now() - timedelta(hours=2)
    client_for("coordinator").post(f"/children/{child.id}/episodes/new", data=found_episode_data(found - timedelta(hours=8), found))
    assert db.session.query(ReturnInterview).count() == 2


def test_adding_found_to_an_episode_then_correcting_it_moves_due(client_for, orgs):
    child = factories.child(orgs["home"])
    missing = now() - timedelta(hours=20)
    episode = factories.episode(child, reported_missing_at=missing)
    coordinator = client_for("coordinator")
    coordinator.post(f"/episodes/{episode.id}/edit", data=found_episode_data(missing, missing + timedelta(hours=4)))
    rhi = db.session.execute(select(ReturnInterview)).scalar_one()
    assert rhi.due_at == missing + timedelta(hours=76)
    coordinator.post(f"/episodes/{episode.id}/edit", data=found_episode_data(missing, missing + timedelta(hours=6)))
    db.session.refresh(rhi)
    assert rhi.due_at == missing + timedelta(hours=78) and rhi.found_at == missing + timedelta(hours=6)
    assert [r.action for r in audit_rows()][-2:] == ["rhi_due_changed", "episode_changed"]
    # Taking the found time away again would leave the RHI without a clock.
    page = soup(coordinator.post(f"/episodes/{episode.id}/edit", data=parts("reported_missing_at", missing) | {"missing_from": "care"}
                          | {f"found_at-{p}": "" for p in ("day", "month", "year", "time")}))
    assert "an RHI has been opened" in page.select_one("#found_at-error").get_text()


def test_found_for_a_child_placed_by_another_authority_is_theirs(client_for, orgs):
    child = factories.child(orgs["home"], placing_authority_id=orgs["placing"].id)
    found = now() - timedelta(hours=2)
    client_for("coordinator").post(f"/children/{child.id}/episodes/new", data=found_episode_data(found - timedelta(hours=8), found))
    rhi = db.session.execute(select(ReturnInterview)).scalar_one()
    assert rhi.conducted_by == "placing_authority"
    assert not soup(client_for("coordinator").get("/rhis")).select("table.rhi-queue")
    assert soup(client_for("coordinator").get("/rhis?conducted_by=placing_authority")).select("table.rhi-queue tbody tr")


def test_unless_we_carry_out_rhis_for_that_authority(app, client_for, orgs, monkeypatch):
    monkeypatch.setitem(app.extensions["rhi_settings"], "conduct_rhis_for_authorities", [orgs["placing"].name])
    child = factories.child(orgs["home"], placing_authority_id=orgs["placing"].id)
    found = now() - timedelta(hours=2)
    client_for("coordinator").post(f"/children/{child.id}/episodes/new", data=found_episode_data(found - timedelta(hours=8), found))
    assert db.session.execute(select(ReturnInterview)).scalar_one().conducted_by == "us"


def test_audit_rows_hold_ids_only(client_for, mine):
    interviewer = client_for("interviewer")
    interviewer.post(f"/rhis/{mine.id}/attempts/new", data=attempt_data(note="Spoke to Robin's aunt"))
    for row in audit_rows():
        for value in row.record_ids.values():
            assert "Robin" not in str(value)
    assert all(len(str(v)) == 36 for row in audit_rows() for v in row.record_ids.values())


def test_childs_page_lists_their_rhis_linking_only_to_those_the_viewer_may_open(client_for, orgs, users):
    child = factories.child(orgs["home"])
    old = factories.rhi(child, factories.user("interviewer", orgs["home"]), found_at=now() - timedelta(days=30), status="submitted")
    current = factories.rhi(child, users["interviewer"])
    page = soup(client_for("interviewer").get(f"/children/{child.id}"))
    links = [a["href"] for a in page.select("#child-rhis a")]
    # their own RHI to work on; a colleague's closed one read only, to prepare
    assert sorted(links) == sorted([f"/rhis/{current.id}", f"/rhis/{old.id}/earlier"])
    assert len(page.select("#child-rhis li")) == 2
    page = soup(client_for("coordinator").get(f"/children/{child.id}"))
    assert {a["href"] for a in page.select("#child-rhis a")} == {f"/rhis/{current.id}", f"/rhis/{old.id}"}
