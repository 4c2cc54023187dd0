"""Command line: python -m rhi_service.analysis tag|evaluate FILE.jsonl [--ner] [--lexicon DIR] [--rules-only]

tag       reads {"id", "text"} lines and writes one JSON result per line to stdout.
evaluate  reads gold {"id", "text", "labels", "entities"} lines and prints scores, macro_f1 last.

A malformed line is reported on stderr with its line number and skipped; the other lines are still
processed, and the exit status is then 1 (0 when every line was read, 2 for usage errors or when
--ner is asked for but no model is installed).
"""
from __future__ import annotations

import argparse
import json
import sys

from .classifier import ClassifierUnavailable
from .evaluate import score
from .ner import NerUnavailable
from .pipeline import Tagger


def _read(path: str, need: tuple[str, ...]):
    rows, bad = [], 0
    with (sys.stdin if path == "-" else open(path, encoding="utf-8")) as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise ValueError("expected a JSON object")
                missing = [k for k in need if k not in row]
                if missing:
                    raise ValueError(f"missing {', '.join(missing)}")
                if not isinstance(row["text"], str):
                    raise ValueError("text must be a string")
            except ValueError as exc:  # JSONDecodeError is a ValueError
                print(f"{path}:{n}: malformed line skipped: {exc}", file=sys.stderr)
                bad += 1
                continue
            rows.append(row)
    return rows, bad


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m rhi_service.analysis", description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["tag", "evaluate"])
    ap.add_argument("file", help="JSONL file, or - for standard input")
    ap.add_argument("--ner", action="store_true", help="add a trained English model's PERSON/LOCATION entities")
    ap.add_argument("--lexicon", help="lexicon directory (defaults to the packaged one)")
    ap.add_argument("--rules-only", action="store_true",
                    help="labels from the rules alone, without the trained label check")
    args = ap.parse_args(argv)

    try:
        tagger = Tagger(lexicon_dir=args.lexicon, label_check=not args.rules_only)
        # trained (or loaded) before the first note, so that a missing notes file is a usage error
        tagger.load_label_check()
    except ClassifierUnavailable as exc:
        print(f"error: {exc} (or use --rules-only)", file=sys.stderr)
        return 2
    if args.ner:
        try:
            tagger.enable_ner()
        except NerUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    need = ("id", "text") if args.command == "tag" else ("id", "text", "labels")
    try:
        rows, bad = _read(args.file, need)
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    results = tagger.tag_many([r["text"] for r in rows])
    if args.command == "tag":
        out = sys.stdout
        for row, res in zip(rows, results):
            out.write(json.dumps({"id": row["id"], **res.to_dict()}, ensure_ascii=False) + "\n")
    else:
        report = score(rows, list(results))
        print("\n".join(report.lines()))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
