"""The engine: every kind of answer renders, is checked, and comes back from the database as it went in."""
import textwrap
import uuid
from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from flask import render_template_string
from sqlalchemy import text
from werkzeug.datastructures import MultiDict

from rhi_service.extensions import db
from rhi_service.forms import engine
from rhi_service.forms.schema import load_definition

EVERY_KIND = """
form: every_kind
title: Every kind of answer
subject: episode
sections:
  - code: all
    title: All of them
    pages:
      - code: one
        title: Every kind
        questions:
          - {code: name, kind: text, label: A name}
          - {code: story, kind: long_text, label: "What happened?", to_child: true, required: true}
          - {code: safe, kind: yes_no, label: "Are they safe?", to_child: true}
          - code: colour
            kind: choice
            label: A colour
            options: [{value: red, label: Red}, {value: blue, label: Blue, hint: Like the sea}]
          - code: places
            kind: choices
            label: Places
            options: [{value: park, label: Park}, {value: station, label: Station}, {value: shop, label: Shop}]
          - {code: day_of, kind: date, label: "On which day?", not_future: true}
          - {code: seen_at, kind: datetime, label: "At what time?"}
      - code: list
        questions:
          - code: people
            kind: list
            label: People
            item_name: person
            item:
              - {code: who, kind: text, label: "Who?", required: true, free_text: true}
              - {code: since, kind: date, label: "Since when?"}
"""

POSTED = MultiDict([
    ("version", "0"),
    ("name", "Alex Example"),
    ("story", "We went to the park by the station.\r\nThen home."),
    ("safe", "declined"),
    ("colour", "blue"),
    ("places", "park"), ("places", "shop"),
    ("day_of-day", "3"), ("day_of-month", "2"), ("day_of-year", "2025"),
    ("seen_at-day", "29"), ("seen_at-month", "3"), ("seen_at-year", "2025"), ("seen_at-time", "10:15pm"),
])


@pytest.fixture
def every_kind(tmp_path):
    path = tmp_path / "every_kind.yaml"
    path.write_text(textwrap.dedent(EVERY_KIND))
    return load_definition(path)


@pytest.fixture
def subject(orgs):
    return SimpleNamespace(id=uuid.uuid4(), organisation_id=orgs["home"].id)


def page_form(definition, stored, formdata=None, version=None):
    page = definition.section("all").page("one")
    return page, engine.make_form(definition, page, stored, formdata=formdata, version=version)


def render(app, page, form) -> BeautifulSoup:
    with app.test_request_context():
        html = render_template_string(
            "{% from 'guided/_macros.html' import question_field %}"
            "{% for q in page.questions %}{{ question_field(form, q) }}{% endfor %}",
            page=page, form=form,
        )
    return BeautifulSoup(html, "html.parser")


def test_every_kind_renders_through_the_gov_uk_widgets(app, every_kind, db_session):
    page, form = page_form(every_kind, {})
    html = render(app, page, form)
    assert html.select_one("input#name.govuk-input")
    assert html.select_one("textarea#story.govuk-js-character-count")
    assert html.select_one(".govuk-character-count[data-maxlength='20000']")
    # Questions to the child offer "Declined to answer" and "Not asked" as answers.
    assert [i["value"] for i in html.select("input[name=safe]")] == ["yes", "no", "not_known", "declined", "not_asked"]
    assert html.select_one(".govuk-radios__divider").get_text(strip=True) == "or"
    assert [i["value"] for i in html.select("input[name=story__no_answer]")] == ["declined", "not_asked"]
    assert "Like the sea" in html.select_one("#colour-2-item-hint").get_text()
    assert len(html.select("input[name=places]")) == 3
    assert html.select_one("input#day_of-day") and html.select_one("input#seen_at-time")
    assert "A name (optional)" in html.get_text()
    assert "What happened?" in html.get_text() and "What happened? (optional)" not in html.get_text()


def test_every_kind_round_trips_through_the_database(app, every_kind, subject, users, db_session):
    page, form = page_form(every_kind, {}, formdata=POSTED)
    assert form.validate(), form.errors
    result = engine.save_page(every_kind, page, form, subject, users["interviewer"], expected_version=0)
    assert result.changed and result.version == 1 and result.text_changed
    db.session.expire_all()
    stored = engine.answers("every_kind", subject.id)
    values = {q.code: engine.stored_value(q, stored.get(q.code)) for q in page.questions}
    assert values["name"].value == "Alex Example"
    # Line breaks are kept, as the browser counted them.
    assert values["story"].value == "We went to the park by the station.\nThen home."
    assert values["safe"] == engine.Value(None, "declined")
    assert values["colour"].value == "blue"
    assert values["places"].value == ["park", "shop"]
    assert values["day_of"].value == date(2025, 2, 3)
    assert values["seen_at"].value == datetime(2025, 3, 29, 22, 15, tzinfo=timezone.utc)  # GMT that night
    # Shown again, the page holds what was saved.
    _, again = page_form(every_kind, stored, version=1)
    html = render(app, page, again)
    assert html.select_one("#name")["value"] == "Alex Example"
    assert html.select_one("input[name=safe][value=declined]").has_attr("checked")
    assert html.select_one("input[name=places][value=shop]").has_attr("checked")
    assert html.select_one("#seen_at-time")["value"] == "22:15"
    assert again.version.data == "1"
    # Saving the same again changes nothing and needs no new version.
    _, same = page_form(every_kind, stored, formdata=POSTED)
    assert same.validate()
    assert engine.save_page(every_kind, page, same, subject, users["interviewer"], expected_version=0).changed is False


def test_a_list_round_trips(every_kind, subject, users, db_session):
    question = every_kind.question("people")
    items = [{"id": "a" * 32, "who": "An aunt", "since": "2024-05-01"}]
    engine.save_list(every_kind, question, items, subject, users["interviewer"], expected_version=0)
    assert engine.list_items(every_kind, question, subject.id) == items
    assert engine.item_summary(question, items[0]) == "An aunt – 1 May 2024"
    free = engine.free_text_answers(every_kind, subject.id)
    assert engine.FreeText("people.who", "An aunt", "a" * 32) in free


def test_free_text_is_encrypted_at_rest_and_choices_are_not(every_kind, subject, users, db_session):
    page, form = page_form(every_kind, {}, formdata=POSTED)
    form.validate()
    engine.save_page(every_kind, page, form, subject, users["interviewer"], expected_version=0)
    rows = db.session.execute(
        text("SELECT question_code, text_value, json_value FROM answers WHERE subject_id = :s"), {"s": subject.id.hex}
        if db.engine.dialect.name == "sqlite" else {"s": subject.id}
    ).all()
    raw = {row.question_code: row for row in rows}
    assert raw["story"].text_value and "park" not in raw["story"].text_value
    assert raw["name"].text_value and "Alex" not in raw["name"].text_value
    assert "blue" in str(raw["colour"].json_value)
    assert raw["colour"].text_value is None


def test_required_answers_and_the_childs_no_answer(every_kind, db_session):
    page = every_kind.section("all").page("one")
    form = engine.make_form(every_kind, page, {}, formdata=MultiDict([("version", "0")]))
    assert not form.validate()
    assert form.story.errors == ["Enter an answer, or select Declined to answer or Not asked"]
    # "Save and come back later" keeps whatever is there, blanks included.
    later = engine.make_form(every_kind, page, {}, formdata=MultiDict([("version", "0")]), enforce_required=False)
    assert later.validate()
    declined = engine.make_form(every_kind, page, {}, formdata=MultiDict([("version", "0"), ("story__no_answer", "declined")]))
    assert declined.validate()
    both = engine.make_form(every_kind, page, {}, formdata=MultiDict([("version", "0"), ("story", "Words"), ("story__no_answer", "not_asked")]))
    assert not both.validate()
    assert both.story__no_answer.errors == ["Either record the answer or select Not asked, not both"]


def test_dates_in_the_future_and_choices_not_offered_are_refused(every_kind, db_session):
    page = every_kind.section("all").page("one")
    data = MultiDict([("version", "0"), ("story", "x"), ("colour", "green"), ("day_of-day", "1"), ("day_of-month", "1"), ("day_of-year", "2199")])
    form = engine.make_form(every_kind, page, {}, formdata=data)
    assert not form.validate()
    assert form.colour.errors == ["Select one of the options"]
    assert form.day_of.errors == ["The date must be today or in the past"]


def test_a_changed_section_refuses_a_save_from_an_older_version(every_kind, subject, users, db_session):
    page, form = page_form(every_kind, {}, formdata=POSTED)
    form.validate()
    engine.save_page(every_kind, page, form, subject, users["interviewer"], expected_version=0)
    changed = POSTED.copy()
    changed["name"] = "Someone else"
    _, second = page_form(every_kind, {}, formdata=changed)
    second.validate()
    with pytest.raises(engine.SectionConflict) as conflict:
        engine.save_page(every_kind, page, second, subject, users["coordinator"], expected_version=0)
    assert (conflict.value.their_version, conflict.value.your_version) == (1, 0)
