"""Screening a streamed completion in windows, so blocked text is never sent.

Text is held back until a window of it (or the end of the choice) has been screened; a
window that fails ends the choice with finish_reason "content_filter". Each window is
screened with some of the text before it, so a phrase split across windows is still seen.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

from tandem.errors import TandemError
from tandem.governance.principal import Principal
from tandem.safety.layer import PromptCheck, SafetyLayer
from tandem.wire import JSONObject

OVERLAP = 48


def _piece(choice: JSONObject) -> str:
    delta = choice.get("delta")
    if isinstance(delta, dict):
        content = delta.get("content")
        return content if isinstance(content, str) else ""
    text = choice.get("text")
    return text if isinstance(text, str) else ""


class _Choice:
    def __init__(self) -> None:
        self.held: list[JSONObject] = []
        self.text = ""
        self.checked = 0
        self.closed = False


async def screened(
    chunks: AsyncIterator[JSONObject],
    layer: SafetyLayer,
    principal: Principal,
    deployment: str,
    check: PromptCheck,
    request_id: str,
    outcome: dict[str, Any],
    n: int = 1,
) -> AsyncIterator[JSONObject]:
    """The chunks, screened per choice in windows; `outcome['blocked']` tells the caller."""
    window = check.policy.stream_window_chars
    choices: dict[int, _Choice] = defaultdict(_Choice)
    first = True

    def release(index: int, template: JSONObject) -> list[JSONObject]:
        state = choices[index]
        segment = state.text[state.checked :]
        if not segment and not state.held:
            return []
        context = state.text[max(0, state.checked - OVERLAP) :]
        finding = layer.check_output(principal, deployment, check.policy, context, request_id)
        state.checked = len(state.text)
        if finding.blocked:
            state.closed = True
            state.held.clear()
            outcome["blocked"] = True
            end = {k: v for k, v in template.items() if k != "choices"}
            end["choices"] = [
                {
                    "index": index,
                    "delta": {},
                    "finish_reason": "content_filter",
                    "content_filter_results": finding.results(),
                }
            ]
            return [end]
        held, state.held = state.held, []
        if held:
            held[-1]["choices"][0]["content_filter_results"] = finding.results()
        return held

    try:
        async for chunk in chunks:
            if first:
                first = False
                head = {k: v for k, v in chunk.items() if k not in ("choices", "usage")}
                yield {
                    **head,
                    "choices": [],
                    "prompt_filter_results": check.prompt_filter_results(),
                }
            items = chunk.get("choices") or []
            if not items:
                for index in list(choices):
                    for out in release(index, chunk):
                        yield out
                yield chunk
                continue
            index = int(items[0].get("index", 0))
            state = choices[index]
            if state.closed:
                continue
            state.text += _piece(items[0])
            state.held.append(chunk)
            finished = items[0].get("finish_reason") is not None
            if finished or len(state.text) - state.checked >= window:
                for out in release(index, chunk):
                    yield out
            if sum(c.closed for c in choices.values()) >= n:
                return  # every choice was stopped: end the upstream stream too
        for index in list(choices):
            for out in release(index, {"choices": []}):
                yield out
    except TandemError:
        # The upstream broke: what it did send is screened and delivered before the error.
        for index in list(choices):
            for out in release(index, {"choices": []}):
                yield out
        raise
    finally:
        aclose = getattr(chunks, "aclose", None)
        if aclose is not None:
            await aclose()  # stops the upstream generation when a choice was filtered
