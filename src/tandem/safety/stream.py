"""Screening a streamed completion in windows, so blocked text is never sent.

Text is held back until a window of it (or the end of the choice) has been screened; a
window that fails ends the choice with finish_reason "content_filter". Each window is
screened with some of the text before it, so a phrase split across windows is still seen.
A window is screened off the event loop when it is large (an upstream may send a big delta).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass

from tandem.errors import TandemError
from tandem.governance.principal import Principal
from tandem.safety.layer import PromptCheck, SafetyLayer
from tandem.wire import JSONObject

OVERLAP = 48
# A full window is screened at the next sentence end, at most this much later: the learned
# stage judges sentences, and half of one ("instructions to build a pipe bo") can read safe.
SENTENCE_SLACK = 240


def _due(text: str, checked: int, window: int) -> bool:
    pending = len(text) - checked
    if pending < window:
        return False
    return pending >= window + SENTENCE_SLACK or text.rstrip()[-1:] in (".", "!", "?", "\n", "")


def _piece(choice: JSONObject) -> str:
    delta = choice.get("delta")
    if isinstance(delta, dict):
        content = delta.get("content")
        return content if isinstance(content, str) else ""
    text = choice.get("text")
    return text if isinstance(text, str) else ""


@dataclass(frozen=True, slots=True)
class StreamScreen:
    """Who a stream is for and under which prompt check its completion is screened."""

    layer: SafetyLayer
    principal: Principal
    deployment: str
    check: PromptCheck
    request_id: str
    n: int = 1


@dataclass(slots=True)
class Outcome:
    """How screening a stream ended: whether any choice was stopped."""

    blocked: bool = False


class _Choice:
    def __init__(self) -> None:
        self.held: list[JSONObject] = []
        self.text = ""
        self.checked = 0
        self.closed = False


class _Screen:
    """Per-choice buffers of one stream and the screening of what they hold."""

    def __init__(self, job: StreamScreen, outcome: Outcome) -> None:
        self.job = job
        self.outcome = outcome
        self.choices: dict[int, _Choice] = defaultdict(_Choice)

    async def release(self, index: int, template: JSONObject) -> list[JSONObject]:
        """Screen a choice's unchecked text; its held chunks, or the chunk that ends it."""
        state = self.choices[index]
        if not state.text[state.checked :] and not state.held:
            return []
        context = state.text[max(0, state.checked - OVERLAP) :]
        job = self.job
        finding = await job.layer.check_output(
            job.principal, job.deployment, job.check.policy, context, job.request_id
        )
        state.checked = len(state.text)
        if finding.blocked:
            state.closed = True
            state.held.clear()
            self.outcome.blocked = True
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

    async def release_all(self, template: JSONObject) -> list[JSONObject]:
        """Screen and release every choice's held text."""
        return [out for index in list(self.choices) for out in await self.release(index, template)]

    async def take(self, chunk: JSONObject, window: int) -> list[JSONObject]:
        """Hold a content chunk; release its choice once a window (or the choice) is done."""
        item = chunk["choices"][0]
        state = self.choices[int(item.get("index", 0))]
        if state.closed:
            return []
        state.text += _piece(item)
        state.held.append(chunk)
        if item.get("finish_reason") is not None or _due(state.text, state.checked, window):
            return await self.release(int(item.get("index", 0)), chunk)
        return []

    def closed(self) -> int:
        """How many choices were stopped."""
        return sum(c.closed for c in self.choices.values())


async def screened(
    chunks: AsyncIterator[JSONObject], job: StreamScreen, outcome: Outcome
) -> AsyncIterator[JSONObject]:
    """The chunks, screened per choice in windows; `outcome.blocked` tells the caller."""
    screen = _Screen(job, outcome)
    check, n = job.check, job.n
    window = check.policy.stream_window_chars
    first = True
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
            if not chunk.get("choices"):
                for out in [*await screen.release_all(chunk), chunk]:
                    yield out
                continue
            for out in await screen.take(chunk, window):
                yield out
            if screen.closed() >= n:
                return  # every choice was stopped: end the upstream stream too
        for out in await screen.release_all({"choices": []}):
            yield out
    except TandemError:
        # The upstream broke: what it did send is screened and delivered before the error.
        for out in await screen.release_all({"choices": []}):
            yield out
        raise
    finally:
        aclose = getattr(chunks, "aclose", None)
        if aclose is not None:
            await aclose()  # stops the upstream generation when a choice was filtered
