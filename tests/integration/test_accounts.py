import time

import pyotp
import pytest

from rhi_service.extensions import db
from rhi_service.models.audit import AuditEvent
from tests import factories
from tests.conftest import base_config, make_app, sign_in_client, soup


def sign_in(client, username, password=factories.PASSWORD, next_path=""):
    """Password, then the code from the authenticator app where the account has one."""
    response = client.post(f"/sign-in{next_path}", data={"username": username, "password": password})
    if response.status_code == 302 and response.headers["Location"] == "/sign-in/code":
        response = client.post("/sign-in/code", data={"code": pyotp.TOTP(factories.TOTP_SECRET).now()})
    return response


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
    response = sign_in(client, users["coordinator"].username, next_path="?next=https://evil.example/")
    assert response.headers["Location"] == "/today"
    client.post("/sign-out")
    response = sign_in(client, users["coordinator"].username, next_path="?next=/children")
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


def test_a_coordinator_needs_the_code_after_the_password(client, users):
    response = client.post("/sign-in", data={"username": users["coordinator"].username, "password": factories.PASSWORD})
    assert response.headers["Location"] == "/sign-in/code"
    # Not signed in yet: the first page still sends them to sign in.
    assert client.get("/today").headers["Location"].startswith("/sign-in")
    page = soup(client.post("/sign-in/code", data={"code": "000000"}))
    assert "Enter the 6-digit code" in page.select_one("#code-error").get_text()
    response = client.post("/sign-in/code", data={"code": pyotp.TOTP(factories.TOTP_SECRET).now()})
    assert response.headers["Location"] == "/today"
    assert client.get("/today").status_code == 200


def test_an_interviewer_without_a_second_factor_signs_in_with_the_password(client, users):
    response = client.post("/sign-in", data={"username": users["interviewer"].username, "password": factories.PASSWORD})
    assert response.headers["Location"] == "/my-rhis"


def test_a_required_role_without_a_second_factor_must_set_one_up(client, orgs):
    from rhi_service.models.organisations import User

    manager = factories.user("manager", orgs["home"], second_factor=False)
    response = client.post("/sign-in", data={"username": manager.username, "password": factories.PASSWORD})
    assert response.headers["Location"] == "/sign-in/set-up"
    page = soup(client.get("/sign-in/set-up"))
    assert page.select_one("img.rhi-qr")["src"].startswith("data:image/svg+xml;base64,")
    secret = page.select_one(".rhi-secret").get_text(strip=True)
    response = client.post("/sign-in/set-up", data={"code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"] == "/account/recovery-codes"
    codes = [c.get_text() for c in soup(client.get("/account/recovery-codes")).select(".rhi-recovery-codes code")]
    assert len(codes) == 10
    # Shown once only.
    assert client.get("/account/recovery-codes").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, manager.id).has_second_factor
    # A recovery code signs in once, and then never again.
    client.post("/sign-out")
    client.post("/sign-in", data={"username": manager.username, "password": factories.PASSWORD})
    assert client.post("/sign-in/code", data={"code": codes[0]}).headers["Location"] == "/today"
    client.post("/sign-out")
    client.post("/sign-in", data={"username": manager.username, "password": factories.PASSWORD})
    assert client.post("/sign-in/code", data={"code": codes[0]}).status_code == 200


def test_ten_wrong_passwords_lock_the_username_with_429(client, users):
    username = users["manager"].username
    for attempt in range(10):
        response = client.post("/sign-in", data={"username": username, "password": f"wrong-{attempt}"})
        assert response.status_code == 200
    response = client.post("/sign-in", data={"username": username, "password": factories.PASSWORD})
    assert response.status_code == 429
    assert "too many attempts" in response.get_data(as_text=True).lower()


def test_an_admin_unlocks_a_locked_account(client, client_for, users):
    username = users["police"].username
    for attempt in range(10):
        client.post("/sign-in", data={"username": username, "password": f"wrong-{attempt}"})
    assert client.post("/sign-in", data={"username": username, "password": factories.PASSWORD}).status_code == 429
    admin = client_for("admin")
    assert "locked after too many attempts" in soup(admin.get(f"/admin/users/{users['police'].id}")).get_text()
    admin.post(f"/admin/users/{users['police'].id}/unlock")
    assert sign_in(client, username).headers["Location"] == "/police/"


def test_admin_resets_a_second_factor_and_hands_over_the_new_secret(client, client_for, users):
    target = users["coordinator"]
    page = soup(client_for("admin").post(f"/admin/users/{target.id}/reset-second-factor"))
    secret = page.select_one(".rhi-secret").get_text(strip=True)
    db.session.refresh(target)
    assert target.totp_secret == secret != factories.TOTP_SECRET and target.has_second_factor
    # The old code no longer works; the new one does.
    client.post("/sign-in", data={"username": target.username, "password": factories.PASSWORD})
    assert client.post("/sign-in/code", data={"code": pyotp.TOTP(factories.TOTP_SECRET).now()}).status_code == 200
    response = client.post("/sign-in/code", data={"code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"] == "/today"


def test_paste_and_password_managers_are_allowed(client):
    page = soup(client.get("/sign-in"))
    password = page.select_one("#password")
    assert password["autocomplete"] == "current-password"
    assert not password.has_attr("onpaste")
