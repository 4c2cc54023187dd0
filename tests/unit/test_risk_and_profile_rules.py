"""The risk assessment's higher-risk rule, the profile's review rule, and their definitions."""
from datetime import datetime, timedelta, timezone

import pytest

from rhi_service import rules
from rhi_service.forms import schema
from rhi_service.forms.schema import DefinitionError, load_definition
from rhi_service.settings import DEFAULTS

SHARE = DEFAULTS["risk_little_knowledge_share"]


def test_the_three_forms_load_with_their_subjects():
    forms = schema.load_all()
    assert forms["risk_assessment"].subject == "episode"
    assert forms["philomena_part2"].subject == "episode"
    assert forms["profile"].subject == "child"


def test_nothing_known_is_higher_risk():
    result = rules.higher_risk([None] * 10, None, SHARE)
    assert result.applies and result.not_known == 10 and "10 of 10" in result.reasons[0]


def test_enough_known_and_agreed_is_not_higher_risk():
    answers = ["no"] * 7 + ["yes", "known", "not_known"]
    assert not rules.higher_risk(answers, "no", SHARE).applies


@pytest.mark.parametrize("unknown, applies", [(2, False), (3, True)])
def test_little_knowledge_starts_at_the_share_in_settings(unknown, applies):
    answers = ["not_known"] * unknown + ["no"] * (10 - unknown)
    assert rules.higher_risk(answers, None, 0.3).applies is applies


def test_disagreement_alone_is_higher_risk():
    result = rules.higher_risk(["no"] * 10, "yes", SHARE)
    assert result.applies and result.views_differ and result.reasons == ("The people who contributed disagree about the risk.",)


def test_a_blank_counts_as_not_known():
    assert rules.higher_risk(["", None, "no", "no"], None, 0.5).not_known == 2


def test_a_profile_never_reviewed_or_reviewed_too_long_ago_is_due():
    now = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
    assert rules.profile_review_due(None, now, 90)
    assert not rules.profile_review_due(now - timedelta(days=90), now, 90)
    assert rules.profile_review_due(now - timedelta(days=90, seconds=1), now, 90)


def test_an_entity_label_is_checked(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("""
form: bad
title: Bad
subject: child
sections:
  - code: one
    title: One
    pages:
      - code: only
        questions:
          - {code: who, kind: yes_no, label: "Who?", entity: PERSON}
""")
    with pytest.raises(DefinitionError, match="'entity' must be one of"):
        load_definition(path, set())


def test_typed_names_places_phones_and_handles_are_marked_for_linking():
    profile = schema.get("profile")
    labels = {sub.entity for q in profile.questions for sub in (q.item or (q,)) if sub.entity}
    assert labels == {"PERSON", "LOCATION", "PHONE", "VEHICLE", "SOCIAL"}
