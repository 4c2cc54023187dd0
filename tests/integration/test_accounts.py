import time

import pytest

from rhi_service.extensions import db
from rhi_service.models.audit import AuditEvent
from tests import factories
from tests.conftest import base_config, make_app, sign_in_client, soup


def sign_in(client, username, password=factories.PASSWORD):
    return client.post("/sign-in", data={"username": username, "password": password})


@pytest.mark.parametrize(
    "role, first_page",
    [
        ("interviewer", "/my-rhis"),
        ("coordinator", "/today"),
        ("manager", "/today"),
        ("police", "/police/"),
        ("placing_authority", "/partner/"),
        ("admin", "/admin/users"),
    ],
)
def test_each_role_lands_on_its_own_first_page(client, users, role, first_page):
    response = sign_in(client, users[role].username)
    assert response.status_code == 302
    assert response.headers["Location"] == first_page
    page = client.get(first_page)
    assert page.status_code == 200


def test_wrong_password_says_so_next_to_the_field_and_is_audited(client, users):
    response = sign_in(client, users["coordinator"].username, "not-the-password")
    assert response.status_code == 200
    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    assert "Enter a correct username and password" in page.select_one(".govuk-error-summary").get_text()
    assert page.select_one("#username-error") is not None
    actions = [e.action for e in db.session.query(AuditEvent).all()]
    assert "sign_in_failed" in actions
    assert "sign_in" not in actions


def test_unknown_username_gets_the_same_message(client, users):
    response = sign_in(client, "nobody-at-all", "whatever-password")
    assert "Enter a correct username and password" in response.get_data(as_text=True)


def test_sign_in_is_audited_with_ids_only(client, users):
    user = users["coordinator"]
    sign_in(client, user.username)
    event = db.session.query(AuditEvent).filter_by(action="sign_in").one()
    assert event.actor_id == user.id
    assert event.record_ids == {"user": str(user.id)}


def test_next_only_goes_to_a_path_on_this_site(client, users):
    response = client.post("/sign-in?next=https://evil.example/", data={"username": users["coordinator"].username, "password": factories.PASSWORD})
    assert response.headers["Location"] == "/today"
    client.post("/sign-out")
    response = client.post("/sign-in?next=/children", data={"username": users["coordinator"].username, "password": factories.PASSWORD})
    assert response.headers["Location"] == "/children"


def test_signed_out_person_is_sent_to_sign_in(client):
    response = client.get("/today")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_sign_out_ends_the_session(client, users):
    sign_in(client, users["coordinator"].username)
    assert client.get("/today").status_code == 200
    client.post("/sign-out")
    assert client.get("/today").status_code == 302


def test_disabling_an_account_ends_its_sessions_at_once(app, client, users):
    coordinator = users["coordinator"]
    tablet = sign_in_client(app, coordinator)
    assert tablet.get("/today").status_code == 200
    admin = sign_in_client(app, users["admin"])
    admin.post(f"/admin/users/{coordinator.id}/disable")
    response = tablet.get("/today")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_a_disabled_account_cannot_sign_in(client, users):
    users["manager"].active = False
    db.session.flush()
    response = sign_in(client, users["manager"].username)
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.get_data(as_text=True)


def test_changing_password_ends_other_sessions_but_not_this_one(app, users):
    user = users["interviewer"]
    other_tablet = sign_in_client(app, user)
    this_tablet = sign_in_client(app, user)
    response = this_tablet.post(
        "/account/password",
        data={"current_password": factories.PASSWORD, "new_password": "lantern-otter-quarry-velvet", "confirm_password": "lantern-otter-quarry-velvet"},
    )
    assert response.status_code == 302
    assert this_tablet.get("/my-rhis").status_code == 200
    assert other_tablet.get("/my-rhis").status_code == 302


def test_a_weak_new_password_is_refused_with_a_reason(client_for):
    response = client_for("interviewer").post(
        "/account/password", data={"current_password": factories.PASSWORD, "new_password": "password1234", "confirm_password": "password1234"}
    )
    page = soup(response)
    assert "harder to guess" in page.select_one("#new_password-error").get_text()


def test_one_time_password_must_be_changed_first(app, users):
    user = users["coordinator"]
    user.must_change_password = True
    db.session.flush()
    tablet = sign_in_client(app, user)
    response = tablet.get("/today")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/password"


def test_idle_session_is_signed_out_after_the_timeout(app, users):
    tablet = sign_in_client(app, users["coordinator"])
    with tablet.session_transaction() as session:
        session["last_active"] = time.time() - 31 * 60
    response = tablet.get("/today")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sign-in"
    assert tablet.get("/today").status_code == 302


def test_activity_keeps_the_session_alive(app, users):
    tablet = sign_in_client(app, users["coordinator"])
    with tablet.session_transaction() as session:
        session["last_active"] = time.time() - 29 * 60
    assert tablet.post("/keep-alive").status_code == 204
    with tablet.session_transaction() as session:
        assert time.time() - session["last_active"] < 5


def test_signed_in_pages_are_not_cached(client_for):
    response = client_for("coordinator").get("/today")
    assert response.headers["Cache-Control"] == "no-store"


def test_strict_content_security_policy_on_every_page(client):
    response = client.get("/sign-in")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_forms_refuse_a_missing_csrf_token(instance_dir, db_session, users):
    config = base_config(instance_dir) | {"WTF_CSRF_ENABLED": True}
    csrf_app = make_app(config)
    from rhi_service.extensions import db as database

    database.session = db_session  # the same rolled-back transaction as the other fixtures
    with csrf_app.app_context():
        client = csrf_app.test_client()
        response = client.post("/sign-in", data={"username": users["coordinator"].username, "password": factories.PASSWORD})
        assert response.status_code == 400
        page = client.get("/sign-in").get_data(as_text=True)
        token = soup_token(page)
        response = client.post("/sign-in", data={"username": users["coordinator"].username, "password": factories.PASSWORD, "csrf_token": token})
        assert response.status_code == 302


def soup_token(html: str) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser").select_one("input[name=csrf_token]")["value"]
