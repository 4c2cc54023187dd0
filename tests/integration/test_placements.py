"""Requests to placing authorities, chasing them, and the RHIs that come back (the coordinator's side)."""
from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rhi_service.extensions import db
from rhi_service.models.audit import AuditEvent
from rhi_service.models.episodes import MissingEpisode
from rhi_service.models.placements import RequestContact, RhiRequest, Upload
from rhi_service.placements import tagging
from tests import factories, samples
from tests.conftest import soup
from tests.integration.test_records import datetime_parts, episode_data

NOW = lambda: datetime.now(timezone.utc).replace(second=0, microsecond=0)  # noqa: E731


@pytest.fixture
def placed(orgs):
    return factories.placed_child(orgs["home"], orgs["placing"], first_name="Jamie")


@pytest.fixture
def fixed_tags(monkeypatch):
    """The tagging engine is another team's work in progress: these tests pin what it answers."""
    detail = '{"labels": ["CSE"], "indicators": [{"code": "CSE_LIFTS_BY_ADULTS", "category": "CSE", "text": "picked up", "context": "asserted"}]}'
    monkeypatch.setattr(tagging, "tag", lambda text: tagging.Tags(labels=["CSE"], detail=detail) if text and text.strip() else None)


def stored_files(app) -> set[str]:
    folder = Path(app.instance_path) / "uploads"
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def actions() -> list[str]:
    return [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]


def upload_count() -> int:
    return db.session.execute(select(func.count(Upload.id))).scalar_one()


# --- The request is made by the episode save --------------------------------------------------------

def test_recording_a_placed_child_missing_sends_their_authority_a_request(client_for, placed, orgs):
    coordinator = client_for("coordinator")
    missing_at = NOW() - timedelta(hours=10)
    response = coordinator.post(f"/children/{placed.id}/episodes/new", data=episode_data(missing_at))
    assert response.status_code == 302
    request = db.session.execute(select(RhiRequest)).scalar_one()
    assert request.placing_authority_id == orgs["placing"].id and request.is_open
    assert [(c.kind, c.method) for c in request.contacts] == [("request", "portal")]
    assert "rhi_request_created" in actions()

    episode = db.session.query(MissingEpisode).one()
    found_at = missing_at + timedelta(hours=4)
    coordinator.post(f"/episodes/{episode.id}/edit", data=episode_data(missing_at) | datetime_parts("found_at", found_at))
    db.session.refresh(request)
    # Still one request for the episode: being found passes on the found notification.
    assert db.session.execute(select(func.count(RhiRequest.id))).scalar_one() == 1
    assert [c.kind for c in request.contacts] == ["request", "found_notice"]
    # Issue 3's hook still runs beside ours: the RHI is the placing authority's to carry out.
    assert {"rhi_created", "rhi_request_found_notice"} <= set(actions())


def test_our_own_children_get_no_request(client_for, orgs):
    child = factories.child(orgs["home"])
    client_for("coordinator").post(f"/children/{child.id}/episodes/new", data=episode_data(NOW() - timedelta(hours=3)))
    assert db.session.execute(select(func.count(RhiRequest.id))).scalar_one() == 0


# --- Lists, overdue, chasing and closing -------------------------------------------------------------

def test_overdue_requests_show_on_today_and_in_the_list(client_for, placed, orgs):
    overdue = factories.rhi_request(placed, found_at=NOW() - timedelta(hours=73))
    other = factories.placed_child(orgs["home"], orgs["other_la"], first_name="Robin")
    waiting = factories.rhi_request(other, found_at=NOW() - timedelta(hours=5))
    coordinator = client_for("coordinator")

    today = soup(coordinator.get("/today"))
    section = today.find("h2", string="RHIs overdue from placing authorities").find_next("table")
    assert "Jamie" in section.get_text() and "Robin" not in section.get_text()

    page = soup(coordinator.get("/placements/requests?status=overdue"))
    rows = page.select("tbody tr")
    assert len(rows) == 1 and "Overdue" in rows[0].get_text()
    everything = soup(coordinator.get("/placements/requests?status=all&sort=child"))
    assert len(everything.select("tbody tr")) == 2
    filtered = soup(coordinator.get(f"/placements/requests?status=all&authority={orgs['other_la'].id}"))
    assert [r.select_one("a").get_text() for r in filtered.select("tbody tr")] == [f"{other.last_name}, Robin"]
    assert waiting.is_open and overdue.is_open


def test_an_empty_list_says_so(client_for):
    page = soup(client_for("coordinator").get("/placements/requests"))
    assert "No request is waiting for an RHI" in page.get_text()
    assert "No placing authority is late" in soup(client_for("coordinator").get("/today")).get_text()


def test_the_list_pages(client_for, orgs):
    for number in range(27):
        factories.rhi_request(factories.placed_child(orgs["home"], orgs["placing"]), found_at=NOW() - timedelta(hours=number + 1))
    coordinator = client_for("coordinator")
    assert len(soup(coordinator.get("/placements/requests")).select("tbody tr")) == 25
    assert len(soup(coordinator.get("/placements/requests?page=2")).select("tbody tr")) == 2


def test_chasing_records_each_reminder(client_for, placed, users):
    request = factories.rhi_request(placed, found_at=NOW() - timedelta(hours=80))
    coordinator = client_for("coordinator")
    form = soup(coordinator.get(f"/placements/requests/{request.id}/chase"))
    assert form.select_one("input[name=kind][value=reminder]").has_attr("checked")
    for method in ("email", "phone"):
        response = coordinator.post(f"/placements/requests/{request.id}/chase",
                                    data={"kind": "reminder", "method": method, "contact_name": "Duty desk", "note": "No reply yet"})
        assert response.status_code == 302
    reminders = db.session.execute(select(RequestContact).where(RequestContact.kind == "reminder")
                                   .order_by(RequestContact.contacted_at)).scalars().all()
    assert [r.method for r in reminders] == ["email", "phone"]
    assert all(r.contacted_by_id == users["coordinator"].id and r.note == "No reply yet" for r in reminders)
    assert actions().count("rhi_request_reminder") == 2
    page = soup(coordinator.get(f"/placements/requests/{request.id}"))
    assert page.get_text().count("Reminder") >= 2


def test_a_chase_without_a_method_keeps_what_was_typed(client_for, placed):
    request = factories.rhi_request(placed, found_at=NOW() - timedelta(hours=80))
    page = soup(client_for("coordinator").post(f"/placements/requests/{request.id}/chase",
                                               data={"kind": "reminder", "note": "Rang twice"}))
    assert "Select how you contacted them" in page.select_one("#method-error").get_text()
    assert page.select_one("textarea[name=note]").get_text() == "Rang twice"
    assert page.title.get_text().startswith("Error: ")


def test_marking_answered_closes_the_request_and_takes_it_off_today(client_for, placed):
    request = factories.rhi_request(placed, found_at=NOW() - timedelta(hours=80))
    coordinator = client_for("coordinator")
    response = coordinator.post(f"/placements/requests/{request.id}/answered", data={"note": "Received by secure email"})
    assert response.status_code == 302
    db.session.refresh(request)
    assert not request.is_open and request.answered_how == "marked"
    assert "No placing authority is late" in soup(coordinator.get("/today")).get_text()
    assert "rhi_request_answered" in actions()
    coordinator.post(f"/placements/requests/{request.id}/reopen")
    db.session.refresh(request)
    assert request.is_open


def test_their_answer_closes_the_rhi_they_hold_and_reopening_opens_it(client_for, placed, orgs):
    from rhi_service import rhis
    from rhi_service.models.interviews import CONDUCTED_BY_PLACING_AUTHORITY

    request = factories.rhi_request(placed, found_at=NOW() - timedelta(hours=30))
    episode = db.session.get(MissingEpisode, request.episode_id)
    theirs = rhis.place_found_episode(episode, settings={"rhi_due_hours": 72, "conduct_rhis_for_authorities": []})
    db.session.flush()
    assert theirs.conducted_by == CONDUCTED_BY_PLACING_AUTHORITY and theirs.status == "awaiting_contact"
    coordinator = client_for("coordinator")
    post_file(coordinator, "/placements/received/new", b"Jamie spoke with their own worker on Tuesday.", "rhi.txt",
              from_organisation_id=str(orgs["placing"].id), child_id=str(placed.id))
    db.session.refresh(request)
    db.session.refresh(theirs)
    assert request.answered_how == "upload" and theirs.status == "closed"
    assert theirs.held_by_due is None  # whether they held it in time is theirs to report
    assert "rhi_closed_by_placing_authority_answer" in actions()
    coordinator.post(f"/placements/requests/{request.id}/reopen")
    db.session.refresh(theirs)
    assert theirs.status == "awaiting_contact"


def test_the_message_to_copy_names_the_child_and_dates_only(client_for, orgs):
    child = factories.placed_child(orgs["home"], orgs["placing"], first_name="Jamie", address="9 Secret Row, Testtown ZZ99 1ZZ")
    request = factories.rhi_request(child, found_at=NOW() - timedelta(hours=2))
    request.episode.found_where = "A flat above the chip shop"
    request.episode.notes = "Disclosed being given cannabis"
    db.session.flush()
    message = soup(client_for("coordinator").get(f"/placements/requests/{request.id}")).select_one("#request-message").get_text()
    assert "Jamie" in message and "Found:" in message and f"/partner/requests/{request.id}" in message
    for private in ("Secret Row", "chip shop", "cannabis"):
        assert private not in message


def test_other_organisations_requests_are_not_found(client_for, orgs, placed):
    theirs = factories.rhi_request(factories.placed_child(orgs["other_la"], orgs["placing"]), found_at=NOW() - timedelta(hours=90))
    coordinator = client_for("coordinator")
    assert coordinator.get(f"/placements/requests/{theirs.id}").status_code == 404
    assert coordinator.post(f"/placements/requests/{theirs.id}/chase", data={"kind": "reminder", "method": "email"}).status_code == 404
    assert "Jamie" not in soup(coordinator.get("/placements/requests?status=all")).get_text() or placed


@pytest.mark.parametrize("role", ["interviewer", "police", "placing_authority", "admin"])
def test_only_coordinators_and_managers_use_the_placement_pages(client_for, role):
    assert client_for(role).get("/placements/requests").status_code == 403
    assert client_for(role).get("/placements/received").status_code == 403


# --- RHIs uploaded by us from an e-mail --------------------------------------------------------------

def post_file(client, url, data: bytes, name: str, **fields):
    payload = {"rhi_file": (io.BytesIO(data), name)} | fields
    return client.post(url, data=payload, content_type="multipart/form-data")


def test_an_emailed_rhi_is_filed_with_the_child_and_answers_the_request(client_for, placed, orgs, app, fixed_tags):
    request = factories.rhi_request(placed, found_at=NOW() - timedelta(hours=80))
    coordinator = client_for("coordinator")
    response = post_file(coordinator, "/placements/received/new", samples.docx(), "RHI for Jamie.docx",
                         from_organisation_id=str(orgs["placing"].id), child_id=str(placed.id))
    assert response.status_code == 302
    upload = db.session.execute(select(Upload)).scalar_one()
    assert upload.child_id == placed.id and upload.episode_id == request.episode_id and upload.request_id == request.id
    assert upload.original_name == "RHI for Jamie.docx" and upload.stored_name in stored_files(app)
    assert upload.stored_name != upload.original_name and "." not in upload.stored_name
    db.session.refresh(request)
    assert request.answered_how == "upload"
    page = soup(coordinator.get(f"/placements/received/{upload.id}"))
    assert "older men" in page.get_text() and "CSE" in page.get_text()
    assert {"upload_received", "rhi_request_answered", "upload_viewed"} <= set(actions())


def test_the_stored_text_is_encrypted(client_for, placed, orgs, fixed_tags):
    post_file(client_for("coordinator"), "/placements/received/new", samples.RHI_TEXT.encode(), "rhi.txt",
              from_organisation_id=str(orgs["placing"].id), child_id=str(placed.id))
    raw = db.session.execute(db.text("SELECT text, tag_detail, original_name FROM uploads")).one()
    assert all(value and "older men" not in value and "picked up" not in value and "rhi.txt" not in value for value in raw)


BAD_FILES = [
    (lambda: samples.truncated_pdf(), "rhi.pdf", "incomplete or damaged"),
    (samples.renamed_program, "rhi.pdf", "is a program"),
    (samples.zip_bomb, "rhi.docx", "cannot be opened safely"),
    (lambda: b"", "rhi.txt", "is empty"),
    (samples.just_over_the_limit, "rhi.txt", "smaller than 10MB"),
    (samples.encrypted_pdf, "rhi.pdf", "protected with a password"),
    (samples.docx_with_macros, "rhi.docx", "contains macros"),
]


@pytest.mark.parametrize(("make", "name", "says"), BAD_FILES, ids=["truncated_pdf", "renamed_program", "zip_bomb", "empty",
                                                                    "just_over_10mb", "encrypted_pdf", "macros"])
def test_a_bad_file_is_refused_next_to_the_field_with_nothing_stored(client_for, placed, orgs, app, make, name, says):
    before = stored_files(app)
    page = soup(post_file(client_for("coordinator"), "/placements/received/new", make(), name,
                          from_organisation_id=str(orgs["placing"].id), child_id=str(placed.id),
                          named_first_name="Jamie"))
    assert says in page.select_one("#rhi_file-error").get_text()
    assert page.select_one(".govuk-error-summary a[href='#rhi_file']")
    # What was chosen and typed is kept.
    assert page.select_one("input[name=named_first_name]")["value"] == "Jamie"
    assert page.select_one(f"option[value='{placed.id}']").has_attr("selected")
    assert upload_count() == 0 and stored_files(app) == before
    assert "upload_received" not in actions()


def test_a_pdf_with_no_text_is_kept_and_flagged_for_a_person(client_for, placed, orgs, fixed_tags):
    post_file(client_for("coordinator"), "/placements/received/new", samples.blank_pdf(), "scan.pdf",
              from_organisation_id=str(orgs["placing"].id), child_id=str(placed.id))
    upload = db.session.execute(select(Upload)).scalar_one()
    assert upload.needs_reading and upload.page_count == 1 and upload.tag_labels is None
    coordinator = client_for("coordinator")
    assert "No text found: needs reading by a person" in soup(coordinator.get(f"/placements/received/{upload.id}")).get_text()
    assert "No text found" in soup(coordinator.get("/placements/received?status=needs_reading")).get_text()


def test_a_failure_after_writing_removes_the_file(client_for, placed, orgs, app, monkeypatch):
    from rhi_service.placements import uploads

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(uploads.audit, "record", broken)
    before = stored_files(app)
    with pytest.raises(RuntimeError):
        post_file(client_for("coordinator"), "/placements/received/new", samples.RHI_TEXT.encode(), "rhi.txt",
                  from_organisation_id=str(orgs["placing"].id), child_id=str(placed.id))
    assert stored_files(app) == before
    assert upload_count() == 0


def test_a_download_is_an_attachment_never_shown_in_the_browser(client_for, placed, orgs):
    post_file(client_for("coordinator"), "/placements/received/new", b"<html><script>alert(1)</script>Spoke to Jamie</html>",
              "rhi.html", from_organisation_id=str(orgs["placing"].id), child_id=str(placed.id))
    upload = db.session.execute(select(Upload)).scalar_one()
    response = client_for("coordinator").get(f"/placements/received/{upload.id}/download")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.mimetype == "text/plain"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "upload_downloaded" in actions()
    assert b"Spoke to Jamie" in response.data


def test_a_received_file_is_kept_encrypted_and_rotates_with_the_keys(client_for, placed, orgs, app):
    from cryptography.fernet import Fernet

    from rhi_service import crypto
    from rhi_service.maintenance import rotate_encryption
    from tests.conftest import TEST_KEY

    words = b"Jamie said the older lads drove him to a flat in ZZ99 4QQ."
    post_file(client_for("coordinator"), "/placements/received/new", words, "rhi.txt",
              from_organisation_id=str(orgs["placing"].id), child_id=str(placed.id))
    upload = db.session.execute(select(Upload)).scalar_one()
    on_disk = Path(app.instance_path, "uploads", upload.stored_name).read_bytes()
    assert words not in on_disk and b"Jamie" not in on_disk
    new_key = Fernet.generate_key().decode()
    crypto.configure([new_key, TEST_KEY])
    try:
        rotate_encryption()
        crypto.configure([new_key])  # the old key retired: the file must still open
        assert Path(app.instance_path, "uploads", upload.stored_name).read_bytes() != on_disk
        response = client_for("coordinator").get(f"/placements/received/{upload.id}/download")
        assert response.status_code == 200 and response.data == words
    finally:
        crypto.configure([TEST_KEY])


# --- The inbox and matching --------------------------------------------------------------------------

def test_an_rhi_for_a_child_we_cannot_tell_waits_in_the_inbox_until_matched(client_for, placed, orgs, fixed_tags):
    request = factories.rhi_request(placed, found_at=NOW() - timedelta(hours=30))
    coordinator = client_for("coordinator")
    post_file(coordinator, "/placements/received/new", samples.RHI_TEXT.encode(), "rhi.txt",
              from_organisation_id=str(orgs["placing"].id), child_id="", named_first_name="J", named_last_name="Unknown")
    upload = db.session.execute(select(Upload)).scalar_one()
    assert upload.needs_matching
    inbox = soup(coordinator.get("/placements/received?status=inbox"))
    assert "J Unknown" in inbox.get_text()
    assert "1 received RHI to match" in soup(coordinator.get("/today")).get_text()

    page = soup(coordinator.post(f"/placements/received/{upload.id}/match", data={"child_id": ""}))
    assert "Select the child" in page.select_one("#child_id-error").get_text()
    response = coordinator.post(f"/placements/received/{upload.id}/match", data={"child_id": str(placed.id)})
    assert response.status_code == 302
    db.session.refresh(upload)
    db.session.refresh(request)
    assert upload.child_id == placed.id and upload.episode_id == request.episode_id and upload.matched_at
    assert not request.is_open
    assert "upload_matched" in actions()
    event = db.session.query(AuditEvent).filter_by(action="upload_matched").one()
    assert set(event.record_ids) == {"upload", "child", "episode"}


def test_uploads_list_is_empty_and_filterable(client_for):
    coordinator = client_for("coordinator")
    assert "No RHIs have been received" in soup(coordinator.get("/placements/received")).get_text()
    assert "Nothing is waiting to be matched" in soup(coordinator.get("/placements/received?status=inbox")).get_text()


def test_another_organisations_upload_is_not_found(client_for, orgs):
    theirs = Upload(organisation_id=orgs["other_la"].id, received_via="email", content_type="text/plain", size_bytes=1,
                    stored_name="a" * 32)
    db.session.add(theirs)
    db.session.flush()
    coordinator = client_for("coordinator")
    for url in (f"/placements/received/{theirs.id}", f"/placements/received/{theirs.id}/download"):
        assert coordinator.get(url).status_code == 404
    assert coordinator.post(f"/placements/received/{theirs.id}/match", data={}).status_code == 404


def test_the_audit_log_holds_ids_only(client_for, placed, orgs, fixed_tags):
    post_file(client_for("coordinator"), "/placements/received/new", samples.RHI_TEXT.encode(), "Jamie RHI.txt",
              from_organisation_id=str(orgs["placing"].id), child_id=str(placed.id))
    for event in db.session.query(AuditEvent):
        assert "Jamie" not in str(event.record_ids)


def test_a_filed_upload_joins_our_own_tags_and_entities(orgs, users):
    from rhi_service.models.analysis import SOURCE_UPLOAD, Entity, Tag
    from rhi_service.placements import uploads
    from rhi_service.placements.uploads import Sender

    child = factories.placed_child(orgs["home"], orgs["placing"])
    text = ("Return home interview. YP said an older boyfriend called Dex bought her a phone and drove her to "
            "hotels in a grey Audi A3 KY17 HVP. His number is 07700 900123.")
    sender = Sender(organisation_id=orgs["placing"].id, via="portal", user=users["placing_authority"], api_token=None)
    upload = uploads.receive_file(text.encode(), "rhi.txt", sender, organisation_id=orgs["home"].id, child=child)
    tags = db.session.query(Tag).filter_by(source_kind=SOURCE_UPLOAD, source_id=upload.id).all()
    assert {t.category for t in tags} >= {"CSE"}
    entities = {(e.label, e.normalized) for e in db.session.query(Entity).filter_by(source_kind=SOURCE_UPLOAD, child_id=child.id)}
    assert ("PHONE", "07700900123") in entities
