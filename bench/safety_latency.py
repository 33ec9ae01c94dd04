"""Latency of the safety layer per KB of text, per stage, and its cost on the gateway path.

Texts of about 1 KB (customer messages, technical prose, the evaluation set's prompts) go
through each stage on its own — the pattern stage, the learned stage (de-obfuscation,
windows, the network), both together (what the classifier runs), both plus the prompt
shield and PII — and through the completion direction (code, refusals and refuted quotes
taken out first). Then the gateway: chat requests with a 1 KB prompt and a 1 KB answer
through the in-process app on a fake backend, screening on and off in the same run.
Goal: the whole layer (both stages, both directions) <= 1 ms p50 and <= 5 ms p99 per KB.

Run: python bench/safety_latency.py [--rounds N] [--requests N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.fakes import FakeBackend, Script

from common import ROOT, percentile, print_table
from tandem.app import create_app
from tandem.backends.registry import BackendRegistry
from tandem.config import DeploymentConfig, Settings
from tandem.platform import Platform
from tandem.safety.classifier import Analysis, Classifier
from tandem.safety.context import completion_view
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


def stages(texts: list[str], rounds: int) -> dict[str, list[float]]:
    """Each stage on its own, then together."""
    classifier, pii = Classifier(), PIIDetector()
    classifier.warm()

    def both_directions(text: str) -> object:
        prompt = classifier.analyze(text, jailbreak=True)
        return prompt, classifier.analyze(completion_view(text))

    return {
        "pattern stage": measure(lambda t: classifier.patterns.analyze(t), texts, rounds),
        "learned stage": measure(lambda t: classifier.judge(t), texts, rounds),
        "both stages (classifier)": measure(lambda t: classifier.analyze(t), texts, rounds),
        "both + prompt shield": measure(
            lambda t: classifier.analyze(t, jailbreak=True), texts, rounds
        ),
        "both + shield + PII": measure(
            lambda t: (classifier.analyze(t, jailbreak=True), pii.detect(t)), texts, rounds
        ),
        "whole layer, both directions": measure(both_directions, texts, rounds),
    }


async def gateway(requests: int, prompt: str, answer: str) -> dict[str, list[float]]:
    """Chat request latency (ms) through the app, screening on and off, interleaved."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            builtin_deployments=False,
            auth="off",
            log_level="warning",
            deployments=[DeploymentConfig.model_validate({"name": "fake", "backend": "fake"})],
        )
        registry = BackendRegistry.from_entry_points()
        registry.register("fake", FakeBackend)
        platform = Platform.build(settings, registry)
        await platform.start()
        await platform.wait_started()
        backend = platform.deployments.get("fake").targets[0].backend
        assert isinstance(backend, FakeBackend)
        classifier = platform.safety.screener.classifier
        real = classifier.analyze
        clean = Analysis(severities=real("").severities)
        body = {"model": "fake", "messages": [{"role": "user", "content": prompt}]}
        out: dict[str, list[float]] = {"screening on": [], "screening off": []}
        transport = httpx.ASGITransport(app=create_app(settings, platform))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for index in range(requests + 20):
                off = index % 2 == 1
                classifier.analyze = (lambda *a, **k: clean) if off else real  # type: ignore[method-assign]
                backend.enqueue(Script(text=answer))
                started = time.perf_counter()
                response = await client.post("/v1/chat/completions", json=body)
                elapsed = (time.perf_counter() - started) * 1000
                response.raise_for_status()
                if index >= 20:  # warm-up requests are not counted
                    out["screening off" if off else "screening on"].append(elapsed)
        classifier.analyze = real  # type: ignore[method-assign]
        await platform.stop()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    kinds = corpus()
    texts = [t for v in kinds.values() for t in v]
    results = stages(texts, args.rounds)
    classifier = Classifier()
    for kind, group in kinds.items():
        results[f"  both stages on {kind}"] = measure(classifier.analyze, group, args.rounds)
    rows = [
        [name, f"{percentile(v, 50):.3f}", f"{percentile(v, 99):.3f}"]
        for name, v in results.items()
    ]
    print_table(
        f"Safety screening, {len(texts)} texts of ~1 KB x {args.rounds} rounds (ms per KB)",
        ["stage", "p50", "p99"],
        rows,
    )
    prompt = kinds["customer messages"][0]
    answer = kinds["technical prose"][0]
    timings = asyncio.run(gateway(args.requests, prompt, answer))
    on, off = timings["screening on"], timings["screening off"]
    print_table(
        f"Gateway: chat with a 1 KB prompt and 1 KB answer, {args.requests // 2} each (ms)",
        ["screening", "p50", "p99"],
        [
            ["on", f"{percentile(on, 50):.2f}", f"{percentile(on, 99):.2f}"],
            ["off", f"{percentile(off, 50):.2f}", f"{percentile(off, 99):.2f}"],
            [
                "cost of screening",
                f"{percentile(on, 50) - percentile(off, 50):+.2f}",
                f"{percentile(on, 99) - percentile(off, 99):+.2f}",
            ],
        ],
    )


if __name__ == "__main__":
    main()
