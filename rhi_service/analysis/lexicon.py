"""Loads the indicator lexicon, context triggers and entity word lists from YAML.

Everything a coordinator might want to change lives in lexicon/*.yaml; this module only reads and
checks it, so a new slang phrase never needs a code change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml

try:  # Python 3.11+
    from re import _parser as sre_parse
    from re._constants import (ASSERT, ASSERT_NOT, BRANCH, IN, LITERAL, MAX_REPEAT, MIN_REPEAT,
                               NOT_LITERAL, RANGE, SUBPATTERN)
except ImportError:  # pragma: no cover - older Pythons
    import sre_parse  # type: ignore
    from sre_constants import (ASSERT, ASSERT_NOT, BRANCH, IN, LITERAL, MAX_REPEAT,  # type: ignore
                               MIN_REPEAT, NOT_LITERAL, RANGE, SUBPATTERN)

DEFAULT_DIR = Path(__file__).with_name("lexicon")
CATEGORIES = ("CSE", "CCE", "TRAFFICKING")
STRENGTHS = ("strong", "supporting", "weak", "hint")
CONTEXTS = ("asserted", "negated", "hypothetical", "historical", "other_person", "explained")
# files in the lexicon folder that are not indicator files
_SPECIAL = {"context.yaml", "names.yaml", "places.yaml", "vehicles.yaml", "lemmas.yaml"}


# libyaml's parser when PyYAML was built with it (same safe constructors and resolvers, several
# times faster: the lexicon is most of the tagger's build time)
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LOADER(_BASE_LOADER):  # noqa: N801 - used as a loader class
    """Refuses a key written twice in one mapping: YAML would keep the last silently, so a rule
    given `starts:` twice would lose the first list without a word."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is written twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class LexiconError(ValueError):
    """The YAML lexicon is malformed; the message names the file and the indicator."""


@dataclass(frozen=True)
class RegexRule:
    pattern: re.Pattern
    # cheap substring checks: the regex only runs when one of these is in the lower-cased text
    if_contains: tuple[str, ...] = ()
    # Where the regex can match, found by the pipeline's PhraseMatcher (on lemmas) in the pass it
    # makes anyway: `starts`, words one of which every match begins with (the regex is tried at
    # each), or `anchors`, words one of which every match holds (searched for within the regex's
    # reach of each). A rule with neither is run over every note.
    starts: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    code: str
    category: str
    description: str
    source: str
    strength: str = "strong"
    phrases: tuple[str, ...] = ()
    regexes: tuple[RegexRule, ...] = ()
    token_patterns: tuple = ()
    corroborated_by: tuple[str, ...] = ()
    requires_place_within: int = 0
    # words right before a named place in another town ("in Blackpool", "to the Wirral") that make
    # the words and the place a mention: found from the entities, not by a matcher
    place_after: tuple[str, ...] = ()
    # categories whose grooming this sign is just as much a part of (an older man buying things,
    # lifts, a hotel room): read as theirs when one of them is already found on its own signs
    shared_with: tuple[str, ...] = ()
    # whether ordinary life that was checked can explain it at all: a phone mum bought, yes;
    # drugs kept for a lad, never
    explainable: bool = True
    # codes of the same category that are one sign with this one when signs are counted: an STI
    # screen and the sexual activity it follows are one fact, not two signs
    same_sign_as: tuple[str, ...] = ()


@dataclass
class Lexicon:
    indicators: dict[str, Indicator]
    context: dict
    names: dict
    places: dict
    vehicles: dict
    lemmas: dict
    directory: Path = field(default=DEFAULT_DIR)

    def by_category(self, category: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.category == category]


def _read(path: Path) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise LexiconError(f"{path.name}: expected a mapping at the top level")
    return data


def _strings(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    _no_booleans(value, where)
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise LexiconError(f"{where}: expected a list of strings")
    return tuple(str(v) for v in value)


def _no_booleans(value, where: str) -> None:
    """YAML reads an unquoted yes, no, on or off in a list as true/false: a word list would then hold
    "True" instead of the word ("No" would stop being a not-name), so say so instead."""
    if isinstance(value, dict):
        for key, item in value.items():
            _no_booleans(item, f"{where} {key}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, bool):
                raise LexiconError(f"{where}: a list holds {item!r}, which YAML read from an unquoted "
                                   "yes/no/on/off (or true/false); put that word in quotes")
            _no_booleans(item, where)


def _regex(entry, where: str) -> RegexRule:
    if isinstance(entry, str):
        entry = {"pattern": entry}
    if not isinstance(entry, dict) or "pattern" not in entry:
        raise LexiconError(f"{where}: regex entries need a pattern")
    try:
        pattern = re.compile(entry["pattern"])
    except re.error as exc:
        raise LexiconError(f"{where}: bad regex {entry['pattern']!r}: {exc}") from exc
    def words(key):
        return tuple(s.lower() for s in _strings(entry.get(key), where) if s.strip())
    return RegexRule(pattern, words("if_contains"), words("starts"), words("anchors"))


def _indicator(raw: dict, category: str, where: str) -> Indicator:
    for key in ("code", "description", "source", "patterns"):
        if not raw.get(key):
            raise LexiconError(f"{where}: indicator is missing '{key}'")
    code = str(raw["code"])
    where = f"{where} {code}"
    strength = raw.get("strength", "strong")
    if strength not in STRENGTHS:
        raise LexiconError(f"{where}: strength must be one of {STRENGTHS}")
    pats = raw["patterns"]
    if not isinstance(pats, dict):
        raise LexiconError(f"{where}: patterns must be a mapping")
    phrases = _strings(pats.get("phrases"), where)
    regexes = tuple(_regex(r, where) for r in (pats.get("regex") or []))
    tokens = tuple(pats.get("tokens") or [])
    place_after = tuple(w.lower() for w in _strings(pats.get("place_after"), where))
    if not (phrases or regexes or tokens or place_after):
        raise LexiconError(f"{where}: patterns has no phrases, regex, tokens or place_after")
    corroborated = _strings(raw.get("corroborated_by"), where)
    shared = _strings(raw.get("shared_with"), where)
    for field_name, cats in (("corroborated_by", corroborated), ("shared_with", shared)):
        for cat in cats:
            if cat not in CATEGORIES:
                raise LexiconError(f"{where}: {field_name} names unknown category {cat}")
    if category in shared:
        raise LexiconError(f"{where}: shared_with names the indicator's own category")
    return Indicator(
        code=code, category=category, description=str(raw["description"]),
        source=str(raw["source"]), strength=strength, phrases=phrases, regexes=regexes,
        token_patterns=tokens, corroborated_by=corroborated,
        requires_place_within=int(raw.get("requires_place_within") or 0), shared_with=shared,
        explainable=_flag(raw.get("explainable", True), "explainable", where),
        same_sign_as=_strings(raw.get("same_sign_as"), where), place_after=place_after,
    )


def _flag(value, name: str, where: str) -> bool:
    if not isinstance(value, bool):
        raise LexiconError(f"{where}: {name} must be true or false")
    return value


def load_lexicon(directory: str | Path | None = None) -> Lexicon:
    """Read every YAML file in `directory` (the packaged lexicon by default).

    Files other than the five special ones are indicator files; a missing special file falls back to
    the packaged copy, so a test or a council can override just the indicators.
    """
    directory = Path(directory) if directory else DEFAULT_DIR
    if not directory.is_dir():
        raise LexiconError(f"lexicon directory not found: {directory}")

    def special(name: str) -> dict:
        path = directory / name
        data = _read(path if path.exists() else DEFAULT_DIR / name)
        _no_booleans(data, name)
        return data

    indicators: dict[str, Indicator] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name in _SPECIAL:
            continue
        data = _read(path)
        category = data.get("category")
        if category not in CATEGORIES:
            raise LexiconError(f"{path.name}: category must be one of {CATEGORIES}")
        for i, raw in enumerate(data.get("indicators") or []):
            ind = _indicator(raw, category, f"{path.name}[{i}]")
            if ind.code in indicators:
                raise LexiconError(f"{path.name}: duplicate indicator code {ind.code}")
            indicators[ind.code] = ind
    if not indicators:
        raise LexiconError(f"{directory}: no indicators found")
    for ind in indicators.values():
        for other in ind.same_sign_as:
            if other not in indicators or indicators[other].category != ind.category:
                raise LexiconError(f"{ind.code}: same_sign_as names {other}, not a {ind.category} indicator")
    context = special("context.yaml")
    for kind in CONTEXTS[1:]:
        if kind not in context:
            raise LexiconError(f"context.yaml: missing section '{kind}'")
    return Lexicon(indicators, context, special("names.yaml"), special("places.yaml"),
                   special("vehicles.yaml"), special("lemmas.yaml"), directory)


def _trie_pattern(phrases: list[str], space: str = r"\s+") -> str:
    """A regex for many literal phrases, factored into a character trie.

    Python's re tries every alternative at every position; a trie makes each position cost one
    character-class test, which is what keeps long trigger and gazetteer lists cheap."""
    trie: dict = {}
    for p in phrases:
        node = trie
        for ch in p:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node) -> str:
        end = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            piece = space if ch == " " else re.escape(ch)
            branches.append(piece + build(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # longest match first, then the shorter phrase that ends here
        return f"(?:{body})?" if end else body

    return build(trie)


def phrase_regex(phrases: Iterable[str], flags: int = re.IGNORECASE) -> re.Pattern | None:
    """One regex for a trigger list; entries starting 're:' are raw regexes."""
    raw, lit = [], []
    for p in phrases:
        p = str(p)
        if p.startswith("re:"):
            raw.append(f"(?:{p[3:]})")
        elif p.strip() and p != p.strip() and not any(ch.isalnum() for ch in p):
            # punctuation written with spaces round it (" - ") is a dash between clauses, not the
            # hyphen in "no-one" or "ex-boyfriend"
            raw.append(r"(?:(?<=\s)" + re.escape(p.strip()) + r"(?=\s))")
        elif p.strip():
            lit.append(" ".join(p.split()).lower() if flags & re.IGNORECASE else " ".join(p.split()))
    parts = []
    # word boundaries only where a trigger starts or ends with a word character
    for left_word in (True, False):
        for right_word in (True, False):
            group = [p for p in lit if p[0].isalnum() == left_word and p[-1].isalnum() == right_word]
            if group:
                parts.append((r"(?<!\w)" if left_word else "") + "(?:" + _trie_pattern(group) + ")"
                             + (r"(?!\w)" if right_word else ""))
    parts += raw
    if not parts:
        return None
    return re.compile("|".join(parts), flags)


# --- case-blind matching without re.IGNORECASE ------------------------------------------------
# re.IGNORECASE makes every literal a case-folding test and stops re from skipping ahead in C to
# where a match can start; a lower-case pattern on lower-cased text finds the same matches faster.

def fold(text: str, low: str | None = None) -> str:
    """`text` lower-cased, offset for offset, so that a lower-case pattern run on it without
    re.IGNORECASE matches exactly where it matches `text` with it: re.IGNORECASE also takes
    dotless ı for i and long ſ for s, and İ is one character to it (two to str.lower).
    `low`, when given, is text.lower()."""
    low = text.lower() if low is None else low
    if len(low) == len(text) and "ı" not in low and "ſ" not in low:
        return low
    return "".join("i" if c == "ı" else "s" if c == "ſ" else c.lower()[0] for c in text)


_NEUTRAL = {getattr(sre_parse, n) for n in ("AT", "ANY", "CATEGORY")}


def caseless(pattern: str) -> bool:
    """True when no literal or class in `pattern` holds an upper-case or non-ASCII letter, so that
    on folded text it matches the same with or without re.IGNORECASE."""
    def plain(c: str) -> bool:
        return c == c.lower() and (c.isascii() or not c.isalpha())

    def ok(items) -> bool:
        for op, av in items:
            if op in (LITERAL, NOT_LITERAL):
                good = plain(chr(av))
            elif op is IN:
                good = all(plain(chr(iav)) if iop in (LITERAL, NOT_LITERAL) else
                           all(plain(chr(c)) for c in range(iav[0], iav[1] + 1)) if iop is RANGE else
                           iop in _NEUTRAL or iop is sre_parse.NEGATE
                           for iop, iav in av)
            elif op is SUBPATTERN:
                good = not av[1] and not av[2] and ok(av[3])  # no flags switched inside the pattern
            elif op is BRANCH:
                good = all(ok(alt) for alt in av[1])
            elif op in (MAX_REPEAT, MIN_REPEAT):
                good = ok(av[2])
            elif op in (ASSERT, ASSERT_NOT):
                good = ok(av[1])
            else:
                good = op in _NEUTRAL
            if not good:
                return False
        return True

    try:
        return ok(sre_parse.parse(pattern))
    except (re.error, RecursionError):
        return False


def folded_regex(pattern: str) -> re.Pattern:
    """A case-insensitive `pattern` compiled for folded text: without re.IGNORECASE when that
    changes nothing."""
    return re.compile(pattern, 0 if caseless(pattern) else re.IGNORECASE)
