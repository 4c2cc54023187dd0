"""Gives each indicator mention one context, ConText-style, from trigger lists in context.yaml.

No parser: scope is the mention's sentence, cut at clause terminators and a word window. Triggers
are searched with every mention span blanked out, so a phrase inside one indicator ("not allowed to
leave") never governs another, and a denial governs only the mention it sits in front of.

Most mentions have no trigger in reach. The pipeline's PhraseMatcher finds the trigger phrases
(lemma-matched, so never fewer places than the regexes) and hands them in as gates, one label per
trigger list. A mention is looked at only when something can reach it: a pre-trigger (negation,
hypothetical, third party) before it in its sentence, a post-trigger after it, a past/resolved word
anywhere in it, an explained trigger over three sentences. The rest are asserted at once. For the
mentions that are looked at, each rule's regex runs only when its own list had a hit in reach, and
the whole-note searches run once and only when a mention needs them.

The regexes run on the lower-cased text (`fold`) without re.IGNORECASE, which lets `re` skip ahead
in C; `fold` keeps every offset and matches exactly where re.IGNORECASE would.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from .lexicon import fold, folded_regex, phrase_regex
from .regexscan import RegexSet

# abbreviations whose full stop does not end a sentence ("e.g. someone older giving you gifts"); each
# look-behind has one width, as re needs
_ABBREVS = (r"e\.g", r"i\.e", "eg", "ie", "approx", "incl", "esp")
_NOT_ABBREV = "".join(rf"(?<!(?i:\b{a}))" for a in _ABBREVS)
_NOT_ABBREV_STOP = "".join(rf"(?<!(?i:\b{a})[.!?])" for a in _ABBREVS)
_SENT_END = re.compile(_NOT_ABBREV + r"[.!?]+[\"'’”)\]]*(?=\s)|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)]|[A-Z]))")
# The same, written to open with one character class so that re skips to the next [.!?\n] in C (an
# alternation of groups is otherwise tried at every position), and captured: re.split then hands back
# sentences and separators, whose lengths add up to the offsets without a match object per sentence.
_SENT_SPLIT = re.compile(r"([.!?\n](?:(?<=[.!?])" + _NOT_ABBREV_STOP + r"[.!?]*[\"'’”)\]]*(?=\s)|(?<=\n)\s*\n|(?<=\n)(?=\s*(?:[-*•]|\d+[.)]|[A-Z]))))")
_PARA = re.compile(r"\n\s*\n")
# someone a sign is done to, in or just after a mention ("picks her up", "gave me")
_ONTO = re.compile(r"\b(?:her|him|them|me|us|sb)\b")
# a paragraph that opens like this is advice or a planned conversation, not an account of events
# (lower case: it is matched on the folded text)
_ADVICE_HEADER = re.compile(
    r"^\s*(?:(?:safety plan(?:ning)?|safety advice|advice(?: given)?|direct work|keeping safe|"
    r"staying safe|what ifs?|(?:what|things|signs) to look (?:out )?for|exploitation screening|screening|(?:session )?topic|module|workshop)\b"
    # a screening's decision or rating is a finding, not talk: "Screening decision: RED", "CE screening: high"
    r"(?!\s+(?:decision|outcome|result|rating|score|level)\b)[^\n:]{0,40}:"
    r"(?!\s*(?:red|amber|green|rag|high|medium|low|significant|moderate|standard)\b)"
    # a group or awareness session, whose title may run on: "Group session at the hub - 'County lines: ..."
    r"|(?:group session|awareness session|group work)\b[^\n:]{0,80}:"
    # a numbered or plain heading line of its own: "4. Safety planning and advice"
    r"|(?:\d+[.)]\s*)?(?:safety plan(?:ning)?|safety advice|advice|direct work|keeping safe|staying safe)\b"
    r"[^\n:.]{0,40}[ \t]*\n"
    # or a heading that says the paragraph is a conversation: "Risks we talked through:"
    r"|[^\n:.]{0,40}\b(?:(?:talk(?:ed|ing)?|spoke|speaking|went|gone|go|going) (?:through|about|over)|discussed(?! with)|covered|explored)\b"
    r"[^\n:.]{0,50}:)")
# a line and the bulleted lines straight after it: "We talked through what he would do if:" and
# then "- someone offered him money..."
_BULLET = r"[ \t]*(?:[-*•]|\d+[.)] )"
_BULLET_LIST = re.compile(r"(?m)^([^\n]*)\n((?:" + _BULLET + r"[^\n]*(?:\n|$))+)")
_HAS_BULLET = re.compile(r"\n" + _BULLET)
# what the child tells in the middle of advice is an account, not advice ("when we were talking about
# phone credit she mentioned that Deano had sorted her phone bill")
_DISCLOSED = re.compile(r"\b(?:she|he|they) (?:mentioned|disclosed|admitted|let slip|revealed)\b"
                        # and an action reported as done under a "Safety plan" heading is a fact
                        r"|\b(?:made|submitted|completed|sent|done) (?:today|yesterday|this (?:morning|afternoon|week))\b")
# a sentence that lists what was talked about: "Covered: what county lines are; what 'going OT' means"
_TALK_LIST = re.compile(r"\s*(?:we |i |the session |session |it )?(?:covered|covering|discussed|talked about|went through|topics?)\s*:")
# a bracketed aside ("he thought it was a taxi, 'but not Uber'") is closed before what follows it
_BRACKETED = re.compile(r"\([^()]*\)")
# a quotation in double marks, closed: what someone said ("police don't search girls") is not the
# note denying what follows it
# (in single marks an apostrophe inside a word is not the close: 'feds don't search girls')
_QUOTATION = re.compile(r'"[^"\n]*"|“[^”\n]*”' + r"|(?<![\w'‘’])[‘'](?:[^'‘’\n]|['’](?=\w))*['’](?!\w)")
# things a later sentence can come back to and explain ("The bag was ...", "The phone is ...")
_ITEM = re.compile(r"\b(?:bag|phone|iphone|car|cash|money|trainers|clothes|jacket|coat|watch|vape|vapes|nails|ticket|bike|moped|necklace|perfume|bracelet|airpods|hotel|lift|lifts|boyfriend|girlfriend)\b")
# an explanation its own sentence goes on to doubt
_DISPUTED = re.compile(r"\b(?:but|however|although|though|yet|except|whereas)\b")
# words before a name that say it is not the child's: whoever wrote the note, or to whom
_ROLE_BEFORE = re.compile(r"(?:\b(?:pc|ds|dc|dsl|sw|iro|officer|staff|worker|keyworker|by|from|dear|hi|hello|to|thanks|regards|cc)\b|:)[\s,:'\"-]*$")
# (after a surname the person finder left out: "Leah FOSTER (14)")
_AGE_AFTER = re.compile(r"(?:\s+[a-z'’-]+)?(?:\s*\(\s*(?:aged?\s*)?\d{1,2}\s*\)|,\s*(?:aged?\s*)?1?\d\b(?![:/.]\d))")

# labels the pipeline's PhraseMatcher reports trigger phrases under (see ContextRules.gate_phrases)
PRE_GATES = ("~neg_pre", "~hyp_pre", "~third", "~expl_pre")
POST_GATES = ("~neg_post", "~hyp_post", "~expl_post")
SENT_GATES = ("~past", "~resolved")
GATE_KINDS = PRE_GATES + POST_GATES + SENT_GATES + ("~expl", "~pseudo", "~dis")


def _rx(phrases) -> re.Pattern | None:
    """phrase_regex compiled for folded text."""
    p = phrase_regex(phrases)
    return folded_regex(p.pattern) if p is not None else None


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
            # an escaped punctuation mark is itself ("\\(not "); a class like \\w or \\b ends the run
            nxt = pattern[i + 1:i + 2]
            if nxt and not nxt.isalnum():
                run += nxt
            else:
                best, run = max(best, run, key=len), ""
            i += 2
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


def _heading_near(text: str, start: int) -> bool:
    """Can a paragraph starting here open with a heading (which ends in a colon or a line break)?"""
    return text.find(":", start, start + 80) >= 0 or text.find("\n", start, start + 80) >= 0


def _hit_in(hits, a: int, b: int) -> bool:
    for s, e in hits:
        if s < b and a < e:
            return True
    return False


def _last_words(s: str, n: int) -> str:
    """`s` from the start of its n-th last word (all of it when it has no more than n words)."""
    parts = s.rsplit(None, n)
    return s[len(parts[0]):].lstrip() if len(parts) > n else s


def _first_words(s: str, n: int) -> str:
    """`s` up to the end of its n-th word (all of it when it has no more than n words)."""
    parts = s.split(None, n)
    return s[:len(s) - len(parts[n])].rstrip() if len(parts) > n else s


# a comma straight after the first word: "w/ mum, buys her vodka"
_CLAUSE_END_AFTER_WORD = re.compile(r"[^\s,]+,")
# the mention is an item of a list: it follows a comma or "or"
_LIST_ITEM = re.compile(r"(?:,|\bor|\bnor)\s*$")


def _cut_before(s: str, terminators) -> str:
    """Keep only the part of `s` after its last terminator (pre-trigger scope)."""
    if terminators is None:
        return s
    last = None
    for last in terminators.finditer(s):
        pass
    return s[last.end():] if last else s


def _cut_after(s: str, terminators) -> str:
    if terminators is None:
        return s
    m = terminators.search(s)
    return s[: m.start()] if m else s


def _nearest(regex, s: str) -> int | None:
    """Distance (characters) from the end of `s` to the last trigger in it."""
    if regex is None:
        return None
    last = None
    for last in regex.finditer(s):
        pass
    return len(s) - last.end() if last else None


# "until the debt is finished", "when the money is finished": a condition still to be met, not a resolution
_CONDITION = re.compile(r"\b(until|till|til|untill|when)\s+(?:\S+\s+){0,4}$")
_PRESENT = re.compile(r"(?:\bis|\bare|['’]s|['’]re)\s+$")
_OWN_NEGATION = re.compile(r"n['’]?t\b|\bnot\b|\bno\b|\bnever\b")
_DENIED_BEFORE = re.compile(r"\b(?:no|not|never|without|nor)\s+$")


def _resolves(resolved: re.Pattern, sent: str, mention: str) -> bool:
    """Does a resolution word in the sentence make this mention past? Not one that is a condition
    still to come, and not "anymore" after a mention that is itself a negation: "isn't allowed out
    anymore" is a restriction now."""
    for m in resolved.finditer(sent):
        before = sent[max(0, m.start() - 50):m.start()]
        cond = _CONDITION.search(before)
        if cond and (cond.group(1) != "when" or m.group().startswith(("is ", "are ")) or _PRESENT.search(before)):
            continue
        if m.group().strip() in ("anymore", "any more") and _OWN_NEGATION.search(mention):
            continue
        return True
    return False


def sentence_spans(text: str) -> list[tuple[int, int]]:
    parts = _SENT_SPLIT.split(text)
    ends = list(accumulate(map(len, parts)))[1::2]   # where each separator ends
    spans = list(zip([0] + ends, ends))
    if parts[-1]:
        spans.append((ends[-1] if ends else 0, len(text)))
    return spans


class ContextRules:
    def __init__(self, config: dict):
        self.window = int(config.get("window", 8))
        self.post_window = int(config.get("post_window", 4))
        self.terminators = _rx(config.get("terminators", []))
        self.pseudo = _rx(config.get("pseudo", []))
        neg = config["negated"]
        self.neg_pre = _rx(neg.get("pre", []))
        self.neg_post = _rx(neg.get("post", []))
        self.neg_considered = _rx(neg.get("considered", []))
        self.neg_list = _rx(neg.get("list_pre", []))
        self.neg_list_window = int(neg.get("list_window", 20))
        self.concluded = _rx(neg.get("concluded", []))
        hyp = config["hypothetical"]
        self.hyp_window = int(hyp.get("window", 25))
        self.hyp_terminators = _rx(hyp.get("terminators", []))
        self.hyp_pre = _rx(hyp.get("pre", []))
        self.hyp_post = _rx([p for p in hyp.get("post", []) if p != "?"])
        hist = config["historical"]
        past_raw = [str(p) for p in hist.get("past", []) if str(p).startswith("re:")]
        self.past = _rx(list(hist.get("past", [])) + [f"re:{r}" for r in hist.get("past_regex", [])])
        self.resolved = _rx(hist.get("resolved", []))
        # the raw past regexes alone (years): the matcher cannot see them, so they gate themselves
        self._past_raw = _rx(past_raw + [f"re:{r}" for r in hist.get("past_regex", [])])
        # the same, as the gate before the full rules has always run it: on the text, case-blind
        self._past_raw_text = phrase_regex([f"re:{r}" for r in hist.get("past_regex", [])])
        other = config["other_person"]
        self.other_terminators = _rx(other.get("terminators", []))
        self.third_party = _rx(other.get("third_party", []))
        # a third-party word straight before a name, possessives left out ("her friend's dad")
        tp = phrase_regex([p for p in other.get("third_party") or [] if not str(p).endswith("'s")])
        self._third_before = folded_regex("(?:" + tp.pattern + r")[\s,]+$") if tp is not None else None
        leads = hyp.get("list_leads")
        self.list_leads = _rx(leads) if leads else None
        # what says the note is not about this child, in two parts: the phrases (the matcher's "~dis"
        # gate says when they can be there) and the raw regexes, each run only when a literal it
        # must contain is in the note, as one RegexSet, which scans for where each can start in C
        # (one alternation of them would be tried at every character of the note)
        dis = [str(p) for p in other.get("disassociated") or []]
        self._dis_phrases = _rx([p for p in dis if not p.startswith("re:")])
        raw = [p[3:] for p in dis if p.startswith("re:")]
        dis_lits = [_required_literal(r) for r in raw]
        self._dis_raw_set = RegexSet([(i, folded_regex(r), ()) for i, r in enumerate(raw)]) if raw else None
        self._dis_raw_literals = None if None in dis_lits else tuple(dis_lits)
        expl = config["explained"]
        self.explained = _rx(expl.get("triggers", []))
        self.explained_post = _rx(expl.get("post", []))
        # a parent or carer as the subject straight before the mention: "her mum picks her up"
        pre = phrase_regex(expl.get("pre", []))
        # (an earlier mention in between is blanked to x's: "Mum [bought her] a new phone")
        self.explained_pre = folded_regex(
            "(?:" + pre.pattern + r")['’]?s?[\s,]+(?:x{3,}(?:\s+(?:a|an|the|some|sb|her|him|them))?[\s,]+)?$"
        ) if pre is not None else None
        self._config = config
        # a list with a raw regex in it cannot be gated by the matcher's hits (hypothetical and past
        # triggers have stand-ins for theirs, below)
        lists = {"~neg_pre": neg.get("pre"), "~hyp_pre": [p for p in hyp.get("pre") or []
                                                          if not str(p).startswith("re:")],
                 "~third": other.get("third_party"), "~neg_post": neg.get("post"),
                 "~hyp_post": hyp.get("post"), "~expl_post": expl.get("post"), "~expl_pre": expl.get("pre"),
                 "~past": [p for p in hist.get("past") or [] if not str(p).startswith("re:")],
                 "~resolved": hist.get("resolved"), "~expl": expl.get("triggers")}
        self._gated = {k for k, lst in lists.items() if not any(str(p).startswith("re:") for p in lst or [])}
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
            "~neg_pre": lit(neg.get("pre")), "~hyp_pre": lit(hyp.get("pre")),
            "~third": lit(other.get("third_party")),
            # ... from after it ...
            "~neg_post": lit(neg.get("post")), "~hyp_post": lit(hyp.get("post")),
            "~expl_post": lit(expl.get("post")),
            "~expl_pre": lit(expl.get("pre")),
            # ... and from anywhere in it
            "~past": lit(hist.get("past")), "~resolved": lit(hist.get("resolved")),
            # explained triggers reach two sentences further
            "~expl": lit(expl.get("triggers")),
            "~pseudo": lit(c.get("pseudo")),
            # and what says the note is not about this child
            "~dis": lit(other.get("disassociated")),
        }

    # --- the rules -----------------------------------------------------------------------------
    def assign(self, text: str, spans: list[tuple[int, int]], gates: dict | None = None,
               low: str | None = None, persons=(), explainable=None, quiet=frozenset()) -> list[str]:
        """Context for each (start, end) mention span of `text`.

        `gates` is what the pipeline's PhraseMatcher found, by label; without it every mention
        takes the full rules. `persons`: the note's named people as (start, end, folded name), so
        that a friend or sibling introduced by name ("his friend Zak") is a third party wherever
        the name is written again. `explainable`: per mention, whether ordinary life can explain
        it at all (a phone mum bought, yes; drugs kept for a lad, never); all can by default.
        `quiet`: indices of mentions that take a context but are not signs the others' rules see
        (a place named in a later sentence does not stop that sentence explaining an earlier sign)."""
        if not spans:
            return []
        low = text.lower() if low is None else low
        sents = sentence_spans(text)
        starts = [s for s, _ in sents]
        where = [max(0, bisect_right(starts, s) - 1) for s, _ in spans]
        # names only ever make a mention someone else's in a note that says it is not this child
        named = others = ()
        if persons and (gates is None or self._may_dissociate(low, gates)):
            named, others = self.third_party_names(low, persons)
            if gates is not None and (named or others):
                gates = {**gates, "~third": [*gates.get("~third", ()), *named, *others]}
        lists = self.advice_lists(low) if _HAS_BULLET.search(text) else ()
        if gates is None or self._raw_hyp_literals is None:
            slow = list(range(len(spans)))
        else:
            slow = self._needs_rules(text, low, spans, sents, where, gates, bool(named or others))
            if lists:
                slow = sorted({*slow, *(i for i, (s, _e) in enumerate(spans) if _hit_in(lists, s, s + 1))})
        out = ["asserted"] * len(spans)
        if slow:
            for i, ctx in zip(slow, self._full_rules(text, fold(text, low), spans, sents, where, slow, gates,
                                                     named, lists, others, explainable, quiet)):
                out[i] = ctx
        # a note that concludes in so many words that there is no exploitation concern about this
        # child ("No exploitation concerns identified. NFA.") has weighed everything it mentions
        if self.concluded is not None and "exploitation" in low and "asserted" in out \
                and self.concluded.search(low):
            out = ["negated" if c == "asserted" else c for c in out]
        return out

    def third_party_names(self, low: str, persons) -> tuple[list, list]:
        """Where the note names someone other than the child: (1) every place a name is written
        that the note brings in straight after a third-party word ("her best friend Keeley",
        "older brother Kyle (17)"), and (2) every other name written as a subject (not "Jay's").
        Neither is ever the child's own name (child_of)."""
        if self.third_party is None:
            return [], []
        # by first name: "Reece Yardley (15)" and "Reece" are one child
        persons = [(s, e, name.split()[0]) for s, e, name in persons]
        before = self._third_before
        third = {name for s, _e, name in persons if before is not None and before.search(low, max(0, s - 30), s)}
        child = self.child_of(low, persons, third)
        names = third - {child}
        named = [(s, e) for s, e, name in persons if name in names]
        others = [(s, e) for s, e, name in persons
                  if name != child and name not in names and low[e:e + 1] not in ("'", "’")]
        return named, others

    @staticmethod
    def child_of(low: str, persons, third: set[str]) -> str:
        """The child a note is about: the first name written with an age ("Kiera (15)", not one of
        `third`, the names written straight after a third-party word: "her brother Kyle (17)"),
        else the first name not written as the author or addressee ("PC Lucy Harding", "Hi
        Nkechi"), else the first name."""
        for s, e, name in persons:
            if _AGE_AFTER.match(low, e) and name not in third:
                return name
        for s, e, name in persons:
            if not _ROLE_BEFORE.search(low, max(0, s - 25), s):
                return name
        return persons[0][2]

    def _may_dissociate(self, low: str, gates: dict) -> bool:
        lits = self._dis_raw_literals
        return "~dis" in gates or lits is None or any(lit in low for lit in lits)

    def advice_lists(self, low: str) -> list[tuple[int, int]]:
        """The bulleted lines after a lead line that ends in a colon and says what follows is talk
        or a what-if ("we talked through what he would do if:")."""
        if self.list_leads is None:
            return []
        return [m.span(2) for m in _BULLET_LIST.finditer(low)
                if m.group(1).strip() and self.list_leads.search(_last_words(m.group(1), 2 * self.hyp_window))]

    def _needs_rules(self, text, low, spans, sents, where, gates, has_names=True) -> list[int]:
        """Mentions that something in reach could move away from `asserted`."""
        get = gates.get
        pre = [*get("~neg_pre", ()), *get("~hyp_pre", ()), *get("~third", ())]
        # a parent or carer only explains a mention it stands right before
        expl_pre = get("~expl_pre", ())
        post = [*get("~neg_post", ()), *get("~hyp_post", ()), *get("~expl_post", ())]
        sent_hits = [*get("~past", ()), *get("~resolved", ())]
        # a sentence that itself says, by name, whose the signs are ("relate to Aisha only")
        if self._dis_raw_set is not None and has_names:
            dis_lits = self._dis_raw_literals
            if dis_lits is None or any(lit in low for lit in dis_lits):
                sent_hits += [(a, b) for _key, a, b in self._dis_raw_set.find(low)]
        expl_hits = get("~expl", ())
        past_raw = self._past_raw_text if "~resolved" in gates else None
        # an advice heading ends in a colon or a line break in its paragraph's first 80 characters
        paras = [0] + [m.end() for m in _PARA.finditer(text)] if ":" in text or "\n" in text else None
        # a raw hypothetical pre-trigger is only read before the mention, and only one whose
        # literal is somewhere in the note can be there
        lits = [lit for lit in self._raw_hyp_literals if lit in low]
        # offsets in `low` are offsets in `text` unless lower-casing changed a length
        same = len(low) == len(text)
        last = len(sents) - 1
        # what reaches every mention of a sentence, worked out once per sentence
        whole: dict[int, bool] = {}
        slow = []
        for i, (s, e) in enumerate(spans):
            k = where[i]
            ss, se = sents[k]
            reach = whole.get(k)
            if reach is None:
                reach = whole[k] = bool(
                    _hit_in(sent_hits, ss, se)
                    or _hit_in(expl_hits, ss, sents[min(k + 2, last)][1])
                    or "?" in text[ss:se]
                    # a past_regex hit counts only when the note also says the concern is resolved;
                    # the sentence is searched as a slice, as the full rules search it
                    or (past_raw is not None and past_raw.search(text[ss:se])))
            # pre-triggers (negation, hypothetical, third party) are only read before the mention
            # and post-triggers only after it, so a trigger on the other side changes nothing
            if (reach or _hit_in(pre, ss, s) or _hit_in(post, e, se)
                    # an item a later sentence may come back to with its explanation
                    or (expl_hits and _ITEM.search(low, s, e) and any(a >= se for a, _b in expl_hits))
                    or (expl_pre and _hit_in(expl_pre, max(ss, s - 40), s))
                    or (paras and _heading_near(text, paras[bisect_right(paras, s) - 1]))
                    or (lits and any(lit in low[ss:s if same else se] for lit in lits))):
                slow.append(i)
        return slow

    def _full_rules(self, text, low, spans, sents, where, which, gates, named=(), lists=(), others=(),
                    explainable=None, quiet=frozenset()) -> list[str]:
        loud = [sp for i, sp in enumerate(spans) if i not in quiet] if quiet else spans
        # every character inside a mention becomes "x" (built from slices, not a list of characters)
        pieces, pos = [], 0
        for s, e in sorted(loud):
            if e <= pos:
                continue
            s = max(s, pos)
            pieces.append(low[pos:s])
            pieces.append("x" * (e - s))
            pos = e
        pieces.append(low[pos:])
        plain = "".join(pieces)
        if self.pseudo and (gates is None or "~pseudo" in gates):
            masked = self.pseudo.sub(lambda m: " " * len(m.group()), plain)
        else:
            masked = plain
        rules = _Rules(self, plain, masked, sents, gates, named, lists, others, low, loud)
        para_starts = [0] + [m.end() for m in _PARA.finditer(text)]
        out = []
        for i in which:
            s, e = spans[i]
            para = para_starts[bisect_right(para_starts, s) - 1]
            out.append(rules.one(where[i], s, e, para, explainable is None or explainable[i]))
        return out


class _Rules:
    """The full rules for the mentions of one note: `masked` is the folded text with every mention
    and pseudo-trigger blanked. Each regex is tried only when its trigger list had a hit in reach;
    without gates, every one is tried."""

    def __init__(self, c: ContextRules, plain: str, masked: str, sents, gates, named=(), lists=(), others=(),
                 low: str = "", spans=()):
        self.c, self.plain, self.masked, self.sents, self.gates = c, plain, masked, sents, gates
        self.named, self.lists, self.others, self.low, self.spans = named, lists, others, low, spans
        self.starts = [a for a, _b in sents]
        self._resolved = self._dissociated = self._dis_spans = None

    def reach(self, kind: str, a: int, b: int) -> bool:
        """Can a trigger of this list be in masked[a:b]? The matcher saw the text, not the masked
        one: where a pseudo-trigger was blanked out the words around it now meet ("talked [not
        sure] about"), so there the regex is always run."""
        gates = self.gates
        if gates is None or kind not in self.c._gated:
            return True
        if self.masked is not self.plain and self.masked[a:b] != self.plain[a:b]:
            return True
        return _hit_in(gates.get(kind, ()), a, b)

    # these read the text before pseudo-triggers are blanked: "never met him" disowns, it does not
    # negate. Both are whole-note searches, so each runs once and only when a mention needs it.
    def resolved(self) -> bool:
        if self._resolved is None:
            c = self.c
            # the note-wide question asks what one sentence's question asks: "until the debt is
            # finished" is a condition still to come anywhere in the note, not a resolution
            self._resolved = bool(c.resolved and (self.gates is None or "~resolved" in self.gates)
                                  and _resolves(c.resolved, self.plain, ""))
        return self._resolved

    def dissociated(self) -> bool:
        if self._dissociated is None:
            c = self.c
            plain, gates = self.plain, self.gates
            # the phrases only where the matcher saw one; the raw regexes (which name whom the
            # note is about) by dis_spans
            phrases = c._dis_phrases and (gates is None or "~dis" in gates) and c._dis_phrases.search(plain)
            self._dissociated = bool(phrases or self.dis_spans())
        return self._dissociated

    def dis_spans(self) -> list[tuple[int, int]]:
        """Where the raw dissociation regexes match ("relate to Aisha only"), found once per note
        by one RegexSet scan, and only when a literal each must contain is in the note."""
        if self._dis_spans is None:
            c, plain = self.c, self.plain
            lits = c._dis_raw_literals
            if c._dis_raw_set is None or (lits is not None and not any(lit in plain for lit in lits)):
                self._dis_spans = []
            else:
                self._dis_spans = [(a, b) for _key, a, b in c._dis_raw_set.find(plain)]
        return self._dis_spans

    def _explained_by_reference(self, k: int, s: int, e: int) -> bool:
        """An item a later sentence comes back to with its explanation: "a new designer bag" ...
        "The bag was a Christmas present from his aunt (receipt seen)"."""
        head = _ITEM.search(self.low, s, e)
        if head is None or self.c.explained is None:
            return False
        the_item = re.compile(r"""\bthe ["'“‘]?(?:\w+ (?:and |& )?)?["'“‘]?""" + head.group() + r"\b")
        for j in range(k + 1, len(self.sents)):
            a, b = self.sents[j]
            m = the_item.search(self.low, a, b)
            if m and m.start() - a < 12:   # the sentence is about the item ("The bag was ...")
                for t in self.c.explained.finditer(self.masked, a, b):
                    if not _DISPUTED.search(self.masked, t.end(), b):
                        return True
        return False

    def _explained(self, k: int, window_end: int) -> bool:
        """An explanation in the mention's sentence or the two after it, unless it is disputed
        in its own sentence ("he says birthday money but his birthday is in Sept"), or sits in a
        later sentence that has a sign of its own to explain."""
        c, masked, sents = self.c, self.masked, self.sents
        for m in c.explained.finditer(masked, sents[k][0], window_end):
            j = bisect_right(self.starts, m.start()) - 1
            if j > k and _hit_in(self.spans, sents[j][0], sents[j][1]):
                continue
            if _DISPUTED.search(masked, m.end(), sents[j][1]):
                continue
            # "it's her brother" names who it is; "it's her brother's mate Dean (24)" does not
            if m.group().lower().startswith(("it", "literally")) and masked.startswith(("'s", "’s"), m.end()):
                continue
            # an explanation that is denied explains nothing: "gets no pocket money"
            if _DENIED_BEFORE.search(masked, max(0, m.start() - 12), m.start()):
                continue
            return True
        return False

    def _done_to_other(self, scope: str, s: int, e: int) -> bool:
        """Another named person is the subject of the mention's clause, and the mention does not
        turn on anyone ("Kieran was found with drugs", not "Jay picks her up")."""
        if not self.others or not _hit_in(self.others, s - len(scope), s):
            return False
        return _ONTO.search(self.low, s, min(e + 12, len(self.low))) is None

    def one(self, k: int, s: int, e: int, para: int, can_explain: bool = True) -> str:
        ss, se = self.sents[k]
        if can_explain and self._explained_by_ordinary_life(k, s, e, ss, se):
            return "explained"
        return self._not_explained(k, s, e, para, ss, se)

    def _explained_by_ordinary_life(self, k, s, e, ss, se) -> bool:
        c, masked, sents = self.c, self.masked, self.sents
        # explained: the checked, ordinary explanation may follow in the next sentences
        if c.explained:
            window_end = sents[min(k + 2, len(sents) - 1)][1]
            if self.reach("~expl", ss, window_end) and self._explained(k, window_end):
                return True
        after = masked[e:se]
        if c.explained_post and self.reach("~expl_post", e, se) and c.explained_post.match(after.lstrip()):
            return True
        before = masked[ss:s]
        if c.explained_pre and self.reach("~expl_pre", ss, s) \
                and self._subject_before(c.explained_pre, _last_words(_cut_before(before, c.terminators), 3)):
            return True
        return self._explained_by_reference(k, s, e)

    @staticmethod
    def _subject_before(triggers, words: str) -> bool:
        """A parent named straight before the mention, as its subject ("mum bought him"), not at the
        end of a clause before it ("when she rows w/ mum, buys her vodka")."""
        m = triggers.search(words)
        return m is not None and _CLAUSE_END_AFTER_WORD.match(m.group()) is None

    def _not_explained(self, k, s, e, para, ss, se) -> str:
        c, masked, sents = self.c, self.masked, self.sents
        after = masked[e:se]
        before = masked[ss:s]
        if c.third_party and self.reach("~third", ss, s):
            scope = _last_words(_cut_before(before, c.other_terminators), 20)
            if (c.third_party.search(scope) or _hit_in(self.named, s - len(scope), s)
                    or self._done_to_other(scope, s, e)) and self.dissociated():
                return "other_person"
        # the sentence says, by name, whom it is about: "(car, older male, alcohol) relate to Aisha
        # only" (the plain phrases, "nothing to do with it", are as often the child's own denial)
        if c._dis_raw_set is not None and _hit_in(self.dis_spans(), ss, se):
            return "other_person"
        sent = masked[ss:se]
        if c.resolved and self.reach("~resolved", ss, se) and _resolves(c.resolved, sent, self.low[s:e]):
            return "historical"
        if c.past and (self.reach("~past", ss, se) or (c._past_raw and c._past_raw.search(sent))) \
                and self.resolved() and c.past.search(sent):
            return "historical"
        if (_ADVICE_HEADER.match(masked[para:para + 120]) or (self.lists and _hit_in(self.lists, s, s + 1))) \
                and not _DISCLOSED.search(masked, ss, se):
            return "hypothetical"
        if sent.rstrip().endswith("?") or _TALK_LIST.match(sent):
            return "hypothetical"
        neg = hyp = None
        if c.neg_pre and self.reach("~neg_pre", ss, s):
            scope = _cut_before(before, c.terminators)
            if ")" in scope:
                # a denial inside brackets that close before the mention governs only the brackets
                # (whose opening a terminator inside them may already have cut off)
                scope = _BRACKETED.sub(lambda m: " " * len(m.group()), scope)
                close = scope.rfind(")")
                if close >= 0:
                    scope = " " * (close + 1) + scope[close + 1:]
            if '"' in scope or "“" in scope or "'" in scope or "‘" in scope:
                # and one inside a quotation that closes before the mention governs only the quotation
                scope = _QUOTATION.sub(lambda m: " " * len(m.group()), scope)
            neg = _nearest(c.neg_pre, _last_words(scope, c.window))
            # a denial governs the whole list it opens: "denied anyone asked her to carry anything,
            # sent her money or gifts, or asked for images"
            if neg is None and c.neg_list is not None and _LIST_ITEM.search(scope):
                neg = _nearest(c.neg_list, _last_words(scope, c.neg_list_window))
        # a raw-regex hypothetical trigger is looked for by the literal each must contain
        lits = c._raw_hyp_literals
        if c.hyp_pre and (self.reach("~hyp_pre", ss, s) or lits is None or any(lit in before for lit in lits)):
            hyp = _nearest(c.hyp_pre, _last_words(_cut_before(before, c.hyp_terminators), c.hyp_window))
        if neg is not None and (hyp is None or neg <= hyp):
            return "negated"
        if hyp is not None:
            return "hypothetical"
        neg_post = c.neg_post and self.reach("~neg_post", e, se)
        hyp_post = c.hyp_post and self.reach("~hyp_post", e, se)
        if neg_post or hyp_post:
            post_scope = _first_words(_cut_after(after, c.terminators), c.post_window)
            if neg_post and c.neg_post.search(post_scope):
                return "negated"
            if neg_post and c.neg_considered is not None and c.neg_considered.search(after):
                return "negated"
            if hyp_post and c.hyp_post.search(post_scope):
                return "hypothetical"
        return "asserted"
