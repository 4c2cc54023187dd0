"""Form definitions: sections, pages and questions read from definitions/*.yaml.

A council changes a question by changing its YAML. Everything is checked when the app starts, and a
mistake stops it with the file and the question named, so a typo cannot quietly drop a question from
an interview.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFINITIONS = Path(__file__).resolve().parent / "definitions"

TEXT = "text"
LONG_TEXT = "long_text"
YES_NO = "yes_no"
CHOICE = "choice"
CHOICES = "choices"
DATE = "date"
DATETIME = "datetime"
LIST = "list"
KINDS = {
    TEXT: "Text",
    LONG_TEXT: "Long text",
    YES_NO: "Yes, no or not known",
    CHOICE: "One choice",
    CHOICES: "Several choices",
    DATE: "Date",
    DATETIME: "Date and time",
    LIST: "A list of items, added one at a time",
}
# Kinds whose values are people's words: encrypted at rest.
TEXT_KINDS = (TEXT, LONG_TEXT)
YES_NO_OPTIONS = (("yes", "Yes"), ("no", "No"), ("not_known", "Not known"))
# Free text may run long (a whole conversation), but not without bound.
LONG_TEXT_LIMIT = 20000
SHORT_TEXT_LIMIT = 500

CODE = re.compile(r"^[a-z][a-z0-9_]*$")
# What submission copies from an answer onto the record it belongs to.
RECORDS = {"held_at"}
# What a typed answer names, for joining it to the entities the tagging engine finds in RHIs.
ENTITY_LABELS = {"PERSON", "LOCATION", "PHONE", "VEHICLE", "SOCIAL", "POSTCODE"}

_FORM_KEYS = {"form", "title", "subject", "description", "sections"}
_SECTION_KEYS = {"code", "title", "hint", "share_with", "pages"}
_PAGE_KEYS = {"code", "title", "caption", "guidance", "questions"}
_GUIDANCE_KEYS = {"summary", "intro", "items", "source"}
_QUESTION_KEYS = {
    "code", "kind", "label", "hint", "required", "error", "options", "free_text", "to_child", "source",
    "max_length", "item", "item_name", "consent_purpose", "rationale_for", "records", "not_future", "entity",
}
_OPTION_KEYS = {"value", "label", "hint"}


class DefinitionError(ValueError):
    pass


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str | None = None


@dataclass(frozen=True)
class Guidance:
    summary: str
    intro: str | None
    items: tuple[str, ...]
    source: str | None


@dataclass(eq=False)  # compared and hashed by identity: each question exists once
class Question:
    code: str
    kind: str
    label: str
    hint: str | None = None
    required: bool = False
    error: str | None = None
    options: tuple[Option, ...] = ()
    free_text: bool = False
    to_child: bool = False
    source: str | None = None
    max_length: int | None = None
    item: tuple[Question, ...] = ()
    item_name: str = "item"
    consent_purpose: str | None = None
    rationale_for: str | None = None
    records: str | None = None
    not_future: bool = False
    entity: str | None = None
    # Set when loaded: where the question lives.
    section_code: str = ""
    page_code: str = ""

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def stores_text(self) -> bool:
        # Lists hold items with words in them, so the whole list is encrypted.
        return self.kind in TEXT_KINDS or self.kind == LIST

    @property
    def choices(self) -> list[tuple[str, str]]:
        if self.kind == YES_NO:
            return list(YES_NO_OPTIONS)
        return [(o.value, o.label) for o in self.options]

    def label_for(self, value: str) -> str:
        return dict(self.choices).get(value, value)

    @property
    def limit(self) -> int:
        if self.max_length:
            return self.max_length
        return LONG_TEXT_LIMIT if self.kind == LONG_TEXT else SHORT_TEXT_LIMIT

    @property
    def display_label(self) -> str:
        return self.label if self.required else f"{self.label} (optional)"


@dataclass(eq=False)
class Page:
    code: str
    title: str | None
    questions: list[Question]
    guidance: Guidance | None = None
    caption: str | None = None
    section_code: str = ""

    @property
    def heading(self) -> str:
        return self.title or self.questions[0].label

    @property
    def list_question(self) -> Question | None:
        return self.questions[0] if self.questions[0].kind == LIST else None


@dataclass
class Section:
    code: str
    title: str
    pages: list[Page]
    hint: str | None = None
    share_with: tuple[str, ...] = ()

    @property
    def questions(self) -> list[Question]:
        return [q for page in self.pages for q in page.questions]

    def page(self, code: str) -> Page | None:
        return next((p for p in self.pages if p.code == code), None)

    def next_page(self, code: str) -> Page | None:
        codes = [p.code for p in self.pages]
        index = codes.index(code)
        return self.pages[index + 1] if index + 1 < len(self.pages) else None


@dataclass
class FormDefinition:
    code: str
    title: str
    subject: str
    sections: list[Section]
    description: str | None = None
    path: str = ""

    def section(self, code: str) -> Section | None:
        return next((s for s in self.sections if s.code == code), None)

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    def question(self, code: str) -> Question | None:
        return next((q for q in self.questions if q.code == code), None)

    def recording(self, what: str) -> Question | None:
        return next((q for q in self.questions if q.records == what), None)

    @property
    def consent_questions(self) -> list[Question]:
        return [q for q in self.questions if q.consent_purpose]

    def rationale_question(self, purpose: str) -> Question | None:
        return next((q for q in self.questions if q.rationale_for == purpose), None)


class _Reader:
    """Reads one file, naming the file and the question in every complaint."""

    def __init__(self, path: Path, purposes: set[str]):
        self.path = path
        self.purposes = purposes
        self.codes: set[str] = set()

    def fail(self, where: str, message: str):
        raise DefinitionError(f"{self.path.name}: {where}: {message}")

    def keys(self, data, allowed: set[str], required: set[str], where: str) -> dict:
        if not isinstance(data, dict):
            self.fail(where, "must be a mapping")
        unknown = sorted(set(data) - allowed)
        if unknown:
            self.fail(where, f"unknown key '{unknown[0]}' (allowed: {', '.join(sorted(allowed))})")
        missing = sorted(k for k in required if data.get(k) in (None, "", []))
        if missing:
            self.fail(where, f"'{missing[0]}' is missing")
        return data

    def code(self, value, where: str) -> str:
        if not isinstance(value, str) or not CODE.match(value) or "__" in value:
            self.fail(where, f"code {value!r} must be lower case letters, digits and single underscores")
        return value

    def text(self, value, where: str, name: str, optional: bool = True) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"'{name}' must be text")
        return value.strip()

    def form(self, data) -> FormDefinition:
        data = self.keys(data, _FORM_KEYS, {"form", "title", "subject", "sections"}, "form")
        code = self.code(data["form"], "form")
        sections, section_codes = [], set()
        for index, raw in enumerate(data["sections"]):
            section = self.section(raw, index)
            if section.code in section_codes:
                self.fail(f"section '{section.code}'", "the same section code is used twice")
            section_codes.add(section.code)
            sections.append(section)
        definition = FormDefinition(
            code=code, title=self.text(data["title"], "form", "title"), subject=self.code(data["subject"], "form"),
            sections=sections, description=self.text(data.get("description"), "form", "description"), path=str(self.path),
        )
        self.cross_check(definition)
        return definition

    def section(self, data, index: int) -> Section:
        where = f"section {index + 1}"
        data = self.keys(data, _SECTION_KEYS, {"code", "title", "pages"}, where)
        code = self.code(data["code"], where)
        where = f"section '{code}'"
        share_with = tuple(data.get("share_with") or ())
        for purpose in share_with:
            if purpose not in self.purposes:
                self.fail(where, f"share_with names an unknown purpose '{purpose}'")
        pages, page_codes = [], set()
        for raw in data["pages"]:
            page = self.page(raw, code)
            if page.code in page_codes:
                self.fail(f"{where}, page '{page.code}'", "the same page code is used twice in this section")
            page_codes.add(page.code)
            pages.append(page)
        return Section(code=code, title=self.text(data["title"], where, "title"), pages=pages,
                       hint=self.text(data.get("hint"), where, "hint"), share_with=share_with)

    def page(self, data, section_code: str) -> Page:
        where = f"section '{section_code}', a page"
        data = self.keys(data, _PAGE_KEYS, {"code", "questions"}, where)
        code = self.code(data["code"], where)
        where = f"section '{section_code}', page '{code}'"
        questions = [self.question(raw, where, section_code, code) for raw in data["questions"]]
        title = self.text(data.get("title"), where, "title")
        if len(questions) > 1 and not title:
            self.fail(where, "a page with several questions needs a 'title'")
        if any(q.kind == LIST for q in questions) and len(questions) > 1:
            self.fail(where, "a list question must be alone on its page")
        guidance = None
        if data.get("guidance") is not None:
            raw = self.keys(data["guidance"], _GUIDANCE_KEYS, {"summary", "items"}, f"{where}, guidance")
            if not isinstance(raw["items"], list) or not all(isinstance(i, str) for i in raw["items"]):
                self.fail(f"{where}, guidance", "'items' must be a list of text")
            guidance = Guidance(raw["summary"], raw.get("intro"), tuple(raw["items"]), raw.get("source"))
        return Page(code=code, title=title, questions=questions, guidance=guidance,
                    caption=self.text(data.get("caption"), where, "caption"), section_code=section_code)

    def question(self, data, where: str, section_code: str, page_code: str, in_item: bool = False) -> Question:
        data = self.keys(data, _QUESTION_KEYS, {"code", "kind", "label"}, f"{where}, a question")
        code = self.code(data["code"], f"{where}, a question")
        where = f"question '{code}'"
        if not in_item:
            if code in self.codes:
                self.fail(where, "the same question code is used twice in this form")
            self.codes.add(code)
        kind = data["kind"]
        if kind not in KINDS:
            self.fail(where, f"unknown kind '{kind}' (use one of: {', '.join(KINDS)})")
        options = ()
        if kind in (CHOICE, CHOICES):
            raw_options = data.get("options")
            if not isinstance(raw_options, list) or len(raw_options) < 2:
                self.fail(where, f"a '{kind}' question needs at least two options")
            options = tuple(self.option(o, where) for o in raw_options)
            values = [o.value for o in options]
            if len(values) != len(set(values)):
                self.fail(where, "two options have the same value")
            if {"declined", "not_asked"} & set(values):
                self.fail(where, "'declined' and 'not_asked' are added for questions to the child; do not list them")
        elif data.get("options") is not None:
            self.fail(where, f"a '{kind}' question has no options")
        item = ()
        if kind == LIST:
            if in_item:
                self.fail(where, "a list cannot hold another list")
            raw_items = data.get("item")
            if not isinstance(raw_items, list) or not raw_items:
                self.fail(where, "a list question needs 'item': the questions asked for each item")
            item = tuple(self.question(raw, f"{where}, item", section_code, page_code, in_item=True) for raw in raw_items)
            if len({q.code for q in item}) != len(item):
                self.fail(where, "two item questions have the same code")
        elif data.get("item") is not None:
            self.fail(where, "only a list question has 'item'")
        free_text = data.get("free_text", kind == LONG_TEXT)
        if free_text and kind not in TEXT_KINDS:
            self.fail(where, "only text questions can be free text for tagging")
        purpose = data.get("consent_purpose")
        if purpose is not None:
            if purpose not in self.purposes and purpose != "interview":
                self.fail(where, f"unknown consent purpose '{purpose}'")
            if kind != CHOICE or {o.value for o in options} != {"given", "refused"}:
                self.fail(where, "a consent question must be a 'choice' with the options 'given' and 'refused'")
        rationale_for = data.get("rationale_for")
        if rationale_for is not None and (rationale_for not in self.purposes or kind not in TEXT_KINDS):
            self.fail(where, "'rationale_for' must name a purpose of sharing, on a text question")
        entity = data.get("entity")
        if entity is not None and (entity not in ENTITY_LABELS or kind != TEXT):
            self.fail(where, f"'entity' must be one of {', '.join(sorted(ENTITY_LABELS))}, on a text question")
        records = data.get("records")
        if records is not None and (records not in RECORDS or kind != DATETIME):
            self.fail(where, f"'records' may only be {', '.join(sorted(RECORDS))}, on a datetime question")
        max_length = data.get("max_length")
        if max_length is not None and (not isinstance(max_length, int) or not 1 <= max_length <= LONG_TEXT_LIMIT):
            self.fail(where, f"'max_length' must be a whole number from 1 to {LONG_TEXT_LIMIT}")
        for flag in ("required", "to_child", "not_future", "free_text"):
            if flag in data and not isinstance(data[flag], bool):
                self.fail(where, f"'{flag}' must be true or false")
        return Question(
            code=code, kind=kind, label=self.text(data["label"], where, "label"),
            hint=self.text(data.get("hint"), where, "hint"), required=bool(data.get("required", False)),
            error=self.text(data.get("error"), where, "error"), options=options, free_text=bool(free_text),
            to_child=bool(data.get("to_child", False)), source=self.text(data.get("source"), where, "source"),
            max_length=max_length, item=item, item_name=data.get("item_name") or "item",
            consent_purpose=purpose, rationale_for=rationale_for, records=records,
            not_future=bool(data.get("not_future", False)), entity=entity, section_code=section_code, page_code=page_code,
        )

    def option(self, data, where: str) -> Option:
        data = self.keys(data, _OPTION_KEYS, {"value", "label"}, f"{where}, an option")
        return Option(self.code(str(data["value"]), f"{where}, option"), self.text(data["label"], where, "label"),
                      self.text(data.get("hint"), where, "hint"))

    def cross_check(self, definition: FormDefinition) -> None:
        purposes = {q.consent_purpose for q in definition.consent_questions}
        for question in definition.questions:
            if question.rationale_for and question.rationale_for not in purposes:
                self.fail(f"question '{question.code}'", f"no consent question asks about '{question.rationale_for}'")
        if len(purposes) != len(definition.consent_questions):
            self.fail("form", "two consent questions ask about the same purpose")


def load_definition(path: Path, purposes: set[str] | None = None) -> FormDefinition:
    from ..consent import PURPOSES

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{path.name}: not valid YAML: {exc}") from None
    return _Reader(path, set(PURPOSES) if purposes is None else purposes).form(data)


_registry: dict[str, FormDefinition] | None = None


def load_all(directory: Path | None = None) -> dict[str, FormDefinition]:
    forms: dict[str, FormDefinition] = {}
    for path in sorted(Path(directory or DEFINITIONS).glob("*.yaml")):
        definition = load_definition(path)
        if definition.code in forms:
            raise DefinitionError(f"{path.name}: form '{definition.code}' is already defined in {Path(forms[definition.code].path).name}")
        forms[definition.code] = definition
    return forms


def reload() -> dict[str, FormDefinition]:
    """Read every definition again; the app does this as it starts."""
    global _registry
    _registry = load_all()
    return _registry


def registry() -> dict[str, FormDefinition]:
    return _registry if _registry is not None else reload()


def get(code: str) -> FormDefinition:
    return registry()[code]
