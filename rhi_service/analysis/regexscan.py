"""Runs many indicator regexes over one text with a single scan in C.

Each rule's possible first characters are read from the compiled regex itself (never from a hand-kept
list): for `\\b(?:gave|give|bought)…` every match must start with "gave", "give" or "bought". One
trie regex over all those literal prefixes finds every place any rule could start, and the rule is
tried only there with `pattern.match(text, pos)`: the same leftmost, non-overlapping matches that
`pattern.finditer(text)` returns, at the cost of one scan instead of one per rule. A rule whose start
cannot be bounded this way (it may start with any word, or has no word boundary in front) is run
the old way. A rule's `if_contains` words are still honoured exactly: they are checked only when the
rule has matched, which is rare, instead of for every text.
"""
from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _parser as sre_parse
    from re._constants import (ASSERT_NOT, AT, AT_BEGINNING, AT_BOUNDARY, BRANCH, IN, LITERAL,
                               MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT, RANGE, SUBPATTERN, CATEGORY,
                               CATEGORY_WORD, NEGATE)
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse  # type: ignore
    from sre_constants import (ASSERT_NOT, AT, AT_BEGINNING, AT_BOUNDARY, BRANCH, IN, LITERAL,  # type: ignore
                               MAX_REPEAT, MIN_REPEAT, RANGE, SUBPATTERN, CATEGORY, CATEGORY_WORD, NEGATE)
    POSSESSIVE_REPEAT = None

from .lexicon import _trie_pattern

_MAX_PREFIXES = 400
_REPEATS = tuple(x for x in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT) if x is not None)


class _Unbounded(Exception):
    pass


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _prefixes(items: list) -> set[str]:
    """Literal strings one of which starts every match of the parsed sequence `items`.

    Raises _Unbounded when some match could start with anything (the empty string would be one)."""
    if not items:
        raise _Unbounded
    op, av = items[0]
    rest = items[1:]
    if op is AT:
        return _prefixes(rest)
    if op is LITERAL:
        ch = chr(av)
        if not _is_word(ch):
            return {ch}
        try:
            tails = _prefixes(rest)
        except _Unbounded:
            return {ch}
        # a prefix stops at the end of its first run of word characters (see RegexSet)
        return {ch + t if t[:1] and _is_word(t[0]) else ch for t in tails}
    if op is IN:
        chars = []
        for iop, iav in av:
            if iop is LITERAL:
                chars.append(chr(iav))
            elif iop is RANGE and iav[1] - iav[0] < 12:
                chars.extend(chr(c) for c in range(iav[0], iav[1] + 1))
            else:
                raise _Unbounded
        out = set()
        for ch in chars:
            out |= _prefixes([(LITERAL, ord(ch))] + rest)
        return out
    if op is SUBPATTERN:
        if len(av) == 4 and av[1] & (re.IGNORECASE | re.VERBOSE):  # (?i:...) changes what a literal is
            raise _Unbounded
        return _prefixes(list(av[-1]) + rest)
    if op is BRANCH:
        out = set()
        for alt in av[1]:
            out |= _prefixes(list(alt) + rest)
        if len(out) > _MAX_PREFIXES:
            raise _Unbounded
        return out
    if op in _REPEATS:
        lo, _hi, sub = av
        # the repeated part is taken once and the prefix is cut there: shorter prefixes stay true
        first = {p for p in _prefixes(list(sub)) if p}
        if not first:
            raise _Unbounded
        return first | (_prefixes(rest) if lo == 0 else set())
    raise _Unbounded


def _starts_at_word_boundary(items: list) -> bool:
    """True when the pattern opens with \\b (or (?<!\\w)), so it can only start where a word starts."""
    while items and items[0][0] is SUBPATTERN:
        items = list(items[0][1][-1]) + items[1:]
    if not items:
        return False
    op, av = items[0]
    if op is AT and av is AT_BOUNDARY:
        return True
    return False


def analyse(pattern: re.Pattern) -> tuple[bool, set[str]] | None:
    """(word_start, prefixes) for a rule that can be anchored, or None."""
    if pattern.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        if parsed.getwidth()[0] == 0:
            return None
        word_start = _starts_at_word_boundary(list(parsed))
        prefixes = _prefixes(list(parsed))
    except (_Unbounded, RecursionError, re.error):
        return None
    if not prefixes or "" in prefixes:
        return None
    # every prefix must be one run of word characters or one other character, so that one scanner
    # hit never hides another possible start (see _scanner)
    for p in prefixes:
        if not (len(p) == 1 or all(_is_word(c) for c in p)):
            return None
        if not word_start and _is_word(p[0]):
            # could start inside a word, where a longer scanner hit might cover it
            return None
    return word_start, prefixes


class RegexSet:
    """rules: list of (key, compiled pattern, if_contains words). `find(low)` yields (key, start, end)
    for every match, exactly as `for m in pattern.finditer(low)` gated by `if_contains` would."""

    def __init__(self, rules):
        self.rules = list(rules)
        self._fallback = []          # rule indices scanned the old way
        by_prefix: dict[str, list[int]] = {}
        self._word_start = []
        for i, (_key, pattern, _gate) in enumerate(self.rules):
            info = analyse(pattern)
            self._word_start.append(bool(info and info[0]))
            if info is None:
                self._fallback.append(i)
                continue
            for p in info[1]:
                by_prefix.setdefault(p, []).append(i)
        self._by_prefix = by_prefix
        # every rule a hit of this (longest) prefix may start: the prefixes of the hit that are prefixes
        self._rules_for: dict[str, tuple[int, ...]] = {}
        for p in by_prefix:
            idx = sorted({i for k in range(1, len(p) + 1) for i in by_prefix.get(p[:k], ())})
            self._rules_for[p] = tuple(idx)
        # word prefixes only where a word starts (\b), the odd quote or "£" anywhere: fewer hits than
        # one trie over everything, and no hit inside a word ever hides a start
        word = sorted(p for p in by_prefix if _is_word(p[0]))
        other = sorted(p for p in by_prefix if not _is_word(p[0]))
        parts = ([r"\b(?:" + _trie_pattern(word, space=" ") + ")"] if word else []) + \
                ([_trie_pattern(other, space=" ")] if other else [])
        self._scan = re.compile("|".join(parts)) if parts else None

    def find(self, low: str) -> list[tuple[str, int, int]]:
        rules = self.rules
        out = []
        if self._scan is not None:
            last_end: dict[int, int] = {}
            # a rule whose if_contains words are all absent finds nothing: looked up once per text,
            # the first time one of its starts turns up
            gate_open: dict[int, bool] = {}
            rules_for = self._rules_for
            for hit in self._scan.finditer(low):
                p = hit.start()
                for i in rules_for[hit.group()]:
                    if p < last_end.get(i, 0):
                        continue
                    key, pattern, gate = rules[i]
                    if gate:
                        is_open = gate_open.get(i)
                        if is_open is None:
                            is_open = gate_open[i] = any(g in low for g in gate)
                        if not is_open:
                            continue
                    m = pattern.match(low, p)
                    if m is None:
                        continue
                    last_end[i] = m.end()
                    out.append((i, p, m.end()))
        for i in self._fallback:
            key, pattern, gate = rules[i]
            if gate and not any(g in low for g in gate):
                continue
            for m in pattern.finditer(low):
                out.append((i, m.start(), m.end()))
        return [(rules[i][0], s, e) for i, s, e in out]
