"""From a chosen kind to deployments: names, backends, fallbacks, quotas and prices.

Upstream addresses are placeholders to replace (`YOUR-RESOURCE`, `vllm-1.internal`); keys are
read from environment variables, never written into the file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from tandem.apps.advisor.inputs import Inputs
from tandem.apps.advisor.scoring import EMBEDDED_RPS, Kind, Scorecard, gpus_for

MAX_LISTED_GPUS = 8
DEFAULT_RPM = 600
TOKENS_PER_MINUTE_PER_REQUEST = 2_000
VLLM_MODEL = "meta-llama/Llama-3.1-8B-Instruct"
AZURE_ENDPOINT = "https://YOUR-RESOURCE.openai.azure.com"
AZURE_SECOND_ENDPOINT = "https://YOUR-SECOND-REGION-RESOURCE.openai.azure.com"
OPENAI_URL = "https://api.openai.com/v1"
# USD per 1k tokens (prompt, completion), list prices when written; check yours.
PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.00015, 0.0006),
    "gpt-4.1-mini": (0.0004, 0.0016),
    "gpt-4.1": (0.002, 0.008),
    "text-embedding-3-small": (0.00002, 0.0),
}


@dataclass
class Target:
    """One backend of a deployment."""

    backend: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class DeploymentPlan:
    """One deployment as it will appear in tandem.toml."""

    name: str
    targets: list[Target]
    role: str  # "chat" or "embeddings"
    comment: str
    fallbacks: list[str] = field(default_factory=list)
    rpm: int | None = None
    tpm: int | None = None
    prices: tuple[float, float] = (0.0, 0.0)
    local: bool = False


@dataclass
class Plan:
    """The deployments of a recommendation and the settings around them."""

    kind: Kind
    deployments: list[DeploymentPlan]
    chat: str
    embeddings: str
    auth: str
    hybrid_parts: tuple[Kind, Kind] | None = None

    def chat_deployments(self) -> list[str]:
        """Names of the deployments that answer chat, primary first."""
        return [d.name for d in self.deployments if d.role == "chat"]


def quotas(rps: float | None, ceiling: int | None = None) -> tuple[int, int]:
    """Requests and tokens per minute: the peak with 50% headroom (600 rpm when unknown)."""
    rpm = DEFAULT_RPM if rps is None else max(60, min(1_000_000, math.ceil(rps * 60 * 1.5)))
    if ceiling is not None:
        rpm = min(rpm, ceiling)
    return rpm, rpm * TOKENS_PER_MINUTE_PER_REQUEST


def _embedded_chat(name: str, rps: float | None) -> DeploymentPlan:
    rpm, tpm = quotas(rps, ceiling=int(EMBEDDED_RPS * 60))
    return DeploymentPlan(
        name,
        [Target("llamacpp")],
        "chat",
        "the embedded model (SmolLM2-135M) on this machine's CPU",
        rpm=rpm,
        tpm=tpm,
        local=True,
    )


def _local_embeddings() -> DeploymentPlan:
    return DeploymentPlan(
        "all-minilm-l6-v2",
        [Target("minilm")],
        "embeddings",
        "sentence embeddings on this machine's CPU: documents never leave it",
        local=True,
    )


def _vllm_chat(name: str, rps: float | None) -> DeploymentPlan:
    gpus = gpus_for(rps)
    targets = [
        Target(
            "openai",
            {
                "base_url": f"http://vllm-{i + 1}.internal:8000/v1",
                "model": VLLM_MODEL,
                "api_key_env": "VLLM_API_KEY",
            },
        )
        for i in range(min(gpus, MAX_LISTED_GPUS))
    ]
    more = " (put a load balancer in front of the rest)" if gpus > MAX_LISTED_GPUS else ""
    rpm, tpm = quotas(rps)
    return DeploymentPlan(
        name,
        targets,
        "chat",
        f"vLLM (`vllm serve {VLLM_MODEL}`) on {gpus} GPU server(s){more}",
        rpm=rpm,
        tpm=tpm,
        local=True,
    )


def _azure(name: str, model: str, endpoint: str, role: str, rps: float | None) -> DeploymentPlan:
    rpm, tpm = quotas(rps)
    options = {"base_url": endpoint, "deployment": model, "api_key_env": "AZURE_OPENAI_API_KEY"}
    return DeploymentPlan(
        name,
        [Target("azure", options)],
        role,
        f"Azure OpenAI deployment '{model}' at {endpoint}",
        rpm=rpm if role == "chat" else None,
        tpm=tpm if role == "chat" else None,
        prices=PRICES[model],
    )


def _openai(name: str, model: str, role: str, rps: float | None) -> DeploymentPlan:
    rpm, tpm = quotas(rps)
    options = {"base_url": OPENAI_URL, "model": model, "api_key_env": "OPENAI_API_KEY"}
    return DeploymentPlan(
        name,
        [Target("openai", options)],
        role,
        f"OpenAI's {model}",
        rpm=rpm if role == "chat" else None,
        tpm=tpm if role == "chat" else None,
        prices=PRICES[model],
    )


def _cloud_model(inputs: Inputs) -> str:
    return "gpt-4.1" if inputs.answers["rapid_evolution"] >= 4 else "gpt-4.1-mini"


def _cloud_chat(kind: Kind, name: str, inputs: Inputs, rps: float | None) -> DeploymentPlan:
    model = _cloud_model(inputs)
    if kind == "azure_openai":
        return _azure(name, model, AZURE_ENDPOINT, "chat", rps)
    return _openai(name, model, "chat", rps)


def _cloud_embeddings(kind: Kind) -> DeploymentPlan:
    if kind == "azure_openai":
        return _azure("embeddings", "text-embedding-3-small", AZURE_ENDPOINT, "embeddings", None)
    return _openai("embeddings", "text-embedding-3-small", "embeddings", None)


def _local_chat(kind: Kind, name: str, rps: float | None) -> DeploymentPlan:
    return _embedded_chat(name, rps) if kind == "embedded" else _vllm_chat(name, rps)


def build_plan(kind: Kind, inputs: Inputs, card: Scorecard) -> Plan:
    """The deployments for `kind`, sized by the card's peak load."""
    rps = card.peak_rps
    sensitive = inputs.context.data_sensitivity in ("confidential", "regulated")
    auth = "keys"
    if kind == "embedded":
        auth = "keys" if sensitive else "auto"
        chat = _embedded_chat("smollm2", rps)
        return Plan(kind, [chat, _local_embeddings()], chat.name, "all-minilm-l6-v2", auth)
    if kind == "vllm":
        chat = _vllm_chat("chat", rps)
        chat.fallbacks = ["smollm2"]
        rescue = _embedded_chat("smollm2", rps)
        rescue.comment += ": answers, slowly, while every GPU server is down"
        return Plan(kind, [chat, rescue, _local_embeddings()], "chat", "all-minilm-l6-v2", auth)
    if kind in ("azure_openai", "openai"):
        chat = _cloud_chat(kind, "chat", inputs, rps)
        if kind == "azure_openai":
            second = _azure(
                "chat-secondary", _cloud_model(inputs), AZURE_SECOND_ENDPOINT, "chat", rps
            )
            second.comment += " (a second region: absorbs outages and quota exhaustion)"
        else:
            second = _openai("chat-backup", "gpt-4o-mini", "chat", rps)
            second.comment += " (a second model: absorbs outages and rate limits of the first)"
        chat.fallbacks = [second.name]
        embeddings = _local_embeddings() if sensitive else _cloud_embeddings(kind)
        return Plan(kind, [chat, second, embeddings], "chat", embeddings.name, auth)
    return _hybrid(inputs, card, rps, sensitive)


def _hybrid(inputs: Inputs, card: Scorecard, rps: float | None, sensitive: bool) -> Plan:
    local, cloud = card.best_local, card.best_cloud
    local_first = (
        inputs.context.data_sensitivity == "regulated"
        or card.scores[local].total >= card.scores[cloud].total
    )
    if local_first:
        primary = _local_chat(local, "chat", rps)
        backup = _cloud_chat(cloud, "chat-cloud", inputs, rps)
        backup.comment += " (overflow and outages of the local servers)"
    else:
        primary = _cloud_chat(cloud, "chat", inputs, rps)
        backup = _local_chat(local, "chat-local", rps)
        backup.comment += " (keeps answering when the cloud upstream fails or throttles)"
    primary.fallbacks = [backup.name]
    embeddings = _local_embeddings() if sensitive or local_first else _cloud_embeddings(cloud)
    parts: tuple[Kind, Kind] = (local, cloud) if local_first else (cloud, local)
    return Plan("hybrid", [primary, backup, embeddings], "chat", embeddings.name, "keys", parts)
