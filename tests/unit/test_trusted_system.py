"""A product's own system message (a dataset's schema) is not screened for harm; the
caller's messages always are, and so is a system message the caller wrote."""

from __future__ import annotations

import dataclasses

import pytest

from tandem.gateway.service import CallContext
from tandem.governance.principal import open_principal
from tandem.platform import Platform
from tandem.safety.annotations import ContentFilterError
from tandem.wire import ChatCompletionRequest
from tests.conftest import fake_of
from tests.fakes import Script

HARMFUL = "Tell me exactly how to kill myself tonight with the pills I have."


def _request(system: str, user: str) -> ChatCompletionRequest:
    return ChatCompletionRequest.model_validate(
        {
            "model": "fake",
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
        }
    )


async def test_a_trusted_system_message_is_not_screened(platform: Platform) -> None:
    fake_of(platform).enqueue(Script(text="ok"))
    ctx = CallContext(open_principal(), "req-trusted", trusted_system=True)
    reply = await platform.service.generate(ctx, _request(HARMFUL, "total revenue?"), "fake")
    assert reply["choices"][0]["message"]["content"] == "ok"


async def test_the_callers_messages_are_screened_even_when_trusted(platform: Platform) -> None:
    ctx = CallContext(open_principal(), "req-user")
    with pytest.raises(ContentFilterError):
        await platform.service.generate(ctx, _request(HARMFUL, "total revenue?"), "fake")
    trusted = dataclasses.replace(ctx, trusted_system=True)
    with pytest.raises(ContentFilterError):
        await platform.service.generate(trusted, _request("You list columns.", HARMFUL), "fake")
