import re

from rhi_service.extensions import db
from rhi_service.models.audit import AuditEvent
from rhi_service.models.organisations import User
from rhi_service.passwords import verify_password
from tests.conftest import soup


def new_account(client, orgs, **overrides):
    data = {
        "full_name": "Morgan Tilley",
        "username": "mtilley",
        "email": "",
        "role": "interviewer",
        "organisation_id": str(orgs["home"].id),
    } | overrides
    return client.post("/admin/users/new", data=data)


def test_admin_creates_an_account_and_sees_its_one_time_password_once(client_for, orgs):
    response = new_account(client_for("admin"), orgs)
    assert response.status_code == 200
    password = soup(response).select_one(".rhi-one-time-password").get_text(strip=True)
    user = db.session.query(User).filter_by(username="mtilley").one()
    assert verify_password(user.password_hash, password)
    assert user.must_change_password
    assert password not in str([e.record_ids for e in db.session.query(AuditEvent)])


def test_a_police_account_must_belong_to_a_police_force(client_for, orgs):
    response = new_account(client_for("admin"), orgs, role="police")
    assert "must belong to a police force" in soup(response).select_one("#role-error").get_text()
    assert db.session.query(User).filter_by(username="mtilley").first() is None


def test_a_taken_username_is_refused(client_for, orgs, users):
    response = new_account(client_for("admin"), orgs, username=users["manager"].username)
    assert "already used" in soup(response).select_one("#username-error").get_text()


def test_reset_password_gives_a_new_one_time_password(client_for, users):
    target = users["interviewer"]
    version = target.session_version
    response = client_for("admin").post(f"/admin/users/{target.id}/reset-password")
    password = soup(response).select_one(".rhi-one-time-password").get_text(strip=True)
    assert re.fullmatch(r"[0-9a-f]{6}(-[0-9a-f]{6}){3}", password)
    db.session.refresh(target)
    assert verify_password(target.password_hash, password)
    assert target.must_change_password and target.session_version == version + 1


def test_only_admins_reach_account_screens(client_for):
    for role in ("interviewer", "coordinator", "manager", "police", "placing_authority"):
        assert client_for(role).get("/admin/users").status_code == 403, role


def test_account_list_filters_by_role(client_for, users):
    page = soup(client_for("admin").get("/admin/users?role=police"))
    names = [a.get_text() for a in page.select("tbody a")]
    assert names == [users["police"].full_name]


def test_admin_disables_and_enables_an_account(client_for, users):
    admin = client_for("admin")
    target = users["manager"]
    admin.post(f"/admin/users/{target.id}/disable")
    db.session.refresh(target)
    assert not target.active
    admin.post(f"/admin/users/{target.id}/enable")
    db.session.refresh(target)
    assert target.active
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-2:] == ["account_disabled", "account_enabled"]


def test_admin_adds_an_organisation(client_for):
    response = client_for("admin").post("/admin/organisations/new", data={"name": "Fictional Constabulary", "kind": "police_force"})
    assert response.status_code == 302
    page = soup(client_for("admin").get("/admin/organisations"))
    assert "Fictional Constabulary" in page.get_text()
