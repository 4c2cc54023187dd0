"""The audit log: ids only, a hash chain, and a head kept beside it."""
from sqlalchemy import text

from rhi_service import audit
from rhi_service.extensions import db
from rhi_service.models.audit import AuditEvent
from tests import factories


def _three_entries(orgs):
    child = factories.child(orgs["home"])
    for action in ("child_viewed", "child_changed", "child_viewed"):
        audit.record(action, child=child.id)
    db.session.flush()
    return child


def test_an_intact_log_verifies(orgs):
    _three_entries(orgs)
    ok, count, message = audit.verify()
    assert ok and count == 3, message


def test_a_changed_entry_is_detected(orgs):
    _three_entries(orgs)
    first = db.session.query(AuditEvent).order_by(AuditEvent.id).first()
    db.session.execute(text("UPDATE audit_events SET action = 'nothing_to_see' WHERE id = :id"), {"id": first.id})
    db.session.expire_all()
    ok, _, message = audit.verify()
    assert not ok and "changed" in message


def test_a_removed_entry_in_the_middle_is_detected(orgs):
    _three_entries(orgs)
    middle = db.session.query(AuditEvent).order_by(AuditEvent.id).all()[1]
    db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": middle.id})
    db.session.expire_all()
    ok, _, message = audit.verify()
    assert not ok and "removed" in message


def test_deleting_the_latest_entries_is_detected_by_the_head(orgs):
    _three_entries(orgs)
    last = db.session.query(AuditEvent).order_by(AuditEvent.id.desc()).first()
    db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": last.id})
    db.session.expire_all()
    ok, count, message = audit.verify()
    assert not ok and count == 2 and "ends early" in message


def test_audit_entries_hold_ids_and_never_words(orgs):
    import pytest

    child = factories.child(orgs["home"])
    with pytest.raises(ValueError):
        audit.record("child_viewed", child="Casey told me about Dex")
    with pytest.raises(ValueError):
        audit.record("child_viewed", child=None)
    event = audit.record("child_viewed", child=child)
    assert event.record_ids == {"child": str(child.id)}


def test_the_app_has_no_way_to_change_or_delete_audit_rows(app):
    import inspect

    from rhi_service import audit as audit_module

    source = inspect.getsource(audit_module)
    assert "delete(" not in source and ".update(" not in source
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            assert "audit" not in rule.rule or rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


def test_verify_command_reports_an_intact_and_a_broken_log(app, orgs):
    _three_entries(orgs)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "3 entries, chain intact" in result.output
    db.session.execute(text("DELETE FROM audit_events WHERE id = (SELECT MAX(id) FROM audit_events)"))
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "ends early" in result.output


def test_manager_searches_the_log_by_child_and_exports_it(client_for, users, orgs):
    from tests.conftest import soup

    child = factories.child(orgs["home"], "Ozzie", "Fenmore")
    other = factories.child(orgs["home"], "Pat", "Quarrell")
    coordinator = client_for("coordinator")
    coordinator.get(f"/children/{child.id}")
    coordinator.get(f"/children/{other.id}")
    manager = client_for("manager")
    page = soup(manager.get("/audit-log?child=fenmore"))
    cells = page.select("tbody tr")
    assert len(cells) == 1 and "Ozzie Fenmore" in cells[0].get_text()
    page = soup(manager.get(f"/audit-log?user={users['coordinator'].id}"))
    assert len(page.select("tbody tr")) == 2
    export = manager.get("/audit-log.csv?child=fenmore")
    lines = export.get_data(as_text=True).strip().splitlines()
    assert lines[0].startswith("entry,at_utc,user_id")
    assert len(lines) == 2 and f"child={child.id}" in lines[1]
    assert "Ozzie" not in export.get_data(as_text=True)
    assert db.session.query(AuditEvent).filter_by(action="audit_log_exported").count() == 1


def test_manager_sees_only_their_organisations_entries(client_for, orgs):
    from tests.conftest import soup

    outsider = factories.user("coordinator", orgs["other_la"])
    audit.record("sign_in", actor=outsider, user=outsider.id)
    db.session.flush()
    page = soup(client_for("manager").get("/audit-log"))
    assert outsider.full_name not in page.get_text()


def test_a_bad_date_gets_a_message_next_to_the_field(client_for):
    from tests.conftest import soup

    page = soup(client_for("manager").get("/audit-log?from=yesterday"))
    assert "Enter a date like" in page.select_one("#from-error").get_text()


def test_coordinators_and_police_cannot_read_the_audit_log(client_for):
    for role in ("coordinator", "interviewer", "police", "placing_authority"):
        assert client_for(role).get("/audit-log").status_code == 403, role
