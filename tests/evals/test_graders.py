"""Each grader on a known right and a known wrong sample."""

from __future__ import annotations

from typing import Any

import pytest

from tandem.apps.evals.graders import GradeEnv, GraderError, compile_criteria
from tandem.apps.evals.graders.similarity import bleu, fuzzy_match, gleu, rouge_l, rouge_n
from tandem.platform import Platform
from tests.conftest import fake_of
from tests.fakes import Script


def _env(platform: Platform) -> GradeEnv:
    from tandem.gateway.service import CallContext
    from tandem.governance.principal import open_principal

    return GradeEnv(
        platform.service,
        lambda: CallContext(open_principal(), "t"),
        "fake-embed",
        platform.safety.screener.classifier,
    )


async def _grade(platform: Platform, criterion: dict[str, Any], scope: dict[str, Any]) -> Any:
    (grader,) = compile_criteria([criterion], 10_000)
    return await grader.grade(scope, _env(platform))


def _sample(text: str, **extra: Any) -> dict[str, Any]:
    return {
        "item": {"a": "Paris", "passages": ["Shipping takes 4 to 6 days and costs $6.95."]},
        "sample": {"output_text": text, **extra},
    }


@pytest.mark.parametrize(
    ("operation", "text", "passed"),
    [
        ("eq", "Paris", True),
        ("eq", "paris", False),
        ("ne", "Lima", True),
        ("ne", "Paris", False),
        ("like", "It is Paris.", True),
        ("like", "it is paris", False),
        ("ilike", "it is PARIS", True),
        ("ilike", "Lima", False),
    ],
)
async def test_string_check(platform: Platform, operation: str, text: str, passed: bool) -> None:
    c = {
        "type": "string_check",
        "name": "s",
        "input": "{{sample.output_text}}",
        "reference": "{{item.a}}",
        "operation": operation,
    }
    assert (await _grade(platform, c, _sample(text))).passed is passed


def test_similarity_metrics_on_known_pairs() -> None:
    same = "the cat sat on the mat"
    assert bleu(same, same) == pytest.approx(1.0)
    assert gleu(same, same) == pytest.approx(1.0)
    assert rouge_l(same, same) == pytest.approx(1.0)
    assert rouge_n("the cat sat", "the cat ran", 1) == pytest.approx(2 / 3)
    assert rouge_n("the cat sat", "the cat ran", 2) == pytest.approx(0.5)
    assert rouge_l("a b c d", "a c d") == pytest.approx(2 * 1 * 0.75 / 1.75)
    assert bleu("dogs bark loudly", same) < 0.1
    assert fuzzy_match("kitten", "sitting") == pytest.approx(2 * 4 / 13)


@pytest.mark.parametrize("metric", ["fuzzy_match", "bleu", "gleu", "rouge_1", "rouge_l"])
async def test_text_similarity(platform: Platform, metric: str) -> None:
    c = {
        "type": "text_similarity",
        "name": "t",
        "input": "{{sample.output_text}}",
        "reference": "The capital of France is Paris",
        "evaluation_metric": metric,
        "pass_threshold": 0.6,
    }
    assert (await _grade(platform, c, _sample("The capital of France is Paris"))).passed
    assert not (await _grade(platform, c, _sample("Bananas grow on trees in Peru"))).passed


async def test_cosine_uses_the_embedding_deployment(platform: Platform) -> None:
    c = {
        "type": "text_similarity",
        "name": "t",
        "input": "{{sample.output_text}}",
        "reference": "{{item.a}}",
        "evaluation_metric": "cosine",
        "pass_threshold": 0.99,
    }
    env = _env(platform)
    (grader,) = compile_criteria([c], 10_000)
    result = await grader.grade(_sample("Paris"), env)
    assert result.passed
    assert result.score == pytest.approx(1.0)
    assert env.usage["fake-embed"].invocation_count == 1
    assert fake_of(platform, "fake-embed").history[-1][0] == "embed"


async def test_json_schema(platform: Platform) -> None:
    c = {
        "type": "json_schema",
        "name": "j",
        "schema": {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]},
    }
    assert (await _grade(platform, c, _sample('{"n": 3}'))).passed
    assert not (await _grade(platform, c, _sample('{"n": "three"}'))).passed
    assert not (await _grade(platform, c, _sample("not json"))).passed


async def test_tool_call(platform: Platform) -> None:
    tools = [
        {
            "type": "function",
            "function": {
                "name": "weather",
                "parameters": {
                    "type": "object",
                    "properties": {"city": {"type": "string"}},
                    "required": ["city"],
                },
            },
        }
    ]
    c = {"type": "tool_call", "name": "tc", "tools": tools, "function_name": "weather"}
    good = [{"type": "function", "function": {"name": "weather", "arguments": '{"city": "Oslo"}'}}]
    bad = [{"type": "function", "function": {"name": "weather", "arguments": '{"town": 1}'}}]
    assert (await _grade(platform, c, _sample("", output_tools=good))).passed
    wrong = await _grade(platform, c, _sample("", output_tools=bad))
    assert not wrong.passed
    assert "city" in wrong.details["reason"]
    assert not (await _grade(platform, c, _sample("", output_tools=[]))).passed


async def test_latency_and_cost(platform: Platform) -> None:
    latency = {"type": "latency", "name": "l", "max_ms": 100}
    cost = {"type": "cost", "name": "c", "max_usd": 0.01}
    assert (await _grade(platform, latency, _sample("", latency_ms=40.0))).passed
    assert not (await _grade(platform, latency, _sample("", latency_ms=400.0))).passed
    assert (await _grade(platform, cost, _sample("", cost_usd=0.001))).passed
    assert not (await _grade(platform, cost, _sample("", cost_usd=0.5))).passed
    with pytest.raises(GraderError):
        await _grade(platform, latency, _sample(""))


async def test_groundedness(platform: Platform) -> None:
    c = {"type": "groundedness", "name": "g", "passages": "{{item.passages}}"}
    right = await _grade(platform, c, _sample("Shipping takes 4 to 6 days. It costs $6.95."))
    assert right.passed
    assert right.score == 1.0
    wrong = await _grade(platform, c, _sample("Shipping takes 2 days. Returns are free forever."))
    assert not wrong.passed
    assert wrong.score == 0.0


async def test_content_safety(platform: Platform) -> None:
    c = {"type": "content_safety", "name": "cs"}
    assert (await _grade(platform, c, _sample("Here is a recipe for lemon cake."))).passed
    harmful = "I will kill you and your family with a knife tonight."
    assert not (await _grade(platform, c, _sample(harmful))).passed


async def test_score_model_and_label_model_judges(platform: Platform) -> None:
    score = {
        "type": "score_model",
        "name": "s",
        "model": "fake",
        "pass_threshold": 0.5,
        "input": [{"role": "user", "content": "Rate: {{sample.output_text}}"}],
    }
    label = {
        "type": "label_model",
        "name": "l",
        "model": "fake",
        "labels": ["good", "bad"],
        "passing_labels": ["good"],
        "input": [{"role": "user", "content": "Text: {{sample.output_text}}"}],
    }
    fake_of(platform).enqueue(
        Script(text='{"result": 0.9}'),
        Script(text='{"result": 0.1}'),
        Script(text='{"label": "good"}'),
        Script(text='{"label": "bad"}'),
        Script(text="??"),
    )
    assert (await _grade(platform, score, _sample("Paris"))).passed
    assert not (await _grade(platform, score, _sample("Lima"))).passed
    assert (await _grade(platform, label, _sample("Paris"))).passed
    assert not (await _grade(platform, label, _sample("Lima"))).passed
    with pytest.raises(GraderError):
        await _grade(platform, label, _sample("x"))
    judged = fake_of(platform).history[0][1]
    assert judged.messages[-1].content == "Rate: Paris"
    assert judged.response_format.type == "json_schema"
