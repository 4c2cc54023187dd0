"""POST /api/v1/rhis with a bearer token, checked against the OpenAPI description; and the
administrator's token screens."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest
import yaml
from sqlalchemy import func, select

from rhi_service.extensions import db
from rhi_service.models.api_tokens import ApiToken
from rhi_service.models.audit import AuditEvent
from rhi_service.models.placements import Upload
from rhi_service.placements import tagging
from tests import factories
from tests.conftest import soup

SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "rhi_service" / "api" / "openapi.yaml").read_text())
NOW = lambda: datetime.now(timezone.utc).replace(second=0, microsecond=0)  # noqa: E731


@pytest.fixture(autouse=True)
def no_engine(monkeypatch):
    monkeypatch.setattr(tagging, "tag", lambda text: tagging.Tags(labels=["CCE"], detail="{}") if text else None)


def _resolve(schema):
    """The schema with every local $ref replaced, so jsonschema needs no registry."""
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


def check_against_spec(response, method: str = "post", path: str = "/rhis") -> dict:
    described = SPEC["paths"][path][method]["responses"]
    status = str(response.status_code)
    assert status in described, f"{status} is not described in openapi.yaml"
    assert response.mimetype == "application/json"
    body = response.get_json()
    schema = _resolve(described[status]["content"]["application/json"]["schema"])
    jsonschema.validate(body, schema, format_checker=jsonschema.FormatChecker())
    return body


def request_schema():
    return _resolve(SPEC["paths"]["/rhis"]["post"]["requestBody"]["content"]["application/json"]["schema"])


@pytest.fixture
def placed(orgs):
    return factories.placed_child(orgs["home"], orgs["placing"], first_name="Jamie", last_name="Testwood",
                                  date_of_birth=datetime(2011, 5, 17).date())


@pytest.fixture
def secret(orgs):
    return factories.api_token(orgs["placing"])[1]


def post(client, body, token: str | None, **kwargs):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/api/v1/rhis", json=body, headers=headers, **kwargs)


def body_for(child_id, **extra):
    return {"child": {"id": str(child_id)}, "interview": {"held_on": "2026-01-10", "interviewer_name": "RHI worker",
                                                          "text": "Said they stayed with a friend."}} | extra


def test_the_openapi_description_is_valid_openapi_3_1(client):
    assert SPEC["openapi"] == "3.1.0"
    jsonschema.Draft202012Validator.check_schema(request_schema())
    served = client.get("/api/v1/openapi.yaml")
    assert served.status_code == 200 and yaml.safe_load(served.get_data(as_text=True)) == SPEC


def test_the_examples_in_the_description_are_valid_requests():
    for example in SPEC["paths"]["/rhis"]["post"]["requestBody"]["content"]["application/json"]["examples"].values():
        jsonschema.validate(example["value"], request_schema(), format_checker=jsonschema.FormatChecker())


def test_an_rhi_sent_for_our_child_is_filed_and_answers_the_request(client, placed, secret):
    request = factories.rhi_request(placed, found_at=NOW() - timedelta(hours=30))
    response = post(client, body_for(placed.id, external_reference="CASE-1"), secret)
    assert response.status_code == 201
    body = check_against_spec(response)
    assert body["status"] == "filed" and body["child_id"] == str(placed.id) and body["request_id"] == str(request.id)
    upload = db.session.get(Upload, uuid.UUID(body["id"]))
    assert upload.received_via == "api" and upload.text == "Said they stayed with a friend." and upload.tag_labels == ["CCE"]
    assert upload.stored_name is None and upload.interview_held_at.date().isoformat() == "2026-01-10"
    db.session.refresh(request)
    assert not request.is_open
    event = db.session.query(AuditEvent).filter_by(action="upload_received").one()
    assert event.actor_id is None and "api_token" in event.record_ids
    token = db.session.execute(select(ApiToken)).scalar_one()
    assert token.last_used_at is not None


def test_sending_the_same_reference_twice_files_it_once(client, placed, secret):
    first = check_against_spec(post(client, body_for(placed.id, external_reference="CASE-2"), secret))
    again = post(client, body_for(placed.id, external_reference="CASE-2"), secret)
    assert again.status_code == 200 and check_against_spec(again)["id"] == first["id"]
    assert db.session.execute(select(func.count(Upload.id))).scalar_one() == 1


def test_a_named_child_who_matches_one_of_theirs_is_filed(client, placed, secret):
    body = {"child": {"first_name": "jamie", "last_name": "TESTWOOD", "date_of_birth": "2011-05-17"}, "interview": {"text": "Met at school."}}
    answer = check_against_spec(post(client, body, secret))
    assert answer["status"] == "filed" and answer["child_id"] == str(placed.id)


def test_a_named_child_we_cannot_match_waits_in_the_coordinators_inbox(client, placed, secret, client_for):
    body = {"child": {"first_name": "Jamie", "last_name": "Testwood", "date_of_birth": "2011-05-18"}, "interview": {"text": "Met at school."}}
    response = post(client, body, secret)
    assert response.status_code == 201
    answer = check_against_spec(response)
    assert answer["status"] == "awaiting_match" and answer["child_id"] is None
    assert "Jamie Testwood" in soup(client_for("coordinator").get("/placements/received?status=inbox")).get_text()


def test_without_a_token_the_answer_is_401(client, placed):
    response = post(client, body_for(placed.id), None)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    check_against_spec(response)
    assert check_against_spec(post(client, body_for(placed.id), "rhi_not-a-real-token")) ["error"] == "unauthorised"


def test_a_revoked_token_is_refused(client, placed, orgs, users):
    from rhi_service.api import tokens

    token, secret = factories.api_token(orgs["placing"])
    tokens.revoke(token, users["admin"])
    db.session.flush()
    assert post(client, body_for(placed.id), secret).status_code == 401


def test_a_token_without_the_scope_is_403(client, placed, orgs, monkeypatch):
    from rhi_service.api import tokens

    monkeypatch.setitem(tokens.SCOPES, "intelligence:read", "Read approved intelligence")
    _, secret = factories.api_token(orgs["placing"], scopes=("intelligence:read",))
    response = post(client, body_for(placed.id), secret)
    assert response.status_code == 403
    assert "rhis:write" in check_against_spec(response)["message"]


def test_another_authoritys_child_is_404(client, orgs, secret):
    theirs = factories.placed_child(orgs["home"], orgs["other_la"])
    ours = factories.child(orgs["home"])
    for child in (theirs, ours):
        response = post(client, body_for(child.id), secret)
        assert response.status_code == 404
        check_against_spec(response)
    their_request = factories.rhi_request(theirs, found_at=NOW() - timedelta(hours=5))
    response = post(client, {"request_id": str(their_request.id), "interview": {"text": "x"}}, secret)
    assert response.status_code == 404
    assert db.session.execute(select(func.count(Upload.id))).scalar_one() == 0


def test_every_malformed_field_is_named(client, secret):
    body = {"child": {"id": "not-a-uuid", "nickname": "J"}, "interview": {"text": "", "held_on": "2026-02-30"},
            "external_reference": 12, "colour": "blue"}
    response = post(client, body, secret)
    assert response.status_code == 400
    answer = check_against_spec(response)
    fields = {e["field"] for e in answer["errors"]}
    assert fields == {"child.id", "child.nickname", "interview.text", "interview.held_on", "external_reference", "colour"}


def test_a_named_child_needs_all_three_parts(client, secret):
    answer = check_against_spec(post(client, {"child": {"first_name": "Jamie"}, "interview": {"text": "x"}}, secret))
    assert {e["field"] for e in answer["errors"]} == {"child.last_name", "child.date_of_birth"}


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b'"text"'])
def test_a_body_that_is_not_an_object_is_400(client, secret, raw):
    response = client.post("/api/v1/rhis", data=raw, content_type="application/json", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 400
    check_against_spec(response)


def test_a_body_that_is_not_json_is_415(client, secret):
    response = client.post("/api/v1/rhis", data="child=1", content_type="application/x-www-form-urlencoded",
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 415
    check_against_spec(response)


def test_too_large_a_body_is_413(client, secret, placed):
    response = post(client, body_for(placed.id) | {"interview": {"text": "x" * (3 * 1024 * 1024)}}, secret)
    assert response.status_code == 413
    check_against_spec(response)


def test_the_api_needs_no_csrf_token_but_the_site_still_does(app, instance_dir, placed, secret):
    from tests.conftest import base_config, make_app

    protected = make_app(base_config(instance_dir) | {"WTF_CSRF_ENABLED": True})
    with protected.app_context():
        response = protected.test_client().post("/api/v1/rhis", json=body_for(placed.id), headers={"Authorization": f"Bearer {secret}"})
        # The token guard answers, not the CSRF check (401 here: the token sits in this test's open transaction).
        assert response.status_code in (201, 401)
        assert response.mimetype == "application/json"
        assert protected.test_client().post("/sign-in", data={"username": "x", "password": "y"}).status_code == 400


def test_unknown_api_addresses_answer_in_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"


# --- Tokens on the administrator's screens -----------------------------------------------------------

def test_an_admin_creates_a_token_shown_once_and_stored_hashed(client_for, orgs):
    admin = client_for("admin")
    form = soup(admin.get("/admin/api-tokens/new"))
    assert form.select_one("input[name=scopes][value='rhis:write']")
    page = soup(admin.post("/admin/api-tokens/new", data={"organisation_id": str(orgs["placing"].id), "name": "Case system link",
                                                          "scopes": ["rhis:write"]}))
    secret = page.select_one("#new-token")["value"]
    token = db.session.execute(select(ApiToken)).scalar_one()
    assert secret.startswith("rhi_") and len(secret) > 40
    assert token.token_hash != secret and secret not in str(token.token_hash) and token.scopes == ["rhis:write"]
    listing = admin.get("/admin/api-tokens/").get_data(as_text=True)
    assert secret not in listing and token.token_prefix in listing
    assert "api_token_created" in {e.action for e in db.session.query(AuditEvent)}


def test_a_token_form_with_nothing_chosen_says_what_is_missing(client_for):
    page = soup(client_for("admin").post("/admin/api-tokens/new", data={"name": ""}))
    for field in ("organisation_id", "name", "scopes"):
        assert page.select_one(f"#{field}-error"), field


def test_an_admin_revokes_a_token(client_for, orgs, client, placed):
    token, secret = factories.api_token(orgs["placing"])
    admin = client_for("admin")
    assert admin.post(f"/admin/api-tokens/{token.id}/revoke").status_code == 302
    db.session.refresh(token)
    assert token.revoked_at is not None
    assert post(client, body_for(placed.id), secret).status_code == 401
    assert "api_token_revoked" in {e.action for e in db.session.query(AuditEvent)}


@pytest.mark.parametrize("role", ["coordinator", "manager", "placing_authority", "police", "interviewer"])
def test_only_admins_manage_tokens(client_for, role):
    assert client_for(role).get("/admin/api-tokens/").status_code == 403
