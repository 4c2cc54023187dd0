"""The matcher's trigger gates only skip work: with or without them, every context is the same."""
import pytest

from rhi_service.analysis import default_tagger
from rhi_service.analysis.context import _required_literal

def test_gated_contexts_match_the_full_rules_on_every_dev_note(note_texts):
    tagger = default_tagger()
    for note in note_texts("notes_dev.jsonl", "notes_held_out.jsonl"):
        result = tagger.tag(note)
        found = result.indicators
        if found:
            full = tagger.context.assign(note, [(m.start, m.end) for m in found], persons=_persons(result),
                                         explainable=_explainable(tagger, found), quiet=_hints(tagger, found))
            assert full == [m.context for m in found], note


def _explainable(tagger, found):
    return [tagger.lexicon.indicators[m.code].explainable for m in found]


def _hints(tagger, found):
    # hints take a context but are not signs the other mentions' rules see, as in the pipeline
    return frozenset(i for i, m in enumerate(found) if tagger.lexicon.indicators[m.code].strength == "hint")


def _persons(result):
    # the note's named people, as the pipeline hands them to the context rules
    return [(e.start, e.end, e.normalized) for e in result.entities if e.label == "PERSON"]


def test_a_raw_trigger_stands_in_by_a_literal_every_match_contains():
    assert _required_literal(r"\bwhat \w+(?: \w+)? looks? like\b") == "what "
    assert _required_literal(r"\b(?:he|she) said no\b") == " said no"
    # nothing safe to look for: every mention takes the full rules
    assert _required_literal(r"\b(?:19|20)\d\d\b") is None
    assert _required_literal(r"grooming|exploit") is None


@pytest.mark.parametrize("note", [
    # a pseudo-trigger blanked out between the words of a trigger the matcher never saw whole
    "We talked not sure about who gives him money to hold a bag for older lads.",
    "I explained no way out what going OT means and she said no concerns.",
    # each list's own trigger, with another list's in the same sentence
    "Her friend said he never bought her a phone, though mum bought the trainers.",
    "If anyone offers him a lift he did not say he would go OT; police denied it.",
    "In 2021 he was running a county line, that work was closed and he has stopped going.",
    "Was he given cash by older men? He was picked up by his dad at midnight.",
    # a name as the subject, in a note that rules the child out by name in another sentence
    "Ollie (14) and Kieran were out. Kieran went off with older boys and had drugs. Nothing links Ollie to that.",
    # what-ifs in a bulleted list, the trigger on the line before it
    "Jo (13) was late.\nWe went through what she would do if:\n- an older man offered her a lift\n- someone gave her vodka",
])
def test_gated_contexts_match_the_full_rules_on_notes_made_to_trip_the_gates(note):
    tagger = default_tagger()
    result = tagger.tag(note)
    found = result.indicators
    assert found
    assert tagger.context.assign(note, [(m.start, m.end) for m in found], persons=_persons(result),
                                 explainable=_explainable(tagger, found),
                                 quiet=_hints(tagger, found)) == [m.context for m in found]
