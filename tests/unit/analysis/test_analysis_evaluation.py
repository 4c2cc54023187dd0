"""The engine against the annotated notes in tests/data.

dev is the split the lexicon was tuned on and must meet the product targets; test was written first
and frozen before any lexicon existed, and is held to the floor it honestly reached (see the report).
held_out is rounds of blind batches the label check is never trained on (why it is not in dev: the
#5 notes of the eighth session); the rules were fixed on it, so it guards the check more than them."""
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from rhi_service.analysis import CATEGORIES, default_tagger
from rhi_service.analysis.evaluate import score

DATA = Path(__file__).resolve().parents[2] / "data"
PLATE = re.compile(r"^[A-Z]{1,3}\d{1,3}\s?[A-Z]{0,3}$")


def evaluate(name):
    rows = [json.loads(line) for line in (DATA / name).read_text().splitlines() if line.strip()]
    results = list(default_tagger().tag_many([r["text"] for r in rows]))
    return rows, results, score(rows, results)


def plate_recall(rows, results):
    hit = total = 0
    for row, res in zip(rows, results):
        gold = Counter(e["text"] for e in row["entities"] if e["label"] == "VEHICLE" and PLATE.match(e["text"]))
        pred = Counter(e.text for e in res.entities if e.label == "VEHICLE")
        total += sum(gold.values())
        hit += sum((gold & pred).values())
    return hit / total if total else 1.0


@pytest.fixture(scope="module", params=["notes_dev.jsonl", "notes_test.jsonl", "notes_held_out.jsonl"])
def split(request):
    return request.param, *evaluate(request.param)


def test_split_sizes_and_shape(split):
    name, rows, _, _ = split
    assert len(rows) >= (60 if "test" in name else 140)
    untagged = sum(1 for r in rows if not r["labels"]) / len(rows)
    assert 0.3 <= untagged <= 0.55


def test_label_targets(split):
    name, _, _, report = split
    for cat in CATEGORIES:
        assert report.labels[cat].precision >= 0.90, (name, cat)
    assert report.macro_f1 >= 0.90
    assert report.false_tag_share <= 0.05


def test_entity_targets(split):
    name, rows, results, report = split
    for kind in ("PHONE", "POSTCODE", "SOCIAL"):
        assert report.entities[kind].recall >= 0.95, (name, kind)
    assert plate_recall(rows, results) >= 0.95
    for kind in ("PERSON", "LOCATION"):
        assert report.entities[kind].recall >= 0.75, (name, kind)


def test_dev_split_is_strong_enough():
    _, _, report = evaluate("notes_dev.jsonl")
    assert report.macro_f1 >= 0.95
