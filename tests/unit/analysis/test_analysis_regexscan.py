"""The one-scan regex runner and the anchored entity regexes give exactly what finditer gives."""
import re

import pytest

from rhi_service.analysis import default_tagger
from rhi_service.analysis import entities as E
from rhi_service.analysis.regexscan import RegexSet, analyse

# the held-out rounds too: their writers' phrasing is as likely to find a regex's blind spot
NOTES = ("notes_dev.jsonl", "notes_held_out.jsonl")

ODD = [
    "", "ot", "He went OT.", "going 'ot' again", "on o.t. twice", "the post them he'd post them",
    "boyfriend is 22, bf aged 19, her partner is 23", "18-year-old man, 25yr old bf, a 40 year old male",
    "£500 £1,000 paid £40 a day", "“party” 'parties' with older men", "threatened to share pics",
    "He has 3 wraps and 12 deals", "he is 25 and she was 30", "kd.a12 @x_y snap: bigmanjay",
    "A'B O'Brien x.Ab -Cd &Ef 'Gh ’Ij @Kl", "KY17 HVP YK68 N17 E15 2PQ M54 A38 B4100 AB12",
    "07700 900123 / +44 7700 900123 / (0121) 496 0000 / 116 000 / 0800 1111",
    "dark blue Audi A3, -dark blue Audi, matte black BMW X5, white Transit van",
    # an app's name inside a dotted handle (the "x" of X) is not the app
    "He contacts her on shan.x.baby most nights.",
    # a postcode's inward half is not a drug order ("1 x white")
    "a flat on Holloway Road, London (ZZ99 1XW)",
]


def _old_way(rules, low):
    out = []
    for key, pattern, gate in rules:
        if gate and not any(g in low for g in gate):
            continue
        out += [(key, m.start(), m.end()) for m in pattern.finditer(low)]
    return sorted(out)


def test_regex_set_equals_finditer_for_every_lexicon_rule(note_texts):
    tagger = default_tagger()
    rules = [(ind.code, rule.pattern, rule.if_contains) for ind, rule in tagger._regex]
    rs = RegexSet(rules)
    for text in note_texts(*NOTES) + ODD:
        low = text.lower()
        assert sorted(rs.find(low)) == _old_way(rules, low), text


@pytest.mark.parametrize("pattern, text", [
    (r"\b(?:a|ab)c", "abc ac xabc ab c"),
    (r"\bfoo(?:bar)?\b", "foobar foo foobarx xfoo foo."),
    (r"(?:aa)+", "aaaaa a aa"),                     # non-overlapping, like finditer
    (r"\bin (?:his|a) car\b", "in a car in his car in their car"),
    (r"['\"]x\w+['\"]", "'xa' \"xb\" 'x'"),
    (r"\b(?:x|xy)\s?z", "xz xyz x z xy z"),
])
def test_small_rules_match_finditer(pattern, text):
    rules = [("R", re.compile(pattern), ())]
    assert sorted(RegexSet(rules).find(text)) == _old_way(rules, text)


def test_rules_without_a_finite_start_are_scanned_on_their_own():
    assert analyse(re.compile(r"\b[a-z]+ is 2\d")) is None
    assert analyse(re.compile(r"(?i)\bgave")) is None
    assert analyse(re.compile(r"\b(?i:gave)")) is None
    assert analyse(re.compile(r"\b(?:gave|give)\s+her")) == {"gave", "give"}
    rules = [("R", re.compile(r"\b[a-z]+ is 2\d"), ("is",))]
    assert RegexSet(rules).find("he is 25") == [("R", 0, 8)]


def test_if_contains_still_gates_a_rule():
    rules = [("R", re.compile(r"\bgave \w+"), ("money",))]
    rs = RegexSet(rules)
    assert rs.find("he gave her a phone") == []
    assert rs.find("he gave her money") == [("R", 3, 11)]


def test_anchored_entity_regexes_equal_finditer(each, note_texts):
    each(ODD + note_texts(*NOTES), _anchored_equal_finditer)


def _anchored_equal_finditer(text):
    starts = E._code_starts(text)
    for pattern in (E._PLATE, E._POSTCODE, E._SHORT_CODE):
        assert [m.span() for m in E._anchored(pattern, text, starts)] == [m.span() for m in pattern.finditer(text)]
    phone_starts = [m.start() for m in E._PHONE_START.finditer(text)]
    assert [m.span() for m in E._anchored(E._PHONE, text, phone_starts)] == [m.span() for m in E._PHONE.finditer(text)]
    finder = default_tagger().entities
    vehicles = [m.span() for m in E._anchored(finder.vehicle, text, finder._vehicle_starts(text))]
    assert vehicles == [m.span() for m in finder.vehicle.finditer(text)]
    u, w = f"[{E._UPPER}]", f"[{E._LETTER}]"
    old_capword = re.compile(rf"(?<![\w@.'’&-])(?:{u}{w}*|{u}')(?:['’]{w}+)*(?:-{w}{w}*)*")
    assert [m.span() for m in E._CAPWORD.finditer(text)] == [m.span() for m in old_capword.finditer(text)]


def test_a_new_regex_in_yaml_takes_effect(tmp_path):
    from rhi_service.analysis import Tagger
    (tmp_path / "x.yaml").write_text(
        "category: CCE\nindicators:\n  - code: X_ZORB\n    description: d\n    source: s\n"
        "    patterns: {regex: ['\\bzorbed (?:for|by) (?:the )?olders\\b']}\n", encoding="utf-8")
    tagger = Tagger(lexicon_dir=tmp_path)
    assert tagger.tag("He was zorbed for the olders last week.").labels == ["CCE"]


def test_capitalised_runs_are_found_as_before(each, note_texts):
    each(ODD + note_texts(*NOTES) + ["Ab  Cd Ef-Gh O'Neil's Ij.Kl Mn\nOp Qr", "A B C D E F"], _runs_as_before)


def _runs_as_before(text):
    words = [m.span() for m in E._CAPWORD.finditer(text)]
    runs, cur = [], []
    for s, e in words:
        if cur and text[cur[-1][1]:s] == " ":
            cur.append((s, e))
        else:
            if cur:
                runs.append(cur)
            cur = [(s, e)]
    if cur:
        runs.append(cur)
    new = [[m.span() for m in E._CAPWORD.finditer(text, *r.span())] for r in E._CAPRUN.finditer(text)]
    assert new == runs


def _trimmed_finditer(pattern, code, low):
    out = set()
    for m in pattern.finditer(low):
        a, b = m.span()
        while b > a and not low[b - 1].isalnum():
            b -= 1
        if b > a:
            out.add((a, b, code))
    return out


def test_every_packaged_regex_says_where_it_can_match():
    # a rule with neither starts nor anchors would be run over every note
    for ind, rule in default_tagger()._regex:
        assert rule.starts or rule.anchors, ind.code


def test_starts_and_anchors_find_every_match_finditer_finds(each, note_texts):
    each(ODD + note_texts(*NOTES), _anchored_rules_find_all)


def _anchored_rules_find_all(text):
    tagger = default_tagger()
    low = text.lower()
    found = set(tagger._raw_mentions(tagger.nlp.tokenizer(text), low, {}))
    for ind, rule in tagger._regex:
        missing = _trimmed_finditer(rule.pattern, ind.code, low) - found
        assert not missing, (rule.pattern.pattern, missing)


def test_entities_from_matcher_gates_equal_a_full_scan(each, note_texts):
    each(ODD + note_texts(*NOTES), _gated_entities_equal_full_scan)


def _gated_entities_equal_full_scan(text):
    tagger = default_tagger()
    gates = {}
    tagger._raw_mentions(tagger.nlp.tokenizer(text), text.lower(), gates)
    gated = tagger.entities.find(text, platform=gates.get("~platform", False), vehicle=gates.get("~vehicle", False))
    assert gated == tagger.entities.find(text)


def test_reach_counts_an_open_repeat_as_a_few_words():
    from rhi_service.analysis.regexscan import reach
    assert reach(re.compile(r"\bab c")) == 4
    assert reach(re.compile(r"(?:ab|abcd)[^.]{0,10}x(?!yz)")) == 15   # lookarounds take no room
    assert 20 < reach(re.compile(r"\bheld\w*\s+for\b")) < 60
