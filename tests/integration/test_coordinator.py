"""The coordinator's pages (issue 6): Today, tags to review, themes, people and places, peer groups,
repeat missing, the daily missing report and a child's timeline."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from rhi_service import analysis_store, entity_groups
from rhi_service.extensions import db
from rhi_service.models.analysis import Mention, TagDecision
from rhi_service.models.audit import AuditEvent
from rhi_service.models.coordination import EntityGroup, EntityMerge
from rhi_service.models.forms import Answer
from tests import factories
from tests.conftest import soup

NOW = datetime.now(timezone.utc)
CSE_TEXT = ("She said an older man called Big Dee bought her a new phone and gave her lifts in a grey Audi A3. "
            "His number is 07700 900123 and he messaged her as @dee_zz99. They went to Northmoor bus station.")
CCE_TEXT = "Older lads drove him to Eastvale to sell drugs from a flat. A man called Big Dee rang him on 07700 900123."
PLAIN_TEXT = "She stayed at a friend's house in Northmoor after an argument at home about chores."


def tagged_rhi(child, text: str, question: str = "what_happened", found_at=None, **kwargs):
    rhi = factories.rhi(child, found_at=found_at, **kwargs)
    db.session.add(Answer(organisation_id=rhi.organisation_id, form_code="interview", subject_id=rhi.id,
                          section_code="episode", question_code=question, kind="long_text", text_value=text))
    db.session.flush()
    analysis_store.retag_rhi(rhi)
    db.session.flush()
    return rhi


def audit_actions() -> list[str]:
    return [e.action for e in db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]


# --- Today ------------------------------------------------------------------------------------------

def test_today_says_what_to_do_when_nothing_is_waiting(client_for):
    page = soup(client_for("coordinator").get("/today"))
    text = page.get_text(" ", strip=True)
    assert "No RHI is overdue" in text
    assert "No child is missing now" in text
    assert "No tags are waiting" in text
    assert "Every open RHI has an interviewer" in text


def test_today_shows_each_block_with_links_to_its_list(client_for, orgs, users):
    child = factories.child(orgs["home"], first_name="Robin", legal_status="looked_after")
    factories.rhi(child, found_at=NOW - timedelta(hours=80))  # overdue and unassigned
    factories.rhi(factories.child(orgs["home"], first_name="Alex"), interviewer=users["interviewer"],
                  found_at=NOW - timedelta(hours=60))  # due within 24 hours
    factories.episode(factories.child(orgs["home"], first_name="Sky", legal_status="looked_after"),
                      reported_missing_at=NOW - timedelta(hours=30))
    tagged_rhi(factories.child(orgs["home"]), CSE_TEXT, interviewer=users["interviewer"])
    response = client_for("coordinator").get("/today")
    page = soup(response)
    overdue = page.select("#overdue + table tbody tr")
    assert len(overdue) == 1 and "Robin" in overdue[0].get_text()
    assert "Alex" in page.select_one("#due-soon + table").get_text()
    missing = page.select_one("#missing-now + table").get_text(" ", strip=True)
    assert "Sky" in missing and "Review by team manager" in missing and "Strategy discussion for a child in care" in missing
    assert page.find("a", href="/rhis?interviewer=unassigned")
    assert page.find("a", href="/review/tags")
    assert "RHIs overdue from placing authorities" in response.get_data(as_text=True)
    assert "today_viewed" in audit_actions()


def test_todays_overdue_block_is_the_soonest_due_of_every_open_status(client_for, orgs, users):
    statuses = ["awaiting_contact", "contact_attempted", "interview_arranged", "in_progress", "contact_attempted",
                "awaiting_contact", "in_progress"]
    for hours, status in zip(range(80, 80 + 10 * len(statuses), 10), statuses):
        factories.rhi(factories.child(orgs["home"], first_name=f"Late{hours}"), users["interviewer"],
                      found_at=NOW - timedelta(hours=hours), status=status)
    factories.rhi(factories.child(orgs["home"], first_name="Done"), found_at=NOW - timedelta(hours=300), status="submitted")
    factories.rhi(factories.child(orgs["home"], first_name="Theirs"), found_at=NOW - timedelta(hours=300),
                  conducted_by="placing_authority")
    page = soup(client_for("coordinator").get("/today"))
    names = [r.find("a").get_text().split()[0] for r in page.select("#overdue + table tbody tr")]
    # the longest overdue first, whatever their status; five shown, all seven counted
    assert names == ["Late140", "Late130", "Late120", "Late110", "Late100"]
    assert "See all 7 overdue RHIs" in page.get_text(" ", strip=True)


def test_today_is_for_coordinators_and_managers(client_for):
    assert client_for("manager").get("/today").status_code == 200
    assert client_for("interviewer").get("/today").status_code == 403


# --- Tags to review -----------------------------------------------------------------------------------

def test_the_queue_shows_evidence_in_context_escaped(client_for, orgs):
    child = factories.child(orgs["home"], first_name="Jamie")
    tagged_rhi(child, "<b>x</b> " + CSE_TEXT)
    page = soup(client_for("coordinator").get("/review/tags"))
    marks = page.select("blockquote.rhi-evidence-context mark")
    assert {m.get_text() for m in marks} >= {"bought her", "gave her lifts"}
    assert "<b>x</b>" in page.select_one("blockquote").get_text()
    assert not page.select("blockquote b")


def test_a_dismissal_keeps_who_and_when_and_survives_retagging(client_for, orgs, users):
    child = factories.child(orgs["home"])
    rhi = tagged_rhi(child, CSE_TEXT)
    mention = db.session.execute(select(Mention).where(Mention.rhi_id == rhi.id, Mention.code == "CSE_GIFTS",
                                                       Mention.start == CSE_TEXT.index("bought her"))).scalar_one()
    response = client_for("coordinator").post(f"/review/mentions/{mention.id}/decision",
                                              data={"decision": "dismissed", "note": "Mum bought the phone"})
    assert response.status_code == 302
    analysis_store.retag_rhi(rhi)
    db.session.flush()
    again = db.session.execute(select(Mention).where(Mention.rhi_id == rhi.id, Mention.code == "CSE_GIFTS",
                                                     Mention.start == mention.start)).scalar_one()
    assert again.id != mention.id
    decision = analysis_store.decision_for(again)
    assert decision.decision == "dismissed" and decision.decided_by_id == users["coordinator"].id
    assert decision.note == "Mum bought the phone" and decision.decided_at is not None
    waiting = {m.get_text() for m in soup(client_for("coordinator").get("/review/tags")).select("mark")}
    assert "bought her" not in waiting and "new phone" in waiting
    dismissed = soup(client_for("coordinator").get("/review/tags?status=dismissed"))
    assert [m.get_text() for m in dismissed.select("mark")] == ["bought her"]
    assert "Mum bought the phone" in dismissed.get_text()
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "tag_dismissed")).scalar_one()
    assert set(event.record_ids) == {"child", "mention", "rhi"}


def test_a_decision_needs_a_valid_choice(client_for, orgs):
    rhi = tagged_rhi(factories.child(orgs["home"]), CSE_TEXT)
    mention = db.session.execute(select(Mention).where(Mention.rhi_id == rhi.id)).scalars().first()
    client_for("coordinator").post(f"/review/mentions/{mention.id}/decision", data={"decision": "maybe"})
    assert analysis_store.decision_for(mention) is None


def test_a_mention_of_another_organisation_is_not_found(client_for, orgs):
    rhi = tagged_rhi(factories.child(orgs["other_la"]), CSE_TEXT)
    mention = db.session.execute(select(Mention).where(Mention.rhi_id == rhi.id)).scalars().first()
    response = client_for("coordinator").post(f"/review/mentions/{mention.id}/decision", data={"decision": "confirmed"})
    assert response.status_code == 404


def test_a_decision_on_an_unknown_or_replaced_mention_is_not_found(client_for, orgs):
    import uuid

    client = client_for("coordinator")
    unknown = client.post(f"/review/mentions/{uuid.uuid4()}/decision", data={"decision": "confirmed"})
    assert unknown.status_code == 404
    rhi = tagged_rhi(factories.child(orgs["home"]), CSE_TEXT)
    stale = db.session.execute(select(Mention).where(Mention.rhi_id == rhi.id)).scalars().first()
    stale_id = stale.id
    # a re-tag replaces the machine's rows: the page the coordinator opened before names a row that is gone
    analysis_store.retag_rhi(rhi)
    db.session.flush()
    assert db.session.get(Mention, stale_id) is None
    response = client.post(f"/review/mentions/{stale_id}/decision", data={"decision": "dismissed"})
    assert response.status_code == 404
    assert db.session.execute(select(TagDecision)).first() is None
    assert client.post("/review/mentions/not-an-id/decision", data={"decision": "confirmed"}).status_code == 404


def test_a_coordinator_adds_a_tag_by_typing_the_words(client_for, orgs):
    rhi = tagged_rhi(factories.child(orgs["home"]), PLAIN_TEXT)
    client = client_for("coordinator")
    page = soup(client.get(f"/rhis/{rhi.id}/tags/new"))
    assert page.select_one("[data-source-key='what_happened']")
    wrong = client.post(f"/rhis/{rhi.id}/tags/new", data={"source_key": "what_happened", "words": "not in the text",
                                                            "code": "CSE_GIFTS"})
    assert wrong.status_code == 200 and "exactly as they appear" in wrong.get_data(as_text=True)
    done = client.post(f"/rhis/{rhi.id}/tags/new", data={"source_key": "what_happened", "words": "a  FRIEND'S house",
                                                           "code": "CSE_GIFTS",
                                                           "note": "Known address"})
    assert done.status_code == 302
    added = db.session.execute(select(Mention).where(Mention.rhi_id == rhi.id, Mention.origin == "coordinator")).scalar_one()
    assert added.text == "a friend's house" and PLAIN_TEXT[added.start:added.end] == added.text
    assert analysis_store.decision_for(added).decision == "confirmed"
    # a re-tag replaces only the machine's rows
    analysis_store.retag_rhi(rhi)
    db.session.flush()
    assert db.session.execute(select(Mention).where(Mention.rhi_id == rhi.id, Mention.origin == "coordinator")).scalar_one()
    assert "tag_added" in audit_actions()


# --- Themes -----------------------------------------------------------------------------------------

def test_themes_count_rhis_by_category_and_code_and_exclude_dismissed(client_for, orgs):
    cse = tagged_rhi(factories.child(orgs["home"], team="East"), CSE_TEXT, found_at=NOW - timedelta(days=3))
    tagged_rhi(factories.child(orgs["home"], team="West", sex="male"), CCE_TEXT, found_at=NOW - timedelta(days=3))
    client = client_for("coordinator")
    page = soup(client.get("/themes"))
    assert page.select_one("svg.rhi-chart[role=img] title")
    assert "CSE_GIFTS" in page.get_text()
    for gifts in db.session.execute(select(Mention).where(Mention.rhi_id == cse.id, Mention.code == "CSE_GIFTS")).scalars():
        analysis_store.decide(gifts, "dismissed", None)
    db.session.flush()
    rows = list(csv.reader(io.StringIO(client.get("/themes.csv?table=indicators").get_data(as_text=True))))
    codes = {r[0]: r for r in rows[1:]}
    assert "CSE_GIFTS" not in codes and "CCE_DEALING" in codes
    west = list(csv.reader(io.StringIO(client.get("/themes.csv?table=indicators&team=West").get_data(as_text=True))))
    assert "CCE" in {r[1] for r in west[1:]} and "CSE" not in {r[1] for r in west[1:]}
    female = list(csv.reader(io.StringIO(client.get("/themes.csv?table=indicators&sex=female").get_data(as_text=True))))
    assert {r[1] for r in female[1:]} == {"CSE"}
    assert "themes_exported" in audit_actions()


def test_themes_confirmed_and_suggested_by_week(client_for, orgs):
    rhi = tagged_rhi(factories.child(orgs["home"]), CSE_TEXT, found_at=NOW - timedelta(days=2))
    lifts = db.session.execute(select(Mention).where(Mention.rhi_id == rhi.id, Mention.code == "CSE_LIFTS_BY_ADULTS")).scalar_one()
    analysis_store.decide(lifts, "confirmed", None)
    db.session.flush()
    rows = list(csv.reader(io.StringIO(client_for("coordinator").get("/themes.csv?period=week").get_data(as_text=True))))
    cse = [r for r in rows[1:] if r[1] == "CSE" and r[2] != "0"]
    assert cse == [[cse[0][0], "CSE", "1", "1", "0"]]


def test_themes_filters_refuse_nonsense_clearly(client_for):
    client = client_for("coordinator")
    response = client.get("/themes?from=2026-13-45&to=yesterday&placing=x")
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    assert client.get("/themes.csv?from=nonsense").status_code == 400
    assert client.get("/themes?from=2026-06-01&to=2026-01-01").status_code == 200


def test_age_band_filter_uses_the_age_at_the_time(client_for, orgs):
    found = NOW - timedelta(days=5)
    born = (found - timedelta(days=365 * 13 + 20)).date()
    tagged_rhi(factories.child(orgs["home"], date_of_birth=born), CSE_TEXT, found_at=found)
    client = client_for("coordinator")
    hit = list(csv.reader(io.StringIO(client.get("/themes.csv?table=indicators&age_band=12_13").get_data(as_text=True))))
    miss = list(csv.reader(io.StringIO(client.get("/themes.csv?table=indicators&age_band=14_15").get_data(as_text=True))))
    assert len(hit) > 1 and len(miss) == 1


def test_72_hour_compliance_and_declines_by_month(client_for, orgs):
    child = factories.child(orgs["home"])
    found = NOW - timedelta(days=10)
    factories.rhi(child, found_at=found, status="submitted", held_by_due=True)
    factories.rhi(child, found_at=found, status="submitted", held_by_due=False)
    factories.rhi(child, found_at=found, status="declined")
    factories.rhi(child, found_at=NOW - timedelta(hours=5))  # not yet due: not counted
    rows = list(csv.reader(io.StringIO(client_for("coordinator").get("/themes.csv?table=compliance").get_data(as_text=True))))
    month = found.strftime("%Y-%m")
    due = [r for r in rows[1:] if r[0].startswith(month)][0]
    assert due[1:6] == ["3", "1", "1", "1", "0"]
    assert due[6] == "33.3"


# --- People and places ------------------------------------------------------------------------------

def test_people_and_places_ranked_by_children(client_for, orgs):
    tagged_rhi(factories.child(orgs["home"]), CSE_TEXT)
    tagged_rhi(factories.child(orgs["home"]), CCE_TEXT)
    page = soup(client_for("coordinator").get("/people-and-places"))
    rows = [r.get_text(" ", strip=True) for r in page.select("tbody tr")]
    assert rows[0].startswith(("Big Dee", "07700 900123"))
    assert "2" in rows[0]
    phone = db.session.execute(select(EntityGroup).where(EntityGroup.label == "PHONE")).scalar_one()
    assert phone.children_count == 2 and phone.episodes_count == 2
    entity_page = soup(client_for("coordinator").get(f"/people-and-places/{phone.id}"))
    assert len(entity_page.select("tbody tr")) == 2
    assert "entity_viewed" in audit_actions()


def test_people_and_places_of_another_organisation_are_not_found(client_for, orgs):
    tagged_rhi(factories.child(orgs["other_la"]), CSE_TEXT)
    group = db.session.execute(select(EntityGroup)).scalars().first()
    assert client_for("coordinator").get(f"/people-and-places/{group.id}").status_code == 404
    assert "Big Dee" not in client_for("coordinator").get("/people-and-places").get_data(as_text=True)


def test_merge_then_split(client_for, orgs):
    tagged_rhi(factories.child(orgs["home"]), "A man called Big Dee gave her lifts.")
    tagged_rhi(factories.child(orgs["home"]), "A man called Dee Bigs gave her lifts. Also Big Dee.")
    tagged_rhi(factories.child(orgs["home"]), "She met Dee Bigs at the station.")
    groups = {g.normalized: g for g in db.session.execute(select(EntityGroup).where(EntityGroup.label == "PERSON")).scalars()}
    target, source = groups["big dee"], groups["dee bigs"]
    assert (target.children_count, source.children_count) == (2, 2)
    client = client_for("coordinator")
    search = soup(client.get(f"/people-and-places/{target.id}?q=dee"))
    assert search.find("input", attrs={"name": "other", "value": str(source.id)})
    assert client.post(f"/people-and-places/{target.id}/merge", data={"other": str(source.id)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(EntityGroup, source.id) is None
    assert db.session.get(EntityGroup, target.id).children_count == 3
    merge = db.session.execute(select(EntityMerge)).scalar_one()
    assert merge.canonical == "big dee" and merge.normalized == "dee bigs"
    # a re-tag keeps the merge and the counts
    from rhi_service.models.analysis import Entity
    rhi_id = db.session.execute(select(Entity.rhi_id)).scalars().first()
    from rhi_service.models.interviews import ReturnInterview
    analysis_store.retag_rhi(db.session.get(ReturnInterview, rhi_id))
    db.session.flush()
    assert db.session.get(EntityGroup, target.id).children_count == 3
    assert client.post(f"/people-and-places/merges/{merge.id}/split").status_code == 302
    db.session.expire_all()
    assert db.session.get(EntityGroup, target.id).children_count == 2
    split = db.session.execute(select(EntityGroup).where(EntityGroup.normalized == "dee bigs")).scalar_one()
    assert split.children_count == 2
    assert {"entities_merged", "entities_split"} <= set(audit_actions())


def test_merging_groups_of_different_kinds_is_refused(client_for, orgs):
    tagged_rhi(factories.child(orgs["home"]), CSE_TEXT)
    person = db.session.execute(select(EntityGroup).where(EntityGroup.label == "PERSON")).scalars().first()
    phone = db.session.execute(select(EntityGroup).where(EntityGroup.label == "PHONE")).scalar_one()
    assert client_for("coordinator").post(f"/people-and-places/{person.id}/merge", data={"other": str(phone.id)}).status_code == 400


def test_rebuild_gives_the_same_counts_as_the_writes(orgs):
    tagged_rhi(factories.child(orgs["home"]), CSE_TEXT)
    tagged_rhi(factories.child(orgs["home"]), CCE_TEXT)
    before = {(g.label, g.normalized): (g.children_count, g.episodes_count, g.sources_count)
              for g in db.session.execute(select(EntityGroup)).scalars()}
    entity_groups.rebuild(orgs["home"].id)
    db.session.flush()
    after = {(g.label, g.normalized): (g.children_count, g.episodes_count, g.sources_count)
             for g in db.session.execute(select(EntityGroup)).scalars()}
    assert before == after and before


def test_peer_groups_link_shared_people_and_phones_but_not_towns(client_for, orgs):
    a = factories.child(orgs["home"], first_name="Avery", last_name="Stone")
    b = factories.child(orgs["home"], first_name="Blake", last_name="Reed")
    c = factories.child(orgs["home"], first_name="Cory", last_name="Vale")
    tagged_rhi(a, CSE_TEXT)
    tagged_rhi(b, "Someone rang her from 07700 900123 and she went to Northmoor.")
    tagged_rhi(c, PLAIN_TEXT)  # shares only the town Northmoor
    page = soup(client_for("coordinator").get("/peer-groups"))
    cards = page.select(".govuk-summary-card")
    assert len(cards) == 1
    text = cards[0].get_text(" ", strip=True)
    assert "Avery" in text and "Blake" in text and "Cory" not in text
    assert "07700 900123" in text


def test_children_named_in_each_others_rhis_are_peers(client_for, orgs):
    a = factories.child(orgs["home"], first_name="Avery", last_name="Stone")
    factories.child(orgs["home"], first_name="Blake", last_name="Reedman")
    tagged_rhi(a, "She was with Blake Reedman all weekend.")
    text = soup(client_for("coordinator").get("/peer-groups")).get_text(" ", strip=True)
    assert "Avery" in text and "named" in text and "Blake" in text


def test_a_childs_own_name_links_them_to_nobody(client_for, orgs):
    a = factories.child(orgs["home"], first_name="Avery", last_name="Stone")
    b = factories.child(orgs["home"], first_name="Blake", last_name="Reed")
    tagged_rhi(a, "Avery said she went to the shop.")
    tagged_rhi(b, "Blake said Avery was not with her.")
    # B names "Avery", A names herself: A's own name is not a link, so only one child remains
    assert "No peer groups yet" in soup(client_for("coordinator").get("/peer-groups")).get_text()


# --- Repeat missing ---------------------------------------------------------------------------------

def test_repeat_missing_list_and_child_page_show_the_dates(client_for, orgs):
    child = factories.child(orgs["home"], first_name="Harper")
    for days in (2, 10, 25):
        factories.episode(child, reported_missing_at=NOW - timedelta(days=days), found_at=NOW - timedelta(days=days) + timedelta(hours=3))
    once = factories.child(orgs["home"], first_name="Quinn")
    factories.episode(once, reported_missing_at=NOW - timedelta(days=3))
    client = client_for("coordinator")
    listed = soup(client.get("/repeat-missing"))
    text = listed.get_text(" ", strip=True)
    assert "Harper" in text and "Quinn" not in text and "3 times in 30 days" in text
    assert len(soup(client.get("/repeat-missing?window=2")).select("tbody tr")) == 1
    assert soup(client.get("/repeat-missing?window=99&sort=x")).select("tbody tr")
    child_page = soup(client.get(f"/children/{child.id}")).select_one(".rhi-repeat-missing").get_text(" ", strip=True)
    assert "3 times in 90 days" in child_page
    assert not soup(client.get(f"/children/{once.id}")).select_one(".rhi-repeat-missing")


def test_repeat_missing_empty_state(client_for):
    assert "No child meets a repeat-missing threshold" in soup(client_for("coordinator").get("/repeat-missing")).get_text()


# --- The daily missing report -----------------------------------------------------------------------

def _monday_morning():
    from zoneinfo import ZoneInfo

    at = datetime.now(ZoneInfo("Europe/London")).replace(hour=9, minute=0, second=0, microsecond=0)
    at -= timedelta(days=at.weekday() + 7)
    return at.astimezone(timezone.utc)


@pytest.mark.parametrize("weekday_offset, expected", [(0, True), (1, False)])
def test_the_daily_report_looks_back_72_hours_on_a_monday(client_for, orgs, monkeypatch, weekday_offset, expected):
    from rhi_service.review import views

    now = _monday_morning() + timedelta(days=weekday_offset)
    monkeypatch.setattr(views, "utcnow", lambda: now)
    weekend = factories.child(orgs["home"], first_name="Weekend")
    factories.episode(weekend, reported_missing_at=_monday_morning() - timedelta(hours=60),
                      found_at=_monday_morning() - timedelta(hours=50), found_where="Northmoor bus station")
    missing = factories.child(orgs["home"], first_name="Still")
    factories.episode(missing, reported_missing_at=now - timedelta(hours=5), police_risk_grade="high")
    page = soup(client_for("coordinator").get("/daily-report"))
    text = page.get_text(" ", strip=True)
    assert "Still" in text and "High" in text
    assert ("Weekend" in text) is expected
    if expected:
        assert "Northmoor bus station" in text


def test_the_daily_report_as_pdf_and_csv_is_audited(client_for, orgs):
    child = factories.child(orgs["home"], first_name="Rowan")
    factories.episode(child, reported_missing_at=NOW - timedelta(hours=30))
    client = client_for("manager")
    pdf = client.get("/daily-report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert "Rowan" not in pdf.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(client.get("/daily-report.csv").get_data(as_text=True))))
    assert rows[0][0] == "child" and rows[1][0].startswith("Rowan") and rows[1][6] == "Still missing"
    assert audit_actions().count("daily_report_exported") == 2


def test_csv_cells_cannot_be_formulas(client_for, orgs):
    child = factories.child(orgs["home"], first_name="=HYPERLINK(1)")
    factories.episode(child, reported_missing_at=NOW - timedelta(hours=3))
    rows = list(csv.reader(io.StringIO(client_for("coordinator").get("/daily-report.csv").get_data(as_text=True))))
    assert rows[1][0].startswith("'=")


# --- A child's timeline -----------------------------------------------------------------------------

def test_the_timeline_shows_each_episode_with_tags_and_people(client_for, orgs):
    child = factories.child(orgs["home"], first_name="Morgan")
    rhi = tagged_rhi(child, CSE_TEXT, found_at=NOW - timedelta(days=4))
    rhi.episodes[0].found_where = "Northmoor bus station"
    factories.episode(child, reported_missing_at=NOW - timedelta(hours=2))
    db.session.flush()
    client = client_for("coordinator")
    assert soup(client.get(f"/children/{child.id}")).find("a", href=f"/children/{child.id}/timeline")
    page = soup(client.get(f"/children/{child.id}/timeline"))
    text = page.get_text(" ", strip=True)
    assert "Missing now" in text and "6 hours" in text and "Northmoor bus station" in text
    assert "CSE_GIFTS" in text and "Big Dee" in text
    assert page.select("ol.rhi-timeline > li")[0].get_text().count("Missing now") == 1
    events = db.session.execute(select(AuditEvent).where(AuditEvent.action == "child_timeline_viewed")).scalars().all()
    assert [e.record_ids for e in events] == [{"child": str(child.id)}]


def test_the_timeline_of_another_organisations_child_is_not_found(client_for, orgs):
    other = factories.child(orgs["other_la"])
    assert client_for("coordinator").get(f"/children/{other.id}/timeline").status_code == 404
    assert client_for("interviewer").get(f"/children/{other.id}/timeline").status_code == 403


# --- Paging -----------------------------------------------------------------------------------------

def test_lists_page(client_for, orgs):
    for number in range(30):
        tagged_rhi(factories.child(orgs["home"]), f"An older man rang her from 07700 900{number:03d} and bought her a phone.")
    client = client_for("coordinator")
    first = soup(client.get("/people-and-places?label=PHONE"))
    assert len(first.select("tbody tr")) == 25 and first.select_one(".govuk-pagination")
    assert len(soup(client.get("/people-and-places?label=PHONE&page=2")).select("tbody tr")) == 5
    assert len(soup(client.get("/review/tags?page=3")).select(".rhi-review-item")) == 10


def test_deleting_a_childs_record_removes_their_names_from_people_and_places(orgs):
    from rhi_service import retention

    keep = factories.child(orgs["home"])
    gone = factories.child(orgs["home"])
    tagged_rhi(keep, "A man called Big Dee gave her lifts.")
    tagged_rhi(gone, CSE_TEXT)
    assert db.session.execute(select(EntityGroup).where(EntityGroup.label == "PERSON")).scalar_one().children_count == 2
    retention.delete_child(gone.id)
    db.session.flush()
    groups = {(g.label, g.normalized): g.children_count for g in db.session.execute(select(EntityGroup)).scalars()}
    assert groups == {("PERSON", "big dee"): 1}
