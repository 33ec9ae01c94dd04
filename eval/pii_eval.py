"""Precision and recall of PII detection per type, on exact spans.

Run: python eval/pii_eval.py [--dataset eval/safety/pii.jsonl] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from tandem.safety.pii import PIIDetector


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", type=Path, default=Path(__file__).parent / "safety/pii.jsonl")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    detector = PIIDetector()
    true_pos: Counter[str] = Counter()
    false_pos: Counter[str] = Counter()
    false_neg: Counter[str] = Counter()
    errors: list[str] = []
    for line in args.dataset.read_text().splitlines():
        row = json.loads(line)
        expected = {(e["type"], e["text"]) for e in row["entities"]}
        found = {(s.type, s.text) for s in detector.detect(row["text"])}
        for kind, _ in expected & found:
            true_pos[kind] += 1
        for kind, text in found - expected:
            false_pos[kind] += 1
            errors.append(f"FALSE POSITIVE {kind} {text!r} in {row['text']!r}")
        for kind, text in expected - found:
            false_neg[kind] += 1
            errors.append(f"MISSED {kind} {text!r} in {row['text']!r}")
    kinds = sorted(set(true_pos) | set(false_pos) | set(false_neg))
    print(f"{'type':<16}{'precision':>10}{'recall':>8}")
    for kind in kinds:
        tp, fp, fn = true_pos[kind], false_pos[kind], false_neg[kind]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"{kind:<16}{precision:>10.2f}{recall:>8.2f}")
    tp, fp, fn = sum(true_pos.values()), sum(false_pos.values()), sum(false_neg.values())
    print(f"{'all':<16}{tp / (tp + fp):>10.2f}{tp / (tp + fn):>8.2f}")
    if args.show_errors:
        print("\n".join(errors))


if __name__ == "__main__":
    main()
