"""The safety policy that fits the answers: stricter with responsible-AI needs and with more
sensitive data. Validated as a `SafetyPolicy`, so `tandem safety policy set` takes it as is."""

from __future__ import annotations

from typing import Any

from tandem.apps.advisor.inputs import Inputs
from tandem.safety.policy import SafetyPolicy

CATEGORIES = ("hate", "sexual", "violence", "self_harm")
# PII handling by data sensitivity: (prompts, completions).
PII = {
    None: ("off", "off"),
    "public": ("off", "off"),
    "internal": ("annotate", "annotate"),
    "confidential": ("annotate", "redact"),
    "regulated": ("redact", "redact"),
}


def safety_policy(inputs: Inputs, cloud: bool) -> dict[str, Any]:
    """The policy as JSON; `cloud`: prompts leave the premises (PII redacted before they do
    when the data is confidential or regulated)."""
    rai = inputs.answers["responsible_ai"]
    # Severity never goes unscreened: low needs only raise the bar to 'high'.
    threshold = "low" if rai >= 4 else ("medium" if rai == 3 else "high")
    sensitivity = inputs.context.data_sensitivity
    prompt_pii, completion_pii = PII[sensitivity]
    if cloud and sensitivity in ("confidential", "regulated"):
        prompt_pii = "redact"

    def direction(pii: str) -> dict[str, Any]:
        rules: dict[str, Any] = {c: {"threshold": threshold, "action": "block"} for c in CATEGORIES}
        rules["profanity"] = "annotate" if rai >= 4 else "off"
        rules["pii"] = {"action": pii}
        return rules

    policy = {
        "prompt": direction(prompt_pii),
        "completion": direction(completion_pii),
        "jailbreak": "block",
        "indirect_attack": "block" if rai >= 4 else "annotate",
        "review": rai >= 3 or sensitivity in ("confidential", "regulated"),
    }
    return SafetyPolicy.model_validate(policy).model_dump(mode="json")
