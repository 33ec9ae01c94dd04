"""tandem.toml text for a plan, in the format `tandem.config.load_settings` reads."""

from __future__ import annotations

import json
from typing import Any

from tandem.apps.advisor.plans import DeploymentPlan, Plan

POLICY_FILE = "safety-policy.json"


def toml_value(value: Any) -> str:
    """A TOML literal: JSON's strings, numbers and arrays are TOML's too; keys with no value
    are left out."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):  # TOML has no null: an unset key takes its default
        inner = ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items() if v is not None)
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"no TOML for {type(value).__name__}")


def _deployment(d: DeploymentPlan) -> list[str]:
    lines = [f"# {d.comment}", "[[deployments]]", f"name = {toml_value(d.name)}"]
    if d.fallbacks:
        lines.append(f"fallbacks = {toml_value(d.fallbacks)}")
    if d.rpm is not None:
        lines.append(f"rpm = {d.rpm}")
    if d.tpm is not None:
        lines.append(f"tpm = {d.tpm}")
    if d.prices != (0.0, 0.0):
        lines.append(f"prompt_price_per_1k = {d.prices[0]}")
        lines.append(f"completion_price_per_1k = {d.prices[1]}")
    for target in d.targets:
        lines += ["[[deployments.targets]]", f"backend = {toml_value(target.backend)}"]
        if target.options:
            lines.append(f"options = {toml_value(target.options)}")
    return [*lines, ""]


def _key_variables(plan: Plan) -> list[str]:
    names = {
        str(t.options["api_key_env"])
        for d in plan.deployments
        for t in d.targets
        if "api_key_env" in t.options
    }
    return sorted(names)


def render_config(
    plan: Plan, title: str, assessment_id: str | None, policy: dict[str, Any] | None = None
) -> str:
    """The whole file: a commented header, the settings, the safety policy, then each
    deployment."""
    source = f" (assessment {assessment_id})" if assessment_id else ""
    header = [
        f"# tandem.toml written by the Tandem adoption advisor{source}.",
        f"# Recommendation: {title}.",
        "# Start it with: tandem serve --config tandem.toml",
        "# Replace the placeholder addresses (YOUR-RESOURCE, vllm-N.internal) with yours.",
    ]
    keys = _key_variables(plan)
    if keys:
        header.append(f"# Upstream keys are read from the environment: {', '.join(keys)}.")
    header += [
        "# The safety policy below is stored at every start; the same policy is in",
        f"# {POLICY_FILE} for `tandem safety policy set` on a server that runs without this file.",
        "",
    ]
    settings = [
        f"auth = {toml_value(plan.auth)}",
        "builtin_deployments = false",
        f"embedding_deployment = {toml_value(plan.embeddings)}",
        'log_level = "info"',
        "",
        "[analyst]",
        f"deployment = {toml_value(plan.chat)}",
        "",
        "[support]",
        f"deployment = {toml_value(plan.chat)}",
        "",
    ]
    if policy is not None:
        # A TOML table must come after the top-level keys and before [[deployments]].
        settings += ["[safety_policies]", f"default = {toml_value(policy)}", ""]
    body = [line for d in plan.deployments for line in _deployment(d)]
    return "\n".join(header + settings + body).rstrip("\n") + "\n"
