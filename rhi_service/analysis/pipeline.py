"""The tagging pipeline: blank English tokenizer, lemmas written once per lexeme into NORM,
one PhraseMatcher over NORM that also says where each indicator regex can match, then context and
corroboration rules.

The lookup Lemmatizer component is deliberately not run per document: a lexeme's lemma never
changes, so it is computed once when spaCy first creates the lexeme and stored in its NORM.

The same PhraseMatcher pass also finds the context triggers and the social-platform and vehicle
words. They are used as gates, not as results: a mention with no trigger in reach (a pre-trigger
before it, a post-trigger after it, a past/resolved word in its sentence...) is asserted without
running the context regexes, and the entity regexes that need a platform or a vehicle word only run
when the matcher saw one. Lemma matching finds at least every place the regexes would, so the gates
change speed, never the answer.

The indicator regexes from the YAML are not scanned over the note either. Each rule names words,
one of which every match begins with (`starts`) or holds (`anchors`); the PhraseMatcher finds them
in the same pass, on lemmas, so in no fewer places than they are written. A rule is then tried
with `match` at each start, or searched for within its reach (regexscan.reach) of each anchor, so
a note without the words costs the rule nothing. A rule with neither, as a council's own lexicon
may have, is run on every note by regexscan.RegexSet.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

import spacy
from spacy.attrs import NORM
from spacy.lookups import load_lookups
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from . import classifier
from .context import GATE_KINDS, ContextRules
from .entities import Entity, EntityFinder
from .lexicon import Lexicon, load_lexicon
from .regexscan import RegexSet, reach

log = logging.getLogger(__name__)

# an anchored regex is searched for within its reach of the anchor, and this much further for the
# lookaheads at a match's end
_RX_MARGIN = 40


def _add_trimmed(found: list, low: str, a: int, b: int, code: str) -> None:
    """A regex mention, without the punctuation its pattern took at its end (none if that is all)."""
    while b > a and not low[b - 1].isalnum():
        b -= 1
    if b > a:
        found.append((a, b, code))


@lru_cache(maxsize=None)
def _first_words(n: int) -> re.Pattern:
    """Matches up to the end of the n-th word."""
    return re.compile(r"\s*(?:\S+\s+){0,%d}\S+" % (n - 1))


_PLACE_TAIL = re.compile(r"(?:['’]s|\s+(?:station|estate|Station|Estate|Interchange|city centre|town centre))$")
_NOT_DESTINATION = re.compile(r"(?i)\b(?:hospital|infirmary|a ?& ?e|a and e|custody|police station|school|college)\b")
_ELSEWHERE = re.compile(r"\b(?:the uk|this country|another (?:town|city|area|country)|out of (?:town|area)|abroad)\b")


_QUOTES = ("'", '"', "‘", "’", "“", "”", "`", "''", "``")


def _quoted_variants(vocab, docs) -> list[Doc]:
    """Each phrase again with a quotation mark between two of its words (two, for short phrases):
    workers quote the child's words, and "pays him to 'look after' a phone", "'owes' them", "sleep
    with 'his friends'" are the phrase with a quote token inside it. The PhraseMatcher's speed does
    not depend on how many phrases it holds, so this costs build time only."""
    out = []
    for doc in docs:
        words = [t.text for t in doc]
        n = len(words)
        if n < 2 or any(t.norm_ == "'" for t in doc):
            continue
        for i in range(1, n):
            out.append(Doc(vocab, words=words[:i] + ["'"] + words[i:]))
            if n <= 4:
                for j in range(i + 1, n):
                    out.append(Doc(vocab, words=words[:i] + ["'"] + words[i:j] + ["'"] + words[j:]))
    return out


def _quotes_fit(doc, s: int, e: int) -> bool:
    """A quotation that opens inside a match must close inside it or right after it, and one that
    closes inside it must have opened inside it or right before it: 'making him "work it off"' is
    not "make him work", 'had to sleep with "his friends"' is "sleep with his friends"."""
    for k in range(s + 1, e - 1):
        if doc[k].norm_ != "'":
            continue
        before_space = bool(doc[k - 1].whitespace_)
        after_space = bool(doc[k].whitespace_)
        if before_space and not after_space:      # opens
            c = next((j for j in range(k + 1, len(doc)) if doc[j].norm_ == "'"), None)
            if c is not None and c > e:
                return False
        elif after_space and not before_space:    # closes
            o = next((j for j in range(k - 1, -1, -1) if doc[j].norm_ == "'"), None)
            if o is not None and o < s - 1:
                return False
    return True


class Mention(NamedTuple):
    """Immutable, and a tuple so that the several per note cost little to make."""
    code: str
    category: str
    text: str
    start: int
    end: int
    context: str


@dataclass
class TagResult:
    labels: list[str]
    indicators: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"labels": list(self.labels),
                "indicators": [m._asdict() for m in self.indicators],
                "entities": [e._asdict() for e in self.entities]}


class Tagger:
    def __init__(self, lexicon: Lexicon | None = None, lexicon_dir: str | Path | None = None,
                 label_check: bool = True):
        """`label_check`: weigh the rules' evidence with the trained classifier (classifier.py),
        loaded or trained on the first note with a mention. Off, the labels are the rules' alone,
        which is what the rules' own case tests look at."""
        self._label_check = label_check
        self._check = None
        self.lexicon = lexicon or load_lexicon(lexicon_dir)
        lx = self.lexicon
        self.nlp = spacy.blank("en")
        table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
        self._lemmas = table
        self._words = None
        overrides = {str(k).lower(): str(v).lower() for k, v in (lx.lemmas.get("overrides") or {}).items()}
        pron = str(lx.lemmas.get("pronoun_norm", "sb"))
        for p in lx.lemmas.get("pronouns") or []:
            overrides[str(p).lower()] = pron
        # every quotation mark is one token to the matcher, so that one variant per gap covers them all
        for q in _QUOTES:
            overrides[q] = "'"

        def lemma_norm(string: str) -> str:
            low = string.lower()
            hit = overrides.get(low)
            return hit if hit is not None else table.get(low, low)

        vocab = self.nlp.vocab
        # spaCy calls this once per new lexeme, so each word is lemmatised once per process
        vocab.lex_attr_getters[NORM] = lemma_norm
        for lex in list(vocab):
            lex.norm_ = lemma_norm(lex.orth_)

        self.matcher = PhraseMatcher(vocab, attr="NORM")
        self.token_matcher = Matcher(vocab)
        self._has_token_patterns = False
        self._regex = []
        for ind in lx.indicators.values():
            if ind.phrases:
                docs = list(self.nlp.tokenizer.pipe(ind.phrases))
                self.matcher.add(ind.code, docs + _quoted_variants(vocab, docs))
            if ind.token_patterns:
                self.token_matcher.add(ind.code, list(ind.token_patterns))
                self._has_token_patterns = True
            for rule in ind.regexes:
                self._regex.append((ind, rule))
        self._add_regex_anchors()
        self.context = ContextRules(lx.context)
        # gate labels start with "~" so they can never clash with an indicator code
        for kind, phrases in self.context.gate_phrases().items():
            self.matcher.add(kind, list(self.nlp.tokenizer.pipe(phrases)))
        self.matcher.add("~platform", list(self.nlp.tokenizer.pipe(
            [str(p) for p in lx.vehicles.get("social_platforms", [])])))
        self.matcher.add("~vehicle", list(self.nlp.tokenizer.pipe(
            [str(w) for k in ("colours", "makes", "models") for w in lx.vehicles.get(k, [])])))
        # what each match id stands for: an indicator code, or a gate label starting with "~"
        self._label_of = {self.nlp.vocab.strings[k]: k for k in (*GATE_KINDS, "~platform", "~vehicle", *lx.indicators)}
        self._label_of.update({h: "~rx" for h in self._rx_rules})
        self.entities = EntityFinder(lx.names, lx.places, lx.vehicles, self._is_word)
        self._strength = {c: i.strength for c, i in lx.indicators.items()}
        self._hint = frozenset(c for c, i in lx.indicators.items() if i.strength == "hint")
        self._corroborated_by = {c: i.corroborated_by for c, i in lx.indicators.items()}
        self._shared_with = {c: i.shared_with for c, i in lx.indicators.items()}
        self._explainable = {c: i.explainable for c, i in lx.indicators.items()}
        # which sign each code is when signs are counted: codes joined by same_sign_as are one
        self._sign = {c: c for c in lx.indicators}
        for c, i in lx.indicators.items():
            for o in i.same_sign_as:
                old, new = self._sign[o], self._sign[c]
                self._sign = {k: new if v == old else v for k, v in self._sign.items()}
        rank = {"strong": 0, "supporting": 1, "weak": 2, "hint": 3}
        # code -> (category, strength rank, strength), read once instead of per comparison
        self._code_info = {c: (i.category, rank[i.strength], i.strength) for c, i in lx.indicators.items()}
        self._category = {c: i.category for c, i in lx.indicators.items()}
        self._place_within = {c: i.requires_place_within for c, i in lx.indicators.items()}
        self._place_after = [
            (c, re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(i.place_after, key=len, reverse=True)))
                           + r")\s+(?:the\s+)?$"))
            for c, i in lx.indicators.items() if i.place_after]
        self._ner = None

    def _add_regex_anchors(self):
        """A regex with `starts` or `anchors` runs only where the PhraseMatcher, in the pass it makes
        anyway, saw one of those words; a note without them costs the rule nothing. Rules with
        neither (a council's own lexicon may have some) are run over every note by one RegexSet."""
        by_word: dict[str, set] = {}
        plain = []
        self._rx_margin = []
        # a start that is a symbol ("£") is found by its character, not by the matcher: the
        # tokenizer leaves the second "£" of "£50-£100" inside a token
        self._symbol_starts: dict[str, list[int]] = {}
        for i, (ind, rule) in enumerate(self._regex):
            for word in rule.starts:
                if len(word) == 1 and not word.isalnum():
                    self._symbol_starts.setdefault(word, []).append(i)
                    continue
                by_word.setdefault(word, set()).add((i, None))
            # an anchor may sit anywhere in a match: search that far either side of it
            for word in rule.anchors:
                by_word.setdefault(word, set()).add((i, reach(rule.pattern)))
            # the search stops this far after the reach: one character for a closing \b, more for a
            # lookahead (it would not see past the end)
            look = "(?=" in rule.pattern.pattern or "(?!" in rule.pattern.pattern
            self._rx_margin.append(_RX_MARGIN if look else 1)
            if not (rule.starts or rule.anchors):
                plain.append((ind.code, rule.pattern, rule.if_contains))
        # one matcher label per lemma sequence ("gave", "gives" and "give" are one), whose hash says
        # which rules it opens and how
        by_key: dict[str, set] = {}
        for word, rules in by_word.items():
            # as the tokenizer splits it, and as one word: "id" alone is split like "i'd", "ID" is not
            for doc in (self.nlp.tokenizer(word), Doc(self.nlp.vocab, words=word.split())):
                key = "~rx " + " ".join(t.norm_ for t in doc)
                if key not in by_key:
                    by_key[key] = set()
                    self.matcher.add(key, [doc])
                by_key[key] |= rules
        self._rx_rules = {self.nlp.vocab.strings[key]: tuple(sorted(rules, key=lambda r: (r[0], r[1] or 0)))
                          for key, rules in by_key.items()}
        self._rx_match = [rule.pattern.match for _ind, rule in self._regex]
        self._rx_code = [ind.code for ind, _rule in self._regex]
        self._regex_set = RegexSet(plain) if plain else None

    def _is_word(self, w: str) -> bool:
        if self._words is None:
            # every inflected form and lemma the lookup table knows: enough to tell "user" from "bigmanjay"
            self._words = set(self._lemmas.values())
        return w in self._lemmas or w in self._words or self.nlp.vocab[w].is_stop

    # --- public ---------------------------------------------------------------------------------
    def load_label_check(self):
        """Load (or train) the label check now rather than on the first note that needs it."""
        if self._label_check and self._check is None:
            self._check = classifier.load_classifier()
        return self

    def enable_ner(self):
        from .ner import load_ner_model
        if self._ner is None:
            self._ner = load_ner_model()
        return self

    def tag(self, text: str) -> TagResult:
        return next(self.tag_many([text]))

    def tag_many(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[TagResult]:
        # keep the caller's strings: doc.text would rebuild each one from its tokens
        texts = list(texts)
        # a blank pipeline is only its tokenizer; calling it directly skips nlp.pipe's per-doc overhead
        docs = self.nlp.tokenizer.pipe(texts, batch_size=batch_size)
        mdocs = self._ner.pipe(texts, batch_size=batch_size) if self._ner is not None else None
        for start in range(0, len(texts), batch_size):
            chunk = [(text, next(docs)) for text in texts[start:start + batch_size]]
            results = [self._analyse(doc, text) for text, doc in chunk]
            # the label check reads the notes with a mention it could weigh, a batch at a time
            probs = {}
            if self._label_check:
                waiting = [i for i, r in enumerate(results) if any(m.context == "asserted" for m in r.indicators)]
                if waiting and self._check_ready():
                    probs = dict(zip(waiting, self._check.probabilities([chunk[i][1] for i in waiting])))
            for i, result in enumerate(results):
                result = self._settle(result, probs.get(i))
                if mdocs is not None:
                    result.entities = _merge_ner(result.entities, next(mdocs))
                yield result

    # --- internals ------------------------------------------------------------------------------
    def _check_ready(self) -> bool:
        """The label check, loaded on first need. Where it cannot be had (no annotated notes to train
        on) the labels are the rules' alone, said once in the log: tagging never fails a save."""
        try:
            self.load_label_check()
        except classifier.ClassifierUnavailable as exc:
            log.warning("tagging without the label check, the rules' labels alone: %s", exc)
            self._label_check = False
            return False
        return True

    def _raw_mentions(self, doc, low: str, gates: dict) -> list[tuple[int, int, str]]:
        label_of = self._label_of
        found = []
        matches = self.matcher(doc)
        if self._has_token_patterns:
            matches = list(matches) + list(self.token_matcher(doc))
        near = None   # anchored rule -> windows of the text to search
        quotes = any(q in low for q in _QUOTES)
        for match_id, s, e in matches:
            # most matches are one token: one Token object, not two
            first = doc[s]
            a = first.idx
            last = first if e == s + 1 else doc[e - 1]
            b = last.idx + len(last)
            label = label_of[match_id]
            if label[0] != "~":
                if not quotes or e - s < 3 or _quotes_fit(doc, s, e):
                    found.append((a, b, label))
            elif label == "~rx":
                for i, width in self._rx_rules[match_id]:
                    if width is None:   # a start: try the rule right here
                        m = self._rx_match[i](low, a)
                        if m is not None:
                            _add_trimmed(found, low, a, m.end(), self._rx_code[i])
                    else:
                        if near is None:
                            near = {}
                        near.setdefault(i, []).append((a - width, b + width))
            else:  # a gate
                gates.setdefault(label, []).append((a, b))
        for char, rules in self._symbol_starts.items():
            a = low.find(char)
            while a >= 0:
                for i in rules:
                    m = self._rx_match[i](low, a)
                    if m is not None:
                        _add_trimmed(found, low, a, m.end(), self._rx_code[i])
                a = low.find(char, a + 1)
        if near:
            self._search_near(near, low, found)
        if self._regex_set is not None:
            for code, a, b in self._regex_set.find(low):
                _add_trimmed(found, low, a, b, code)
        return found

    def _search_near(self, near: dict, low: str, found: list) -> None:
        n = len(low)
        for i, windows in near.items():
            pattern, code, margin = self._regex[i][1].pattern, self._rx_code[i], self._rx_margin[i]
            windows.sort()
            # overlapping windows are searched as one, so no match is found twice
            merged = [list(windows[0])]
            for a, b in windows[1:]:
                if a <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], b)
                else:
                    merged.append([a, b])
            for a, b in merged:
                for m in pattern.finditer(low, max(a, 0), min(b + margin, n)):
                    _add_trimmed(found, low, m.start(), m.end(), code)

    def _dedupe(self, raw):
        info = self._code_info
        # sorted by start, longest first, strongest first, code (the end only breaks no tie)
        rows = sorted({(s, s - e, info[code][1], code, e) for s, e, code in raw})
        kept = []
        for s, _len, _rank, code, e in rows:
            cat = info[code][0]
            for ks, ke, kc, kcat in kept:
                # a stronger sign inside a weaker one's span is kept: "older boyfriend" inside a
                # loose "older ... party" match
                if ks <= s and e <= ke and kcat == cat and (ke - ks > e - s or kc != code) \
                        and info[kc][1] <= info[code][1]:
                    break
            else:
                kept.append((s, e, code, cat))
        # words already read as a strong sign of one category ("owed £5,000 for being brought") are not
        # also a weaker sign of another
        # and a weak cue inside any other category's mention ("given alcohol and drugs") is part of it
        out = []
        for s, e, c, cat in kept:
            mine = info[c][2]
            if mine != "strong":
                for ks, ke, kc, kcat in kept:
                    if kcat != cat and ks < e and s < ke and (
                            info[kc][2] == "strong" or (mine in ("weak", "hint") and ks <= s and e <= ke)):
                        break
                else:
                    out.append((s, e, c))
            else:
                out.append((s, e, c))
        return out

    def _analyse(self, doc, text: str) -> TagResult:
        low = text.lower()
        gates: dict[str, list[tuple[int, int]]] = {}
        found = self._raw_mentions(doc, low, gates)
        entities = self.entities.find(text, platform=gates.get("~platform", False),
                                      vehicle=gates.get("~vehicle", False), low=low)
        if found:
            # a mention that needs a named place and has none is dropped before de-duplication, so it
            # never hides another reading of the same words ("drove him up" moved by others needs a
            # place; as travel arranged by others it does not)
            place_within = self._place_within
            found = [r for r in found if not place_within[r[2]] or self._place_ok(text, r, entities)]
        if self._place_after:
            # not again where the same sign already reads the place ("found in Blackpool")
            found += [r for r in self._places_after(low, entities)
                      if not any(f[2] == r[2] and f[0] < r[1] and r[0] < f[1] for f in found)]
        if not found:
            return TagResult([], [], entities)
        raw = self._dedupe(found)
        persons = [(x.start, x.end, x.normalized) for x in entities if x.label == "PERSON"]
        explainable = self._explainable
        hint = self._hint
        contexts = self.context.assign(text, [(s, e) for s, e, _ in raw], gates=gates, low=low, persons=persons,
                                       explainable=[explainable[code] for _s, _e, code in raw],
                                       quiet=frozenset(i for i, r in enumerate(raw) if r[2] in hint))
        category = self._category
        mentions = [Mention(code, category[code], text[s:e], s, e, ctx)
                    for (s, e, code), ctx in zip(raw, contexts)]
        # every mention for now: _settle keeps the asserted ones of the categories labelled in the end
        return TagResult(sorted(self._decide(mentions)), mentions, entities)

    def _settle(self, result: TagResult, probs: dict | None) -> TagResult:
        """The final labels (the rules', or weighed by the label check when it read the note) and
        only the asserted mentions that show them, so `labels` is always what the evidence shows."""
        labels = set(result.labels)
        if probs is not None:
            hint = self._hint
            asserted = [m for m in result.indicators if m.context == "asserted"]
            evidence = {m.category for m in asserted if m.code not in hint}
            hinted = {m.category for m in asserted if m.code in hint} - evidence
            labels = classifier.decide(evidence, labels, probs, hinted)
            result.labels = sorted(labels)
        result.indicators = [m for m in result.indicators if m.context != "asserted" or m.category in labels]
        return result

    def _places_after(self, low: str, entities) -> list[tuple[int, int, str]]:
        """Mentions made of a word and the named place in another town right after it ("in
        Blackpool", "to the Wirral")."""
        out = []
        for ent in entities:
            if ent.label != "LOCATION":
                continue
            # the words are looked for first: most places follow none of them
            hits = [(m.start(), ent.end, code) for code, before in self._place_after
                    if (m := before.search(low, max(0, ent.start - 24), ent.start))]
            if hits and self._another_town(ent.text):
                out += hits
        return out

    def _place_ok(self, text, r, entities) -> bool:
        s, e, code = r
        n = self._place_within[code]
        if not n:
            return True
        # the end of the n-th word after the mention (finding the last word's text would find its
        # first occurrence: "drove her to a hotel in Nottingham 'for a" ended at the first "a")
        m = _first_words(n).match(text, e, e + 12 * n)
        limit = m.end() if m else e
        # brought to a hospital, a police station or school is care or custody, not movement
        if _NOT_DESTINATION.search(text, e, limit):
            return False
        if any(ent.label == "LOCATION" and e <= ent.start < limit and self._another_town(ent.text)
               for ent in entities):
            return True
        return bool(_ELSEWHERE.search(text[e:limit].lower()))

    def _another_town(self, place: str) -> bool:
        """Could this place be another town or country? A venue, a street or a district of a city
        is not one (a hotel near Pride Park, a flat on Edge Lane); a town the gazetteer does not
        know may be."""
        name = _PLACE_TAIL.sub("", place)
        kind = self.entities.gazetteer.get(name)
        if kind is not None:
            return kind in ("towns", "countries", "more_places")
        # a name the gazetteer does not know, written as someone's ("Nando's", "Jay's"), is a venue
        # or a home
        if place.endswith(("'s", "’s")):
            return False
        return name.rsplit(None, 1)[-1] not in self.entities.suffixes and not name[:1].isdigit()

    def _decide(self, mentions: list[Mention]) -> set[str]:
        # a hint never counts here, not even as a second sign: it is evidence for the label check alone
        hint = self._hint
        asserted = [m for m in mentions if m.context == "asserted" and m.code not in hint]
        if not asserted:
            return set()
        corroborated_by, strength, sign = self._corroborated_by, self._strength, self._sign
        codes: dict[str, set[str]] = {}   # category -> asserted codes
        for m in asserted:
            codes.setdefault(m.category, set()).add(m.code)
        labels = set()
        for cat, found in codes.items():
            own = [c for c in found if not corroborated_by[c]]
            strengths = {strength[c] for c in own}
            if "strong" in strengths or ("supporting" in strengths and len({sign[c] for c in own}) >= 2):
                labels.add(cat)
        # a category found only on signs it shares with another category that its own signs found
        # ("older lads" and weed beside a morning-after pill; a hotel and "paid for everything"
        # beside a county line) is that other category's
        shared = self._shared_with
        for cat in list(labels):
            found = codes[cat]
            if all(shared[c] for c in found) and any(
                    o in labels and not all(shared[c] for c in codes[o]) for c in found for o in shared[c]):
                labels.discard(cat)
        # a sign that needs corroboration counts with another sign of its category, or with a label
        # of one of the categories it names
        # (until nothing changes: a label one sign gets can corroborate a sign read before it)
        grew = True
        while grew:
            grew = False
            for m in asserted:
                cats = corroborated_by[m.code]
                if not cats or m.category in labels:
                    continue
                if len({sign[c] for c in codes[m.category]}) > 1 or any(c in labels for c in cats if c != m.category):
                    labels.add(m.category)
                    grew = True
        # two such signs still waiting that name each other's categories corroborate each other:
        # wraps at a flat in the town someone drove him to are a county line
        waiting: dict[str, set[str]] = {}
        for m in asserted:
            if corroborated_by[m.code] and m.category not in labels:
                waiting.setdefault(m.category, set()).update(corroborated_by[m.code])
        for cat, cats in waiting.items():
            if any(o != cat and cat in waiting.get(o, ()) for o in cats):
                labels.add(cat)
        return labels


def _merge_ner(entities: list[Entity], mdoc) -> list[Entity]:
    from .entities import normalize
    from .ner import LABEL_MAP
    out = list(entities)
    for ent in mdoc.ents:
        label = LABEL_MAP.get(ent.label_)
        if not label:
            continue
        s, e = ent.start_char, ent.end_char
        if any(x.start < e and s < x.end for x in out):
            continue
        out.append(Entity(label, ent.text, s, e, normalize(label, ent.text)))
    out.sort(key=lambda x: x.start)
    return out


_DEFAULT: Tagger | None = None


def default_tagger() -> Tagger:
    """The process-wide tagger, built on first use (about a second) and reused by every call."""
    global _DEFAULT
    if _DEFAULT is None:
        # RHI_LABEL_CHECK=0 gives the rules' labels alone (where the annotated notes are not at hand)
        _DEFAULT = Tagger(label_check=os.environ.get("RHI_LABEL_CHECK", "1") != "0")
    return _DEFAULT


def tag_text(text: str) -> TagResult:
    return default_tagger().tag(text)


def tag_many(texts: Iterable[str], batch_size: int = 256) -> list[TagResult]:
    return list(default_tagger().tag_many(texts, batch_size=batch_size))
