"""Safety evaluation: harm recall per category, shields, benign false positives, PII F1.

Two formats:

- the flat set (`eval/safety/dataset.jsonl`, `heldout*.jsonl`: `label` is a category,
  `jailbreak`, `indirect` or `benign`), scored on the classifier in-process: a harmful text
  counts as caught at medium (4+, what the default policy blocks);
- a held-out folder in heldout3's format (`hate.jsonl` ... `shields.jsonl`, `pii.jsonl`, see
  its README), scored through the HTTP API as a client would see it:
  `POST /contentsafety/text:analyze` (EightSeverityLevels), `:shieldPrompt` and
  `POST /language/:analyze-text` (PiiEntityRecognition). Harm recall is reported at `low`
  (severity >= 2) and at the row's own `min_severity`; a benign row is a false positive at
  severity >= 2 (strict) and, separately, at >= 4 (what the default policy blocks).

Run: python eval/safety_eval.py [--dataset FILE] [--heldout DIR] [--show-misses]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from safety_api_eval import score_folder

from tandem.safety.categories import Category
from tandem.safety.classifier import Classifier

BLOCK_AT = 4


def score_flat(dataset: Path, show_misses: bool) -> None:
    """The flat format, on the classifier in-process."""
    rows = [json.loads(line) for line in dataset.read_text().splitlines() if line.strip()]
    classifier = Classifier()
    classifier.analyze("warm-up: compile every pattern before timing")
    classifier.indirect_attack("warm-up")
    hits: dict[str, list[bool]] = defaultdict(list)
    misses: list[str] = []
    per_kb: list[float] = []
    for row in rows:
        label, text = row["label"], row["text"]
        started = time.perf_counter()
        analysis = classifier.analyze(text, jailbreak=True)
        jailbreak = analysis.jailbreak
        documents = [classifier.indirect_attack(d) for d in row.get("documents", [])]
        per_kb.append((time.perf_counter() - started) * 1000 / max(len(text) / 1000, 0.001))
        blocked = analysis.max_severity() >= BLOCK_AT or jailbreak is not None
        if label == "benign":
            hits[label].append(blocked)
            if blocked:
                misses.append(f"FALSE POSITIVE {analysis.severities} jb={jailbreak!r}: {text}")
            continue
        if label == "jailbreak":
            caught = jailbreak is not None
        elif label == "indirect":
            caught = any(d is not None for d in documents)
        else:
            caught = analysis.severities[Category(label)] >= BLOCK_AT
        hits[label].append(caught)
        if not caught:
            misses.append(f"MISSED {label} {analysis.severities}: {text}")
    print(f"{'set':<12}{'n':>5}{'rate':>8}")
    for label in ["hate", "sexual", "violence", "self_harm", "jailbreak", "indirect"]:
        values = hits[label]
        if values:
            print(f"{label:<12}{len(values):>5}{sum(values) / len(values):>8.2f}  recall")
    benign = hits["benign"]
    print(f"{'benign':<12}{len(benign):>5}{sum(benign) / len(benign):>8.2f}  false-positive rate")
    ordered = sorted(per_kb)
    print(
        f"latency: p50 {statistics.median(per_kb):.3f} ms/KB, "
        f"p99 {ordered[int(len(ordered) * 0.99) - 1]:.3f} ms/KB (short prompts, per-call floor)"
    )
    if show_misses:
        print("\n".join(misses))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--dataset", type=Path, default=Path(__file__).parent / "safety/dataset.jsonl"
    )
    parser.add_argument("--heldout", type=Path, help="a folder in heldout3's format")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    if args.heldout is None:
        score_flat(args.dataset, args.show_misses)
        return
    with tempfile.TemporaryDirectory() as data_dir:
        asyncio.run(score_folder(args.heldout, Path(data_dir), args.show_misses))


if __name__ == "__main__":
    main()
