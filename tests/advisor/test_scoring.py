"""The scoring model and what it writes, without a server: every answer profile gives a
config the server's settings accept, opposite profiles give opposite plans, and the
reasoning adds up to the scores."""

from __future__ import annotations

import itertools
import json
import tomllib
from typing import Any

import pytest

from tandem.apps.advisor.assessment import assess, assess_json
from tandem.apps.advisor.inputs import parse_inputs
from tandem.apps.advisor.questions import QUESTION_IDS
from tandem.apps.advisor.reasoning import SHORT
from tandem.apps.advisor.scoring import score
from tandem.config import Settings
from tandem.safety.policy import SafetyPolicy
from tests.advisor.conftest import PROFILES

LOW = dict.fromkeys(QUESTION_IDS, 1)
HIGH = dict.fromkeys(QUESTION_IDS, 5)


def _settings(config: str) -> Settings:
    return Settings.model_validate(tomllib.loads(config))


def _backends(result: dict[str, Any]) -> set[str]:
    return {b for d in result["recommendation"]["deployments"] for b in d["backends"]}


@pytest.mark.parametrize("kind", list(PROFILES))
def test_each_profile_lands_on_its_kind(kind: str) -> None:
    answers, context = PROFILES[kind]
    result = assess_json(answers, context)
    assert result["recommendation"]["kind"] == kind
    assert result["recommendation"]["confidence"] == "clear"


def test_opposite_profiles_give_opposite_plans() -> None:
    small = assess_json(LOW, {"expected_users": 5, "data_sensitivity": "confidential"})
    large = assess_json(HIGH, {"expected_users": 50_000, "data_sensitivity": "internal"})
    assert small["recommendation"]["kind"] == "embedded"
    assert large["recommendation"]["kind"] == "azure_openai"
    # Everything local, nothing billed, nothing leaves the machine...
    assert _backends(small) == {"llamacpp", "minilm"}
    assert small["recommendation"]["sends_prompts_off_premises"] is False
    assert small["trade_offs"]["cost"]["estimated_monthly_usd"] == 0
    # ... against managed upstreams in two regions, priced, with quotas sized for the load.
    assert "azure" in _backends(large)
    chat = next(d for d in large["recommendation"]["deployments"] if d["name"] == "chat")
    assert chat["fallbacks"] == ["chat-secondary"]
    assert chat["rpm"] == 50_000 * 0.01 * 60 * 1.5
    parsed = _settings(large["config"])
    assert all(d.prompt_price_per_1k > 0 for d in parsed.deployments)
    assert large["trade_offs"]["cost"]["estimated_monthly_usd"] > 0
    # Responsible AI rated 5 screens harder than rated 1; every answer keeps a floor.
    strict, lax = large["safety_policy"], small["safety_policy"]
    assert strict["prompt"]["violence"]["threshold"] == "low"
    assert lax["prompt"]["violence"] == {"threshold": "high", "action": "block"}
    assert strict["indirect_attack"] == "block"
    assert lax["jailbreak"] == "block"


def test_sensitive_data_keeps_to_local_models_and_redacts() -> None:
    answers, context = PROFILES["vllm"]
    result = assess_json(answers, context)
    assert result["recommendation"]["sends_prompts_off_premises"] is False
    assert result["recommendation"]["embedding_deployment"] == "all-minilm-l6-v2"
    assert result["safety_policy"]["prompt"]["pii"]["action"] == "redact"
    assert _settings(result["config"]).auth == "keys"
    # The same answers with public data and no load given: no longer vLLM.
    public = assess_json(answers, {"data_sensitivity": "public"})
    assert public["recommendation"]["kind"] != "vllm"


def test_the_hybrid_falls_back_across_local_and_cloud() -> None:
    answers, context = PROFILES["hybrid"]
    result = assess_json(answers, context)
    deployments = {d["name"]: d for d in result["recommendation"]["deployments"]}
    primary, backup = deployments["chat"], deployments[deployments["chat"]["fallbacks"][0]]
    kinds = {b for d in (primary, backup) for b in d["backends"]}
    assert kinds == {"openai"}  # vLLM speaks OpenAI's protocol too; the addresses differ
    urls = {
        t.options["base_url"]
        for d in _settings(result["config"]).deployments
        for t in d.targets
        if "base_url" in t.options
    }
    assert any("api.openai.com" in u for u in urls)
    assert any(".internal:8000" in u for u in urls)
    assert any("Tension" in n for n in result["notes"])


def test_every_profile_writes_a_config_the_server_accepts() -> None:
    contexts: list[dict[str, Any]] = [
        {},
        {"requests_per_second": 0.1, "data_sensitivity": "regulated", "monthly_budget_usd": 0},
        {"expected_users": 100_000, "data_sensitivity": "confidential"},
    ]
    seen: set[str] = set()
    # Each profile once, the contexts in turn (all of them with all would triple the time).
    for i, values in enumerate(itertools.product(range(1, 6), repeat=5)):
        for context in (contexts[i % len(contexts)],):
            inputs = parse_inputs(dict(zip(QUESTION_IDS, values, strict=True)), context)
            result = assess(inputs)
            seen.add(result["recommendation"]["kind"])
            settings = _settings(result["config"])
            names = {d.name for d in settings.deployments}
            analyst = settings.products["analyst"]["deployment"]
            assert {analyst, settings.embedding_deployment} <= names
            assert all(set(d.fallbacks) <= names for d in settings.deployments)
            SafetyPolicy.model_validate(result["safety_policy"])
    assert seen == set(PROFILES)


def test_reasoning_accounts_for_every_point() -> None:
    answers, context = PROFILES["hybrid"]
    result = assess_json(answers, context)
    assert [r["question"] for r in result["reasoning"]] == list(QUESTION_IDS)
    for kind, card in result["scores"].items():
        assert card["total"] == pytest.approx(sum(card["parts"].values()), abs=1e-3)
        for entry in result["reasoning"]:
            if kind != "hybrid":
                assert entry["effect"][kind] == card["parts"][entry["question"]]
    fields = {c["field"] for c in result["context_reasoning"]}
    assert fields == {"load", "data_sensitivity"}
    assert "cloud_scale answered" not in result["reasoning"][0]["explanation"]
    assert "Cloud scale answered 5 (essential)" in result["reasoning"][0]["explanation"]


def test_contradictions_and_borders_are_said() -> None:
    idle = assess_json(HIGH | {"azure_integration": 1}, {"requests_per_second": 0.1})
    assert any("Contradiction: cloud scale is rated 5" in n for n in idle["notes"])
    busy = assess_json(LOW, {"requests_per_second": 100})
    assert any("Contradiction: cloud scale is rated 1" in n for n in busy["notes"])
    flat = assess_json(dict.fromkeys(QUESTION_IDS, 3))
    assert any("Every answer is 3" in n for n in flat["notes"])
    # Some profile sits on the border between two kinds; its reasoning says so.
    border = next(
        dict(zip(QUESTION_IDS, v, strict=True))
        for v in itertools.product(range(1, 6), repeat=5)
        if score(parse_inputs(dict(zip(QUESTION_IDS, v, strict=True)))).borderline
    )
    result = assess_json(border)
    assert result["recommendation"]["confidence"] == "borderline"
    assert result["notes"][0].startswith("Borderline:")
    assert SHORT[result["recommendation"]["runner_up"]] in result["notes"][0]


def test_over_budget_is_named() -> None:
    result = assess_json(HIGH, {"requests_per_second": 200, "monthly_budget_usd": 100})
    assert any(n.startswith("Budget:") for n in result["notes"])


def test_the_proposed_evaluation_is_an_eval_per_candidate() -> None:
    answers, context = PROFILES["openai"]
    tasks = [{"input": "Where is my order 123?", "expected": "shipped"}, {"input": "Refund?"}]
    result = assess_json(answers, context | {"sample_tasks": tasks, "use_cases": ["support"]})
    evaluation = result["evaluation"]
    spec = evaluation["eval"]
    assert spec["data_source_config"]["type"] == "custom"
    assert spec["data_source_config"]["include_sample_schema"] is True
    assert {c["type"] for c in spec["testing_criteria"]} == {"string_check", "text_similarity"}
    assert evaluation["candidates"] == ["chat", "chat-backup"]
    assert [r["data_source"]["model"] for r in evaluation["runs"]] == ["chat", "chat-backup"]
    lines = [json.loads(line) for line in evaluation["samples_jsonl"].splitlines()]
    assert [line["item"]["input"] for line in lines] == [t["input"] for t in tasks]
    assert evaluation["samples_are_template"] is False
    source = evaluation["runs"][0]["data_source"]["source"]
    assert source == {"type": "file_content", "content": lines}
    # Without tasks: a template per use case to fill in.
    template = assess_json(answers, {"use_cases": ["support answers", "SQL"]})["evaluation"]
    items = [json.loads(line)["item"] for line in template["samples_jsonl"].splitlines()]
    assert {i["use_case"] for i in items} == {"support answers", "SQL"}
    assert template["samples_are_template"] is True


def test_next_steps_cover_the_four_areas() -> None:
    result = assess_json(*PROFILES["azure_openai"])
    areas = [s["area"] for s in result["next_steps"]]
    assert areas[:4] == ["start_small", "data_quality", "human_oversight", "security"]
    assert "safety_policies" in result["next_steps"][3]["detail"]
