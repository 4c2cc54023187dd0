"""Runs indicator regexes that name no starts or anchors (see pipeline) over one text with one or
two scans in C instead of one each, and measures how far a rule's matches can reach (`reach`).

What a rule's matches can start with is read from the compiled regex itself, never from a hand-kept
list: every match of `\\b(?:gave|give|bought)\\s+…` starts with "gave", "give" or "bought", and every
match of `\\b(?:on|in|was) ["']?ot\\b` with "on ot", "in 'ot", "was ot"… (literal prefixes up to ten
characters, through optional parts and small character classes). One trie regex over all those
prefixes finds every place any rule could start; a rule is tried only there, with
`pattern.match(text, pos)`, keeping `finditer`'s leftmost, non-overlapping order per rule. So the
result is exactly what `pattern.finditer(text)` gives for each rule, with one scan for all of them.

Rules that open with \\b share a scan that only stops where \\b holds; rules that start with a
quote or "£" share a small second one. A rule with no finite set of starts (`[a-z]+ is …`,
`\\d+ …`), a case-insensitive one, or one that may start inside a word with a letter is scanned on
its own, as before. The scan restarts one character after each hit, so a long hit never hides a
start inside it.

A rule's `if_contains` words keep their meaning exactly (the rule finds nothing unless one of them is
in the text); they are looked up once per text, the first time one of the rule's starts turns up.
"""
from __future__ import annotations

import functools
import re

try:  # Python 3.11+
    from re import _parser as sre_parse
    from re._constants import (ASSERT, ASSERT_NOT, AT, AT_BOUNDARY, BRANCH, IN, LITERAL, MAX_REPEAT,
                               MAXREPEAT, MIN_REPEAT, POSSESSIVE_REPEAT, RANGE, SUBPATTERN)
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse  # type: ignore
    from sre_constants import (ASSERT, ASSERT_NOT, AT, AT_BOUNDARY, BRANCH, IN,  # type: ignore
                               LITERAL, MAX_REPEAT, MAXREPEAT, MIN_REPEAT, RANGE, SUBPATTERN)
    POSSESSIVE_REPEAT = None

from .lexicon import _trie_pattern

_MAX_PREFIXES = 3000
# longest literal prefix tried first: longer ones mean fewer false starts, more to compile
_ROOMS = (10, 6, 4)
_REPEATS = tuple(x for x in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT) if x is not None)


class _TooMany(Exception):
    pass


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _pre(items: list, room: int) -> set[str]:
    """Literal strings, one of which starts every match of the parsed sequence `items`, at most
    `room` characters long. "" in the answer means a match may start with anything."""
    if not items or room <= 0:
        return {""}
    op, av = items[0]
    rest = items[1:]
    if op is AT:
        return _pre(rest, room)
    if op is LITERAL:
        ch = chr(av)
        return {ch + t for t in _pre(rest, room - 1)}
    if op is IN:
        chars = []
        for iop, iav in av:
            if iop is LITERAL:
                chars.append(chr(iav))
            elif iop is RANGE and iav[1] - iav[0] < 12:
                chars.extend(chr(c) for c in range(iav[0], iav[1] + 1))
            else:
                return {""}
        tails = _pre(rest, room - 1)
        out = {ch + t for ch in chars for t in tails}
    elif op is SUBPATTERN:
        if len(av) == 4 and av[1] & (re.IGNORECASE | re.VERBOSE):  # (?i:...) changes what a literal is
            return {""}
        return _pre(list(av[-1]) + rest, room)
    elif op is BRANCH:
        out = set()
        for alt in av[1]:
            out |= _pre(list(alt) + rest, room)
    elif op in _REPEATS:
        lo, hi, sub = av
        if lo == 0 and hi == 1:
            out = _pre(list(sub) + rest, room) | _pre(rest, room)
        elif lo == 0:
            # taken or not; when taken the prefix is cut at the end of one repetition
            out = _pre(list(sub), room) | _pre(rest, room)
        else:
            out = _pre(list(sub), room)
    else:
        return {""}
    if len(out) > _MAX_PREFIXES:
        raise _TooMany
    return out


@functools.lru_cache(maxsize=512)
def _parse(pattern: re.Pattern):
    return sre_parse.parse(pattern.pattern, pattern.flags)


def analyse(pattern: re.Pattern) -> set[str] | None:
    """Literal prefixes, one of which starts every match of `pattern`, or None when there is no
    such finite set (the rule is then scanned on its own)."""
    # case folding changes what a literal matches; ASCII or LOCALE would change what \b means
    if pattern.flags & (re.IGNORECASE | re.VERBOSE | re.ASCII | re.LOCALE):
        return None
    try:
        parsed = _parse(pattern)
        if parsed.getwidth()[0] == 0:
            return None
    except (RecursionError, re.error):
        return None
    for room in _ROOMS:
        try:
            prefixes = _pre(list(parsed), room)
        except (_TooMany, RecursionError):
            continue
        if "" in prefixes:
            return None
        return prefixes
    return None


# what an unbounded repeat (\\s+, \\w*, [a-z]+) is taken to cover when measuring a rule's reach
_OPEN_REPEAT = 15


def _reach(items) -> int:
    total = 0
    for op, av in items:
        if op is AT or op is ASSERT or op is ASSERT_NOT:
            continue
        if op is SUBPATTERN:
            total += _reach(av[-1])
        elif op is BRANCH:
            total += max(_reach(alt) for alt in av[1])
        elif op in _REPEATS:
            lo, hi, sub = av
            total += _reach(sub) * (max(lo, _OPEN_REPEAT) if hi == MAXREPEAT else hi)
        else:
            total += 1
    return total


def reach(pattern: re.Pattern) -> int:
    """How many characters a match of `pattern` can span, counting each unbounded repeat as
    _OPEN_REPEAT characters at most (no real rule needs more: a run of spaces, a word)."""
    try:
        return _reach(_parse(pattern))
    except (re.error, RecursionError):
        return 10 * _OPEN_REPEAT


def _starts_at_word_boundary(pattern: re.Pattern) -> bool:
    """True when the pattern opens with \\b, so it can only start where \\b holds."""
    items = list(_parse(pattern))
    while items and items[0][0] is SUBPATTERN:
        items = list(items[0][1][-1]) + items[1:]
    return bool(items) and items[0][0] is AT and items[0][1] is AT_BOUNDARY


class RegexSet:
    """rules: list of (key, compiled pattern, if_contains words). `find(low)` returns (key, start, end)
    for every match, exactly as `for m in pattern.finditer(low)` gated by `if_contains` would."""

    def __init__(self, rules):
        self.rules = list(rules)
        self._fallback = []          # rule indices scanned the old way
        # two scans: rules that open with \b are looked for only where \b holds (re skips the rest
        # of each word in C); the others only where their first, non-word character is
        groups: tuple[dict, dict] = ({}, {})
        for i, (_key, pattern, _gate) in enumerate(self.rules):
            prefixes = analyse(pattern)
            bounded = prefixes is not None and _starts_at_word_boundary(pattern)
            if prefixes is None or (not bounded and any(_is_word(p[0]) for p in prefixes)):
                self._fallback.append(i)
                continue
            for p in prefixes:
                groups[0 if bounded else 1].setdefault(p, []).append(i)
        self._matchers = [pattern.match for _k, pattern, _g in self.rules]
        self._gates = [tuple(gate) for _k, _p, gate in self.rules]
        self._scans = []
        for n, by_prefix in enumerate(groups):
            if not by_prefix:
                continue
            # the rules a hit may start: those of every prefix of the (longest) literal found
            rules_for = {p: tuple(sorted({i for k in range(1, len(p) + 1) for i in by_prefix.get(p[:k], ())}))
                         for p in by_prefix}
            trie = _trie_pattern(sorted(by_prefix), space=" ")
            # find() restarts one character after each hit, so a hit never hides another start
            self._scans.append((re.compile(r"\b(?:" + trie + ")" if n == 0 else trie).search, rules_for))

    def find(self, low: str) -> list[tuple[str, int, int]]:
        rules = self.rules
        out = []
        if self._scans:
            n = len(rules)
            last_end = [0] * n
            # a rule whose if_contains words are all absent finds nothing: looked up once per text,
            # the first time one of its starts turns up (None: not looked up yet)
            gate_open = [None] * n
            matchers = self._matchers
            gates = self._gates
            has = low.__contains__
            for search, rules_for in self._scans:
                hit = search(low)
                while hit is not None:
                    p = hit.start()
                    rules_here = rules_for[hit[0]]
                    hit = search(low, p + 1)
                    for i in rules_here:
                        if p < last_end[i]:
                            continue
                        is_open = gate_open[i]
                        if is_open is None:
                            gate = gates[i]
                            is_open = gate_open[i] = not gate or any(map(has, gate))
                        if not is_open:
                            continue
                        m = matchers[i](low, p)
                        if m is not None:
                            last_end[i] = e = m.end()
                            out.append((rules[i][0], p, e))
        for i in self._fallback:
            key, pattern, gate = rules[i]
            if gate and not any(g in low for g in gate):
                continue
            for m in pattern.finditer(low):
                out.append((key, m.start(), m.end()))
        return out
