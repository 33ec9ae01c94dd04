"""Throughput of the evals graders' deterministic hot path against the simplest direct code.

N items (a model answer, a reference answer, a JSON output) are graded the way a run grades
them: criteria compiled by `compile_criteria`, templates rendered from `{{item.*}}` and
`{{sample.*}}`, `await grader.grade(scope, env)` one item after another. In the same process,
round by round, a baseline computes the same verdict directly on the two strings (`==`,
`in`, difflib's ratio, a few-line BLEU / ROUGE, `json.loads` and a compiled validator), and
the grader's own metric function is also timed alone, which splits the ratio into metric
cost and grader overhead (template rendering, the coroutine, the result object). Best of
`--rounds`; prints items/s and ratios, asserts nothing about absolute time. `max |d|` is the
largest score difference between grader and baseline (0 means they agree).

Run: python bench/evals_graders.py [--items N] [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import print_table
from tandem.apps.evals.graders import GradeEnv, Grader, compile_criteria
from tandem.apps.evals.graders.similarity import METRICS
from tandem.apps.evals.graders.strings import check
from tandem.gateway.service import CallContext

_CONTENT_WORDS = (
    "order shipping refund account invoice delivery customer support ticket payment card "
    "address warehouse tracking number week days business return policy item package "
    "label store credit email password reset login plan upgrade monthly annual price "
    "discount code receipt store pickup courier international customs fee tax update "
    "cancel subscription renewal date balance statement branch agent chat phone hours"
)
_GLUE_WORDS = "the a to of and is in for on your we it be can with by at within"
WORDS = _CONTENT_WORDS.split()
GLUE = _GLUE_WORDS.split()
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "intent": {"type": "string", "enum": ["refund", "shipping", "account", "other"]},
        "order_id": {"type": "integer", "minimum": 1},
        "urgent": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 8},
    },
    "required": ["intent", "order_id"],
    "additionalProperties": False,
}
ANSWER, REFERENCE = "{{sample.output_text}}", "{{item.reference}}"
_WORD = re.compile(r"\w+")
Baseline = Callable[[dict[str, Any]], float]


# --- items --------------------------------------------------------------------------------


def sentence(rng: random.Random, words: int) -> list[str]:
    """Words alternating content and glue, like a short support answer."""
    return [rng.choice(WORDS if i % 2 == 0 else GLUE) for i in range(words)]


def perturb(rng: random.Random, words: list[str], rate: float) -> list[str]:
    """The same answer reworded: some words dropped, replaced or inserted."""
    out: list[str] = []
    for word in words:
        roll = rng.random()
        if roll < rate / 3:
            continue
        if roll < 2 * rate / 3:
            out.append(rng.choice(WORDS))
            continue
        out.append(word)
        if roll > 1 - rate / 3:
            out.append(rng.choice(GLUE))
    return out


def json_output(rng: random.Random) -> str:
    """A model's JSON answer: mostly valid, some breaking the schema, a few not JSON."""
    value: dict[str, Any] = {
        "intent": rng.choice(["refund", "shipping", "account", "other"]),
        "order_id": rng.randint(1, 99_999),
        "urgent": rng.random() < 0.3,
        "tags": rng.sample(WORDS, rng.randint(0, 5)),
    }
    roll = rng.random()
    if roll < 0.1:
        value["intent"] = "complaint"
    elif roll < 0.15:
        value["order_id"] = str(value["order_id"])
    text = json.dumps(value)
    return text[:-3] if roll > 0.95 else text


def items(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """Scopes as a run builds them: {'item': ..., 'sample': ...}."""
    rng = random.Random(seed)
    scopes = []
    for _ in range(n):
        reference = sentence(rng, rng.randint(12, 40))
        roll = rng.random()
        answer = reference if roll < 0.2 else perturb(rng, reference, 0.1 if roll < 0.6 else 0.4)
        text = " ".join(answer).capitalize() + "."
        scopes.append(
            {
                "item": {
                    "reference": " ".join(reference).capitalize() + ".",
                    "keyword": rng.choice(reference).upper(),
                },
                "sample": {"output_text": text, "output_json_text": json_output(rng)},
            }
        )
    return scopes


# --- baselines: the simplest direct code for each verdict --------------------------------


def words(text: str) -> list[str]:
    """Lower-cased word tokens (as the platform tokenizes)."""
    return _WORD.findall(text.lower())


def grams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    """Counted n-grams."""
    return Counter(zip(*(tokens[i:] for i in range(n)), strict=False))


def f1(overlap: int, a: int, b: int) -> float:
    """F1 of an overlap between totals a and b."""
    return 2 * overlap / (a + b) if overlap else 0.0


def bleu_direct(answer: str, reference: str) -> float:
    """Sentence BLEU-4, brevity penalty, add-one smoothing above unigrams."""
    cand, ref = words(answer), words(reference)
    if not cand or not ref:
        return float(cand == ref)
    logs = 0.0
    for n in range(1, 5):
        matched = sum((grams(cand, n) & grams(ref, n)).values())
        total = max(0, len(cand) - n + 1)
        if n == 1 and not matched:
            return 0.0
        logs += math.log(matched / total) if n == 1 else math.log((matched + 1) / (total + 1))
    penalty = 1.0 if len(cand) >= len(ref) else math.exp(1 - len(ref) / len(cand))
    return penalty * math.exp(logs / 4)


def rouge_n_direct(answer: str, reference: str, n: int) -> float:
    """ROUGE-N F1 with a Counter intersection."""
    have, want = grams(words(answer), n), grams(words(reference), n)
    return f1(sum((have & want).values()), sum(have.values()), sum(want.values()))


def rouge_l_direct(answer: str, reference: str) -> float:
    """ROUGE-L F1 by the textbook LCS table."""
    a, b = words(answer), words(reference)
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = (
                table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
            )
    return f1(table[-1][-1], len(a), len(b))


VALIDATOR = Draft202012Validator(SCHEMA)


def parses(text: str) -> float:
    """1 when the text is JSON."""
    try:
        json.loads(text)
    except ValueError:
        return 0.0
    return 1.0


def matches(text: str) -> float:
    """1 when the text is JSON valid under SCHEMA."""
    try:
        value = json.loads(text)
    except ValueError:
        return 0.0
    return float(VALIDATOR.is_valid(value))


def pair(s: dict[str, Any]) -> tuple[str, str]:
    """(answer, reference) straight from the scope."""
    return s["sample"]["output_text"], s["item"]["reference"]


def similarity(metric: str) -> dict[str, Any]:
    """A text_similarity criterion."""
    return {
        "type": "text_similarity",
        "name": metric,
        "evaluation_metric": metric,
        "input": ANSWER,
        "reference": REFERENCE,
        "pass_threshold": 0.5,
    }


def cases() -> list[tuple[str, dict[str, Any], Baseline, Baseline | None]]:
    """(label, criterion, baseline, the grader's own metric alone or None)."""
    eq = {
        "type": "string_check",
        "name": "eq",
        "input": ANSWER,
        "reference": REFERENCE,
        "operation": "eq",
    }
    ilike = {
        "type": "string_check",
        "name": "ilike",
        "input": ANSWER,
        "reference": "{{item.keyword}}",
        "operation": "ilike",
    }
    json_only = {"type": "json_schema", "name": "json", "input": "{{sample.output_json_text}}"}
    with_schema = {**json_only, "name": "schema", "schema": SCHEMA}

    def keyword(s: dict[str, Any]) -> tuple[str, str]:
        return s["sample"]["output_text"], s["item"]["keyword"]

    def metric(name: str) -> Baseline:
        return lambda s: METRICS[name](*pair(s))

    out: list[tuple[str, dict[str, Any], Baseline, Baseline | None]] = [
        (
            "string_check eq",
            eq,
            lambda s: float(pair(s)[0] == pair(s)[1]),
            lambda s: float(check("eq", *pair(s))),
        ),
        (
            "string_check ilike",
            ilike,
            lambda s: float(keyword(s)[1].casefold() in keyword(s)[0].casefold()),
            lambda s: float(check("ilike", *keyword(s))),
        ),
        (
            "fuzzy_match",
            similarity("fuzzy_match"),
            lambda s: SequenceMatcher(None, *pair(s), autojunk=False).ratio(),
            metric("fuzzy_match"),
        ),
        ("bleu", similarity("bleu"), lambda s: bleu_direct(*pair(s)), metric("bleu")),
        (
            "rouge_1",
            similarity("rouge_1"),
            lambda s: rouge_n_direct(*pair(s), 1),
            metric("rouge_1"),
        ),
        (
            "rouge_2",
            similarity("rouge_2"),
            lambda s: rouge_n_direct(*pair(s), 2),
            metric("rouge_2"),
        ),
        ("rouge_l", similarity("rouge_l"), lambda s: rouge_l_direct(*pair(s)), metric("rouge_l")),
        (
            "json_schema (parse only)",
            json_only,
            lambda s: parses(s["sample"]["output_json_text"]),
            None,
        ),
        (
            "json_schema (with schema)",
            with_schema,
            lambda s: matches(s["sample"]["output_json_text"]),
            None,
        ),
    ]
    return out


# --- timing -------------------------------------------------------------------------------


def env() -> GradeEnv:
    """What deterministic graders use: only the render limit (no model, no classifier)."""
    return GradeEnv(
        models=cast(Any, None),
        ctx=cast(Callable[[], CallContext], None),
        embedding_deployment="",
        classifier=cast(Any, None),
    )


async def grade_all(grader: Grader, scopes: list[dict[str, Any]], e: GradeEnv) -> list[float]:
    """Seconds first, then every score: the grader over the items, one after another."""
    started = time.perf_counter()
    scores = [(await grader.grade(s, e)).score for s in scopes]
    return [time.perf_counter() - started, *scores]


def direct_all(fn: Baseline, scopes: list[dict[str, Any]]) -> list[float]:
    """Seconds first, then every score: a baseline over the items."""
    started = time.perf_counter()
    scores = [fn(s) for s in scopes]
    return [time.perf_counter() - started, *scores]


async def measure(n: int, rounds: int) -> list[list[str]]:
    """One row per grader: items/s of grader, baseline and metric alone, and the ratios."""
    scopes, e, rows = items(n), env(), []
    for label, criterion, baseline, alone in cases():
        (grader,) = compile_criteria([criterion], 32 * 1024)
        await grade_all(grader, scopes[:50], e)  # warm-up
        direct_all(baseline, scopes[:50])
        best = {"grader": math.inf, "baseline": math.inf, "alone": math.inf}
        graded: list[float] = []
        direct: list[float] = []
        for _ in range(rounds):
            graded = await grade_all(grader, scopes, e)
            direct = direct_all(baseline, scopes)
            best["grader"] = min(best["grader"], graded[0])
            best["baseline"] = min(best["baseline"], direct[0])
            if alone is not None:
                best["alone"] = min(best["alone"], direct_all(alone, scopes)[0])
        delta = max(abs(a - b) for a, b in zip(graded[1:], direct[1:], strict=True))
        has_alone = alone is not None
        rows.append(
            [
                label,
                f"{n / best['grader']:,.0f}",
                f"{n / best['baseline']:,.0f}",
                f"{best['grader'] / best['baseline']:.2f}x",
                f"{n / best['alone']:,.0f}" if has_alone else "-",
                f"{best['grader'] / best['alone']:.2f}x" if has_alone else "-",
                f"{delta:.1e}" if delta else "0",
            ]
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = asyncio.run(measure(args.items, args.rounds))
    print_table(
        f"Evals graders, {args.items} items, best of {args.rounds} rounds (items/s; "
        "ratio = grader time / baseline time)",
        ["grader", "grader", "baseline", "ratio", "metric alone", "grader/metric", "max |d|"],
        rows,
    )
    print(f"total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
