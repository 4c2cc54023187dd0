from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from rhi_service.extensions import db
from rhi_service.models.audit import AuditEvent
from rhi_service.models.children import Child
from rhi_service.models.episodes import MissingEpisode
from tests import factories
from tests.conftest import soup

LONDON = ZoneInfo("Europe/London")


def child_data(**overrides):
    data = {
        "step": "save",
        "first_name": "Robin",
        "last_name": "Ashgrove",
        "date_of_birth-day": "14",
        "date_of_birth-month": "6",
        "date_of_birth-year": "2012",
        "sex": "male",
        "legal_status": "looked_after",
        "placing_authority_id": "",
        "address": "9 Sample Street, Testtown ZZ99 4CD",
    }
    data.update(overrides)
    return data


def datetime_parts(name, when: datetime):
    local = when.astimezone(LONDON)
    return {f"{name}-day": str(local.day), f"{name}-month": str(local.month), f"{name}-year": str(local.year), f"{name}-time": local.strftime("%H:%M")}


def test_recording_a_child_starts_with_a_search_that_warns_of_duplicates(client_for, orgs):
    existing = factories.child(orgs["home"], "Robin", "Ashgrove", date_of_birth=date(2012, 6, 14))
    coordinator = client_for("coordinator")
    response = coordinator.post("/children/new", data={"step": "search", "first_name": "robin", "last_name": "ashgrove",
                                                      "date_of_birth-day": "14", "date_of_birth-month": "6", "date_of_birth-year": "2012"})
    page = soup(response)
    links = [a["href"] for a in page.select("#possible-duplicates a")]
    assert links == [f"/children/{existing.id}"]
    # Saving without confirming it is a different child is refused, and nothing typed is lost.
    response = coordinator.post("/children/new", data=child_data())
    page = soup(response)
    assert "confirm this is a different child" in page.select_one("#not_duplicate-error").get_text()
    assert page.select_one("#first_name")["value"] == "Robin"
    assert db.session.query(Child).count() == 1
    response = coordinator.post("/children/new", data=child_data(not_duplicate="y"))
    assert response.status_code == 302
    assert db.session.query(Child).count() == 2


def test_similar_name_with_the_same_birthday_is_a_likely_duplicate(client_for, orgs):
    factories.child(orgs["home"], "Jayden", "Price", date_of_birth=date(2011, 2, 3))
    response = client_for("coordinator").post("/children/new", data={"step": "search", "first_name": "Jaydon", "last_name": "Pryce",
                                                                     "date_of_birth-day": "3", "date_of_birth-month": "2", "date_of_birth-year": "2011"})
    assert len(soup(response).select("#possible-duplicates a")) == 1


def test_a_child_of_another_organisation_is_not_offered_as_a_duplicate(client_for, orgs):
    factories.child(orgs["other_la"], "Robin", "Ashgrove", date_of_birth=date(2012, 6, 14))
    response = client_for("coordinator").post("/children/new", data={"step": "search", "first_name": "Robin", "last_name": "Ashgrove",
                                                                     "date_of_birth-day": "14", "date_of_birth-month": "6", "date_of_birth-year": "2012"})
    page = soup(response)
    assert page.select("#possible-duplicates") == []
    assert "No child with a similar name" in page.get_text()


def test_new_child_is_saved_and_audited(client_for):
    response = client_for("coordinator").post("/children/new", data=child_data())
    child = db.session.query(Child).one()
    assert response.headers["Location"] == f"/children/{child.id}"
    assert child.address == "9 Sample Street, Testtown ZZ99 4CD"
    event = db.session.query(AuditEvent).filter_by(action="child_created").one()
    assert event.record_ids == {"child": str(child.id)}


def test_date_of_birth_messages_are_specific(client_for):
    coordinator = client_for("coordinator")
    page = soup(coordinator.post("/children/new", data=child_data(**{"date_of_birth-month": ""})))
    assert page.select_one("#date_of_birth-error").get_text(strip=True).endswith("Date of birth must include a month")
    page = soup(coordinator.post("/children/new", data=child_data(**{"date_of_birth-day": "31", "date_of_birth-month": "2"})))
    assert "must be a real date" in page.select_one("#date_of_birth-error").get_text()
    page = soup(coordinator.post("/children/new", data=child_data(**{"date_of_birth-year": "2031"})))
    assert "today or in the past" in page.select_one("#date_of_birth-error").get_text()
    # The error summary links to the day input, as the Design System asks.
    assert page.select_one(".govuk-error-summary a")["href"] == "#date_of_birth-day"
    assert page.select_one("#date_of_birth-day") is not None
    assert db.session.query(Child).count() == 0


def test_a_child_of_another_organisation_is_page_not_found(client_for, orgs):
    theirs = factories.child(orgs["other_la"])
    response = client_for("coordinator").get(f"/children/{theirs.id}")
    assert response.status_code == 404
    assert "Page not found" in soup(response).h1.get_text()


def test_an_interviewer_cannot_open_a_child_without_an_rhi(client_for, orgs):
    child = factories.child(orgs["home"])
    assert client_for("interviewer").get(f"/children/{child.id}").status_code == 404


def test_police_and_partners_cannot_open_a_child(client_for, orgs):
    child = factories.child(orgs["home"])
    for role in ("police", "placing_authority", "admin"):
        assert client_for(role).get(f"/children/{child.id}").status_code == 403, role


def test_viewing_a_child_is_audited(client_for, orgs):
    child = factories.child(orgs["home"])
    client_for("manager").get(f"/children/{child.id}")
    event = db.session.query(AuditEvent).filter_by(action="child_viewed").one()
    assert event.child_id == child.id


def test_children_list_searches_and_has_an_empty_state(client_for, orgs):
    factories.child(orgs["home"], "Alexis", "Thornbury")
    factories.child(orgs["home"], "Billie", "Carrow")
    coordinator = client_for("coordinator")
    page = soup(coordinator.get("/children?q=thorn"))
    assert [a.get_text() for a in page.select("tbody a")] == ["Thornbury, Alexis"]
    page = soup(coordinator.get("/children?q=zzzz"))
    assert "No children match" in page.get_text()


def episode_data(missing_at, **overrides):
    data = datetime_parts("reported_missing_at", missing_at) | {"missing_from": "care", "police_risk_grade": "medium"}
    data.update(overrides)
    return data


def test_recording_an_episode_and_then_found(client_for, orgs):
    child = factories.child(orgs["home"])
    coordinator = client_for("coordinator")
    missing_at = datetime.now(timezone.utc).replace(second=0, microsecond=0) - timedelta(hours=10)
    response = coordinator.post(f"/children/{child.id}/episodes/new", data=episode_data(missing_at))
    assert response.status_code == 302
    episode = db.session.query(MissingEpisode).one()
    assert episode.reported_missing_at == missing_at
    found_at = missing_at + timedelta(hours=6)
    data = episode_data(missing_at) | datetime_parts("found_at", found_at) | {"found_where": "Testtown bus station", "safe_and_well_check": "yes"}
    response = coordinator.post(f"/episodes/{episode.id}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(episode)
    assert episode.found_at == found_at and episode.found_where == "Testtown bus station"
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    # Recording them found opens their RHI (issue 3), in the same transaction.
    assert actions == ["episode_created", "rhi_created", "episode_changed"]


def test_found_before_missing_gets_its_own_message_and_keeps_what_was_typed(client_for, orgs):
    child = factories.child(orgs["home"])
    missing_at = datetime.now(timezone.utc) - timedelta(hours=10)
    data = episode_data(missing_at) | datetime_parts("found_at", missing_at - timedelta(hours=2)) | {"found_by": "Police patrol"}
    page = soup(client_for("coordinator").post(f"/children/{child.id}/episodes/new", data=data))
    assert "must be after they were reported missing" in page.select_one("#found_at-error").get_text()
    assert page.select_one("#found_by")["value"] == "Police patrol"
    assert db.session.query(MissingEpisode).count() == 0


def test_missing_in_the_future_is_refused(client_for, orgs):
    child = factories.child(orgs["home"])
    page = soup(client_for("coordinator").post(f"/children/{child.id}/episodes/new", data=episode_data(datetime.now(timezone.utc) + timedelta(days=1))))
    assert "must be in the past" in page.select_one("#reported_missing_at-error").get_text()


def test_low_risk_is_refused_for_a_child(client_for, orgs):
    child = factories.child(orgs["home"], date_of_birth=date(2012, 1, 1))
    page = soup(client_for("coordinator").post(f"/children/{child.id}/episodes/new",
                                               data=episode_data(datetime.now(timezone.utc) - timedelta(hours=3), police_risk_grade="low")))
    assert "cannot be graded low risk" in page.select_one("#police_risk_grade-error").get_text()


def test_an_unreal_time_is_refused(client_for, orgs):
    child = factories.child(orgs["home"])
    data = episode_data(datetime.now(timezone.utc) - timedelta(hours=3))
    data["reported_missing_at-time"] = "25:70"
    page = soup(client_for("coordinator").post(f"/children/{child.id}/episodes/new", data=data))
    assert "Enter a real time" in page.select_one("#reported_missing_at-error").get_text()


def test_interviewers_cannot_record_episodes(client_for, orgs):
    child = factories.child(orgs["home"])
    assert client_for("interviewer").post(f"/children/{child.id}/episodes/new", data={}).status_code == 403


def test_coordinator_cannot_edit_another_organisations_episode(client_for, orgs):
    theirs = factories.episode(factories.child(orgs["other_la"]))
    assert client_for("coordinator").get(f"/episodes/{theirs.id}/edit").status_code == 404


def test_partner_sees_only_the_children_their_authority_placed(client_for, orgs):
    ours = factories.child(orgs["home"], "Quinn", "Ourchild")
    placed = factories.child(orgs["home"], "Rowan", "Placedchild", placing_authority_id=orgs["placing"].id)
    other = factories.child(orgs["home"], "Sky", "Otherplaced", placing_authority_id=orgs["other_la"].id)
    factories.episode(placed, found_where="Somewhere private")
    text = soup(client_for("placing_authority").get("/partner/")).get_text()
    assert placed.full_name in text
    assert ours.full_name not in text and other.full_name not in text
    assert "Somewhere private" not in text
