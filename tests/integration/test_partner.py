"""Placing authorities see their own placed children, our requests to them and their own uploads;
nothing else, and another authority's ids are "Page not found"."""
from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from rhi_service.extensions import db
from rhi_service.models.audit import AuditEvent
from rhi_service.models.placements import RequestContact, Upload
from rhi_service.placements import tagging
from tests import factories, samples
from tests.conftest import soup

NOW = lambda: datetime.now(timezone.utc).replace(second=0, microsecond=0)  # noqa: E731


@pytest.fixture(autouse=True)
def no_engine(monkeypatch):
    monkeypatch.setattr(tagging, "tag", lambda text: None)


@pytest.fixture
def world(orgs):
    """Ours placed by the partner, ours placed by another authority, and our own child."""
    mine = factories.placed_child(orgs["home"], orgs["placing"], first_name="Jamie", address="9 Hidden Row, Testtown ZZ99 1ZZ")
    my_request = factories.rhi_request(mine, found_at=NOW() - timedelta(hours=20))
    my_request.episode.found_where = "A flat above the chip shop"
    my_request.episode.notes = "Told police about older men"
    theirs = factories.placed_child(orgs["home"], orgs["other_la"], first_name="Robin")
    their_request = factories.rhi_request(theirs, found_at=NOW() - timedelta(hours=20))
    their_upload = Upload(organisation_id=orgs["home"].id, from_organisation_id=orgs["other_la"].id, received_via="portal",
                          child_id=theirs.id, episode_id=their_request.episode_id, content_type="text/plain", size_bytes=3,
                          stored_name="b" * 32, original_name="robin.txt")
    ours = factories.child(orgs["home"], first_name="Morgan")
    our_episode = factories.episode(ours, found_at=NOW() - timedelta(hours=2))
    db.session.add(their_upload)
    db.session.flush()
    return {"mine": mine, "my_request": my_request, "theirs": theirs, "their_request": their_request,
            "their_upload": their_upload, "ours": ours, "our_episode": our_episode}


def upload(client, url, data: bytes, name: str, **fields):
    return client.post(url, data={"rhi_file": (io.BytesIO(data), name)} | fields, content_type="multipart/form-data")


def test_the_partner_sees_their_child_with_episode_dates_only(client_for, world):
    page = soup(client_for("placing_authority").get("/partner/"))
    text = page.get_text()
    assert "Jamie" in text and "Robin" not in text and "Morgan" not in text
    child_page = soup(client_for("placing_authority").get(f"/partner/children/{world['mine'].id}")).get_text()
    assert "Jamie" in child_page
    for private in ("Hidden Row", "chip shop", "older men", "Care"):
        assert private not in child_page


def test_the_partner_sees_our_request_to_them(client_for, world):
    partner = client_for("placing_authority")
    assert "Jamie" in soup(partner.get("/partner/requests")).get_text()
    page = soup(partner.get(f"/partner/requests/{world['my_request'].id}")).get_text()
    assert "Upload the RHI" in page and "chip shop" not in page


def test_every_partner_route_answers_404_for_another_authoritys_records(client_for, world):
    partner = client_for("placing_authority")
    theirs, their_request, their_upload, ours = world["theirs"], world["their_request"], world["their_upload"], world["ours"]
    gets = [
        f"/partner/children/{theirs.id}",
        f"/partner/children/{ours.id}",
        f"/partner/children/{theirs.id}/upload",
        f"/partner/requests/{their_request.id}",
        f"/partner/requests/{their_request.id}/reply",
        f"/partner/requests/{their_request.id}/upload",
        f"/partner/uploads/{their_upload.id}",
        f"/partner/uploads/{their_upload.id}/download",
    ]
    for url in gets:
        assert partner.get(url).status_code == 404, url
    posts = [
        (f"/partner/requests/{their_request.id}/reply", {"message": "Booked", "closes": "y"}),
        (f"/partner/children/{theirs.id}/upload", {"episode_id": str(their_request.episode_id)}),
        (f"/partner/requests/{their_request.id}/upload", {"episode_id": str(their_request.episode_id)}),
    ]
    for url, data in posts:
        assert partner.post(url, data=data).status_code == 404, url
    db.session.refresh(their_request)
    assert their_request.is_open and len(their_request.contacts) == 2


def test_an_episode_of_another_child_cannot_be_slipped_into_an_upload(client_for, world):
    page = soup(upload(client_for("placing_authority"), f"/partner/children/{world['mine'].id}/upload", samples.RHI_TEXT.encode(),
                       "rhi.txt", episode_id=str(world["our_episode"].id)))
    assert page.select_one("#episode_id-error")
    assert db.session.execute(select(Upload).where(Upload.child_id == world["mine"].id)).first() is None


def test_partners_cannot_reach_staff_pages(client_for, world):
    partner = client_for("placing_authority")
    for url in ("/today", "/children", f"/children/{world['mine'].id}", "/placements/requests", "/placements/received",
                f"/placements/requests/{world['my_request'].id}", "/admin/api-tokens/"):
        assert partner.get(url).status_code in (403, 404), url


@pytest.mark.parametrize("role", ["coordinator", "manager", "interviewer", "police", "admin"])
def test_no_one_else_reaches_the_partner_pages(client_for, world, role):
    client = client_for(role)
    assert client.get("/partner/").status_code == 403
    assert client.get(f"/partner/requests/{world['my_request'].id}").status_code == 403


def test_the_partner_uploads_an_rhi_that_answers_our_request(client_for, world, users, app):
    partner = client_for("placing_authority")
    request = world["my_request"]
    form = soup(partner.get(f"/partner/requests/{request.id}/upload"))
    assert form.select_one(f"input[name=episode_id][value='{request.episode_id}']").has_attr("checked")
    response = upload(partner, f"/partner/requests/{request.id}/upload", samples.text_pdf(), "rhi.pdf",
                      episode_id=str(request.episode_id))
    assert response.status_code == 302
    received = db.session.execute(select(Upload).where(Upload.child_id == world["mine"].id)).scalar_one()
    assert received.received_via == "portal" and received.uploaded_by_id == users["placing_authority"].id
    assert received.from_organisation_id == users["placing_authority"].organisation_id
    db.session.refresh(request)
    assert not request.is_open and request.answered_how == "upload"
    page = soup(partner.get(f"/partner/uploads/{received.id}")).get_text()
    assert "rhi.pdf" in page
    # They may read back their own file, and only as a download.
    download = partner.get(f"/partner/uploads/{received.id}/download")
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment")
    # Their own uploads list shows it; the coordinator now sees it too.
    assert "rhi.pdf" in soup(partner.get("/partner/uploads")).get_text()
    assert client_for("coordinator").get(f"/placements/received/{received.id}").status_code == 200


def test_a_bad_upload_from_a_partner_is_refused_with_nothing_kept(client_for, world):
    page = soup(upload(client_for("placing_authority"), f"/partner/children/{world['mine'].id}/upload",
                       samples.renamed_program(), "rhi.pdf", episode_id=str(world["my_request"].episode_id)))
    assert "is a program" in page.select_one("#rhi_file-error").get_text()
    assert db.session.execute(select(Upload).where(Upload.child_id == world["mine"].id)).first() is None


def test_an_upload_without_a_file_says_so(client_for, world):
    page = soup(client_for("placing_authority").post(f"/partner/children/{world['mine'].id}/upload",
                                                     data={"episode_id": str(world["my_request"].episode_id)}))
    assert "Select the RHI file" in page.select_one("#rhi_file-error").get_text()


def test_the_partner_replies_and_may_close_the_request(client_for, world):
    partner = client_for("placing_authority")
    request = world["my_request"]
    page = soup(partner.post(f"/partner/requests/{request.id}/reply", data={"message": ""}))
    assert "Enter your reply" in page.select_one("#message-error").get_text()
    partner.post(f"/partner/requests/{request.id}/reply", data={"message": "Interview booked for Thursday"})
    db.session.refresh(request)
    assert request.is_open
    partner.post(f"/partner/requests/{request.id}/reply", data={"message": "The child declined the interview", "closes": "y"})
    db.session.refresh(request)
    assert not request.is_open and request.answered_how == "reply"
    replies = db.session.execute(select(RequestContact).where(RequestContact.kind == "reply")).scalars().all()
    assert len(replies) == 2
    # The coordinator reads the reply on the request.
    assert "Interview booked for Thursday" in soup(client_for("coordinator").get(f"/placements/requests/{request.id}")).get_text()
    assert {"rhi_request_reply", "rhi_request_answered"} <= {e.action for e in db.session.query(AuditEvent)}


def test_our_internal_notes_on_reminders_are_not_shown_to_the_partner(client_for, world):
    client_for("coordinator").post(f"/placements/requests/{world['my_request'].id}/chase",
                                   data={"kind": "reminder", "method": "phone", "note": "Their duty team is hopeless"})
    page = soup(client_for("placing_authority").get(f"/partner/requests/{world['my_request'].id}")).get_text()
    assert "Reminder" in page and "hopeless" not in page


def test_a_child_with_no_episodes_has_nothing_to_upload_for(client_for, orgs):
    child = factories.placed_child(orgs["home"], orgs["placing"])
    page = soup(client_for("placing_authority").get(f"/partner/children/{child.id}/upload"))
    assert "no missing episode recorded" in page.get_text()
