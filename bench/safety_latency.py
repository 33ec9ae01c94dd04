"""Latency of the built-in safety layer per KB of text, against a naive matcher.

Texts of about 1 KB (customer messages, technical prose, the evaluation set's prompts) go
through: Tandem's classifier and prompt shield (trigger-indexed patterns), the same plus
PII detection, and a naive matcher running every pattern of the lexicon on every text
(what a straightforward regex filter does). Goal: built-in layer p50 <= 1 ms per KB.

Run: python bench/safety_latency.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, percentile, print_table
from tandem.safety import lexicon
from tandem.safety.classifier import Classifier
from tandem.safety.normalize import variants
from tandem.safety.pii import PIIDetector


def corpus() -> dict[str, list[str]]:
    """About-1-KB texts of three kinds."""
    rows = [json.loads(x) for x in (ROOT / "eval/safety/dataset.jsonl").read_text().splitlines()]
    prompts = [r["text"] for r in rows]
    prose = (ROOT / "README.md").read_text()
    customer = (
        "Hi, I ordered a blue jacket last week (order 48213) and it still has not arrived. "
        "The tracking page says it left the warehouse on Monday. Could you tell me when it "
        "will be delivered, and how I change the address for future orders? Thanks, Dana. "
    )
    kinds = {
        "customer messages": [(customer * 5)[:1024]] * 10,
        "technical prose": [prose[i : i + 1024] for i in range(0, min(len(prose), 30_000), 1024)],
        "eval prompts (1/3 harmful)": [
            " ".join(prompts[i : i + 12])[:1024] for i in range(0, len(prompts), 12)
        ],
    }
    return {k: [t for t in v if len(t) > 500] for k, v in kinds.items()}


def naive_matcher() -> Callable[[str], bool]:
    """Every pattern of every category and shield, each on the text's variants."""
    patterns = [re.compile(p) for bands in lexicon.RULES.values() for _, ps in bands for p in ps]
    patterns += [re.compile(p) for p in lexicon.JAILBREAK]

    def run(text: str) -> bool:
        hit = False
        for form in variants(text):
            for pattern in patterns:
                hit = bool(pattern.search(form)) or hit
        return hit

    return run


def measure(fn: Callable[[str], object], texts: list[str], rounds: int) -> list[float]:
    """ms per KB of each call."""
    for text in texts:
        fn(text)
    out = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            fn(text)
            out.append((time.perf_counter() - started) * 1000 / (len(text) / 1000))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    kinds = corpus()
    texts = [t for v in kinds.values() for t in v]
    classifier, pii = Classifier(), PIIDetector()

    def builtin(text: str) -> object:
        return classifier.analyze(text, jailbreak=True)

    def with_pii(text: str) -> object:
        return builtin(text), pii.detect(text)

    results = {
        "naive: every pattern": measure(naive_matcher(), texts, args.rounds),
        "Tandem harm + shield": measure(builtin, texts, args.rounds),
        "Tandem harm + shield + PII": measure(with_pii, texts, args.rounds),
    }
    for kind, group in kinds.items():
        results[f"  harm + shield on {kind}"] = measure(builtin, group, args.rounds)
    base = percentile(results["naive: every pattern"], 50)
    rows = [
        [
            name,
            f"{percentile(v, 50):.3f}",
            f"{percentile(v, 99):.3f}",
            f"{base / percentile(v, 50):.1f}x",
        ]
        for name, v in results.items()
    ]
    print_table(
        f"Safety screening, {len(texts)} texts of ~1 KB x {args.rounds} rounds (ms per KB)",
        ["layer", "p50", "p99", "speed vs naive"],
        rows,
    )


if __name__ == "__main__":
    main()
