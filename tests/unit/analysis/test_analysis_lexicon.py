"""The lexicon is data: it loads, it is complete, and a new phrase in YAML is enough."""
import shutil
import textwrap

import pytest

from rhi_service.analysis import CATEGORIES, LexiconError, Tagger, load_lexicon
from rhi_service.analysis.lexicon import DEFAULT_DIR


def test_every_indicator_is_complete():
    lexicon = load_lexicon()
    assert len(lexicon.indicators) >= 30
    for ind in lexicon.indicators.values():
        assert ind.code and ind.category in CATEGORIES
        assert ind.description and ind.source
        assert ind.phrases or ind.regexes or ind.token_patterns
    for cat in CATEGORIES:
        assert any(i.strength == "strong" for i in lexicon.by_category(cat))


def test_context_triggers_are_data():
    context = load_lexicon().context
    for kind in ("negated", "hypothetical", "historical", "other_person", "explained"):
        assert context[kind]


def _with_local_file(tmp_path, yaml_text: str):
    """The packaged lexicon with a council's own indicator file added."""
    lex = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_DIR, lex)
    (lex / "local.yaml").write_text(textwrap.dedent(yaml_text))
    return lex


def test_new_yaml_phrase_takes_effect(tmp_path):
    text = "He says he does zoomer shifts for the Riverside lot."
    assert Tagger().tag(text).labels == []
    lex = _with_local_file(tmp_path, """
        category: CCE
        indicators:
          - code: LOCAL_ZOOMER
            description: Local slang for delivering drugs on a bike.
            source: Coordinator's note
            patterns:
              phrases: [zoomer shift]
    """)
    result = Tagger(lexicon_dir=lex).tag(text)
    assert result.labels == ["CCE"]
    assert [m.code for m in result.indicators] == ["LOCAL_ZOOMER"]


def test_phrase_matches_inflections_and_pronouns(tmp_path):
    lex = tmp_path / "lexicon"
    lex.mkdir()
    (lex / "x.yaml").write_text(textwrap.dedent("""
        category: CSE
        indicators:
          - code: X_BOUGHT_PHONE
            description: test
            source: test
            patterns: {phrases: [bought her a phone]}
    """))
    tagger = Tagger(lexicon_dir=lex)
    assert tagger.tag("He buys him a phone every month.").labels == ["CSE"]


@pytest.mark.parametrize("body, complaint", [
    ("category: CSE\nindicators:\n  - code: A\n    source: s\n    patterns: {phrases: [x]}\n", "description"),
    ("category: NOPE\nindicators: []\n", "category"),
    ("category: CSE\nindicators:\n  - {code: A, description: d, source: s, patterns: {regex: ['(']}}\n", "bad regex"),
])
def test_malformed_lexicon_is_reported(tmp_path, body, complaint):
    (tmp_path / "bad.yaml").write_text(body)
    with pytest.raises(LexiconError, match=complaint):
        load_lexicon(tmp_path)


def test_yes_no_on_off_are_words_not_booleans():
    # unquoted, YAML 1.1 reads these as true/false and the not-name list loses them
    lexicon = load_lexicon()
    not_names = lexicon.names["not_names"]
    assert {"No", "Yes", "On", "Off"} <= set(not_names)
    assert not any(isinstance(w, bool) for w in not_names)
    assert "no" in lexicon.context["negated"]["pre"]


def test_a_capitalised_no_is_not_a_person():
    # read as a name when "No" was missing from not_names (mid-sentence capitalised words are names)
    result = Tagger().tag("Spoke to Kayla at home and she said No to the offer of a lift.")
    assert [e.text for e in result.entities if e.label == "PERSON"] == ["Kayla"]


def test_unquoted_yaml_boolean_in_a_word_list_is_reported(tmp_path):
    lex = tmp_path / "lexicon"
    shutil.copytree(DEFAULT_DIR, lex)
    (lex / "names.yaml").write_text("first_names: [Kayla]\nnot_names: [The, No]\n")
    with pytest.raises(LexiconError, match="names.yaml.*quotes"):
        load_lexicon(lex)


def test_regex_rule_words_say_where_it_can_match(tmp_path):
    lex = tmp_path / "lexicon"
    lex.mkdir()
    (lex / "x.yaml").write_text(textwrap.dedent("""
        category: CCE
        indicators:
          - code: X_STARTS
            description: test
            source: test
            patterns:
              regex:
                - {pattern: '\\bkept (?:the|a) (?:bag|parcel) for\\b', starts: [kept]}
          - code: X_ANCHORS
            description: test
            source: test
            patterns:
              regex:
                - {pattern: '\\b\\d+ wraps\\b', anchors: [wraps]}
          - code: X_PLAIN
            description: test
            source: test
            patterns:
              regex: ['\\bzoomer\\b']
    """))
    tagger = Tagger(lexicon_dir=lex)
    text = "He keeps saying he kept the bag for them. Found 12 wraps. Zoomer."
    codes = sorted(m.code for m in tagger.tag(text).indicators)
    assert codes == ["X_ANCHORS", "X_PLAIN", "X_STARTS"]
    # a start found on lemmas is tried as written: "keeps saying" is no match
    assert [m.text for m in tagger.tag(text).indicators if m.code == "X_STARTS"] == ["kept the bag for"]


def test_an_indicator_of_place_after_words_alone_takes_effect(tmp_path):
    # a council's own sign: being anywhere in a named town after "over in" is a strong local sign
    text = "He was over in Margate all weekend."
    lex = _with_local_file(tmp_path, """
        category: CCE
        indicators:
          - code: LOCAL_OVER_IN
            description: Time spent in a named coastal town the local lines run to.
            source: Coordinator's note
            patterns:
              place_after: [over in]
    """)
    result = Tagger(lexicon_dir=lex, label_check=False).tag(text)
    assert result.labels == ["CCE"]
    assert [(m.code, m.text) for m in result.indicators] == [("LOCAL_OVER_IN", "over in Margate")]
