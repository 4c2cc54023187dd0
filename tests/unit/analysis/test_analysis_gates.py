"""The matcher's trigger gates only skip work: with or without them, every context is the same."""
import json
from pathlib import Path

from rhi_service.analysis import default_tagger
from rhi_service.analysis.context import _required_literal

DEV = Path(__file__).resolve().parents[2] / "data" / "notes_dev.jsonl"


def test_gated_contexts_match_the_full_rules_on_every_dev_note():
    tagger = default_tagger()
    for line in DEV.read_text(encoding="utf-8").splitlines():
        note = json.loads(line)["text"]
        found = tagger.tag(note).indicators
        if found:
            full = tagger.context.assign(note, [(m.start, m.end) for m in found])
            assert full == [m.context for m in found], note


def test_a_raw_trigger_stands_in_by_a_literal_every_match_contains():
    assert _required_literal(r"\bwhat \w+(?: \w+)? looks? like\b") == "what "
    assert _required_literal(r"\b(?:he|she) said no\b") == " said no"
    # nothing safe to look for: every mention takes the full rules
    assert _required_literal(r"\b(?:19|20)\d\d\b") is None
    assert _required_literal(r"grooming|exploit") is None
