"""Form definitions are data: they load, they are checked, and a mistake names its file and question."""
import textwrap

import pytest

from rhi_service.forms import schema
from rhi_service.forms.schema import DefinitionError, load_definition

# Seed 004, Appendix 4, "Potential Push Factors to look out for" and "Potential Pull Factors".
SEED_PUSH_FACTORS = [
    "Problems at home",
    "Family break up",
    "Mental health",
    "Bullying",
    "Teenage pregnancy",
    "Emotional health",
]
SEED_PULL_FACTORS = [
    "Running to be with or near friends or family",
    "Grooming for potential child exploitation or child trafficking",
]


def write(tmp_path, body: str, name: str = "sample.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    return path


MINIMAL = """
form: sample
title: Sample
subject: rhi
sections:
  - code: first
    title: First
    pages:
      - code: only
        questions:
          - code: how
            kind: long_text
            label: How are things?
"""


def test_every_definition_in_the_service_loads():
    forms = schema.load_all()
    assert "interview" in forms
    interview = forms["interview"]
    assert interview.subject == "rhi"
    codes = [q.code for q in interview.questions]
    assert len(codes) == len(set(codes))


def test_consent_and_confidentiality_comes_first():
    interview = schema.get("interview")
    assert interview.sections[0].code == "consent"
    purposes = {q.consent_purpose for q in interview.consent_questions}
    assert purposes == {"interview", "police", "social_worker", "school", "health", "youth_offending"}
    for purpose in purposes - {"interview"}:
        assert interview.rationale_question(purpose) is not None


def test_the_interview_carries_the_seeds_push_and_pull_factors():
    interview = schema.get("interview")
    push = interview.question("push_factors")
    pull = interview.question("pull_factors")
    assert push.kind == "choices" and pull.kind == "choices"
    assert [o.label for o in push.options][: len(SEED_PUSH_FACTORS)] == SEED_PUSH_FACTORS
    assert [o.label for o in pull.options][: len(SEED_PULL_FACTORS)] == SEED_PULL_FACTORS
    assert "seed 004 Appendix 4" in push.source and "seed 004 Appendix 4" in pull.source
    assert push.to_child and pull.to_child


def test_questions_to_the_child_and_free_text_are_marked():
    interview = schema.get("interview")
    where = interview.question("where_went")
    assert where.to_child and where.free_text and where.kind == "long_text"
    # A worker's reason for sharing is not the child's words: it is not tagged.
    assert not interview.question("rationale_police").free_text
    assert interview.recording("held_at").code == "held_at"


def test_problem_free_talk_prompts_are_on_the_first_interview_section():
    interview = schema.get("interview")
    section = interview.section("interview")
    guidance = [p.guidance for p in section.pages if p.guidance]
    assert guidance and "Problem-free talk" in guidance[0].summary
    assert any("since you got back" in item for item in guidance[0].items)


def test_a_minimal_definition_loads(tmp_path):
    definition = load_definition(write(tmp_path, MINIMAL))
    question = definition.question("how")
    assert question.free_text  # long text is free text unless said otherwise
    assert question.section_code == "first" and question.page_code == "only"
    assert question.display_label == "How are things? (optional)"


@pytest.mark.parametrize(
    "change, message",
    [
        (("kind: long_text", "kind: essay"), "question 'how': unknown kind 'essay'"),
        (("label: How are things?", "lable: How are things?"), "unknown key 'lable'"),
        (("code: how", "code: How"), "code 'How' must be lower case"),
        (("kind: long_text", "kind: choice"), "question 'how': a 'choice' question needs at least two options"),
        (("kind: long_text", "kind: yes_no\n            free_text: true"), "question 'how': only text questions can be free text"),
        (("kind: long_text", "kind: long_text\n            consent_purpose: gossip"), "question 'how': unknown consent purpose 'gossip'"),
        (("kind: long_text", "kind: long_text\n            required: perhaps"), "question 'how': 'required' must be true or false"),
        (("kind: long_text", "kind: text\n            records: held_at"), "question 'how': 'records' may only be held_at"),
    ],
)
def test_a_broken_definition_fails_naming_the_file_and_the_question(tmp_path, change, message):
    old, new = change
    path = write(tmp_path, MINIMAL.replace(old, new), name="broken.yaml")
    with pytest.raises(DefinitionError) as error:
        load_definition(path)
    assert str(error.value).startswith("broken.yaml: ")
    assert message in str(error.value)


def test_a_question_code_used_twice_is_refused(tmp_path):
    body = MINIMAL + """
      - code: second
        title: Second page
        questions:
          - code: how
            kind: text
            label: Again?
          - code: other
            kind: text
            label: Other?
"""
    with pytest.raises(DefinitionError, match="question 'how': the same question code is used twice"):
        load_definition(write(tmp_path, body))


def test_a_rationale_needs_its_consent_question(tmp_path):
    body = MINIMAL.replace("kind: long_text", "kind: long_text\n            rationale_for: police")
    with pytest.raises(DefinitionError, match="no consent question asks about 'police'"):
        load_definition(write(tmp_path, body))


def test_a_page_of_several_questions_needs_a_title(tmp_path):
    body = MINIMAL + """          - code: more
            kind: text
            label: More?
"""
    with pytest.raises(DefinitionError, match="page 'only': a page with several questions needs a 'title'"):
        load_definition(write(tmp_path, body))


def test_invalid_yaml_names_the_file(tmp_path):
    with pytest.raises(DefinitionError, match="^bad.yaml: not valid YAML"):
        load_definition(write(tmp_path, "form: [unclosed", name="bad.yaml"))


def test_a_broken_definition_stops_the_service_starting(tmp_path, monkeypatch, instance_dir):
    from tests.conftest import base_config, make_app

    write(tmp_path, MINIMAL.replace("kind: long_text", "kind: essay"), name="broken.yaml")
    monkeypatch.setattr(schema, "DEFINITIONS", tmp_path)
    try:
        with pytest.raises(DefinitionError, match="broken.yaml: question 'how'"):
            make_app(base_config(instance_dir))
    finally:
        monkeypatch.undo()
        schema.reload()
