"""The trained label check: how it is trained and cached, and how it weighs the rules' evidence."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rhi_service.analysis import classifier, pipeline
from rhi_service.analysis.pipeline import Tagger

ROOT = Path(__file__).resolve().parents[3]

SEXUAL = "Her older boyfriend picks her up in his car and buys her vodka and a new phone. She stays at his flat."
CRIMINAL = "He is going OT to Swindon to sell for the olders, holds their food and has a burner phone."
MOVED = "A man holds her passport, she owes for the journey and is made to work in a nail bar unpaid."
PLAIN = "She stayed at a friend's house after a row with mum about her curfew and came home the next day."


def _notes(path: Path, copies: int = 6) -> Path:
    rows = []
    for i in range(copies):
        rows += [{"id": f"s{i}", "text": SEXUAL, "labels": ["CSE"]},
                 {"id": f"c{i}", "text": CRIMINAL, "labels": ["CCE"]},
                 {"id": f"m{i}", "text": MOVED, "labels": ["TRAFFICKING"]},
                 {"id": f"p{i}", "text": PLAIN, "labels": []}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


class FixedCheck:
    """A label check that answers the same probabilities for every note."""
    def __init__(self, probs):
        self.probs = probs

    def probabilities(self, docs):
        return [dict(self.probs) for _ in docs]


def checked(**probs):
    """A tagger whose label check answers these probabilities (0 for a category not named)."""
    tagger = Tagger()
    tagger._check = FixedCheck({c: probs.get(c, 0.0) for c in classifier.CATEGORIES})
    return tagger


def test_training_is_repeatable(tmp_path):
    rows = [json.loads(line) for line in _notes(tmp_path / "n.jsonl").read_text().splitlines()]
    docs = [classifier.spacy.blank("en").make_doc(t) for t in (SEXUAL, CRIMINAL, PLAIN)]
    first = classifier.LabelClassifier(classifier.train(rows)).probabilities(docs)
    second = classifier.LabelClassifier(classifier.train(rows)).probabilities(docs)
    assert first == second
    assert first[0]["CSE"] > first[2]["CSE"] and first[1]["CCE"] > first[2]["CCE"]


def test_a_trained_check_is_cached_on_disk_and_loaded_not_retrained(tmp_path, monkeypatch):
    notes = _notes(tmp_path / "n.jsonl")
    monkeypatch.setenv("RHI_ANALYSIS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(classifier, "_LOADED", {})
    first = classifier.load_classifier(notes)
    assert len(list((tmp_path / "cache").iterdir())) == 1
    # a new process: nothing in memory, and training would fail the test
    monkeypatch.setattr(classifier, "_LOADED", {})
    monkeypatch.setattr(classifier, "train", lambda rows: pytest.fail("trained again"))
    again = classifier.load_classifier(notes)
    doc = classifier.spacy.blank("en").make_doc(CRIMINAL)
    assert again.probabilities([doc]) == first.probabilities([doc])


def test_new_notes_train_a_new_check(tmp_path, monkeypatch):
    monkeypatch.setenv("RHI_ANALYSIS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(classifier, "_LOADED", {})
    classifier.load_classifier(_notes(tmp_path / "a.jsonl", copies=6))
    classifier.load_classifier(_notes(tmp_path / "b.jsonl", copies=7))
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_no_notes_no_check(tmp_path):
    with pytest.raises(classifier.ClassifierUnavailable):
        classifier.load_classifier(tmp_path / "missing.jsonl")


@pytest.mark.parametrize("evidence, rules, probs, expected", [
    # evidence and a probability at the threshold: labelled, even where the rules wanted two signs
    ({"CSE"}, set(), {"CSE": 0.30}, {"CSE"}),
    ({"CSE"}, set(), {"CSE": 0.29}, set()),
    # the rules' decision stands unless the check all but rules it out
    ({"CCE"}, {"CCE"}, {"CCE": classifier.VETO}, {"CCE"}),
    ({"CCE"}, {"CCE"}, {"CCE": classifier.VETO - 0.01}, set()),
    # never a label without an asserted mention, however sure the check is
    (set(), set(), {"TRAFFICKING": 0.99}, set()),
])
def test_decide(evidence, rules, probs, expected):
    assert classifier.decide(evidence, rules, probs) == expected


@pytest.mark.parametrize("p, expected", [(classifier.HINT_THRESHOLD, {"TRAFFICKING"}),
                                         (classifier.HINT_THRESHOLD - 0.01, set())])
def test_a_hint_alone_needs_the_check_nearly_sure(p, expected):
    assert classifier.decide(set(), set(), {"TRAFFICKING": p}, {"TRAFFICKING"}) == expected


def test_the_check_can_overrule_the_rules_and_the_output_keeps_to_its_labels():
    tagger = checked(CCE=0.99)
    # the rules label CSE on two signs; the check rules CSE out, and finds CCE on one asserted sign
    r = tagger.tag("Her older boyfriend buys her vodka. She has a second phone.")
    assert r.labels == ["CCE"]
    # every asserted mention left is of a labelled category: `labels` is what the evidence shows
    assert {m.category for m in r.indicators if m.context == "asserted"} == {"CCE"}


def test_without_the_check_the_labels_are_the_rules():
    tagger = Tagger(label_check=False)
    tagger._check = FixedCheck({"CSE": 0.0, "CCE": 0.99, "TRAFFICKING": 0.0})
    assert tagger.tag("Her older boyfriend buys her vodka. She has a second phone.").labels == ["CSE"]


def test_a_note_without_a_mention_never_loads_the_check(monkeypatch):
    monkeypatch.setattr(classifier, "load_classifier", lambda *a: pytest.fail("loaded"))
    assert Tagger().tag("Stayed at a friend's after a row about chores.").labels == []


def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "rhi_service.analysis", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **(env or {})})


def test_cli_without_notes_to_train_on_says_so_and_offers_rules_only(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"id": "a", "text": "He is going OT for the olders."}) + "\n")
    proc = _cli("tag", str(f), env={"RHI_TRAINING_NOTES": str(tmp_path / "none.jsonl")})
    assert proc.returncode == 2 and "--rules-only" in proc.stderr
    proc = _cli("tag", str(f), "--rules-only", env={"RHI_TRAINING_NOTES": str(tmp_path / "none.jsonl")})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["labels"] == ["CCE"]


def test_without_notes_to_train_on_the_tagger_falls_back_to_the_rules_and_says_so(tmp_path, monkeypatch):
    said = []

    class Log:   # the module's own logger, whatever the app's logging set-up does to propagation
        def warning(self, msg, *args):
            said.append(msg % args)

    monkeypatch.setattr(pipeline, "log", Log())
    monkeypatch.setenv("RHI_TRAINING_NOTES", str(tmp_path / "none.jsonl"))
    tagger = Tagger()
    assert tagger.tag(CRIMINAL).labels == ["CCE"]
    assert tagger.tag(SEXUAL).labels == ["CSE"]
    assert len(said) == 1 and "label check" in said[0] and said[0].endswith("none.jsonl")


# --- hints: evidence for the check, never a label in the rules --------------------------------------
TRAVELLED = "She was found in Blackpool on Sunday morning."


def test_a_hint_alone_is_no_label_in_the_rules():
    r = Tagger(label_check=False).tag(TRAVELLED)
    assert r.labels == []
    assert "TRAF_OUT_OF_AREA" not in {m.code for m in r.indicators}


def test_a_hint_is_not_a_second_sign_in_the_rules():
    # travel arranged by others needs another trafficking sign; a place she was found is not one
    r = Tagger(label_check=False).tag(TRAVELLED + " An older lad sorted the train ticket.")
    assert "TRAFFICKING" not in r.labels


def test_a_hint_is_evidence_the_check_can_label():
    tagger = checked(TRAFFICKING=0.9)
    r = tagger.tag(TRAVELLED)
    assert r.labels == ["TRAFFICKING"]
    assert [(m.code, m.text, m.context) for m in r.indicators] == [("TRAF_OUT_OF_AREA", "found in", "asserted")]


def test_a_hint_needs_another_town_after_it():
    tagger = checked(TRAFFICKING=0.9)
    assert tagger.tag("She was found in the park near home.").labels == []
    assert tagger.tag("He went round to Jay's after school.").labels == []


@pytest.mark.parametrize("text, evidence", [
    ("Cell site puts her on the motorway and then in Blackpool until Sunday.", "in Blackpool"),
    ("Police found her at a hotel near Kings Cross.", "near Kings Cross"),
])
def test_a_place_in_another_town_is_a_hint(text, evidence):
    assert Tagger(label_check=False).tag(text).labels == []
    tagger = checked(TRAFFICKING=0.9)
    r = tagger.tag(text)
    assert r.labels == ["TRAFFICKING"]
    assert evidence in [m.text for m in r.indicators if m.code == "TRAF_OUT_OF_AREA"]


def test_a_place_she_has_not_been_to_is_no_hint():
    tagger = checked(TRAFFICKING=0.9)
    r = tagger.tag("She has never been to Leeds.")
    assert r.labels == []
    assert {m.context for m in r.indicators} == {"negated"}


def test_a_hint_alone_is_no_label_where_the_check_is_only_fairly_sure():
    tagger = checked(TRAFFICKING=0.6)
    assert tagger.tag(TRAVELLED).labels == []
    # the same probability labels a note whose evidence is a sign of its own
    assert tagger.tag("The man keeps her passport.").labels == ["TRAFFICKING"]
