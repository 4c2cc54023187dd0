"""Throughput of the tagging engine against baselines measured in the same run.

    python benchmarks/tagging.py [--notes 5000] [--seed 7]

Reports notes/second for: spaCy's blank English tokenizer alone (baseline), the default rules path,
and, when a trained English pipeline is installed, --ner against that model's own nlp.pipe with the
components entities do not need disabled. Targets: rules >= 50% of the tokenizer; --ner >= 80% of
the model. The generated notes are load, not data: varied text, some signs, some entities.

Each path runs several times, taking turns with its baseline every few hundred notes, and the
medians are compared: on a shared machine absolute figures swing, the ratio within one run is what
counts. Not a test: the suite never imports this file.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import spacy  # noqa: E402

from rhi_service.analysis.ner import NerUnavailable, load_ner_model  # noqa: E402
from rhi_service.analysis.pipeline import Tagger  # noqa: E402

NAMES = ["Kayla", "Marcus", "Ellie", "Jaden", "Sophie", "Liam", "Mia", "Tyler", "Adil", "Grace", "Reece",
         "Ruby", "Chelsea", "Jordan", "Poppy", "Noah", "Shannon", "Thi", "Harvey", "Ava", "Callum", "Jess"]
TOWNS = ["Luton", "Derby", "Crewe", "Swindon", "Norwich", "Leeds", "Hastings", "Telford", "Walsall",
         "Bradford", "Ipswich", "Exeter", "Stoke", "Rochdale", "Peterborough", "Slough", "Margate"]
OPEN = ["{n} was missing from {h} for {d} hours.", "RHI completed with {n} at school.",
        "{n} returned to placement in {h} after {d} days.", "FC reported {n} missing at {t}pm.",
        "Spoke to {n} ({a}) at home with mum present for part of it."]
MIDDLE = [
    "{n} said {p} stayed at a friend's house in {w} and forgot to charge {q} phone.",
    "{n} says {p} was at the park with mates and lost track of time.",
    "There was an argument at home about chores and {n} walked out.",
    "Police found {n} in a flat in {w} with £{m} and two phones.",
    "{n} told me an older man called {x} bought {r} a new phone and gives {r} lifts.",
    "{n} said older lads drove {r} to {w} to sell from a trap house.",
    "{n} denied being given gifts or money by anyone.",
    "We talked about what grooming looks like and what to do if anyone offers {r} money.",
    "{n}'s friend {x} goes OT but {n} says {p} has never been involved.",
    "Mum bought the new phone for {q} birthday and showed me the receipt.",
    "The man holds {q} passport and says {p} owes £{m} for the journey.",
    "{p} was seen getting into a grey Audi A3, partial reg YK{d}, near the station.",
    "{n} has been messaging someone on snap as kd.{l}{d} who asked for pictures.",
    "School say attendance has dropped and {p} seems tired and withdrawn.",
    "Mum's number is 07700 900{m3}; she was relieved {n} was home.",
    "{n} has been bullied online and did not want to go to school.",
]
CLOSE = ["No concerns identified.", "Referral made to the CE team.", "Strategy discussion requested.",
         "Agreed plan: weekly check-ins with the SW.", "Information shared with police.",
         "{n} was given Childline 0800 1111 and 116 000."]


def _dev_sentences() -> list[str]:
    path = Path(__file__).resolve().parents[1] / "tests" / "data" / "notes_dev.jsonl"
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        out += [s for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.split()) > 3]
    return out


def make_notes(n: int, seed: int) -> list[str]:
    """Half the notes recombine hand-written sentences (realistic vocabulary), half come from templates."""
    rnd = random.Random(seed)
    real = _dev_sentences()
    notes = []
    while real and len(notes) < n // 2:
        sents = rnd.sample(real, rnd.randint(3, 12))
        text = " ".join(sents)
        # swap names and numbers so the text is not the same few strings again and again
        text = re.sub(r"\b[A-Z][a-z]{2,}\b", lambda m: rnd.choice(NAMES) if m.group() in NAMES else m.group(), text)
        text = re.sub(r"\d+", lambda m: str(rnd.randint(1, 10 ** len(m.group()))), text)
        notes.append(text)
    while len(notes) < n:
        he = rnd.random() < 0.5
        v = dict(n=rnd.choice(NAMES), h=rnd.choice(TOWNS), w=rnd.choice(TOWNS), x=rnd.choice(NAMES),
                 d=rnd.randint(10, 99), t=rnd.randint(5, 11), a=rnd.randint(12, 17), m=rnd.randint(100, 999),
                 m3=f"{rnd.randint(0, 999):03d}", l=rnd.choice("abcdefghij"),
                 p="he" if he else "she", q="his" if he else "her", r="him" if he else "her")
        parts = [rnd.choice(OPEN)] + rnd.sample(MIDDLE, rnd.randint(2, 6)) + [rnd.choice(CLOSE)]
        text = " ".join(parts).format(**v)
        if rnd.random() < 0.2:  # some long write-ups in paragraphs
            text = text + "\n\n" + " ".join(rnd.sample(MIDDLE, 5)).format(**v)
        notes.append(text)
    return notes


def interleaved(named: dict, texts, rounds: int, chunk: int = 256) -> dict[str, float]:
    """Median notes/s per path over rounds, the paths taking turns chunk by chunk within a round.

    The machine is shared, so load comes and goes; alternating the paths every few hundred notes
    (not every whole pass, which for the model takes half a minute) exposes each to the same spells
    of load, and the ratio of medians is what the targets are judged on."""
    seen: dict[str, list[float]] = {k: [] for k in named}
    parts = [texts[i:i + chunk] for i in range(0, len(texts), chunk)]
    for r in range(rounds):
        spent = dict.fromkeys(named, 0.0)
        for c, part in enumerate(parts):
            order = list(named.items()) if (r + c) % 2 == 0 else list(reversed(named.items()))
            for name, fn in order:
                t0 = time.perf_counter()
                for _ in fn(part):
                    pass
                spent[name] += time.perf_counter() - t0
        for name in named:
            seen[name].append(len(texts) / spent[name])
    return {k: statistics.median(v) for k, v in seen.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--notes", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=5, help="alternating repetitions per path (median taken)")
    ap.add_argument("--ner-notes", type=int, default=1000, help="notes for the --ner comparison (the model is slow)")
    args = ap.parse_args()
    texts = make_notes(args.notes, args.seed)
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{len(texts)} generated notes, {words:.0f} words each on average")

    t0 = time.perf_counter()
    tagger = Tagger()
    build = time.perf_counter() - t0
    blank = spacy.blank("en")
    warm = make_notes(500, args.seed + 1)  # both tokenizers see unrelated text first, so caches start even
    list(blank.pipe(warm))
    list(tagger.tag_many(warm))

    rates = interleaved({"tokenizer": lambda ts: blank.pipe(ts),
                         "rules": lambda ts: tagger.tag_many(ts)}, texts, args.rounds)
    rows = [("tagger build (first call)", f"{build:.2f} s", "< 1 s", "ok" if build < 1 else "MISSED"),
            ("spaCy blank tokenizer", f"{rates['tokenizer']:,.0f} notes/s", "baseline", ""),
            ("default rules path", f"{rates['rules']:,.0f} notes/s",
             ">= 0.50 x tokenizer", _verdict(rates["rules"] / rates["tokenizer"], 0.50))]

    try:
        model = load_ner_model()
    except NerUnavailable as exc:
        rows.append(("--ner", "skipped", ">= 0.80 x model", str(exc).split(".")[0]))
    else:
        sample = texts[: min(len(texts), args.ner_notes)]
        list(model.pipe(warm[:100]))
        ner_tagger = Tagger().enable_ner()
        list(ner_tagger.tag_many(warm[:100]))
        ner = interleaved({"model": lambda ts: model.pipe(ts, batch_size=256),
                           "ner": lambda ts: ner_tagger.tag_many(ts)}, sample, max(1, args.rounds // 2))
        rows.append((f"model nlp.pipe ({'+'.join(model.pipe_names)})", f"{ner['model']:,.0f} notes/s",
                     f"baseline ({len(sample)} notes)", ""))
        rows.append(("--ner path", f"{ner['ner']:,.0f} notes/s", ">= 0.80 x model",
                     _verdict(ner["ner"] / ner["model"], 0.80)))

    print()
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    head = ("path", "throughput", "target", "ratio / result")
    widths = [max(w, len(h)) for w, h in zip(widths, head)]
    for row in (head, tuple("-" * w for w in widths), *rows):
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())


def _verdict(ratio: float, target: float) -> str:
    return f"{ratio:.2f} ({'ok' if ratio >= target else 'below target'})"


if __name__ == "__main__":
    main()
