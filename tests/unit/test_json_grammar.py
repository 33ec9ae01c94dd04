"""Schemas whose bounds llama.cpp's grammar converter would expand rule by rule are refused
before they reach the model (a probe crashed the process with maxLength 1250 and held the
model for minutes with minLength 100000000)."""

from __future__ import annotations

import pytest

from tandem.backends.json_grammar import oversized
from tandem.backends.llamacpp_plan import _refuse_cycles
from tandem.errors import UnsupportedParameterError


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "minLength": 100_000_000},
        {"type": "object", "properties": {"a": {"type": "string", "maxLength": 1250}}},
        {"type": "array", "items": {"type": "integer"}, "maxItems": 10_000},
        {"enum": [f"value-{i}" for i in range(20_000)]},
        {"type": "string", "pattern": "^" + "a" * 2000 + "$"},
    ],
)
def test_probe_n2_oversized_schemas_are_refused(schema: dict[str, object]) -> None:
    assert oversized(schema) is not None
    with pytest.raises(UnsupportedParameterError) as caught:
        _refuse_cycles(schema, "response_format.json_schema.schema")
    assert caught.value.param == "response_format.json_schema.schema"
    assert "max_tokens" in caught.value.message


def test_ordinary_schemas_pass() -> None:
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "maxLength": 64},
            "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "maxItems": 201},
        },
        "required": ["name"],
    }
    assert oversized(schema) is None
    _refuse_cycles(schema, "tools.0.function.parameters")
