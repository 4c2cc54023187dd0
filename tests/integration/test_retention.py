"""Retention deletes everything about a child past the period, and nothing else; a subject-access
export holds everything about one child."""
import json
import uuid
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import inspect, select, text

from rhi_service import audit, retention
from rhi_service.extensions import db
from rhi_service.models.audit import AuditEvent
from rhi_service.models.children import Child
from tests import factories


def _linked_child(orgs, users, **kwargs):
    child = factories.child(orgs["home"], **kwargs)
    factories.episode(child, notes="Words about this child only")
    factories.episode(child, found_at=datetime.now(timezone.utc) - timedelta(hours=1))
    rhi = factories.rhi(child, interviewer=users["interviewer"])
    factories.contact_attempt(rhi)
    db.session.flush()
    return child, rhi


def _rows_mentioning(ids: set) -> list[str]:
    """Every (table, column) outside the audit log still holding one of these ids."""
    hits = []
    inspector = inspect(db.session.connection())
    for table in db.metadata.sorted_tables:
        if table.name in ("audit_events",):
            continue
        for column in table.columns:
            if str(column.type).upper().startswith(("UUID", "CHAR(32)")) or column.type.__class__.__name__ == "Uuid":
                for value in db.session.execute(select(column)).scalars():
                    if value in ids:
                        hits.append(f"{table.name}.{column.name}")
    return hits


def test_deleting_a_child_removes_every_linked_row_and_keeps_others(orgs, users):
    child, rhi = _linked_child(orgs, users)
    child_id = child.id
    keeper, _ = _linked_child(orgs, users)
    audit.record("child_viewed", child=child_id)
    found = retention.collect(child_id)
    ids = {key for keys in found.values() for key in keys}
    # Two episodes of its own and the one the RHI covers, the RHI and its contact attempt.
    assert len(found["missing_episodes"]) == 3
    assert found["return_interviews"] == {rhi.id} and len(found["contact_attempts"]) == 1
    retention.delete_child(child_id)
    db.session.flush()
    db.session.expire_all()
    assert _rows_mentioning(ids) == []
    assert db.session.get(Child, keeper.id) is not None
    assert len(retention.collect(keeper.id).get("missing_episodes", ())) == 3
    # The audit log keeps its entries (ids only), so its chain still verifies.
    assert db.session.query(AuditEvent).filter_by(child_id=child_id).count() == 1
    assert audit.verify()[0]


def test_children_past_the_period_are_listed(orgs):
    today = date(2026, 11, 23)
    old = factories.child(orgs["home"], date_of_birth=date(2001, 11, 23))
    young = factories.child(orgs["home"], date_of_birth=date(2001, 11, 24))
    listed = retention.past_retention(today, until_age=25, extra_years=0)
    assert [c.id for c in listed] == [old.id]
    assert retention.past_retention(today, until_age=25, extra_years=1) == []
    assert young not in listed


def test_retention_command_lists_then_deletes_on_confirmation(app, orgs, users):
    child, _ = _linked_child(orgs, users, date_of_birth=date(1990, 1, 1))
    child_id = child.id
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["retention"])
    assert str(child_id) in listed.output and "Nothing deleted" in listed.output
    assert db.session.get(Child, child_id) is not None
    refused = runner.invoke(args=["retention", "--delete"], input="n\n")
    assert "Nothing deleted" in refused.output
    done = runner.invoke(args=["retention", "--delete"], input="y\n")
    assert done.exit_code == 0, done.output
    db.session.expire_all()
    assert db.session.get(Child, child_id) is None
    assert db.session.query(AuditEvent).filter_by(action="child_deleted_retention", child_id=child_id).count() == 1


def test_subject_access_export_holds_everything_about_the_child(client_for, orgs, users):
    child, rhi = _linked_child(orgs, users, address="3 Export Lane, Testtown ZZ99 3EE")
    other, _ = _linked_child(orgs, users)
    response = client_for("manager").get(f"/children/{child.id}/subject-access.json")
    assert response.status_code == 200
    data = json.loads(response.get_data(as_text=True))
    assert data["children"][0]["address"] == "3 Export Lane, Testtown ZZ99 3EE"
    assert len(data["missing_episodes"]) == 3
    assert data["return_interviews"][0]["id"] == str(rhi.id)
    assert any(e["notes"] == "Words about this child only" for e in data["missing_episodes"])
    assert str(other.id) not in response.get_data(as_text=True)
    assert db.session.query(AuditEvent).filter_by(action="subject_access_exported", child_id=child.id).count() == 1


def test_subject_access_export_leaves_out_the_peer_links_that_name_another_child(client_for, orgs, users):
    from tests.integration.test_coordinator import tagged_rhi
    child, _ = _linked_child(orgs, users)
    other, _ = _linked_child(orgs, users)
    tagged_rhi(child, "A man rang her from 07700 900123 and collected her.")
    tagged_rhi(other, "He was given a lift by a man on 07700 900123.")
    assert set(retention.DERIVED_TABLES) & set(retention.collect(child.id)) >= {"peer_links", "peer_group_members"}
    body = client_for("manager").get(f"/children/{child.id}/subject-access.json").get_data(as_text=True)
    data = json.loads(body)
    assert "07700 900123" in json.dumps(data["analysis_entities"])  # what the child's own RHI holds
    assert not set(retention.DERIVED_TABLES) & set(data)
    assert str(other.id) not in body


def test_only_a_manager_of_the_childs_organisation_exports(client_for, orgs):
    theirs = factories.child(orgs["other_la"])
    assert client_for("manager").get(f"/children/{theirs.id}/subject-access.json").status_code == 404
    ours = factories.child(orgs["home"])
    for role in ("coordinator", "interviewer", "admin", "police"):
        assert client_for(role).get(f"/children/{ours.id}/subject-access.json").status_code == 403, role


def test_retention_deletes_received_uploads_and_their_files(orgs, users):
    from rhi_service.models.placements import Upload
    from rhi_service.placements import storage

    child = factories.placed_child(orgs["home"], orgs["placing"])
    child_id = child.id
    request = factories.rhi_request(child)
    name = storage.new_name()
    path = storage.write(name, b"An RHI from the placing authority")
    upload = Upload(organisation_id=orgs["home"].id, from_organisation_id=orgs["placing"].id, received_via="upload",
                    child_id=child_id, request_id=request.id, stored_name=name, content_type="text/plain", size_bytes=33)
    db.session.add(upload)
    db.session.flush()
    found = retention.collect(child_id)
    assert {"uploads", "rhi_requests", "rhi_request_contacts"} <= set(found)
    retention.delete_child(child_id)
    db.session.flush()
    assert not path.exists()
    assert db.session.query(Upload).count() == 0


def test_retention_deletes_a_childs_intelligence_summaries_too(orgs, users):
    from rhi_service.models.intelligence import IntelligenceSummary

    child = factories.child(orgs["home"])
    child_id = child.id
    rhi = factories.police_ready_rhi(child, "She was picked up by an older man called Dex in a grey Audi A3.")
    factories.intelligence_summary(rhi, users["coordinator"], orgs["force"], approver=users["manager"])
    found = retention.collect(child_id)
    assert "intelligence_summaries" in found and "intelligence_sources" in found
    retention.delete_child(child_id)
    db.session.flush()
    assert db.session.query(IntelligenceSummary).count() == 0
