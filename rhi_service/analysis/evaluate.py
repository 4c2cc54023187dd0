"""Scores the tagger against gold notes: per label and per entity type precision/recall/F1."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .lexicon import CATEGORIES

ENTITY_TYPES = ("PERSON", "LOCATION", "PHONE", "VEHICLE", "SOCIAL", "POSTCODE")


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    labels: dict[str, PRF]
    entities: dict[str, PRF]
    untagged_notes: int
    untagged_given_tag: int
    notes: int

    @property
    def macro_f1(self) -> float:
        return sum(self.labels[c].f1 for c in CATEGORIES) / len(CATEGORIES)

    @property
    def false_tag_share(self) -> float:
        return self.untagged_given_tag / self.untagged_notes if self.untagged_notes else 0.0

    def lines(self) -> list[str]:
        out = [f"notes={self.notes}"]
        for c in CATEGORIES:
            s = self.labels[c]
            out.append(f"label {c:<12} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} (tp={s.tp} fp={s.fp} fn={s.fn})")
        for t in ENTITY_TYPES:
            s = self.entities[t]
            out.append(f"entity {t:<10} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} (tp={s.tp} fp={s.fp} fn={s.fn})")
        out.append(f"no_label_notes_tagged={self.false_tag_share:.3f} ({self.untagged_given_tag}/{self.untagged_notes})")
        out.append(f"macro_f1={self.macro_f1:.3f}")
        return out


def _key(text: str) -> str:
    return " ".join(str(text).split())


def score(gold: list[dict], predicted: list) -> Report:
    """`gold` rows have labels and entities; `predicted` are TagResults in the same order."""
    labels = {c: PRF() for c in CATEGORIES}
    ents = {t: PRF() for t in ENTITY_TYPES}
    untagged = untagged_hit = 0
    for g, p in zip(gold, predicted):
        gl, pl = set(g.get("labels") or []), set(p.labels)
        for c in CATEGORIES:
            labels[c].tp += c in gl and c in pl
            labels[c].fp += c not in gl and c in pl
            labels[c].fn += c in gl and c not in pl
        if not gl:
            untagged += 1
            untagged_hit += bool(pl)
        # entities match as a multiset of (label, text) within the note
        gc = Counter((e["label"], _key(e["text"])) for e in g.get("entities") or [])
        pc = Counter((e.label, _key(e.text)) for e in p.entities)
        for t in ENTITY_TYPES:
            g_t = Counter({k: v for k, v in gc.items() if k[0] == t})
            p_t = Counter({k: v for k, v in pc.items() if k[0] == t})
            tp = sum((g_t & p_t).values())
            ents[t].tp += tp
            ents[t].fp += sum(p_t.values()) - tp
            ents[t].fn += sum(g_t.values()) - tp
    return Report(labels, ents, untagged, untagged_hit, len(gold))
