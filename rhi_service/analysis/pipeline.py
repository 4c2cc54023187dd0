"""The tagging pipeline: blank English tokenizer, lemmas written once per lexeme into NORM,
one PhraseMatcher over NORM, one scan for all the indicator regexes, then context and
corroboration rules.

The lookup Lemmatizer component is deliberately not run per document: a lexeme's lemma never
changes, so it is computed once when spaCy first creates the lexeme and stored in its NORM.

The same PhraseMatcher pass also finds the context triggers and the social-platform and vehicle
words. They are used as gates, not as results: a mention with no trigger in reach (a pre-trigger
before it, a post-trigger after it, a past/resolved word in its sentence...) is asserted without
running the context regexes, and the entity regexes that need a platform or a vehicle word only run
when the matcher saw one. Lemma matching finds at least every place the regexes would, so the gates
change speed, never the answer.

The indicator regexes from the YAML are not run one by one: regexscan.RegexSet reads from each
compiled regex the literal text its matches can start with and finds all those starts in one
trie scan, trying each rule only there (same matches as finditer, if_contains kept exactly).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

import spacy
from spacy.attrs import NORM
from spacy.lookups import load_lookups
from spacy.matcher import Matcher, PhraseMatcher

from .context import GATE_KINDS, ContextRules
from .entities import Entity, EntityFinder
from .lexicon import Lexicon, load_lexicon
from .regexscan import RegexSet

_ELSEWHERE = re.compile(r"\b(?:the uk|this country|another (?:town|city|area|country)|out of (?:town|area)|abroad)\b")


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
    def __init__(self, lexicon: Lexicon | None = None, lexicon_dir: str | Path | None = None):
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
                self.matcher.add(ind.code, list(self.nlp.tokenizer.pipe(ind.phrases)))
            if ind.token_patterns:
                self.token_matcher.add(ind.code, list(ind.token_patterns))
                self._has_token_patterns = True
            for rule in ind.regexes:
                self._regex.append((ind, rule))
        # every indicator regex in one scan (see regexscan); the if_contains gates are kept exactly
        self._regex_set = RegexSet((ind.code, rule.pattern, rule.if_contains) for ind, rule in self._regex)
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
        self.entities = EntityFinder(lx.names, lx.places, lx.vehicles, self._is_word)
        self._strength = {c: i.strength for c, i in lx.indicators.items()}
        self._corroborated_by = {c: i.corroborated_by for c, i in lx.indicators.items()}
        rank = {"strong": 0, "supporting": 1, "weak": 2}
        # code -> (category, strength rank, strength), read once instead of per comparison
        self._code_info = {c: (i.category, rank[i.strength], i.strength) for c, i in lx.indicators.items()}
        self._category = {c: i.category for c, i in lx.indicators.items()}
        self._place_within = {c: i.requires_place_within for c, i in lx.indicators.items()}
        self._ner = None

    def _is_word(self, w: str) -> bool:
        if self._words is None:
            # every inflected form and lemma the lookup table knows: enough to tell "user" from "bigmanjay"
            self._words = set(self._lemmas.values())
        return w in self._lemmas or w in self._words or self.nlp.vocab[w].is_stop

    # --- public ---------------------------------------------------------------------------------
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
        if self._ner is None:
            for text, doc in zip(texts, docs):
                yield self._analyse(doc, text)
            return
        for text, doc, mdoc in zip(texts, docs, self._ner.pipe(texts, batch_size=batch_size)):
            result = self._analyse(doc, text)
            result.entities = _merge_ner(result.entities, mdoc)
            yield result

    # --- internals ------------------------------------------------------------------------------
    def _raw_mentions(self, doc, low: str, gates: dict) -> list[tuple[int, int, str]]:
        label_of = self._label_of
        found = []
        matches = self.matcher(doc)
        if self._has_token_patterns:
            matches = list(matches) + list(self.token_matcher(doc))
        for match_id, s, e in matches:
            last = doc[e - 1]
            span = (doc[s].idx, last.idx + len(last))
            label = label_of[match_id]
            if label[0] == "~":  # a gate
                gates.setdefault(label, []).append(span)
            else:
                found.append((*span, label))
        for code, a, b in self._regex_set.find(low):
            while b > a and not low[b - 1].isalnum():
                b -= 1
            if b > a:
                found.append((a, b, code))
        return found

    def _dedupe(self, raw):
        info = self._code_info
        # sorted by start, longest first, strongest first, code (the end only breaks no tie)
        rows = sorted({(s, s - e, info[code][1], code, e) for s, e, code in raw})
        kept = []
        for s, _len, _rank, code, e in rows:
            cat = info[code][0]
            for ks, ke, kc, kcat in kept:
                if ks <= s and e <= ke and kcat == cat and (ke - ks > e - s or kc != code):
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
                            info[kc][2] == "strong" or (mine == "weak" and ks <= s and e <= ke)):
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
        entities = self.entities.find(text, platform="~platform" in gates, vehicle="~vehicle" in gates, low=low)
        if not found:
            return TagResult([], [], entities)
        raw = self._dedupe(found)
        place_within = self._place_within
        raw = [r for r in raw if not place_within[r[2]] or self._place_ok(text, r, entities)]
        contexts = self.context.assign(text, [(s, e) for s, e, _ in raw], gates=gates, low=low)
        category = self._category
        mentions = [Mention(code, category[code], text[s:e], s, e, ctx)
                    for (s, e, code), ctx in zip(raw, contexts)]
        labels = self._decide(mentions)
        kept = [m for m in mentions if m.context != "asserted" or m.category in labels]
        return TagResult(sorted(labels), kept, entities)

    def _place_ok(self, text, r, entities) -> bool:
        s, e, code = r
        n = self.lexicon.indicators[code].requires_place_within
        if not n:
            return True
        after = text[e:e + 12 * n]
        words = after.split()[:n]
        limit = e + (after.find(words[-1]) + len(words[-1]) if words else 0)
        if any(ent.label == "LOCATION" and e <= ent.start < limit for ent in entities):
            return True
        return bool(_ELSEWHERE.search(text[e:limit].lower()))

    def _decide(self, mentions: list[Mention]) -> set[str]:
        asserted = [m for m in mentions if m.context == "asserted"]
        if not asserted:
            return set()
        corroborated_by, strength = self._corroborated_by, self._strength
        codes: dict[str, set[str]] = {}   # category -> asserted codes
        for m in asserted:
            codes.setdefault(m.category, set()).add(m.code)
        labels = set()
        for cat, found in codes.items():
            own = [c for c in found if not corroborated_by[c]]
            strengths = {strength[c] for c in own}
            if "strong" in strengths or ("supporting" in strengths and len(own) >= 2):
                labels.add(cat)
        # a sign that needs corroboration counts with another sign of its category, or with a label
        # of one of the categories it names
        for m in asserted:
            cats = corroborated_by[m.code]
            if not cats or m.category in labels:
                continue
            if len(codes[m.category]) > 1 or any(c in labels for c in cats if c != m.category):
                labels.add(m.category)
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
        _DEFAULT = Tagger()
    return _DEFAULT


def tag_text(text: str) -> TagResult:
    return default_tagger().tag(text)


def tag_many(texts: Iterable[str], batch_size: int = 256) -> list[TagResult]:
    return list(default_tagger().tag_many(texts, batch_size=batch_size))
