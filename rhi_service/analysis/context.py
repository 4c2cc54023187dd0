"""Gives each indicator mention one context, ConText-style, from trigger lists in context.yaml.

No parser: scope is the mention's sentence, cut at clause terminators and a word window. Triggers
are searched with every mention span blanked out, so a phrase inside one indicator ("not allowed to
leave") never governs another, and a denial governs only the mention it sits in front of.

Most mentions have no trigger in reach. The pipeline's PhraseMatcher finds the trigger phrases
(lemma-matched, so never fewer places than the regexes) and hands them in as gates, by where they
can act: pre-triggers (negation, hypothetical, third party) only before the mention in its sentence,
post-triggers only after it, past/resolved words anywhere in it, explained triggers over three
sentences. A mention with nothing in reach is asserted at once, and only the rest pay for the regex
rules; inside those, the whole-note searches run once and only when a mention needs them.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from .lexicon import phrase_regex

_SENT_END = re.compile(r"[.!?]+[\"'’”)\]]*(?=\s)|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)]|[A-Z]))")
_WORD = re.compile(r"\S+")
_PARA = re.compile(r"\n\s*\n")
# a paragraph that opens like this is advice or a planned conversation, not an account of events
_ADVICE_HEADER = re.compile(
    r"^\s*(?:safety plan(?:ning)?|safety advice|advice(?: given)?|direct work|keeping safe|"
    r"staying safe|what ifs?|exploitation screening|screening)\b[^\n:]{0,40}:", re.IGNORECASE)


# labels the pipeline's PhraseMatcher reports trigger phrases under (see ContextRules.gate_phrases)
GATE_KINDS = ("~pre", "~post", "~sent", "~expl", "~resolved", "~pseudo")


def _required_literal(pattern: str) -> str | None:
    """A lower-case piece of text every match of `pattern` must contain, or None when there is no
    safe one. Reads only the top level: groups, classes and escapes end a run of literal
    characters, and a quantifier takes its character back out."""
    best, run, i, n = "", "", 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "|":
            return None
        if c == "\\":
            best, run, i = max(best, run, key=len), "", i + 2
            continue
        if c in "?*{":
            run = run[:-1]
            best, run = max(best, run, key=len), ""
        elif c == "+":
            best, run = max(best, run, key=len), ""
        elif c == "[":
            best, run = max(best, run, key=len), ""
            i = pattern.index("]", i + 2)
        elif c == "(":
            best, run = max(best, run, key=len), ""
            depth = 0
            while i < n:
                if pattern[i] == "\\":
                    i += 2
                    continue
                depth += {"(": 1, ")": -1}.get(pattern[i], 0)
                if depth == 0:
                    break
                i += 1
        elif c.isalnum() or c == " ":
            run += c.lower()
        else:
            best, run = max(best, run, key=len), ""
        i += 1
    best = max(best, run, key=len)
    return best if best.strip() else None


def _colon_near(text: str, start: int) -> bool:
    return text.find(":", start, start + 80) >= 0


def _hit_in(hits, a: int, b: int) -> bool:
    for s, e in hits:
        if s < b and a < e:
            return True
    return False


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


class ContextRules:
    def __init__(self, config: dict):
        self.window = int(config.get("window", 8))
        self.post_window = int(config.get("post_window", 4))
        self.terminators = phrase_regex(config.get("terminators", []))
        self.pseudo = phrase_regex(config.get("pseudo", []))
        neg = config["negated"]
        self.neg_pre = phrase_regex(neg.get("pre", []))
        self.neg_post = phrase_regex(neg.get("post", []))
        hyp = config["hypothetical"]
        self.hyp_window = int(hyp.get("window", 25))
        self.hyp_terminators = phrase_regex(hyp.get("terminators", []))
        self.hyp_pre = phrase_regex(hyp.get("pre", []))
        self.hyp_post = phrase_regex([p for p in hyp.get("post", []) if p != "?"])
        hist = config["historical"]
        self.past = phrase_regex(list(hist.get("past", [])) + [f"re:{r}" for r in hist.get("past_regex", [])])
        self.resolved = phrase_regex(hist.get("resolved", []))
        # the raw past regexes alone (years): the matcher cannot see them, so they gate themselves
        self._past_raw = phrase_regex([f"re:{r}" for r in hist.get("past_regex", [])])
        other = config["other_person"]
        self.other_terminators = phrase_regex(other.get("terminators", []))
        self.third_party = phrase_regex(other.get("third_party", []))
        self.disassociated = phrase_regex(other.get("disassociated", []))
        self.explained = phrase_regex(config["explained"].get("triggers", []))
        self.explained_post = phrase_regex(config["explained"].get("post", []))
        self._config = config
        # the matcher sees literal triggers only: a list with raw regexes in it is never gated by hits
        self._literal_only = {name: not any(str(p).startswith("re:") for p in (lst or []))
                              for name, lst in (("resolved", hist.get("resolved")),
                                                ("explained", config["explained"].get("triggers")))}
        # raw-regex hypothetical triggers cannot go into the matcher; a literal each must contain
        # stands in for them, and one without such a literal sends every mention the slow way
        raw_hyp = [str(p)[3:] for p in hyp.get("pre", []) if str(p).startswith("re:")]
        lits = [_required_literal(r) for r in raw_hyp]
        self._raw_hyp_literals = None if None in lits else tuple(lits)

    def gate_phrases(self) -> dict[str, list[str]]:
        """Trigger phrases by gate label, for the pipeline's PhraseMatcher (raw regexes left out)."""
        c = self._config

        def lit(*lists):
            return sorted({str(p) for lst in lists for p in (lst or [])
                           if not str(p).startswith("re:") and str(p).strip() and str(p) != "?"})
        neg, hyp, hist, other, expl = (c["negated"], c["hypothetical"], c["historical"],
                                       c["other_person"], c["explained"])
        return {
            # what can change the context of a mention from before it in its sentence ...
            "~pre": lit(neg.get("pre"), hyp.get("pre"), other.get("third_party")),
            # ... from after it ...
            "~post": lit(neg.get("post"), hyp.get("post"), expl.get("post")),
            # ... and from anywhere in it
            "~sent": lit(hist.get("past"), hist.get("resolved")),
            # explained triggers reach two sentences further
            "~expl": lit(expl.get("triggers")),
            "~resolved": lit(hist.get("resolved")),
            "~pseudo": lit(c.get("pseudo")),
        }

    # --- helpers -------------------------------------------------------------------------------
    @staticmethod
    def _cut_before(s: str, terminators) -> str:
        """Keep only the part of `s` after its last terminator (pre-trigger scope)."""
        if terminators is None:
            return s
        last = None
        for last in terminators.finditer(s):
            pass
        return s[last.end():] if last else s

    @staticmethod
    def _cut_after(s: str, terminators) -> str:
        if terminators is None:
            return s
        m = terminators.search(s)
        return s[: m.start()] if m else s

    def _clean(self, s: str) -> str:
        return self.pseudo.sub(lambda m: " " * len(m.group()), s) if self.pseudo else s

    @staticmethod
    def _last_words(s: str, n: int) -> str:
        words = list(_WORD.finditer(s))
        return s[words[-n].start():] if len(words) > n else s

    @staticmethod
    def _first_words(s: str, n: int) -> str:
        words = list(_WORD.finditer(s))
        return s[: words[n - 1].end()] if len(words) > n else s

    @staticmethod
    def _nearest(regex, s: str) -> int | None:
        """Distance (characters) from the end of `s` to the last trigger in it."""
        if regex is None:
            return None
        last = None
        for last in regex.finditer(s):
            pass
        return len(s) - last.end() if last else None

    # --- the rules -----------------------------------------------------------------------------
    def assign(self, text: str, spans: list[tuple[int, int]], gates: dict | None = None,
               low: str | None = None) -> list[str]:
        """Context for each (start, end) mention span of `text`.

        `gates` is what the pipeline's PhraseMatcher found, by label; without it every mention
        takes the full rules."""
        if not spans:
            return []
        sents = sentence_spans(text)
        starts = [s for s, _ in sents]
        where = [max(0, bisect_right(starts, s) - 1) for s, _ in spans]
        if gates is None or self._raw_hyp_literals is None:
            slow = list(range(len(spans)))
        else:
            slow = self._needs_rules(text, low or text.lower(), spans, sents, where, gates)
        out = ["asserted"] * len(spans)
        if slow:
            for i, ctx in zip(slow, self._full_rules(text, spans, sents, where, slow, gates)):
                out[i] = ctx
        return out

    def _needs_rules(self, text, low, spans, sents, where, gates) -> list[int]:
        """Mentions that something in reach could move away from `asserted`."""
        sent_hits = gates.get("~sent", ())
        pre_hits = gates.get("~pre", ())
        post_hits = gates.get("~post", ())
        expl_hits = gates.get("~expl", ())
        resolved = "~resolved" in gates
        # an advice header needs a colon in its paragraph's first 80 characters
        paras = [0] + [m.end() for m in _PARA.finditer(text)] if ":" in text else None
        last = len(sents) - 1
        lits = self._raw_hyp_literals
        past_raw = self._past_raw if resolved else None
        # offsets in `low` are offsets in `text` unless lower-casing changed a length
        same = len(low) == len(text)
        slow = []
        # what reaches every mention of a sentence, worked out once per sentence
        whole_sentence: dict[int, bool] = {}
        for i, k in enumerate(where):
            ss, se = sents[k]
            s, e = spans[i]
            reach = whole_sentence.get(k)
            if reach is None:
                reach = whole_sentence[k] = bool(
                    _hit_in(sent_hits, ss, se)
                    or _hit_in(expl_hits, ss, sents[min(k + 2, last)][1])
                    or "?" in text[ss:se]
                    # a past_regex hit counts only when the note also says the concern is resolved;
                    # the sentence is searched as a slice, as _one searches it
                    or (past_raw is not None and past_raw.search(text[ss:se])))
            # pre-triggers (negation, hypothetical, third party) are only read before the mention
            # and post-triggers only after it, so a trigger on the other side changes nothing
            if (reach or _hit_in(pre_hits, ss, s) or _hit_in(post_hits, e, se)
                    or (paras and _colon_near(text, paras[bisect_right(paras, s) - 1]))
                    # a raw hypothetical pre-trigger is only read before the mention
                    or (lits and any(lit in low[ss:s if same else se] for lit in lits))):
                slow.append(i)
        return slow

    def _full_rules(self, text, spans, sents, where, which, gates) -> list[str]:
        # every character inside a mention becomes "x" (built from slices, not a list of characters)
        pieces, pos = [], 0
        for s, e in sorted(spans):
            if e <= pos:
                continue
            s = max(s, pos)
            pieces.append(text[pos:s])
            pieces.append("x" * (e - s))
            pos = e
        pieces.append(text[pos:])
        plain = "".join(pieces)
        gated = gates is not None
        masked = self._clean(plain) if not gated or "~pseudo" in gates else plain
        # these read the text before pseudo-triggers are blanked: "never met him" disowns, it does not
        # negate. Both are whole-note searches, so each runs once and only when a mention needs it.
        whole = {}

        def whole_resolved() -> bool:
            if "r" not in whole:
                whole["r"] = bool(self.resolved and (not gated or "~resolved" in gates)
                                  and self.resolved.search(plain))
            return whole["r"]

        def whole_dissoc() -> bool:
            if "d" not in whole:
                whole["d"] = bool(self.disassociated and self.disassociated.search(plain))
            return whole["d"]

        expl_hits = gates.get("~expl", ()) if gated and self._literal_only["explained"] else None
        resolved_hits = gates.get("~resolved", ()) if gated and self._literal_only["resolved"] else None
        para_starts = [0] + [m.end() for m in _PARA.finditer(text)]
        out = []
        for i in which:
            s, e = spans[i]
            k = where[i]
            ss, se = sents[k]
            sent = masked[ss:se]
            before, after = masked[ss:s], masked[e:se]
            para = para_starts[bisect_right(para_starts, s) - 1]
            out.append(self._one(masked, sents, k, sent, before, after, para, whole_resolved, whole_dissoc,
                                 expl_hits, resolved_hits))
        return out

    def _one(self, masked, sents, k, sent, before, after, para, whole_resolved, whole_dissoc,
             expl_hits=None, resolved_hits=None) -> str:
        # explained: the checked, ordinary explanation may follow in the next sentences
        if self.explained:
            window_end = sents[min(k + 2, len(sents) - 1)][1]
            # the matcher saw every explained trigger: none in reach means the search cannot hit
            if (expl_hits is None or _hit_in(expl_hits, sents[k][0], window_end)) \
                    and self.explained.search(masked[sents[k][0]:window_end]):
                return "explained"
        if self.explained_post and self.explained_post.match(after.lstrip()):
            return "explained"
        if self.third_party:
            scope = self._cut_before(before, self.other_terminators)
            if self.third_party.search(self._last_words(scope, 15)) and whole_dissoc():
                return "other_person"
        if self.resolved and (resolved_hits is None or _hit_in(resolved_hits, sents[k][0], sents[k][1])) \
                and self.resolved.search(sent):
            return "historical"
        if self.past and whole_resolved() and self.past.search(sent):
            return "historical"
        if _ADVICE_HEADER.match(masked[para:para + 80]):
            return "hypothetical"
        if sent.rstrip().endswith("?"):
            return "hypothetical"
        neg_scope = self._last_words(self._cut_before(before, self.terminators), self.window)
        hyp_scope = self._last_words(self._cut_before(before, self.hyp_terminators), self.hyp_window)
        neg = self._nearest(self.neg_pre, neg_scope)
        hyp = self._nearest(self.hyp_pre, hyp_scope)
        if neg is not None and (hyp is None or neg <= hyp):
            return "negated"
        if hyp is not None:
            return "hypothetical"
        post_scope = self._first_words(self._cut_after(after, self.terminators), self.post_window)
        if self.neg_post and self.neg_post.search(post_scope):
            return "negated"
        if self.hyp_post and self.hyp_post.search(post_scope):
            return "hypothetical"
        return "asserted"
