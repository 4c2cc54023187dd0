"""Intelligence to the police: drafted from confirmed tags, approved by another manager, read by the
force it was sent to, and nothing of the child's account beyond what the coordinator chose."""
from __future__ import annotations

import io
import uuid
from pathlib import Path

import jsonschema
import pytest
import yaml
from pypdf import PdfReader
from sqlalchemy import select

from rhi_service.extensions import db
from rhi_service.models.audit import AuditEvent
from rhi_service.models.forms import Answer
from rhi_service.models.intelligence import IntelligenceSummary
from tests import factories
from tests.conftest import sign_in_client, soup

SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "rhi_service" / "api" / "openapi.yaml").read_text())
NOTE = ("Leah said she was with an older man called Big Dee who is about 24. He bought her a new phone and gave her "
        "lifts in a grey Audi A3. She has his number as 07700 900321. She stayed at a flat on Osprey Road.")
# Words of the child's account that are not intelligence: none may reach the police.
NARRATIVE = ["older man called", "bought her a new phone", "She has his number", "stayed at a flat", "about 24"]


def _resolve(schema):
    if isinstance(schema, dict):
        if "$ref" in schema:
            target = SPEC
            for part in schema["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return _resolve(target)
        return {key: _resolve(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_resolve(item) for item in schema]
    return schema


def check_against_spec(response, path: str) -> dict:
    described = SPEC["paths"][path]["get"]["responses"]
    assert str(response.status_code) in described, f"{response.status_code} is not described"
    body = response.get_json()
    jsonschema.validate(body, _resolve(described[str(response.status_code)]["content"]["application/json"]["schema"]),
                        format_checker=jsonschema.FormatChecker())
    return body


@pytest.fixture
def leah(orgs):
    return factories.child(orgs["home"], first_name="Leah", last_name="Testfenwick")


@pytest.fixture
def ready(leah):
    return factories.police_ready_rhi(leah, NOTE)


def actions():
    return [e.action for e in db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]


def test_a_draft_from_an_rhi_starts_from_confirmed_tags_each_traceable_to_its_passage(client_for, ready, users):
    response = client_for("coordinator").post(f"/rhis/{ready.id}/intelligence/new")
    assert response.status_code == 302
    summary = db.session.execute(select(IntelligenceSummary)).scalar_one()
    answer = db.session.execute(select(Answer).where(Answer.subject_id == ready.id)).scalar_one()
    assert summary.rhi_id == ready.id and summary.created_by_id == users["coordinator"].id
    texts = {s.text for s in summary.included}
    assert {"Person: Big Dee", "Vehicle: grey Audi A3", "Phone: 07700 900321", "Place: Osprey Road"} <= texts
    assert any(s.kind == "what" and s.confirmed for s in summary.included)
    for statement in summary.statements:
        assert statement.source_id == answer.id and statement.source_key == "who_with"
        assert 0 <= statement.start < statement.end <= len(NOTE)
    phone = next(s for s in summary.statements if s.entity_label == "PHONE")
    assert NOTE[phone.start:phone.end] == "07700 900321" and phone.entity_normalized == "07700900321"
    # the child is the subject, never a statement about someone of concern
    assert not any("Leah" in s.text for s in summary.statements)
    page = soup(client_for("coordinator").get(f"/intelligence/{summary.id}"))
    assert "She has his number as" in page.get_text()  # the passage, for the coordinator
    assert "intelligence_drafted" in actions()


def test_tags_nobody_confirmed_are_suggested_not_included(client_for, leah):
    rhi = factories.police_ready_rhi(leah, NOTE, confirm=False)
    client_for("coordinator").post(f"/rhis/{rhi.id}/intelligence/new")
    summary = db.session.execute(select(IntelligenceSummary)).scalar_one()
    mentions = [s for s in summary.statements if s.kind == "what"]
    assert mentions and not any(s.included or s.confirmed for s in mentions)
    page = soup(client_for("coordinator").get(f"/intelligence/{summary.id}/edit"))
    assert "suggested, not confirmed" in page.get_text()


def test_without_consent_or_a_rationale_no_draft_is_made(client_for, leah):
    refused = factories.police_ready_rhi(leah, NOTE, consent_given=False)
    response = client_for("coordinator").post(f"/rhis/{refused.id}/intelligence/new")
    assert response.status_code == 400
    assert "not consented" in soup(response).select_one("#draft-refused").get_text()
    assert db.session.execute(select(IntelligenceSummary)).first() is None
    with_reason = factories.police_ready_rhi(leah, NOTE, consent_given=False, rationale="Risk of serious harm from an adult")
    assert client_for("coordinator").post(f"/rhis/{with_reason.id}/intelligence/new").status_code == 302


def test_an_rhi_not_yet_submitted_cannot_be_summarised(client_for, leah):
    open_rhi = factories.rhi(leah, status="in_progress")
    response = client_for("coordinator").post(f"/rhis/{open_rhi.id}/intelligence/new")
    assert response.status_code == 400 and "Only a submitted RHI" in response.get_data(as_text=True)


def _about_phone(client, confirm=True):
    data = {"label": "PHONE", "value": "07700 900321"}
    if confirm:
        data["confirm"] = "yes"
    return client.post("/intelligence/about", data=data)


def test_a_summary_about_a_phone_across_children_needs_every_childs_consent(client_for, orgs, leah):
    maisie = factories.child(orgs["home"], first_name="Maisie", last_name="Testdraycott")
    factories.police_ready_rhi(leah, NOTE)
    without = factories.police_ready_rhi(maisie, "Maisie rang Big Dee on 07700 900321 when she had no money.", consent_given=None)
    coordinator = client_for("coordinator")
    page = soup(_about_phone(coordinator, confirm=False))
    assert "No consent and no safeguarding rationale" in page.select_one("#consent").get_text()
    assert page.select_one("#consent-needed") and not page.select_one("#start-draft")
    response = _about_phone(coordinator)
    assert response.status_code == 400 and "1 of the RHIs has no consent" in soup(response).select_one("#draft-refused").get_text()
    assert db.session.execute(select(IntelligenceSummary)).first() is None

    from rhi_service import consent
    consent.record(without, "police", True, None, None)
    db.session.flush()
    assert _about_phone(coordinator).status_code == 302
    summary = db.session.execute(select(IntelligenceSummary)).scalar_one()
    assert summary.about == "entity" and summary.entity_normalized == "07700900321" and len(summary.sources) == 2
    assert summary.intelligence_evaluation == "B"  # two children: corroborated
    everything = summary.subject + " ".join(s.text for s in summary.statements)
    assert "Leah" not in everything and "Maisie" not in everything and "Testfenwick" not in everything


def test_a_manager_cannot_approve_their_own_draft(app, orgs, users, ready):
    manager = users["manager"]
    summary = factories.intelligence_summary(ready, manager, orgs["force"], sent=False)
    response = sign_in_client(app, manager).post(f"/intelligence/{summary.id}/approve")
    assert response.status_code == 400
    assert "another manager must approve it" in soup(response).select_one("#approval-errors").get_text()
    db.session.refresh(summary)
    assert summary.status == "draft" and summary.sent_at is None
    other = factories.user("manager", orgs["home"])
    assert sign_in_client(app, other).post(f"/intelligence/{summary.id}/approve").status_code == 302
    db.session.refresh(summary)
    assert summary.status == "sent" and summary.approved_by_id == other.id and summary.force_id == orgs["force"].id
    assert {"intelligence_approved", "intelligence_sent"} <= set(actions())


def test_coordinators_cannot_approve(client_for, orgs, users, ready):
    summary = factories.intelligence_summary(ready, users["manager"], orgs["force"], sent=False)
    assert client_for("coordinator").post(f"/intelligence/{summary.id}/approve").status_code == 403


def test_handling_code_c_needs_conditions_next_to_the_field(client_for, orgs, users, ready):
    summary = factories.intelligence_summary(ready, users["coordinator"], orgs["force"], sent=False)
    data = {"subject": "A child", "source_evaluation": "2", "intelligence_evaluation": "A", "handling_code": "C",
            "force_id": str(orgs["force"].id)}
    response = client_for("coordinator").post(f"/intelligence/{summary.id}/edit", data=data)
    assert response.status_code == 400
    assert "Enter the conditions on sharing" in soup(response).select_one("#handling_conditions-error").get_text()
    data["handling_conditions"] = "Not to be shared with the child's family"
    data["include"] = [str(s.id) for s in summary.statements if s.kind == "phone"]
    data["new_kind"], data["new_text"] = "when", "Seen together most Friday evenings"
    assert client_for("coordinator").post(f"/intelligence/{summary.id}/edit", data=data).status_code == 302
    db.session.refresh(summary)
    assert [s.kind for s in summary.included] == ["phone", "when"] and summary.handling_conditions
    assert "intelligence_edited" in actions()


def _sent(ready, users, orgs, force="force"):
    return factories.intelligence_summary(ready, users["coordinator"], orgs[force], approver=users["manager"])


def test_nothing_of_the_childs_account_reaches_the_police_unless_the_coordinator_adds_it(app, client_for, orgs, users, ready):
    summary = _sent(ready, users, orgs)
    token, secret = factories.api_token(orgs["force"], scopes=("intelligence:read",))
    police = client_for("police")
    page = police.get(f"/police/intelligence/{summary.id}").get_data(as_text=True)
    pdf = police.get(f"/police/intelligence/{summary.id}/summary.pdf")
    assert pdf.mimetype == "application/pdf"
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    api = app.test_client().get(f"/api/v1/intelligence/{summary.id}", headers={"Authorization": f"Bearer {secret}"}).get_data(as_text=True)
    for words in NARRATIVE:
        assert words not in page and words not in pdf_text and words not in api, words
    assert "07700 900321" in page and "07700 900321" in " ".join(pdf_text.split())
    # the coordinator's own choice of words does go
    summary.statements[0].text = "Said he is about 24"
    db.session.flush()
    assert "about 24" in police.get(f"/police/intelligence/{summary.id}").get_data(as_text=True)
    assert {"intelligence_viewed", "intelligence_downloaded"} <= set(actions())


def test_police_see_only_summaries_sent_to_their_own_force(client_for, orgs, users, ready, leah):
    ours = _sent(ready, users, orgs)
    theirs = _sent(factories.police_ready_rhi(leah, NOTE), users, orgs, force="other_force")
    draft = factories.intelligence_summary(factories.police_ready_rhi(leah, NOTE), users["coordinator"], orgs["force"], sent=False)
    police = client_for("police")
    listing = soup(police.get("/police/"))
    assert ours.reference in listing.get_text() and theirs.reference not in listing.get_text() and draft.reference not in listing.get_text()
    for other in (theirs, draft):
        for url in (f"/police/intelligence/{other.id}", f"/police/intelligence/{other.id}/summary.pdf",
                    f"/police/intelligence/{other.id}/acknowledge"):
            assert police.get(url).status_code == 404, url
    for url in (f"/rhis/{ready.id}", f"/children/{leah.id}", f"/intelligence/{ours.id}", "/review/tags", "/people-and-places"):
        assert police.get(url).status_code in (403, 404), url


def test_police_acknowledge_with_their_own_reference(client_for, orgs, users, ready):
    summary = _sent(ready, users, orgs)
    police = client_for("police")
    empty = police.post(f"/police/intelligence/{summary.id}/acknowledge", data={"police_reference": ""})
    assert empty.status_code == 400 and soup(empty).select_one("#police_reference-error")
    assert police.post(f"/police/intelligence/{summary.id}/acknowledge", data={"police_reference": "NP-INT-4471"}).status_code == 302
    db.session.refresh(summary)
    assert summary.acknowledged_at and summary.police_reference == "NP-INT-4471" and summary.acknowledged_by_id == users["police"].id
    assert "Acknowledged" in soup(police.get("/police/?status=acknowledged")).get_text()
    assert summary.reference not in soup(police.get("/police/?status=new")).get_text()
    assert "intelligence_acknowledged" in actions()
    # the coordinator sees it on the RHI and the child's page
    for url in (f"/rhis/{ready.id}", f"/children/{ready.child_id}"):
        shared = soup(client_for("coordinator").get(url))
        assert "NP-INT-4471" in shared.get_text() and orgs["force"].name in shared.get_text(), url


@pytest.mark.parametrize("q, kind, found", [
    ("07700 900321", "any", True), ("07700900321", "phone", True), ("big dee", "person", True),
    ("Osprey", "place", True), ("audi", "vehicle", True), ("big dee", "phone", False), ("Nobody Here", "any", False)])
def test_police_search_by_person_place_vehicle_and_phone(client_for, orgs, users, ready, q, kind, found):
    summary = _sent(ready, users, orgs)
    text = soup(client_for("police").get("/police/", query_string={"q": q, "kind": kind})).get_text()
    assert (summary.reference in text) is found


def test_the_api_gives_police_systems_their_forces_summaries(app, orgs, users, ready, leah):
    ours = _sent(ready, users, orgs)
    theirs = _sent(factories.police_ready_rhi(leah, NOTE), users, orgs, force="other_force")
    _, secret = factories.api_token(orgs["force"], scopes=("intelligence:read",))
    client = app.test_client()
    auth = {"Authorization": f"Bearer {secret}"}
    listing = check_against_spec(client.get("/api/v1/intelligence", headers=auth), "/intelligence")
    assert [item["id"] for item in listing["items"]] == [str(ours.id)]
    one = check_against_spec(client.get(f"/api/v1/intelligence/{ours.id}", headers=auth), "/intelligence/{id}")
    assert one["grading"]["handling_code"] == "P" and any(s.get("entity", {}).get("normalized") == "07700900321" for s in one["statements"])
    for missing in (theirs.id, uuid.uuid4()):
        check_against_spec(client.get(f"/api/v1/intelligence/{missing}", headers=auth), "/intelligence/{id}")
        assert client.get(f"/api/v1/intelligence/{missing}", headers=auth).status_code == 404
    assert check_against_spec(client.get("/api/v1/intelligence?status=bad", headers=auth), "/intelligence")["error"] == "invalid_request"


def test_the_api_wants_a_token_with_the_intelligence_scope(app, orgs, users, ready):
    summary = _sent(ready, users, orgs)
    _, rhis_only = factories.api_token(orgs["force"], scopes=("rhis:write",))
    client = app.test_client()
    for path, spec in (("/api/v1/intelligence", "/intelligence"), (f"/api/v1/intelligence/{summary.id}", "/intelligence/{id}")):
        assert client.get(path).status_code == 401
        check_against_spec(client.get(path), spec)
        forbidden = client.get(path, headers={"Authorization": f"Bearer {rhis_only}"})
        assert forbidden.status_code == 403 and "intelligence:read" in check_against_spec(forbidden, spec)["message"]
    # a session is never enough
    assert sign_in_client(app, users["police"]).get("/api/v1/intelligence").status_code == 401


def test_an_admin_can_give_a_force_the_intelligence_scope(client_for, orgs):
    admin = client_for("admin")
    assert soup(admin.get("/admin/api-tokens/new")).select_one("input[name=scopes][value='intelligence:read']")
    page = soup(admin.post("/admin/api-tokens/new", data={"organisation_id": str(orgs["force"].id), "name": "Force intelligence system",
                                                          "scopes": ["intelligence:read"]}))
    assert page.select_one("#new-token")["value"].startswith("rhi_")


def test_the_staff_list_filters_by_status(client_for, orgs, users, ready, leah):
    sent = _sent(ready, users, orgs)
    draft = factories.intelligence_summary(factories.police_ready_rhi(leah, NOTE), users["coordinator"], orgs["force"], sent=False)
    coordinator = client_for("coordinator")
    drafts = soup(coordinator.get("/intelligence?status=draft")).get_text()
    assert draft.reference in drafts and sent.reference not in drafts
    assert "No summaries with this status" in soup(coordinator.get("/intelligence?status=acknowledged")).get_text()
