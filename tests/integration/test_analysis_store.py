"""Tagging in the app: what Save and continue and submit store, re-tagging, decisions, highlighting."""
import pytest
from sqlalchemy import select, text

from rhi_service import analysis_store
from rhi_service.extensions import db
from rhi_service.forms import engine
from rhi_service.models.analysis import COORDINATOR, DISMISSED, MACHINE, Entity, Mention, Tag, TagDecision
from rhi_service.models.audit import AuditEvent
from tests import factories
from tests.conftest import soup
from tests.integration.test_guided_interview import autosave, complete_interview, page_url

SIGN = "He went OT to Swindon with Jay and sold crack for older lads. Mum's number is 07700 900123."


@pytest.fixture
def rhi(orgs, users):
    child = factories.child(orgs["home"], "Robin", "Testwell")
    return factories.rhi(child, users["interviewer"], status="interview_arranged")


def save_where(client, rhi, words, version="0"):
    return client.post(page_url(rhi, "episode", "where"), data={
        "version": version, "action": "continue", "where_went": words, "who_with__no_answer": "declined"})


def mentions(rhi, origin=None):
    query = select(Mention).where(Mention.rhi_id == rhi.id)
    if origin:
        query = query.where(Mention.origin == origin)
    return db.session.execute(query.order_by(Mention.start)).scalars().all()


def test_save_and_continue_tags_the_free_text(client_for, rhi):
    assert save_where(client_for("interviewer"), rhi, SIGN).status_code == 302
    found = mentions(rhi)
    assert found and all(m.source_key == "where_went" and m.child_id == rhi.child_id for m in found)
    assert {m.category for m in found} == {"CCE"}
    assert all(SIGN[m.start:m.end] == m.text for m in found)
    tags = db.session.execute(select(Tag.category).where(Tag.rhi_id == rhi.id)).scalars().all()
    assert tags == ["CCE"]
    entities = {(e.label, e.normalized) for e in db.session.execute(select(Entity).where(Entity.rhi_id == rhi.id)).scalars()}
    assert {("LOCATION", "swindon"), ("PERSON", "jay"), ("PHONE", "07700900123")} <= entities


def test_autosave_does_not_tag(client_for, rhi):
    response = autosave(client_for("interviewer"), rhi, "episode", "where", {"version": "0", "where_went": SIGN})
    assert response.status_code == 200
    assert engine.answers("interview", rhi.id)["where_went"].text_value == SIGN
    assert mentions(rhi) == []


def test_saving_again_replaces_the_machine_tags(client_for, rhi):
    interviewer = client_for("interviewer")
    save_where(interviewer, rhi, SIGN)
    assert mentions(rhi)
    save_where(interviewer, rhi, "She stayed at her nan's and forgot to charge her phone.", version="1")
    assert mentions(rhi) == []
    assert db.session.execute(select(Tag).where(Tag.rhi_id == rhi.id)).first() is None


def test_a_coordinators_decision_and_mention_survive_retagging(client_for, rhi, users):
    save_where(client_for("interviewer"), rhi, SIGN)
    first = mentions(rhi)[0]
    analysis_store.decide(first, DISMISSED, users["coordinator"], note="Already known to the CE team")
    added = Mention(organisation_id=first.organisation_id, child_id=first.child_id, rhi_id=rhi.id,
                    source_kind=first.source_kind, source_id=first.source_id, source_key=first.source_key,
                    code="CCE_DEALING", category="CCE", context="asserted", start=0, end=2, text="He",
                    text_hash=analysis_store.text_hash("He"), origin=COORDINATOR)
    db.session.add(added)
    db.session.commit()
    old_ids = {m.id for m in mentions(rhi, MACHINE)}

    analysis_store.retag_rhi(rhi)
    db.session.commit()

    machine = mentions(rhi, MACHINE)
    assert machine and not old_ids & {m.id for m in machine}
    assert [m.id for m in mentions(rhi, COORDINATOR)] == [added.id]
    again = next(m for m in machine if (m.code, m.start) == (first.code, first.start))
    decision = analysis_store.decision_for(again)
    assert decision.decision == DISMISSED and decision.note == "Already known to the CE team"
    assert decision.decided_by_id == users["coordinator"].id
    assert db.session.execute(select(TagDecision)).scalars().all() == [decision]
    # a dismissed mention is no longer shown as evidence
    assert (again.start, again.end, "CCE") not in analysis_store.evidence(rhi.id).get("where_went", [])


def test_surface_text_is_encrypted_and_normalised_forms_are_plain(client_for, rhi):
    save_where(client_for("interviewer"), rhi, SIGN)
    raw_mentions = db.session.execute(text("SELECT text FROM analysis_mentions")).scalars().all()
    raw_entities = db.session.execute(text("SELECT text, normalized FROM analysis_entities")).all()
    assert raw_mentions and raw_entities
    for stored in raw_mentions + [t for t, _ in raw_entities]:
        assert stored not in SIGN and "Swindon" not in stored and "OT" not in stored.split()
    assert "swindon" in {n for _, n in raw_entities}


def test_retag_command_tags_everything_and_audits(app, client_for, rhi):
    answer_page = save_where(client_for("interviewer"), rhi, SIGN)
    assert answer_page.status_code == 302
    db.session.execute(Mention.__table__.delete())
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["retag", "--batch-size", "1"])
    assert result.exit_code == 0, result.output
    assert "Re-tagged 1 answers" in result.output
    assert mentions(rhi)
    last = db.session.execute(select(AuditEvent).order_by(AuditEvent.id.desc())).scalars().first()
    assert last.action == "analysis_retagged" and last.record_ids == {}


def test_highlight_escapes_the_answer_and_marks_the_evidence():
    answer = "<script>alert(1)</script> has an older boyfriend & gifts"
    start = answer.index("older boyfriend")
    html = str(analysis_store.highlight(answer, [(start, start + len("older boyfriend"), "CSE")]))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<mark class="rhi-evidence" title="CSE">older boyfriend</mark>' in html
    assert html.endswith("&amp; gifts")


def test_highlight_merges_overlaps_and_ignores_spans_outside_the_text():
    html = str(analysis_store.highlight("a <b> c", [(0, 3, "CCE"), (2, 5, "CSE"), (40, 50, "CSE")]))
    assert html == '<mark class="rhi-evidence" title="CCE, CSE">a &lt;b&gt;</mark> c'


def test_the_submitted_interview_highlights_the_evidence(client_for, rhi):
    interviewer = client_for("interviewer")
    complete_interview(interviewer, rhi)
    answer = engine.answers("interview", rhi.id)["where_went"]
    answer.text_value = "<b>Found</b> in a trap house in Margate."
    db.session.commit()
    assert interviewer.post(f"/rhis/{rhi.id}/submit").status_code == 302
    page = soup(interviewer.get(f"/rhis/{rhi.id}/check-answers"))
    marks = [m.get_text() for m in page.select("mark.rhi-evidence")]
    assert "a trap house" in marks
    assert "<b>Found</b>" in page.get_text() and not page.select(".govuk-summary-list__value b")


def test_saving_one_section_retags_only_that_section(rhi):
    from rhi_service.models.forms import Answer

    for section, question, words in (("episode", "where_went", SIGN),
                                     ("child_view", "worries", "Worried an older boyfriend will give her a lift again")):
        db.session.add(Answer(organisation_id=rhi.organisation_id, form_code="interview", subject_id=rhi.id,
                              section_code=section, question_code=question, kind="long_text", text_value=words))
    db.session.flush()
    analysis_store.retag_rhi(rhi)
    before = {m.id for m in mentions(rhi) if m.source_key == "worries"}
    assert before
    analysis_store.retag_rhi(rhi, "episode")
    after = {m.id for m in mentions(rhi) if m.source_key == "worries"}
    # The other section's rows were neither cleared nor written again.
    assert after == before
    assert {m.source_key for m in mentions(rhi)} == {"where_went", "worries"}


def test_a_tagging_failure_keeps_the_save_and_leaves_no_half_written_tags(client_for, rhi, monkeypatch):
    def fails_half_way(record, section_code=None):
        db.session.add(Tag(category="CSE", origin=MACHINE, organisation_id=record.organisation_id, child_id=record.child_id,
                           rhi_id=record.id, source_kind="answer", source_id=record.id, source_key="where_went"))
        db.session.flush()
        raise RuntimeError("the tagger broke")

    monkeypatch.setattr(analysis_store, "retag_rhi", fails_half_way)
    response = save_where(client_for("interviewer"), rhi, SIGN)
    assert response.status_code == 302
    db.session.expire_all()
    assert engine.answers("interview", rhi.id)["where_went"].text_value == SIGN
    assert db.session.execute(select(Tag).where(Tag.rhi_id == rhi.id)).first() is None
    saved = db.session.execute(select(AuditEvent).where(AuditEvent.action == "rhi_answers_saved")).scalars().all()
    assert [e.record_ids["rhi"] for e in saved] == [str(rhi.id)]


def test_save_and_continue_tags_text_an_autosave_already_stored(client_for, rhi):
    interviewer = client_for("interviewer")
    autosave(interviewer, rhi, "episode", "where", {"version": "0", "where_went": SIGN})
    assert mentions(rhi) == []
    assert save_where(interviewer, rhi, SIGN, version="1").status_code == 302
    assert {m.category for m in mentions(rhi)} == {"CCE"}
