"""Shared by the engine's tests."""
import json
from functools import lru_cache
from pathlib import Path

import pytest

from rhi_service.analysis.pipeline import Tagger

_RULES = None
DATA = Path(__file__).resolve().parents[2] / "data"


@lru_cache(maxsize=None)
def _read_texts(name):
    return tuple(json.loads(line)["text"] for line in (DATA / name).read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="session")
def note_texts():
    """The texts of annotated note files in tests/data (`note_texts("notes_dev.jsonl", ...)`), each
    file read once per process however many tests and parameters ask for it."""
    return lambda *names: [text for name in names for text in _read_texts(name)]


def _each(texts, check):
    """Runs `check` on every text and names the note that fails. One test over all the notes, not
    one test per note: with several hundred notes, each test's own set-up cost more than the checks."""
    for text in texts:
        try:
            check(text)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\nin the note: {text[:300]!r}") from exc


@pytest.fixture
def each():
    return _each


@pytest.fixture(scope="module")
def tag():
    """The rules' `tag` (the packaged lexicon, no trained label check), built once per process: the
    case tests are about what the rules find and how they read it."""
    global _RULES
    if _RULES is None:
        _RULES = Tagger(label_check=False)
    return _RULES.tag


@pytest.fixture
def ctx():
    """The contexts of one indicator's mentions in a result, in order."""
    return lambda result, code: [m.context for m in result.indicators if m.code == code]
