"""The risk assessment record, the child's missing profile, Part 2, the photo and the print for 101."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select, text

from rhi_service.extensions import db
from rhi_service.forms import schema
from rhi_service.models.analysis import Entity
from rhi_service.models.audit import AuditEvent
from rhi_service.models.base import utcnow
from rhi_service.models.profiles import ChildPhoto, FormVersion
from rhi_service.profiles import photos
from tests import factories
from tests.conftest import soup


@pytest.fixture
def child(orgs):
    return factories.child(orgs["home"], first_name="Robin")


@pytest.fixture
def episode(child):
    return factories.episode(child)


def actions(**ids) -> list[str]:
    wanted = {k: str(v) for k, v in ids.items()}
    return [e.action for e in db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
            if all(e.record_ids.get(k) == v for k, v in wanted.items())]


def section_version(client, url) -> str:
    return soup(client.get(url)).find("input", {"name": "version"})["value"]


def save_section(client, url, answers: dict, action="save"):
    data = {"version": section_version(client, url), "action": action} | answers
    return client.post(url, data=data)


# --- The risk assessment record ---------------------------------------------------------------


def test_a_coordinator_records_risk_indicators_with_details(client_for, child, episode):
    coordinator = client_for("coordinator")
    url = f"/episodes/{episode.id}/risk-assessment/circumstances"
    response = save_section(coordinator, url, {"s47_or_cp_plan": "yes", "s47_or_cp_plan_detail": "Section 47 enquiry opened last week.",
                                               "usual_leaving_time": "not_known"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#circumstances")
    page = coordinator.get(f"/episodes/{episode.id}/risk-assessment").get_data(as_text=True)
    assert "Section 47 enquiry opened last week." in page and "Not known" in page
    assert "risk_assessment_changed" in actions(episode=episode.id)
    assert "risk_assessment_viewed" in actions(episode=episode.id)


def test_the_form_states_the_seeds_higher_risk_rule(client_for, episode):
    page = client_for("coordinator").get(f"/episodes/{episode.id}/risk-assessment/risks").get_data(as_text=True)
    assert "In cases of little knowledge or where there is disagreement" in page


def answer_every_indicator(client, episode, value_for_yes_no="no"):
    definition = schema.get("risk_assessment")
    for code in ("circumstances", "risks"):
        answers = {}
        for question in definition.section(code).questions:
            if question.kind == "yes_no":
                answers[question.code] = value_for_yes_no
            elif question.kind == "choice":
                answers[question.code] = "known"
        save_section(client, f"/episodes/{episode.id}/risk-assessment/{code}", answers)


def test_little_knowledge_means_higher_risk(client_for, child, episode):
    coordinator = client_for("coordinator")
    page = soup(coordinator.get(f"/episodes/{episode.id}/risk-assessment"))
    warning = page.find(id="higher-risk").get_text(" ", strip=True)
    assert "Treat Robin as at higher risk" in warning and "Little is known" in warning

    answer_every_indicator(coordinator, episode)
    page = soup(coordinator.get(f"/episodes/{episode.id}/risk-assessment"))
    assert "higher risk" not in page.find(id="higher-risk").get_text(" ", strip=True)


def test_disagreement_means_higher_risk(client_for, child, episode):
    coordinator = client_for("coordinator")
    answer_every_indicator(coordinator, episode)
    save_section(coordinator, f"/episodes/{episode.id}/risk-assessment/overall",
                 {"overall_risk": "medium", "views_differ": "yes", "views_differ_detail": "The carer thinks the risk is high."})
    warning = soup(coordinator.get(f"/episodes/{episode.id}/risk-assessment")).find(id="higher-risk").get_text(" ", strip=True)
    assert "disagree" in warning and "Little is known" not in warning


def test_each_saved_version_is_kept_and_the_differences_shown(client_for, child, episode):
    coordinator = client_for("coordinator")
    overall = f"/episodes/{episode.id}/risk-assessment/overall"
    save_section(coordinator, overall, {"overall_risk": "medium", "overall_reasons": "Goes to a friend's house."})
    response = coordinator.post(f"/episodes/{episode.id}/risk-assessment/save-version")
    assert response.headers["Location"].endswith(f"/episodes/{episode.id}/risk-assessment/versions")
    save_section(coordinator, overall, {"overall_risk": "high", "overall_reasons": "Seen with older men in a car."})
    page = soup(coordinator.get(f"/episodes/{episode.id}/risk-assessment/versions"))
    pending = page.find(id="pending-changes").get_text(" ", strip=True)
    assert "Medium" in pending and "High" in pending
    coordinator.post(f"/episodes/{episode.id}/risk-assessment/save-version")

    page = soup(coordinator.get(f"/episodes/{episode.id}/risk-assessment/versions"))
    assert page.find(id="pending-changes") is None
    changes = page.find(id="changes-2").get_text(" ", strip=True)
    assert "Goes to a friend's house." in changes and "Seen with older men in a car." in changes
    assert "Address from which missing" not in changes  # unchanged answers are not listed
    first = coordinator.get(f"/episodes/{episode.id}/risk-assessment/versions?version=1").get_data(as_text=True)
    assert "Goes to a friend&#39;s house." in first and "Seen with older men" not in first
    rows = db.session.execute(select(FormVersion).where(FormVersion.subject_id == episode.id)).scalars().all()
    assert sorted(v.number for v in rows) == [1, 2]
    assert actions(episode=episode.id).count("risk_assessment_version_saved") == 2


def test_saving_a_version_with_nothing_changed_makes_none(client_for, episode):
    coordinator = client_for("coordinator")
    save_section(coordinator, f"/episodes/{episode.id}/risk-assessment/overall", {"overall_risk": "high"})
    coordinator.post(f"/episodes/{episode.id}/risk-assessment/save-version")
    coordinator.post(f"/episodes/{episode.id}/risk-assessment/save-version")
    assert db.session.query(FormVersion).filter_by(subject_id=episode.id).count() == 1


def test_a_stale_page_does_not_overwrite_a_colleagues_save(client_for, users, orgs, episode):
    first = client_for("coordinator")
    second = factories.user("coordinator", orgs["home"])
    from tests.conftest import sign_in_client

    other = sign_in_client(first.application, second)
    url = f"/episodes/{episode.id}/risk-assessment/overall"
    stale = section_version(first, url)
    save_section(other, url, {"overall_risk": "high"})
    response = first.post(url, data={"version": stale, "overall_risk": "low", "action": "save"})
    assert response.status_code == 200 and soup(response).find(id="conflict") is not None


# --- The missing profile ----------------------------------------------------------------------


def test_a_blank_profile_shows_every_question_as_not_recorded(client_for, child):
    page = soup(client_for("coordinator").get(f"/children/{child.id}/profile"))
    definition = schema.get("profile")
    text = page.get_text(" ", strip=True)
    for question in definition.questions:
        assert question.label in text
    not_recorded = page.find_all(class_="rhi-not-recorded")
    # every question, the photo and the child's blank record fields
    assert len(not_recorded) >= len(definition.questions) + 1
    assert "child_profile_viewed" in actions(child=child.id)


def test_a_saved_answer_replaces_not_recorded(client_for, child):
    coordinator = client_for("coordinator")
    save_section(coordinator, f"/children/{child.id}/profile/description", {"height": "160cm", "hair": "Short, dyed red"})
    page = soup(coordinator.get(f"/children/{child.id}/profile"))
    card = page.find(id="description").get_text(" ", strip=True)
    assert "160cm" in card and "Short, dyed red" in card and "Not recorded" in card  # weight is still blank
    assert "child_profile_changed" in actions(child=child.id)


def test_the_profile_shows_when_it_was_reviewed_and_when_review_is_due(client_for, child):
    coordinator = client_for("coordinator")
    status = soup(coordinator.get(f"/children/{child.id}/profile")).find(id="review-status").get_text(" ", strip=True)
    assert "Not yet reviewed" in status

    refused = coordinator.post(f"/children/{child.id}/profile/review", data={})
    assert refused.status_code == 200 and "Confirm that you have checked every section" in refused.get_data(as_text=True)

    coordinator.post(f"/children/{child.id}/profile/review", data={"confirmed": "y"})
    status = soup(coordinator.get(f"/children/{child.id}/profile")).find(id="review-status").get_text(" ", strip=True)
    assert "Reviewed" in status and "Review due" not in status
    assert "child_profile_reviewed" in actions(child=child.id)

    version = db.session.execute(select(FormVersion).where(FormVersion.subject_id == child.id)).scalar_one()
    version.saved_at = utcnow() - timedelta(days=91)
    db.session.flush()
    status = soup(coordinator.get(f"/children/{child.id}/profile")).find(id="review-status").get_text(" ", strip=True)
    assert "Review due" in status


def test_a_friend_is_added_to_the_list_and_removed_again(client_for, child):
    coordinator = client_for("coordinator")
    section = f"/children/{child.id}/profile/people"
    response = save_section(coordinator, section, {"ce_assessment": "no"}, action="add:associates")
    new_url = response.headers["Location"]
    assert new_url.endswith("/people/associates/new")
    form = soup(coordinator.get(new_url))
    data = {"version": form.find("input", {"name": "version"})["value"], "item_key": form.find("input", {"name": "item_key"})["value"],
            "name": "Jay Testfriend", "phone": "07700 900123"}
    assert coordinator.post(new_url, data=data).status_code == 302
    coordinator.post(new_url, data=data)  # sent twice: added once
    page = soup(coordinator.get(section))
    items = page.find(id="items-associates").find_all("li")
    assert len(items) == 1 and "Jay Testfriend" in items[0].get_text()
    remove = items[0].find_all("a")[1]["href"]
    confirm = soup(coordinator.get(remove))
    coordinator.post(remove, data={"version": confirm.find("input", {"name": "version"})["value"], "confirm": "yes"})
    assert soup(coordinator.get(section)).find(id="items-associates") is None


def test_people_places_and_phones_typed_in_the_profile_become_entities(client_for, child):
    coordinator = client_for("coordinator")
    base = f"/children/{child.id}/profile"
    form = soup(coordinator.get(f"{base}/people/associates/new"))
    coordinator.post(f"{base}/people/associates/new", data={
        "version": form.find("input", {"name": "version"})["value"], "item_key": form.find("input", {"name": "item_key"})["value"],
        "name": "Jay  Testfriend", "phone": "+44 7700 900123", "address": "3 Sample Close, Testtown ZZ99 1AA"})
    form = soup(coordinator.get(f"{base}/contact/social_media/new"))
    coordinator.post(f"{base}/contact/social_media/new", data={
        "version": form.find("input", {"name": "version"})["value"], "item_key": form.find("input", {"name": "item_key"})["value"],
        "site": "Snapchat", "username": "@Robin_Test99"})
    rows = db.session.execute(select(Entity).where(Entity.child_id == child.id, Entity.source_kind == "profile")).scalars().all()
    found = {(e.label, e.normalized) for e in rows}
    assert ("PERSON", "jay testfriend") in found
    assert ("PHONE", "07700900123") in found
    assert ("POSTCODE", "ZZ99 1AA") in found
    assert ("SOCIAL", "robin_test99") in found
    assert all(e.rhi_id is None and e.organisation_id == child.organisation_id for e in rows)
    # the surface text stays encrypted at rest, as for RHIs
    raw = db.session.execute(text("SELECT text FROM analysis_entities WHERE source_kind = 'profile'")).scalars().all()
    assert raw and not any("Testfriend" in value for value in raw)


def test_the_same_phone_in_an_rhi_and_a_profile_has_one_normalised_form(child):
    from rhi_service.analysis import tag_text

    said = [e for e in tag_text("She rang 07700 900123 from the bus station.").entities if e.label == "PHONE"]
    from rhi_service.analysis.entities import normalize

    assert said and said[0].normalized == normalize("PHONE", "+44 7700 900123")


# --- The photo --------------------------------------------------------------------------------


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "TestCamera"  # make
    gps = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_photo_is_stored_without_its_metadata(client_for, child):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo does carry GPS
    coordinator = client_for("coordinator")
    response = coordinator.post(f"/children/{child.id}/profile/photo/new",
                                data={"photo": (io.BytesIO(original), "IMG_0001.jpg")}, content_type="multipart/form-data")
    assert response.status_code == 302
    stored = db.session.execute(select(ChildPhoto).where(ChildPhoto.child_id == child.id)).scalar_one()
    data = photos.read(stored.stored_name)
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and not image.getexif() and "exif" not in image.info
    assert b"TestCamera" not in data and b"Exif" not in data
    served = coordinator.get(f"/children/{child.id}/profile/photo")
    assert served.status_code == 200 and served.mimetype == "image/jpeg" and served.data == data
    assert str(photos.folder()).startswith(coordinator.application.instance_path)
    assert "child_profile_photo_added" in actions(child=child.id)
    assert "child_profile_photo_viewed" in actions(child=child.id)
    # on disk it is ciphertext: neither the JPEG nor its size gives the child's face away
    on_disk = photos.path_of(stored.stored_name).read_bytes()
    assert not on_disk.startswith(b"\xff\xd8") and data not in on_disk and data[100:140] not in on_disk


def test_a_file_that_is_not_a_photo_is_refused(client_for, child):
    coordinator = client_for("coordinator")
    response = coordinator.post(f"/children/{child.id}/profile/photo/new",
                                data={"photo": (io.BytesIO(b"%PDF-1.4 not a photo"), "photo.jpg")}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "must be a JPEG or PNG photo" in response.get_data(as_text=True)
    assert db.session.query(ChildPhoto).filter_by(child_id=child.id).count() == 0


def test_a_png_pretending_to_be_a_jpeg_is_judged_by_its_content(client_for, child):
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, "PNG")
    client_for("coordinator").post(f"/children/{child.id}/profile/photo/new",
                                   data={"photo": (io.BytesIO(out.getvalue()), "photo.jpg")}, content_type="multipart/form-data")
    assert db.session.execute(select(ChildPhoto.content_type).where(ChildPhoto.child_id == child.id)).scalar_one() == "image/png"


# --- Who may see and change what --------------------------------------------------------------


def test_another_organisations_child_is_not_found(client_for, orgs):
    elsewhere = factories.child(orgs["other_la"])
    other_episode = factories.episode(elsewhere)
    coordinator = client_for("coordinator")
    assert coordinator.get(f"/children/{elsewhere.id}/profile").status_code == 404
    assert coordinator.get(f"/children/{elsewhere.id}/profile/photo").status_code == 404
    assert coordinator.get(f"/episodes/{other_episode.id}/risk-assessment").status_code == 404
    assert coordinator.get(f"/children/{elsewhere.id}/for-101.pdf").status_code == 404


def test_an_interviewer_edits_the_profile_only_of_a_child_whose_rhi_they_hold(client_for, users, child):
    interviewer = client_for("interviewer")
    assert interviewer.get(f"/children/{child.id}/profile").status_code == 404
    assert interviewer.get(f"/children/{child.id}/profile/description").status_code == 404
    factories.rhi(child, interviewer=users["interviewer"], status="in_progress")
    assert interviewer.get(f"/children/{child.id}/profile").status_code == 200
    response = save_section(interviewer, f"/children/{child.id}/profile/description", {"eyes": "Brown"})
    assert response.status_code == 302
    episode = child.episodes[0]
    assert interviewer.get(f"/episodes/{episode.id}/risk-assessment").status_code == 200
    assert interviewer.get(f"/episodes/{episode.id}/risk-assessment/overall").status_code == 403


def test_police_and_placing_authorities_cannot_see_profiles(client_for, child, episode):
    for role in ("police", "placing_authority", "admin"):
        client = client_for(role)
        assert client.get(f"/children/{child.id}/profile").status_code == 403
        assert client.get(f"/episodes/{episode.id}/risk-assessment").status_code == 403
        assert client.get(f"/children/{child.id}/for-101.pdf").status_code == 403


# --- Part 2 and the print for 101 -------------------------------------------------------------


def test_part_two_is_recorded_against_the_episode(client_for, child, episode):
    coordinator = client_for("coordinator")
    save_section(coordinator, f"/episodes/{episode.id}/when-missing/clothing", {"outerwear": "Black puffer jacket"})
    save_section(coordinator, f"/episodes/{episode.id}/when-missing/last_seen", {"last_seen_where": "Testtown bus station"})
    page = coordinator.get(f"/episodes/{episode.id}/when-missing").get_data(as_text=True)
    assert "Black puffer jacket" in page
    assert ("LOCATION", "testtown bus station") in {(e.label, e.normalized) for e in db.session.execute(
        select(Entity).where(Entity.child_id == child.id, Entity.source_kind == "profile")).scalars()}


def test_the_print_for_101_is_a_pdf_of_profile_risk_and_part_two_and_is_audited(client_for, child, episode):
    coordinator = client_for("coordinator")
    save_section(coordinator, f"/children/{child.id}/profile/description", {"height": "163cm"})
    save_section(coordinator, f"/episodes/{episode.id}/when-missing/clothing", {"footwear": "White trainers"})
    save_section(coordinator, f"/episodes/{episode.id}/risk-assessment/overall", {"overall_risk": "high"})
    factories.profile_photo(child)
    response = coordinator.get(f"/children/{child.id}/for-101.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == f'attachment; filename="child-{child.id}-for-101.pdf"'
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "163cm" in text and "White trainers" in text and "High" in text and "Not recorded" in text
    assert "for_101_pdf_made" in actions(child=child.id, episode=episode.id)
    html = coordinator.get(f"/children/{child.id}/for-101")
    assert html.status_code == 200 and "for_101_viewed" in actions(child=child.id)


def test_the_childs_page_links_to_the_profile_and_each_episodes_records(client_for, child, episode):
    page = soup(client_for("coordinator").get(f"/children/{child.id}"))
    hrefs = {a["href"] for a in page.find_all("a", href=True)}
    assert f"/children/{child.id}/profile" in hrefs
    assert f"/episodes/{episode.id}/risk-assessment" in hrefs
    assert f"/episodes/{episode.id}/when-missing" in hrefs
    assert f"/children/{child.id}/for-101" in hrefs
