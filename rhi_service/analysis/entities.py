"""Finds the entities a police analyst wants from a note, with regexes and word lists only.

Structured things (phones, postcodes, plates, handles, road numbers) come from regexes; names and
places come from runs of capitalised words looked up in the gazetteer and name lists, with a few cue
words ("called", "her friend", "in", "from") deciding the unknown ones.
"""
from __future__ import annotations

import re
from itertools import accumulate
from operator import attrgetter
from typing import NamedTuple

from .lexicon import _trie_pattern, fold, folded_regex

# Mobiles and geographic landlines only: freephone, 116 and 101 style numbers never match because they
# do not start 07, 01 or 02, which is how helplines stay out.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+44\s?(?:\(0\)\s?)?|0)7\d{3}[\s-]?\d{3}[\s-]?\d{3}"
    # "(07700) 900871", "0770 090 0733"
    r"|\(07\d{3}\)\s?\d{3}[\s-]?\d{3}|07\d{2}[\s-]\d{3}[\s-]\d{4}"
    r"|(?:\+44\s?(?:\(0\)\s?)?|0|\(0(?=\d{2,4}\)))(?:1\d{2,3}|2\d)\)?[\s-]?\d{3,4}[\s-]?\d{3,4})(?![\d])")
_POSTCODE = re.compile(r"(?<![\w-])([A-Z]{1,2}\d[A-Z\d]?)\s?(\d[A-Z]{2})(?![\w])")
_PLATE = re.compile(r"(?<![\w-])(?:[A-Z]{2}\d{2}\s?[A-Z]{3}|[A-Z]\d{1,3}\s?[A-Z]{3}|[A-Z]{3}\s?\d{1,3}[A-Z])(?![\w])")
# Northern Irish plates have an I or a Z in their letters ("KFZ 8812", "KDZ 44"); Irish ones start with
# the year and the county ("221-LH", "191-D-12345")
_NI_PLATE = re.compile(r"(?<![\w-])[A-Z](?:[A-Z][IZ]|[IZ][A-Z])\s?\d{1,4}(?![\w-])")
_IRISH_PLATE = re.compile(r"(?<![\w-])\d{2,3}-(?:(?:CE|CN|CW|DL|KE|KK|KY|LD|LH|LK|LM|LS|MH|MN|MO|OY|RN|SO|TN|TS|WD|WH|WW|WX)"
                          r"(?:-\d{1,6})?|[CDGLTW]-\d{1,6})(?![\w-])")
# letters alone after a plate cue: "reg started LXZ"
_PLATE_LETTERS = re.compile(r"\b(?:reg|registration|plate|vrm)\s+(?:starts?|started|starting|begins?|began|beginning|ends?|ended|ending)"
                            r"(?:\s+with)?\s+([A-Z]{2,3})\b(?![\w-]|\s?\d)")
_SHORT_CODE = re.compile(r"(?<![\w@.-])([A-Z]{1,2})(\d{1,4})([A-Z]?)(?:\(M\))?(?![\w])")
_AT_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
# letters of a name, accented ones included ("Oisín", "Zoë", "Łukasz", "Iași"), as the insides of a [] class
_UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
_LETTER = "a-zA-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isalpha())
# (?<![\w@.'’&-])(?:[U][L]*|[U]')(?:['’][L]+)*(?:-[L][L]*)*, U and L the classes above, written with
# the capital first and the look-behind after it so that re skips every other character in C
_CAPWORD = re.compile(rf"[{_UPPER}](?<![\w@.'’&-].)(?:[{_LETTER}]*|')(?:['’][{_LETTER}]+)*(?:-[{_LETTER}][{_LETTER}]*)*")
_CAPRUN = re.compile(_CAPWORD.pattern + "(?: " + _CAPWORD.pattern + ")*")
# the same, captured: re.split hands back the runs and the text between them, whose lengths add up to
# the offsets without a match object per run
_CAPRUN_SPLIT = re.compile(f"({_CAPRUN.pattern})")
_VEHICLE_CUE = re.compile(r"\b(?:reg|regs|registration|plate|plates|vrm|index|number ?plate|partial|starts|starting)\b[^.\n]{0,25}$", re.I)
# "a silver Vauxhall Corsa, SG68 reg": the code straight after a described vehicle, or before "reg"
_AFTER_VEHICLE = re.compile(r"^[\s,(]{1,3}$")
_REG_NEXT = re.compile(r"\s+(?:reg|plate|something|ish)\b", re.I)
_STREET_NUMBER = re.compile(r"(?:^|[\s(,])(\d{1,4}[A-Za-z]?),?\s+$")
_LOWER_SUFFIX = re.compile(r"^\s+((?:(?:train|bus|coach|tube|railway) )?(?:station|estate)|services|industrial estate)\b")
# what makes an unknown capitalised word a person even at the start of a sentence: an age in brackets
# ("Kaci (13) says"), or a verb of saying or doing straight after a word that is no dictionary word
_AGE_NEXT = re.compile(r"\s*\(\s*(?:aged?\s*)?\d{1,2}\b")
# a role or relation in brackets after a word says it is someone: "Handover from Carol (FC)", "a lift
# from Gaz (cousin, 19)"
_ROLE_NEXT = re.compile(r"\s*\((?:her |his |the |yp'?s |child'?s )?(?:fc|sw|rsw|kw|key ?worker|pa|iro|dsl|mum|mom|dad|"
                        r"mother|father|step-?mum|step-?dad|nan|gran|grandma|grandad|aunt|auntie|aunty|uncle|cousin|"
                        r"brother|sister|friend|mate|boyfriend|girlfriend|bf|gf|partner|neighbour|carer|"
                        r"foster carer|teacher|youth worker|manager|rm|pc|pcso|ds|dc)\b", re.I)
# months that are also given names are dates beside a day or a year: "12 Jan", "3rd June", "May 2026"
_MONTH_NAMES = frozenset({"Jan", "April", "May", "June", "July", "August"})
_DAY_BEFORE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+$")
# "since Jan", "in May", "end of June": a month after a word for when
_WHEN_BEFORE = re.compile(r"(?i:\b(?:since|in|from|until|till|til|before|after|during|early|mid|late|last|this|next|"
                          r"by|of))\s+$")
_DAY_OR_YEAR_AFTER = re.compile(r"\s+(?:\d{1,2}(?:st|nd|rd|th)?\b|\d{4}\b|['’]\d{2}\b)")
_SAYS_NEXT = re.compile(r"\s+(?:said|says|told|tells|disclosed|discloses|denied|denies|admitted|admits|reported|stated|explained|agreed|refused|came|went|returned|was|is|has|had)\b")
# an airport's terminal after its name: "Heathrow T4", "Manchester Airport Terminal 2"
_TERMINAL = re.compile(r"\s+(?:T[1-5]|Terminal\s+[1-5])\b")
# a capitalised word before these is an organisation, not a person ("the Sunrise project")
_ORG_NEXT = re.compile(r"\s+(?:project|service|team|programme|program|scheme|charity|hub|panel|clinic)\b")
# "between Wexley and Ormsby": the word after a place and a conjunction
_AFTER_AND = re.compile(r"([A-Z][\w'’-]*)\s*(?:,|and|or|&)\s*$")
# the closing quote is not an apostrophe inside a word ("'I'm", "'Don't")
_QUOTED = re.compile(r"[\"“‘']([A-Z][\w]*(?: [A-Z][\w]*)?)[\"”’'](?![a-z])(?!\s*(?:line|phone)\b)")
_SUBJECT_NEXT = re.compile(r"\s*\(|['’]s\b|\s+(?:\w+ed|says|is|was|has|had|went|came|ran|left|told|said|got|gets|stayed|admits|denies|keeps|will|would|did|does|can|could|and)\b")
_FORCE_AFTER = re.compile(r"(?:\s*(?:&|and)\s*[A-Z]\w+)?\s+(?:Police|Constabulary)\b")
_FORCE_BEFORE = re.compile(r"Police\s+$")
_ANY_DIGIT = re.compile(r"\d")
_GRADING_CUE = re.compile(r"\b(?:grading|graded|grade|evaluation|3x5x2|5x5x5)\W{0,3}$", re.I)
# a Scottish school year ("in S5 at Portree High", "an S3 pupil") is not the Sheffield district
_SCHOOL_YEAR_BEFORE = re.compile(r"\b(?:pupil|year|an|into|starting|started|starts|finished|repeating|doing|back to)\s+$", re.I)
_SCHOOL_YEAR_AFTER = re.compile(r"\s+(?:(?:at|in)\s+(?:[A-Z][\w'’-]*\s+){1,4}(?:High|Academy|School|Grammar|College)\b"
                                r"|pupils?\b|class\b|prelims\b|highers\b|exams\b|guidance\b|(?:and|or)\s+S\d\b)")
# what makes a word look like a handle: a digit, a dot or an underscore in it
_HANDLE_SHAPE = re.compile(r"[._\d]")
# "xXDarkWolfXx", "ChazzaW": a capital after a small letter
_CAMEL = re.compile(r"[a-z][A-Z]")
# a number, a time or a date is never a handle: "presenting as 15/16", "called 20:00", "Xbox, 7.30pm"
_NUMBERISH = re.compile(r"[\d.:/-]+(?:am|pm|st|nd|rd|th|s)?", re.I)
_CHAT_WORDS = frozenset(("msg", "msgs", "pics", "dms", "vids", "lol", "snaps", "tbh", "ngl", "rn", "screenshot",
                         "screenshots", "screengrab", "screengrabs"))
# words that say a note is about apps or messages, where a dotted or underscored word is a handle
_ONLINE_WORDS = re.compile(r"(?i)\b(?:snaps|messag\w*|msgs?|online|gamertags?|usernames?|dm'?d|dms|followers|"
                           r"gaming|handles?|pics|nudes|chat logs?|group chats?)\b")
_AS_HANDLE = re.compile(r"\b(?P<cue>as|called|named|gamertag|username|handle|user|player|profile)\s+[\"'‘“]?"
                        r"(?P<h>@?[A-Za-z0-9][A-Za-z0-9_.]*[A-Za-z0-9_])"
                        r"(?!\w|['’]\w|\.\w)")
# "gamertags ChazzaW_09, olliecrafts and R3ubz", "Snapchat users k.dent_tm and bigmanlux00"
_HANDLE_LIST = re.compile(r"\b(?:gamertags|usernames|user names|handles|users|accounts)\s+"
                          r"((?:[A-Za-z0-9_.]+(?:,\s*|\s+and\s+|\s*&\s*)){1,5}[A-Za-z0-9_.]+)")
_LIST_ITEM_WORD = re.compile(r"[A-Za-z0-9_.]*[A-Za-z0-9_]")
_TITLE_BEFORE = re.compile(r"(?<![\w.])(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.? $")
# a handle-shaped word (a dot, an underscore or a digit in it) just before "on <app>"
_HANDLE_BEFORE = re.compile(r"(?<![\w@.])(@?[A-Za-z0-9_]*[._\d][A-Za-z0-9_.]*[A-Za-z0-9_])[\"'’”)]?\s+(?:on|via|from)\s+(?:her |his |their |the )?$")
_DOTTED = re.compile(r"(?<![\w@./-])[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+(?<!\.)(?![\w@/-]|\.\w)")
_UNDERSCORED = re.compile(r"(?<![\w@./-])[A-Za-z0-9][A-Za-z0-9.]*_(?:[A-Za-z0-9_.]*[A-Za-z0-9_])?(?![\w@/-])")
# "blaze#4471": a Discord name with its number
_DISCORD_TAG = re.compile(r"(?<![\w@#.])[A-Za-z0-9_.]{2,32}#\d{4}(?![\w#])")
# the speaker of a pasted chat line: "[03:17] sk3tch_ro: ru out?"
_CHAT_SPEAKER = re.compile(r"(?m)^[ \t]*\[?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\]?[ \t]+(@?[A-Za-z0-9_.]{2,30}[A-Za-z0-9_]):")
# "c.400 msgs": about 400, not a dotted handle
_CIRCA = re.compile(r"[a-z]{1,2}\.\d+$")
# dotted words that are not handles: web addresses, files, abbreviations
_NOT_HANDLE_ENDS = (".com", ".co.uk", ".uk", ".org", ".net", ".gov", ".pdf", ".doc", ".docx", ".jpg",
                    ".png", ".txt", "e.g", "i.e", "a.m", "p.m", "etc", ".io")


# every phone starts with +44, 07, 01, 02, (01 or (02; one character per hit, so no start hides another
_PHONE_START = re.compile(r"\+(?=44)|0(?=[127])|\((?=0[127])")
_CODE_ANCHOR = re.compile(r"[A-Z]\s?\d")


def _code_starts(text: str) -> list[int]:
    """Every position where _PLATE, _POSTCODE or _SHORT_CODE could start: each match has a
    capital followed by an optional space and a digit starting 0-2 characters into it. Those
    pieces cannot overlap, so one finditer sees them all."""
    out = set()
    for m in _CODE_ANCHOR.finditer(text):
        q = m.start()
        out.update((q - 2, q - 1, q) if q >= 2 else range(q + 1))
    return sorted(out)



def _just_after_vehicle(text: str, start: int, vehicle_ends) -> bool:
    """Straight after a described vehicle: "a silver Vauxhall Corsa, SG68", "a blue Ford Focus KFZ 8812"."""
    return any(0 < start - v <= 3 and _AFTER_VEHICLE.match(text[v:start]) for v in vehicle_ends)


def _anchored(pattern: re.Pattern, text: str, starts):
    """pattern.finditer(text) when every match must start at one of `starts` (sorted)."""
    last = 0
    match = pattern.match
    for s in starts:
        if s < last:
            continue
        m = match(text, s)
        if m is not None:
            last = m.end()
            yield m


def _strip_s(word: str) -> str:
    """re.sub(r"['’]s$", "", word) for a capitalised word (never ends in a newline), without re."""
    return word[:-2] if word.endswith(("'s", "’s")) else word


def _sentence_start(before: str) -> bool:
    stripped = before.rstrip(" \t\"'“‘(")
    return not stripped or stripped[-1] in ".!?:;\n-–*•" or before.endswith("\n")


_STREET_TYPES = {"Rd", "St", "Ave", "Ln", "Bank", "Road", "Street", "Lane", "Avenue", "Close", "Court", "Walk", "Way", "Drive",
                 "Crescent", "Place", "Grove", "Gardens", "Terrace", "Mews", "Row", "Rise", "View",
                 "Parade", "Square", "Hill", "Green"}
# names that are also ordinary words: only trusted where they cannot be the first word of a sentence
_AMBIGUOUS = {"Will", "May", "Mark", "Bill", "Rob", "Hope", "Joy", "Faith", "Grace", "Summer", "Sunny",
              "Jay", "Ash", "Sky", "Rose", "Don", "Art", "Guy", "Pat", "Sue", "Bob", "Jan", "India",
              "Destiny", "Harmony", "Mercy", "Precious", "Blessing", "Junior", "Dee", "Max", "Kim", "Miles",
              "Jack", "Angel", "Tiffany", "Amber", "Holly", "Poppy", "Daisy", "Ruby", "Lily", "Ivy"}


class Entity(NamedTuple):
    """Immutable, and a tuple so that the several per note cost little to make."""
    label: str
    text: str
    start: int
    end: int
    normalized: str


def _norm_text(s: str) -> str:
    return " ".join(s.split()).casefold()


def normalize(label: str, text: str) -> str:
    if label == "PHONE":
        digits = re.sub(r"\D", "", text)
        if digits.startswith("44"):
            digits = "0" + digits[2:].lstrip("0")
        return digits
    if label == "POSTCODE":
        compact = re.sub(r"\s+", "", text).upper()
        return f"{compact[:-3]} {compact[-3:]}" if len(compact) >= 5 and compact[-3].isdigit() else compact
    if label == "VEHICLE" and re.fullmatch(r"[A-Za-z0-9 ]+", text) and any(c.isdigit() for c in text) \
            and not any(w.lower() in ("series", "class") for w in text.split()) and len(text.split()) <= 2 \
            and text.replace(" ", "").isupper():
        return text.replace(" ", "").upper()
    if label == "SOCIAL":
        return text.lstrip("@").lower()
    return _norm_text(text)


def _alts(words) -> str:
    return "(?:" + _trie_pattern(sorted({" ".join(str(w).split()) for w in words})) + ")"


def _starts_of(words, after: str) -> re.Pattern:
    """A regex that matches one character wherever one of `words` starts with no character of the
    class `after` before it. It opens with the words' first letters, so re skips every other
    character in C, and it consumes one character only, so no start hides another."""
    rests: dict[str, set[str]] = {}
    for w in {" ".join(str(w).split()) for w in words} - {""}:
        rests.setdefault(w[0], set()).add(w[1:])
    return re.compile("|".join(
        re.escape(c) + f"(?<![{after}].)" + ("" if "" in r else "(?=" + _trie_pattern(sorted(r)) + ")")
        for c, r in sorted(rests.items())) or "(?!)")


class EntityFinder:
    def __init__(self, names: dict, places: dict, vehicles: dict, is_word):
        self.first_names = set(names.get("first_names", [])) | set(names.get("more_first_names", []))
        self.nick_prefixes = set(names.get("nickname_prefixes", []))
        self.not_names = set(names.get("not_names", []))
        # cue phrases are looked up from the last words before a capitalised word, not searched for
        self.name_cues = {" ".join(str(c).lower().split()).rstrip(":") for c in names.get("name_cues", [])}
        self.gazetteer = {}
        for key in ("towns", "areas", "countries", "venues", "more_places"):
            for p in places.get(key, []):
                self.gazetteer[str(p)] = key
        self.max_gaz = max(len(p.split()) for p in self.gazetteer)
        self.suffixes = set(places.get("place_suffixes", []))
        self.place_cues = {" ".join(str(c).lower().split()) for c in places.get("place_cues", [])}
        self.areas = {str(a) for a in places.get("postcode_areas", [])} or _POSTCODE_AREAS
        colour = _alts(vehicles["colours"])
        make = _alts(vehicles["makes"])
        model = _alts(vehicles["models"])
        body = _alts(vehicles["bodies"])
        # colour + make [+ model] [+ body] | colour + model [+ body] | make + model [+ body] | colour + body
        self.vehicle = re.compile(
            rf"(?<![\w-])(?:(?i:{colour})\s+(?:{make}(?:\s+{model})?|{model})(?:\s+(?i:{body}))?"
            rf"|{make}\s+{model}(?:\s+(?i:{body}))?"
            rf"|(?i:{colour})\s+(?i:{body}))(?![\w-])")
        plats = sorted(vehicles.get("social_platforms", []), key=len, reverse=True)
        # not inside a dotted handle: the "x" of "shan.x.baby" is not the app X
        self.platform = re.compile(r"(?<!\w)(?<!\w\.)" + _alts(p.lower() for p in plats) + r"(?!\w|\.\w)", re.I)
        # The platform regex runs on the folded text, and only where a platform name starts. A
        # description starts with a colour (any case) or a make (as written): the long vehicle regex
        # is tried only there.
        self._platform_folded = folded_regex(self.platform.pattern)
        self._platform_starts = _starts_of([p.lower() for p in plats], r"\w")
        self._colour_starts = _starts_of([str(c).lower() for c in vehicles["colours"]], r"\w-")
        self._make_starts = _starts_of(vehicles["makes"], r"\w-")
        self.handle_after = re.compile(
            r"(?:\s+(?:name|handle|id|username|user name|account|is|was|as|called|named)\b)*\s*[:=(\-,]?\s*[\"'“‘(]?"
            r"(@?[A-Za-z0-9_][A-Za-z0-9_.]{1,29})", re.I)
        self.is_word = is_word
        # what a lone capitalised word is, whatever stands around it (see _lone_word), by word
        self._lone: dict[str, object] = {}

    # ------------------------------------------------------------------------------------------
    def find(self, text: str, platform=True, vehicle=True, low: str | None = None) -> list[Entity]:
        """`platform` / `vehicle`: whether a platform name or vehicle word may be in the text. True
        scans for them, False skips the regexes that need one, and a list of (start, end) spans says
        where they are (the pipeline's matcher found them on lemmas, so never fewer places than the
        scan would): the regexes are then tried only there. `low`: text.lower(), when known."""
        found: list[Entity] = []
        taken = bytearray(len(text))

        def add(label, s, e):
            if e <= s or taken.find(1, s, e) >= 0:
                return False
            t = text[s:e]
            # a name or place is only case-folded (and its spaces evened out), one word quickest
            found.append(Entity(label, t, s, e, (t.casefold() if t.isalpha() else _norm_text(t))
                                if label in _PLAIN else normalize(label, t)))
            taken[s:e] = b"\x01" * (e - s)
            return True

        if "0" in text or "+44" in text:
            # the regex is tried only where a number can start
            for m in _anchored(_PHONE, text, [m.start() for m in _PHONE_START.finditer(text)]):
                add("PHONE", m.start(), m.end())
        if "@" in text:
            for m in _AT_HANDLE.finditer(text):
                add("SOCIAL", m.start(), m.end())
        folded = fold(text, low) if platform or vehicle else None
        if platform is True:
            platform = [(m.start(), 0) for m in self._platform_starts.finditer(folded)]
        # the apps the note names (a start the scan or the matcher saw may still not be one)
        apps = list(_anchored(self._platform_folded, folded, sorted(a for a, _b in platform))) if platform else ()
        for p in apps:
            m = self.handle_after.match(text, p.end())
            if not m:
                continue
            h = m.group(1).rstrip(".")
            s = m.start(1)
            if self.platform.fullmatch(h):
                continue
            # not "bank account recieved", "account doesn't", "on Snapchat constantly"
            if text[p.start() - 5:p.start()].lower() == "bank " or text[s + len(h):s + len(h) + 1] in "'’":
                continue
            if (h.startswith("@") or self._handle_like(h, camel=False)) and not _NUMBERISH.fullmatch(h):
                add("SOCIAL", s, s + len(h))
        online = bool(apps) or _ONLINE_WORDS.search(text) is not None
        if online:
            # "on Discord as xXDarkWolfXx", "someone called zeeprince44", "gamertags ChazzaW_09,
            # olliecrafts and R3ubz"
            for m in _AS_HANDLE.finditer(text):
                # after "as" or "called" a plain lower-case word is too often just a word
                # (a group chat "called yr9 banter" is named, not a handle)
                if self._handle_like(m.group("h"), plain=m.group("cue").lower() == "gamertag") \
                        and not _NUMBERISH.fullmatch(m.group("h")) \
                        and not text[max(0, m.start() - 6):m.start()].lower().endswith(("chat ", "group ", " gc ")):
                    add("SOCIAL", m.start("h"), m.end("h"))
            for m in _HANDLE_LIST.finditer(text):
                for h in _LIST_ITEM_WORD.finditer(m.group(1)):
                    if self._handle_like(h.group()):
                        add("SOCIAL", m.start(1) + h.start(), m.start(1) + h.end())
        if "#" in text:
            for m in _DISCORD_TAG.finditer(text):
                add("SOCIAL", m.start(), m.end())
        if ":" in text:
            for m in _CHAT_SPEAKER.finditer(text):
                if self._handle_like(m.group(1)):
                    add("SOCIAL", m.start(1), m.end(1))
        if apps:
            # written before the app: "kane.4l on Snapchat"
            for p in apps:
                m = _HANDLE_BEFORE.search(text, max(0, p.start() - 45), p.start())
                if m and not _NUMBERISH.fullmatch(m.group(1)):
                    add("SOCIAL", m.start(1), m.end(1))
        if online:
            # and, in a note about apps or messages, a dotted name anywhere ("he messaged her from
            # zee.madeit", "snaps from ash.x.2001")
            if "." in text:
                for m in _DOTTED.finditer(text):
                    if not m.group().lower().endswith(_NOT_HANDLE_ENDS) and not _CIRCA.match(m.group()):
                        add("SOCIAL", m.start(), m.end())
            # or an underscored one ("(JakeyBoi_2009)"), unless every part is an everyday word
            # ("what_happened", "missing_episode_log": a field name)
            if "_" in text:
                for m in _UNDERSCORED.finditer(text):
                    if not all(self.is_word(w.lower()) for w in m.group().split("_")):
                        add("SOCIAL", m.start(), m.end())
        # every regex this gates needs a \d, so a \d search is the same gate done in C
        has_digit = _ANY_DIGIT.search(text) is not None
        # plates, postcodes and short codes all hold a capital then a digit (perhaps after one space)
        # within their first three characters: one fast scan for that finds every place they can start
        starts = _code_starts(text) if has_digit else ()
        if starts:
            for m in _anchored(_PLATE, text, starts):
                add("VEHICLE", m.start(), m.end())
            for m in _anchored(_POSTCODE, text, starts):
                add("POSTCODE", m.start(), m.end())
        if has_digit and "-" in text:
            for m in _IRISH_PLATE.finditer(text):
                add("VEHICLE", m.start(), m.end())
        if "reg" in text or "plate" in text or "vrm" in text:
            for m in _PLATE_LETTERS.finditer(text):
                add("VEHICLE", m.start(1), m.end(1))
        if vehicle:
            # the description regex is tried only where a colour or a make starts
            at = self._vehicle_starts(text, folded) if vehicle is True else sorted(a for a, _b in vehicle)
            for m in _anchored(self.vehicle, text, at):
                add("VEHICLE", m.start(), m.end())
        if starts:
            # a Northern Irish plate only where a plate is expected, after a cue or a described
            # vehicle: "RHI 14" is a note's own heading
            for m in _anchored(_NI_PLATE, text, starts):
                if _VEHICLE_CUE.search(text[max(0, m.start() - 40):m.start()]) or _just_after_vehicle(
                        text, m.start(), [v.end for v in found if v.label == "VEHICLE"]):
                    add("VEHICLE", m.start(), m.end())
            self._short_codes(text, add, starts, [(e.end) for e in found if e.label == "VEHICLE"])
        self._names_and_places(text, add)
        # "Mr Dao", "Mrs Osagie": the title is part of how the person is written
        if "M" in text or "Dr" in text:
            for k, ent in enumerate(found):
                if ent.label == "PERSON" and ent.start > 2:
                    m = _TITLE_BEFORE.search(text, max(0, ent.start - 6), ent.start)
                    if m:
                        t = text[m.start():ent.end]
                        found[k] = Entity("PERSON", t, m.start(), ent.end, _norm_text(t))
        found.sort(key=_START)
        return found

    def _handle_like(self, w: str, camel: bool = True, plain: bool = True) -> bool:
        """Does `w` look like a handle: a digit, dot or underscore in it, a capital inside it
        ("xXDarkWolfXx", when `camel`), or a lower-case word no dictionary knows (when `plain`)?"""
        return bool(_HANDLE_SHAPE.search(w) or (camel and _CAMEL.search(w))
                    or (plain and w.islower() and not self._wordlike(w)))

    def _wordlike(self, w: str) -> bool:
        """An everyday word, or one built on one ("screenshots", "constantly"): not a handle."""
        return (self.is_word(w) or (w.endswith("s") and self.is_word(w[:-1])) or w in _CHAT_WORDS
                or w.endswith(("ly", "ing", "tion", "ness", "ment", "ity", "cy", "ed")))

    def _vehicle_starts(self, text, folded: str | None = None) -> list[int]:
        out = [m.start() for m in self._colour_starts.finditer(fold(text) if folded is None else folded)]
        out += [m.start() for m in self._make_starts.finditer(text)]
        return sorted(out)

    def _short_codes(self, text, add, starts=None, vehicle_ends=()):
        """Partial plates, postcode districts and road numbers all look like 'AB12'."""
        for m in (_anchored(_SHORT_CODE, text, starts) if starts is not None else _SHORT_CODE.finditer(text)):
            letters, digits, tail = m.group(1), m.group(2), m.group(3)
            before = text[max(0, m.start() - 40): m.start()]
            if len(letters) == 2 and len(digits) <= 2 and not tail and (
                    _just_after_vehicle(text, m.start(), vehicle_ends)
                    or _REG_NEXT.match(text, m.end())):
                add("VEHICLE", m.start(), m.end())
                continue
            if _GRADING_CUE.search(before):   # an intelligence grading ("Grading B2"), not a place
                continue
            if letters == "S" and len(digits) == 1 and digits in "123456" and not tail and (
                    _SCHOOL_YEAR_BEFORE.search(before) or _SCHOOL_YEAR_AFTER.match(text, m.end())):
                continue
            if _VEHICLE_CUE.search(before) and len(letters) == 2 and 1 <= len(digits) <= 2:
                add("VEHICLE", m.start(), m.end())
            elif letters in ("M", "A") and not tail or (letters == "B" and len(digits) >= 3):
                add("LOCATION", m.start(), m.end())
            elif letters in self.areas and len(digits) <= 2:
                add("POSTCODE", m.start(), m.end())
            elif len(letters) == 2 and len(digits) == 2 and not tail:
                add("VEHICLE", m.start(), m.end())

    def _lone_word(self, w: str):
        """What a capitalised word standing alone is, as far as the word itself tells: _SKIP for a
        lone "She", "Police", "RHI" (what _resolve would skip), the name for a known first name that
        is not also a word ("Kayla", not "Will": a PERSON wherever it stands, as _resolve would
        decide), a _Place for a gazetteer word that is not also a first name ("Luton's": a place
        unless a police force is named), None when _resolve must look around it."""
        gaz = self.gazetteer
        key = w if w in gaz else _strip_s(w)
        if key in gaz:
            return None if key in self.first_names else _Place(key)
        w = key
        if w in self.not_names or (len(w) > 1 and (w.isupper() or (w[:-1].isupper() and w[-1] == "s"))):
            return _SKIP
        if w in self.first_names and w not in _AMBIGUOUS and len(w) > 1:
            return w
        return None

    def _names_and_places(self, text, add):
        # a quoted nickname first, whole: the main pass never sees a capital just after a quote mark,
        # and would take "Man" alone from 'Big Man'
        for m in _QUOTED.finditer(text):
            w = m.group(1)
            if w not in self.not_names or self._cue(text[max(0, m.start() - 25):m.start()], self.name_cues):
                if w not in self.gazetteer:
                    add("PERSON", m.start(1), m.end(1))
        confirmed: dict[str, str] = {}
        pending = []
        lone = self._lone
        # runs of capitalised words joined by single spaces, found by one regex; a run with no space
        # in it is one word (most are), decided once per word and then looked up
        parts = _CAPRUN_SPLIT.split(text)
        ends = list(accumulate(map(len, parts)))
        for k in range(1, len(parts), 2):
            w, rs, re_ = parts[k], ends[k - 1], ends[k]
            if " " not in w:
                what = lone.get(w, lone)
                if what is lone:
                    if len(lone) > 50_000:  # a bound for a long-running process
                        lone.clear()
                    what = lone[w] = self._lone_word(w)
                if what is _SKIP:
                    continue
                if what.__class__ is str:
                    add("PERSON", rs, rs + len(what))
                    confirmed[what] = "PERSON"
                    continue
                if what is not None:
                    # as _resolve decides a one-word gazetteer run, without building the run
                    key = what.key
                    e = rs + len(key)
                    tail = _LOWER_SUFFIX.match(text[e:e + 30])
                    if tail:
                        e += tail.end()
                    if not self._police_force(text, rs, e):
                        add("LOCATION", rs, e)
                        confirmed[key] = "LOCATION"
                    continue
                run = [(rs, re_)]
            else:
                run = [m.span() for m in _CAPWORD.finditer(text, rs, re_)]
                if self._title_of_a_thing(text, run):
                    continue
            i = 0
            while i < len(run):
                i = self._resolve(text, run, i, add, confirmed, pending)
        # a word seen as a name or place elsewhere in the note is one here too (sentence starts)
        for s, e, default in pending:
            label = confirmed.get(text[s:e], default)
            if label:
                add(label, s, e)

    def _title_of_a_thing(self, text, run) -> bool:
        """Everyday words in title case, none a name or a place: "Immigration Enforcement",
        "Trading Standards", "Competent Authority" name an office or a form, not a person."""
        words = [_strip_s(text[a:b]) for a, b in run]
        if words[0] in self.nick_prefixes:   # "Mama Joy", "Big Will"
            return False
        return all(len(w) > 2 and self.is_word(w.lower()) and w not in self.first_names
                   and w not in self.gazetteer and w not in self.suffixes for w in words) \
            and " ".join(words) not in self.gazetteer

    def _resolve(self, text, run, i, add, confirmed, pending) -> int:
        s0 = run[i][0]
        # 1. street, estate, cemetery...: capitalised words ending in a place suffix
        for j in range(min(len(run), i + 5) - 1, i, -1):
            last = text[run[j][0]:run[j][1]]
            if last in self.suffixes:
                head = [text[a:b] for a, b in run[i:j]]
                if last not in _STREET_TYPES and all(h in self.not_names for h in head):
                    continue
                s, e = run[i][0], run[j][1]
                num = _STREET_NUMBER.search(text[max(0, s - 8):s])
                if num and last in _STREET_TYPES:
                    s = s - (len(text[max(0, s - 8):s]) - num.start(1))
                if j == len(run) - 1:
                    tail = _LOWER_SUFFIX.match(text[e:e + 30])
                    if tail and "estate" not in tail.group(1) and "station" not in tail.group(1):
                        e += tail.end()
                add("LOCATION", s, e)
                confirmed[text[run[i][0]:e]] = "LOCATION"
                return j + 1
        # 2. gazetteer, longest first, with a trailing "station"/"estate" kept in the span
        for j in range(min(len(run), i + self.max_gaz), i, -1):
            s, e = run[i][0], run[j - 1][1]
            phrase = text[s:e]
            key = phrase if phrase in self.gazetteer else _strip_s(phrase)
            if key in self.gazetteer:
                e = s + len(key)
                if self._is_person_here(text, s, key):
                    break
                tail = _LOWER_SUFFIX.match(text[e:e + 30]) if j == len(run) else None
                if tail:
                    e += tail.end()
                elif j < len(run) and text[run[j][0]:run[j][1]] in ("Station", "Estate"):
                    e = run[j][1]
                    j += 1
                terminal = _TERMINAL.match(text, e)
                if terminal:
                    e = terminal.end()
                    while j < len(run) and run[j][0] < e:
                        j += 1
                if not self._police_force(text, s, e):
                    add("LOCATION", s, e)
                    confirmed[key] = "LOCATION"
                return j
        s, e = run[i]
        before = text[max(0, s0 - 40):s0]
        word = _strip_s(text[s:e])
        e = s + len(word)
        # 3. nicknames: "Little T", "Uncle Mo"
        if word in self.nick_prefixes and i + 1 < len(run):
            ns, ne = run[i + 1]
            nxt = _strip_s(text[ns:ne])
            if nxt not in self.not_names or len(nxt) <= 2:
                add("PERSON", s, ns + len(nxt))
                confirmed[text[s:ns + len(nxt)]] = "PERSON"
                return i + 2
        if word in self.not_names or len(word) < 2 and not self._cue(before, self.name_cues):
            return i + 1
        if word in _MONTH_NAMES and (_DAY_BEFORE.search(before) or _DAY_OR_YEAR_AFTER.match(text, e)
                                     or (run[i][1] == e and _WHEN_BEFORE.search(before))):
            return i + 1
        if len(word) > 1 and (word.isupper() or (word[:-1].isupper() and word[-1] == "s")):
            return i + 1
        at_start = _sentence_start(before)
        parts = word.split("-")
        known = word in self.first_names or (len(parts) > 1 and parts[0] in self.first_names)
        tail = _LOWER_SUFFIX.match(text[e:e + 30])
        if tail and not known:
            add("LOCATION", s, e + tail.end())
            confirmed[word] = "LOCATION"
            return i + 1
        if not known and _ORG_NEXT.match(text, e):
            return i + 1
        # "Destiny Walsh (16)", "Jaylen Carter": a first name, or a word no dictionary knows, and a
        # surname after it is one person, even where a sentence starts
        if run[i][1] == e and i + 1 < len(run) and (known or not self.is_word(word.lower())):
            ns, ne = run[i + 1]
            nxt = _strip_s(text[ns:ne])
            # after a known first name a town is a surname ("Ellie Sutton", "Tom Aldridge")
            if (len(nxt) > 1 and nxt not in self.not_names and (known or nxt not in self.gazetteer)
                    and nxt not in self.suffixes and not nxt.isupper()
                    and (known or (nxt not in self.first_names and not self.is_word(nxt.lower())))):
                add("PERSON", s, ns + len(nxt))
                confirmed[word] = "PERSON"
                return i + 2
        if known and at_start and word in _AMBIGUOUS and _SUBJECT_NEXT.match(text, e):
            at_start = False
        if known and not (at_start and word in _AMBIGUOUS):
            e = self._extend_surname(text, run, i, e)
            add("PERSON", s, e)
            confirmed[word] = "PERSON"
            return i + 1 + (1 if e > run[i][1] else 0)
        if at_start:
            if _AGE_NEXT.match(text, e):
                add("PERSON", s, e)
                confirmed[word] = "PERSON"
            else:
                # a word no dictionary knows, followed by "said", "told", "came"..., is a person
                # unless the note names it as a place elsewhere
                says = (_SAYS_NEXT.match(text, run[i][1]) and word.upper() not in self.not_names
                        and not self.is_word(word.lower()))
                pending.append((s, e, "PERSON" if says else None))
            return i + 1
        if self._cue(before, self.place_cues, skip_the=True):
            # "in Trish's nail bar", "at Dean's flat", "stayed at Bugsy's": a possessive is somebody's,
            # and so is a word with an age after it ("Visit to Linh (16, UASC)")
            if run[i][1] - e == 2 or _AGE_NEXT.match(text, e) or _ROLE_NEXT.match(text, e):
                add("PERSON", s, e)
                confirmed[word] = "PERSON"
                return i + 1
            add("LOCATION", s, e)
            confirmed[word] = "LOCATION"
            return i + 1
        # "the Northside lot", "the Y-Block boys": a name is not written after "the"
        if not known and before.endswith(("the ", "The ")):
            return i + 1
        prev = _AFTER_AND.search(before)
        if confirmed.get(word) == "LOCATION" or (prev and confirmed.get(_strip_s(prev.group(1))) == "LOCATION"):
            add("LOCATION", s, e)
            confirmed[word] = "LOCATION"
            return i + 1
        # an unknown capitalised word mid-sentence is most often a name or nickname
        add("PERSON", s, e)
        confirmed[word] = "PERSON"
        return i + 1

    @staticmethod
    def _cue(before: str, cues: set, skip_the: bool = False) -> bool:
        """Is `before` ending in one of the cue phrases (one to three words)?"""
        words = before.lower().replace("“", " ").replace("‘", " ").replace('"', " ").split()[-4:]
        words = [w.strip(":-'(") for w in words]
        if skip_the and words and words[-1] == "the":
            words = words[:-1]
        return any(" ".join(words[-k:]) in cues for k in (1, 2, 3) if len(words) >= k)

    def _is_person_here(self, text, s, key) -> bool:
        """A town that is also a first name ("Devon", "India") is a place unless a name cue precedes it."""
        if key not in self.first_names:
            return False
        return self._cue(text[max(0, s - 25):s], self.name_cues)

    @staticmethod
    def _police_force(text, s, e) -> bool:
        # "West Midlands Police", "Police Scotland": the force's name, not a place in the account
        return bool(_FORCE_AFTER.match(text, e) or _FORCE_BEFORE.search(text[max(0, s - 8):s]))

    @staticmethod
    def _caps_surname(w: str) -> bool:
        """A surname in capitals, as police records write it ("Kyle DENT"), not an abbreviation
        ("Jay NFA", "Mia AKA Little M")."""
        return len(w) >= 3 and w.isalpha() and w not in _NOT_CAPS_SURNAMES and any(v in w for v in "AEIOUY")

    def _extend_surname(self, text, run, i, e) -> int:
        if i + 1 < len(run):
            ns, ne = run[i + 1]
            nxt = text[ns:ne]
            # a first name can be a surname ("Zane Hussain"), a town too ("Tom Aldridge")
            if (len(nxt) == 1 or (nxt not in self.not_names and nxt not in self.suffixes
                                  and nxt not in _AMBIGUOUS and (not nxt.isupper() or self._caps_surname(nxt)))):
                return ne if not nxt.endswith(("'s", "’s")) else ne - 2
        return e


# abbreviations a worker may write straight after a child's name
_NOT_CAPS_SURNAMES = frozenset("AKA DOB NFA ASB CIN EHCP MFH CPP RHI MISPER PNC OIC ISVA CAWN SGO IRO PEP EHA MAP "
                               "MACE MASE CIC ETA ETD AWOL ABE NOK ADHD ASD SEN SEND YOS".split())

_SKIP = object()


class _Place(NamedTuple):
    """A lone capitalised word found in the gazetteer, as `key` (its "'s" taken off)."""
    key: str

_START = attrgetter("start")
# labels whose normalised form is the text with its spaces evened out, case folded
_PLAIN = frozenset(("PERSON", "LOCATION"))

_POSTCODE_AREAS = set(
    "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC "
    "EH EN EX FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML "
    "N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA "
    "TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE ZZ".split())
