"""The quicker forms the engine runs give exactly what the plain forms give."""
import random
import re

import pytest

from rhi_service.analysis import default_tagger
from rhi_service.analysis import entities as E
from rhi_service.analysis.context import _SENT_END, _first_words, _last_words, sentence_spans
from rhi_service.analysis.lexicon import caseless, fold, folded_regex, phrase_regex

# letters re.IGNORECASE and str.lower() do not treat alike, and odd spaces and stops
ODD = [
    "", ".", "No.", "Hi!  Bye?\n\nNext\n- item\n2) item\nAnd", "“Quoted.” (Brackets.) End",
    "İstanbul, DIŞARI, ıf, ſo, \u212aelvin, STRASSE ẞ, ΟΔΟΣ ΣΑΣ, Ǆemal",
    "NOT NEVER Denied. IF ANYONE offers. HER FRIEND goes ot. Mum BOUGHT it. ſafety planning: no",
    "x\x1cy\u00a0z\u2003w\tv", "Snap: kd.a12, SNAPCHAT @Big_Man, insta - x.y, tik  tok",
    "Dark Blue Audi A3, dark\nblue BMW, a WHITE transit van, -red Ford Fiesta, grey-Audi",
    "(01234 567890 / (0121) 496 0000 / +44 7700 900123 / 0207 946 0000",
]


NOTES = ("notes_dev.jsonl", "notes_test.jsonl", "notes_held_out.jsonl")


@pytest.fixture
def texts(note_texts):
    return ODD + note_texts(*NOTES)


def test_sentences_as_found_one_by_one(texts):
    for text in texts:
        spans, start = [], 0
        for m in _SENT_END.finditer(text):
            spans.append((start, m.end()))
            start = m.end()
        if start < len(text):
            spans.append((start, len(text)))
        assert sentence_spans(text) == spans, text


def test_word_windows_as_counted_by_the_word_regex(texts):
    word = re.compile(r"\S+")
    rnd = random.Random(5)
    pieces = ["a", "bc", " ", "  ", "\n", "\t", "\x1c", "\u00a0", ".", "-"]
    samples = texts + ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 25))) for _ in range(3000)]
    for s in samples:
        words = list(word.finditer(s))
        for n in (1, 2, 4, 8, 15):
            assert _last_words(s, n) == (s[words[-n].start():] if len(words) > n else s)
            assert _first_words(s, n) == (s[:words[n - 1].end()] if len(words) > n else s)


def _trigger_lists():
    config = default_tagger().lexicon.context
    lists = [config.get("terminators", []), config.get("pseudo", [])]
    for section in ("negated", "hypothetical", "historical", "other_person", "explained"):
        lists += [v for v in config[section].values() if isinstance(v, list)]
    lists.append([f"re:{r}" for r in config["historical"].get("past_regex", [])])
    return lists


@pytest.mark.parametrize("phrases", _trigger_lists())
def test_folded_text_matches_where_ignorecase_matches(phrases, texts):
    original = phrase_regex(phrases)
    quick = folded_regex(original.pattern)
    for text in texts:
        folded = fold(text)
        assert len(folded) == len(text)
        assert [m.span() for m in quick.finditer(folded)] == [m.span() for m in original.finditer(text)], text


def test_caseless_patterns():
    assert caseless(r"\bwhat \w+(?: \w+)? looks? like\b")
    assert caseless(r"[^.;]{0,30}\b(?:is|was) [2-5]\d")
    assert not caseless(r"[A-Z]\w+")
    assert not caseless(r"Police")
    assert not caseless(r"(?i:abc)")
    assert not caseless(r"citroën")  # a non-ASCII letter: re.IGNORECASE kept


def test_entity_scans_find_what_finditer_finds(each, texts):
    each(texts, _entity_scans_equal_finditer)


def _entity_scans_equal_finditer(text):
    finder = default_tagger().entities
    folded = fold(text)
    starts = [m.start() for m in finder._platform_starts.finditer(folded)]
    assert ([m.span() for m in E._anchored(finder._platform_folded, folded, starts)]
            == [m.span() for m in finder.platform.finditer(text)])
    vehicles = [m.span() for m in E._anchored(finder.vehicle, text, finder._vehicle_starts(text))]
    assert vehicles == [m.span() for m in finder.vehicle.finditer(text)]
    parts = E._CAPRUN_SPLIT.split(text)
    runs, pos = [], 0
    for k, part in enumerate(parts):
        if k % 2:
            runs.append((pos, pos + len(part)))
        pos += len(part)
    assert runs == [m.span() for m in E._CAPRUN.finditer(text)]


def test_a_word_decided_once_is_decided_the_same_in_any_note():
    tag = default_tagger().tag
    first = tag("Kayla met Jinx in Luton. Grace said He was fine.").entities
    tag("Jinx and Kayla. Luton Grace. He")
    assert tag("Kayla met Jinx in Luton. Grace said He was fine.").entities == first
